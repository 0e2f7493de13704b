"""Values the build computes once, for every reader: work too slow to repeat in each reader's
browser (training a tokenizer, fitting a model on a corpus) runs when the site is built, and its
result ships with the widget code.

    from visual_essay.prepared import at_build

    @at_build
    def merges():
        return train_bpe(CORPUS, merges=256)   # JSON: lists, dicts, numbers, strings, booleans

    MERGES = merges()   # at build time: computed once (and kept in the figure cache);
                        # in the browser: read from the bundle, never recomputed

The value is returned as JSON gives it back (lists, not tuples or arrays) in CPython and in the
browser alike, so both compute the same scene. Standard library only: this module also runs in
the reader's browser.
"""

from __future__ import annotations

from collections.abc import Callable
import functools
import hashlib
import inspect
import json
import os
import sys
from types import ModuleType
from typing import Any, TypeVar

T = TypeVar("T")

# Written next to this module in the browser's copy of the engine only (see build.widget_bundle).
SHIPPED = os.path.join(os.path.dirname(__file__), "prepared.json")
CACHE_DIR: str | None = (
    None  # set by the build: values are kept on disk while their module is unchanged
)

_functions: dict[
    str, Callable[[], Any]
] = {}  # "module.function" -> the decorated function, for every one imported so far
_values: dict[str, Any] = {}


def at_build(fn: Callable[[], T]) -> Callable[[], T]:
    """Make ``fn()`` (no arguments, JSON-able result) a value computed once at build time."""
    key = f"{fn.__module__}.{fn.__qualname__}"

    @functools.wraps(fn)
    def value():
        if key not in _values:
            _values[key] = _compute(key, fn)
        return _values[key]

    _functions[key] = value
    _values.pop(key, None)  # a module imported anew (an edit under `mkdocs serve`) computes anew
    return value


def shipped_values() -> dict[str, Any]:
    """Every value the browser needs: those of the ``@at_build`` functions imported so far."""
    return {key: value() for key, value in sorted(_functions.items())}


def _compute(key, fn):
    shipped = _read(SHIPPED)
    if shipped is not None and key in shipped:
        return shipped[key]
    path = None
    if CACHE_DIR:
        source = "".join(module_sources(sys.modules[fn.__module__]))
        digest = hashlib.sha256(source.encode()).hexdigest()[:16]
        path = os.path.join(CACHE_DIR, f"prepared-{key}-{digest}.json")
        cached = _read(path)
        if cached is not None:
            return cached
    value = json.loads(json.dumps(fn(), allow_nan=False))
    if path:
        with open(path, "w") as f:
            json.dump(value, f)
    return value


def module_sources(module: ModuleType) -> list[str]:
    """The code a module's results depend on: its own and that of the modules of its package it
    uses (the figure cache keys on this too)."""
    package = module.__name__.rpartition(".")[0] or module.__name__
    used = {module}
    for value in vars(module).values():
        owner = value if inspect.ismodule(value) else inspect.getmodule(value)
        if owner is not None and owner.__name__.startswith(package):
            used.add(owner)
    return sorted(inspect.getsource(m) for m in used)


def _read(path):
    try:
        with open(path) as f:
            return json.load(f)
    except FileNotFoundError:
        return None
