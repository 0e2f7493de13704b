"""In every engine (issue 23), the essay's sentences follow their figures: a value a sentence quotes
changes with the figure's control, a control in a sentence moves the figure, and reaching a guided
step sets its figure to the step's values. Python is stalled (the server never answers Pyodide's
files), so every answer comes from the page's table, and each is compared with what CPython's
``compute`` gives at the values the figure's form then holds."""

import json

import pytest

from tests.essay.browser.engines.conftest import (FROM_TABLE, ReaderServer, assert_quiet, figure,
                                                  screenshot)
from visual_essay.registry import compute
from widgets import WIDGETS

pytestmark = pytest.mark.browser

# The figure's values as its form holds them (what the reader, or a step, has set).
# (A Stops slider's input holds a position: its value is the listed one there.)
FORM = ("(s) => Object.fromEntries([...document.querySelectorAll(`${s} .vw-controls "
        "[data-kind]`)].map((el) => [el.name, el.dataset.kind === 'toggle' ? el.checked : "
        "el.dataset.kind === 'choice' ? el.value : el.dataset.kind === 'stops' ? "
        "Number(el.dataset.stops.split(',')[el.value]) : Number(el.value)]))")
# The values the page's sentences quote from a figure, outside guided steps.
QUOTED = ("(key) => Object.fromEntries([...document.querySelectorAll("
          "`.vw-value[data-figure='${key}']:not([data-step])`)].map((s) => [s.dataset.value, "
          "s.textContent]))")
SCROLL_TO = "([s, n]) => document.querySelectorAll(s)[n].scrollIntoView({ block: 'center' })"


@pytest.fixture(scope="module")
def stalled(sites):
    """The essay, built once per session for the browser tests, its Python never answered."""
    server = ReaderServer(sites("essay").path, stall_python=True)
    yield server
    server.close()


def values_at(name, params):
    return compute(name, params, WIDGETS)["values"]


def form(reader, fig):
    """The figure's form values, with a seed as the integer it is."""
    return {k: int(v) if k == "seed" else v for k, v in reader.js(FORM, fig).items()}


def test_a_quoted_value_and_a_control_in_a_sentence_follow_the_figure(shared_reader, stalled):
    reader, fig = shared_reader, figure("bins")
    reader.goto(stalled.url + "actions.html")
    reader.wait(FROM_TABLE, fig, what="bins answers from its table")
    assert reader.js(QUOTED, "bins") == values_at("bins", form(reader, fig))  # the build's
    control = ".vw-prose-control[data-param='bins']"
    assert reader.js(f"() => document.querySelector(\"{control}\").textContent") == "16"
    # The figure's own slider to its end: the sentences' values and their control follow.
    reader.press(f"{fig} input[name=bins]", "End")
    reader.wait(f"() => document.querySelector(\"{control}\").textContent === '256'",
                what="the sentence's control follows the figure's slider")
    wanted = values_at("bins", form(reader, fig))
    assert wanted["max_of_unit"] == "1/256"
    reader.wait(f"(want) => JSON.stringify(({QUOTED})('bins')) === JSON.stringify(want)",
                wanted, what="the quoted values follow the figure")
    # And back, from the sentence: its control steps the figure (Home: the slider's start).
    reader.press(control, "Home")
    reader.wait(f"(s) => document.querySelector(`${{s}} .vw-slider:has(input[name=bins]) output`)"
                ".textContent === '2'", fig, what="a control in a sentence moves the figure's slider")
    wanted = values_at("bins", form(reader, fig))
    reader.wait(f"(want) => JSON.stringify(({QUOTED})('bins')) === JSON.stringify(want)",
                wanted, what="the quoted values follow the sentence's control")
    screenshot(reader, "bound-values")
    assert_quiet(reader, stalled)


def test_reaching_a_guided_step_sets_its_figure_to_the_step(shared_reader, stalled):
    reader, fig = shared_reader, figure("diffusion_policy")
    reader.goto(stalled.url + "diffusion.html")
    reader.wait(FROM_TABLE, fig, what="diffusion_policy answers from its table")
    steps = ".vw-step[data-figure='diffusion_policy']"
    count = reader.js(f"() => document.querySelectorAll(\"{steps}\").length")
    assert count == 4
    # From the last step back to the first, so that every step changes what the figure shows.
    for n in reversed(range(count)):
        reader.js(SCROLL_TO, [steps, n])
        wanted = json.loads(reader.js(f"(n) => document.querySelectorAll(\"{steps}\")[n]"
                                      ".dataset.params", n))
        reader.wait(f"([s, want]) => JSON.stringify(({FORM})(s)) === JSON.stringify(want)",
                    [fig, wanted], what=f"step {n + 1} sets the figure to {wanted}")
        scene = compute("diffusion_policy", wanted, WIDGETS)
        reader.wait("([s, alt]) => document.querySelector(`${s} .vw-figure`)"
                    ".getAttribute('aria-label') === alt", [fig, scene["alt"]],
                    what=f"step {n + 1}'s figure drawn from the table")
        # The step's sentence quotes the figure at the step's values.
        quoted = reader.js(f"(n) => Object.fromEntries([...document.querySelectorAll(\"{steps}\")"
                           "[n].querySelectorAll('.vw-value')].map((s) => [s.dataset.value, "
                           "s.textContent]))", n)
        assert quoted and all(scene["values"][k] == v for k, v in quoted.items()), quoted
    screenshot(reader, "guided-step")
    assert_quiet(reader, stalled)
