"""The data behind the timeline and the control-rate chart match the checked facts."""

from pathlib import Path
import re

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
    "π0.5": (2025, 4), "SmolVLA": (2025, 6), "Real-Time Chunking": (2025, 6),
    "Gemini Robotics 1.5": (2025, 10), "π*0.6 (RECAP)": (2025, 11), "π0.7": (2026, 4),
    # facts.md's sections on data after OXE, open weights and video pre-training
    "UMI": (2024, 2), "DROID": (2024, 3), "LAPA": (2024, 10), "openpi": (2025, 2),
    "AgiBot World": (2025, 3), "V-JEPA 2": (2025, 6), "Gemini Robotics On-Device": (2025, 6),
}
SOURCES = {  # each milestone's source, as the brief and facts.md give it
    "SayCan": "arXiv 2204.01691", "Gato": "arXiv 2205.06175", "RT-1": "arXiv 2212.06817",
    "PaLM-E": "arXiv 2303.03378", "Diffusion Policy": "arXiv 2303.04137",
    "ACT / ALOHA": "arXiv 2304.13705", "RT-2": "arXiv 2307.15818",
    "Open X-Embodiment": "arXiv 2310.08864", "Octo": "arXiv 2405.12213",
    "LeRobot": "Hugging Face release", "OpenVLA": "arXiv 2406.09246", "π0": "arXiv 2410.24164",
    "FAST": "arXiv 2501.09747", "Helix": "Figure AI blog, Feb 2025",
    "OpenVLA-OFT": "arXiv 2502.19645", "Gemini Robotics": "arXiv 2503.20020",
    "GR00T N1": "arXiv 2503.14734", "π0.5": "arXiv 2504.16054", "SmolVLA": "arXiv 2506.01844",
    "Real-Time Chunking": "arXiv 2506.07339", "Gemini Robotics 1.5": "arXiv 2510.03342",
    "π*0.6 (RECAP)": "arXiv 2511.14759", "π0.7": "arXiv 2604.15483",
    "UMI": "arXiv 2402.10329", "DROID": "arXiv 2403.12945", "LAPA": "arXiv 2410.11758",
    "openpi": "github.com/Physical-Intelligence/openpi", "AgiBot World": "arXiv 2503.06669",
    "V-JEPA 2": "arXiv 2506.09985",
    "Gemini Robotics On-Device": "Google DeepMind, 24 Jun 2025; safari-sdk on PyPI",
}
NO_PAPER = ("Helix", "LeRobot", "openpi", "Gemini Robotics On-Device")  # a release, not a paper
# ../shared, beside the checkout
FACTS_SHEET = Path(__file__).resolve().parents[4] / "shared" / "facts.md"
ALIASES = {"ACT and ALOHA": "ACT / ALOHA", "Open X-Embodiment and RT-X": "Open X-Embodiment",
           "π*0.6 with RECAP": "π*0.6 (RECAP)"}  # the facts sheet's name -> the figure's
MONTH = {m: i for i, m in enumerate(tl.MONTHS, start=1)}


def at_milestone(number, lane):
    """The timeline with its ``number``-th milestone (from 1, in time order) highlighted."""
    return tl.compute(tl.OPTIONS[number - 1], lane)


def facts_timeline(text):
    """(year, month, name) for every milestone in the facts sheet's timeline table."""
    table = text.split("## Timeline", 1)[1].split("\n\n", 1)[0]
    out = []
    for row in table.splitlines():
        cells = [c.strip() for c in row.strip("|").split("|")]
        if len(cells) != 2 or not re.fullmatch(r"[A-Z][a-z]{2} \d{4}", cells[0]):
            continue
        month, year = cells[0].split()
        depth, part, parts = 0, "", []
        for c in cells[1] + ";":  # split at semicolons outside parentheses
            depth += (c == "(") - (c == ")")
            if c == ";" and depth == 0:
                parts.append(part)
                part = ""
            else:
                part += c
        for part in parts:
            name = re.sub(r"\([^)]*\)", "", part.split(":")[0]).strip()
            out.append((int(year), MONTH[month], ALIASES.get(name, name)))
    return out


LATER_SECTIONS = ("### Robot data after Open X-Embodiment", "### Open weights and on-device",
                  "### Video and world-model pre-training")


def facts_later_entries(text):
    """(year, month, name) for every bold-named entry of the facts sheet's sections on data after
    OXE, open weights and video pre-training: the month its arXiv id (YYMM.NNNNN) encodes, or else
    the release date its first line states ("3 Feb 2025")."""
    out = []
    for heading in LATER_SECTIONS:
        section = text.split(heading, 1)[1].split("\n#", 1)[0]
        for name, first_line in re.findall(r"^- \*\*(.+?)\*\*(.*)$", section, re.M):
            arxiv = re.search(r"\((\d{2})(\d{2})\.\d{5}", first_line)
            if arxiv:
                out.append((2000 + int(arxiv[1]), int(arxiv[2]), name))
                continue
            day = re.search(r"\b\d{1,2} ([A-Z][a-z]{2}) (\d{4})\b", first_line)
            assert day, f"{name}: the facts sheet gives neither an arXiv id nor a date"
            out.append((int(day[2]), MONTH[day[1]], name))
    return out


def test_every_milestone_is_at_the_month_the_facts_give():
    assert {m[2]: (m[0], m[1]) for m in tl.MILESTONES} == FACTS
    assert len(tl.MILESTONES) == len(FACTS) == 30


@pytest.mark.skipif(not FACTS_SHEET.exists(), reason="the facts sheet is not on this machine")
def test_the_list_matches_the_facts_sheets_timeline_table_and_later_sections_month_and_name():
    text = FACTS_SHEET.read_text()
    table, later = facts_timeline(text), facts_later_entries(text)
    assert len(later) == 8  # DROID, AgiBot World, UMI, GR00T N1, openpi, On-Device, LAPA, V-JEPA 2
    # GR00T N1 is in both, at the same month; every other entry is in one of them
    assert set(table) & set(later) == {(2025, 3, "GR00T N1")}
    assert sorted(set(table) | set(later)) == sorted(m[:3] for m in tl.MILESTONES)


