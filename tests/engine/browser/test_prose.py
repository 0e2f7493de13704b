"""Sentences that follow their figure, guided steps and the data behind a figure, as a reader meets
them in Chromium: before Python (answered from the page's table), live in Python, and from
file://. The fixture page is ``fixtures/docs/prose.md``; every number the page shows is compared
with what CPython's ``compute`` gives at the figure's current values."""

import functools
import http.server
import json
from pathlib import Path
import re
import threading
import time

from playwright.sync_api import expect
import pytest

from visual_essay.registry import compute
from visual_essay.testing import LIVE_TIMEOUT, screenshot, table_ready

pytestmark = pytest.mark.browser


def widgets():
    from fixture_widgets import WIDGETS

    return WIDGETS


def form_values(figure):
    """The figure's values as its form holds them (what the reader has set)."""
    return figure.evaluate("""f => Object.fromEntries([...f.querySelectorAll('[data-kind]')].map(
        (el) => [el.name, el.dataset.kind === 'toggle' ? el.checked : el.dataset.kind === 'choice'
                 ? el.value : Number(el.value)]))""")


def quoted(page, key):
    """The text of each value the page's sentences quote from figure ``key`` (not in steps)."""
    return page.evaluate(f"""() => Object.fromEntries([...document.querySelectorAll(
        '.vw-value[data-figure="{key}"]:not([data-step])')].map((s) => [s.dataset.value,
        s.textContent]))""")


def expected_values(figure):
    return compute("quantize", form_values(figure), widgets())["values"]


def open_prose(page, sites):
    page.goto(sites("fixture").url + "prose.html")
    return page.locator("#vw-quantize")


def test_quoted_values_follow_the_figure_from_the_table_before_python(no_python_page, sites):
    page = no_python_page
    figure = open_prose(page, sites)
    table_ready(page, "quantize")
    assert quoted(page, "quantize") == expected_values(figure)  # the build's text to start
    for key in ("ArrowLeft", "Home", "End"):
        figure.locator('input[name="levels"]').focus()
        page.keyboard.press(key)
        assert quoted(page, "quantize") == expected_values(figure), key
    expect(figure).to_have_attribute("data-status", "table")
    # A second control moved too: values the table does not hold wait for Python, and the
    # sentences, like the figure, keep the last values, marked as such.
    before = quoted(page, "quantize")
    figure.locator('input[name="value"]').focus()
    page.keyboard.press("Home")
    expect(figure).to_have_class("vw vw-waiting")
    assert quoted(page, "quantize") == before
    expect(page.locator('.vw-value[data-figure="quantize"]').first).to_have_class(
        "vw-value vw-stale")
    page.watch.assert_clean()


def test_a_control_in_a_sentence_and_the_figures_own_stay_in_step(no_python_page, sites):
    page = no_python_page
    figure = open_prose(page, sites)
    table_ready(page, "quantize")
    levels = page.locator('.vw-prose-control[data-param="levels"]')
    expect(levels).to_have_attribute("role", "slider")
    expect(levels).to_have_attribute("aria-label", "Levels")
    levels.focus()
    page.keyboard.press("ArrowRight")  # one step of the table's grid, as the figure's slider
    value = figure.locator('input[name="levels"]').input_value()
    assert value != "16"
    expect(levels).to_have_text(value)
    expect(levels).to_have_attribute("aria-valuenow", value)
    expect(page).to_have_url(re.compile(rf"quantize\.levels={value}\b"))  # URL state follows
    assert quoted(page, "quantize") == expected_values(figure)
    # ...and the other way round: the figure's own slider moves the sentence's number.
    figure.locator('input[name="levels"]').focus()
    page.keyboard.press("End")
    expect(levels).to_have_text("256")
    # A choice in a sentence is a select; a toggle a switch.
    page.locator('.vw-prose-control[data-param="rule"] select').select_option("floor")
    expect(figure.locator('select[name="rule"]')).to_have_value("floor")
    edges = page.locator('.vw-prose-control[data-param="edges"]')
    expect(edges).to_have_attribute("aria-checked", "true")
    edges.focus()
    page.keyboard.press(" ")
    expect(figure.locator('input[name="edges"]')).not_to_be_checked()
    expect(edges).to_have_text("off")
    assert quoted(page, "quantize") == expected_values(figure)
    # A drag sideways moves the number too.
    box = levels.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] - 150, box["y"] + box["height"] / 2, steps=8)
    page.mouse.up()
    assert int(figure.locator('input[name="levels"]').input_value()) < 256
    expect(levels).to_have_text(figure.locator('input[name="levels"]').input_value())
    page.watch.assert_clean()


