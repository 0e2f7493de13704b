"""The build: from widget fences to figures, tables of scenes and the files the site carries.

``Build`` is what one build knows, with or without the MkDocs plugin: the essay's widget registry
(imported from beside mkdocs.yml), the figure cache, and the page being rendered (for figure
numbers and the lines errors name). ``site_files`` lists what the site needs beside its pages.
The MkDocs plugin (``plugin``) drives a ``Build`` from its events; a builder that runs no MkDocs
plugins (Zensical) reaches one through ``standalone_build``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
import dataclasses
from dataclasses import dataclass, field
import functools
import hashlib
import importlib
import inspect
import json
import logging
import os
from pathlib import Path
import sys
import traceback
from types import ModuleType
from typing import Any

from mkdocs.exceptions import PluginError

from . import (
    BROWSER_MODULES,
    fence,
    figure,
    layout,
    markup,
    params,
    prepared,
    registry,
    runtime,
    scene,
    tables,
)
from . import pyodide as pyodide_assets
from .config import Options

log = logging.getLogger("mkdocs.plugins.visual-essay")

ASSETS = Path(__file__).parent / "assets"
SITE_DIR = "assets/visual-essay"  # where the site's engine files go, under the site's root


@dataclass
class PlacedFigure:
    """A figure of the page being built, for the sentences and steps that refer to it."""

    placement: fence.Placement
    module: ModuleType
    values: dict[str, str]  # its VALUES as text, at the figure's own values
    steps: list[dict[str, Any]] = field(default_factory=list)  # each guided step's values


class Build:
    """One build of an essay: ``project`` is the folder of mkdocs.yml."""

    def __init__(
        self,
        project: Path | str,
        options: Options | None = None,
        docs_dir: str = "docs",
        reimport: set[str] | None = None,
    ) -> None:
        self.project = Path(project)
        options = options or Options()
        self.options = options
        self.docs_dir = Path(self.project, docs_dir)
        self.cache = self.project / options.cache_dir
        self.cache.mkdir(parents=True, exist_ok=True)
        prepared.CACHE_DIR = str(self.cache)
        # The widget package sits beside mkdocs.yml; it is imported from there, not installed.
        if str(self.project) not in sys.path:
            sys.path.insert(0, str(self.project))
        self.registry = import_registry(
            options.package, reimport if reimport is not None else set()
        )
        self.pages_with_widgets: set[str] = set()
        self.page_src: str | None = None
        self.with_tables = False

    # ---- a page, its fences and what its prose refers to ---------------------------------------

    def start_page(self, src: str, markdown: str, with_tables: bool = False) -> None:
        """A new page: ``src`` relative to the docs folder, ``markdown`` its raw text;
        ``with_tables``: compute its figures' tables of scenes (``finish_page`` returns them)."""
        self.page_src = src
        self.with_tables = with_tables
        self.page_path = f"{self.docs_dir.name}/{src}"
        self.markdown_lines = markdown.splitlines()
        self.fences = fence.fence_lines(markdown)
        self.seen_bodies: Counter[str] = Counter()
        self.seen_text: Counter[str] = Counter()
        self.keys: Counter[str] = Counter()
        self.figures: dict[str, PlacedFigure] = {}
        self.figure_count = 0

    def format_fence(
        self, source: str, language: str, class_name: str, options: dict, md: Any, **kwargs: Any
    ) -> str:
        """SuperFences' formatter for ```widget fences (the plugin installs it in on_config)."""
        return self.render_fence(source)

    def render_fence(self, source: str) -> str:
        """The HTML of one widget fence of the current page, or ``WidgetError`` naming its line."""
        assert self.page_src is not None, "start_page() comes first"
        body = source.strip("\n")
        self.seen_bodies[body] += 1
        matches = [line for line, text in self.fences if text.strip("\n") == body]
        nth = self.seen_bodies[body] - 1
        line = matches[nth] if nth < len(matches) else (matches[-1] if matches else 0)
        placement = fence.parse(source, self.page_path, line, self.registry)
        self.keys[placement.key] += 1
        if self.keys[placement.key] > 1:
            placement.key = f"{placement.key}-{self.keys[placement.key]}"
        module = self.registry[placement.name]
        static = self._guarded(placement, lambda: self._static(placement, module))
        self.figures[placement.key] = PlacedFigure(placement, module, static["values"])
        self.figure_count += 1
        self.pages_with_widgets.add(self.page_src)
        return markup.figure_html(
            placement, module, static, self.figure_count, table=self.with_tables
        )

    def reference(self, key: str, name: str, token: str) -> Any:
        """The element for ``{=key.name}`` in a sentence: a live value or a bound control."""
        where = self._where(token)
        placed = self.figures.get(key)
        if placed is None:
            known = (
                ", ".join(self.figures) or "(none: a sentence can only quote a figure placed on "
            )
            known += "" if self.figures else "the same page)"
            raise fence.WidgetError(
                f"{where}: {token} names no figure on this page; figures here: {known}"
            )
        params = {p.name: p for p in placed.module.PARAMS}
        if name in placed.values:
            return markup.value_element(key, name, placed.values[name])
        if name in params:
            return markup.prose_control_element(key, params[name], placed.placement.params[name])
        names = [*placed.values, *params]
        raise fence.WidgetError(
            f"{where}: {token}: widget {placed.placement.name} has no value "
            f"or parameter {name!r}; known: {', '.join(names) or '(none)'}"
        )

    def step(self, argument: str) -> tuple[dict[str, str], str, dict[str, str]]:
        """A guided step ``figure: name=value ...``: its element's attributes, the static figure
        at its values (shown in print and without JavaScript) and its VALUES there, as text."""
        where = self._where(f"step | {argument}")
        key, _, assignments = argument.partition(":")
        placed = self.figures.get(key.strip())
        if placed is None:
            raise fence.WidgetError(
                f"{where}: step names no figure on this page ({key.strip()!r});"
                f" figures here: {', '.join(self.figures) or '(none)'}"
            )
        try:
            overrides = fence.parse_assignments(assignments)
            values = params.resolve(placed.module.PARAMS, {**placed.placement.params, **overrides})
        except (ValueError, params.ParamError) as err:
            raise fence.WidgetError(f"{where}: step of {key.strip()}: {err}") from None
        placed.steps.append(values)
        shown = dataclasses.replace(
            placed.placement, params=values, key=f"{placed.placement.key}-step{len(placed.steps)}"
        )
        static = self._guarded(shown, lambda: self._static(shown, placed.module))
        attributes = {
            "class": "vw-step",
            "data-figure": placed.placement.key,
            "data-params": json.dumps(values, separators=(",", ":")),
        }
        return attributes, markup.static_figure_html(static), static["values"]

    def finish_page(self) -> dict[str, Any]:
        """The page's tables of scenes, by figure key: what a reader reaches from each figure's
        values, and every guided step's values."""
        if not self.with_tables:
            return {}
        return {key: self._guarded_table(placed) for key, placed in self.figures.items()}

    def _guarded_table(self, placed: PlacedFigure) -> Any:
        return self._guarded(placed.placement, lambda: self._table(placed))

    def _where(self, text: str) -> str:
        """``page:line`` of the next occurrence of ``text`` in the page's raw Markdown."""
        self.seen_text[text] += 1
        lines = [i for i, line in enumerate(self.markdown_lines, 1) if text in line]
        nth = self.seen_text[text] - 1
        line = lines[nth] if nth < len(lines) else (lines[-1] if lines else 0)
        return f"{self.page_path}:{line}"

    def _guarded(self, placement: fence.Placement, make: Callable[[], Any]) -> Any:
        try:
            return make()
        except Exception as err:  # a widget that raises is the author's bug: say where
            raise fence.WidgetError(
                f"{placement.where}: widget {placement.name} raised {type(err).__name__}: {err}"
            ) from err

    # ---- figures and tables, cached while their code and values are unchanged -----------------

    def _cached(
        self,
        kind: str,
        placement: fence.Placement,
        module: ModuleType,
        make: Callable[[], Any],
        extra: Any = None,
    ) -> Any:
        key = hashlib.sha256(
            json.dumps(
                [kind, placement.name, placement.params, extra, code_of(module, kind)],
                sort_keys=True,
            ).encode()
        )
        path = self.cache / f"{placement.name}-{kind}-{key.hexdigest()[:16]}.json"
        if path.exists():
            return json.loads(path.read_text())
        value = make()
        path.write_text(json.dumps(value, separators=(",", ":")))
        return value

    def _table(self, placed: PlacedFigure) -> Any:
        placement, module = placed.placement, placed.module
        table = self._cached(
            "table",
            placement,
            module,
            lambda: tables.build_table(
                module.PARAMS,
                placement.params,
                lambda case: registry.compute(placement.name, case, self.registry),
                extra=placed.steps,
            ),
            extra=placed.steps,
        )
        # A widget that raises (or draws a value that is not finite) for values a reader reaches
        # is the author's bug even when the figure's own values draw: a warning, which a
        # `strict: true` build turns into a failure.
        cases = {
            tables.key(module.PARAMS, case): case
            for case in [*tables.cases(module.PARAMS, placement.params), *placed.steps]
        }
        for key, error in table["errors"].items():
            values = cases[key]
            log.warning(
                f"{placement.where}: widget {placement.name} raised at "
                f"{json.dumps(values)}: {error}"
            )
        return table

    def _static(self, placement: fence.Placement, module: ModuleType) -> dict[str, Any]:
        """The build-time figure (matplotlib's SVG of each panel, the alt text, the readouts, the
        motion its play bar is made for)."""

        def draw() -> dict[str, Any]:
            scene = registry.compute(placement.name, placement.params, self.registry)
            return {
                "svgs": figure.render_svgs(scene),
                "alt": scene["alt"],
                "frames": scene["frames"],
                "readouts": scene["readouts"],
                "values": scene["values"],
            }

        static = self._cached("figure", placement, module, draw)
        prefix = f"vw-{placement.key}-"
        svgs = [figure.with_id_prefix(s, f"{prefix}{i}-") for i, s in enumerate(static["svgs"])]
        return {**static, "svgs": svgs}