def test_every_milestone_carries_its_source():
    assert {m[2]: m[5] for m in tl.MILESTONES} == SOURCES
    for m in tl.MILESTONES:
        assert re.fullmatch(r"arXiv \d{4}\.\d{5}", m[5]) or m[2] in NO_PAPER, m[2]
        assert m[5] in " ".join(tl.__doc__.split()), m[2]


def test_pi0_7_has_no_model_size_printed():
    pi07 = next(m for m in tl.MILESTONES if m[2] == "π0.7")
    assert not re.search(r"\d\s*(B|M)\b|parameters|billion", pi07[3])
    for lane in ("all", "VLAs"):
        scene = at_milestone(tl.MILESTONES.index(pi07) + 1, lane)
        assert not re.search(r"\d\s*(B|M)\b|parameters|billion",
                             scene["alt"] + " ".join(r["text"] for r in scene["readouts"]))


def test_openvla_ofts_numbers_each_name_their_configuration():
    """facts.md: 97.1% on LIBERO uses a wrist camera and proprioception; the 26× (109.7 actions
    per second) is the single-image setup. The review found the milestone printing both bare."""
    oft = next(m for m in tl.MILESTONES if m[2] == "OpenVLA-OFT")
    scene = at_milestone(tl.MILESTONES.index(oft) + 1, "all")
    said = scene["alt"] + " ".join(r["text"] for r in scene["readouts"])
    assert "26× action throughput (single image)" in said
    assert "76.5% → 97.1% (with wrist camera and proprioception)" in said


def test_the_control_names_each_milestone_and_its_month_in_time_order():
    """The eighth graphics desk: the "Milestone" slider's output read "7", a position in a list
    of 30, and the name (RT-2) was only in the prose below. The engine's sliders show only
    numbers, so the control is a menu whose options name each milestone and its month, in time
    order; the option shown is the one drawn in red."""
    times = [tl.when(m) for m in tl.MILESTONES]
    assert times == sorted(times)
    control = next(p for p in tl.PARAMS if p.name == "highlight")
    assert control.kind == "choice" and control.label == "Milestone"
    assert list(control.choices) == [f"{m[2]}, {tl.date(m)}" for m in tl.MILESTONES]
    assert control.default == "RT-2, Jul 2023"
    assert f">{control.default}</option>" in control.control_html("c", control.default)
    for option, m in zip(control.choices, tl.MILESTONES, strict=True):
        scene = tl.compute(option, "all")
        assert [t["s"] for p in scene["panels"] for t in p["marks"]
                if t["kind"] == "text" and t["color"] == "red"] == [m[2]]
        assert scene["values"]["name"] == m[2] and scene["values"]["when"] == tl.date(m)


def labels(scene):
    """(panel, text mark) for every milestone label (not a lane's name)."""
    return [(p, m) for p, panel in enumerate(scene["panels"]) for m in panel["marks"]
            if m["kind"] == "text" and m["s"] not in tl.LANES]


def test_every_setting_gives_one_short_readout_of_the_same_label():
    """The desk saw the readout 'what it did' wrap to more lines at milestones 1 and 30: the
    readout is the lane (at most 20 letters, one line in a phone's column; the name and month
    are the menu's option, whose width is its longest option's whichever is chosen)."""
    for highlight in range(1, len(tl.MILESTONES) + 1):
        for lane in ("all", *tl.LANES):
            readouts = at_milestone(highlight, lane)["readouts"]
            assert [r["label"] for r in readouts] == ["its lane"]
            assert max(len(r["text"]) for r in readouts) <= 20


def plan_names(panel):
    return {m["s"] for m in panel["marks"] if m["kind"] == "text" and m["s"] not in tl.LANES}


def lanes_in(panel):
    """The lanes with a milestone in a panel's months, in order: the lanes it draws."""
    lo, hi = panel["x"]["lim"]
    return [name for k, name in enumerate(tl.LANES)
            if any(r[4] == k and lo <= tl.when(r) < hi for r in tl.MILESTONES)]


def test_marking_a_lane_keeps_every_lane_and_the_panels_height():
    """The desk saw a lane shown alone draw short panels (868 → 476 px): every lane (of those a
    panel has milestones in) and every milestone stay, the chosen lane's band is blue, the other
    lanes' dots grey."""
    full = at_milestone(1, "all")
    everything = sorted(m["s"] for _, m in labels(full))
    assert everything == sorted(m[2] for m in tl.MILESTONES)
    for lane in tl.LANES:
        in_lane = [m for m in tl.MILESTONES if tl.LANES[m[4]] == lane]
        scene = at_milestone(1, lane)
        assert [p["size"] for p in scene["panels"]] == [p["size"] for p in full["panels"]]
        assert [p["y"]["lim"] for p in scene["panels"]] == [p["y"]["lim"] for p in full["panels"]]
        assert scene["alt"].startswith(
            f"{len(tl.MILESTONES)} milestones from {tl.date(tl.MILESTONES[0])} to "
            f"{tl.date(tl.MILESTONES[-1])}, {len(in_lane)} of them in the marked {lane} lane")
        assert sorted(m["s"] for _, m in labels(scene)) == everything
        for panel in scene["panels"]:
            blue = [m for m in panel["marks"] if m["kind"] == "hband" and m["color"] == "blue"]
            assert len(blue) == (lane in lanes_in(panel))
            names = [m for m in panel["marks"] if m["kind"] == "text" and m["s"] in tl.LANES]
            assert [m["s"] for m in names] == lanes_in(panel)
            assert all(m["color"] == "ink" and m["bold"] for m in names)  # never grey on a tint
            grey = [x for m in panel["marks"] if m["kind"] == "points" and m["color"] == "gray"
                    for x in m["x"]]
            others = [tl.when(m) for m in tl.MILESTONES if tl.LANES[m[4]] != lane
                      and m is not tl.MILESTONES[0] and m[2] in plan_names(panel)]
            assert sorted(grey) == sorted(others)


