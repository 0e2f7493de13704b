"""Prose that follows the figures (visual_essay.prose): live values and controls in sentences and
guided steps, as the build writes them, and every wrong reference stopped with page and line."""

import json
from pathlib import Path
import re
import textwrap

import pytest

from visual_essay.testing import WIDGET_FENCE_YAML, build_site

RAMP = '''\
"""A ramp y = slope * x: its end value and which way it points."""
import numpy as np
from visual_essay import scene as S
from visual_essay.params import Choice, Slider, Toggle, Value

TITLE = "A ramp"
PARAMS = (
    Slider("slope", -2, 2, step=0.5, default=1, label="Slope", unit="per s"),
    Choice("colour", ("teal", "red"), "teal", label="Colour"),
    Toggle("dashed", False, label="Dashed"),
)
VALUES = (
    Value("end", "the value at x = 1", format=".2f", unit="m"),
    Value("direction", "up, down or flat"),
)


def compute(slope, colour, dashed):
    x = np.linspace(0, 1, 5)
    direction = "up" if slope > 0 else "down" if slope < 0 else "flat"
    return S.scene([S.panel([S.line(x, slope * x, color=colour, dash=dashed)]),
                    S.panel([S.line(x, -slope * x, color=colour)], title="its mirror")],
                   alt=f"A ramp of slope {slope:g}.", values={"end": slope, "direction": direction})
'''

PAGE = """\
# Prose

With slope {=ramp.slope} the ramp ends at {=ramp.end} and points {=ramp.direction}.

```widget
name: ramp
slope: 1.5
```

//// guide
```widget
name: ramp
id: guided
```

/// step | guided: slope=-2
Down: it ends at {=guided.end}.
///

/// step | guided (b): slope=0 dashed=true
Flat, and so is its mirror (b).
///
////
"""


def project(tmp_path, page):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text(page)
    (tmp_path / "ramps").mkdir()
    (tmp_path / "ramps" / "__init__.py").write_text(
        "from visual_essay.registry import collect\nWIDGETS = collect(__name__, ('ramp',))\n")
    (tmp_path / "ramps" / "ramp.py").write_text(RAMP)
    (tmp_path / "mkdocs.yml").write_text(textwrap.dedent("""\
        site_name: Prose
        use_directory_urls: false
        strict: true
        theme: {name: material, font: false}
        plugins:
          - visual-essay:
              pyodide: cdn
              package: ramps
        """) + WIDGET_FENCE_YAML)
    return build_site(tmp_path / "site", "cdn", tmp_path / "mkdocs.yml")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("prose")
    result = project(root, PAGE)
    assert result.returncode == 0, result.stderr
    return (root / "site" / "index.html").read_text(), root / "site"


def test_a_sentence_quotes_the_value_its_figure_computed_at_the_figures_values(built):
    html, _ = built
    assert ('<span class="vw-value" data-figure="ramp" data-value="end">1.50 m</span>' in html)
    assert '<span class="vw-value" data-figure="ramp" data-value="direction">up</span>' in html


def test_a_parameter_in_a_sentence_is_a_control_bound_to_the_figures_parameter(built):
    html, _ = built
    assert re.search(r'<span class="vw-prose-control" data-figure="ramp" data-kind="slider" '
                     r'data-param="slope">1.5 per s</span>', html)


def test_a_step_quotes_the_figure_at_the_steps_values_and_carries_its_own_figure(built):
    html, _ = built
    steps = re.findall(r'<div class="vw-step" data-figure="guided" data-params="([^"]+)">', html)
    assert [json.loads(s.replace("&quot;", '"'))["slope"] for s in steps] == [-2, 0]
    assert 'data-step="" data-value="end">\u22122.00 m</span>' in html
    assert html.count('class="vw-step-figure"') == 2
    assert 'aria-label="A ramp of slope \u22122."' in html and 'aria-label="A ramp of slope 0."' in html