def code_of(module: ModuleType, kind: str) -> list[str]:
    """The code a widget's figure (or table) depends on: its module, the sibling modules it uses,
    the scene vocabulary, the parameter declarations and the renderer (or the table maker)."""
    engine = [tables if kind == "table" else figure, scene, layout, params]
    return prepared.module_sources(module) + sorted(inspect.getsource(m) for m in engine)


# ---- the widget registry, imported anew for every build ------------------------------------------


def import_registry(package: str, reimport: set[str]) -> dict[str, ModuleType]:
    """The package's ``WIDGETS``, imported anew so an edited widget is redrawn by ``mkdocs serve``.
    ``reimport`` (kept by the caller across builds) holds the top-level packages the widgets came
    from last time, dropped too: a widget package may use another's. An import that fails names
    the file and line that raised."""
    reimport.add(package.split(".")[0])
    for name in [n for n in sys.modules if n.split(".")[0] in reimport]:
        del sys.modules[name]
    importlib.invalidate_caches()
    try:
        widgets = importlib.import_module(package).WIDGETS
    except Exception as err:
        frame = traceback.extract_tb(err.__traceback__)[-1]
        path = os.path.relpath(frame.filename)
        where = f"{frame.filename if path.startswith('..') else path}:{frame.lineno}"
        raise PluginError(
            f"visual-essay: importing the widget package {package!r} failed at "
            f"{where}: {type(err).__name__}: {err}"
        ) from None
    reimport.update(m.__name__.split(".")[0] for m in widgets.values())
    return widgets


