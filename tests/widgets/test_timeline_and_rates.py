"""The data behind the timeline and the control-rate chart match the checked facts."""

import re

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


# facts.md's rates table: name -> (action rate (low, high) Hz, chunk, executed before re-query,
# re-planning interval (low, high) s as the table states it)
RATES = {
    "RT-2 55B": ((1, 3), 1, 1, (1 / 3, 1)),
    "RT-1": ((3, 3), 1, 1, (1 / 3, 1 / 3)),
    "RT-2 5B": ((5, 5), 1, 1, (0.2, 0.2)),
    "OpenVLA": ((6, 6), 1, 1, (0.17, 0.17)),
    "Diffusion Policy": ((10, 10), 16, 8, (0.8, 0.8)),
    "ACT, ensembling": ((50, 50), 100, 1, (0.02, 0.02)),
    "ACT, no ensembling": ((50, 50), 100, 100, (2.0, 2.0)),
    "π0, 50 Hz robots": ((50, 50), 50, 25, (0.5, 0.5)),
    "π0, UR5e / Franka": ((20, 20), 50, 16, (0.8, 0.8)),
    "OpenVLA-OFT, ALOHA": ((25, 25), 25, 25, (1.0, 1.0)),
}
TWO_SYSTEM = {  # name -> (System 1 action rate, VLM re-planning rate (low, high) Hz)
    "GR00T N1": ((120, 120), (10, 10)),
    "Helix": ((200, 200), (7, 9)),
}


def test_rates_chunks_and_sources_match_the_facts_table():
    assert [r[0] for r in cr.RECORDS] == list(RATES) + list(TWO_SYSTEM)
    for name, (rate, chunk, executed, _) in RATES.items():
        r = cr.record(name)
        assert (r[1], r[2], r[3]) == (rate, chunk, executed), name
        assert not cr.two_system(r)
    for name, (rate, vlm) in TWO_SYSTEM.items():
        r = cr.record(name)
        assert r[1] == rate and r[4] == vlm and cr.two_system(r)
    assert cr.record("GR00T N1")[2] == 16 and cr.record("GR00T N1")[7] == "arXiv 2503.14734"
    assert cr.record("Helix")[7].startswith("Figure")  # no paper: the blog
    for r in cr.RECORDS[:-1]:
        assert r[7].startswith("arXiv "), r[0]


def test_every_records_interval_follows_from_chunk_and_rate_as_the_table_says():
    for name, ((lo, hi), _, executed, stated) in RATES.items():
        interval = cr.replan_interval(cr.record(name))
        assert interval == pytest.approx((executed / hi, executed / lo))
        assert interval == pytest.approx(stated, abs=0.005), name  # OpenVLA's "~0.17 s"
    assert cr.replan_interval(cr.record("GR00T N1")) == pytest.approx((0.1, 0.1))
    assert cr.replan_interval(cr.record("Helix")) == pytest.approx((1 / 9, 1 / 7))


def test_a_chunk_executed_open_loop_lengthens_the_time_between_decisions():
    for name, (_, chunk, executed, _) in RATES.items():
        r = cr.record(name)
        ratio = cr.replan_interval(r)[0] / cr.action_interval(r)[0]
        assert ratio == pytest.approx(executed)  # one re-plan per executed part, never shorter
    assert cr.replan_interval(cr.record("π0, 50 Hz robots"))[0] == pytest.approx(
        25 * cr.action_interval(cr.record("π0, 50 Hz robots"))[0])


def test_pi0_moves_25_cm_between_decisions_at_half_a_metre_per_second_not_1_cm():
    pi0 = cr.record("π0, 50 Hz robots")
    assert cr.distance(0.5, cr.replan_interval(pi0)) == pytest.approx((0.25, 0.25))
    assert cr.distance(0.5, cr.action_interval(pi0)) == pytest.approx((0.01, 0.01))
    scene = cr.compute(0.5, "re-plans")
    assert "the hand moves 25 cm between its re-plans and 1.0 cm between its actions" in \
        scene["alt"]
    assert scene["readouts"][0]["text"] == "25 cm per re-plan (500 ms), 1.0 cm per action"