def test_a_steps_own_figure_marks_the_panels_its_sentences_are_not_about(built):
    """``/// step | guided (b): ...``: on a phone the step shows panel b with its sentence (the
    stylesheet hides the panels marked aside); a step naming no panels marks none."""
    html, _ = built
    first, second = re.findall(r'<div class="vw-step-figure">(.*?)</div></div>', html, re.S)
    assert "vw-step-aside" not in first
    svgs = re.findall(r"<svg [^>]*>", second)  # each panel wide, then narrow: a, a, b, b
    assert ["vw-step-aside" in s for s in svgs] == [True, True, False, False], svgs


def test_each_steps_values_are_in_the_figures_table(built):
    _, site = built
    # one table script per figure: index-<figure>-<hash>.js
    tables = site / "assets" / "visual-essay" / "tables"
    script = next(tables.glob("index-guided-*.js")).read_text()
    table = json.loads(script[script.index("(") + 1:script.rindex(")")])["guided"]
    # slope -2 and 0 on the 0.5 grid are steps 0 and 4 from -2; dashed on is 1.
    assert "0,0,0" in table["index"] and "4,0,1" in table["index"]


@pytest.mark.parametrize("line,expected", [
    ("Ends at {=ramps.end}.",
     "docs/index.md:3: {=ramps.end} names no figure on this page; figures here: ramp"),
    ("Ends at {=ramp.ending}.",
     "docs/index.md:3: {=ramp.ending}: widget ramp has no value or parameter 'ending'; known: "
     "end, direction, slope, colour, dashed"),
    ("/// step | ramp: slope=7\nToo steep.\n///",
     "docs/index.md:3: step of ramp: invalid slope: 7 (expected a number from -2 to 2)"),
    ("/// step | ramp: slope 1\nNo equals sign.\n///",
     "docs/index.md:3: step of ramp: expected name=value pairs separated by spaces, got 'slope 1'"),
    ("/// step | wedge: slope=1\nNo such figure.\n///",
     "docs/index.md:3: step names no figure on this page ('wedge'); figures here: ramp"),
    ("/// step | ramp (c): slope=1\nNo such panel.\n///",
     "docs/index.md:3: step of ramp shows no panel 'c'; its panels: a, b"),
    ("/// step | ramp (b: slope=1\nUnclosed.\n///",
     "docs/index.md:3: step of ramp: expected its panels as (b, c), got (b"),
])
def test_a_wrong_reference_stops_the_build_with_page_line_and_the_valid_names(tmp_path, line,
                                                                               expected):
    result = project(tmp_path, f"# Wrong\n\n{line}\n\n```widget\nname: ramp\n```\n")
    assert result.returncode == 1
    assert f"ERROR   -  {expected}" in result.stderr, result.stderr


@pytest.mark.browser
def test_on_a_phone_a_step_shows_its_sentences_with_the_panels_they_are_about(built, no_python_page):
    """In Chromium at 390 px: the second step's own figure shows panel b only (the live figure
    above holds both); on a wide screen the steps' figures give way to the pinned live one."""
    from visual_essay.testing import serve_folder

    _, site = built
    server = serve_folder(site)
    page = no_python_page
    shown = """s => [...s.querySelectorAll('.vw-step-figure svg')].filter(
        (svg) => svg.checkVisibility()).length"""
    try:
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(f"http://127.0.0.1:{server.server_port}/index.html")
        page.wait_for_selector(".vw-guide-live")
        steps = page.locator(".vw-step")
        assert steps.nth(0).evaluate(shown) == 2  # a and b, each in its narrow layout
        assert steps.nth(1).evaluate(shown) == 1
        assert steps.nth(1).locator("svg:not(.vw-step-aside).vw-narrow").evaluate(
            "svg => svg.checkVisibility()")
        page.set_viewport_size({"width": 1280, "height": 800})
        assert steps.nth(1).evaluate(shown) == 0
    finally:
        server.shutdown()