# ---- what the site carries beside its pages ------------------------------------------------------


def site_files(
    widgets: dict[str, ModuleType],
    package: str,
    mode: str,
    pages: list[str],
    pyodide_files: dict[str, Path] | None = None,
    math_files: dict[str, bytes] | None = None,
) -> dict[str, str | bytes | Path]:
    """What the site needs beside its pages, by path under ``SITE_DIR``: the runtime (its
    configuration written in), its stylesheet, the widgets' Python, offline Pyodide's verified
    files (as paths to copy) and, for an essay with formulas, KaTeX's."""
    bundle = widget_bundle(widgets)
    bundle_name = f"widgets-{hashlib.sha256(bundle).hexdigest()[:12]}.json"
    config = {
        # The site's pages, relative to its root (which is this many folders above the
        # runtime): the runtime follows links to them without reloading, wherever it is served.
        "root": "../" * len(SITE_DIR.split("/")),
        "pages": pages,
        "pyodideVersion": pyodide_assets.PYODIDE_VERSION,
        # Offline, relative to the runtime script; online, the pinned CDN folder.
        "pyodideURL": "pyodide/" if mode == "offline" else pyodide_assets.CDN_URL,
        "pyodideIntegrity": pyodide_assets.loader_integrity(),
        "packages": list(pyodide_assets.PACKAGES),
        "pyodideBytes": pyodide_assets.DOWNLOAD_BYTES,  # what "Run live Python" costs a reader
        "bundle": bundle_name,
        "package": package,
        "math": "katex/" if math_files else None,  # relative to the runtime
    }
    files: dict[str, str | bytes | Path] = {
        "visual-essay.js": runtime.runtime_source(config),
        "visual-essay.css": (ASSETS / "visual-essay.css").read_text(),
        bundle_name: bundle,
    }
    for name, path in (pyodide_files or {}).items():
        files[f"pyodide/{name}"] = path
    for name, content in (math_files or {}).items():
        files[f"katex/{name}"] = content
    return files