def test_quoted_values_follow_python_for_values_no_table_holds(offline_page, sites):
    page = offline_page
    figure = open_prose(page, sites)
    figure.scroll_into_view_if_needed()
    expect(figure).to_have_attribute("data-status", "live", timeout=LIVE_TIMEOUT)
    value = figure.locator('input[name="value"]')
    value.focus()
    page.keyboard.press("ArrowRight")  # 0.378: off the table's grid of 24 values
    assert value.input_value() == "0.378"
    wanted = expected_values(figure)
    page.wait_for_function("""want => Object.entries(want).every(([name, text]) => document
        .querySelector(`.vw-value[data-figure="quantize"][data-value="${name}"]`).textContent
        === text)""", arg=wanted, timeout=LIVE_TIMEOUT)
    assert quoted(page, "quantize") == wanted
    page.watch.assert_clean()


def test_changed_sentences_are_read_out_once_when_the_reader_settles(no_python_page, sites):
    page = no_python_page
    figure = open_prose(page, sites)
    table_ready(page, "quantize")
    page.evaluate("""() => { window.readOut = [];
        new MutationObserver(() => window.readOut.push(document.querySelector('.vw-voice')
          .textContent)).observe(document.body, {childList: true, subtree: true,
          characterData: true}); }""")
    figure.locator('input[name="value"]').focus()
    for _ in range(4):
        page.keyboard.press("PageUp")
    page.wait_for_timeout(1500)
    read = page.evaluate("window.readOut")
    assert len(read) == 1, read
    v = expected_values(figure)  # the paragraph of fixtures/docs/prose.md, as it now reads
    assert read[0] == (f"With 16 levels the value is rounded to {v['decoded']}, an error of "
                       f"{v['error']}: rounding moved it {v['side']}. Round to the cell's centre; "
                       "show the edges: on.")
    expect(page.locator(".vw-voice")).to_have_attribute("aria-live", "polite")


def test_guided_steps_set_the_figure_and_never_fight_the_reader(no_python_page, sites):
    page = no_python_page
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(sites("fixture").url + "prose.html")
    guided = page.locator("#vw-steps")
    table_ready(page, "quantize")
    expect(guided).to_have_attribute("data-status", "table")
    steps = page.locator('.vw-step[data-figure="steps"]')
    expect(page.locator(".vw-guide")).to_have_class("vw-guide vw-guide-live")
    for i in range(steps.count()):
        step = steps.nth(i)
        step.evaluate("s => s.scrollIntoView({block: 'center'})")
        wanted = json.loads(step.get_attribute("data-params"))
        expect(step).to_have_class("vw-step vw-step-active")
        page.wait_for_function("""([f, want]) => [...document.querySelectorAll(
            `#${f} [data-kind]`)].every((el) => String(el.dataset.kind === 'toggle' ? el.checked
            : el.value) === String(want[el.name]))""", arg=["vw-steps", wanted])
        assert guided.locator(".vw-figure").get_attribute("aria-label") == \
            compute("quantize", wanted, widgets())["alt"]
        expect(guided).to_be_in_viewport()  # the figure stays in view while its steps scroll
        screenshot(page, f"fixture-guide-step-{i}")
    # The reader moves a control on the last step: a small scroll within it keeps their choice.
    guided.locator('input[name="levels"]').focus()
    page.keyboard.press("Home")
    page.mouse.wheel(0, 40)
    page.wait_for_timeout(300)
    assert guided.locator('input[name="levels"]').input_value() == "2"
    # Back to the first step: the guide takes over again.
    steps.nth(0).evaluate("s => s.scrollIntoView({block: 'center'})")
    expect(guided.locator('input[name="levels"]')).to_have_value("4")
    # A step's sentences quote the figure at the step's values, whatever the figure shows now.
    frozen = steps.nth(2).locator(".vw-value").inner_text()
    assert frozen == compute("quantize", json.loads(steps.nth(2).get_attribute("data-params")),
                             widgets())["values"]["error"]
    page.watch.assert_clean()


