"""Interactive before Python: each page's table of scenes computed at build time answers the
controls from first paint; values outside it wait for Python and say so; Python takes over without
a flash or a jump; URL state, file://, and readers who save data."""

import json
from pathlib import Path

from playwright.sync_api import expect
import pytest

from fixture_widgets import WIDGETS
from visual_essay import tables
from visual_essay.params import GRID
from visual_essay.testing import (FIGURE_SHOWN as SHOWN, LIVE_TIMEOUT as LIVE, assert_close,
                                  change, expect_error, guard, placements, readout, screenshot,
                                  table_ready)

pytestmark = pytest.mark.browser

PYODIDE = "**/pyodide/**"  # the offline site's Pyodide files: blocked, they never arrive
FAULTY_ERROR = "ZeroDivisionError: faulty widget asked to fail at level 3"  # at its default level
# The fixture site's figures, but faulty: its toggle raises on purpose (tested on its own below).
PLACED = [(page, name) for page, name in placements(Path(__file__).parent.parent / "fixtures/docs")
          if name != "faulty"]


@pytest.mark.parametrize("page_name,name", PLACED, ids=[f"{p}:{w}" for p, w in PLACED])
def test_with_no_python_every_widget_answers_every_control_from_the_table(
        no_python_page, sites, page_name, name):
    page = no_python_page
    url = sites("fixture").url + page_name
    page.goto(url)
    controls = table_ready(page, name).locator(".vw-controls [data-kind]").count()
    for i in range(controls):
        page.goto(url)  # one control at a time, from the figure's own values
        figure = table_ready(page, name)
        before = figure.evaluate(SHOWN)
        change(figure.locator(".vw-controls [data-kind]").nth(i))
        page.wait_for_function(f"([f, before]) => ({SHOWN})(f) !== before",
                               arg=[figure.element_handle(), before], timeout=5_000)
        assert "vw-waiting" not in figure.get_attribute("class")
        expect(figure.locator(".vw-message")).to_be_hidden()
    assert page.evaluate("performance.getEntriesByName('vw-ready').length") == 0


def test_the_same_from_file_url_with_a_notice_that_says_how_to_get_python(offline_page, sites):
    page = offline_page
    page.goto((sites("fixture").path / "three.html").as_uri())
    expect(page.locator(".vw-notice")).to_contain_text("python serve.py")
    figure = table_ready(page, "walk")
    for _ in range(2):  # the "new sample" button, twice: two of the table's samples
        before = figure.evaluate(SHOWN)
        figure.locator('[data-kind="seed"]').click()
        page.wait_for_function(f"([f, before]) => ({SHOWN})(f) !== before",
                               arg=[figure.element_handle(), before], timeout=5_000)
    screenshot(page, "tables-from-file")


def test_a_slider_snaps_to_the_table_grid_until_python_then_moves_by_its_own_step(
        offline_page, sites):
    page = offline_page
    page.route(PYODIDE, lambda route: route.abort("connectionfailed"))
    page.goto(sites("fixture").url + "index.html")
    quantize = table_ready(page, "quantize")
    slider = quantize.locator('input[name="levels"]')
    grid = page.evaluate("document.querySelector('figure[data-widget=quantize]').vw.table"
                         ".grids.levels")
    assert len(grid) <= GRID and 16 in grid and grid[0] == 2 and grid[-1] == 256
    slider.focus()
    page.keyboard.press("ArrowRight")  # one grid step, not one level: the arrows never stick
    following = grid[grid.index(16) + 1]
    expect(slider).to_have_value(str(following))
    expect(readout(quantize, "levels")).to_have_text(str(following))
    page.keyboard.press("ArrowLeft")
    expect(slider).to_have_value("16")


