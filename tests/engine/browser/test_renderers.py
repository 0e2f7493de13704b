"""Both renderers draw every mark of the vocabulary, and every piece of a panel's furniture, the
same: matplotlib's SVG (the build) and the runtime's SVG (the browser), rasterized by Chromium at
the same size, have the same pixels (within a small tolerance), the same legend entries in the same
order and every text within 2 px (visual_essay.testing.compare, which every widget's contract test
uses too). The constants the runtime keeps beside layout.py's are held equal."""

import numpy as np
import pytest

from visual_essay import layout, scene as S
from visual_essay.figure import DRAW, render_panel, to_svg
from visual_essay.testing import Figures, compare, guard

pytestmark = pytest.mark.browser

X = np.linspace(0, 10, 40)
SHOWN = dict(x=S.axis(lim=(0, 10), hidden=True), y=S.axis(lim=(0, 10), hidden=True))
MARKS = {
    "line": lambda: [S.line(X, np.sin(X) * 3 + 5, color="blue", width=2)],
    "dashed hline": lambda: [S.hline([2.5, 7], color="red", width=2, dash=True)],
    "vline": lambda: [S.vline([3, 8.5], color="red", width=2)],
    "hband": lambda: [S.hband(3, 6, color="teal", opacity=0.6)],
    "vband": lambda: [S.vband(2, 4.5, color="purple", opacity=0.6)],
    "bars": lambda: [S.bars([1, 3, 5, 7, 9], [2, 6, 4, 8, 3], width=1.2, color="orange",
                            opacity=1)],
    "bars from a base": lambda: [S.bars([2, 6], [3, -2], base=[1, 6], width=2, color="green",
                                        opacity=1)],
    "errorbars": lambda: [S.errorbars([2, 5, 8], [5, 4, 6], [3, 1, 5], [7, 6, 8.5], width=2,
                                      cap=4, color="ink")],
    "points": lambda: [S.points([2, 5, 8], [3, 7, 5], color="red", size=5)],
    "marker shapes": lambda: [S.points([1.5 + 1.7 * i], [5], size=5, shape=s, color="blue")
                              for i, s in enumerate(S.SHAPES)],
    "area": lambda: [S.area(X, np.sin(X) + 3, np.sin(X) + 6, color="teal", opacity=0.6)],
    "polygon with a stroke": lambda: [S.polygon([1, 9, 5], [1, 2, 9], color="gold", opacity=0.4,
                                                stroke="ink")],
    "segments": lambda: [S.segments([1, 4], [1, 8], [3, 9], [9, 2], color="blue", width=2)],
    "arrow": lambda: [S.arrow(1, 1, 8, 7, color="purple", width=2)],
    "text, aligned and on two lines": lambda: [
        S.text(5, 8, "top, start", anchor="start", valign="top"),
        S.text(5, 5, "middle\non two lines", size=11, bold=True),
        S.text(5, 2, "bottom, end", anchor="end", valign="bottom", color="red")],
    "labels beside their points": lambda: [
        S.line(X, X), S.points([5, 5], [5, 5], size=4),
        S.text(5, 5, "beside", beside=True, gap=6), S.text(5, 5, "and another", beside=True),
        S.text(9.8, 9.8, "near the corner", color="red", beside=True)],
    "heatmap and colour bar": lambda: [S.heatmap(np.add.outer(np.arange(6), np.arange(8)),
                                                 (0, 10, 0, 10), colorbar="level")],
}


def legend_marks():
    return [S.area(X, X * 0, X * 0 + 1, color="teal", label="an area"),
            S.line(X, 9 - X * 0.5, color="blue", dash=True, label="a dashed line"),
            S.points([2, 8], [8, 2], shape="diamond", color="orange", label="diamonds"),
            S.bars([5], [4], color="purple", label="a bar"),
            S.segments([3, 4], [1, 1], [3, 4], [2, 2], color="red", label="ticks (upright key)"),
            S.line([6, 6], [1, 3], color="ink", label="a vertical line")]


# Panels with their furniture: axes, ticks, titles, letters, legends, notes, narrow layouts.
PANELS = {
    "axes, ticks, titles": lambda: [S.panel([S.line(X, X ** 2)], title="a titled panel",
                                            x=S.axis("time (s)"), y=S.axis("distance (m)"))],
    "a legend in a corner": lambda: [S.panel(legend_marks(), legend="upper right", **SHOWN)],
    "a legend placed above": lambda: [S.panel(legend_marks(), legend="auto", title="above",
                                              x=S.axis("x"), y=S.axis("y"))],
    "letters and a note": lambda: [
        S.panel([S.line(X, X)], title="a"),
        S.panel([S.hline([0])], title="empty here", empty="Nothing to show at these values.")],
    "a wide panel and its narrow layout": lambda: [
        S.panel([S.line(X * 1000, np.cos(X), label="cosine"),
                 S.text(5000, np.cos(5), "a label beside its point", beside=True)],
                size=(6, 2.5), legend="auto",
                title="a wide panel whose title wraps when the column is narrow",
                x=S.axis("x, in thousandths"), y=S.axis("cos"))],
    "a wide panel and the panel drawn for phones instead": lambda: [
        S.panel([S.line(X, np.sin(X), label="sine"), S.text(5, 0.5, "wide only")],
                size=(6, 2.5), legend="upper right", title="drawn again for phones",
                narrow=S.panel([S.points(X[::8], np.sin(X[::8]), label="sampled"),
                                S.text(2, 0.5, "phone only")],
                               size=(3.3, 3), legend="auto", x=S.axis(lim=(0, 10)),
                               y=S.axis("sin")))],
}