@pytest.mark.parametrize("lane", ["all", *tl.LANES])
@pytest.mark.parametrize("highlight", [1, 7, 11, 14, 20, 23, 27, 30])
def test_alt_text_and_readouts_are_computed_from_the_highlighted_record(highlight, lane):
    year, month, name, did, k, source = tl.MILESTONES[highlight - 1]
    when = f"{tl.MONTHS[month - 1]} {year}"
    scene = at_milestone(highlight, lane)
    visible = lane in ("all", tl.LANES[k])
    readouts = {r["label"]: r["text"] for r in scene["readouts"]}
    assert readouts == {"its lane": tl.LANES[k]}
    assert scene["values"] == {"name": name, "when": when, "lane": tl.LANES[k], "did": did,
                               "source": source}
    hidden = "" if visible else f" (in the {tl.LANES[k]} lane, not the marked one)"
    assert scene["alt"].endswith(f"; highlighted{hidden}: {name}, {when}: {did} "
                                 f"(source: {source}).")
    assert scene["alt"].startswith(f"{len(tl.MILESTONES)} milestones from "
                                   f"{tl.date(tl.MILESTONES[0])} to {tl.date(tl.MILESTONES[-1])}")
    red = [(p, m) for p, m in labels(scene) if m["color"] == "red"]
    [(p, label)] = red
    assert label["s"] == name and label["bold"]
    assert p == (0 if tl.when(tl.MILESTONES[highlight - 1]) < 27.5 else 1)  # to Mar 2024, then
    [dot] = [m for m in scene["panels"][p]["marks"] if m["kind"] == "points" and
             m["color"] == "red"]
    assert dot["x"][0] == (year - 2022) * 12 + month - 0.5  # months since the start of 2022
    assert dot["y"][0] == pytest.approx(label["y"])


def test_each_label_sits_beside_its_own_dot_and_the_layout_does_not_move():
    first = {m["s"]: (m["x"], m["y"]) for _, m in labels(at_milestone(1, "all"))}
    for highlight in range(1, len(tl.MILESTONES) + 1):
        for lane in ("all", *tl.LANES):
            scene = at_milestone(highlight, lane)
            for p, m in labels(scene):
                assert (m["x"], m["y"]) == pytest.approx(first[m["s"]])
                record = next(r for r in tl.MILESTONES if r[2] == m["s"])
                dots = [(x, y) for k in scene["panels"][p]["marks"] if k["kind"] == "points"
                        for x, y in zip(k["x"], k["y"], strict=True)]
                x = tl.when(record)
                assert (x, m["y"]) in dots
                assert m["x"] > x if m["anchor"] == "start" else m["x"] < x


def test_both_panels_draw_a_month_as_wide_and_are_titled_by_their_first_and_last_months():
    """2022-2024 beside 2025-2026 at one width drew the recent months twice as wide (the fifth
    graphics desk): now each panel spans as many months, on a phone too."""
    scene = at_milestone(7, "all")
    for layout in ("wide", "narrow"):
        per_month = []
        for p in scene["panels"]:
            q = {**p, **p["narrow"]} if layout == "narrow" else p
            plot = q["size"][0] * 72 - q["margin"]["left"] - q["margin"]["right"]
            per_month.append(plot / (q["x"]["lim"][1] - q["x"]["lim"][0]))
        assert per_month[0] == pytest.approx(per_month[1], rel=1e-6), layout
    shown = [[m for m in tl.MILESTONES if lo <= tl.when(m) <= hi]
             for lo, hi in (p["x"]["lim"] for p in scene["panels"])]
    assert sum(map(len, shown)) == len(tl.MILESTONES)  # each milestone in one panel
    assert [p["title"] for p in scene["panels"]] == [
        f"{tl.date(ms[0])} – {tl.date(ms[-1])}" for ms in shown]


def test_every_tick_names_its_year_and_stands_at_its_month():
    """The sixth desk: the ticks read "Jul 2022 · 2023 · Jul · 2024", a bare "Jul" with no
    year. Each tick names its year; a year alone stands at its January."""
    for panel in tl.compute(**{p.name: p.default for p in tl.PARAMS})["panels"]:
        for at, label in zip(panel["x"]["ticks"], panel["x"]["ticklabels"], strict=True):
            year = 2022 + int(at) // 12
            month = tl.MONTHS[int(at) % 12]
            assert label in (str(year) if month == "Jan" else "", f"{month} {year}"), label


def label_lines(m):
    """A label's lines as (text, row y): a two-line label is centred half a row below its dot,
    its lines a row apart."""
    lines = m["s"].split("\n")
    return [(line, m["y"] + (len(lines) - 1) / 2 - i) for i, line in enumerate(lines)]


@pytest.mark.parametrize("highlight", [1, 20, len(tl.MILESTONES)])
def test_on_a_phone_each_panel_is_packed_again_and_no_label_leaves_it(highlight):
    """The phone's panels (3.3 in) place every label again for their width: beside its own dot,
    inside the plot, apart from the others (the wide panels squeezed to 3.3 in ran labels past
    their lanes and out of the panel)."""
    scene = at_milestone(highlight, "all")
    for p in scene["panels"]:
        narrow = p["narrow"]
        assert narrow["size"][0] <= 3.3 and "marks" in narrow
        lo, hi = narrow["x"]["lim"]
        scale = (narrow["size"][0] * 72 - narrow["margin"]["left"]
                 - narrow["margin"]["right"]) / (hi - lo)
        boxes = []
        for m in narrow["marks"]:
            if m["kind"] != "text" or m["s"] in tl.LANES:
                continue
            for line, y in label_lines(m):
                width = tl.text_width(line, m["size"])
                left = (m["x"] - lo) * scale - (width if m["anchor"] == "end" else 0)
                assert 0 <= left and left + width <= (hi - lo) * scale, m["s"]
                boxes.append((line, round(y, 6), left, left + width))
        for i, (s, y, a0, a1) in enumerate(boxes):
            for t, z, b0, b1 in boxes[i + 1:]:
                assert y != z or a1 <= b0 or b1 <= a0, (s, t)


@pytest.mark.parametrize("highlight", [1, 27])
def test_on_a_phone_every_label_is_the_milestones_whole_name(highlight):
    """The eighth desk: on a phone "Real-Time Chunk." and "Gemini On-Device" were shortened with
    no key to the full names. A name too long for either side of its dot is broken over two
    rows instead: every label, its lines read as one, is a milestone's whole name, once."""
    scene = at_milestone(highlight, "all")
    names = sorted(m["s"].replace("\n", " ") for p in scene["panels"]
                   for m in p["narrow"]["marks"] if m["kind"] == "text" and m["s"] not in tl.LANES)
    assert names == sorted(m[2] for m in tl.MILESTONES)
    two = {m["s"] for p in scene["panels"] for m in p["narrow"]["marks"]
           if m["kind"] == "text" and "\n" in m["s"]}
    assert two == set(tl.TWO_LINES.values())  # only where one line fits neither side


