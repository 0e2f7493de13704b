"""The build: from widget fences to figures, tables of scenes and the files the site carries.

``Build`` is what one build knows, with or without the MkDocs plugin: the essay's widget registry
(imported from beside mkdocs.yml), the figure cache, and the page being rendered (for figure
numbers and the lines errors name). ``site_files`` lists what the site needs beside its pages.
The MkDocs plugin (``plugin``) drives a ``Build`` from its events; a builder that runs no MkDocs
plugins (Zensical) reaches one through ``standalone_build``.
"""

from __future__ import annotations

import collections
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Executor, Future, ProcessPoolExecutor
import contextlib
import dataclasses
from dataclasses import dataclass, field
import functools
import hashlib
import importlib
import inspect
import json
import logging
import multiprocessing
import os
from pathlib import Path
import queue
import re
import sys
import threading
import traceback
from types import ModuleType
from typing import Any
import weakref

from mkdocs.exceptions import PluginError
import threadpoolctl
import yaml

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
# A guided step's first line (prose.Step): ``/// step | figure: name=value ...``
STEP = re.compile(r"^[ \t>]*/{3,}[ \t]*step[ \t]*\|(.*)$", re.M)


def split_step(argument: str) -> tuple[str, list[str] | None, str]:
    """A guided step's argument, ``figure (b, c): name=value ...``: the figure's key, the letters
    of the panels its own figure shows on a phone (None: all) and its values."""
    head, _, assignments = argument.partition(":")
    key, bracket, panels = head.partition("(")
    if not bracket:
        return key.strip(), None, assignments
    if not panels.rstrip().endswith(")"):
        raise ValueError(f"step of {key.strip()}: expected its panels as (b, c), got ({panels}")
    letters = [p.strip() for p in panels.rstrip()[:-1].split(",")]
    if not all(letters):
        raise ValueError(f"step of {key.strip()}: expected its panels as (b, c), got ({panels}")
    return key.strip(), letters, assignments


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
        self.parsed: dict[str, fence.Placement] = {}  # fence bodies read by precompute
        self.page_src: str | None = None
        self.with_tables = False
        # by figure key: tables.readout_widths
        self.readout_widths: dict[str, list[tuple[float, list[str]]]] = {}
        # the page's first figure's: the first part of its table, to write inside the page
        self.first_parts: dict[str, str] = {}

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
        where = f"{self.page_path}:{line}"
        known = self.parsed.get(body)  # read already by precompute: YAML is slow to parse
        placement = (
            dataclasses.replace(known, params=dict(known.params), where=where)
            if known
            else fence.parse(source, self.page_path, line, self.registry)
        )
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
        """A guided step ``figure (b, c): name=value ...``: its element's attributes, the static
        figure at its values (shown in print and without JavaScript; on a phone only the panels
        named in brackets, if any) and its VALUES there, as text."""
        where = self._where(f"step | {argument}")
        try:
            key, panels, assignments = split_step(argument)
        except ValueError as err:
            raise fence.WidgetError(f"{where}: {err}") from None
        placed = self.figures.get(key)
        if placed is None:
            raise fence.WidgetError(
                f"{where}: step names no figure on this page ({key!r});"
                f" figures here: {', '.join(self.figures) or '(none)'}"
            )
        try:
            overrides = fence.parse_assignments(assignments)
            values = params.resolve(placed.module.PARAMS, {**placed.placement.params, **overrides})
        except (ValueError, params.ParamError) as err:
            raise fence.WidgetError(f"{where}: step of {key}: {err}") from None
        placed.steps.append(values)
        shown = dataclasses.replace(
            placed.placement, params=values, key=f"{placed.placement.key}-step{len(placed.steps)}"
        )
        static = self._guarded(shown, lambda: self._static(shown, placed.module))
        letters = markup.panel_letters(static["svgs"])
        unknown = [p for p in panels or () if p not in letters]
        if unknown:
            raise fence.WidgetError(
                f"{where}: step of {key} shows no panel {', '.join(map(repr, unknown))};"
                f" its panels: {', '.join(letters)}"
            )
        attributes = {
            "class": "vw-step",
            "data-figure": placed.placement.key,
            "data-params": json.dumps(values, separators=(",", ":")),
        }
        return attributes, markup.static_figure_html(static, panels), static["values"]

    def finish_page(self) -> dict[str, Any]:
        """The page's tables of scenes, by figure key: what a reader reaches from each figure's
        values, and every guided step's values."""
        if not self.with_tables:
            return {}
        return {key: self._guarded_table(placed) for key, placed in self.figures.items()}

    def page_scripts(self) -> dict[str, str]:
        """The page's tables of scenes, one script per figure (``tables.script`` of its table
        alone), by figure key in reading order: on a slow connection a figure answers once its
        own table is in, not the whole page's. Each table's part of its script is kept in the
        cache beside the table: a build loads and encodes only the tables that changed (they are
        large: doing it for every table was most of a warm build), wherever they are placed."""
        if not self.with_tables or not self.figures:
            return {}
        ends = _script_ends()
        self.readout_widths, self.first_parts = {}, {}
        if ends is None:  # tables.script does not compose from parts: each script made whole
            made = self.finish_page()
            for key, table in made.items():
                self.readout_widths[key] = tables.readout_widths(table)
                self.first_parts[key] = self._first_part(key, self.figures[key], table)
            scripts = {key: tables.script({key: table}) for key, table in made.items()}
        else:
            head, tail = ends
            scripts = {
                key: head + self._script_part(key, placed, ends) + tail
                for key, placed in self.figures.items()
            }
        # On a slow connection the page's first figure answers from the part of its table a
        # reader reaches first (a few scenes), written inside the page before the figure (it
        # comes with the page, no request of its own), the whole table loaded after: where that
        # part is much smaller than the whole (else the whole comes as soon).
        first = next(iter(scripts))
        part = self.first_parts[first]
        self.first_parts = {first: part} if len(part) < len(scripts[first]) / 2 else {}
        return scripts

    def _first_part(self, key: str, placed: PlacedFigure, table: Any) -> str:
        module, values = placed.module, placed.placement.params
        cases = tables.first_cases(module.PARAMS, values, placed.steps)
        keys = [tables.key(module.PARAMS, case) for case in cases]
        return tables.inline({key: tables.part_of(table, keys)})

    def _script_part(self, key: str, placed: PlacedFigure, ends: tuple[str, str]) -> str:
        name = entry_file(self._table_entry(placed), placed.module)
        digest = hashlib.sha256(json.dumps([name, key, _script_code()]).encode()).hexdigest()
        # The table's errors, its readouts' widths and its first part's script; then its part.
        path = self.cache / f"script-{digest[:16]}.txt"
        try:
            known, part = path.read_text().split("\n", 1)
            errors, self.readout_widths[key], self.first_parts[key] = json.loads(known)
            self._warn(placed, errors)
            return part
        except (FileNotFoundError, ValueError):  # missing, or cut short
            pass
        table = self._guarded_table(placed)  # warns of its errors
        head, tail = ends
        part = tables.script({key: table})[len(head) : -len(tail)]
        self.readout_widths[key] = tables.readout_widths(table)
        self.first_parts[key] = self._first_part(key, placed, table)
        kept = [table["errors"], self.readout_widths[key], self.first_parts[key]]
        write_entry(path, json.dumps(kept) + "\n" + part)
        return part

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

    # ---- every page's figures at once, before the pages render, on every core -----------------

    def precompute(self, pages: Iterable[str]) -> int:
        """Compute every figure and table the pages (their raw Markdown) will ask for and the
        cache lacks, in parallel (``open_executor``); rendering them, one page after another,
        then finds them cached. Returns how many entries were computed. Anything that fails here
        is left to the rendering, which reports it with its page and line."""
        missing: dict[str, Entry] = {}
        for key in prepared.pending():  # the widgets' build-time values, first and each alone
            missing[value_file(key)] = Entry("value", key, {})
        for markdown in pages:
            for entry in self.planned(markdown):
                name = entry_file(entry, self.registry[entry.name])
                if name not in missing and not (self.cache / name).exists():
                    missing[name] = entry
        if not missing:
            return 0
        with open_executor(self.options, self.project) as executor:
            if executor is None:  # jobs: 1, the pages compute their own
                return 0
            values = sum(entry.kind == "value" for entry in missing.values())
            log.info(
                f"visual-essay: computing {len(missing) - values} figures and tables in parallel"
                + (f" (and {values} build-time value{'s' * (values > 1)})" if values else "")
            )
            # With local processes this one is a worker too (open_executor started one fewer).
            here = self.options.executor == "processes"
            return self._compute_on(
                executor, missing, workers=self.options.workers() - 1 if here else None
            )

    def _compute_on(
        self, executor: Executor, missing: dict[str, Entry], workers: int | None = None
    ) -> int:
        """Compute ``missing`` on ``executor``, each result written to the cache as it arrives
        and then dropped (memory holds the entries in flight, not all of them). ``workers``: the
        executor's local processes, beside which this process computes too; each is given a task
        only as it can start it (one waiting in a process's queue can no longer be taken back),
        from one queue both take from. None: every task goes to the executor at once. A task
        that needs a build-time value another process is still computing steps aside
        (``prepared.NotReady``) rather than wait for it, and is queued again once that value is
        in the cache."""
        # Build-time values first (figures wait for them), then tables (they take longest), and
        # the short figures then fill the gaps at the end.
        todo = collections.deque(
            sorted(missing, key=lambda name: FIRST_TO_LAST.index(missing[name].kind))
        )
        finished: queue.SimpleQueue[tuple[str, Future[tuple[str, str]]]] = queue.SimpleQueue()
        futures: dict[str, Future[tuple[str, str]]] = {}  # given to the executor, not yet kept
        started: set[str] = set()  # of them, those not done yet
        lock = threading.Lock()
        waiting: defaultdict[str, list[str]] = defaultdict(list)  # a value's file: who needs it

        def feed() -> None:
            """Give the executor what it can start now (all of it, without ``workers``)."""
            given = []
            with lock:
                while todo and (workers is None or len(started) < workers):
                    name = todo.popleft()
                    task = Task(missing[name], str(self.project), self.options.package,
                                str(self.cache))  # fmt: skip
                    started.add(name)
                    futures[name] = executor.submit(run_task, task)
                    given.append((name, futures[name]))
            # Outside the lock: a task already done (a thread pool's) calls ``done`` at once.
            for name, future in given:
                future.add_done_callback(functools.partial(done, name))

        def done(name: str, future: Future[tuple[str, str]]) -> None:
            with lock:
                started.discard(name)
            feed()  # the next task starts at once, whatever this process is doing
            finished.put((name, future))

        def take() -> str | None:
            """What this process computes next: the values first, as the workers do (each is
            long, and the figures that need it wait), then from the end of the queue."""
            with lock:
                if not todo:
                    return None
                return todo.popleft() if missing[todo[0]].kind == "value" else todo.pop()

        outcomes: Counter[bool] = Counter()
        here = workers is not None
        limits = threadpoolctl.threadpool_limits(limits=1) if here else contextlib.nullcontext()
        with limits, prepared.waiting_for_others(False):
            feed()
            while futures or waiting or todo:
                outcome: bool | prepared.NotReady | None = None  # None: nothing is running
                mine = take() if here and finished.empty() else None
                if mine is not None:
                    name, outcome = mine, self._compute_here(mine, missing[mine])
                elif futures:
                    name, future = finished.get()
                    with lock:
                        del futures[name]
                    outcome = self._keep(name, future)
                if isinstance(outcome, prepared.NotReady):
                    # (A value's own task steps aside for good: another process is computing it.)
                    if missing[name] != Entry("value", outcome.key, {}):
                        value = value_file(outcome.key)
                        waiting[value].append(name)
                        log.debug(f"visual-essay: {name} steps aside until {value} is in")
                elif outcome is not None:
                    outcomes[outcome] += 1
                # Who waits for a value that is in (or with nothing left running) goes again.
                for value in [v for v in waiting if not futures or (self.cache / v).exists()]:
                    with lock:
                        todo.extend(waiting.pop(value))
                    feed()
        if outcomes[False]:
            log.info(f"visual-essay: {outcomes[False]} left to compute as their pages render")
        return outcomes[True]

    def _keep(self, name: str, future: Future[tuple[str, str]]) -> bool | prepared.NotReady:
        """A worker's result written to the cache; False when it is left to its page."""
        return self._stored(name, future.result)

    def _compute_here(self, name: str, entry: Entry) -> bool | prepared.NotReady:
        """The entry computed in the build's own process, as a worker would."""
        return self._stored(name, lambda: (name, entry_text(compute_entry(entry, self.registry))))

    def _stored(self, name: str, result: Callable[[], tuple[str, str]]) -> bool | prepared.NotReady:
        """``result()`` (the computing widget's name, the entry's text) written to the cache:
        True; False when it is left to its page (a widget that raises reports it there, with its
        line); NotReady when it needs a value another process is computing."""
        try:
            worker_name, text = result()
        except prepared.NotReady as err:
            return err
        except Exception as err:
            log.debug(f"visual-essay: {name} left to the page: {type(err).__name__}: {err}")
            return False
        if worker_name != name:  # the worker imported other widget code than this build
            log.debug(f"visual-essay: {name}: the worker's code differs; left to the page")
            return False
        write_entry(self.cache / name, text)
        return True

    def planned(self, markdown: str) -> list[Entry]:
        """The entries rendering a page (its raw Markdown) will ask for: each fence's figure and
        table of scenes, and each guided step's figure. A fence or step this cannot read (an
        example in a code block, a mistake) is skipped: rendering the page reports mistakes."""
        placed: dict[str, tuple[fence.Placement, list[dict[str, Any]]]] = {}
        keys: Counter[str] = Counter()
        for line, body in fence.fence_lines(markdown):
            try:
                placement = fence.parse(body, self.docs_dir.name, line, self.registry)
            except fence.WidgetError:
                continue
            self.parsed[body.strip("\n")] = placement
            keys[placement.key] += 1  # as render_fence names a second figure with the same key
            key = (
                placement.key
                if keys[placement.key] == 1
                else f"{placement.key}-{keys[placement.key]}"
            )
            placed[key] = (placement, [])
        for match in STEP.finditer(markdown):
            try:
                key, _, assignments = split_step(match[1])
            except ValueError:
                continue
            if key not in placed:
                continue
            placement, steps = placed[key]
            try:
                overrides = fence.parse_assignments(assignments)
                declared = self.registry[placement.name].PARAMS
                steps.append(params.resolve(declared, {**placement.params, **overrides}))
            except (ValueError, yaml.YAMLError, params.ParamError):
                continue
        entries = []
        for placement, steps in placed.values():
            entries.append(Entry("figure", placement.name, placement.params))
            entries.append(Entry("table", placement.name, placement.params, steps))
            entries += [Entry("figure", placement.name, values) for values in steps]
        return entries

    # ---- figures and tables, cached while their code and values are unchanged -----------------

    def _cached(self, entry: Entry, module: ModuleType) -> Any:
        """The entry from the figure cache, computed (and kept there) when it is missing. What
        is returned is always what the cache file holds, so a figure computed here, in another
        process (``precompute``) or by an earlier build is the same."""
        path = self.cache / entry_file(entry, module)
        try:
            return json.loads(path.read_text())
        except (FileNotFoundError, ValueError):  # missing, or cut short by a killed build
            pass
        text = entry_text(compute_entry(entry, self.registry))
        write_entry(path, text)
        return json.loads(text)

    def _table_entry(self, placed: PlacedFigure) -> Entry:
        return Entry("table", placed.placement.name, placed.placement.params, placed.steps)

    def _table(self, placed: PlacedFigure) -> Any:
        table = self._cached(self._table_entry(placed), placed.module)
        self._warn(placed, table["errors"])
        return table

    def _warn(self, placed: PlacedFigure, errors: dict[str, str]) -> None:
        """A widget that raises (or draws a value that is not finite) for values a reader
        reaches is the author's bug even when the figure's own values draw: a warning, which a
        `strict: true` build turns into a failure."""
        if not errors:
            return
        placement, module = placed.placement, placed.module
        cases = {
            tables.key(module.PARAMS, case): case
            for case in [*tables.cases(module.PARAMS, placement.params), *placed.steps]
        }
        for key, error in errors.items():
            log.warning(
                f"{placement.where}: widget {placement.name} raised at "
                f"{json.dumps(cases[key])}: {error}"
            )

    def _static(self, placement: fence.Placement, module: ModuleType) -> dict[str, Any]:
        """The build-time figure (matplotlib's SVG of each panel, the alt text, the readouts, the
        motion its play bar is made for)."""
        static = self._cached(Entry("figure", placement.name, placement.params), module)
        prefix = f"vw-{placement.key}-"
        svgs = [figure.with_id_prefix(s, f"{prefix}{i}-") for i, s in enumerate(static["svgs"])]
        return {**static, "svgs": svgs}


