"""What a reader does besides dragging: share a link, reload, go back, use only the keyboard."""

import re

from playwright.sync_api import expect
import pytest

from tests.browser.test_runtime import LIVE, readout
from tests.conftest import screenshot

pytestmark = pytest.mark.browser


def live(page, widget="bins"):
    figure = page.locator(f'figure[data-widget="{widget}"]').first
    expect(figure).to_have_attribute("data-status", "live", timeout=LIVE)
    return figure


def test_a_slider_value_lives_in_the_url_and_survives_reload(offline_page, sites):
    page = offline_page
    page.goto(sites("fixture").url + "index.html")
    bins = live(page)
    bins.locator('input[name="bins"]').fill("40")
    expect(page).to_have_url(re.compile(r"\?bins\.bins=40$"))
    page.reload()
    bins = live(page)
    expect(readout(bins, "action tokens needed")).to_have_text("40")
    expect(bins.locator('input[name="bins"]')).to_have_value("40")
    expect(bins.locator(".vw-panels svg").first).to_contain_text("40 bins")
    page.watch.assert_clean()


def test_a_shared_link_configures_the_figure_and_back_forward_restore_it(offline_page, sites):
    page = offline_page
    page.goto(sites("fixture").url + "index.html?bins.bins=8&faulty.colour=orange")
    bins, faulty = live(page), live(page, "faulty")
    expect(readout(bins, "action tokens needed")).to_have_text("8")
    expect(faulty.locator('select[name="colour"]')).to_have_value("orange")
    page.get_by_role("link", name="Next page").click()
    expect(page).to_have_url(re.compile(r"two\.html$"))
    live(page)
    page.go_back()
    expect(page).to_have_url(re.compile(r"index\.html\?bins\.bins=8&faulty\.colour=orange$"))
    expect(readout(live(page), "action tokens needed")).to_have_text("8")
    page.go_forward()
    expect(page).to_have_url(re.compile(r"two\.html$"))
    expect(readout(live(page), "action tokens needed")).to_have_text("64")
    page.watch.assert_clean()


BAD_QUERIES = [
    "bins.bins=9999", "bins.bins=abc", "bins.bins=16.5", "bins.position=NaN",
    "bins.bins=1e400", "bins.nonsense=3", "bins.bins=%3Cscript%3E", "bins.position=",
    "faulty.colour=pink", "faulty.explode=yes", "faulty.level=-1", "nosuchwidget.x=1",
]


def test_bad_or_stale_url_values_are_ignored(offline_page, sites):
    page = offline_page
    page.goto(sites("fixture").url + "index.html?" + "&".join(BAD_QUERIES))
    bins, faulty = live(page), live(page, "faulty")
    page.wait_for_timeout(300)  # give a (wrong) recompute the chance to happen
    expect(readout(bins, "action tokens needed")).to_have_text("16")
    expect(bins.locator('input[name="bins"]')).to_have_value("16")
    expect(faulty.locator('select[name="colour"]')).to_have_value("blue")
    expect(faulty.locator('input[name="explode"]')).not_to_be_checked()
    for figure in (bins, faulty):
        expect(figure).to_have_attribute("data-status", "live")
        expect(figure.locator(".vw-message")).to_be_hidden()
    page.watch.assert_clean()


def test_good_url_values_apply_beside_bad_ones(offline_page, sites):
    page = offline_page
    page.goto(sites("fixture").url + "index.html?bins.bins=9999&bins.position=-0.5&faulty.level=7")
    bins, faulty = live(page), live(page, "faulty")
    expect(readout(faulty, "slope")).to_have_text("7")
    expect(readout(bins, "decoded value")).to_have_text("-0.4375")  # bin 4 of 16 over [-1, 1]
    expect(readout(bins, "action tokens needed")).to_have_text("16")
    page.watch.assert_clean()


def test_python_checks_values_the_page_sends(offline_page, sites):
    page = offline_page
    page.goto(sites("fixture").url + "index.html")
    live(page)
    reply = page.evaluate("window.visualEssay.compute('bins', {bins: 'import os'})")
    assert reply["error"] == "visual_essay.params.ParamError: invalid bins: 'import os' (expected a " \
                             "whole number from 2 to 256)"


def test_every_control_works_from_the_keyboard_alone(offline_page, sites):
    page = offline_page
    page.goto(sites("fixture").url + "index.html")
    faulty, bins = live(page, "faulty"), live(page)
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
    bins_slider = bins.locator('input[name="bins"]')
    bins_slider.focus()
    page.keyboard.press("End")
    expect(readout(bins, "action tokens needed")).to_have_text("256")
    screenshot(page, "keyboard-focus")
    page.watch.assert_clean()
