"""The registry: which widgets an essay can place, by the name authors write in a ``widget`` fence.

An essay's widget package (``widgets`` by default) defines ``WIDGETS``, a dict from name to module,
usually in essay order with ``collect``::

    NAMES = ("bins", "rt2_tokens")
    WIDGETS = collect(__name__, NAMES)

A widget is one module with ``TITLE``, ``PARAMS`` (see ``params``) and a pure
``compute(**params) -> scene`` (see ``scene``). The build, the browser runtime and the contract
tests all iterate ``WIDGETS``. This module also runs in the reader's browser.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
import importlib
import json
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .contract import Scene

from .params import ParamError, Slider, resolve, value_texts
from .scene import SceneError, only_layout


class UnknownWidget(KeyError):
    def __init__(self, name: str, known: Iterable[str]) -> None:
        super().__init__(name)
        self.known = list(known)

    def __str__(self) -> str:
        return f"unknown widget {self.args[0]!r}; known: {', '.join(self.known)}"


class Widgets(Mapping[str, ModuleType]):
    """``{name: module}`` for the modules ``package.<name>``, in the order given, each imported
    when first looked up: the reader's browser imports only the widgets its page computes (all
    of the essay's together took some 300 ms in Pyodide, which a page's first answer waited for).
    The build imports every one at once (build.import_registry), where a failing import is
    reported with its file and line."""

    def __init__(self, package: str, names: Iterable[str]) -> None:
        self.package, self.names = package, tuple(names)
        self._modules: dict[str, ModuleType] = {}

    def __getitem__(self, name: str) -> ModuleType:
        if name not in self._modules:
            if name not in self.names:
                raise KeyError(name)
            self._modules[name] = importlib.import_module(f"{self.package}.{name}")
        return self._modules[name]

    def __contains__(self, name: object) -> bool:  # without importing it
        return name in self.names

    def __iter__(self) -> Iterator[str]:
        return iter(self.names)

    def __len__(self) -> int:
        return len(self.names)


def collect(package: str, names: Iterable[str]) -> Widgets:
    """``{name: module}`` for the modules ``package.<name>``, in the order given (``Widgets``)."""
    return Widgets(package, names)


def registry(package: str = "widgets") -> Mapping[str, ModuleType]:
    """The ``WIDGETS`` dict of an (already importable) widget package."""
    return importlib.import_module(package).WIDGETS


def compute(
    name: str, overrides: Mapping[str, Any] | None, widgets: Mapping[str, ModuleType]
) -> Scene:
    """The scene of widget ``name`` for its defaults updated by ``overrides`` (checked first)."""
    if name not in widgets:
        raise UnknownWidget(name, widgets)
    module = widgets[name]
    params = resolve(module.PARAMS, overrides or {})
    try:
        scene = module.compute(**params)
        # The named values sentences quote, formatted here (in the build and in the browser
        # alike) as the widget's VALUES declare them.
        scene["values"] = value_texts(getattr(module, "VALUES", ()), scene["values"])
        return scene
    except (SceneError, ParamError) as err:  # say which widget: the scene does not know
        raise SceneError(f"{module.__name__.replace('.', '/')}.py: {err}") from None


def warm(
    name: str,
    overrides_json: str,
    package: str = "widgets",
    layout: str | None = None,
    move: int = 0,
) -> bool:
    """Widget ``name`` computed by ``compute_json`` as a reader's ``move``-th step from these
    values would ask for it (0: the values; 1, 2...: each slider in turn one step on, then two
    steps on...), the answer dropped; whether it computed. The browser's worker does this a few
    times for each live figure in idle time, so that a reader's first answers find the module
    imported and run in compiled code: the browser compiles Python's and numpy's WebAssembly as
    it first runs, and optimises what runs often, in the background (a figure's first answer
    took 35-140 ms, and its next 10-40 up to twice their later time). Values that fail, and an
    unknown name, are left to the compute a reader asks for, which reports them."""
    widgets = registry(package)
    if name not in widgets:
        return False
    sliders = [p for p in widgets[name].PARAMS if isinstance(p, Slider)]
    try:
        values = resolve(widgets[name].PARAMS, json.loads(overrides_json))
        if move and sliders:
            slider = sliders[(move - 1) % len(sliders)]
            values[slider.name] = slider.moved(values[slider.name], (move - 1) // len(sliders) + 1)
        compute_json(name, json.dumps(values), package, layout)
        return True
    except Exception:  # a reader's own compute of these values reports it
        return False


def compute_json(
    name: str, overrides_json: str, package: str = "widgets", layout: str | None = None
) -> str:
    """The browser's entry point: JSON in, JSON out. Values from the page or the URL are checked
    against the declaration before the widget sees them. ``layout``: the one the reader's figure
    shows ("wide" or "narrow"; None: both), the only one computed."""
    with only_layout(layout):
        scene = compute(name, json.loads(overrides_json), registry(package))
    return json.dumps(scene, separators=(",", ":"))


__all__ = [
    "ParamError",
    "SceneError",
    "UnknownWidget",
    "collect",
    "compute",
    "compute_json",
    "registry",
    "warm",
]
