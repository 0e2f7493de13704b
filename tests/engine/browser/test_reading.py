"""What a reader does besides dragging: share a link, reload, go back, use only the keyboard."""

import re

from playwright.sync_api import expect
import pytest

from visual_essay.testing import LIVE_TIMEOUT as LIVE, readout, screenshot, table_ready

pytestmark = pytest.mark.browser


def live(page, widget="quantize"):
    figure = page.locator(f'figure[data-widget="{widget}"]').first
    expect(figure).to_have_attribute("data-status", "live", timeout=LIVE)
    return figure


def test_a_slider_value_lives_in_the_url_and_survives_reload(offline_page, sites):
    page = offline_page
    page.goto(sites("fixture").url + "index.html")
    quantize = live(page)
    quantize.locator('input[name="levels"]').fill("40")
    expect(page).to_have_url(re.compile(r"\?quantize\.levels=40$"))
    page.reload()
    quantize = live(page)
    expect(readout(quantize, "levels")).to_have_text("40")
    expect(quantize.locator('input[name="levels"]')).to_have_value("40")
    expect(quantize.locator(".vw-panels svg").first).to_contain_text("40 levels")
    page.watch.assert_clean()


def test_a_shared_link_configures_the_figure_and_back_forward_restore_it(offline_page, sites):
    page = offline_page
    page.goto(sites("fixture").url + "index.html?quantize.levels=8&faulty.colour=orange")
    quantize, faulty = live(page), live(page, "faulty")
    expect(readout(quantize, "levels")).to_have_text("8")
    expect(faulty.locator('select[name="colour"]')).to_have_value("orange")
    page.get_by_role("link", name="Next page").click()
    expect(page).to_have_url(re.compile(r"two\.html$"))
    live(page)
    page.go_back()
    expect(page).to_have_url(
        re.compile(r"index\.html\?quantize\.levels=8&faulty\.colour=orange$"))
    expect(readout(live(page), "levels")).to_have_text("8")
    page.go_forward()
    expect(page).to_have_url(re.compile(r"two\.html$"))
    expect(readout(live(page), "levels")).to_have_text("64")
    page.watch.assert_clean()


BAD_QUERIES = [
    "quantize.levels=9999", "quantize.levels=abc", "quantize.levels=16.5", "quantize.value=NaN",
    "quantize.levels=1e400", "quantize.nonsense=3", "quantize.levels=%3Cscript%3E",
    "quantize.value=", "quantize.rule=round", "quantize.edges=maybe", "faulty.colour=pink",
    "faulty.explode=yes", "faulty.level=-1", "nosuchwidget.x=1",
]


def test_bad_or_stale_url_values_are_ignored(offline_page, sites):
    page = offline_page
    page.goto(sites("fixture").url + "index.html?" + "&".join(BAD_QUERIES))
    quantize, faulty = live(page), live(page, "faulty")
    page.wait_for_timeout(300)  # give a (wrong) recompute the chance to happen
    expect(readout(quantize, "levels")).to_have_text("16")
    expect(quantize.locator('input[name="levels"]')).to_have_value("16")
    expect(quantize.locator('select[name="rule"]')).to_have_value("centre")
    expect(quantize.locator('input[name="edges"]')).to_be_checked()
    expect(faulty.locator('select[name="colour"]')).to_have_value("blue")
    expect(faulty.locator('input[name="explode"]')).not_to_be_checked()
    for figure in (quantize, faulty):
        expect(figure).to_have_attribute("data-status", "live")
        expect(figure.locator(".vw-message")).to_be_hidden()
    page.watch.assert_clean()


def test_good_url_values_apply_beside_bad_ones(offline_page, sites):
    page = offline_page
    page.goto(sites("fixture").url
              + "index.html?quantize.levels=9999&quantize.value=-0.5&faulty.level=7")
    quantize, faulty = live(page), live(page, "faulty")
    expect(readout(faulty, "slope")).to_have_text("7")
    expect(readout(quantize, "decoded value")).to_have_text("\u22120.4375")  # cell 4 of 16 on [-1, 1]
    expect(readout(quantize, "levels")).to_have_text("16")
    page.watch.assert_clean()


