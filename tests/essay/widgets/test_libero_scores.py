"""Where LIBERO's reported scores sit: the scores are facts.md's table, each interval is the Wilson
interval of its episodes (checked against the interval's definition and scipy), the rerun
probability is the exact binomial one, and the figure and the chapter state what it computes."""

from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
import re

import numpy as np
import pytest
from scipy import stats
import yaml

from widgets import libero_scores as ls

DOC = Path(__file__).resolve().parents[3] / "docs" / "evaluation.md"
# ../shared, beside the checkout
FACTS_SHEET = Path(__file__).resolve().parents[4] / "shared" / "facts.md"
Z = stats.norm.ppf(0.975)
COLUMNS = ls.SUITES + (ls.AVERAGE,)


def facts_table(text):
    """model -> the five numbers of facts.md's LIBERO table (Spatial, Object, Goal, Long, Avg)."""
    section = text.split("### LIBERO (2306.03310)", 1)[1].split("###", 1)[0]
    rows = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 7 and re.fullmatch(r"[\d.]+", cells[1]):
            rows[cells[0].replace(" (30k steps)", "")] = tuple(float(c) for c in cells[1:6])
    return rows


def wilson_by_definition(share, n):
    """The rates p whose standard error puts the observed share within z of p: the two roots of
    (share − p)² = z² p (1 − p) / n, solved as a quadratic in p (not the closed form)."""
    a = 1 + Z * Z / n
    roots = np.roots([a, -(2 * share + Z * Z / n), share * share])
    return tuple(sorted(float(r.real) for r in roots))


def pct(x):
    s = f"{100 * x:.1f}"
    return s[:-2] if s in ("0.0", "100.0") else s


def shown(score):
    """A reported score as printed: one decimal, rounded half up as written (96.85 -> 96.9)."""
    return f"{Decimal(str(score)).quantize(Decimal('0.1'), ROUND_HALF_UP)}"


def rerun(n, first, second):
    """P(a run of n episodes puts the first ahead of the second), from scipy's binomials."""
    k = np.arange(n + 1)
    table = np.outer(stats.binom.pmf(k, n, first), stats.binom.pmf(k, n, second))
    return table[k[:, None] > k[None, :]].sum(), np.trace(table)


def test_the_reported_scores_are_facts_md_s_table():
    table = facts_table(FACTS_SHEET.read_text())
    assert {m: v[0] for m, v in ls.REPORTED.items()} == table


def test_each_average_is_the_mean_of_the_four_suites():
    for model, (scores, _, _) in ls.REPORTED.items():
        assert scores[4] == pytest.approx(np.mean(scores[:4]), abs=0.05 + 1e-9), model  # to 0.1


def test_every_model_says_how_its_score_was_obtained_and_cites_it():
    notes = {m: v[1] for m, v in ls.REPORTED.items()}
    assert "wrist" in notes["OpenVLA-OFT"] and "filtered" in notes["OpenVLA-OFT"]
    assert "untuned" in notes["π0"] and "untuned" in notes["π0-FAST"]
    assert "3 seeds" in notes["OpenVLA"]
    for model, (_, _, source) in ls.REPORTED.items():
        assert re.search(r"arXiv \d{4}\.\d{5}|README", source), model


@pytest.mark.parametrize("suite", COLUMNS)
def test_each_interval_is_the_wilson_interval_of_the_episodes_behind_it(suite):
    n = 2000 if suite == ls.AVERAGE else 500
    assert ls.episodes(suite) == n
    for model, (score, low, high) in ls.intervals(suite).items():
        want = wilson_by_definition(score / 100, n)
        assert (low / 100, high / 100) == pytest.approx(want, abs=1e-10), model
        k = score / 100 * n
        if float(k).is_integer():  # a whole count: scipy's Wilson interval too
            ci = stats.binomtest(int(round(k)), n).proportion_ci(method="wilson")
            assert (low / 100, high / 100) == pytest.approx((ci.low, ci.high), abs=1e-10)


