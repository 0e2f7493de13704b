"""Running a site builder (MkDocs, ProperDocs or Zensical) as an author does, in a new process."""

from __future__ import annotations

from collections.abc import Sequence
import importlib.util
import os
from pathlib import Path
import subprocess
import sys

from .config import JOBS_ENV

BUILDERS = ("mkdocs", "properdocs", "zensical")


def builder_env(mode: str, jobs: int | None = None) -> dict[str, str]:
    """The environment our builds run in: Pyodide's mode, no banner about MkDocs 2, the
    project folder (the working one) importable, for its widget package, and ``jobs``, the
    processes that compute figures, when given (over the plugin's ``jobs``)."""
    env = {
        **os.environ,
        "VISUAL_ESSAY_PYODIDE": mode,
        "NO_MKDOCS_2_WARNING": "1",
        "PYTHONPATH": os.pathsep.join(filter(None, [os.getcwd(), os.environ.get("PYTHONPATH")])),
    }
    if jobs is not None:
        env[JOBS_ENV] = str(jobs)
    return env


def run_builder(
    builder: str, command: str, mode: str, extra: Sequence[str] = (), jobs: int | None = None
) -> int:
    """``<builder> <command> <extra>`` in the working folder; its exit code."""
    if importlib.util.find_spec(builder) is None:  # ProperDocs and Zensical are extras
        sys.exit(
            f"error: --builder {builder} needs {builder}: pip install 'visual-essay[{builder}]'"
        )
    if builder == "zensical":  # it runs no MkDocs plugins: what the plugin adds is written first
        from . import zensical

        extra = ["-f", str(zensical.prepare(Path.cwd(), mode)), *extra]
    return subprocess.call(
        [sys.executable, "-m", builder, command, *extra], env=builder_env(mode, jobs)
    )