@pytest.mark.parametrize("layout", ["wide", "narrow"])
def test_each_panels_lanes_are_as_tall_as_its_own_labels_need(layout):
    """The eighth desk: panel a's VLA lane was sized for panel b's ten VLAs and held one dot, so
    about 80% of its band was empty. In each panel every lane's lowest row holds a label (or, for
    a lane of one row, its name): no band has an empty row; and each panel is as tall as its rows,
    at one row height."""
    for p in at_milestone(7, "all")["panels"]:
        q = p["narrow"] if layout == "narrow" else p
        bands = [m for m in q["marks"] if m["kind"] == "hband"]
        texts = [(line, y) for m in q["marks"] if m["kind"] == "text"
                 for line, y in label_lines(m)]
        assert len(bands) == len(lanes_in(p))
        for lane, band in zip(lanes_in(p), bands, strict=True):
            bottom, top = band["y"]
            lowest = bottom + 0.5  # the band's last row
            inside = [y for _, y in texts if bottom < y < top]
            assert min(inside) == pytest.approx(lowest), (p["title"], lane)
        lo, hi = q["y"]["lim"]
        plot = q["size"][1] * 72 - q["margin"]["top"] - q["margin"]["bottom"]
        if layout == "narrow" or p["title"] == tallest(at_milestone(7, "all")["panels"]):
            assert plot / (hi - lo) == pytest.approx(tl.ROW)
        else:  # side by side, the shorter panel's rows are spaced out to the taller's height
            assert plot / (hi - lo) > tl.ROW


def tallest(panels):
    """The title of the panel with the most rows, drawn at ROW points a row."""
    return max(panels, key=lambda p: p["y"]["lim"][1] - p["y"]["lim"][0])["title"]


@pytest.mark.parametrize("highlight", [1, 7, 14, 27])
def test_side_by_side_neither_panel_floats_beside_the_other(highlight):
    """The tenth graphics desk: with the empty lanes dropped, (a) was 219 px tall beside a 325 px
    (b), a third of its row empty and its axis 106 px above b's. Side by side (the wide layout),
    the two panels' heights agree within 10% and their plots, where the bands and the axis are,
    too; (a)'s bands fill its plot from top to bottom. Stacked on a phone, each keeps its own."""
    a, b = at_milestone(highlight, "all")["panels"]
    assert min(a["size"][1], b["size"][1]) >= 0.9 * max(a["size"][1], b["size"][1])

    def plot(q):
        return q["size"][1] * 72 - q["margin"]["top"] - q["margin"]["bottom"]

    assert min(plot(a), plot(b)) >= 0.9 * max(plot(a), plot(b))
    for q in (a, b):
        lo, hi = q["y"]["lim"]
        bands = [m["y"] for m in q["marks"] if m["kind"] == "hband"]
        covered = max(t for _, t in bands) - min(b for b, _ in bands)
        assert covered >= 0.9 * (hi - lo), q["title"]


def test_panels_fit_the_page_and_a_phone():
    """Each lane's name on a row of its own (the ninth desk) adds a row a lane: (b) is 18 rows
    wide, 20 on a phone, at 10 pt a row."""
    for highlight in (1, len(tl.MILESTONES)):
        for p in at_milestone(highlight, "all")["panels"]:
            assert 2.3 <= p["size"][0] <= 4.8 and 1.8 <= p["size"][1] <= 3.5
            assert p["narrow"]["size"][0] <= 3.3 and p["narrow"]["size"][1] <= 3.8