def code_of(module: ModuleType, kind: str) -> list[str]:
    """The code a widget's figure (or table) depends on: its module, the sibling modules it uses,
    the scene vocabulary, the parameter declarations and the renderer (or the table maker)."""
    engine = [tables if kind == "table" else figure, scene, layout, params]
    return prepared.module_sources(module) + sorted(inspect.getsource(m) for m in engine)


@functools.cache
def _script_code() -> str:
    """What a page's script depends on beside its tables: the code that writes it."""
    return hashlib.sha256(inspect.getsource(tables).encode()).hexdigest()


@functools.cache
def _script_ends() -> tuple[str, str] | None:
    """``head`` and ``tail`` such that ``tables.script`` of several tables is ``head``, the part
    of each table's own script between ``head`` and ``tail`` (joined by commas), and ``tail``,
    as JSON writes an object's members. Checked on two small tables that share a mark; None if
    the script is not made so (then a page's script is written whole, from all its tables)."""
    try:
        empty = tables.script({})
        if empty.count("{}") != 1:
            return None
        before, after = empty.split("{}")
        head, tail = before + "{", "}" + after
        mark = {"kind": "text", "x": 0, "y": 0, "text": "a"}
        scene = {"panels": [{"marks": [mark]}], "alt": "", "readouts": [], "values": {}}
        one: Any = tables.build_table([], {}, lambda _: scene)  # type: ignore[arg-type, return-value]
        two: Any = {**one, "scenes": one["scenes"] * 2}
        parts = [tables.script({k: t})[len(head) : -len(tail)] for k, t in [("a", one), ("b", two)]]
        together = tables.script({"a": one, "b": two})
        return (head, tail) if together == head + ",".join(parts) + tail else None
    except Exception:  # a script made otherwise: written whole
        return None