def test_a_shared_links_values_stay_until_the_reader_moves_to_another_step(no_python_page,
                                                                          sites):
    """A link's values are the reader's choice: the first step reached keeps them (it would
    otherwise replace them before they were seen); the next step sets the figure again."""
    page = no_python_page
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(sites("fixture").url + "prose.html?steps.levels=29&steps.rule=floor")
    table_ready(page, "quantize")
    guided = page.locator("#vw-steps")
    levels, rule = guided.locator('input[name="levels"]'), guided.locator('select[name="rule"]')
    expect(levels).to_have_value("29")
    steps = page.locator('.vw-step[data-figure="steps"]')
    steps.nth(0).evaluate("s => s.scrollIntoView({block: 'center'})")
    expect(steps.nth(0)).to_have_class("vw-step vw-step-active vw-step-left")  # says so
    page.wait_for_timeout(300)
    assert (levels.input_value(), rule.input_value()) == ("29", "floor")
    assert guided.locator(".vw-figure").get_attribute("aria-label") == \
        compute("quantize", {**form_values(guided)}, widgets())["alt"]
    steps.nth(1).evaluate("s => s.scrollIntoView({block: 'center'})")
    expect(levels).to_have_value("16")
    steps.nth(0).evaluate("s => s.scrollIntoView({block: 'center'})")
    expect(levels).to_have_value("4")
    expect(rule).to_have_value("centre")
    page.watch.assert_clean()


def test_a_step_the_reader_moved_away_from_says_so_and_offers_the_way_back(no_python_page,
                                                                            sites):
    """Its sentences quote the step's values, not the figure's: once the reader moves a control,
    they are dimmed and a button sets the step's values again; nothing on the page moves."""
    page = no_python_page
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(sites("fixture").url + "prose.html")
    table_ready(page, "quantize")
    guided = page.locator("#vw-steps")
    levels = guided.locator('input[name="levels"]')
    steps = page.locator('.vw-step[data-figure="steps"]')
    step = steps.nth(1)
    step.evaluate("s => s.scrollIntoView({block: 'center'})")
    expect(step).to_have_class("vw-step vw-step-active")
    expect(guided.locator('select[name="rule"]')).to_have_value("floor")  # the step's values
    back = step.get_by_role("button", name="Show this step again")
    expect(back).to_be_hidden()
    place = step.evaluate("s => [s.getBoundingClientRect().top, s.offsetHeight]")
    opacity = "s => getComputedStyle(s.querySelector('.vw-value')).opacity"
    assert step.evaluate(opacity) == "1"
    levels.focus()
    page.keyboard.press("ArrowRight")
    expect(step).to_have_class("vw-step vw-step-active vw-step-left")
    expect(back).to_be_visible()
    assert float(step.evaluate(opacity)) < 1, "its values no longer describe the figure"
    assert step.evaluate("s => [s.getBoundingClientRect().top, s.offsetHeight]") == place
    assert [steps.nth(i).get_attribute("class") for i in (0, 2)] == ["vw-step"] * 2
    back.click()
    expect(levels).to_have_value("16")
    expect(step).to_have_class("vw-step vw-step-active")
    expect(back).to_be_hidden()
    assert guided.locator(".vw-figure").get_attribute("aria-label") == \
        compute("quantize", json.loads(step.get_attribute("data-params")), widgets())["alt"]
    # Moving back to the step's values by hand returns to it as well.
    rule = guided.locator('select[name="rule"]')
    rule.select_option("centre")
    expect(step).to_have_class("vw-step vw-step-active vw-step-left")
    rule.select_option("floor")
    expect(step).to_have_class("vw-step vw-step-active")
    page.watch.assert_clean()


STEP_ON_TOP = """s => { const r = s.getBoundingClientRect();
    return s.contains(document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2)); }"""