def widget_bundle(widgets: dict[str, ModuleType]) -> bytes:
    """The Python the browser imports, as one small JSON file: the engine's browser modules, every
    .py file of each top-level package the widgets come from, and the values computed at build."""
    engine = Path(__file__).parent
    files = {
        f"visual_essay/{name}.py": (engine / f"{name}.py").read_text() for name in BROWSER_MODULES
    }
    for top in dict.fromkeys(m.__name__.split(".")[0] for m in widgets.values()):
        root = Path(importlib.import_module(top).__file__ or "").parent
        for path in sorted(root.rglob("*.py")):
            files[f"{top}/{path.relative_to(root).as_posix()}"] = path.read_text()
    files["visual_essay/prepared.json"] = json.dumps(prepared.shipped_values(), sort_keys=True)
    return json.dumps({"files": files}, sort_keys=True).encode()


# ---- without the plugin --------------------------------------------------------------------------


@functools.cache
def standalone_build(project: Path) -> Build:
    """The build a builder that runs no MkDocs plugins gets (one per project folder and process):
    the plugin's options read from mkdocs.yml."""
    return Build(project, Options.read(project / "mkdocs.yml"))


def format_fence_standalone(source: str, md: Any) -> str:
    """A widget fence rendered with no plugin running (Zensical): the page comes from the
    builder's rendering context, and figures are numbered per page."""
    build = standalone_build(Path.cwd())
    context = (
        md.preprocessors["rendering_context"] if "rendering_context" in md.preprocessors else None
    )
    src = context.page.path if context else "a page"
    if build.page_src != src or getattr(md, "_visual_essay_page", None) is None:
        page = build.docs_dir / src
        build.start_page(src, page.read_text() if page.is_file() else "")
        md._visual_essay_page = src
    return build.render_fence(source)
