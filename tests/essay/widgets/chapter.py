"""A chapter as its tests read it: the figures it places and at which values, the guided steps
that set them, the sentences that quote them (``{=figure.value}``), and the prose as a reader
first sees it, every quoted value written in as the build writes it. By default the chapter
"Continuous actions"; ``page`` names another one.

The fences and the steps are read by the engine's own parsers (``visual_essay.fence``,
``visual_essay.build.split_step``), so a fence key the engine knows and the widget does not
(``id``, ``caption``, a layout option) is handled as the build handles it."""

from functools import lru_cache
from pathlib import Path
import re

from visual_essay import fence as fences
from visual_essay.build import split_step
from visual_essay.params import resolve
from visual_essay.prose import REFERENCE
from visual_essay.registry import compute
from widgets import WIDGETS

DOCS = Path(__file__).resolve().parents[3] / "docs"
PAGE = DOCS / "continuous.md"
FENCE = re.compile(r"^(`{3,})widget\n(.*?)^\1$", re.M | re.S)
STEP = re.compile(r"^/// step \| (.*)$", re.M)
GUIDE = re.compile(r"^//// guide$", re.M)
CHAPTERS = sorted(p.name for p in DOCS.glob("*.md")
                  if not p.name.startswith("_") and p.name != "authoring.md")


def source(page=None):
    return (DOCS / page if page else PAGE).read_text(encoding="utf-8")


@lru_cache(maxsize=None)
def figures(page=None):
    """``{key: Placement}`` of every figure the page places, keyed as the build keys them (the
    fence's ``id``, by default the widget's name, a second copy of a widget ``name-2``)."""
    placed, seen = {}, {}
    for line, body in fences.fence_lines(source(page)):
        placement = fences.parse(body, page or PAGE.name, line, WIDGETS)
        seen[placement.key] = seen.get(placement.key, 0) + 1
        if seen[placement.key] > 1:
            placement.key = f"{placement.key}-{seen[placement.key]}"
        placed[placement.key] = placement
    return placed


def _fence(name, page):
    found = [p for p in figures(page).values() if p.name == name]
    assert len(found) == 1, f"{name}: {len(found)} fences in {page or PAGE.name}"
    return found[0]


def placed(name, page=None):
    """The parameters of the (single) figure of widget ``name``, as the page draws it."""
    return dict(_fence(name, page).params)


def caption(name, page=None):
    return _fence(name, page).caption


def values(module, name, page=None):
    """Every parameter of the figure as the page draws it: the fence's values over the defaults,
    checked as the build checks them."""
    return resolve(module.PARAMS, placed(name, page))


def steps(page=None):
    """Every guided step of the page, in order: (figure key, its parameters there: the figure's
    own values with the step's over them)."""
    found = []
    for argument in STEP.findall(source(page)):
        key, _, assignments = split_step(argument)  # "figure (b, c): name=value ..."
        placement = figures(page)[key]
        module = WIDGETS[placement.name]
        found.append((key, resolve(module.PARAMS, {**placement.params,
                                                           **fences.parse_assignments(assignments)})))
    return found


def value_texts(key, page=None, **overrides):
    """The texts of figure ``key``'s VALUES at its placed values (with ``overrides``)."""
    placement = figures(page)[key]
    return compute(placement.name, {**placement.params, **overrides}, WIDGETS)["values"]


def references(page=None):
    """Every ``{=figure.name}`` of the page, in order, as (figure, name)."""
    return re.findall(REFERENCE, source(page))


def _written(key, name, params, page):
    """What the build writes for ``{=key.name}`` when the figure is at ``params``: the value's
    text, or the control's starting text."""
    placement = figures(page)[key]
    module = WIDGETS[placement.name]
    declared = {p.name: p for p in module.PARAMS}
    if name in declared:
        return declared[name].prose_text(params[name])
    return compute(placement.name, params, WIDGETS)["values"][name]


def rendered(page=None):
    """The page's text outside fences as the build first writes it, every white-space run one
    space: each reference replaced by its text at the figure's placed values, or, inside a
    guided step that sets that figure, at the step's values; step headers and guide markers
    removed."""
    text = FENCE.sub("", source(page))
    placed_at = {key: p.params for key, p in figures(page).items()}
    out, step_of = [], None
    step_args = iter(steps(page))
    for line in text.split("\n"):
        if STEP.match(line):
            step_of = next(step_args)
            continue
        if line.strip() in ("///", "////") or GUIDE.match(line):
            step_of = None if line.strip() == "///" else step_of
            continue

        def one(m, step=step_of):
            key, name = m.group(1), m.group(2)
            at = step[1] if step and step[0] == key else placed_at[key]
            return _written(key, name, at, page)

        out.append(re.sub(REFERENCE, one, line))
    return re.sub(r"\s+", " ", "\n".join(out))


def prose(page=None):
    """The page's Markdown outside fences, with every run of white space made one space (so a
    sentence wrapped across lines still matches); references stay as written."""
    return re.sub(r"\s+", " ", FENCE.sub("", source(page)))