# A digest of code_of per loaded module: reading and hashing the sources once per module, not
# once per figure (an edited widget is imported anew, a new module object, and read again).
_code_digests: weakref.WeakKeyDictionary[ModuleType, dict[str, str]] = weakref.WeakKeyDictionary()


def code_digest(module: ModuleType, kind: str) -> str:
    digests = _code_digests.setdefault(module, {})
    if kind not in digests:
        code = json.dumps(code_of(module, kind)).encode()
        digests[kind] = hashlib.sha256(code).hexdigest()
    return digests[kind]


# ---- figure-cache entries, computed here or in other processes -----------------------------------


@dataclass
class Entry:
    """One entry of the figure cache: a figure's build-time drawing (``kind`` "figure"), its
    table of scenes ("table", ``extra`` holding the guided steps' values the table also holds),
    or a widget's build-time value ("value", ``name`` its ``@at_build`` function)."""

    kind: str
    name: str
    params: dict[str, Any]
    extra: list[dict[str, Any]] | None = None


def value_file(key: str) -> str:
    """The cache file name of the ``@at_build`` value ``key``, as ``prepared`` keeps it."""
    return os.path.basename(prepared.cache_file(key) or "")


FIRST_TO_LAST = ("value", "table", "figure")  # the order a parallel build computes entries in


