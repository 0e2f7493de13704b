"""How many trials a claim needs: every probability and interval the widget computes, checked
against an independent computation (scipy's binomial and Wilson interval, joint outcome tables),
facts.md's computed values, and every number the figure, its text alternative and the chapter
state."""

from functools import cache
import math
from pathlib import Path
import re

import numpy as np
import pytest
from scipy import stats
import yaml

from widgets import trials as tr

DOC = Path(__file__).resolve().parents[3] / "docs" / "evaluation.md"
NS = range(tr.N_MIN, tr.N_MAX + 1)

# facts.md, "Real-world trials and statistics": computed Wilson 95% intervals
FACTS_WILSON = {(5, 10): "23.7–76.3%", (10, 20): "29.9–70.1%", (25, 50): "36.6–63.4%",
                (250, 500): "45.6–54.4%", (10, 10): "72.2–100%", (485, 500): "95.1–98.2%"}


# --- independent computations -------------------------------------------------------------

def scipy_wilson(k, n):
    ci = stats.binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson")
    return ci.low, ci.high


def pct(x):
    """A proportion as the essay prints it, written here again: one decimal, 0 and 100 bare."""
    s = f"{100 * x:.1f}"
    return s[:-2] if s in ("0.0", "100.0") else s


def prob(p):
    return "below 0.01" if p < 0.005 else "above 0.99" if p >= 0.995 else f"{p:.2f}"


def scipy_pmf(rate, n):
    return stats.binom.pmf(np.arange(n + 1), n, rate)


def joint(rate_a, rate_b, n):
    """P(A = i, B = j) for every pair of outcomes, and the difference j − i."""
    k = np.arange(n + 1)
    return np.outer(scipy_pmf(rate_a, n), scipy_pmf(rate_b, n)), k[None, :] - k[:, None]


def differ_by(rate, gap, n):
    """P(two independent runs of one policy differ by at least gap percentage points)."""
    table, diff = joint(rate, rate, n)
    return table[np.abs(diff) * 100 >= gap * n].sum()


def ahead(rate_a, rate_b, n):
    table, diff = joint(rate_a, rate_b, n)
    return table[diff > 0].sum(), table[diff == 0].sum()


def first_for_good(values, ok):
    """The fewest trials from which ok(value) holds at every n up to 500, by a plain scan."""
    result = None
    for n, v in zip(NS, values, strict=True):
        if ok(v):
            result = n if result is None else result
        else:
            result = None
    return result