@pytest.mark.parametrize("suite", COLUMNS)
def test_the_rerun_probability_is_the_exact_binomial_one(suite):
    n = ls.episodes(suite)
    first, second = (ls.score(m, suite) / 100 for m in ls.SAME_PROTOCOL)
    assert ls.rerun_order(suite) == pytest.approx(rerun(n, first, second), abs=1e-10)


def expected_overlaps(suite):
    iv = {m: wilson_by_definition(ls.score(m, suite) / 100, ls.episodes(suite)) for m in ls.MODELS}
    top = max(ls.MODELS, key=lambda m: ls.score(m, suite))
    return top, [m for m in ls.MODELS if m != top and iv[m][1] >= iv[top][0]]


@pytest.mark.parametrize("suite", COLUMNS)
def test_the_alt_text_and_readouts_state_this_suites_numbers(suite):
    scene = ls.compute(suite)
    alt, n = scene["alt"], ls.episodes(suite)
    readouts = {r["label"]: r["text"] for r in scene["readouts"]}
    for model in ls.MODELS:
        score = ls.score(model, suite)
        low, high = wilson_by_definition(score / 100, n)
        text = f"{shown(score)}% ({pct(low)}–{pct(high)}%)"
        assert f"{model} {text}" in alt
        assert readouts[model] == text
    top, near = expected_overlaps(suite)
    verb = "overlaps" if len(near) == 1 else "overlap"
    assert (
        f"{len(near)} of the other 4 intervals {verb} the interval of the highest score ({top})"
    ) in alt
    assert readouts["intervals overlapping the highest"] == f"{len(near)} of 4"
    first, second = (ls.score(m, suite) / 100 for m in ls.SAME_PROTOCOL)
    p_ahead, p_tie = rerun(n, first, second)
    p_text = "above 0.99" if p_ahead >= 0.995 else f"{p_ahead:.2f}"
    assert f"would put π0 ahead with probability {p_text}" in alt
    assert readouts["a rerun puts π0 ahead of π0-FAST"] == p_text
    assert "protocols differ" in alt and "not a ranking" in alt
    assert f"OpenVLA's score is the mean of 3 runs, drawn as one run of {n:,} episodes." in alt
    assert ls.REPORTED["OpenVLA"][1] == "mean of 3 seeds"


def test_the_caption_says_at_how_many_episodes_the_intervals_are_drawn():
    """The review: "the 95% interval of the episodes behind it" is not what is drawn for OpenVLA,
    whose mean rests on 3 × 500 episodes but is drawn at 500, like every other suite score."""
    fence = re.search(r"```widget\n(name: libero_scores\n.*?)```", DOC.read_text(), re.S).group(1)
    caption = yaml.safe_load(fence)["caption"]
    assert ls.episodes("Spatial") == 500 and ls.episodes(ls.AVERAGE) == 2000
    assert "Wilson 95% interval at 500 episodes per suite (2,000 for the average)" in caption
    assert "OpenVLA's score, a mean of 3 × 500 episodes, is drawn at 500 too" in caption
    assert "of the episodes behind it" not in caption


def test_the_figure_names_every_model_with_how_it_was_run():
    panel, _ = ls.compute("Long")["panels"]
    texts = {m["s"] for m in panel["marks"] if m["kind"] == "text"}
    for model, (_, note, _) in ls.REPORTED.items():
        assert f"{model} ({note})" in texts


def placed_suite():
    from . import chapter

    return chapter.placed("libero_scores", "evaluation.md")["suite"]