def test_a_guided_figure_fits_the_screen_and_never_covers_its_steps(no_python_page, sites):
    """On a wide screen too short for the figure, its caption folds behind a button that opens
    it, the controls staying beside it, and it fits; on a screen too short for the controls
    beside it, they fold too; on a tall one nothing folds. On a phone nothing is pinned over the
    steps: the live figure stays above them with its controls, each step shows its own figure,
    and each step's text is what shows at its centre."""
    page = no_python_page
    page.set_viewport_size({"width": 1280, "height": 320})  # wide, shorter than the figure
    page.goto(sites("fixture").url + "prose.html")
    table_ready(page, "quantize")
    guided = page.locator("#vw-steps")
    unfold = guided.locator(".vw-unfold")
    steps = page.locator('.vw-step[data-figure="steps"]')
    steps.nth(1).evaluate("s => s.scrollIntoView({block: 'center'})")
    expect(unfold).to_be_visible()
    expect(unfold).to_have_attribute("aria-expanded", "false")
    expect(unfold).to_have_text(re.compile(r"^(Readouts and data|Data)$"))  # not the controls
    expect(guided.locator(".vw-controls")).to_be_in_viewport()  # beside it, not folded
    # The folded caption leads the steps' column, beside the figure (the eighth graphics desk:
    # five guides hid theirs behind the button); the figure's own is still read out with it.
    lead = page.locator(".vw-guide-caption")
    expect(lead).to_be_visible()
    expect(lead).to_have_text(guided.locator("figcaption").text_content())
    expect(lead).to_have_attribute("aria-hidden", "true")
    assert lead.bounding_box()["x"] >= guided.bounding_box()["x"] + guided.bounding_box()["width"]
    expect(guided).to_be_in_viewport(ratio=0.99)
    page.set_viewport_size({"width": 1280, "height": 200})  # the controls too tall beside it
    expect(unfold).to_have_text(re.compile(r"^Controls, .* and data$|^Controls and data$"))
    expect(guided.locator(".vw-controls")).to_be_hidden()
    page.wait_for_function("f => f.getBoundingClientRect().bottom <= innerHeight + 1",
                           arg=guided.element_handle())  # still too tall: its bottom on screen
    page.set_viewport_size({"width": 1280, "height": 320})
    expect(guided.locator(".vw-controls")).to_be_in_viewport()
    unfold.click()
    expect(unfold).to_have_attribute("aria-expanded", "true")
    expect(lead).to_be_hidden()  # the caption is in the figure again
    expect(guided.locator(".vw-controls")).to_be_in_viewport()
    page.wait_for_function("f => f.getBoundingClientRect().bottom <= innerHeight + 1",
                           arg=guided.element_handle())  # opened: its bottom on the screen
    unfold.click()
    page.set_viewport_size({"width": 1280, "height": 1000})
    expect(unfold).to_be_hidden()
    expect(guided.locator(".vw-controls")).to_be_visible()
    expect(guided).to_be_in_viewport(ratio=1)
    page.set_viewport_size({"width": 390, "height": 480})
    expect(guided.locator(".vw-controls")).to_be_visible()
    expect(unfold).to_be_hidden()
    for i in range(steps.count()):
        step = steps.nth(i)
        step.locator(".vw-step-figure").evaluate("s => s.scrollIntoView({block: 'start'})")
        expect(step.locator(".vw-step-figure")).to_be_visible()
        step.locator("p").last.evaluate("s => s.scrollIntoView({block: 'center'})")
        assert step.evaluate(STEP_ON_TOP), f"step {i + 1} is under its figure"
    page.watch.assert_clean()


AT_THE_MIDDLE = """s => scrollTo({top: scrollY + s.querySelector(':scope > p').getBoundingClientRect().top
    - 0.52 * innerHeight, behavior: 'instant'})"""  # its text just past the middle, as a reader reaches it
TEXT_ON_TOP = """s => { const r = s.querySelector('p').getClientRects()[0];
    return s.contains(document.elementFromPoint(r.left + 8, r.top + r.height / 2)); }"""


CENTRED = """s => scrollTo({top: scrollY + s.getBoundingClientRect().top
    + s.offsetHeight / 2 - innerHeight / 2, behavior: 'instant'})"""  # the step at the middle