def test_the_pages_first_figure_answers_from_the_part_of_its_table_a_reader_reaches_first(
        no_python_page, sites):
    """On a slow connection the first figure's whole table takes seconds: the part a reader
    reaches first (its own scene, each control one place away or at its end) comes with the
    page, just before the figure, no request of its own, and answers; a value beyond it waits,
    and is answered once the whole table is in."""
    page = no_python_page
    held = []
    page.route("**/tables/*.js", lambda route: held.append(route))  # held until let through
    page.goto(sites("fixture").url + "two.html", wait_until="domcontentloaded")  # (load waits
    quantize = table_ready(page, "quantize")                    # for the held table script)
    assert quantize.evaluate("f => f.vw.table.part") is True
    assert quantize.evaluate("""f => {  // the part, in the page just before the figure
        const part = document.querySelector("div.vw-table-part[hidden]#vw-first-quantize");
        return !!(part.compareDocumentPosition(f) & Node.DOCUMENT_POSITION_FOLLOWING); }""")
    levels = quantize.locator('input[name="levels"]')
    grid = quantize.evaluate("f => f.vw.table.grids.levels")
    levels.focus()
    page.keyboard.press("ArrowRight")  # one place: in the part
    expect(readout(quantize, "levels")).to_have_text(str(grid[grid.index(64) + 1]))
    expect(quantize).to_have_class("vw")
    page.keyboard.press("Home")  # the slider's end: in the part too
    expect(readout(quantize, "levels")).to_have_text("2")
    expect(quantize).to_have_class("vw")
    page.keyboard.press("ArrowRight")  # one place on from the end: only in the whole table
    expect(quantize).to_have_class("vw vw-waiting")
    assert len(held) == 1 and "quantize" in held[0].request.url  # its whole table
    held[0].continue_()
    expect(quantize).to_have_class("vw")
    expect(readout(quantize, "levels")).to_have_text(str(grid[1]))
    assert quantize.evaluate("f => f.vw.table.part") is None
    assert quantize.evaluate("f => f.dataset.tableFirst") == "#vw-first-quantize"
    # The page's other figures (and a figure whose table is small) have no part.
    assert page.evaluate("[...document.querySelectorAll('figure.vw')].slice(1)"
                         ".every((f) => !f.dataset.tableFirst)")


def test_values_outside_the_table_wait_for_python_and_say_so(no_python_page, sites):
    page = no_python_page
    page.goto(sites("fixture").url + "index.html")
    quantize = table_ready(page, "quantize")
    expect(page.locator(".vw-notice")).to_contain_text("could not load", timeout=LIVE)
    quantize.locator('input[name="levels"]').focus()
    page.keyboard.press("End")  # in the table
    expect(readout(quantize, "levels")).to_have_text("256")
    shown = quantize.evaluate(SHOWN)
    height = quantize.bounding_box()["height"]
    quantize.locator('input[name="value"]').focus()
    page.keyboard.press("Home")  # two sliders moved: not in the table
    expect(quantize).to_have_class("vw vw-waiting")
    message = quantize.locator(".vw-message")
    expect(message).to_be_visible()
    # Over the dimmed panels, not added below them: the page does not move under the reader.
    assert quantize.bounding_box()["height"] == height
    expect(message).to_contain_text("not computed when the site was built")
    assert quantize.locator(".vw-figure").get_attribute("aria-label").startswith("Waiting")
    assert quantize.locator(".vw-panels").inner_html() in shown, \
        "no nearby scene passed off as exact"
    screenshot(page, "tables-waiting")
    quantize.locator('input[name="value"]').fill("0.377")  # the figure's own: in the table again
    expect(quantize).to_have_class("vw")
    expect(message).to_be_hidden()


def test_python_takes_over_with_no_flash_and_no_jump_then_computes_any_value(
        offline_page, sites):
    page = offline_page
    on_grid = next(v for v in WIDGETS["quantize"].PARAMS[0].grid(16) if v > 16)
    page.goto(sites("fixture").url + f"index.html?quantize.levels={on_grid}")  # a shared link
    quantize = page.locator('figure[data-widget="quantize"]')
    expect(quantize).to_have_attribute("data-status", "table", timeout=15_000)
    expect(readout(quantize, "levels")).to_have_text(str(on_grid))
    quantize.evaluate("f => f.addEventListener('vw:drawn', e => (window.drawnBy ||= [])"
                      ".push(e.detail.source))")
    panels = quantize.locator(".vw-panels").inner_html()
    expect(quantize).to_have_attribute("data-status", "live", timeout=LIVE)
    assert quantize.locator(".vw-panels").inner_html() == panels, "Python redrew the same scene"
    expect(quantize.locator('input[name="levels"]')).to_have_value(str(on_grid))
    assert page.evaluate("window.drawnBy || []") == [], "nothing was redrawn when Python came"
    # Off the grid: Python computes it.
    quantize.locator('input[name="levels"]').fill(str(on_grid + 1))
    expect(readout(quantize, "levels")).to_have_text(str(on_grid + 1))
    assert page.evaluate("window.drawnBy") == ["python"]
    page.watch.assert_clean()


