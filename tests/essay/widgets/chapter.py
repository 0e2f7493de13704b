"""The chapter "Continuous actions" as its tests read it: the values each figure is placed at, and
the prose, so a test can check that a number typed in a sentence is the number the figure computes
there."""

from pathlib import Path
import re

import yaml

PAGE = Path(__file__).resolve().parents[3] / "docs" / "continuous.md"
FENCE = re.compile(r"^```widget\n(.*?)^```", re.M | re.S)


def source():
    return PAGE.read_text(encoding="utf-8")


def placed(name):
    """The parameters of the (single) fence of widget ``name``, without name and caption."""
    fences = [yaml.safe_load(body) for body in FENCE.findall(source())]
    found = [f for f in fences if f["name"] == name]
    assert len(found) == 1, f"{name}: {len(found)} fences in {PAGE.name}"
    return {k: v for k, v in found[0].items() if k not in ("name", "caption", "id")}


def caption(name):
    fences = [yaml.safe_load(body) for body in FENCE.findall(source())]
    return next(f["caption"] for f in fences if f["name"] == name)


def prose():
    """The page's text outside fences, with every run of white space made one space (so a
    sentence wrapped across lines still matches)."""
    return re.sub(r"\s+", " ", FENCE.sub("", source()))


def values(module, name):
    """Every parameter of the figure as the page draws it: the fence's values over the defaults,
    checked as the build checks them."""
    from visual_essay.params import resolve
    return resolve(module.PARAMS, placed(name))