def test_a_step_centred_on_the_screen_is_read_whole_beside_the_whole_figure(no_python_page,
                                                                           sites):
    """On a wide screen each step centred on the screen (where it sets the figure) shows its
    text, not under the controls pinned above the steps, and the figure is whole on the screen
    below the header, the last step's too: the guide leaves room after it for the figure's
    height (the sixth graphics desk: the figure slid under the header at the last step)."""
    page = no_python_page
    page.set_viewport_size({"width": 1280, "height": 420})  # the figure fits, just
    page.goto(sites("fixture").url + "prose.html")
    table_ready(page, "quantize")
    guided = page.locator("#vw-steps")
    steps = page.locator('.vw-step[data-figure="steps"]')
    for i in range(steps.count()):
        steps.nth(i).evaluate(CENTRED)
        expect(steps.nth(i)).to_have_class("vw-step vw-step-active")
        assert steps.nth(i).evaluate(TEXT_ON_TOP), f"step {i + 1}'s text is under the controls"
        top = guided.evaluate("f => f.getBoundingClientRect().top - parseFloat("
                              "getComputedStyle(f).top)")
        assert top >= -1, f"step {i + 1}: the figure is {-top:.0f} px under the header"
        expect(guided).to_be_in_viewport(ratio=1)
    page.watch.assert_clean()


def test_on_a_phone_the_figure_stays_above_its_first_step(no_python_page, sites):
    """On a phone the live figure is in the flow above its steps, not shifted by the wide
    screen's pinned offset over the first one (the sixth graphics desk: 64 px over it)."""
    page = no_python_page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(sites("fixture").url + "prose.html")
    table_ready(page, "quantize")
    figure = page.locator("#vw-steps").bounding_box()
    first = page.locator('.vw-step[data-figure="steps"]').nth(0).bounding_box()
    assert figure["y"] + figure["height"] <= first["y"] + 1, "the figure covers its first step"


AT_THE_READING_MIDDLE = """(s, top) => scrollTo({top: scrollY
    + s.querySelector('p').getBoundingClientRect().top - top - 0.5 * (innerHeight - top),
    behavior: 'instant'})"""  # its text at the middle of what is left to read in


def test_a_folded_figures_caption_stays_with_its_controls_where_they_leave_a_third_to_read_in(
        no_python_page, sites):
    """At 1280 x 320 the figure folds, and its controls and caption take half of the screen below
    the header: the caption stays under the controls, and each step is reached and read in the
    middle of what they leave (the ninth graphics desk: the caption scrolled away under the
    controls from the first step; the essay's controls and caption take 44-63% of a 1280 x 800
    screen, more than the 40% that pinned them). At 1280 x 260 the controls do not fit beside
    the figure: its caption leads the steps instead."""
    page = no_python_page
    page.set_viewport_size({"width": 1280, "height": 320})
    page.goto(sites("fixture").url + "prose.html")
    table_ready(page, "quantize")
    guided, lead = page.locator("#vw-steps"), page.locator(".vw-guide-caption")
    controls = guided.locator(".vw-controls")
    steps = page.locator('.vw-step[data-figure="steps"]')
    expect(guided).to_have_class(re.compile(r"\bvw-caption-pinned\b"))
    pinned = controls.bounding_box()["height"] + lead.bounding_box()["height"]
    assert pinned > 0.45 * (320 - controls.bounding_box()["y"]), "not more than 40% pinned"
    for i in range(steps.count()):
        steps.nth(i).evaluate(AT_THE_MIDDLE)  # in the guide, the caption stuck under the controls
        steps.nth(i).evaluate(AT_THE_READING_MIDDLE, lead.bounding_box()["y"]
                              + lead.bounding_box()["height"])
        expect(steps.nth(i)).to_have_class(re.compile(r"\bvw-step-active\b"))
        expect(lead).to_be_in_viewport(ratio=1)
        box, under = lead.bounding_box(), controls.bounding_box()
        assert abs(box["y"] - (under["y"] + under["height"])) <= 1, f"step {i + 1}: not under"
        assert steps.nth(i).evaluate(TEXT_ON_TOP), f"step {i + 1} is under the caption"
    # the steps fade in under it, no line cut flush by its rule (the tenth graphics desk)
    fade = lead.evaluate("l => { const a = getComputedStyle(l, '::after');"
                         " return [a.backgroundImage, parseFloat(a.height)]; }")
    assert "gradient" in fade[0] and fade[1] >= 10, fade
    page.set_viewport_size({"width": 1280, "height": 260})
    expect(guided).not_to_have_class(re.compile(r"\bvw-caption-pinned\b"))
    page.locator(".vw-guide").evaluate("g => scrollTo({top: scrollY + g.getBoundingClientRect().top"
                                       " - 100, behavior: 'instant'})")
    expect(lead).to_be_visible()
    assert lead.bounding_box()["y"] < steps.nth(0).bounding_box()["y"], "not before the steps"
    page.watch.assert_clean()