@pytest.mark.parametrize("suite", ls.SUITES + (ls.AVERAGE,))
def test_the_values_sentences_quote_are_the_wilson_intervals_and_the_rerun(suite):
    from visual_essay.registry import compute
    from widgets import WIDGETS

    values = compute("libero_scores", {"suite": suite}, WIDGETS)["values"]
    n = 2000 if suite == ls.AVERAGE else 500
    for model, key in ls.KEYS.items():
        score = ls.score(model, suite)
        low, high = wilson_by_definition(score / 100, n)
        assert values[key] == f"{shown(score)}% ({pct(low)}–{pct(high)}%)", model
    top, near = expected_overlaps(suite)
    assert values["overlap"] == (
        f"{len(near)} of the other 4 intervals "
        f"{'overlaps' if len(near) == 1 else 'overlap'} {top}'s"
    )
    gap = abs(ls.score("π0", suite) - ls.score("π0-FAST", suite))
    assert values["pair_gap"] == f"{round(gap, 2):g} points"
    p = rerun(n, *(ls.score(m, suite) / 100 for m in ls.SAME_PROTOCOL))[0]
    assert values["rerun"] == ("above 0.99" if p >= 0.995 else f"{p:.2f}")


def test_the_chapter_walks_from_spatial_to_object_quoting_the_figure():
    from . import chapter

    page = "evaluation.md"
    suite = placed_suite()
    assert suite == "Spatial"
    assert [p["suite"] for key, p in chapter.steps(page) if key == "libero_scores"] == [
        "Spatial",
        "Object",
    ]
    text = chapter.rendered(page)
    assert f"On LIBERO-{suite}," in text
    # every "score% (low–high%)" in the page is that score's interval at 500 episodes
    found = re.findall(r"(\d+\.\d+)% \((\d+(?:\.\d)?)–(\d+(?:\.\d)?)%\)", text)
    assert len(found) >= 4
    for score, low, high in found:
        want = wilson_by_definition(float(score) / 100, 500)
        assert (low, high) == (pct(want[0]), pct(want[1])), score
    spatial = sorted((ls.score(m, suite) for m in ls.MODELS), reverse=True)[:4]
    assert f"four reported scores lie between {min(spatial):g}% and {max(spatial):g}%" in text
    top, near = expected_overlaps(suite)
    assert f"{len(near)} of the other 4 intervals overlap {top}'s" in text
    p_here = f"{rerun(500, *(ls.score(m, suite) / 100 for m in ls.SAME_PROTOCOL))[0]:.2f}"
    assert ls.score("π0", suite) - ls.score("π0-FAST", suite) == pytest.approx(0.4)
    assert (
        "openpi's π0 and π0-FAST, is 0.4 points apart. If those were their true rates, a "
        f"rerun of 500 episodes each would put π0 ahead with probability {p_here}."
    ) in text
    p_object = f"{rerun(500, *(ls.score(m, 'Object') / 100 for m in ls.SAME_PROTOCOL))[0]:.2f}"
    assert ls.score("π0", "Object") - ls.score("π0-FAST", "Object") == pytest.approx(2.0)
    assert (
        f"Choose Object: there the same pair is 2 points apart, and a rerun keeps the order "
        f"with probability {p_object}"
    ) in text
    for bound in (
        "π0.5's {=libero_scores.pi05}",
        "{=libero_scores.overlap}",
        "is {=libero_scores.pair_gap} apart",
        "probability {=libero_scores.rerun}",
    ):
        assert bound in chapter.prose(page), bound


def test_a_97_percent_interval_is_wider_than_any_gap_between_two_scores_above_90():
    """The chapter: 485 of 500 "carries an interval wider than the gap between any two scores
    above 90% in the same column of the LIBERO table"."""
    from . import chapter

    text = chapter.rendered("evaluation.md")
    assert (
        "485 successes in 500 trials (95.1–98.2%), carries an interval wider than the gap "
        "between any two scores above 90% in the same column"
    ) in text
    low, high = wilson_by_definition(485 / 500, 500)
    for column in COLUMNS:
        top = [ls.score(m, column) for m in ls.MODELS if ls.score(m, column) > 90]
        assert len(top) >= 2
        assert max(top) - min(top) < 100 * (high - low), column