def test_act_with_ensembling_re_plans_every_20_ms_and_without_it_every_2_s():
    assert cr.replan_interval(cr.record("ACT, ensembling")) == pytest.approx((0.02, 0.02))
    assert cr.replan_interval(cr.record("ACT, no ensembling")) == pytest.approx((2.0, 2.0))
    assert "ACT every 20 ms with temporal ensembling" in cr.compute(1.0, "re-plans")["alt"]


def test_two_system_designs_show_both_loops_and_groot_s_unstated_one_as_a_range():
    helix, groot = cr.record("Helix"), cr.record("GR00T N1")
    assert cr.observation_interval(helix) == pytest.approx((1 / 200, 1 / 200))
    # GR00T N1: System 1 re-queried somewhere between every action and every 16-action chunk
    assert cr.observation_interval(groot) == pytest.approx((1 / 120, 16 / 120))
    labels = [m["s"] for m in cr.compute(0.5, "re-plans")["panels"][1]["marks"]
              if m["kind"] == "text"]
    assert "VLM 5.6–7.1 cm, System 1 0.25 cm" in labels
    assert "VLM 5.0 cm, System 1 0.4–6.7 cm" in labels


def centimetres(text):
    numbers = [float(v) for v in re.findall(r"[\d.]+", text.split(" cm")[0])]
    return numbers[0], numbers[-1]


@pytest.mark.parametrize("speed", [0.05, 0.5, 1.35, 2.0])
@pytest.mark.parametrize("between", ["re-plans", "actions"])
def test_each_bar_and_its_label_state_speed_times_the_interval(speed, between):
    scene = cr.compute(speed, between)
    marks = scene["panels"][1]["marks"]
    labels = [m for m in marks if m["kind"] == "text"]
    assert len(labels) == len(cr.RECORDS)
    for r, label in zip(cr.RECORDS, labels):
        if between == "actions":
            expect = [cr.action_interval(r)]
        elif cr.two_system(r):
            expect = [cr.replan_interval(r), cr.observation_interval(r)]
        else:
            expect = [cr.replan_interval(r)]
        parts = label["s"].split(", ")
        assert len(parts) == len(expect)
        for part, (lo, hi) in zip(parts, expect):
            shown = centimetres(part.replace("VLM ", "").replace("System 1 ", ""))
            assert shown[0] == pytest.approx(100 * speed * lo, rel=0.05, abs=0.006)
            assert shown[1] == pytest.approx(100 * speed * hi, rel=0.05, abs=0.006)
    longest = max(100 * speed * max(i[1] for i in
                  ([cr.action_interval(r)] if between == "actions" else
                   [cr.replan_interval(r), cr.observation_interval(r)]))
                  for r in cr.RECORDS)
    assert max(max(m["x"]) for m in marks if m["kind"] == "polygon") == pytest.approx(longest)
    assert scene["alt"].startswith(f"At {speed:g} m/s")
    assert scene["alt"].endswith(f"The right panel shows the distance between {between}.")


@pytest.mark.parametrize("speed", [0.05, 0.5, 2.0])
def test_alt_text_and_readouts_restate_speed_times_interval(speed):
    scene = cr.compute(speed, "re-plans")
    dp = 100 * speed * 0.8
    act_on, act_off = 100 * speed * 0.02, 100 * speed * 2.0
    alt = scene["alt"]
    for value in (dp, act_on, act_off):
        shown = f"{value:.1f}" if value < 10 else f"{value:.0f}"
        shown = f"{value:.2g}" if value < 1 else shown
        assert f"({shown} cm)" in alt, (shown, alt)
    readouts = {r["label"]: r["text"] for r in scene["readouts"]}
    assert readouts["Diffusion Policy"].endswith("per re-plan (800 ms)")
    assert readouts["ACT"] == f"{cr._cm((act_on / 100,) * 2)} with ensembling, " \
                              f"{cr._cm((act_off / 100,) * 2)} without"
