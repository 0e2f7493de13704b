"""Interactive before Python: each page's table of scenes computed at build time answers the
controls from first paint; values outside it wait for Python and say so; Python takes over without
a flash or a jump; URL state, file://, and readers who save data."""

import json

from playwright.sync_api import expect
import pytest

from tests.browser.test_essay import PLACED, change
from tests.browser.test_runtime import LIVE, readout
from tests.conftest import guard, screenshot
from visual_essay.params import GRID
from widgets import WIDGETS

pytestmark = pytest.mark.browser

PYODIDE = "**/pyodide/**"  # the offline site's Pyodide files: blocked, they never arrive
SHOWN = ("f => f.querySelector('.vw-panels').innerHTML + f.querySelector('.vw-readouts')"
         ".innerHTML + f.querySelector('.vw-figure').getAttribute('aria-label')")


@pytest.fixture
def no_python(context, pyodide_files):
    """A page whose Pyodide files never arrive (the requests hang up)."""
    new_page = guard(context, pyodide_files)
    context.route(PYODIDE, lambda route: route.abort("connectionfailed"))
    return new_page()


def table_ready(page, name):
    figure = page.locator(f'figure[data-widget="{name}"]').first
    figure.scroll_into_view_if_needed()
    expect(figure).to_have_attribute("data-status", "table", timeout=15_000)
    return figure


@pytest.mark.parametrize("page_name,name", PLACED, ids=[f"{p}:{w}" for p, w in PLACED])
def test_with_no_python_every_widget_answers_every_control_from_the_table(
        no_python, sites, page_name, name):
    page = no_python
    url = sites("essay").url + page_name
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
    page.goto((sites("essay").path / "diffusion.html").as_uri())
    expect(page.locator(".vw-notice")).to_contain_text("python serve.py")
    for name in ("diffusion_policy", "action_chunking"):
        figure = table_ready(page, name)
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
    bins = table_ready(page, "bins")
    slider = bins.locator('input[name="bins"]')
    grid = page.evaluate("document.querySelector('figure[data-widget=bins]').vw.table"
                         ".grids.bins")
    assert len(grid) <= GRID and 16 in grid and grid[0] == 2 and grid[-1] == 256
    slider.focus()
    page.keyboard.press("ArrowRight")  # one grid step, not one bin: the arrows never stick
    following = grid[grid.index(16) + 1]
    expect(slider).to_have_value(str(following))
    expect(readout(bins, "action tokens needed")).to_have_text(str(following))
    page.keyboard.press("ArrowLeft")
    expect(slider).to_have_value("16")


def test_values_outside_the_table_wait_for_python_and_say_so(no_python, sites):
    page = no_python
    page.goto(sites("fixture").url + "index.html")
    bins = table_ready(page, "bins")
    expect(page.locator(".vw-notice")).to_contain_text("could not load", timeout=LIVE)
    bins.locator('input[name="bins"]').focus()
    page.keyboard.press("End")  # in the table
    expect(readout(bins, "action tokens needed")).to_have_text("256")
    shown = bins.evaluate(SHOWN)
    bins.locator('input[name="position"]').focus()
    page.keyboard.press("Home")  # two sliders moved: not in the table
    expect(bins).to_have_class("vw vw-waiting")
    message = bins.locator(".vw-message")
    expect(message).to_be_visible()
    expect(message).to_contain_text("not computed when the site was built")
    assert bins.locator(".vw-figure").get_attribute("aria-label").startswith("Waiting")
    assert bins.locator(".vw-panels").inner_html() in shown, "no nearby scene passed off as exact"
    screenshot(page, "tables-waiting")
    bins.locator('input[name="position"]').fill("0.377")  # the figure's own: in the table again
    expect(bins).to_have_class("vw")
    expect(message).to_be_hidden()