def test_every_suite_gives_readouts_of_the_same_labels_and_short_values():
    """The desk saw the average's wider values push a readout onto a row of its own (565 → 591
    px at 1280): the same labels at every suite, and no label with its value longer than the
    row of two they share on a wide screen allows (the overlap count's label was 41 letters)."""
    from widgets import libero_scores as ls

    scenes = [ls.compute(suite) for suite in ls.SUITES + (ls.AVERAGE,)]
    assert len({tuple(r["label"] for r in s["readouts"]) for s in scenes}) == 1
    for s in scenes:
        overlap = s["readouts"][len(ls.MODELS)]
        assert len(overlap["label"] + overlap["text"]) <= 40, overlap


@pytest.mark.parametrize("suite", COLUMNS)
def test_panel_b_shows_the_top_of_the_scale_with_the_top_scores_interval_shaded(suite):
    """The fifth graphics desk: near 100% the intervals are 2-4 points, too narrow on panel a's
    axis to see which of them cross the top score's. Panel b draws 90-100% for every suite, the
    top score's interval as a band, each interval that reaches the range at its row, and says
    where a score below the range is; the alt text says which lie below."""
    iv = ls.intervals(suite)
    top, near = ls.overlapping_the_top(suite)
    scene = ls.compute(suite)
    b = scene["panels"][1]
    assert b["x"]["lim"][0] < 90 and b["x"]["lim"][1] > 100
    (band,) = [m for m in b["marks"] if m.get("label") == "the top score's interval"]
    assert [min(band["x"]), max(band["x"])] == pytest.approx(iv[top][1:])
    # through every row whose interval is drawn whole, and no row with a note at the frame
    pieces = [m for m in b["marks"] if m["kind"] == "polygon"]
    rows = dict(zip(b["y"]["ticklabels"], b["y"]["ticks"], strict=True))
    for model, (share, low, _) in iv.items():
        inside = [p for p in pieces if min(p["y"]) < rows[model] < max(p["y"])]
        assert len(inside) == (share >= 90 and low >= 90), model
    assert band["color"] == "gray"  # its key the same for every suite, whichever model tops it
    names = dict(zip(b["y"]["ticks"], b["y"]["ticklabels"], strict=True))
    drawn = {names[m["y"][0]]: m for m in b["marks"] if m["kind"] == "points"}
    notes = {names[round(m["y"])]: m["s"] for m in b["marks"] if m["kind"] == "text"}
    for model, (share, low, high) in iv.items():
        if share < 90:  # its point off the range: said, not drawn as a stub
            assert model not in drawn and notes[model] == f"← {ls._pct(share)}, below 90%"
        else:
            assert drawn[model]["x"] == pytest.approx([share])
            assert (model in notes) == (low < 90), model  # a cut interval's lower end, said
            crosses = low <= iv[top][2] and high >= iv[top][1]
            assert crosses == (model in near or model == top), model
    below = [m for m in ls.MODELS if iv[m][0] < 90]
    assert ("lie below 90%" in scene["alt"] or "lies below 90%" in scene["alt"]) == bool(below)
    for model in below:
        assert model in scene["alt"].split("Panel (b)")[1]


def row_marks(panel):
    """model -> the marks drawn at its row of a panel (a text above the row counts as its)."""
    names = dict(zip(panel["y"]["ticks"], panel["y"]["ticklabels"], strict=True))
    rows = {m: [] for m in ls.MODELS}
    for mark in panel["marks"]:
        if mark["kind"] in ("vline", "polygon"):  # the band's pieces, through rows
            continue
        ys = mark["y"] if isinstance(mark["y"], list) else [mark["y"]]
        (row,) = {round(y) for y in ys}
        rows[names[row]].append(mark)
    return rows


