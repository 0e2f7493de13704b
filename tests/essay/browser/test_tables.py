"""The essay before Python: every placed widget answers each of its controls from the page's table
of scenes computed at build time (the engine's tables themselves are tested in
``tests/engine/browser/test_tables.py``)."""

from pathlib import Path

from playwright.sync_api import expect
import pytest

from visual_essay.testing import FIGURE_SHOWN as SHOWN, change, placements, table_ready

pytestmark = pytest.mark.browser

# Run before the page's own scripts: its guided steps removed as the parser adds them.
WITHOUT_STEPS = ("new MutationObserver(() => document.querySelectorAll('.vw-step')"
                 ".forEach((s) => s.remove())).observe(document, {childList: true, subtree: true})")
PLACED = placements(Path(__file__).resolve().parents[3] / "docs")


@pytest.mark.parametrize("page_name,name", PLACED, ids=[f"{p}:{w}" for p, w in PLACED])
def test_with_no_python_every_widget_answers_every_control_from_the_table(
        no_python_page, sites, page_name, name):
    page = no_python_page
    # Guided steps taken out as the page is parsed: a step in view would set its figure to the
    # step's values, and the table holds each step's values, not every change from each step (a
    # reader who moves a control during a step waits for Python, as the guide says).
    page.add_init_script(WITHOUT_STEPS)
    url = sites("essay").url + page_name
    page.goto(url)
    controls = table_ready(page, name).locator(".vw-controls [data-kind]").count()
    for i in range(controls):
        page.goto(url)  # one control at a time, from the figure's own values
        figure = table_ready(page, name)
        before = figure.evaluate(SHOWN)
        control = figure.locator(".vw-controls [data-kind]").nth(i)
        change(control)
        page.wait_for_function(f"([f, before]) => ({SHOWN})(f) !== before",
                               arg=[figure.element_handle(), before], timeout=5_000)
        assert "vw-waiting" not in figure.get_attribute("class"), \
            f"{control.get_attribute('name')} = {control.input_value()}: not in the table"
        expect(figure.locator(".vw-message")).to_be_hidden()
    assert page.evaluate("performance.getEntriesByName('vw-ready').length") == 0
