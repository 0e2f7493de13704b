"""Both renderers draw every mark of the vocabulary in the same place: matplotlib's SVG (the build)
and the runtime's SVG (the browser), rasterized by Chromium at the same size, cover the same pixels.
Text is hidden (fonts differ by design); everything else must land within two pixels."""

import io

import matplotlib.image
import numpy as np
from playwright.sync_api import expect
import pytest

from visual_essay import scene as S
from visual_essay.figure import DRAW, render_panels, to_svg

pytestmark = pytest.mark.browser

X = np.linspace(0, 10, 40)
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
    "area": lambda: [S.area(X, np.sin(X) + 3, np.sin(X) + 6, color="teal", opacity=0.6)],
    "polygon": lambda: [S.polygon([1, 9, 5], [1, 2, 9], color="gold", opacity=0.9)],
    "segments": lambda: [S.segments([1, 4], [1, 8], [3, 9], [9, 2], color="blue", width=2)],
    "heatmap and colour bar": lambda: [S.heatmap(np.add.outer(np.arange(6), np.arange(8)),
                                                 (0, 10, 0, 10), colorbar="level")],
}


def panel_scene(make):
    return S.scene([S.panel(make(), size=(3.2, 2.4), x=S.axis(lim=(0, 10), hidden=True),
                            y=S.axis(lim=(0, 10), hidden=True))], alt="a test figure")


@pytest.fixture(scope="module")
def canvas(browser, sites, pyodide_files):
    from visual_essay.testing import guard
    context = browser.new_context(viewport={"width": 700, "height": 600})
    page = guard(context, pyodide_files)()
    page.goto(sites("fixture").url + "index.html")
    page.wait_for_function("Boolean(window.visualEssay && window.visualEssay.renderPanel)")
    page.evaluate("""() => {
        const box = document.createElement('div');
        box.className = 'vw-panels';
        box.id = 'parity';
        box.style.cssText = 'position:fixed;left:0;top:0;width:480px;background:#fff;z-index:99';
        const style = document.createElement('style');
        style.textContent = '#parity text { visibility: hidden }';
        document.body.append(box, style);
    }""")
    yield page
    context.close()


def raster(page, svg):
    page.evaluate("svg => { document.getElementById('parity').innerHTML = svg; }", svg)
    element = page.locator("#parity svg")
    expect(element).to_be_visible()
    image = matplotlib.image.imread(io.BytesIO(element.screenshot()), format="png")[..., :3]
    return np.abs(image - 1.0).max(-1) > 0.08  # ink: anything not white


def near(a, b, pixels=2):
    """The share of a's ink within ``pixels`` of b's ink."""
    grown = b.copy()
    for dy in range(-pixels, pixels + 1):
        for dx in range(-pixels, pixels + 1):
            grown |= np.roll(np.roll(b, dy, 0), dx, 1)
    return (a & grown).sum() / max(a.sum(), 1)


@pytest.mark.parametrize("kind", MARKS)
def test_both_renderers_put_the_mark_on_the_same_pixels(canvas, kind):
    scene = panel_scene(MARKS[kind])
    build = raster(canvas, to_svg(render_panels(scene)[0]))
    browser = raster(canvas, canvas.evaluate("p => window.visualEssay.renderPanel(p)",
                                             scene["panels"][0]))
    assert build.shape == browser.shape
    assert build.sum() > 30 and browser.sum() > 30, "a mark drew (almost) nothing"
    assert near(build, browser) > 0.9 and near(browser, build) > 0.9, (
        f"{kind}: {near(build, browser):.2f} of the build's ink lies near the browser's, "
        f"{near(browser, build):.2f} the other way")


def test_the_browser_draws_exactly_the_mark_kinds_the_build_draws(canvas):
    """The runtime's mark table (marks.js) and matplotlib's (figure.DRAW) name the same kinds."""
    kinds = canvas.evaluate("window.visualEssay.markKinds")
    assert sorted(kinds) == sorted(DRAW), (
        f"only in the browser: {sorted(set(kinds) - set(DRAW))}; "
        f"only at build time: {sorted(set(DRAW) - set(kinds))}")