def entry_file(entry: Entry, module: ModuleType) -> str:
    """The entry's file name in the cache: keyed by its values and the code it depends on."""
    key = json.dumps(
        [entry.kind, entry.name, entry.params, entry.extra, code_digest(module, entry.kind)],
        sort_keys=True,
    )
    return f"{entry.name}-{entry.kind}-{hashlib.sha256(key.encode()).hexdigest()[:16]}.json"


def compute_entry(entry: Entry, widgets: Mapping[str, ModuleType]) -> Any:
    """What the cache holds for ``entry``: a figure's SVGs, alt text, readouts, motion and values,
    or a table (``tables.build_table``)."""
    if entry.kind == "value":  # an @at_build function's (its name), kept by prepared itself
        return prepared.value_of(entry.name)
    if entry.kind == "figure":
        scene = registry.compute(entry.name, entry.params, widgets)
        return {
            "svgs": figure.render_svgs(scene),
            "alt": scene["alt"],
            "frames": scene["frames"],
            "readouts": scene["readouts"],
            "values": scene["values"],
        }
    return tables.build_table(
        widgets[entry.name].PARAMS,
        entry.params,
        lambda case: registry.compute(entry.name, case, widgets),
        extra=entry.extra or [],
    )


def entry_text(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"))


def write_entry(path: Path, text: str) -> None:
    """Written whole or not at all: a build stopped halfway leaves no half-written entry."""
    partial = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}")
    partial.write_text(text)
    partial.replace(path)