def _label_boxes(highlight, lane="all"):
    """The built figure's milestone labels, lane names and dots as boxes in points, per panel."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.text import Text

    from visual_essay.figure import render_panels

    scene = at_milestone(highlight, lane)
    out = []
    for fig in render_panels(scene):
        FigureCanvasAgg(fig)
        renderer = fig.canvas.get_renderer()
        ax = fig.axes[0]
        to_pt = 72 / fig.dpi
        # the widget's own texts (labels and lane names), not the panel's ticks, titles or letter
        texts = [t for t in ax.texts if isinstance(t, Text) and t.get_gid() == "vw-text"]
        boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in texts]
        boxes = [(s, (b.x0 * to_pt, b.y0 * to_pt, b.x1 * to_pt, b.y1 * to_pt)) for s, b in boxes]
        frame = ax.get_window_extent(renderer)
        out.append((boxes, (frame.x0 * to_pt, frame.x1 * to_pt)))
    return out


@pytest.mark.parametrize("highlight", range(1, len(tl.MILESTONES) + 1))
def test_no_two_labels_overlap_in_the_built_figure_and_all_stay_inside(highlight):
    for boxes, (left, right) in _label_boxes(highlight):
        assert left - 0.5 <= min(b[0] for _, b in boxes)
        assert max(b[2] for _, b in boxes) <= right + 0.5
        for i, (s, a) in enumerate(boxes):
            for t, b in boxes[i + 1:]:
                apart = a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]
                assert apart, (s, t)


def test_the_width_estimate_is_no_smaller_than_the_bold_label_matplotlib_draws():
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    fig = Figure()
    FigureCanvasAgg(fig)
    renderer = fig.canvas.get_renderer()
    for s, size in [(m[2], tl.LABEL) for m in tl.MILESTONES] + [(n, tl.HEADER) for n in tl.LANES]:
        text = fig.text(0, 0, s, fontsize=size, fontweight="bold")
        width = text.get_window_extent(renderer).width * 72 / fig.dpi
        assert tl.text_width(s, size) >= width, (s, tl.text_width(s, size), width)
        assert tl.text_width(s, size) <= 1.35 * width, s  # generous, not wasteful


# ---- the ninth graphics desk: lane names among dots, empty lanes, labels between dots --------

def layout_rows(panel, layout):
    """A panel's texts and dots in one layout, by row (y): {y: [(kind, text, left, right)]} in
    points from the plot's left edge, kind "name" (a lane's), "label" (a milestone's, each line
    of a two-line one on its row) or "dot" (its left and right the dot's edge)."""
    q = panel["narrow"] if layout == "narrow" else panel
    lo, hi = q["x"]["lim"]
    scale = (q["size"][0] * 72 - q["margin"]["left"] - q["margin"]["right"]) / (hi - lo)
    rows = {}
    for m in q["marks"]:
        if m["kind"] == "text":
            kind = "name" if m["s"] in tl.LANES else "label"
            for line, y in label_lines(m):
                width = tl.text_width(line, m["size"])
                left = (m["x"] - lo) * scale - (width if m["anchor"] == "end" else 0)
                rows.setdefault(round(y, 6), []).append((kind, line, left, left + width))
        elif m["kind"] == "points":
            r = min(max(m["size"], 2.5), 4.5)  # the renderers' radius
            for x, y in zip(m["x"], m["y"], strict=True):
                at = (x - lo) * scale
                rows.setdefault(round(y, 6), []).append(("dot", "", at - r, at + r))
    return rows


@pytest.mark.parametrize("layout", ["wide", "narrow"])
@pytest.mark.parametrize("highlight", [1, 7, 14, 27])
def test_each_lane_name_has_a_row_of_its_own(highlight, layout):
    """The desk: lane names shared rows with milestones ("VLAs ● π0", "policies ... ● Real-Time
    Chunking"; "VLAs ● π0 ● Gemini Robotics" on a phone), so the bold name read as one more
    milestone. No dot or label stands in a lane name's row."""
    for panel in at_milestone(highlight, "all")["panels"]:
        for y, row in layout_rows(panel, layout).items():
            if any(kind == "name" for kind, *_ in row):
                assert [s for kind, s, *_ in row] == [row[0][1]], (panel["title"], y, row)


@pytest.mark.parametrize("layout", ["wide", "narrow"])
def test_a_lane_with_no_milestone_in_a_panel_is_left_out_of_it(layout):
    """The desk: (b)'s "language & planning" lane and (a)'s "video & world models" lane were empty
    but kept their rows. A panel draws the lanes with a milestone in its months, whatever the
    menus choose, each band holding dots, and its height never changes with the menus."""
    sizes = set()
    for highlight in (1, 7, 14, 27):
        for lane in ("all", *tl.LANES):
            scene = at_milestone(highlight, lane)
            sizes.add(tuple(tuple((p["narrow"] if layout == "narrow" else p)["size"])
                            for p in scene["panels"]))
            for panel in scene["panels"]:
                q = panel["narrow"] if layout == "narrow" else panel
                lo, hi = q["x"]["lim"]
                having = [name for k, name in enumerate(tl.LANES)
                          if any(r[4] == k and lo <= tl.when(r) < hi for r in tl.MILESTONES)]
                names = [m["s"] for m in q["marks"] if m["kind"] == "text" and m["s"] in tl.LANES]
                assert names == having, panel["title"]
                bands = [m["y"] for m in q["marks"] if m["kind"] == "hband"]
                dots = [y for m in q["marks"] if m["kind"] == "points" for y in m["y"]]
                assert len(bands) == len(having)
                assert all(any(b < y < t for y in dots) for b, t in bands), panel["title"]
    assert len(sizes) == 1, sizes


@pytest.mark.parametrize("layout", ["wide", "narrow"])
def test_every_label_is_plainly_nearer_its_own_dot_than_any_other_in_its_row(layout):
    """The desk: in (a)'s data lane "Open X-Embodiment ●", "UMI ●" and "DROID ●" packed a lane's
    bold name and labels left of their dots into two rows, "UMI" between two dots. In every row a
    label's text is at least twice as far from another milestone's dot as from its own."""
    for panel in at_milestone(7, "all")["panels"]:
        for row in layout_rows(panel, layout).values():
            dots = [(a, b) for kind, _, a, b in row if kind == "dot"]
            for kind, s, left, right in row:
                if kind != "label":
                    continue
                gaps = sorted(max(a - right, left - b) for a, b in dots)  # to each dot's edge
                if gaps and gaps[0] <= tl.GAP:  # its own dot (a second line has none)
                    gaps = gaps[1:]
                # from the text to any other dot's centre: at least twice its own dot's, GAP
                assert all(g + tl.DOT >= 2 * tl.GAP - 0.01 for g in gaps), (panel["title"], s,
                                                                            gaps)


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
    for name, (_, _chunk, executed, _) in RATES.items():
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
    assert scene["readouts"][0]["text"] == "25 cm per re-plan, 1.0 cm per action"


def test_act_with_ensembling_re_plans_every_20_ms_and_without_it_every_2_s():
    assert cr.replan_interval(cr.record("ACT, ensembling")) == pytest.approx((0.02, 0.02))
    assert cr.replan_interval(cr.record("ACT, no ensembling")) == pytest.approx((2.0, 2.0))
    assert "ACT every 20 ms with temporal ensembling" in cr.compute(1.0, "re-plans")["alt"]


def test_two_system_designs_show_both_loops_and_groot_s_unstated_one_as_a_range():
    helix, groot = cr.record("Helix"), cr.record("GR00T N1")
    assert cr.observation_interval(helix) == pytest.approx((1 / 200, 1 / 200))
    # GR00T N1: System 1 re-queried somewhere between every action and every 16-action chunk
    assert cr.observation_interval(groot) == pytest.approx((1 / 120, 16 / 120))
    rows = dict(zip(*row_names_and_values(cr.compute(0.5, "re-plans")), strict=True))
    assert rows["Helix: VLM"] == "5.6–7.1 cm" and rows["Helix: System 1"] == "0.25 cm"
    assert rows["GR00T N1: VLM"] == "5.0 cm" and rows["GR00T N1: System 1"] == "0.4–6.7 cm"


def panel_b(scene, layout):
    """Panel b as drawn beside panel a ("wide") or on a phone ("narrow")."""
    p = scene["panels"][1]
    return p["narrow"] if layout == "narrow" else p


def row_names_and_values(scene, layout="narrow"):
    """Panel b's row names, top to bottom, and the value beside each row's dot, read from the
    scene as drawn: on a phone its own y tick labels; beside panel a, panel a's, at the same
    heights."""
    p = panel_b(scene, layout)
    named = p if layout == "narrow" else scene["panels"][0]  # a's rows: the same heights
    names = dict(zip(named["y"]["ticks"], named["y"]["ticklabels"], strict=True))
    texts = sorted((m for m in p["marks"] if m["kind"] == "text"), key=lambda m: -m["y"])
    return [names[m["y"]] for m in texts], [m["s"] for m in texts]


def centimetres(text):
    numbers = [float(v) for v in re.findall(r"[\d.]+", text.split(" cm")[0])]
    return numbers[0], numbers[-1]


@pytest.mark.parametrize("layout", ["wide", "narrow"])
@pytest.mark.parametrize("speed", [0.05, 0.5, 1.35, 2.0])
@pytest.mark.parametrize("between", ["re-plans", "actions"])
def test_each_row_of_panel_b_is_named_and_its_dot_and_value_state_speed_times_the_interval(
        speed, between, layout):
    """The review: panel b's bars carried no system names. Each row is now named (two-system
    designs once per loop, whichever distance is shown: the fourth graphics desk saw two rows
    appear on switching), and its dots and its value are speed × its interval; a VLM, which
    sends no actions, says so in the actions view."""
    scene = cr.compute(speed, between)
    expect = {}
    for r in cr.RECORDS:
        if cr.two_system(r):
            expect[f"{r[0]}: VLM"] = None if between == "actions" else cr.replan_interval(r)
            expect[f"{r[0]}: System 1"] = (cr.action_interval(r) if between == "actions"
                                           else cr.observation_interval(r))
        else:
            expect[r[0]] = (cr.action_interval if between == "actions" else
                            cr.replan_interval)(r)
    names, values = row_names_and_values(scene, layout)
    assert names == list(expect)
    for name, value in zip(names, values, strict=True):
        assert (value == cr.NO_ACTIONS) == (expect[name] is None), name
    expect = {name: span for name, span in expect.items() if span is not None}
    values = [v for v in values if v != cr.NO_ACTIONS]
    p = panel_b(scene, layout)
    dots = {y: x for m in p["marks"] if m["kind"] == "points" for x, y in [(m["x"], m["y"][0])]}
    for (name, (lo, hi)), value, y in zip(expect.items(), values,
                                          sorted(dots, reverse=True), strict=True):
        shown = centimetres(value)
        assert shown[0] == pytest.approx(100 * speed * lo, rel=0.05, abs=0.006), name
        assert shown[1] == pytest.approx(100 * speed * hi, rel=0.05, abs=0.006), name
        drawn = [10 ** x for x in dots[y]]  # the axis is log10 of centimetres
        assert (drawn[0], drawn[-1]) == pytest.approx((100 * speed * lo, 100 * speed * hi),
                                                      rel=1e-4), name
        assert p["x"]["lim"][0] < dots[y][0] and dots[y][-1] < p["x"]["lim"][1]
    assert scene["alt"].startswith(f"At {speed:g} m/s")
    title = scene["panels"][1]["title"]
    assert title == f"moved between {between} at {speed:g} m/s"
    # named by its letter, as the caption names it (the ninth desk's helper: by its title)
    assert scene["alt"].endswith(f'Panel (b), "{title}", shows each system\'s distance between '
                                 f'{between}.')
    for word in ("left", "right", "top", "bottom"):  # panels stack on a phone: name them
        assert word not in scene["alt"].lower().split()


@pytest.mark.parametrize("between", ["re-plans", "actions"])
def test_both_panels_have_the_same_rows_at_the_same_heights(between):
    """Side by side, a system reads across: panel a had 12 rows beside panel b's 14 (the fifth
    graphics desk); now both split a two-system design into its VLM and System 1, and their
    plots start at one height, as tall."""
    a, b = cr.compute(0.5, between)["panels"]
    assert len(a["y"]["ticks"]) == 14 and b["narrow"]["y"]["ticks"] == a["y"]["ticks"]
    assert a["y"]["lim"] == b["y"]["lim"] == b["narrow"]["y"]["lim"]
    assert a["margin"]["top"] == b["margin"]["top"] and a["size"][1] == b["size"][1]
    assert a["margin"]["bottom"] == b["margin"]["bottom"]
    assert b["narrow"]["y"]["ticklabels"] == a["y"]["ticklabels"]  # stacked, b names its own


@pytest.mark.parametrize("between", ["re-plans", "actions"])
def test_side_by_side_the_row_names_are_printed_once_and_stacked_each_panel_has_them(between):
    """The eighth graphics desk: at 1280 px both panels printed the same 14 system names, about
    260 px of repeated text, and each plot was squeezed to about 160 px. Beside panel a, panel b
    names no row (a's names, at the same heights, serve both) and its plot takes the room; on a
    phone, where the panels stack, panel b is drawn again with its own names."""
    from visual_essay.scene import NARROW_WIDTH
    a, b = cr.compute(0.5, between)["panels"]
    names = a["y"]["ticklabels"]
    assert len(set(names)) == 14 and all(names)
    assert b["y"]["ticklabels"] == [] and b["y"]["ticks"] == []  # wide: no names
    assert b["narrow"]["y"]["ticklabels"] == names  # phone: its own
    assert a["narrow"] is None and a["size"][0] <= NARROW_WIDTH  # a is the same everywhere
    assert b["narrow"]["size"][0] <= NARROW_WIDTH < b["size"][0]

    def plot(p):
        return p["size"][0] * 72 - p["margin"]["left"] - p["margin"]["right"]

    # beside a, b's plot is wider than a's by more than the names it no longer prints
    assert plot(b) >= plot(a) + 60 and b["margin"]["left"] <= 50
    # and the two panels together are no wider than two panels of a phone's width, plus 0.1 in,
    # so they sit side by side at any width they did before
    assert a["size"][0] + b["size"][0] <= 2 * NARROW_WIDTH + 0.1 + 1e-9


def extent(m):
    """How far a points mark reaches above and below its centre, in points."""
    from visual_essay.scene import SHAPES
    shape = SHAPES[m["shape"]]
    reach = max(abs(y) for _, y in shape) if shape else 1.0
    return reach * m["size"]


@pytest.mark.parametrize("between", ["re-plans", "actions"])
def test_panel_as_bars_and_dots_stand_apart_within_a_row_and_further_from_the_next(between):
    """The eighth graphics desk: in panel a bars and dots coincided on RT-2 55B, RT-1, RT-2 5B,
    OpenVLA and ACT with ensembling, the dot hiding the bar's end (4.5-pt bars and 3-pt dots
    3.8 pt apart). As laid out, every action bar and the re-plan (or observation) dots of its
    row are at least 1 pt apart, and further from the next row's marks than from each other."""
    p = cr.compute(0.5, between)["panels"][0]
    lo, hi = p["y"]["lim"]
    pitch = (p["size"][1] * 72 - p["margin"]["top"] - p["margin"]["bottom"]) / (hi - lo)
    bars = {round(m["y"][0]): m for m in p["marks"]
            if m["kind"] == "segments" and m["color"] == "blue"}
    dots = {}
    for m in (m for m in p["marks"] if m["kind"] == "points"):
        dots.setdefault(round(m["y"][0]), []).append(m)
    assert len(bars) == len(cr.RECORDS)
    for row, bar in bars.items():
        below = [d for d in dots[row] if d["y"][0] < bar["y"][0]]
        assert below, row  # a bar's own dots sit below it
        for d in below:
            within = (bar["y"][0] - d["y"][0]) * pitch - bar["width"] / 2 - extent(d)
            assert within >= 1.0, (p["y"]["ticklabels"][row], within)
            for nb in (bars.get(row - 1),):  # the bar of the row below, just under this dot
                if nb is not None:
                    across = (d["y"][0] - nb["y"][0]) * pitch - nb["width"] / 2 - extent(d)
                    assert across > within + 1.0, (p["y"]["ticklabels"][row], within, across)


def test_switching_the_distance_keeps_panel_bs_rows():
    """The fourth graphics desk: panel b had 14 rows for re-plans and 12 for actions, so the
    figure grew and its row names moved on a switch. The rows are the same for both."""
    rows = [[n for n, *_ in cr.distance_rows(0.5, between)] for between in ("re-plans", "actions")]
    assert rows[0] == rows[1] and len(rows[0]) == len(cr.RECORDS) + 2


@pytest.mark.parametrize("between", ["re-plans", "actions"])
def test_panel_bs_dots_move_with_the_speed_on_a_fixed_axis(between):
    """The review: the bars kept the same lengths at every speed (the axis followed the data,
    only its numbers changed). The axis is fixed now: four times the speed, every dot moves
    log10(4) to the right."""
    slow, fast = (cr.compute(speed, between)["panels"][1] for speed in (0.5, 2.0))
    assert slow["x"]["lim"] == fast["x"]["lim"] and slow["x"]["ticks"] == fast["x"]["ticks"]
    xs = [[x for m in p["marks"] if m["kind"] == "points" for x in m["x"]] for p in (slow, fast)]
    assert np.allclose(np.array(xs[1]) - np.array(xs[0]), np.log10(4), atol=1e-4)


@pytest.mark.parametrize("layout_name", ["wide", "narrow"])
@pytest.mark.parametrize("between", ["re-plans", "actions"])
def test_panel_bs_values_stay_inside_the_plot_at_every_speed(between, layout_name):
    """Each value sits beside its dot on the side where it fits (the widget's estimate of the
    text's width, Helvetica's metrics, as the layout's), at every speed of the slider's grid,
    beside panel a and on a phone."""
    from visual_essay import layout
    for speed in np.round(np.arange(0.05, 2.0001, 0.05), 2):
        p = panel_b(cr.compute(float(speed), between), layout_name)
        lo, hi = p["x"]["lim"]
        per_point = (hi - lo) / (p["size"][0] * 72 - p["margin"]["left"] - p["margin"]["right"])
        for m in (m for m in p["marks"] if m["kind"] == "text"):
            width = layout.text_width(m["s"], m["size"]) * per_point
            start = m["x"] if m["anchor"] == "start" else m["x"] - width
            assert lo <= start and start + width <= hi, (speed, m["s"])


def test_the_rate_panel_tells_re_plans_from_actions_by_mark_not_only_colour():
    """The review: 'an action' and 'a VLM re-plan' differed only by colour (blue and purple
    merge for deuteranopia). Actions are bars, re-plans dots."""
    marks = cr.compute(0.5, "re-plans")["panels"][0]["marks"]
    kind = {m["label"]: m["kind"] for m in marks if m.get("label")}
    assert kind == {"an action": "segments", "a re-plan": "points",
                    "System 1 observes": "points", "a VLM re-plan": "points"}


@pytest.mark.parametrize("speed", [0.05, 0.5, 2.0])
@pytest.mark.parametrize("between", ["re-plans", "actions"])
def test_panel_bs_series_differ_by_marker_shape_not_only_colour_and_match_panel_as_key(
        speed, between):
    """The graphics desk: in panel b a policy's re-plans (crimson) and System 1's observations
    (orange) were both circles, told apart by colour alone. Each colour of dot in panel b now
    has its own shape, the shape panel a's key gives its series, so it survives greyscale."""
    a, b = cr.compute(speed, between)["panels"]
    shapes = {}
    for m in (m for m in b["marks"] if m["kind"] == "points"):
        shapes.setdefault(m["color"], set()).add(m["shape"])
    assert all(len(s) == 1 for s in shapes.values()), shapes
    assert len({min(s) for s in shapes.values()}) == len(shapes), shapes  # one shape per colour
    key = {m["color"]: m["shape"] for m in a["marks"] if m.get("label") and
           m["kind"] == "points"}
    assert {m["color"]: m["shape"] for m in b["marks"] if m["kind"] == "points"
            and m["color"] in key} == {c: key[c] for c in shapes if c in key}
    if between == "re-plans":
        assert {"red", "orange", "purple"} <= set(key) and set(shapes) == {"red", "orange",
                                                                            "purple"}


def test_panel_as_action_bars_are_at_least_an_axis_tick_long():
    """The graphics desk: an action at a single rate was a stub 0.04 decades long, under 2 pt
    (1-2 px), too small to read. Every action bar is now at least twice the engine's axis tick
    (3.5 pt) long as laid out, and centred on its rate(s)."""
    from visual_essay import layout
    for between in ("re-plans", "actions"):
        p = cr.compute(0.5, between)["panels"][0]
        lo, hi = p["x"]["lim"]
        per_point = (hi - lo) / (p["size"][0] * 72 - p["margin"]["left"] - p["margin"]["right"])
        bars = [m for m in p["marks"] if m["kind"] == "segments" and m["color"] == "blue"]
        assert len(bars) == len(cr.RECORDS)
        lengths = {r[0]: (m["x"][1] - m["x"][0]) / per_point
                   for m, r in zip(bars, cr.RECORDS, strict=True)}
        assert min(lengths.values()) >= 2 * layout.TICK - 1e-3, lengths
        for m, r in zip(bars, cr.RECORDS, strict=True):
            rates = np.log10(1 / np.array(cr.action_interval(r)))
            assert (m["x"][0] + m["x"][1]) / 2 == pytest.approx(rates.mean(), abs=1e-5), r[0]
            assert m["x"][0] <= rates.min() + 1e-6 and rates.max() - 1e-6 <= m["x"][1]


def test_the_caption_names_the_panels_by_letter():
    from . import chapter
    caption = chapter.caption("control_rates", "frontier.md")
    assert caption.startswith("(a) ") and " (b) " in caption
    assert not re.search(r"\b(left|right|top|bottom)\b", caption)


@pytest.mark.parametrize("speed", [0.05, 0.5, 2.0])
def test_the_alt_text_says_gr00t_n1s_observation_interval_is_a_range_by_assumption(speed):
    """The review: the bar "System 1 0.4–6.7 cm" assumed System 1 observes between every action
    and every 16-action chunk, which the paper leaves unstated; the alt text now says so."""
    gr00t = cr.record("GR00T N1")
    assert cr.observation_interval(gr00t) == (1 / 120, 16 / 120)
    alt = cr.compute(speed, "re-plans")["alt"]
    low, high = (cr._cm((speed * t,) * 2) for t in (1 / 120, 16 / 120))
    assert (f"GR00T N1's System 1 is drawn as a range, from a new observation before every action "
            f"({low}) to one per 16-action chunk ({high}), since how many of a chunk's actions run "
            f"before it observes again is not stated.") in alt


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


def said_length(metres):
    """A distance as the chapter's sentences say it: cm (one decimal below 10) or m."""
    if metres >= 0.995:
        return f"{metres:.3g} m"
    cm = 100 * metres
    return f"{cm:.2g} cm" if cm < 1 else f"{cm:.1f} cm" if cm < 10 else f"{cm:.0f} cm"


@pytest.mark.parametrize("speed", [0.05, 0.35, 0.5, 1.0, 2.0])
@pytest.mark.parametrize("between", ["re-plans", "actions"])
def test_the_values_the_frontier_quotes_are_speed_times_the_facts_intervals(speed, between):
    from visual_essay.registry import compute
    from widgets import WIDGETS
    values = compute("control_rates", {"speed": speed, "between": between}, WIDGETS)["values"]

    def interval(name):
        return RATES[name][2] / RATES[name][0][1]  # executed ÷ action rate

    assert values == {
        "pi0_action": said_length(speed / 50), "pi0_replan": said_length(speed * 0.5),
        "dp_replan": said_length(speed * interval("Diffusion Policy")),
        "act_off": said_length(speed * interval("ACT, no ensembling")),
        "act_on": said_length(speed * interval("ACT, ensembling"))}


def test_the_frontier_quotes_the_figure_and_lets_the_reader_set_the_speed():
    from . import chapter
    page = "frontier.md"
    assert chapter.placed("control_rates", page)["speed"] == 0.5
    source = chapter.prose(page)
    assert ("At {=control_rates.speed}, π0's hand moves {=control_rates.pi0_action} between "
            "actions but {=control_rates.pi0_replan} between two looks at the world; Diffusion "
            "Policy's {=control_rates.dp_replan}; ACT's {=control_rates.act_off} without "
            "ensembling and {=control_rates.act_on} with it") in source
    assert "for π0 at {=control_rates.speed}, {=control_rates.pi0_replan} travelled" in source
    text = chapter.rendered(page)
    assert ("At 0.5 m/s, π0's hand moves 1.0 cm between actions but 25 cm between two looks at the "
            "world; Diffusion Policy's 40 cm; ACT's 1 m without ensembling and 1.0 cm with it") \
        in text
    assert "for π0 at 0.5 m/s, 25 cm travelled between two looks at the world" in text


def test_every_timeline_text_is_at_least_the_smallest_size_a_scene_allows():
    """The review: labels at 7-8 px. Every label and lane name is 8 pt (10.7 px) or more, and
    the labels are packed at the size they are drawn."""
    from visual_essay.layout import MIN_TEXT
    assert tl.LABEL >= MIN_TEXT and tl.HEADER >= MIN_TEXT
    for p in at_milestone(7, "all")["panels"]:
        assert min(m["size"] for m in p["marks"] if m["kind"] == "text") >= MIN_TEXT


def test_panel_b_titles_one_line_beside_panel_as_at_every_speed():
    """The desk (1280): (b)'s title wrapped to two lines ("moved between re-plans / at 0.5
    m/s") where (a)'s took one, so the plots' tops lined up only by (a)'s key. Side by side
    both titles are one line, at every speed and either distance."""
    for between in ("re-plans", "actions"):
        for speed in np.round(np.arange(0.05, 2.0001, 0.05), 2):
            a, b = cr.compute(float(speed), between)["panels"]
            assert len(a["titles"]) == len(b["titles"]) == 1, (speed, between, b["titles"])


def test_panel_bs_axis_fits_the_distances_the_speed_slider_reaches():
    """The desk (1280): (b)'s log axis ran to about 20 m while no distance passes 4 m at any
    speed (its right quarter empty). Beside panel a, the axis reaches past the shortest and the
    longest distance the slider can show by no more than a dot's width and air (8 points)."""
    dots = [x for between in ("re-plans", "actions") for speed in (0.05, 2.0)
            for m in panel_b(cr.compute(speed, between), "wide")["marks"]
            if m["kind"] == "points" for x in m["x"]]
    p = panel_b(cr.compute(0.5, "re-plans"), "wide")
    lo, hi = p["x"]["lim"]
    points = (p["size"][0] * 72 - p["margin"]["left"] - p["margin"]["right"]) / (hi - lo)
    assert lo < min(dots) and max(dots) < hi
    assert (min(dots) - lo) * points <= 8 and (hi - max(dots)) * points <= 8