def panel_scene(make):
    # Rules and bands alone make an empty panel, shown with its note.
    return S.scene([S.panel(make(), size=(3.2, 2.4), empty="context only", **SHOWN)],
                   alt="a test figure")


@pytest.fixture(scope="module")
def canvas(browser, sites, pyodide_files):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = guard(context, pyodide_files)()
    page.goto(sites("fixture").url + "index.html")
    yield Figures(page, {})
    context.close()


def both(canvas, scene):
    """(where, build raster, browser raster) for every panel and layout of a scene."""
    return list(canvas.parity(scene))


@pytest.mark.parametrize("kind", MARKS)
def test_both_renderers_draw_the_mark_the_same(canvas, kind):
    [(where, build, browser)] = both(canvas, panel_scene(MARKS[kind]))
    ink = (build["pixels"] < 0.9).any(-1).sum()
    assert ink > 30, "a mark drew (almost) nothing"
    assert compare(build, browser) == []


@pytest.mark.parametrize("what", PANELS)
def test_both_renderers_draw_the_panel_the_same(canvas, what):
    scene = S.scene(PANELS[what](), alt="a test figure")
    found = both(canvas, scene)
    assert len(found) == sum(2 if p["narrow"] else 1 for p in scene["panels"])
    for where, build, browser in found:
        assert compare(build, browser) == [], where
        layout = scene["panels"][0]
        if "narrow" in where and "marks" in layout["narrow"]:
            layout = {**layout, **layout["narrow"]}
        if layout["legend"]:
            assert [t["s"] for t in build["texts"] if t["legend"]] == [
                e["label"] for e in layout["legend"]["entries"]]


def test_a_panel_drawn_for_phones_shows_its_own_marks_in_both_renderers(canvas):
    """``panel(narrow=...)``: the narrow SVG draws the phone's marks, legend and axes, not the
    wide panel's laid out again; the wide SVG is unchanged."""
    scene = S.scene(PANELS["a wide panel and the panel drawn for phones instead"](), alt="x")
    (_, wide, wide_js), (_, narrow, narrow_js) = both(canvas, scene)
    for build, browser, shown, hidden in ((wide, wide_js, "wide only", "phone only"),
                                          (narrow, narrow_js, "phone only", "wide only")):
        for raster in (build, browser):
            texts = [t["s"] for t in raster["texts"]]
            assert shown in texts and hidden not in texts
    assert [t["s"] for t in narrow["texts"] if t["legend"]] == ["sampled"]
    assert "sin" in [t["s"] for t in narrow["texts"]]  # its own y axis title


def test_the_comparison_sees_a_moved_legend_and_a_moved_text(canvas):
    """The check is not blind: the same panel with its legend in another corner, or a label
    3 px off, fails it."""
    small = dict(size=(3.2, 2.4), **SHOWN)
    scene = S.scene([S.panel(legend_marks(), legend="upper right", **small)], alt="x")
    moved = S.scene([S.panel(legend_marks(), legend="lower left", **small)], alt="x")
    [(_, build, _)] = both(canvas, scene)
    [(_, _, browser)] = both(canvas, moved)
    problems = compare(build, browser)
    assert any("pixels differ" in p for p in problems)
    assert any("'diamonds' at" in p for p in problems)
    text = S.scene([S.panel([S.text(5, 5, "label")], **small)], alt="x")
    p = text["panels"][0]
    shifted = {**p, "marks": [{**p["marks"][0], "x": 5 + 3 / (p["size"][0] * 72 - 12) * 10}]}
    build = canvas.raster(to_svg(render_panel(p)))
    browser = canvas.raster(canvas.page.evaluate("p => window.visualEssay.renderPanel(p)", shifted))
    assert any("'label' at" in problem for problem in compare(build, browser))


def test_the_browser_draws_exactly_the_mark_kinds_the_build_draws(canvas):
    """The runtime's mark table (marks.js) and matplotlib's (figure.DRAW) name the same kinds."""
    kinds = canvas.page.evaluate("window.visualEssay.markKinds")
    assert sorted(kinds) == sorted(DRAW), (
        f"only in the browser: {sorted(set(kinds) - set(DRAW))}; "
        f"only at build time: {sorted(set(DRAW) - set(kinds))}")


def test_the_runtime_keeps_the_constants_of_layout_py_and_the_shapes_of_scene_py(canvas):
    runtime = canvas.page.evaluate("window.visualEssay.layout")
    assert runtime["FONT"] == layout.FONT and runtime["BASELINE"] == layout.BASELINE
    for name in ("LINE_HEIGHT", "TICK", "TICK_GAP", "X_TICK_BASELINE", "X_LABEL_BASELINE",
                 "TITLE_BASELINE"):
        assert runtime[name] == getattr(layout, name), name
    assert runtime["LEGEND"] == {k: layout.LEGEND[k] for k in ("swatch", "text")}
    shapes = {k: v and [list(p) for p in v] for k, v in S.SHAPES.items()}
    assert runtime["SHAPES"] == shapes
