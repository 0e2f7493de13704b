"""The data behind the timeline and the control-rate chart match the checked facts."""

import numpy as np
import pytest

from widgets import control_rates as cr
from widgets import timeline as tl

FACTS = {  # facts.md's timeline: milestone -> (year, month)
    "SayCan": (2022, 4), "Gato": (2022, 5), "RT-1": (2022, 12), "PaLM-E": (2023, 3),
    "Diffusion Policy": (2023, 3), "ACT / ALOHA": (2023, 4), "RT-2": (2023, 7),
    "Open X-Embodiment": (2023, 10), "Octo": (2023, 12), "LeRobot": (2024, 5),
    "OpenVLA": (2024, 6), "π0": (2024, 10), "FAST": (2025, 1), "Helix": (2025, 2),
    "OpenVLA-OFT": (2025, 2), "Gemini Robotics": (2025, 3), "GR00T N1": (2025, 3),
    "π0.5": (2025, 4), "SmolVLA": (2025, 6),
}


def test_every_milestone_is_at_the_month_the_facts_give():
    assert {m[2]: (m[0], m[1]) for m in tl.MILESTONES} == FACTS


def test_milestones_are_in_time_order_and_the_slider_reaches_each():
    times = [tl.when(m) for m in tl.MILESTONES]
    assert times == sorted(times)
    slider = next(p for p in tl.PARAMS if p.name == "highlight")
    assert (slider.min, slider.max) == (1, len(tl.MILESTONES))
    for i, m in enumerate(tl.MILESTONES, start=1):
        readout = tl.compute(i, "all")["readouts"][0]["text"]
        assert readout.startswith(m[2])


def test_filtering_a_lane_shows_only_that_lane():
    for lane in tl.LANES:
        alt = tl.compute(1, lane)["alt"]
        count = sum(tl.LANES[m[4]] == lane for m in tl.MILESTONES)
        assert alt.startswith(f"{count} milestones")


def test_rates_match_the_facts():
    rates = {r[0]: r[1] for r in cr.RECORDS}
    assert rates["RT-1"] == (3, 3) and rates["RT-2 55B"] == (1, 3) and rates["RT-2 5B"] == (5, 5)
    assert rates["OpenVLA"] == (6, 6) and rates["Diffusion Policy"] == (10, 10)
    assert rates["ACT"] == (50, 50) and rates["π0"] == (50, 50) and rates["Helix"] == (7, 9)
    loops = {r[0]: r[2] for r in cr.RECORDS}
    assert loops["Helix"] == (200, 200) and loops["GR00T N1"] == (120, 120)
    assert len({r[0] for r in cr.RECORDS}) == len(cr.RECORDS)


@pytest.mark.parametrize("speed", [0.1, 0.5, 2.0])
def test_blind_distance_is_speed_over_rate_and_shrinks_with_faster_loops(speed):
    assert cr.blind_distance(speed, 50) == pytest.approx(speed / 50)
    distances = cr.blind_distance(speed, [1, 3, 10, 50, 200])
    assert np.all(np.diff(distances) < 0)
    scene = cr.compute(speed, "policy")
    rt2 = scene["readouts"][0]["text"]
    assert rt2 == f"{100 * speed / 3:.1f}–{100 * speed / 1:.1f} cm"
