"""Values the build computes once, for every reader: work too slow to repeat in each reader's
browser (training a tokenizer, fitting a model on a corpus) runs when the site is built, and its
result ships with the widget code.

    from visual_essay.prepared import at_build

    @at_build
    def merges():
        return train_bpe(CORPUS, merges=256)   # JSON: lists, dicts, numbers, strings, booleans

    def compute(text):
        tokens = encode(text, merges())   # at build time: computed once (and kept in the figure
                                          # cache); in the browser: read from the bundle

The value is returned as JSON gives it back (lists, not tuples or arrays) in CPython and in the
browser alike, so both compute the same scene. Call it where it is used rather than at import:
a build on several cores computes each value in a process of its own, beside the figures that do
not need it (``pending``), and a figure that does waits for it; one called at import holds up the
whole build while the widgets load. Standard library only: this module also runs in the reader's
browser.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
import contextlib
import functools
import hashlib
import importlib
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

# False in a parallel build's tasks: a value another process is computing raises NotReady (the
# build queues the task again once the value is in) instead of waiting for it.
WAIT_FOR_OTHERS = True


class NotReady(Exception):
    """The value ``key`` is being computed by another process of the build."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


@contextlib.contextmanager
def waiting_for_others(wait: bool) -> Iterator[None]:
    """``WAIT_FOR_OTHERS`` set to ``wait`` for a while (this process computing a build's tasks)."""
    global WAIT_FOR_OTHERS
    before, WAIT_FOR_OTHERS = WAIT_FOR_OTHERS, wait
    try:
        yield
    finally:
        WAIT_FOR_OTHERS = before


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


def _function(key: str) -> Callable[[], Any]:
    """The ``@at_build`` function ``key`` ("module.function"), its module imported first if it
    is not yet (a build's worker imports a widget when a task first names it)."""
    if key not in _functions:
        importlib.import_module(key.rsplit(".", 1)[0])
    return _functions[key]


def value_of(key: str) -> Any:
    """The value of the ``@at_build`` function ``key`` ("module.function")."""
    return _function(key)()


def pending() -> list[str]:
    """The ``@at_build`` functions imported so far whose values neither this process nor the
    build's cache holds yet: what a parallel build computes first, each in a process of its own."""
    return [
        key
        for key in sorted(_functions)
        if key not in _values and not os.path.exists(cache_file(key) or "")
    ]


def cache_file(key: str) -> str | None:
    """Where the build keeps ``key``'s value (None outside a build): named by the code of its
    module and of the package's modules it uses, so an edit computes it anew."""
    if not CACHE_DIR:
        return None
    source = "".join(module_sources(sys.modules[_function(key).__module__]))
    digest = hashlib.sha256(source.encode()).hexdigest()[:16]
    return os.path.join(CACHE_DIR, f"prepared-{key}-{digest}.json")


def _compute(key, fn):
    shipped = _read(SHIPPED)
    if shipped is not None and key in shipped:
        return shipped[key]
    path = cache_file(key)
    if not path:
        return _json(fn())
    cached = _read(path)
    if cached is not None:
        return cached
    with _one_process_at_a_time(key, path):
        cached = _read(path)  # another process of the build computed it while this one waited
        if cached is not None:
            return cached
        value = _json(fn())
        partial = f"{path}.{os.getpid()}"
        with open(partial, "w") as f:
            f.write(json.dumps(value, separators=(",", ":")))
        os.replace(partial, path)  # whole or not at all: a reader never sees half of it
        # Later processes read the value without locking; those waiting read it once released.
        with contextlib.suppress(FileNotFoundError):  # no lock file where there are no locks
            os.remove(f"{path}.lock")
        return value


def _json(value):
    return json.loads(json.dumps(value, allow_nan=False))


@contextlib.contextmanager
def _one_process_at_a_time(key: str, path: str) -> Iterator[None]:
    """Held while a value is computed: another process of the build that needs the same value
    waits for it (or, not ``WAIT_FOR_OTHERS``, raises NotReady) rather than computing it again.
    POSIX file locks; where there are none, each process computes its own."""
    try:
        import fcntl
    except ImportError:
        yield
        return
    with open(f"{path}.lock", "w") as lock:
        try:  # released when the file closes
            fcntl.flock(lock, fcntl.LOCK_EX | (0 if WAIT_FOR_OTHERS else fcntl.LOCK_NB))
        except BlockingIOError:
            raise NotReady(key) from None
        yield


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
