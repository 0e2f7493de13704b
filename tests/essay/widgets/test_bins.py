"""The bins figure: discretization as the text states it, and every sentence about the figure
computed from the value and the number of bins shown."""

import numpy as np
import pytest

from visual_essay.registry import compute
from visual_essay.snapshots import extremes
from widgets import WIDGETS
from widgets import bins as b

from . import figure_checks
from visual_essay.params import true_minus

CASES = [(2, -1.0), (16, 0.377), (16, 1.0), (96, -0.333), (256, 0.999), (256, 0.0)]


def test_every_value_decodes_within_half_a_bin_and_the_bound_is_tight():
    for n in (2, 7, 16, 256):
        values = np.linspace(b.LOW, b.HIGH, 2001)
        errors = np.abs(b.bin_centre(b.discretize(values, n), n) - values)
        half_bin = (b.HIGH - b.LOW) / (2 * n)
        assert errors.max() <= half_bin + 1e-12 and errors.max() > 0.99 * half_bin


@pytest.mark.parametrize("n,position", CASES)
def test_alt_text_and_readouts_state_this_value_and_these_bins(n, position):
    scene = compute("bins", {"bins": n, "position": position}, WIDGETS)
    index = int(b.discretize(position, n))
    decoded = float(b.bin_centre(index, n))
    error = abs(decoded - position)
    max_error = (b.HIGH - b.LOW) / (2 * n)
    assert true_minus(f"With {n} bins the value {position:.3f} falls in bin {index}") in scene["alt"]
    assert true_minus(f"decoded as its centre {decoded:.4f}, an error of {error:.4f}") in scene["alt"]
    assert f"half a bin, {max_error:.4f}" in scene["alt"]
    shown = {r["label"]: r["text"] for r in scene["readouts"]}
    assert shown["bin index"] == f"{index:,}"
    assert shown["vocabulary per dimension"] == f"{n:,}"
    # the values the chapter's sentences quote
    assert scene["values"] == {
        "error": f"{error:.3g}",
        "max_error": f"{max_error:.3g}",
        "max_of_unit": f"1/{n}",
        "max_of_range": f"1/{2 * n}",
    }
    assert max_error == pytest.approx(1 / n) and max_error / 2 == pytest.approx(1 / (2 * n))


def test_the_chapter_quotes_the_figure_and_lets_the_reader_set_its_bins():
    from . import chapter

    page = "actions.md"
    source = chapter.prose(page)
    for bound in (
        "with {=bins.bins} bins it lands {=bins.error} away, and no value can be off by "
        "more than {=bins.max_error}",
        "With {=bins.bins} bins over the figure's range of 2 units, the worst-case error "
        "is {=bins.max_of_unit} of a unit, {=bins.max_of_range} of the range. Drag the "
        "number to 256",
    ):
        assert bound in source, bound
    n, position = chapter.placed("bins", page)["bins"], chapter.placed("bins", page)["position"]
    error = abs(float(b.bin_centre(b.discretize(position, n), n)) - position)
    text = chapter.rendered(page)
    assert (
        f"with {n} bins it lands {error:.3g} away, and no value can be off by more than {1 / n:.3g}"
    ) in text
    assert (
        f"With {n} bins over the figure's range of 2 units, the worst-case error is 1/{n} of "
        f"a unit, 1/{2 * n} of the range"
    ) in text


@pytest.mark.parametrize("case", [{}, *extremes(WIDGETS["bins"])])
def test_dots_show_whole_and_the_error_label_stays_in_its_panel(case):
    """The review found the dots half-cut at the axis ends (bins 2 and 256, the value at -1 or 1)
    and 'error 0.0625' past the zoomed panel's edge at 1."""
    scene = compute("bins", case, WIDGETS)
    assert figure_checks.clipped(scene) + figure_checks.texts_leaving(scene) == []


def test_the_caption_names_the_panels_by_letter():
    from . import chapter

    scene = compute("bins", chapter.placed("bins", "actions.md"), WIDGETS)
    assert figure_checks.caption_problems(chapter.caption("bins", "actions.md"), scene) == []


@pytest.mark.parametrize("n", [2, 16, 48, 49, 100, 255, 256])
def test_panel_a_draws_edges_a_phone_can_tell_apart_and_says_which(n):
    """The review found 256 bins' edges merged into a grey block in panel a on a phone: past
    MAX_EDGES it draws every 2nd, 4th or 8th edge, evenly, from -1 to 1, and its title says so."""
    full = b.compute(n, 0.377)["panels"][0]
    xs = np.asarray(full["marks"][0]["x"])[::2]  # one per edge: each segment is (x, x)
    assert len(xs) <= b.MAX_EDGES + 1 and xs[0] == b.LOW and xs[-1] == b.HIGH
    step = np.diff(xs)[:-1]  # the last may be shorter when n is not a multiple
    assert np.allclose(step, step[0], atol=1e-5)  # scenes carry six significant digits
    every = round(step[0] * n / (b.HIGH - b.LOW))
    said = f": every {b.ORDINAL[every]} edge drawn" if every > 1 else ""
    assert full["title"] == f"{n} bins over [−1, 1]{said}"