@pytest.mark.parametrize("suite", COLUMNS)
def test_panel_b_draws_what_of_an_interval_lies_in_its_range_and_marks_where_it_is_cut(suite):
    """The sixth graphics desk: on Long, π0.5's interval (89.7–94.4%) ran into panel b's left
    frame with no cue that it went on; on Object, OpenVLA's (85.3–90.9%) reached into the range
    but only "← 88.4%, below 90%" was printed. An interval that starts below 90% and ends above
    it is drawn from its upper end (capped) to the frame, with an arrowhead there, and its
    number below the range printed: the lower end, or the score when the score is below the
    range too; an interval wholly below the range is a label alone; one inside it is whole."""
    iv = ls.intervals(suite)
    b = ls.compute(suite)["panels"][1]
    frame = b["x"]["lim"][0]
    for model, marks in row_marks(b).items():
        share, low, high = iv[model]
        kinds = sorted(m["kind"] for m in marks)
        texts = [m["s"] for m in marks if m["kind"] == "text"]
        if high < 90:  # wholly below: said, nothing drawn
            assert kinds == ["text"] and texts == [f"← {ls._pct(share)}, below 90%"], model
        elif low < 90:  # cut by the frame
            (arrow,) = [m for m in marks if m["kind"] == "arrow"]
            assert arrow["x"] == pytest.approx([high, frame]), model  # its head at the frame
            (cap,) = [m for m in marks if m["kind"] == "segments"]
            assert cap["x"] == pytest.approx([high, high]), model
            said = f"← {ls._pct(share)}, below 90%" if share < 90 else f"← from {pct(low / 100)}%"
            assert texts == [said], model
            (note,) = [m for m in marks if m["kind"] == "text"]
            assert note["y"] > arrow["y"][0] and note["valign"] == "bottom"  # above, not on it
            assert ("points" in kinds) == (share >= 90), model
        else:  # inside: whole, both caps, its point
            assert kinds == ["points", "segments"], model
            (bar,) = [m for m in marks if m["kind"] == "segments"]
            assert min(bar["x"]) == pytest.approx(low) and max(bar["x"]) == pytest.approx(high)


def test_the_cuts_the_desk_saw_are_drawn_with_an_arrowhead():
    """The two rows the desk named: π0.5 on Long, OpenVLA on Object."""
    for suite, model in (("Long", "π0.5"), ("Object", "OpenVLA")):
        iv = ls.intervals(suite)
        assert [m for m in ls.MODELS if iv[m][1] < 90 <= iv[m][2]] == [model]
        rows = row_marks(ls.compute(suite)["panels"][1])
        assert [m["kind"] for m in rows[model]].count("arrow") == 1, (suite, model)
        alt = ls.compute(suite)["alt"]
        assert (f"the interval of {model} extends below 90%: an arrowhead marks where it is cut"
                in alt)


@pytest.mark.parametrize("suite", COLUMNS)
def test_every_score_and_interval_end_is_printed_with_one_decimal(suite):
    """The sixth graphics desk: "96.85%" (π0.5's average, as the openpi README reports it) beside
    one-decimal values everywhere else. Every percentage the figure prints for a score or an
    interval end (its labels, alt text, readouts and the values the prose quotes) has one
    decimal; the only whole percentages are the 95% level and the zoom's bounds, 90% and 100%."""
    scene = ls.compute(suite)
    texts = [scene["alt"], *(r["text"] for r in scene["readouts"])]
    texts += [v for v in scene["values"].values() if isinstance(v, str)]
    for panel in scene["panels"]:
        texts += [m["s"] for m in panel["marks"] if m["kind"] == "text"]
        texts += [panel["title"], panel["x"]["label"]]
    found = [n for t in texts for n in re.findall(r"(\d+(?:\.\d+)?)%", t)]
    assert len(found) >= 3 * len(ls.MODELS)
    whole = {"95", *(str(b) for b in ls.CEILING)}
    for number in found:
        assert number in whole or re.fullmatch(r"\d+\.\d", number), (number, suite)
    if suite == ls.AVERAGE:  # the README's 96.85, rounded half up as written
        assert ls.score("π0.5", suite) == 96.85 and ls._pct(96.85) == "96.9%"