@dataclass
class Task:
    """An entry to compute in another process (or on another machine): what it needs to import
    the widgets there, as plain data."""

    entry: Entry
    project: str  # the folder the widget package is imported from
    package: str
    cache: str  # where @at_build values are kept (computed by this build before the task)


def run_task(task: Task) -> tuple[str, str]:
    """In a worker: the entry's file name, by the worker's own widget code, and its text.
    Raises ``prepared.NotReady`` for a value another task is computing."""
    prepared.WAIT_FOR_OTHERS = False  # workers compute a build's tasks only
    widgets = _worker_widgets(task)
    entry = task.entry
    if entry.kind == "value":
        name = value_file(entry.name)
    else:
        name = entry_file(entry, widgets[entry.name])
    return name, entry_text(compute_entry(entry, widgets))


def _worker_widgets(task: Task) -> Mapping[str, ModuleType]:
    """The widget registry in a worker: the one this process already holds (a worker thread of
    the build itself), or imported once from the project folder."""
    loaded = sys.modules.get(task.package)
    if loaded is not None and hasattr(loaded, "WIDGETS"):
        return loaded.WIDGETS
    if task.project not in sys.path:
        sys.path.insert(0, task.project)
    if prepared.CACHE_DIR is None:
        prepared.CACHE_DIR = task.cache
    return importlib.import_module(task.package).WIDGETS