REACHED_AS_SCROLLED = """async (g) => {  // down the guide a few px at a time, as a reader scrolls
  const seen = [], frame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 30)));
  const lead = g.querySelector('.vw-guide-caption'), end = g.getBoundingClientRect().bottom + scrollY;
  for (let y = g.getBoundingClientRect().top + scrollY - innerHeight; y < end; y += 6) {
    scrollTo({top: y, behavior: 'instant'}); await frame();
    const step = g.querySelector('.vw-step-active');
    const steps = [...g.querySelectorAll('.vw-step')], under = lead.getBoundingClientRect().bottom;
    const text = (s) => s.querySelector('p').getBoundingClientRect();
    if (!step) {  // the figure as built, while the first step's text is whole under its caption
      if (text(steps[0]).top >= under && text(steps[0]).bottom <= innerHeight) {
        seen.push({stale: y, index: -1});
      }
      continue;
    }
    if (text(step).bottom <= under && steps.slice(steps.indexOf(step) + 1).some(
        (s) => text(s).top >= under && text(s).bottom <= innerHeight)) {
      seen.push({stale: y, index: steps.indexOf(step)});  // its text hidden, a later one's whole
    }
    if (seen.some((s) => s.step === step)) continue;
    const r = step.querySelector('p').getBoundingClientRect();
    seen.push({step, index: [...g.querySelectorAll('.vw-step')].indexOf(step), top: r.top,
               bottom: r.bottom, under: lead.getBoundingClientRect().bottom});
  }
  return seen.map(({step, ...rest}) => rest); }"""


def test_a_step_is_reached_with_its_whole_text_in_the_part_left_to_read_it_in(no_python_page,
                                                                             sites):
    """Scrolled down as a reader scrolls, each step sets the figure when its text is on the
    screen, below the pinned controls and caption and above the screen's foot (the eleventh
    graphics desk: the first step of two essay guides reached with its text running 38-51 px
    past an 800-px screen; at 1280 x 320 the fixture's steps were reached with theirs below
    it)."""
    page = no_python_page
    page.set_viewport_size({"width": 1280, "height": 320})
    page.goto(sites("fixture").url + "prose.html")
    table_ready(page, "quantize")
    expect(page.locator("#vw-steps")).to_have_class(re.compile(r"\bvw-caption-pinned\b"))
    reached = page.locator(".vw-guide").evaluate(REACHED_AS_SCROLLED)
    assert not [r for r in reached if "stale" in r], reached
    assert [r["index"] for r in reached] == [0, 1, 2], reached
    for r in reached:
        assert r["top"] >= r["under"] and r["bottom"] <= 320, r
        # and by the time its text is at the middle of that part (the twelfth desk: at the foot)
        assert r["top"] >= r["under"] + 0.4 * (320 - r["under"]), r
    page.watch.assert_clean()


