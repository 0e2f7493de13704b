"""A chapter as its tests read it: the values each figure is placed at, its caption, and the
prose, so a test can check that a number typed in a sentence is the number the figure computes
there. By default the chapter "Continuous actions"; ``page`` names another one."""

from pathlib import Path
import re

import yaml

DOCS = Path(__file__).resolve().parents[3] / "docs"
PAGE = DOCS / "continuous.md"
FENCE = re.compile(r"^```widget\n(.*?)^```", re.M | re.S)


def source(page=None):
    return (DOCS / page if page else PAGE).read_text(encoding="utf-8")


def _fence(name, page):
    fences = [yaml.safe_load(body) for body in FENCE.findall(source(page))]
    found = [f for f in fences if f["name"] == name]
    assert len(found) == 1, f"{name}: {len(found)} fences in {page or PAGE.name}"
    return found[0]


def placed(name, page=None):
    """The parameters of the (single) fence of widget ``name``, without the fence's own keys
    (name, caption, id, layout)."""
    from visual_essay.fence import FENCE_KEYS
    return {k: v for k, v in _fence(name, page).items() if k not in FENCE_KEYS}


def caption(name, page=None):
    return _fence(name, page)["caption"]


def prose(page=None):
    """The page's text outside fences, with every run of white space made one space (so a
    sentence wrapped across lines still matches)."""
    return re.sub(r"\s+", " ", FENCE.sub("", source(page)))


def values(module, name, page=None):
    """Every parameter of the figure as the page draws it: the fence's values over the defaults,
    checked as the build checks them."""
    from visual_essay.params import resolve
    return resolve(module.PARAMS, placed(name, page))
