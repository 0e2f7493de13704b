"""Answers before Python: the scenes a reader reaches from a figure, computed at build time.

For each placed figure the build computes the scenes a reader reaches by moving any one control
away from the figure's values (each kind of parameter says which: ``Param.table_values``): every
choice and toggle, each slider on a grid of at most ``params.GRID`` values (the slider snaps to
it until Python is live), a few seeds for the "new sample" button, and every combination of two
controls whose values multiply to at most ``PAIRS`` (all controls together when their product is
that small). The browser draws these at once, in the same
frame as the input, while Python loads; anything else waits for Python, and says so.

A table is the scene format the renderers already draw, with every mark stored once: a scene's
panels list indices into the table's ``marks``, and identical scenes are stored once. Values at
which the widget raises are kept as its error message, shown inline as Python's would be. Scenes are
looked up by a key both sides compute the same way: one whole number per control, in declaration
order (a slider's step index, a choice's index, a toggle's 0 or 1, a seed's value).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
import html
from itertools import combinations, product
import json
import math
from typing import TYPE_CHECKING, Any

from .contract import SCENE_VERSION
from .layout import reserved_em, widest_texts
from .params import Param, Seed, Slider, Stops
from .prepared import NotReady

if TYPE_CHECKING:
    from .contract import Scene, Table

PAIRS = 80  # two controls are combined when their values multiply to at most this


def cases(declarations: Sequence[Param], values: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The parameter dicts a table holds for a figure with ``values``."""
    names = [p.name for p in declarations]
    options = [p.table_values(values[p.name]) for p in declarations]
    found: dict[str, dict[str, Any]] = {}

    def add(combo):
        case = dict(values)
        case.update(combo)
        found.setdefault(key(declarations, case), case)

    add({})
    if math.prod(len(o) for o in options) <= PAIRS:
        for combo in product(*options):
            add(dict(zip(names, combo, strict=True)))
    for i, opts in enumerate(options):
        for v in opts:
            add({names[i]: v})
    for i, j in combinations(range(len(options)), 2):
        if len(options[i]) * len(options[j]) <= PAIRS:
            for a, b in product(options[i], options[j]):
                add({names[i]: a, names[j]: b})
    return list(found.values())


def key(declarations: Sequence[Param], values: Mapping[str, Any]) -> str:
    """The lookup key of ``values``: one whole number per control (the runtime computes it too)."""
    return ",".join(str(p.table_index(values[p.name])) for p in declarations)


def build_table(
    declarations: Sequence[Param],
    values: Mapping[str, Any],
    compute: Callable[[dict[str, Any]], Scene],
    extra: Sequence[Mapping[str, Any]] = (),
) -> Table:
    """The table of one figure: ``compute(params) -> scene`` for every case (and the ``extra``
    ones, such as a guide's steps), marks stored once."""
    marks: list[Any] = []
    scenes: list[dict[str, Any]] = []
    mark_ids: dict[str, int] = {}
    scene_ids: dict[str, int] = {}
    index: dict[str, int] = {}
    errors: dict[str, str] = {}

    def stored_marks(panel):
        """The panel's marks as indices into ``marks``, each distinct mark stored once."""
        ids = []
        for mark in panel["marks"]:
            text = json.dumps(mark, sort_keys=True, separators=(",", ":"))
            if text not in mark_ids:
                mark_ids[text] = len(marks)
                marks.append(mark)
            ids.append(mark_ids[text])
        return ids

    for case in [*cases(declarations, values), *extra]:
        if key(declarations, case) in index or key(declarations, case) in errors:
            continue
        try:
            scene = compute(dict(case))
        except NotReady:  # a build-time value another process is computing: the whole table waits
            raise
        except Exception as err:  # shown inline, as the browser shows Python's exceptions
            errors[key(declarations, case)] = f"{type(err).__name__}: {err}"
            continue
        panels = []
        for panel in scene["panels"]:
            narrow: dict[str, Any] | None = dict(panel.get("narrow") or {}) or None
            if narrow and "marks" in narrow:  # a panel drawn again for phones, its own marks
                narrow["marks"] = stored_marks(narrow)
            panels.append({**panel, "marks": stored_marks(panel), "narrow": narrow})
        stored = {**scene, "panels": panels}
        text = json.dumps(stored, sort_keys=True, separators=(",", ":"))
        if text not in scene_ids:
            scene_ids[text] = len(scenes)
            scenes.append(stored)
        index[key(declarations, case)] = scene_ids[text]
    grids = {p.name: p.grid(values[p.name]) for p in declarations if isinstance(p, (Slider, Stops))}
    seeds = {p.name: p.table_values(values[p.name]) for p in declarations if isinstance(p, Seed)}
    return {
        "version": SCENE_VERSION,
        "marks": marks,
        "scenes": scenes,
        "index": index,
        "errors": errors,
        "grids": grids,
        "seeds": seeds,
    }