def test_a_steps_line_cut_by_the_pinned_caption_is_hidden_not_ghosted(no_python_page, sites):
    """A step's line half under the pinned caption's rule: nothing of it shows, below the rule
    or through it (the eleventh graphics desk: the fade under the caption only ghosted its lower
    half; the twelfth: glyph tips showed through the translucent rule)."""
    from io import BytesIO

    from PIL import Image

    page = no_python_page
    page.set_viewport_size({"width": 1280, "height": 320})
    page.goto(sites("fixture").url + "prose.html")
    table_ready(page, "quantize")
    lead = page.locator(".vw-guide-caption")
    text = page.locator('.vw-step[data-figure="steps"] p').nth(1)
    for _ in range(3):  # the caption sticks once scrolled to; then its rule is where it stays
        rule = lead.bounding_box()["y"] + lead.bounding_box()["height"]
        line = text.evaluate("p => parseFloat(getComputedStyle(p).lineHeight)")
        text.evaluate("(p, at) => scrollTo({top: scrollY + p.getBoundingClientRect().top - at,"
                      " behavior: 'instant'})", rule - line / 2)
        page.wait_for_timeout(100)
    box = text.bounding_box()
    assert box["y"] < rule < box["y"] + line, (box, rule)  # the line is cut by the rule
    strip = {"x": box["x"], "y": rule - 4, "width": min(box["width"], 600),
             "height": box["y"] + line - rule + 4}  # the caption's foot, its rule, what is under
    pixels = Image.open(BytesIO(page.screenshot(clip=strip))).convert("L")
    darkest = [min(pixels.getpixel((x, y)) for x in range(pixels.width))
               for y in range(pixels.height)]
    assert min(darkest) >= 230, f"the cut line shows at the rule (rows from rule - 4): {darkest}"
    page.watch.assert_clean()


def test_a_guided_figures_controls_wait_beside_it_over_its_steps(no_python_page, sites):
    """On a wide screen the controls stay on the screen with the panels they change: at the top
    of the steps' column, beside the figure (not over it), the first step below them; a step
    reaching the middle of the screen is read in full beside them, and a control moved there
    changes the figure."""
    page = no_python_page
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(sites("fixture").url + "prose.html")
    table_ready(page, "quantize")
    guided = page.locator("#vw-steps")
    controls = guided.locator(".vw-controls")
    steps = page.locator('.vw-step[data-figure="steps"]')
    page.locator(".vw-guide").evaluate(
        "g => scrollTo({top: scrollY + g.getBoundingClientRect().top - 100, behavior: 'instant'})")
    expect(guided).to_have_class(re.compile(r"\bvw-beside\b"))
    box, figure, first = (x.bounding_box() for x in (controls, guided, steps.nth(0)))
    assert box["x"] >= figure["x"] + figure["width"], "the controls cover the figure"
    assert abs(box["y"] - figure["y"]) <= 1, "the controls are not at the figure's top"
    assert first["y"] >= box["y"] + box["height"], "the first step starts under the controls"
    for i in range(steps.count()):
        steps.nth(i).evaluate(AT_THE_MIDDLE)
        expect(steps.nth(i)).to_have_class("vw-step vw-step-active")
        assert steps.nth(i).evaluate(TEXT_ON_TOP), f"step {i + 1} is under the controls"
        expect(controls).to_be_in_viewport(ratio=1)
        expect(guided).to_be_in_viewport(ratio=1)
        top = controls.bounding_box()["y"]
        assert abs(top - guided.bounding_box()["y"]) <= 1, f"step {i + 1}: controls moved off"
    before = guided.locator(".vw-figure").get_attribute("aria-label")
    guided.locator('input[name="levels"]').focus()
    page.keyboard.press("Home")
    expect(guided.locator(".vw-figure")).not_to_have_attribute("aria-label", before)
    page.watch.assert_clean()


def test_in_print_every_step_shows_its_own_figure(no_python_page, sites):
    page = no_python_page
    page.goto(sites("fixture").url + "prose.html")
    table_ready(page, "quantize")
    expect(page.locator(".vw-step-figure").first).to_be_hidden()
    page.emulate_media(media="print")
    for figure in page.locator(".vw-step-figure").all():
        expect(figure).to_be_visible()