def test_python_checks_values_the_page_sends(offline_page, sites):
    page = offline_page
    page.goto(sites("fixture").url + "index.html")
    live(page)
    reply = page.evaluate("window.visualEssay.compute('quantize', {levels: 'import os'})")
    assert reply["error"] == "visual_essay.params.ParamError: invalid levels: 'import os' " \
                             "(expected a whole number from 2 to 256)"


def test_every_control_works_from_the_keyboard_alone(offline_page, sites):
    page = offline_page
    page.goto(sites("fixture").url + "index.html")
    faulty, quantize = live(page, "faulty"), live(page)
    level = faulty.locator('input[name="level"]')
    for _ in range(30):  # Tab from the top of the page until the first slider has focus
        page.keyboard.press("Tab")
        if level.evaluate("el => el === document.activeElement"):
            break
    else:
        pytest.fail("Tab never reached the first control")
    outline = level.evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline != "none", "focus must be visible"
    page.keyboard.press("ArrowRight")
    expect(readout(faulty, "slope")).to_have_text("4")
    page.keyboard.press("Tab")  # the checkbox
    page.keyboard.press("Tab")  # the select
    page.keyboard.press("ArrowDown")
    expect(faulty.locator('select[name="colour"]')).to_have_value("orange")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Space")  # the checkbox: raise
    expect(faulty).to_have_attribute("data-status", "error")
    page.keyboard.press("Space")
    expect(faulty).to_have_attribute("data-status", "live")
    levels = quantize.locator('input[name="levels"]')
    levels.focus()
    page.keyboard.press("End")
    expect(readout(quantize, "levels")).to_have_text("256")
    screenshot(page, "keyboard-focus")
    page.watch.assert_clean()


def test_a_slider_that_stops_at_listed_values_moves_one_value_per_position(no_python_page,
                                                                           sites):
    """params.Stops (the fixture's 4, 8, ..., 256 samples): each key press moves to the next
    listed value, answered from the page's table; the output, the value a screen reader hears,
    the sentence's number and the link say the value, never the input's position; a link's
    value that is not listed is ignored."""
    page = no_python_page
    page.goto(sites("fixture").url + "layout.html?panels.samples=128")
    figure = table_ready(page, "panels")
    samples = figure.locator('input[name="samples"]')
    output = figure.locator('.vw-slider:has(input[name="samples"]) output')
    title = figure.locator(".vw-panels svg").nth(1)
    expect(title).to_contain_text("its 128 samples")
    expect(samples).to_have_attribute("aria-valuetext", "128 points")
    samples.focus()
    page.keyboard.press("ArrowLeft")
    expect(title).to_contain_text("its 64 samples")
    expect(output).to_have_text("64 points")
    expect(samples).to_have_attribute("aria-valuetext", "64 points")
    page.keyboard.press("Home")
    expect(title).to_contain_text("its 4 samples")
    sentence = page.locator('.vw-prose-control[data-param="samples"]')
    expect(sentence).to_have_text("4 points")
    sentence.focus()
    page.keyboard.press("ArrowRight")
    expect(title).to_contain_text("its 8 samples")
    expect(sentence).to_have_attribute("aria-valuetext", "8 points")
    expect(page).to_have_url(re.compile(r"\?panels\.samples=8$"))
    # Dragged sideways the whole range takes about 300 px, however few its positions: 100 px
    # to the right is two of the six.
    box = sentence.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2 + 100, box["y"] + box["height"] / 2, steps=8)
    page.mouse.up()
    expect(title).to_contain_text("its 32 samples")
    page.goto(sites("fixture").url + "layout.html?panels.samples=100")
    figure = table_ready(page, "panels")
    expect(figure.locator('.vw-slider:has(input[name="samples"]) output')).to_have_text("64 points")
    expect(figure.locator(".vw-panels svg").nth(1)).to_contain_text("its 64 samples")
    page.watch.assert_clean()