def first_cases(
    declarations: Sequence[Param],
    values: Mapping[str, Any],
    extra: Sequence[Mapping[str, Any]] = (),
) -> list[dict[str, Any]]:
    """What a reader reaches first: the figure's own values, each control moved one place (a
    slider to either neighbour on its grid or to either end, as Home, End or a click at the
    track's end take it; every choice, a toggle flipped, the next seed) and the ``extra`` ones
    (a guide's steps, set as the reader scrolls)."""
    found = [dict(values), *map(dict, extra)]
    for p in declarations:
        here, options = values[p.name], p.table_values(values[p.name])
        if isinstance(p, (Slider, Stops)):
            grid = sorted(options)
            at = grid.index(here)
            options = [grid[0], *grid[max(0, at - 1) : at + 2], grid[-1]]
        elif isinstance(p, Seed):
            options = options[:2]  # the button's next sample (controls.js: the table's next seed)
        found += [{**values, p.name: v} for v in options]
    return found


def part_of(table: Table, keys: Sequence[str]) -> Table:
    """``table`` cut down to the scenes (and errors) of ``keys``, its marks renumbered; its grids
    and seeds whole, so that a control moves as it will with the whole table."""
    index = {k: table["index"][k] for k in keys if k in table["index"]}
    scene_ids = sorted(set(index.values()))
    new_scene = {old: new for new, old in enumerate(scene_ids)}
    new_mark: dict[int, int] = {}

    def renumbered(panel):
        ids = [new_mark.setdefault(i, len(new_mark)) for i in panel["marks"]]
        return {**panel, "marks": ids}

    scenes = []
    for old in scene_ids:
        scene = table["scenes"][old]
        panels = []
        for panel in scene["panels"]:
            narrow = panel.get("narrow")
            if narrow and "marks" in narrow:
                narrow = renumbered(narrow)
            panels.append({**renumbered(panel), "narrow": narrow})
        scenes.append({**scene, "panels": panels})
    marks = [table["marks"][old] for old in new_mark]  # in the order first used
    return {
        **table,
        "marks": marks,
        "scenes": scenes,
        "index": {k: new_scene[i] for k, i in index.items()},
        "errors": {k: e for k, e in table["errors"].items() if k in keys},
        "part": True,
    }


def readout_widths(table: Table) -> list[tuple[float, list[str]]]:
    """Each readout's (by position) widest text over the table's scenes: its width in em, an
    estimate the figure keeps from the start, and its widest few texts, which the page measures
    in its own font. No value a control reaches then rewraps the readouts and moves the page (or
    refolds a guided figure) under the reader."""
    texts: list[list[str]] = []
    for scene in table["scenes"]:
        for i, readout in enumerate(scene["readouts"]):
            if i == len(texts):
                texts.append([])
            texts[i].append(readout["text"])
    return [(reserved_em(shown), widest_texts(shown)) for shown in texts]


def script(tables: Mapping[str, Table]) -> str:
    """A page's tables as a script (it also loads from file://, where fetch() cannot)."""
    return f"window.visualEssay.addTables({data(tables)});\n"


def inline(tables: Mapping[str, Table]) -> str:
    """``data`` as the text of an element of the page (HTML-escaped; the runtime reads its
    ``textContent``). Not a ``<script type="application/json">``: Material's instant navigation
    runs every script element of the page it brings, whatever its type."""
    return html.escape(data(tables), quote=False)


def data(tables: Mapping[str, Table]) -> str:
    """Tables as the JSON the runtime's ``addTables`` takes. Each scene and each mark is a JSON
    string the runtime parses when a reader first reaches it: the page pays for parsing what is
    shown, not the whole table at once."""

    def compact(value):
        return json.dumps(value, separators=(",", ":"), allow_nan=False)

    lazy = {
        key: {
            **table,
            "marks": [compact(m) for m in table["marks"]],
            "scenes": [compact(s) for s in table["scenes"]],
        }
        for key, table in tables.items()
    }
    return compact(lazy)
