"""How figures present themselves beyond the controls: accessible (axe) before and after Python,
themed by the dark scheme, static in print, whole without JavaScript, and their motion played
unless the reader prefers reduced motion. On the fixture site."""

from pathlib import Path
import re

from playwright.sync_api import expect
import pytest

from visual_essay.testing import LIVE_TIMEOUT as LIVE, guard, placements, screenshot

pytestmark = pytest.mark.browser

PAGES = sorted({page for page, _ in placements(Path(__file__).parents[1] / "fixtures/docs")})


def run_axe(page):
    """axe-core's report on the page (imported here: the lowest-versions run collects this file
    without the axe package)."""
    from axe_playwright_python.sync_playwright import Axe

    return Axe().run(page)


@pytest.mark.parametrize("page_name", PAGES)
def test_every_page_is_axe_clean_before_and_after_python_and_local(browser, sites, pyodide_files,
                                                                   page_name):
    # Tall enough to show every figure of a fixture page unscrolled: scrolling starts Material's
    # header animation, and axe would measure its text's contrast halfway through the fade.
    context = browser.new_context(viewport={"width": 1280, "height": 2000})
    page = guard(context, pyodide_files)()
    page.goto(sites("fixture").url + page_name)
    static = run_axe(page)
    assert static.violations_count == 0, static.generate_report()
    for figure in page.locator("figure.vw").all():
        expect(figure).to_be_in_viewport()
        expect(figure).to_have_attribute("data-status", "live", timeout=LIVE)
    live = run_axe(page)
    assert live.violations_count == 0, live.generate_report()
    page.watch.assert_clean()
    assert page.watch.outside_requests == []
    context.close()


def test_dark_scheme_themes_the_figures(browser, sites, pyodide_files):
    context = browser.new_context(color_scheme="dark", viewport={"width": 1280, "height": 900})
    page = guard(context, pyodide_files)()
    page.goto(sites("fixture").url + "two.html")
    figure = page.locator("figure.vw").first
    ink = figure.evaluate("f => getComputedStyle(f).getPropertyValue('--vw-ink').trim()")
    assert ink == "#e6edf3", "dark scheme: light ink"
    tick = figure.locator(".vw-panels svg text").first
    fill = tick.evaluate("t => getComputedStyle(t).fill")
    assert fill == "rgb(230, 237, 243)", f"static figure text follows the scheme ({fill})"
    expect(figure).to_have_attribute("data-status", "live", timeout=LIVE)
    slider = figure.locator('input[type="range"]').first
    slider.focus()
    slider.press("End")
    expect(figure.locator(".vw-panels svg").first).to_contain_text("256 levels")
    live_fill = figure.locator(".vw-panels svg text").first.evaluate(
        "t => getComputedStyle(t).fill")
    assert live_fill == "rgb(230, 237, 243)", f"live figure text follows the scheme ({live_fill})"
    screenshot(page, "fixture-dark-live")
    result = run_axe(page)
    assert result.violations_count == 0, result.generate_report()
    page.watch.assert_clean()
    context.close()


def test_print_shows_the_static_figures_without_controls(offline_page, sites):
    page = offline_page
    page.goto(sites("fixture").url + "index.html")
    page.emulate_media(media="print")
    for figure in page.locator("figure.vw").all():
        expect(figure.locator(".vw-controls")).to_be_hidden()
        expect(figure.locator(".vw-panels svg").first).to_be_visible()
        expect(figure.locator("figcaption")).to_be_visible()


def test_without_javascript_every_figure_is_there_with_caption_and_text_alternative(
        browser, sites):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    for page_name in PAGES:
        page.goto(sites("fixture").url + page_name)
        for figure in page.locator("figure.vw").all():
            expect(figure.locator(".vw-panels svg").first).to_be_visible()
            expect(figure.locator(".vw-controls")).to_be_hidden()
            label = figure.locator(".vw-figure").get_attribute("aria-label")
            assert label and len(label) > 15
            expect(figure.locator("figcaption")).to_contain_text(re.compile(r"Figure \d+\."))
    context.close()


# The frame slider on its last frame, read together (the new sample's scene may bring another
# number of frames: reading max first and the value later raced the redraw).
AT_LAST_FRAME = "(frame) => frame.value === frame.max"