@pytest.mark.parametrize("suite", COLUMNS)
def test_both_titles_fit_one_line_beside_each_other_in_the_guides_column(suite):
    """The sixth graphics desk: at 1280 px, in the guide's 547-px column, both panel titles
    wrapped to two lines ("LIBERO-Spatial: 95% intervals, 500 / episodes", "the top of the
    scale, / 90–100%"). Each now takes one line, with a twentieth of its room to spare for the
    browser's font; it still says the suite and its episodes, and the range panel b shows.
    The intervals' level is said on panel a's x axis."""
    from visual_essay.layout import FONT, LETTER_GAP, text_width

    a, b = ls.compute(suite)["panels"]
    for panel in (a, b):
        room = (
            panel["size"][0] * 72
            - panel["margin"]["left"]
            - 4
            - text_width(panel["letter"], FONT["title"], True)
            - LETTER_GAP
        )
        assert panel["titles"] == [panel["title"]]
        assert text_width(panel["title"], FONT["title"]) <= 0.95 * room, panel["title"]
    assert a["title"] == f"{ls._short(suite)}, {ls.episodes(suite):,} episodes"
    assert b["title"] == f"zoom: {ls.CEILING[0]}–{ls.CEILING[1]}%"
    assert "95% interval" in a["x"]["label"]
    # side by side at their natural widths in the 547-px column (96 px an inch, a 0.6em gap)
    assert (a["size"][0] + b["size"][0]) * 96 + 10 <= 547


POSITION_WORDS = re.compile(
    r"\b(first|second|third|left|right|top|bottom|upper|lower|above|below) "
    r"(panel|plot|chart|one|edge|row)\b|\b(left|right|top|bottom)\b", re.IGNORECASE)


@pytest.mark.parametrize("suite", COLUMNS)
def test_the_alt_text_and_readouts_name_panels_by_letter_never_by_position(suite):
    """The eighth graphics desk: the alt text said "The second panel shows the top of the scale"
    where the caption says (b), and "past its left edge"; the readout's "the top one" (the
    highest score) reads as the top row, OpenVLA's. Panels are named by their letter, and no
    alt text or readout points by position."""
    scene = ls.compute(suite)
    texts = [scene["alt"], *(t for r in scene["readouts"] for t in (r["label"], r["text"]))]
    for text in texts:
        assert not POSITION_WORDS.search(text), (POSITION_WORDS.search(text).group(0), text)
    assert "Panel (a): reported success on" in scene["alt"]
    assert "Panel (b) enlarges the range 90–100%" in scene["alt"]


def _luminance(hex_colour):
    """WCAG 2's relative luminance of an sRGB colour."""
    rgb = np.array([int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)]) / 255
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    return float(linear @ [0.2126, 0.7152, 0.0722])


def _contrast(a, b):
    """WCAG 2's contrast ratio of two colours."""
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _over_white(hex_colour, opacity):
    rgb = np.array([int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)])
    return "#" + "".join(f"{round(c * opacity + 255 * (1 - opacity)):02x}" for c in rgb)