@cache  # a few seconds each; several tests ask for the same settings
def sweep(rate_a, rate_b, gap):
    """Every n from 5 to 500: copies of A at least gap apart; B ahead of A (by convolution)."""
    differ, b_ahead = [], []
    for n in NS:
        pa, pb = scipy_pmf(rate_a, n), scipy_pmf(rate_b, n)
        d = -(-gap * n // 100)
        same = np.convolve(pa, pa[::-1])  # P(X − Y = m) at index m + n
        differ.append(same[n + d:].sum() + same[:n - d + 1].sum())
        diff = np.convolve(pb, pa[::-1])  # P(B − A = m) at index m + n
        b_ahead.append(diff[n + 1:].sum())
    return np.array(differ), np.array(b_ahead)


# --- the science -----------------------------------------------------------------------------

def test_z_is_the_standard_normals_97_5th_percentile():
    assert tr.Z95 == pytest.approx(stats.norm.ppf(0.975), abs=1e-15)


@pytest.mark.parametrize("k,n", [(0, 5), (1, 5), (5, 10), (7, 10), (10, 10), (3, 11), (0, 500),
                                 (17, 137), (250, 500), (485, 500), (500, 500)])
def test_the_wilson_interval_is_scipys(k, n):
    assert tr.wilson(k, n) == pytest.approx(scipy_wilson(k, n), abs=1e-12)


def test_the_wilson_interval_refuses_impossible_counts():
    for k, n in ((11, 10), (-1, 10), (0, 0)):
        with pytest.raises(ValueError, match="successes ≤ trials"):
            tr.wilson(k, n)


@pytest.mark.parametrize("k,n", list(FACTS_WILSON))
def test_facts_computed_wilson_intervals(k, n):
    assert tr.interval_text(k, n) == FACTS_WILSON[(k, n)]
    low, high = scipy_wilson(k, n)
    assert f"{pct(low)}–{pct(high)}%" == FACTS_WILSON[(k, n)]


def test_twenty_trials_give_about_plus_or_minus_20_points_not_21():
    low, high = tr.wilson(10, 20)
    assert round(100 * (high - low) / 2) == 20


@pytest.mark.parametrize("rate", [0.0, 0.03, 0.5, 0.7, 0.97, 1.0])
@pytest.mark.parametrize("n", [5, 6, 37, 250, 500])
def test_the_binomial_probabilities_are_scipys(rate, n):
    np.testing.assert_allclose(tr.pmf(rate, n), scipy_pmf(rate, n), rtol=1e-9, atol=1e-13)
    np.testing.assert_allclose(tr.binomial_pmf(n, rate), scipy_pmf(rate, n), rtol=1e-9,
                               atol=1e-13)


@pytest.mark.parametrize("rate,gap", [(0.5, 30), (0.5, 5), (0.85, 10), (0.03, 50), (1.0, 20),
                                      (0.0, 5)])
def test_identical_policies_end_apart_exactly_as_the_joint_outcome_table_says(rate, gap):
    ours = tr.identical_differ(rate, gap)
    for n in (5, 10, 11, 20, 23, 24, 50, 137, 500):
        assert ours[n - tr.N_MIN] == pytest.approx(differ_by(rate, gap, n), abs=1e-10), n


@pytest.mark.parametrize("rate_a,rate_b", [(0.5, 0.7), (0.85, 0.9), (0.3, 0.3), (0.9, 0.2),
                                           (0.0, 1.0), (0.97, 0.99)])
def test_b_comes_out_ahead_exactly_as_the_joint_outcome_table_says(rate_a, rate_b):
    b_ahead, tie = tr.b_ahead(rate_a, rate_b)
    for n in (5, 10, 12, 24, 99, 500):
        want_ahead, want_tie = ahead(rate_a, rate_b, n)
        assert b_ahead[n - tr.N_MIN] == pytest.approx(want_ahead, abs=1e-10)
        assert tie[n - tr.N_MIN] == pytest.approx(want_tie, abs=1e-10)
    for n in (500, 2000):  # one number of trials, any size (LIBERO's suites and average)
        got = tr.ahead_and_tie(n, rate_a, rate_b)
        assert got == pytest.approx(ahead(rate_a, rate_b, n), abs=1e-10)


def test_facts_two_identical_50_percent_policies_differ_by_30_points():
    differ = tr.identical_differ(0.5, 30)
    assert prob(differ[10 - tr.N_MIN]) == prob(differ_by(0.5, 30, 10)) == "0.26"
    assert prob(differ[20 - tr.N_MIN]) == prob(differ_by(0.5, 30, 20)) == "0.08"


@pytest.mark.parametrize("rate_a,rate_b,gap", [(50, 70, 30), (85, 90, 10), (30, 30, 20),
                                               (70, 50, 50)])
def test_from_how_many_trials_the_thresholds_hold_for_good(rate_a, rate_b, gap):
    differ, b_ahead = sweep(rate_a / 100, rate_b / 100, gap)
    ours_differ = tr.identical_differ(rate_a / 100, gap)
    ours_ahead, _ = tr.b_ahead(rate_a / 100, rate_b / 100)
    np.testing.assert_allclose(ours_differ, differ, atol=1e-10)
    np.testing.assert_allclose(ours_ahead, b_ahead, atol=1e-10)
    assert tr.trials_from(ours_differ < 0.05) == first_for_good(differ, lambda v: v < 0.05)
    assert tr.trials_from(ours_ahead >= 0.95) == first_for_good(b_ahead, lambda v: v >= 0.95)
    if rate_b <= rate_a:  # a policy that is not better never comes out ahead 95% of the time
        assert tr.trials_from(ours_ahead >= 0.95) is None


def test_the_saw_tooth_is_the_whole_successes_a_gap_needs():
    assert tr.min_count_gap(30, 10) == 3 and tr.min_count_gap(30, 11) == 4
    differ = tr.identical_differ(0.5, 30)
    assert differ[11 - tr.N_MIN] < differ[10 - tr.N_MIN]
    assert differ_by(0.5, 30, 11) < differ_by(0.5, 30, 10)


# --- what the figure says --------------------------------------------------------------------

SETTINGS = [dict(rate_a=50, rate_b=70, trials=10, gap=30), dict(rate_a=50, rate_b=70, trials=20,
                                                                gap=30),
            dict(rate_a=85, rate_b=90, trials=100, gap=10), dict(rate_a=100, rate_b=0, trials=7,
                                                                 gap=50),
            dict(rate_a=97, rate_b=97, trials=500, gap=5), dict(rate_a=3, rate_b=61, trials=33,
                                                                gap=25)]


def expected(rate_a, rate_b, trials, gap):
    """Every number the figure should state, computed here without the widget's own functions."""
    n = trials
    ka, kb = int(np.floor(rate_a / 100 * n + 0.5)), int(np.floor(rate_b / 100 * n + 0.5))
    differ, b_ahead = sweep(rate_a / 100, rate_b / 100, gap)
    _, tie = ahead(rate_a / 100, rate_b / 100, n)
    return dict(ka=ka, kb=kb, a=scipy_wilson(ka, n), b=scipy_wilson(kb, n),
                differ=differ[n - tr.N_MIN], ahead=b_ahead[n - tr.N_MIN], tie=tie,
                quiet=first_for_good(differ, lambda v: v < 0.05),
                ahead_from=first_for_good(b_ahead, lambda v: v >= 0.95))


def short_from(n):
    return f"from {n} trials" if n is not None else "none up to 500"


def from_text(n, each=""):
    return f"from {n} trials{each}" if n is not None else "at no number of trials up to 500"


@pytest.mark.parametrize("values", SETTINGS, ids=lambda v: "-".join(map(str, v.values())))
def test_the_alt_text_and_readouts_state_this_calls_numbers(values):
    e = expected(**values)
    n, gap = values["trials"], values["gap"]
    scene = tr.compute(**values)
    alt = scene["alt"]
    a, b = e["a"], e["b"]
    assert (f"policy A (true rate {values['rate_a']}%) succeeding {e['ka']} times has a Wilson "
            f"95% interval of {pct(a[0])}–{pct(a[1])}%") in alt
    assert (f"policy B ({values['rate_b']}%) succeeding {e['kb']} times has "
            f"{pct(b[0])}–{pct(b[1])}%") in alt
    overlap = a[0] <= b[1] and b[0] <= a[1]
    assert ("the intervals overlap" if overlap else "the intervals do not overlap") in alt
    assert f"{gap} points apart with probability {prob(e['differ'])}" in alt
    assert (f"strictly ahead of A with probability {prob(e['ahead'])} "
            f"(a tie {prob(e['tie'])})") in alt
    assert f"95% of the time {from_text(e['quiet'], ' each')}" in alt
    assert f"ahead 95% of the time {from_text(e['ahead_from'], ' each')}" in alt
    readouts = {r["label"]: r["text"] for r in scene["readouts"]}
    assert readouts == {
        "policy A's run": f"{e['ka']}/{n}, {pct(a[0])}–{pct(a[1])}%",
        "policy B's run": f"{e['kb']}/{n}, {pct(b[0])}–{pct(b[1])}%",
        "A vs A, at least the gap apart": prob(e["differ"]),
        "B ahead of A": prob(e["ahead"]),
        "A vs A within the gap in 95% of runs": short_from(e["quiet"]),
        "B ahead in 95% of runs": short_from(e["ahead_from"]),
        "tie": prob(e["tie"]),
    }
    # the values the chapter's sentences quote
    from visual_essay.registry import compute
    from widgets import WIDGETS
    def run(k, interval):
        return (f"{k} success{'' if k == 1 else 'es'} in {n} trials "
                f"({pct(interval[0])}–{pct(interval[1])}%)")
    assert compute("trials", values, WIDGETS)["values"] == {
        "a_run": run(e["ka"], a), "b_run": run(e["kb"], b), "differ": prob(e["differ"]),
        "ahead": prob(e["ahead"]), "quiet_from": from_text(e["quiet"]),
        "ahead_from": from_text(e["ahead_from"]),
        "gap_count": f"{math.ceil(gap * n / 100)} successes",
        "gap_count_next": f"{math.ceil(gap * (n + 1) / 100)}"}


@pytest.mark.parametrize("values", SETTINGS[:4], ids=lambda v: "-".join(map(str, v.values())))
def test_the_marks_draw_the_intervals_and_the_binomial(values):
    e = expected(**values)
    n = values["trials"]
    one_run, curves = tr.compute(**values)["panels"]
    bars = [m for m in one_run["marks"] if m["kind"] == "errorbars"]
    for mark, k, (low, high) in zip(bars, (e["ka"], e["kb"]), (e["a"], e["b"]), strict=True):
        assert mark["y"][0] == pytest.approx(100 * k / n, rel=1e-5)
        assert (mark["low"][0], mark["high"][0]) == pytest.approx((100 * low, 100 * high),
                                                                  rel=1e-5, abs=1e-9)
    # the shaded outline: each count's width is its probability over the likeliest count's
    shapes = [m for m in one_run["marks"] if m["kind"] == "polygon"]
    for x0, shape, rate in zip((0, tr.B_AT), shapes, (values["rate_a"], values["rate_b"]),
                               strict=True):
        p = scipy_pmf(rate / 100, n)
        widths = (np.array(shape["x"][1:-1:2]) - (x0 + 0.1)) / 0.32
        firsts = np.round(np.array(shape["y"][1:-1:2]) / 100 * n + 0.5).astype(int)
        np.testing.assert_allclose(widths, p[firsts] / p.max(), atol=1e-4)
    # the curves, at every n, and the points at this n
    lines = [m for m in curves["marks"] if m["kind"] == "line" and len(m["x"]) > 2]
    differ, b_ahead = sweep(values["rate_a"] / 100, values["rate_b"] / 100, values["gap"])
    np.testing.assert_allclose(lines[0]["y"], differ, atol=1e-5)
    np.testing.assert_allclose(lines[1]["y"], b_ahead, atol=1e-5)
    assert lines[1]["dash"] and not lines[0]["dash"]  # a second cue besides colour


# --- what the chapter says -------------------------------------------------------------------

def placed_values():
    """The values the chapter places the figure at: its fence, over the declared defaults."""
    from . import chapter
    return chapter.values(tr, "trials", "evaluation.md")


def test_a_run_at_the_true_rate_is_rounded_half_up_to_whole_successes_and_the_caption_says_so():
    """The review: at 5 trials a 50% policy shows 3/5, not "exactly its true rate"."""
    scene = tr.compute(**{**placed_values(), "trials": 5, "rate_a": 50})
    assert {r["label"]: r["text"] for r in scene["readouts"]}["policy A's run"].startswith("3/5,")
    for rate, n in ((50, 5), (50, 7), (70, 5), (33, 10), (50, 10)):
        assert tr.typical_successes(rate / 100, n) == math.floor(rate * n / 100 + 0.5)
    fence = re.search(r"```widget\n(name: trials\n.*?)```", DOC.read_text(), re.S).group(1)
    caption = yaml.safe_load(fence)["caption"]
    assert "each policy succeeding at its true rate, rounded to a whole number of successes" \
        in caption
    assert "exactly its true rate" not in caption
    titles = [p["title"] for p in scene["panels"]]
    assert titles == ["5 trials each: 95% intervals", "probability, against trials per policy"]
    # the part of panel a's title that does not change with the slider (its count does)
    assert "(a) *95% intervals*" in caption and titles[0].endswith("95% intervals")
    assert "*Probability, against trials per policy*" in caption


def test_every_interval_the_chapter_states_is_the_wilson_interval():
    """Read in the page as the build writes it (the intervals are the figure's values, quoted)."""
    from . import chapter
    text = chapter.rendered("evaluation.md")
    found = re.findall(r"(\d+) successes in (\d+) (?:trials|episodes) \((\d+(?:\.\d)?)–"
                       r"(\d+(?:\.\d)?)%\)", text)
    assert len(found) >= 7
    for k, n, low, high in found:
        assert (low, high) == tuple(pct(x) for x in scipy_wilson(int(k), int(n))), (k, n)
    assert set(FACTS_WILSON) <= {(int(k), int(n)) for k, n, _, _ in found}


def test_the_chapter_walks_through_the_figure_quoting_what_it_computes():
    """The guide holds the figure at its placed values, then at 20, 50 and 500 trials, a perfect
    record and a LIBERO-like 97%: each step's sentence quotes the figure there, and says in words
    what an independent computation finds."""
    from . import chapter
    page = "evaluation.md"
    values = placed_values()
    assert (values["rate_a"], values["rate_b"], values["trials"], values["gap"]) == (50, 70, 10, 30)
    walked = [(p["rate_a"], p["rate_b"], p["trials"], p["gap"]) for key, p in chapter.steps(page)
              if key == "trials"]
    assert walked == [(50, 70, 10, 30), (50, 70, 10, 30), (50, 70, 20, 30), (50, 70, 50, 30),
                      (50, 70, 500, 30), (100, 70, 10, 30), (97, 70, 500, 30), (50, 70, 10, 30)]
    text = chapter.rendered(page)
    e = expected(**values)
    a, b = e["a"], e["b"]
    assert e["ka"] == 5 and e["kb"] == 7 and a[0] <= b[1]  # overlapping intervals
    assert (f"With 10 trials each, 5 successes in 10 trials ({pct(a[0])}–{pct(a[1])}%) and "
            f"7 successes in 10 trials ({pct(b[0])}–{pct(b[1])}%) give intervals that overlap "
            f"over most of their length") in text
    assert 0.2 < e["differ"] < 0.3  # "about one comparison in four"
    assert (f"*same* 50% policy end 30 points or more apart with probability "
            f"{prob(e['differ'])}, about one comparison in four, and B, truly 20 points better, "
            f"comes out strictly ahead of A with probability {prob(e['ahead'])}") in text
    at_20 = expected(50, 70, 20, 30)
    assert abs(100 * (at_20["a"][1] - at_20["a"][0]) / 2 - 20) < 1  # "still about ±20 points"
    assert (f"10 successes in 20 trials ({pct(at_20['a'][0])}–{pct(at_20['a'][1])}%) is still "
            f"about ±20 points, and two identical 50% policies differ by 30 points or more with "
            f"probability {prob(at_20['differ'])} at 20 trials each") in text
    assert (f"the trials: {FACTS_WILSON[(25, 50)].join(['25 successes in 50 trials (', ')'])}.") \
        in text
    assert f"close to 250 successes in 500 trials ({FACTS_WILSON[(250, 500)]})" in text
    assert f"weak evidence too: 10 successes in 10 trials ({FACTS_WILSON[(10, 10)]})" in text
    assert f"97%, 485 successes in 500 trials ({FACTS_WILSON[(485, 500)]}), carries" in text
    assert (f"B comes out ahead in 95% of runs from {e['ahead_from']} trials each, and two copies "
            f"of A stay under 30 points apart 95% of the time from {e['quiet']} trials each") \
        in text
    assert math.ceil(30 * 10 / 100) == 3 and math.ceil(30 * 11 / 100) == 4
    assert "a 30-point gap is 3 successes at 10 trials but 4 at 11" in text
    source = chapter.prose(page)
    for name in ("a_run", "b_run", "differ", "ahead", "ahead_from", "quiet_from", "gap_count",
                 "gap_count_next"):
        assert "{=trials." + name + "}" in source, name




# ---- what the review found: values under the axis, dots cut at the ends -----------------------

LABEL_CASES = [dict(rate_a=a, rate_b=b, trials=n, gap=g)
               for a, b in ((100, 70), (0, 0), (100, 100), (60, 62), (90, 50), (50, 100),
                            (100, 0), (50, 70))
               for n in (5, 10, 20, 150, 300, 500) for g in (5, 30)]


def apart(a, b):
    """Two boxes (x0, y0, x1, y1) that do not overlap."""
    return min(a[2], b[2]) <= max(a[0], b[0]) or min(a[3], b[3]) <= max(a[1], b[1])


@pytest.mark.parametrize("values", LABEL_CASES, ids=lambda v: "-".join(map(str, v.values())))
def test_the_values_beside_the_trials_line_stay_in_the_plot_and_apart(values):
    """At rate_a 100 the review found 'below 0.01' written over the '5' and '10' tick labels;
    at 5 and 500 trials the dots were cut by the plot's edge (narrow layout)."""
    from . import figure_checks
    scene = tr.compute(**values)
    assert figure_checks.clipped(scene) == []
    curves = scene["panels"][1]
    for variant, layout in figure_checks.layouts(curves):
        _, _, (bx0, by0, bx1, by1) = figure_checks.maps(layout)
        boxes = figure_checks.text_boxes(curves, layout)
        for s, (x0, y0, x1, y1) in boxes:
            assert bx0 <= x0 and x1 <= bx1 and by0 <= y0 and y1 <= by1, (variant, s)
        for i, (s, a) in enumerate(boxes):
            assert all(apart(a, b) for _, b in boxes[i + 1:]), (variant, s, "overlaps a value")
            assert apart(a, layout["legend"]["box"]), (variant, s, "under the legend")


def test_the_caption_names_the_panels_by_letter():
    from . import chapter, figure_checks
    scene = tr.compute(**chapter.placed("trials", "evaluation.md"))
    assert figure_checks.caption_problems(chapter.caption("trials", "evaluation.md"), scene) == []


LINE_CASES = LABEL_CASES + [dict(rate_a=a, rate_b=b, trials=n, gap=g)
                            for a, b in ((100, 50), (0, 50), (50, 0), (98, 100), (3, 0))
                            for n in (5, 8, 12, 40, 100, 500) for g in (5, 30, 50)]


@pytest.mark.parametrize("values", LINE_CASES, ids=lambda v: "-".join(map(str, v.values())))
def test_no_value_beside_the_trials_line_sits_on_a_dashed_reference_line(values):
    """The graphics desk found 'below 0.01' written over the dashed 0.05 line (a value near 0
    labelled above its point): each label's estimated box keeps clear of 0.05 and 0.95."""
    from . import figure_checks
    curves = tr.compute(**values)["panels"][1]
    for variant, layout in figure_checks.layouts(curves):
        _, Y, _ = figure_checks.maps(layout)
        for s, (_, y0, _, y1) in figure_checks.text_boxes(curves, layout):
            for line in (0.05, 0.95):  # the dashed reference lines
                assert not y0 < float(Y(line)) < y1, (variant, s, line)


def test_the_readouts_have_the_same_labels_and_short_values_at_every_setting():
    """A readout that appears, changes its label's length or wraps at one setting moves the page
    under the reader (the desk saw the figure grow 26 px at every control's end)."""
    grid = [dict(rate_a=a, rate_b=b, trials=n, gap=g) for a in (0, 37, 100) for b in (0, 70, 100)
            for n in (5, 10, 99, 500) for g in (5, 30, 50)]
    labels = {tuple(r["label"] for r in tr.compute(**v)["readouts"]) for v in grid}
    assert len(labels) == 1, labels
    longest = max(len(r["text"]) for v in grid for r in tr.compute(**v)["readouts"])
    assert longest <= 20, longest  # one line in a phone's readout column (about 175 px)


# ---- the sixth graphics desk: labels on the dot, the line and the axis; small panels ----------

AIR = 1.5  # points a label keeps from any other mark (the layout's own pad for labels)


def _along(xs, ys, step=1.0):
    """Points every ``step`` points along a polyline (in points)."""
    xs, ys = np.asarray(xs, float), np.asarray(ys, float)
    run = np.concatenate([[0], np.cumsum(np.hypot(np.diff(xs), np.diff(ys)))])
    at = np.linspace(0, run[-1], max(2, int(run[-1] / step) + 2))
    return np.interp(at, run, xs), np.interp(at, run, ys)


def label_problems(panel, layout, air=AIR):
    """What each text of a panel's layout overlaps (with ``air`` around it): another text, a dot
    (its disc, as the renderers draw it), a line, an error bar or its caps, a reference line, a
    shaded shape's box, or the plot's edge. A label beside its point (panel b's values) may
    touch what it describes: its own dot and the curve of its colour."""
    from . import figure_checks
    X, Y, (bx0, by0, bx1, by1) = figure_checks.maps(layout)
    boxes = figure_checks.text_boxes(panel, layout)
    texts = [m for m in panel["marks"] if m["kind"] == "text"]
    problems = []
    for i, (text, (s, (x0, y0, x1, y1))) in enumerate(zip(texts, boxes, strict=True)):
        x0, y0, x1, y1 = x0 - air, y0 - air, x1 + air, y1 + air
        beside = "beside" in text or "slot" in text

        def hits(xs, ys, half=0.0, box=(x0, y0, x1, y1)):
            """Whether a stroke ``half`` points wide through (xs, ys) reaches the box."""
            return bool(np.any((xs >= box[0] - half) & (xs <= box[2] + half)
                               & (ys >= box[1] - half) & (ys <= box[3] + half)))
        if x0 < bx0 or y0 < by0 or x1 > bx1 or y1 > by1:
            problems.append(f"{s!r} meets the plot's edge")
        for t, (u0, v0, u1, v1) in boxes[i + 1:]:
            if min(x1, u1) > max(x0, u0) and min(y1, v1) > max(y0, v0):
                problems.append(f"{s!r} meets {t!r}")
        for m in panel["marks"]:
            kind = m["kind"]
            if beside and kind == "line" and m["color"] == text["color"] and len(m["x"]) > 2:
                continue  # the curve this value is read from
            if kind == "points":
                r = min(max(m["size"], 2.5), 4.5)  # figure_checks.clipped's radius
                own = beside & np.isclose(m["x"], text["x"]) & np.isclose(m["y"], text["y"])
                cx, cy = X(np.asarray(m["x"])[~own]), Y(np.asarray(m["y"])[~own])
                near_x = np.clip(cx, x0, x1) - cx
                near_y = np.clip(cy, y0, y1) - cy
                hit = bool(np.any(np.hypot(near_x, near_y) < r))
            elif kind == "line":
                hit = hits(*_along(X(m["x"]), Y(m["y"])), m["width"] / 2)
            elif kind == "errorbars":
                half = m["cap"] / 2
                hit = any(hits(*_along([cx, cx], [lo, hi]), m["width"] / 2)
                          or hits(*_along([cx - half, cx + half], [lo, lo]), m["width"] / 2)
                          or hits(*_along([cx - half, cx + half], [hi, hi]), m["width"] / 2)
                          for cx, lo, hi in zip(X(m["x"]), Y(m["low"]), Y(m["high"]), strict=True))
            elif kind == "hline":
                hit = any(hits(*_along([bx0, bx1], [y, y]), m["width"] / 2) for y in Y(m["y"]))
            elif kind == "polygon":
                xs, ys = X(m["x"]), Y(m["y"])
                hit = (min(x1, xs.max()) > max(x0, xs.min())
                       and min(y1, ys.max()) > max(y0, ys.min()))
            else:
                continue
            if hit:
                problems.append(f"{s!r} meets a {kind} {m.get('label') or ''}".rstrip())
    return problems


# Every rate's ends and near-ends, for both policies (B's labels against A's outline too), at
# the trials slider's ends and between; the gap changes panel a nowhere.
RUN_CASES = [dict(rate_a=a, rate_b=b, trials=n, gap=30)
             for a in (0, 3, 50, 97, 100) for b in (0, 3, 50, 70, 97, 100)
             for n in (5, 7, 10, 11, 20, 50, 137, 500)]


def _problems_in_panel_a(values):
    one_run = tr.compute(**values)["panels"][0]
    from . import figure_checks
    return [f"{variant}: {p}" for variant, layout in figure_checks.layouts(one_run)
            for p in label_problems(one_run, layout)]


@pytest.mark.parametrize("values", RUN_CASES, ids=lambda v: "-".join(map(str, v.values())))
def test_no_label_of_a_run_meets_a_dot_a_line_another_label_or_the_plots_edge(values):
    """The desk: at A 0%, "0–27.8%" ran into the dot and the axis; at A 100% (guide step 5),
    "10/10" sat on the dashed true-rate line. Each label keeps AIR points from everything else,
    in both layouts, over the rates' and the trials' ends."""
    assert _problems_in_panel_a(values) == []


def test_no_label_meets_anything_at_the_guides_steps_and_the_controls_ends():
    """Both panels, at every step the chapter's guide sets and at each control's end from the
    placed values: panel a's labels with AIR to spare, panel b's values (placed beside their
    points by the layout, which keeps them off the dashed lines) overlapping nothing else."""
    from . import chapter, figure_checks
    settings = [values for key, values in chapter.steps("evaluation.md") if key == "trials"]
    settings += [{**placed_values(), p.name: end} for p in tr.PARAMS for end in p.ends()]
    problems = []
    for values in settings:
        for number, panel in enumerate(tr.compute(**values)["panels"], 1):
            for variant, layout in figure_checks.layouts(panel):
                problems += [f"{values} panel {number} ({variant}): {p}"
                             for p in label_problems(panel, layout, AIR if number == 1 else 0)]
    assert problems == []


def test_the_panels_take_the_guides_column_and_their_labels_read_above_10_px():
    """The desk: about 250 px plots in a 547 px column, labels at 10.7 px. Each panel is as wide
    as a text column holds (5.1 in, 490 px: the contract's page draws a wider one smaller, its
    key under 10 px), stacked in the guide's 547 px, its plot at least 4.2 in wide (the old
    ones, 2.2 and 2.8); the run's labels at 9.5 points or more (12.7 px at natural size)."""
    from . import figure_checks
    scene = tr.compute(**placed_values())
    for panel in scene["panels"]:
        assert 5 <= panel["size"][0] <= 5.1, panel["title"]
        _, _, (bx0, _, bx1, _) = figure_checks.maps(panel)
        assert bx1 - bx0 >= 4.2 * 72, panel["title"]
    sizes = [m["size"] for m in scene["panels"][0]["marks"] if m["kind"] == "text"]
    assert len(sizes) == 4 and min(sizes) >= 9.5


# ---- the seventh graphics desk: values by the other policy's dot; values on the axis ----------

@cache
def _curves(rate_a, rate_b, trials, gap):
    """Panel b at one setting (several tests sweep the same settings)."""
    return tr.compute(rate_a=rate_a, rate_b=rate_b, trials=trials, gap=gap)["panels"][1]


def _to_box(box, x, y):
    """Points from (x, y) to the nearest point of a box (0 inside it)."""
    x0, y0, x1, y1 = box
    return float(np.hypot(np.clip(x, x0, x1) - x, np.clip(y, y0, y1) - y))


def value_placement_problems(values):
    """Panel b's values at one setting, in both layouts: each names its own dot (the blue value
    the dot of "copies of A differ", the orange one that of "B comes out ahead", the figure's
    points in that order) and sits nearer that dot than the other one, measured from the dot's
    centre to the nearest point of the value's box."""
    from . import figure_checks
    curves = _curves(**values)
    texts = [m for m in curves["marks"] if m["kind"] == "text"]
    is_value = [m["bold"] for m in texts]  # the values are bold; the curves' names are not
    texts = [m for m, value in zip(texts, is_value, strict=True) if value]
    (dots,) = [m for m in curves["marks"] if m["kind"] == "points"]
    if len(texts) == 1:  # "both ...": one value for two dots that read the same
        return []
    problems = []
    for variant, layout in figure_checks.layouts(curves):
        X, Y, _ = figure_checks.maps(layout)
        boxes = [b for b, value in zip(figure_checks.text_boxes(curves, layout), is_value,
                                       strict=True) if value]
        for text, (s, box) in zip(texts, boxes, strict=True):
            own = {"blue": 0, "orange": 1}[text["color"]]
            assert np.allclose([text["x"], text["y"]], [dots["x"][own], dots["y"][own]],
                               rtol=1e-5), s  # the scene keeps 6 digits of a point
            mine, other = (_to_box(box, float(X(dots["x"][i])), float(Y(dots["y"][i])))
                           for i in (own, 1 - own))
            if not mine < other:
                problems.append(f"{values} {variant}: {s!r} is {mine:.1f} points from its dot, "
                                f"{other:.1f} from the other")
    return problems


# The desk's setting (the placed values at gap 5 and nearby), dots that nearly meet (rates about
# equal), the ends of the trials axis, and values near 0 and 1
VALUE_CASES = [dict(rate_a=a, rate_b=b, trials=n, gap=g)
               for a, b, n in ((50, 70, 10), (50, 45, 10), (85, 100, 5), (74, 23, 413),
                               (40, 50, 27), (3, 0, 159), (80, 82, 500), (0, 70, 10))
               for g in range(5, 55, 5)]


@pytest.mark.parametrize("values", VALUE_CASES, ids=lambda v: "-".join(map(str, v.values())))
def test_each_value_sits_nearer_its_own_dot_at_every_gap(values):
    """The desk: at gap 5 (and 10), "0.76" sat beside the blue dot and "0.82" beside the orange
    one, each value reading as the other policy's."""
    assert value_placement_problems(values) == []


@pytest.mark.parametrize("name", [p.name for p in tr.PARAMS])
def test_each_value_sits_nearer_its_own_dot_at_every_value_of_every_control(name):
    """Every value of one control, the others at the chapter's placed values (the old figure
    failed at 63 of them: rate_a 79-98, rate_b at 41 values from 0 to 44, gap 5 and 10)."""
    (param,) = [p for p in tr.PARAMS if p.name == name]
    problems = []
    for value in range(param.min, param.max + 1, int(param.step)):
        problems += value_placement_problems({**placed_values(), name: value})
    assert problems == []


def test_values_near_0_draw_clear_of_the_axis_with_their_value_beside_them():
    """The desk: panel b drew values near 0 on the x axis (the 0 tick 3 points above it, a dot
    at 0 across it). Wherever a value is below 0.05, along each control from the placed values:
    the 0 tick is at least 14 points above the axis line in both layouts (a dot's value fits
    below it: 5 points' gap and a 9-point line), each dot clears the axis by at least 10 points,
    and the value, exact to two decimals or "below 0.01", sits inside the plot."""
    from . import figure_checks
    settings = [{**placed_values(), p.name: v} for p in tr.PARAMS
                for v in range(p.min, p.max + 1, int(p.step))]
    low = [v for v in settings
           if min(min(m["y"]) for m in _curves(**v)["marks"] if m["kind"] == "points") < 0.05]
    assert len(low) > 100
    for values in low:
        curves = _curves(**values)
        (dots,) = [m for m in curves["marks"] if m["kind"] == "points"]
        said = {m["s"] for m in curves["marks"] if m["kind"] == "text"}
        for variant, layout in figure_checks.layouts(curves):
            X, Y, (bx0, by0, bx1, by1) = figure_checks.maps(layout)
            assert by1 - float(Y(0)) >= 14, (values, variant)
            assert all(by1 - (float(Y(y)) + dots["size"]) >= 10 for y in dots["y"]), values
            for s, (x0, y0, x1, y1) in figure_checks.text_boxes(curves, layout):
                assert bx0 <= x0 and x1 <= bx1 and by0 <= y0 and y1 <= by1 - 1, (values, s)
        for y in dots["y"]:
            assert tr.prob_text(y) in said or f"both {tr.prob_text(y)}" in said, (values, y)


def test_the_guides_steps_name_the_panels_by_letter_not_by_title():
    """The desk (phone, step 8): a step named a panel by its title ("the panel *probability,
    against trials per policy*"), which a reader must find by reading titles; the caption and
    the steps' headers name panels by letter."""
    from . import chapter
    text = DOC.read_text(encoding="utf-8")
    bodies = re.findall(r"^/// step \| trials.*?\n(.*?)^///$", text, re.M | re.S)
    settings = [values for key, values in chapter.steps("evaluation.md") if key == "trials"]
    assert len(bodies) == len(settings) > 0
    for body, values in zip(bodies, settings, strict=True):
        said = re.sub(r"[\s*_]+", " ", body).lower()
        for panel in tr.compute(**values)["panels"]:
            title = re.sub(r"\s+", " ", panel["title"]).lower()
            assert title not in said, (title, body)


@pytest.mark.parametrize("values", LABEL_CASES[::3], ids=lambda v: "-".join(map(str, v.values())))
def test_panel_b_keys_in_one_row_and_names_each_curve_on_the_plot(values):
    """The desk: (b)'s key took two rows for three entries above curves already labelled with
    their values. The key (the dashed reference lines) is one row wide and narrow, and each
    curve is named on the plot in its own colour, inside the plot."""
    from . import figure_checks
    curves = tr.compute(**values)["panels"][1]
    lines = [m for m in curves["marks"] if m["kind"] == "line"]
    assert len(lines) == 2 and not any(m.get("label") for m in lines)
    for variant, layout in figure_checks.layouts(curves):
        rows = {entry["y"] for entry in layout["legend"]["entries"]}
        assert len(rows) == 1, (variant, layout["legend"]["entries"])
        _, _, (bx0, by0, bx1, by1) = figure_checks.maps(layout)
        names = [(m["color"], box) for m, (_, box) in zip(
            [m for m in curves["marks"] if m["kind"] == "text"],
            figure_checks.text_boxes(curves, layout), strict=True) if not m["bold"]]
        assert sorted(c for c, _ in names) == sorted(m["color"] for m in lines), variant
        for _, (x0, y0, x1, y1) in names:
            assert bx0 <= x0 and x1 <= bx1 and by0 <= y0 and y1 <= by1, variant


# ---- the thirteenth graphics desk: each curve's name at its own curve, never between the two ---

def _curve_points(layout, mark):
    """Points every half point along a line mark, in a layout's points."""
    X, Y, _ = _maps(layout)
    return np.c_[_along(X(mark["x"]), Y(mark["y"]), 0.5)]


def _maps(layout):
    from . import figure_checks
    return figure_checks.maps(layout)


def _box_distance(box, pts):
    """Points from a box (x0, y0, x1, y1) to the nearest of ``pts`` (n, 2)."""
    x0, y0, x1, y1 = box
    dx = np.maximum(np.maximum(x0 - pts[:, 0], pts[:, 0] - x1), 0)
    dy = np.maximum(np.maximum(y0 - pts[:, 1], pts[:, 1] - y1), 0)
    return np.hypot(dx, dy)


def name_problems(values, margin=2.0, apart=4.0):
    """Panel b's curve names at one setting, in both layouts: each name nearer its own curve than
    the other by ``margin`` points (unless the two curves coincide, within ``apart`` points,
    where the other one comes nearest: there the name names both), and never between the two
    curves where they stand apart (at the name's middle, its centre above one curve and below
    the other, the curves more than a line of text apart there)."""
    from . import figure_checks
    panel = tr.compute(**values)["panels"][1]
    lines = {m["color"]: m for m in panel["marks"] if m["kind"] == "line"}
    texts = [m for m in panel["marks"] if m["kind"] == "text"]
    problems = []
    for variant, layout in figure_checks.layouts(panel):
        X, _, _ = figure_checks.maps(layout)
        pts = {c: _curve_points(layout, m) for c, m in lines.items()}
        for text, (s, box) in zip(texts, figure_checks.text_boxes(panel, layout), strict=True):
            if text["bold"]:
                continue  # a value beside its dot (test_each_value_sits_nearer_its_own_dot_...)
            mine, theirs = pts[text["color"]], pts[{"blue": "orange", "orange": "blue"}[
                text["color"]]]
            own, to_other = _box_distance(box, mine).min(), _box_distance(box, theirs)
            other = to_other.min()
            nearest = theirs[np.argmin(to_other)]
            coincide = np.hypot(*(mine - nearest).T).min() <= apart
            if not (own + margin <= other or (coincide and own <= other + 0.5)):
                problems.append(f"{values} {variant}: {s!r} {own:.1f} points from its curve, "
                                f"{other:.1f} from the other")
            x_mid, y_mid = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
            y_own = np.interp(x_mid, mine[:, 0], mine[:, 1])
            y_other = np.interp(x_mid, theirs[:, 0], theirs[:, 1])
            if (abs(y_own - y_other) > box[3] - box[1]
                    and min(y_own, y_other) < y_mid < max(y_own, y_other)):
                problems.append(f"{values} {variant}: {s!r} sits between the two curves")
    return problems


def name_cases():
    """The guide's steps, the placed values, each control's ends from them, and every number of
    trials and every gap from the placed values."""
    from . import chapter
    placed = placed_values()
    cases = [values for key, values in chapter.steps("evaluation.md") if key == "trials"]
    cases += [placed] + [{**placed, p.name: end} for p in tr.PARAMS for end in p.ends()]
    cases += [{**placed, name: v} for name in ("trials", "gap") for v in range(
        tr.PARAMS[[p.name for p in tr.PARAMS].index(name)].min,
        tr.PARAMS[[p.name for p in tr.PARAMS].index(name)].max + 1,
        int(tr.PARAMS[[p.name for p in tr.PARAMS].index(name)].step))]
    return cases


def test_each_curves_name_sits_at_its_own_curve_never_between_the_two():
    """The thirteenth desk (step 5, 50 trials): "B ahead of A" and "copies of A ≥ 30 points
    apart" stacked between the two curves at the left, colour alone tying each to its curve. At
    every guided step, the controls' ends and every number of trials and gap, wide and narrow,
    each name is nearest its own curve and on its far side from the other."""
    problems = [p for values in name_cases() for p in name_problems(values)]
    assert problems == [], f"{len(problems)} problems: {problems[:6]}"


def test_the_names_are_placed_for_the_plot_the_phone_draws():
    """The widget reaches the names' widths over the phone's plot: its size is the layout's."""
    from . import figure_checks
    panel = tr.compute(**placed_values())["panels"][1]
    _, _, (x0, y0, x1, y1) = figure_checks.maps(panel["narrow"])
    assert (tr.PLOT_WIDTH, tr.PLOT_HEIGHT) == pytest.approx((x1 - x0, y1 - y0))


def test_the_gap_sliders_name_says_between_what_and_is_no_longer_than_the_others():
    """The thirteenth desk: "Gap tested" did not say between what. The gap is between two runs of
    the same policy A (the solid curve of (b), "copies of A"): the slider's name says so, and,
    with its widest value, is about as wide as the other sliders' names with theirs (they sit
    on one line at 1280 and 390 wide)."""
    from visual_essay import scene as S
    (gap,) = [p for p in tr.PARAMS if p.name == "gap"]
    assert re.search(r"\bA\b.*\bA\b", gap.label), gap.label  # between A and A

    def widest(p):
        return max(S.text_width(f"{p.label} {v}{' ' if p.unit == 'points' else ''}{p.unit}", 11,
                                True) for v in p.ends())
    others = max(widest(p) for p in tr.PARAMS if p.name != "gap")
    assert widest(gap) <= others + 6, (widest(gap), others)


def test_no_two_texts_of_panel_b_run_together():
    """The fourteenth desk, on a phone: at 36-39 and 133-142 trials the blue curve's name and the
    blue dot's value stood corner to corner ("0.01 A vs A gap ≥ 30", read as one phrase). At
    every case of the names' test, and every number of trials at A's rate's ends (the fifteenth:
    at 35-37 trials and rate 99-100 "both below 0.01" ran into "B ahead of A"), wide and narrow,
    any two texts of (b) keep 3.5 points apart as estimated (the engine keeps 4 around a label
    beside its point: the page's font runs wider than the estimate, and the desk measured
    0.9-2.0 px at 144-147 trials with 3)."""
    from . import figure_checks
    close = []
    placed = placed_values()
    ends = [{**placed, "rate_a": a, "trials": n} for a in (99, 100)
            for n in range(tr.N_MIN, tr.N_MAX + 1)]
    for values in name_cases() + ends:
        panel = tr.compute(**values)["panels"][1]
        for variant, layout in figure_checks.layouts(panel):
            boxes = list(figure_checks.text_boxes(panel, layout))
            for i, (s, a) in enumerate(boxes):
                for t, b in boxes[i + 1:]:
                    gap = max(b[0] - a[2], a[0] - b[2], b[1] - a[3], a[1] - b[3])
                    if gap < 3.5:
                        close.append(f"{values} {variant}: {s!r} and {t!r} {gap:.1f} pt apart")
    assert close == [], f"{len(close)}: {close[:4]}"