# Local processes are forked from a small server process (not from this one, which may hold
# threads, as `mkdocs serve` does) that has imported the engine once; spawned where there is none.
START_METHOD = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"


def _start_worker() -> None:
    """A pool process: one thread each for numpy's linear algebra, as one process runs per core
    (OpenBLAS's own threads would fight the other processes for the same cores)."""
    global _thread_limits
    _thread_limits = threadpoolctl.threadpool_limits(limits=1)


_thread_limits: Any = None


def _process_pool(jobs: int) -> ProcessPoolExecutor:
    context = multiprocessing.get_context(START_METHOD)
    if START_METHOD == "forkserver":
        context.set_forkserver_preload([__name__])
    return ProcessPoolExecutor(jobs, mp_context=context, initializer=_start_worker)


@contextlib.contextmanager
def open_executor(options: Options, project: Path) -> Iterator[Executor | None]:
    """The ``concurrent.futures`` executor the figures are computed on (``options.executor``):
    a pool of ``jobs`` local processes, a Dask cluster's, or an author's own; None when
    ``jobs`` is 1 (the pages compute their figures in this process, one after another)."""
    try:
        jobs = options.workers()
    except ValueError as err:
        raise PluginError(f"visual-essay: {err}") from None
    if jobs == 1:
        yield None
    elif options.executor == "processes":
        pool = _process_pool(jobs - 1)  # and the build's own process
        try:
            yield pool
        except BaseException:  # stopped (Ctrl-C, a failure): drop the work not started yet
            pool.shutdown(wait=True, cancel_futures=True)
            raise
        pool.shutdown(wait=True)
    elif options.executor == "dask":
        try:
            import distributed
        except ImportError:
            raise PluginError(
                "visual-essay: executor: dask needs Dask's distributed scheduler: "
                "pip install 'visual-essay[dask]'"
            ) from None
        # With no address, Dask's own configuration says where (DASK_SCHEDULER_ADDRESS, ...).
        with distributed.Client(options.scheduler or None, set_as_default=False) as client:
            yield client.get_executor()
    else:
        module, _, name = options.executor.partition(":")
        if str(project) not in sys.path:  # a factory may live beside mkdocs.yml, as the widgets
            sys.path.insert(0, str(project))
        try:
            factory = getattr(importlib.import_module(module), name)
        except (ImportError, AttributeError) as err:
            raise PluginError(
                f"visual-essay: executor {options.executor!r}: {type(err).__name__}: {err}"
            ) from None
        executor = factory()
        try:
            yield executor
        finally:
            executor.shutdown(wait=True)


# ---- the widget registry, imported anew for every build ------------------------------------------


def import_registry(package: str, reimport: set[str]) -> Mapping[str, ModuleType]:
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
        list(widgets.values())  # every widget now (registry.Widgets imports each when asked)
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
    widgets: Mapping[str, ModuleType],
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
        "visual-essay.css": runtime.stylesheet(),
        bundle_name: bundle,
    }
    for name, path in (pyodide_files or {}).items():
        files[f"pyodide/{name}"] = path
    for name, content in (math_files or {}).items():
        files[f"katex/{name}"] = content
    return files


def widget_bundle(widgets: Mapping[str, ModuleType]) -> bytes:
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
