"""The engine's configuration, in one place: the plugin's options in mkdocs.yml.

    plugins:
      - visual-essay:
          pyodide: cdn        # or offline: the site carries verified Pyodide files

``Options`` holds every option with its default; MkDocs checks them through ``PluginConfig``
(built from the same defaults), and a build without the plugin (Zensical, the offline bundle)
reads them from mkdocs.yml with ``Options.read``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
import os
from pathlib import Path
import re
from typing import Any

from mkdocs.config import config_options as opt
from mkdocs.config.base import Config

from . import katex
from . import pyodide as pyodide_assets

PLUGIN_NAME = "visual-essay"
JOBS_ENV = "VISUAL_ESSAY_JOBS"  # set by the command's --jobs
EXECUTORS = ("processes", "dask")  # or "module:function", a factory of an executor


def cores() -> int:
    """The cores this process may run on (a container or `taskset` may allow fewer than exist)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def check_executor(value: str) -> str:
    """``executor``: one of ``EXECUTORS`` or ``module:function``; anything else says so."""
    if value in EXECUTORS or re.fullmatch(r"[A-Za-z_][\w.]*:[A-Za-z_]\w*", value):
        return value
    raise ValueError(
        f"executor {value!r}: expected processes, dask, or module:function, a function that "
        "returns a concurrent.futures executor"
    )


def check_jobs(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"jobs: expected 0 (every core) or a number of processes, got {value!r}")
    return value


class _Checked(opt.Type):
    """An option of ``type`` that ``check`` accepts: MkDocs reports a refusal as its own."""

    def __init__(self, type_: type, check: Any, default: Any) -> None:
        super().__init__(type_, default=default)
        self.check = check

    def run_validation(self, value: object) -> Any:
        try:
            return self.check(super().run_validation(value))
        except ValueError as err:
            raise opt.ValidationError(str(err)) from None


@dataclass(frozen=True)
class Options:
    pyodide: str = "cdn"  # or "offline": the site carries Pyodide's verified files
    pyodide_source: str = "auto"  # offline: a folder, "npm", "cdn" or "auto"
    package: str = "widgets"  # the package whose WIDGETS the fences name
    # Relative to mkdocs.yml: figures drawn at build time, verified Pyodide and KaTeX files.
    cache_dir: str = ".cache/figures"
    pyodide_cache: str = str(pyodide_assets.DEFAULT_CACHE.parent)
    katex_cache: str = str(katex.DEFAULT_CACHE)
    # The essay's title, subtitle, authors, date and citation (see titleblock.py).
    essay: dict[str, Any] = field(default_factory=dict)
    # Figures and tables computed in parallel: how many local processes (0: one per core; 1: in
    # the build's own process, one page after another), or where instead ("dask" and a
    # scheduler's address, or "module:function" returning a concurrent.futures executor).
    jobs: int = 0
    executor: str = "processes"
    scheduler: str = ""  # executor: dask; empty: Dask's own configuration says where

    def __post_init__(self) -> None:
        check_jobs(self.jobs)
        check_executor(self.executor)

    def workers(self) -> int:
        """How many processes compute figures: ``visual-essay build --jobs N`` (which sets
        VISUAL_ESSAY_JOBS) over ``jobs``; 0 is every core this process may run on."""
        given = os.environ.get(JOBS_ENV, "").strip()
        if given and not (given.isdigit() and int(given) > 0):
            raise ValueError(
                f"{JOBS_ENV}={given!r}: expected a whole number of processes, 1 or more"
            )
        jobs = int(given) if given else self.jobs
        return jobs or cores()

    @classmethod
    def read(cls, config_file: Path | str) -> Options:
        """The plugin's options in an mkdocs.yml, without running MkDocs."""
        for entry in read_mkdocs_yml(config_file).get("plugins") or []:
            if isinstance(entry, dict) and PLUGIN_NAME in entry:
                given = entry[PLUGIN_NAME] or {}
                known = {f.name for f in fields(cls)}
                return cls(**{k: v for k, v in given.items() if k in known and v is not None})
        return cls()


class PluginConfig(Config):
    """The same options, as MkDocs checks them."""

    pyodide = opt.Choice(("cdn", "offline"), default=Options.pyodide)
    pyodide_source = opt.Type(str, default=Options.pyodide_source)
    package = opt.Type(str, default=Options.package)
    cache_dir = opt.Type(str, default=Options.cache_dir)
    pyodide_cache = opt.Type(str, default=Options.pyodide_cache)
    katex_cache = opt.Type(str, default=Options.katex_cache)
    essay = opt.Type(dict, default={})
    jobs = _Checked(int, check_jobs, Options.jobs)
    executor = _Checked(str, check_executor, Options.executor)
    scheduler = opt.Type(str, default=Options.scheduler)

    def options(self) -> Options:
        return Options(**{f.name: self[f.name] for f in fields(Options)})


def read_mkdocs_yml(config_file: Path | str) -> dict[str, Any]:
    """An mkdocs.yml as plain data, its !ENV and !!python tags read as nothing."""
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("", lambda loader, suffix, node: None)
    return yaml.load(Path(config_file).read_text(), Loader=Loader) or {}


def uses_formulas(mkdocs_yml: dict[str, Any]) -> bool:
    """Whether the essay typesets formulas (``pymdownx.arithmatex`` is on)."""
    return any(
        "pymdownx.arithmatex" in (e if isinstance(e, str) else e)
        for e in mkdocs_yml.get("markdown_extensions") or []
    )