def test_the_discretized_value_differs_from_the_continuous_one_by_shape_and_never_hides_it():
    """The fifth graphics desk: black and green dots of one shape, told apart by colour alone,
    and at 256 bins the green one hid the black. The discretized value is a smaller diamond on
    the continuous value's dot, in every panel that draws both."""
    scene = compute("bins", {"bins": 256}, WIDGETS)
    for panel in scene["panels"][:2]:
        dots = [m for m in panel["marks"] if m["kind"] == "points"]
        ink = [m for m in dots if m["color"] == "ink"]
        green = [m for m in dots if m["color"] == "green"]
        if not ink:
            continue
        assert ink[0]["shape"] == "circle" and green[0]["shape"] == "diamond"
        assert 1.25 * green[0]["size"] < ink[0]["size"]  # the diamond's tips inside the dot


def dots_inside(scene, clearance=0.5):
    """Each dot's whole marker (its size is its radius; a shape reaches SHAPES' farthest vertex)
    at least ``clearance`` points inside its plot, where both renderers clip it, per layout."""
    from visual_essay.scene import SHAPES

    problems = []
    for number, panel in enumerate(scene["panels"], 1):
        for variant, layout in figure_checks.layouts(panel):
            X, Y, (x0, y0, x1, y1) = figure_checks.maps(layout)
            for mark in (m for m in panel["marks"] if m["kind"] == "points"):
                reach = max(
                    (max(abs(a), abs(b)) for a, b in SHAPES[mark["shape"]] or ()), default=1.0
                )
                r = reach * mark["size"] + clearance
                x, y = X(mark["x"]), Y(mark["y"])
                if (
                    np.any(x - r < x0)
                    or np.any(x + r > x1)
                    or np.any(y - r < y0)
                    or np.any(y + r > y1)
                ):
                    problems.append(
                        f"panel {number} ({variant}): {mark['color']} dot at "
                        f"{mark['x']}, {mark['y']}"
                    )
    return problems


@pytest.mark.parametrize(
    "n,position", [(2, -1.0), (2, 1.0), (256, -1.0), (256, 1.0), (16, 0.377), (256, 0.377)]
)
def test_every_dot_shows_whole_inside_its_plot_at_the_axis_ends(n, position):
    """The sixth graphics desk: at 256 bins panel c's green dot sat on the axis's right end, cut.
    The shared check takes a dot's radius as at most 4.5 pt, the legend's; the plot draws a dot
    of size 5 at radius 5 and clips it at the plot's edge (0.34 pt of it was cut at 256 bins)."""
    assert dots_inside(compute("bins", {"bins": n, "position": position}, WIDGETS)) == []


def test_the_bins_slider_gives_few_bins_as_much_track_as_many():
    """The sixth desk: a linear slider from 2 to 256 gave 2-32 bins (where the error changes
    most) an eighth of its track, 15 px on a phone. The slider stops at two values per doubling:
    2-32 take half of it, every doubling the same share, and every stop is in the page's table."""
    bins = b.PARAMS[0]
    share = bins.table_index(32) / (len(bins.values) - 1)
    assert share >= 0.5
    doublings = [bins.table_index(v) for v in (2, 4, 8, 16, 32, 64, 128, 256)]
    assert len(set(np.diff(doublings))) == 1
    assert bins.grid(bins.default) == list(bins.values)


@pytest.mark.parametrize("bins", [2, 16, 256])
@pytest.mark.parametrize("position", [-1.0, 1.0])
def test_a_value_at_the_ranges_end_sits_inside_panel_bs_axis_on_a_marked_end(bins, position):
    """The desk (position 1): the black dot in (b) sat on the right end of the axis and merged
    with the end marker. The axis runs on past a range's end, the dot's disc 8 points or more
    inside the plot, and the range's end is an edge of its own: darker and taller than the
    bins' other edges, reaching past the dot above and below."""
    zoom = b.compute(bins=bins, position=position)["panels"][1]
    dot = next(m for m in zoom["marks"] if m["kind"] == "points" and m["color"] == "ink")
    edges = [
        m for m in zoom["marks"] if m["kind"] == "segments" and m["color"] in ("gray", "muted")
    ]
    (end,) = [m for m in edges if m["color"] == "muted" and position in m["x"]]
    others = [m for m in edges if m is not end]
    assert max(end["y"]) > max(max(m["y"]) for m in others)
    for _, layout in figure_checks.layouts(zoom):
        X, Y, (x0, _, x1, _) = figure_checks.maps(layout)
        r = min(max(dot["size"], 2.5), 4.5)  # the renderers' radius
        cx = float(X(dot["x"][0]))
        assert cx - r - x0 >= 8 and x1 - (cx + r) >= 8, (cx, x0, x1)
        reach = float(Y(0)) - float(Y(max(end["y"])))  # points above the dot's centre
        assert reach >= r + 6