@pytest.mark.parametrize("reduced", [True, False])
def test_motion_plays_unless_the_reader_prefers_reduced_motion(browser, sites, pyodide_files,
                                                                reduced):
    context = browser.new_context(reduced_motion="reduce" if reduced else "no-preference")
    page = guard(context, pyodide_files)()
    page.goto(sites("fixture").url + "three.html")
    figure = page.locator('figure[data-widget="walk"]')
    figure.scroll_into_view_if_needed()
    expect(figure).to_have_attribute("data-status", "live", timeout=LIVE)
    panels = figure.locator(".vw-panels")
    before = panels.inner_html()
    figure.get_by_role("button", name="New sample").click()
    # The old sample already rests on its last frame: wait for the new one before reading the bar.
    page.wait_for_function("([el, before]) => el.innerHTML !== before",
                           arg=[panels.element_handle(), before])
    play = figure.locator(".vw-play")
    frame = figure.locator(".vw-motion input[type=range]")
    if reduced:  # paused on the final frame: the result, without the animation
        expect(play).to_have_text("Play")
        expect(play).to_have_attribute("aria-pressed", "false")
        page.wait_for_function(AT_LAST_FRAME, arg=frame.element_handle())
    else:  # plays once through, then stops on the final frame
        expect(play).to_have_text("Pause")
        expect(play).to_have_text("Play", timeout=15_000)
        page.wait_for_function(AT_LAST_FRAME, arg=frame.element_handle())
    play.click()  # the reader can always play it
    expect(play).to_have_attribute("aria-pressed", "true")
    page.watch.assert_clean()
    context.close()


def test_a_touch_keeps_the_frame_the_reader_is_at_and_keeps_it_playing(browser, sites,
                                                                       pyodide_files):
    """The review found an essay's animation starting over at every touch of a slider: a reader
    dragging one while it played never saw it get past the first frames. A touch other
    than a new sample keeps the frame shown, and keeps it playing if it was."""
    context = browser.new_context(reduced_motion="no-preference")
    page = guard(context, pyodide_files)()
    context.route("**/pyodide/**", lambda route: route.abort("connectionfailed"))
    page.goto(sites("fixture").url + "three.html")
    figure = page.locator('figure[data-widget="walk"]')
    figure.scroll_into_view_if_needed()
    expect(figure).to_have_attribute("data-status", "table", timeout=15_000)
    play, frame = figure.locator(".vw-play"), figure.locator(".vw-motion input[type=range]")
    steps = figure.get_by_role("slider", name="Steps")
    frame.fill("2")  # the reader stops at the third frame, then changes the walk's length
    expect(figure.locator(".vw-motion output")).to_have_text("step 15")
    steps.focus()
    steps.press("End")  # 100 steps (in the table)
    expect(figure.locator(".vw-panels svg").first).to_contain_text("100 steps")
    page.wait_for_timeout(500)  # 4 frames' time: an animation started by the touch would show
    assert frame.input_value() == "2" and play.get_attribute("aria-pressed") == "false"
    expect(figure.locator(".vw-motion output")).to_have_text("step 37")
    play.click()
    expect(play).to_have_attribute("aria-pressed", "true")
    steps.press("Home")  # a touch while it plays: it goes on playing
    expect(figure.locator(".vw-panels svg").first).to_contain_text("10 steps")
    expect(play).to_have_attribute("aria-pressed", "true")
    expect(play).to_have_text("Play", timeout=15_000)  # and stops at the end, as played
    expect(frame).to_have_value("7")
    page.watch.assert_clean()
    context.close()


def test_a_figure_with_motion_has_its_play_bar_from_the_start_on_its_still_frame(
        browser, sites, pyodide_files):
    """The build writes the play bar, disabled with the controls and set to the still frame the
    static figure shows; once the table answers, Play plays from it, Python or not, and the
    frame slider shows the frame asked for without recomputing the figure."""
    built = (sites("fixture").path / "three.html").read_text()
    controls = re.search(r'id="vw-walk".*?<fieldset disabled>(.*?)</fieldset>', built, re.S)
    assert controls and '<button type="button" class="vw-play"' in controls.group(1)
    assert 'max="7" step="1" value="7"' in controls.group(1), "set to the still frame"
    context = browser.new_context(reduced_motion="reduce")
    page = guard(context, pyodide_files)()
    context.route("**/pyodide/**", lambda route: route.abort("connectionfailed"))
    page.goto(sites("fixture").url + "three.html")
    figure = page.locator('figure[data-widget="walk"]')
    play, frame = figure.locator(".vw-play"), figure.locator(".vw-motion input[type=range]")
    expect(frame).to_have_value(frame.get_attribute("max"))
    expect(figure.locator(".vw-motion output")).to_have_text("step 40")
    before = figure.locator(".vw-panels").inner_html()
    figure.scroll_into_view_if_needed()
    expect(figure).to_have_attribute("data-status", "table", timeout=15_000)
    expect(play).to_be_enabled()
    frame.fill("1")  # the frame slider: a frame, not a parameter
    expect(figure.locator(".vw-motion output")).to_have_text("step 10")
    assert figure.locator(".vw-panels").inner_html() != before
    frame.fill("7")
    expect(figure.locator(".vw-motion output")).to_have_text("step 40")
    play.click()
    expect(play).to_have_attribute("aria-pressed", "true")
    expect(play).to_have_text("Play", timeout=15_000)  # played once through, then stopped
    expect(frame).to_have_value("7")
    context.close()
