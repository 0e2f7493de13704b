"""Every widget of the essay gets the engine's contract (declarations, extremes, determinism,
seeds, fuzzing, the build's figure, the browser's scene equal to the build's); the essay's own
editorial rules come after it."""

import re

import pytest

from visual_essay.testing import WidgetContract
from widgets import WIDGETS

# The engine's checks a widget still fails (REVIEW.md, "The figures"), each with what fails: the
# suite says so instead of hiding it (xfail, strict: a fixed widget fails here until its entry
# goes). {test: {widget, or "widget@width" for one width only: reason}}.
KNOWN_FAILURES: dict[str, dict[str, str]] = {}


class TestEssayWidgets(WidgetContract):
    package = "widgets"
    snapshots = "snapshots"  # beside this file; rewrite with pytest --update-snapshots
    visual_snapshots = "visual"  # images of every figure, beside this file; the same flag
    known_failures = KNOWN_FAILURES


@pytest.mark.parametrize("name", list(WIDGETS))
def test_each_widget_docstring_says_what_it_models_and_cites_its_paper(name):
    """This essay's rule, not the engine's: a widget's docstring is its spec and names its source."""
    doc = WIDGETS[name].__doc__ or ""
    assert len(doc) > 200, f"{name}: the docstring is the widget's spec; say what it models"
    assert re.search(r"arXiv \d{4}\.\d{4,5}|AISTATS|blog", doc), f"{name}: cite the paper"


PANEL_POSITION = re.compile(r"\b(?:left|right|top|bottom|middle|upper|lower) panel\b|"
                            r"\bpanel (?:on the|at the) (?:left|right|top|bottom)\b|"
                            r"\b(?:on|at) the (?:left|right|top|bottom)\s*[:,]", re.I)


@pytest.mark.parametrize("name", list(WIDGETS))
def test_no_alt_text_or_readout_points_at_a_panels_position(name):
    """Panels sit side by side on a desktop and stack on a phone: a text for screen readers names
    a panel by its title, never by where it sits (the review found "The right panel shows")."""
    from visual_essay.params import resolve
    module = WIDGETS[name]
    defaults = resolve(module.PARAMS, {})
    settings = [defaults] + [{**defaults, p.name: end} for p in module.PARAMS for end in p.ends()]
    for values in settings:
        scene = module.compute(**values)
        said = scene["alt"] + " " + " ".join(f"{r['label']} {r['text']}" for r in scene["readouts"])
        assert not PANEL_POSITION.search(said), (name, values, PANEL_POSITION.search(said))


def test_the_panel_position_pattern_catches_what_the_review_found():
    for wrong in ("The right panel shows the distance", "On the right, the cost", "the middle "
                  "panel measures the jump"):
        assert PANEL_POSITION.search(wrong), wrong
    assert not PANEL_POSITION.search("11 pass left, 10 right, none cut through the obstacle")


def placements():
    from tests.essay.widgets import chapter
    return [(page, key) for page in chapter.CHAPTERS for key in chapter.figures(page)]


# A caption pointing at where a panel sits: "(left)", "Right:", "the top panel", "on the left".
CAPTION_POSITION = re.compile(r"\((?:left|right|top|bottom|middle)\)|(?:^|[.;]\s+)(?:left|right|"
                              r"top|bottom|middle)\s*:|" + PANEL_POSITION.pattern, re.I)


@pytest.mark.parametrize(("page", "key"), placements())
def test_every_caption_names_each_panel_by_its_letter_and_never_by_where_it_sits(page, key):
    """REVIEW.md: five captions said "(left)", "(middle)", "Right:", which a phone stacks. Every
    figure the essay places, at the values it places it: its caption names each lettered panel
    "(a)", "(b)", … and points at no panel's position (a widget's own tests had checked some
    captions, for some words)."""
    from tests.essay.widgets import chapter, figure_checks
    from visual_essay.registry import compute
    placement = chapter.figures(page)[key]
    scene = compute(placement.name, placement.params, WIDGETS)
    unnamed = [p for p in figure_checks.caption_problems(placement.caption, scene)
               if "is not named" in p]
    assert unnamed == [] and not CAPTION_POSITION.search(placement.caption), (
        unnamed, CAPTION_POSITION.search(placement.caption))


def test_the_caption_position_pattern_catches_what_the_review_found():
    for wrong in ("Samples (left), their spread (middle)", "Right: the cost", "the top panel"):
        assert CAPTION_POSITION.search(wrong), wrong
    for right in ("Lower the DDIM steps to 2", "(b) the top of the scale, 90–100%"):
        assert not CAPTION_POSITION.search(right), right