def test_python_takes_over_with_no_flash_and_no_jump_then_computes_any_value(
        offline_page, sites):
    page = offline_page
    on_grid = next(v for v in WIDGETS["bins"].PARAMS[0].grid(16) if v > 16)
    page.goto(sites("fixture").url + f"index.html?bins.bins={on_grid}")  # from a shared link
    bins = page.locator('figure[data-widget="bins"]')
    expect(bins).to_have_attribute("data-status", "table", timeout=15_000)
    expect(readout(bins, "action tokens needed")).to_have_text(str(on_grid))
    bins.evaluate("f => f.addEventListener('vw:drawn', e => (window.drawnBy ||= [])"
                  ".push(e.detail.source))")
    panels = bins.locator(".vw-panels").inner_html()
    expect(bins).to_have_attribute("data-status", "live", timeout=LIVE)
    assert bins.locator(".vw-panels").inner_html() == panels, "Python redrew the same scene"
    expect(bins.locator('input[name="bins"]')).to_have_value(str(on_grid))
    assert page.evaluate("window.drawnBy || []") == [], "nothing was redrawn when Python came"
    bins.locator('input[name="bins"]').fill(str(on_grid + 1))  # off the grid: Python computes it
    expect(readout(bins, "action tokens needed")).to_have_text(str(on_grid + 1))
    assert page.evaluate("window.drawnBy") == ["python"]
    page.watch.assert_clean()


def test_url_state_applies_from_the_table_and_off_table_values_wait(no_python, sites):
    page = no_python
    page.goto(sites("fixture").url + "index.html?bins.bins=256&faulty.level=7")
    bins, faulty = table_ready(page, "bins"), table_ready(page, "faulty")
    expect(readout(bins, "action tokens needed")).to_have_text("256")
    expect(readout(faulty, "slope")).to_have_text("7")
    page.goto(sites("fixture").url + "index.html?bins.bins=57")
    bins = table_ready(page, "bins")
    expect(bins.locator('input[name="bins"]')).to_have_value("57")
    expect(bins).to_have_class("vw vw-waiting")


def test_an_error_the_build_met_shows_inline_as_pythons_would(no_python, sites):
    page = no_python
    page.goto(sites("fixture").url + "index.html")
    faulty = table_ready(page, "faulty")
    faulty.get_by_label("Raise an error").check()
    expect(faulty).to_have_attribute("data-status", "error")
    expect(faulty.locator(".vw-message")).to_contain_text(
        "ZeroDivisionError: faulty widget asked to fail at level 3")
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
    bins = table_ready(page, "bins")
    button = page.get_by_role("button", name="Run live Python (17 MB)")
    expect(button).to_be_visible()
    bins.locator('input[name="bins"]').focus()
    page.keyboard.press("End")
    expect(readout(bins, "action tokens needed")).to_have_text("256")
    page.wait_for_timeout(1500)
    assert wasm == [], "no Python download until the reader asks"
    screenshot(page, "tables-save-data")
    button.click()
    expect(bins).to_have_attribute("data-status", "live", timeout=LIVE)
    assert len(wasm) == 1
    bins.locator('input[name="bins"]').fill("57")
    expect(readout(bins, "action tokens needed")).to_have_text("57")
    page.watch.assert_clean()


def test_the_table_is_the_scene_python_computes(offline_page, sites):
    """Spot check across the essay: a few table entries equal what Pyodide computes for them."""
    page = offline_page
    page.goto(sites("essay").url + "imitation.html")
    figure = page.locator('figure[data-widget="bc_drift"]')
    expect(figure).to_have_attribute("data-status", "live", timeout=LIVE)
    entries = figure.evaluate("""f => {
        const t = f.vw.table, keys = Object.keys(t.index).slice(0, 6), parse = (x) =>
            (typeof x === "string" ? JSON.parse(x) : x);
        return keys.map(k => [k, parse(t.scenes[t.index[k]]), t.marks.map(parse)]);
    }""")
    names = [p for p in json.loads(figure.get_attribute("data-params"))]
    for key, stored, marks in entries:
        params = json.loads(figure.get_attribute("data-params"))
        indices = [int(i) for i in key.split(",")]
        controls = figure.locator(".vw-controls [data-kind]")
        for i, name in enumerate(names):
            el = controls.nth(i)
            kind = el.get_attribute("data-kind")
            if kind == "slider":
                params[name] = float(el.get_attribute("min")) + indices[i] * float(
                    el.get_attribute("step"))
                params[name] = round(params[name], 10)
                if float(params[name]).is_integer() and float(el.get_attribute("step")) >= 1:
                    params[name] = int(params[name])
            elif kind == "toggle":
                params[name] = bool(indices[i])
            elif kind == "seed":
                params[name] = indices[i]
        reply = page.evaluate("([n, p]) => window.visualEssay.compute(n, p)", ["bc_drift", params])
        python = json.loads(reply["scene"])
        table = {**stored, "panels": [{**p, "marks": [marks[i] for i in p["marks"]]}
                                      for p in stored["panels"]]}
        assert table["alt"] == python["alt"] and table["readouts"] == python["readouts"], key
