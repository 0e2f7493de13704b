"""Scene snapshots: what a widget draws at its defaults, all lows and all highs, stored as JSON so
a change that alters a figure is noticed (``WidgetContract.snapshots`` compares them; they are
rewritten only on purpose, with ``pytest --update-snapshots``). ``visual-essay new`` and
``visual-essay widget`` write a new widget's first one. No pytest here: the command uses it too.
"""

from __future__ import annotations

from collections.abc import Mapping
import json
from pathlib import Path
from types import ModuleType
from typing import Any

from .registry import compute

CASES = ("defaults", "lows", "highs")


def extremes(module: ModuleType) -> list[dict[str, Any]]:
    """Parameter cases: defaults, every parameter at each end of its range (one at a time), then
    all at their lows and all at their highs together."""
    cases: list[dict[str, Any]] = [{}]
    lows: dict[str, Any] = {}
    highs: dict[str, Any] = {}
    for p in module.PARAMS:
        lows[p.name], highs[p.name] = p.ends()
        cases += [{p.name: lows[p.name]}, {p.name: highs[p.name]}]
    return cases + [lows, highs]


def scenes(name: str, widgets: Mapping[str, ModuleType]) -> dict[str, Any]:
    """The widget's scenes at its defaults, all lows and all highs, as JSON gives them back."""
    cases = extremes(widgets[name])
    chosen = dict(zip(CASES, (cases[0], cases[-2], cases[-1]), strict=True))
    return {
        label: json.loads(json.dumps(compute(name, case, widgets)))
        for label, case in chosen.items()
    }


def write(path: Path, name: str, widgets: Mapping[str, ModuleType]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(scenes(name, widgets), sort_keys=True, separators=(",", ":")) + "\n")