def test_the_data_behind_a_figure_is_its_scene(no_python_page, sites, tmp_path):
    page = no_python_page
    figure = open_prose(page, sites)
    table_ready(page, "quantize")
    figure.locator('input[name="levels"]').focus()
    page.keyboard.press("ArrowRight")
    scene = compute("quantize", form_values(figure), widgets())
    figure.locator(".vw-data summary").click()
    points = [(m.get("label", m["kind"]), x, y) for m in scene["panels"][0]["marks"]
              for x, y in zip(m.get("x", []), m.get("y", []))]
    # The tables are written when the disclosure opens (its toggle event comes a task later).
    expect(figure.locator(".vw-data-tables tbody tr")).to_have_count(len(points))
    rows = [[cell.strip() for cell in row.split("\t")] for row in
            figure.locator(".vw-data-tables tbody tr").all_inner_texts()]
    assert [(r[0], float(r[2]), float(r[3])) for r in rows] == points
    assert figure.locator(".vw-data-tables th").all_inner_texts()[:4] == ["series", "kind", "x",
                                                                         "y"]
    with page.expect_download() as csv:
        figure.locator('[data-save="csv"]').click()
    lines = Path(csv.value.path()).read_text().splitlines()
    assert lines[0].split(",")[:5] == ["panel", "series", "kind", "x", "y"]
    assert len(lines) == len(points) + 1
    name = csv.value.suggested_filename
    assert name.startswith("quantize_levels=") and name.endswith(".csv")
    with page.expect_download() as svg:
        figure.locator('[data-save="svg"]').click()
    text = Path(svg.value.path()).read_text()
    assert text.startswith("<svg") and "var(--" not in text, "colours resolved: no stylesheet"
    metadata = text.split("<metadata>")[1].split("</metadata>")[0].replace("&quot;", '"')
    assert json.loads(metadata)["params"] == form_values(figure)
    with page.expect_download() as png:
        figure.locator('[data-save="png"]').click()
    assert Path(png.value.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    page.watch.assert_clean()


def test_sentences_and_steps_follow_their_figure_from_a_file(page, sites):
    page.goto((Path(sites("fixture").path) / "prose.html").as_uri())
    figure = page.locator("#vw-quantize")
    table_ready(page, "quantize")
    levels = page.locator('.vw-prose-control[data-param="levels"]')
    levels.focus()
    page.keyboard.press("ArrowLeft")
    expect(levels).to_have_text(figure.locator('input[name="levels"]').input_value())
    assert quoted(page, "quantize") == expected_values(figure)
    page.locator('.vw-step[data-figure="steps"]').nth(1).evaluate(
        "s => s.scrollIntoView({block: 'center'})")
    expect(page.locator('#vw-steps select[name="rule"]')).to_have_value("floor")



def serve_in_two_parts(folder, page_name, cut_before):
    """``folder`` served over HTTP, ``page_name`` sent in two parts, cut before the second tag
    holding ``cut_before`` after the guided figure, as a slow network delivers a page: the second
    part waits for the returned event. Returns (server, event)."""
    body = (folder / page_name).read_bytes()
    start = body.index(b'id="vw-steps"')
    cut = body.rindex(b"<", 0, body.index(cut_before, body.index(cut_before, start) + 1))
    release = threading.Event()

    class TwoParts(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            if self.path.split("?")[0] != f"/{page_name}":
                return super().do_GET()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[:cut])
            self.wfile.flush()
            release.wait(30)
            self.wfile.write(body[cut:])

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(TwoParts, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, release


def test_steps_that_arrive_after_their_guide_is_mounted_still_set_the_figure(no_python_page,
                                                                              sites):
    """The page arrives in two parts, the second from the guide's second step on, sent once the
    runtime has mounted the guide: every step is watched as it arrives (a guide mounted with its
    first step only kept the others dead, as a reviewer scrolling the essay found)."""
    page = no_python_page
    page.set_viewport_size({"width": 1280, "height": 800})
    server, release = serve_in_two_parts(sites("fixture").path, "prose.html", b'class="vw-step" ')
    try:
        page.goto(f"http://127.0.0.1:{server.server_port}/prose.html", wait_until="commit")
        page.wait_for_function("document.querySelector('.vw-guide.vw-guide-live')")
        assert page.locator(".vw-step").count() == 1  # the rest has not arrived
        release.set()
        guided = page.locator("#vw-steps")
        expect(guided).to_have_attribute("data-status", "table")
        steps = page.locator('.vw-step[data-figure="steps"]')
        expect(steps).to_have_count(3)
        for i in reversed(range(3)):  # the last first: each step changes the figure
            steps.nth(i).evaluate("s => s.scrollIntoView({block: 'center'})")
            expect(steps.nth(i)).to_have_class("vw-step vw-step-active")
            wanted = json.loads(steps.nth(i).get_attribute("data-params"))
            expect(guided.locator('input[name="levels"]')).to_have_value(str(wanted["levels"]))
    finally:
        release.set()
        server.shutdown()
    page.watch.assert_clean()
