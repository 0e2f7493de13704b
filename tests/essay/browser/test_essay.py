"""The essay itself, page by page and widget by widget, as readers meet it: every widget goes live
and answers each of its controls; every page is axe-clean, quiet in the console and makes no request
outside localhost; screenshots at desktop and phone width, light and dark, for a person to look at."""

from pathlib import Path
import re

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect
import pytest

from visual_essay.params import format_value
from visual_essay.testing import LIVE_TIMEOUT as LIVE, change, guard, placements
from widgets import WIDGETS

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[3]
DOCS = ROOT / "docs"
SCREENSHOTS = ROOT / "test-results" / "screenshots"


def essay_pages():
    """Pages of the built essay (nav order is not needed: every page is checked)."""
    return sorted(p.with_suffix(".html").name for p in DOCS.glob("*.md")
                  if not p.name.startswith("_"))


PLACED = placements(DOCS)  # (page, widget) for every widget fence in the essay's Markdown


def test_every_registered_widget_is_placed_in_the_essay():
    assert sorted({w for _, w in PLACED}) == sorted(WIDGETS)


@pytest.fixture(scope="module")
def reader(browser, sites, pyodide_files):
    """One browser context for the module: the Python runtime is loaded once per page visit."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    new_page = guard(context, pyodide_files)
    yield sites("essay").url, new_page
    context.close()


@pytest.mark.parametrize("page_name", essay_pages())
def test_every_page_is_axe_clean_quiet_and_local(reader, page_name):
    url, new_page = reader
    page = new_page()
    page.goto(url + page_name)
    axe = Axe()
    static = axe.run(page)
    assert static.violations_count == 0, static.generate_report()
    figures = page.locator("figure.vw")
    if figures.count():
        figures.first.scroll_into_view_if_needed()
        expect(figures.first).to_have_attribute("data-status", "live", timeout=LIVE)
        live = axe.run(page)
        assert live.violations_count == 0, live.generate_report()
    page.watch.assert_clean()
    assert page.watch.outside_requests == []
    page.close()


@pytest.mark.parametrize("page_name,name", PLACED, ids=[f"{p}:{w}" for p, w in PLACED])
def test_widget_goes_live_and_answers_every_control(reader, page_name, name):
    url, new_page = reader
    page = new_page()
    page.goto(url + page_name)
    figure = page.locator(f'figure[data-widget="{name}"]').first
    figure.scroll_into_view_if_needed()
    expect(figure).to_have_attribute("data-status", "live", timeout=LIVE)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    figure.screenshot(path=SCREENSHOTS / f"widget-{name}-desktop-static.png")
    for control in figure.locator(".vw-controls [data-kind]").all():
        before = figure.evaluate(
            "f => f.querySelector('.vw-panels').innerHTML + f.querySelector('.vw-readouts')"
            ".innerHTML + f.querySelector('.vw-figure').getAttribute('aria-label')")
        kind = change(control)
        expect(figure).to_have_attribute("data-status", "live")
        if kind in ("slider", "stops"):  # its value reads as the build writes it ("50%", "−1 m")
            param = next(p for p in WIDGETS[name].PARAMS if p.name == control.get_attribute("name"))
            position = float(control.input_value())
            value = param.values[int(position)] if kind == "stops" else position
            shown = figure.locator(f'output[for="{control.get_attribute("id")}"]')
            expect(shown).to_have_text(format_value(value, param.unit))
        page.wait_for_function(
            "([f, before]) => f.querySelector('.vw-panels').innerHTML + "
            "f.querySelector('.vw-readouts').innerHTML + "
            "f.querySelector('.vw-figure').getAttribute('aria-label') !== before",
            arg=[figure.element_handle(), before], timeout=15_000)
        assert figure.locator(".vw-message").is_hidden(), f"{kind} control raised"
    figure.screenshot(path=SCREENSHOTS / f"widget-{name}-desktop-live.png")
    page.set_viewport_size({"width": 375, "height": 800})
    figure.scroll_into_view_if_needed()
    width = figure.evaluate("f => f.getBoundingClientRect().width")
    overflow = figure.evaluate("f => f.scrollWidth - f.clientWidth")
    assert width <= 375 and overflow <= 1, f"{name} is wider than a phone ({width}, {overflow})"
    figure.screenshot(path=SCREENSHOTS / f"widget-{name}-phone.png")
    page.watch.assert_clean()
    page.close()


def test_dark_scheme_themes_the_figures(browser, sites, pyodide_files):
    context = browser.new_context(color_scheme="dark", viewport={"width": 1280, "height": 900})
    page = guard(context, pyodide_files)()
    page.goto(sites("essay").url + PLACED[0][0])
    figure = page.locator("figure.vw").first
    ink = figure.evaluate("f => getComputedStyle(f).getPropertyValue('--vw-ink').trim()")
    assert ink == "#e6edf3", "dark scheme: light ink"
    tick = figure.locator(".vw-panels svg text").first
    fill = tick.evaluate("t => getComputedStyle(t).fill")
    assert fill == "rgb(230, 237, 243)", f"static figure text follows the scheme ({fill})"
    figure.screenshot(path=SCREENSHOTS / "dark-static.png")
    expect(figure).to_have_attribute("data-status", "live", timeout=LIVE)
    slider = figure.locator('input[type="range"]').first
    slider.focus()
    slider.press("End")
    page.wait_for_timeout(300)
    figure.screenshot(path=SCREENSHOTS / "dark-live.png")
    result = Axe().run(page)
    assert result.violations_count == 0, result.generate_report()
    context.close()


def test_print_shows_the_static_figures_without_controls(browser, sites, pyodide_files):
    context = browser.new_context()
    page = guard(context, pyodide_files)()
    page.goto(sites("essay").url + PLACED[0][0])
    page.emulate_media(media="print")
    figure = page.locator("figure.vw").first
    expect(figure.locator(".vw-controls")).to_be_hidden()
    expect(figure.locator(".vw-panels svg").first).to_be_visible()
    expect(figure.locator("figcaption")).to_be_visible()
    context.close()


def test_without_javascript_every_figure_is_there_with_caption_and_text_alternative(
        browser, sites):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    for page_name in {p for p, _ in PLACED}:
        page.goto(sites("essay").url + page_name)
        for figure in page.locator("figure.vw").all():
            expect(figure.locator(".vw-panels svg").first).to_be_visible()
            expect(figure.locator(".vw-controls")).to_be_hidden()
            label = figure.locator(".vw-figure").get_attribute("aria-label")
            assert label and len(label) > 20
            expect(figure.locator("figcaption")).to_contain_text(re.compile(r"Figure \d+\."))
    context.close()


@pytest.mark.parametrize("reduced", [True, False])
def test_motion_plays_unless_the_reader_prefers_reduced_motion(browser, sites, pyodide_files,
                                                                reduced):
    context = browser.new_context(reduced_motion="reduce" if reduced else "no-preference")
    page = guard(context, pyodide_files)()
    page.goto(sites("essay").url + "diffusion.html")
    figure = page.locator('figure[data-widget="diffusion_policy"]')
    figure.scroll_into_view_if_needed()
    expect(figure).to_have_attribute("data-status", "live", timeout=LIVE)
    figure.get_by_role("button", name="New sample").click()
    play = figure.locator(".vw-play")
    frame = figure.locator(".vw-motion input[type=range]")
    if reduced:  # paused on the final frame: the result, without the animation
        expect(play).to_have_text("Play")
        expect(play).to_have_attribute("aria-pressed", "false")
        expect(frame).to_have_value(frame.get_attribute("max"))
    else:  # plays once through, then stops on the final frame
        expect(play).to_have_text("Pause")
        expect(play).to_have_text("Play", timeout=15_000)
        expect(frame).to_have_value(frame.get_attribute("max"))
    play.click()  # the reader can always play it
    expect(play).to_have_attribute("aria-pressed", "true")
    page.watch.assert_clean()
    context.close()