def test_url_state_applies_from_the_table_and_off_table_values_wait(no_python_page, sites):
    page = no_python_page
    page.goto(sites("fixture").url + "index.html?quantize.levels=256&faulty.level=7")
    quantize, faulty = table_ready(page, "quantize"), table_ready(page, "faulty")
    expect(readout(quantize, "levels")).to_have_text("256")
    expect(readout(faulty, "slope")).to_have_text("7")
    page.goto(sites("fixture").url + "index.html?quantize.levels=57")
    quantize = table_ready(page, "quantize")
    expect(quantize.locator('input[name="levels"]')).to_have_value("57")
    expect(quantize).to_have_class("vw vw-waiting")


def test_an_error_the_build_met_shows_inline_as_pythons_would(no_python_page, sites):
    page = no_python_page
    page.goto(sites("fixture").url + "index.html")
    faulty = table_ready(page, "faulty")
    faulty.get_by_label("Raise an error").check()
    expect_error(faulty, FAULTY_ERROR)  # the words live Python says (test_runtime.py)
    faulty.get_by_label("Raise an error").uncheck()
    expect(faulty).to_have_attribute("data-status", "table")
    expect(faulty.locator(".vw-message")).to_be_hidden()


def test_a_reader_saving_data_gets_the_table_and_a_button_not_16_mb(context, sites,
                                                                     pyodide_files):
    context.add_init_script("Object.defineProperty(navigator, 'connection', "
                            "{ value: { saveData: true, effectiveType: '4g' } })")
    page = guard(context, pyodide_files)()
    wasm = []
    page.on("request", lambda r: r.url.endswith("pyodide.asm.wasm") and wasm.append(r.url))
    page.goto(sites("fixture").url + "index.html")
    quantize = table_ready(page, "quantize")
    button = page.get_by_role("button", name="Run live Python (17 MB)")
    expect(button).to_be_visible()
    quantize.locator('input[name="levels"]').focus()
    page.keyboard.press("End")
    expect(readout(quantize, "levels")).to_have_text("256")
    page.wait_for_timeout(1500)
    assert wasm == [], "no Python download until the reader asks"
    screenshot(page, "tables-save-data")
    button.click()
    expect(quantize).to_have_attribute("data-status", "live", timeout=LIVE)
    assert len(wasm) == 1
    quantize.locator('input[name="levels"]').fill("57")
    expect(readout(quantize, "levels")).to_have_text("57")
    page.watch.assert_clean()


@pytest.mark.parametrize("page_name,name", [("index.html", "quantize"), ("three.html", "walk")])
def test_the_table_is_the_scene_python_computes(offline_page, sites, page_name, name):
    """Spot check: the table's entries for the figure's own values and for one change of each
    control equal what Pyodide computes for the values their keys stand for."""
    page = offline_page
    page.goto(sites("fixture").url + page_name)
    figure = page.locator(f'figure[data-widget="{name}"]')
    expect(figure).to_have_attribute("data-status", "live", timeout=LIVE)
    table = figure.evaluate("""f => {
        const t = f.vw.table, parse = (x) => (typeof x === "string" ? JSON.parse(x) : x);
        return {keys: Object.keys(t.index), index: t.index, scenes: t.scenes.map(parse),
                marks: t.marks.map(parse)};
    }""")
    declarations = WIDGETS[name].PARAMS
    own = json.loads(figure.get_attribute("data-params"))
    # What each control's part of a key stands for: its values in the table, by table index.
    meaning = [{p.table_index(v): v for v in p.table_values(own[p.name])} for p in declarations]
    own_key = tables.key(declarations, own)
    keys = [own_key] + [next(k for k in table["keys"] if k.split(",")[i] != own_key.split(",")[i])
                        for i in range(len(declarations))]
    for key in keys:
        params = {p.name: meaning[i][int(part)]
                  for i, (p, part) in enumerate(zip(declarations, key.split(",")))}
        reply = page.evaluate("([n, p]) => window.visualEssay.compute(n, p)", [name, params])
        stored = table["scenes"][table["index"][key]]
        stored = {**stored, "panels": [{**p, "marks": [table["marks"][i] for i in p["marks"]]}
                                       for p in stored["panels"]]}
        assert_close(stored, json.loads(reply["scene"]), f"{name}[{key}]")