@pytest.mark.parametrize("suite", COLUMNS)
def test_the_top_scores_band_and_its_key_stand_out_and_text_on_it_reads_at_4_5_to_1(suite):
    """The desk: the key "the top score's interval" was pale grey on pale grey (a 20% grey band
    and its swatch, 1.16:1 on the page, the notes in grey and purple drawn over it at 4.1:1). The
    band and its swatch are drawn round in a colour of 4.5:1 on the page, and every text that
    crosses the band reads at 4.5:1 or more on its fill (WCAG's ratio for text)."""
    from visual_essay.layout import text_box
    from visual_essay.scene import PALETTE, TEXT_SHADES

    from . import figure_checks

    page = "#ffffff"
    b = ls.compute(suite)["panels"][1]
    (band,) = [m for m in b["marks"] if m.get("label") == "the top score's interval"]
    assert band["stroke"] and _contrast(PALETTE[band["stroke"]], page) >= 4.5
    fill = _over_white(PALETTE[band["color"]], band["opacity"])
    lo, hi = min(band["x"]), max(band["x"])
    for variant, layout in figure_checks.layouts(b):
        assert any(e["label"] == band["label"] for e in layout["legend"]["entries"]), variant
        X, Y, _ = figure_checks.maps(layout)
        for m in b["marks"]:
            if m["kind"] != "text":
                continue
            x, y = float(X(m["x"])), float(Y(m["y"]))
            x0, _, x1, _ = text_box(x, y, m["s"], m["size"], m["anchor"], m["valign"], m["bold"])
            colour = TEXT_SHADES.get(m["color"], PALETTE[m["color"]])
            if x1 > float(X(lo)) and x0 < float(X(hi)):
                assert _contrast(colour, fill) >= 4.5, (variant, m["s"], colour, fill)
    # whichever model's note crosses the band in another suite, it would read on it
    for name in ls.COLORS.values():
        assert _contrast(TEXT_SHADES.get(name, PALETTE[name]), fill) >= 4.5, name


def _boxes(panel, kind):
    """(mark, box in points) of a panel's marks of ``kind``: a text's estimated box, a mark's
    extent (a dot's disc, an interval and its caps)."""
    from visual_essay.layout import text_box

    from . import figure_checks

    X, Y, _ = figure_checks.maps(panel)
    out = []
    for m in panel["marks"]:
        if m["kind"] != kind:
            continue
        if kind == "text":
            x, y = float(X(m["x"])), float(Y(m["y"]))
            box = text_box(x, y, m["s"], m["size"], m["anchor"], m["valign"], m["bold"])
        elif kind == "points":
            r = min(max(m["size"], 2.5), 4.5)
            x, y = float(X(m["x"][0])), float(Y(m["y"][0]))
            box = (x - r, y - r, x + r, y + r)
        else:
            xs, ys = X(m["x"]), Y(m["y"])
            box = (float(min(xs)) - 1, float(min(ys)) - 1, float(max(xs)) + 1, float(max(ys)) + 1)
        out.append((m, box))
    return out


def _apart(a, b):
    """The gap in points between two boxes (negative where they overlap)."""
    return max(b[0] - a[2], a[0] - b[2], b[1] - a[3], a[1] - b[3])


@pytest.mark.parametrize("suite", COLUMNS)
def test_panel_a_values_keep_clear_of_their_intervals(suite):
    """The tenth graphics desk: in (a), with four scores at 96-99%, each value label was pressed
    against its interval's cap (3 points off). Every value stands at least 5 points from every
    interval, cap and dot of the panel."""
    a = ls.compute(suite)["panels"][0]
    values = [(m, box) for m, box in _boxes(a, "text") if m["bold"]]
    assert len(values) == len(ls.MODELS)
    drawn = _boxes(a, "segments") + _boxes(a, "points")
    for m, box in values:
        for _, other in drawn:
            assert _apart(box, other) >= 5, (suite, m["s"], _apart(box, other))


@pytest.mark.parametrize("suite", COLUMNS)
def test_panel_b_labels_keep_clear_of_the_bands_edges(suite):
    """Facts review 10: on Spatial "← 84.7%, below 90%" ran into the top score's band and the
    band's edge struck through "90%". No text of (b) meets an edge of the band: each is wholly
    inside a piece of it, or at least 2 points outside every piece."""
    b = ls.compute(suite)["panels"][1]
    pieces = [box for _, box in _boxes(b, "polygon")]
    assert pieces
    for m, box in _boxes(b, "text"):
        for piece in pieces:
            inside = (piece[0] <= box[0] and box[2] <= piece[2] and piece[1] <= box[1]
                      and box[3] <= piece[3])
            assert inside or _apart(box, piece) >= 2, (suite, m["s"], _apart(box, piece))
