"""In every engine, with Python stalled (the server never answers Pyodide's files), every widget of
the essay answers each of its controls from the table of scenes the build computed."""

import pytest

from tests.essay.browser.engines.conftest import FROM_TABLE, ReaderServer, assert_quiet, figure
from tests.essay.browser.test_essay import PLACED
from tests.essay.browser.test_tables import WITHOUT_STEPS

pytestmark = pytest.mark.browser

# What a figure shows: its panels, readouts and alt text.
SHOWN = ("(s) => { const f = document.querySelector(s); return f.querySelector('.vw-panels')"
         ".innerHTML + f.querySelector('.vw-readouts').innerHTML + "
         "f.querySelector('.vw-figure').getAttribute('aria-label'); }")
CONTROLS = ("(s) => [...document.querySelectorAll(`${s} .vw-controls [data-kind]`)].map((el) => "
            "({ kind: el.dataset.kind, value: el.value, max: el.max, "
            "options: el.options ? [...el.options].map((o) => o.value) : null }))")


@pytest.fixture(scope="module")
def stalled(sites):
    """The essay (built once per session for every browser test), its Python never answered,
    its guided steps taken out (see test_tables.py beside this folder: from each figure's own
    values)."""
    server = ReaderServer(sites("essay").path, stall_python=True,
                          first_script=f"<script>{WITHOUT_STEPS}</script>")
    yield server
    server.close()


def operate(reader, selector, nth, control):
    """Change one control as a reader would: a key on a slider, a click on a toggle or a seed's
    button, another option of a list; first, if the control is folded away with a guided
    figure's caption (the figure is taller than the screen), the button that shows it."""
    if reader.js("([s, n]) => !document.querySelectorAll(s)[n].getClientRects().length",
                 [selector, nth]):
        reader.click(selector.replace(".vw-controls [data-kind]", ".vw-unfold"), 0)
    if control["kind"] in ("slider", "stops"):
        at_max = float(control["value"]) == float(control["max"])
        reader.press(selector, "Home" if at_max else "End", nth)
    elif control["kind"] == "choice":
        reader.set_value(selector, next(o for o in control["options"] if o != control["value"]),
                         nth)
    else:
        reader.click(selector, nth)


@pytest.mark.parametrize("page_name,name", PLACED, ids=[f"{p}:{w}" for p, w in PLACED])
def test_with_python_stalled_every_widget_answers_each_control_from_the_table(
        shared_reader, stalled, page_name, name):
    reader, fig = shared_reader, figure(name)
    controls = f"{fig} .vw-controls [data-kind]"
    url = stalled.url + page_name
    reader.goto(url)
    reader.wait(FROM_TABLE, fig, what=f"{name} answers from its table")
    described = reader.js(CONTROLS, fig)
    assert described, f"{name} has no controls"
    for i, control in enumerate(described):
        if i:
            reader.goto(url)  # one control at a time, from the figure's own values
            reader.wait(FROM_TABLE, fig, what=f"{name} answers from its table")
        before = reader.js(SHOWN, fig)
        operate(reader, controls, i, control)
        reader.wait(f"([s, before]) => ({SHOWN})(s) !== before", [fig, before], timeout=10,
                    what=f"{name}'s {control['kind']} {i} redraws the figure")
        assert "vw-waiting" not in reader.js("(s) => document.querySelector(s).className",
                                             fig).split()
        assert reader.js("(s) => document.querySelector(`${s} .vw-message`).hidden", fig)
        assert reader.js("() => performance.getEntriesByName('vw-ready').length") == 0
        assert_quiet(reader, stalled)
    assert stalled.stalled, "Pyodide's files were asked for, and left unanswered"
