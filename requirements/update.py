"""Write the two constraints files from pyproject.toml, for the oldest Python it claims:

    pip install uv && python requirements/update.py            # keep locked versions that fit
    pip install uv && python requirements/update.py --upgrade  # the newest versions that fit

- ``lock.txt``: the essay's exact versions (the engine with every extra), used with
  ``pip install -c requirements/lock.txt`` by the README, tests/run.sh, .ci/run and the Pages
  workflow. Arguments given (``--upgrade``, ``--upgrade-package numpy``) go to ``uv pip compile``.
- ``lowest.txt``: every direct dependency of the engine and its ``test`` extra at the lower bound
  pyproject.toml declares, the rest resolved around them; tests/test_supported_versions.py runs
  the engine's tests with it on the system Python.

Both are resolved for the lowest Python ``requires-python`` admits (3.11.0 for ``>=3.11``), so
they install on every supported Python, not only the one that ran this script.
"""

from pathlib import Path
import re
import subprocess
import sys
import tempfile
import tomllib

from packaging.requirements import Requirement

HERE = Path(__file__).resolve().parent
PYPROJECT = HERE.parent / "pyproject.toml"
LOWEST_EXTRAS = ("test", "dask")  # what an essay installs; properdocs, zensical, dev are locked only
LOCK_EXTRAS = ("dev",)  # everything this repository's tests use


def project():
    return tomllib.loads(PYPROJECT.read_text())["project"]


def lowest_python(spec=None):
    """The lowest version a ``>=X.Y[.Z]`` requires-python admits, as X.Y.Z."""
    spec = spec or project()["requires-python"]
    found = re.fullmatch(r"\s*>=\s*(\d+)\.(\d+)(?:\.(\d+))?\s*(,.*)?", spec)
    if not found:
        sys.exit(f"requires-python {spec!r}: expected '>=X.Y' (optionally with upper bounds)")
    major, minor, micro = found.group(1, 2, 3)
    return f"{major}.{minor}.{micro or 0}"


def direct_requirements(extras):
    """The engine's own requirements and those of ``extras`` (not the self-references)."""
    meta = project()
    lines = list(meta["dependencies"])
    for extra in extras:
        lines += meta["optional-dependencies"][extra]
    return [r for r in map(Requirement, lines) if r.name != meta["name"]]


def lower_bound(requirement):
    """The version after ``>=`` in a requirement; every dependency must declare one."""
    for spec in requirement.specifier:
        if spec.operator == ">=":
            return spec.version
    sys.exit(f"{requirement}: give it a lower bound (>=) so the lowest set can test it")


def compile_(out, extras, *args):
    command = [sys.executable, "-m", "uv", "pip", "compile", str(PYPROJECT), "--quiet",
               "--python-version", lowest_python(), "--no-header", "--output-file", str(out),
               *[a for e in extras for a in ("--extra", e)], *args]
    subprocess.run(command, check=True, cwd=HERE.parent)


def main(args):
    header = (f"# For Python {lowest_python()} and up, from pyproject.toml by "
              "`python requirements/update.py`: do not edit.\n")
    compile_(HERE / "lock.txt", LOCK_EXTRAS, *args)
    with tempfile.NamedTemporaryFile("w", suffix=".txt") as bounds:
        bounds.write("".join(f"{r.name}=={lower_bound(r)}\n"
                             for r in direct_requirements(LOWEST_EXTRAS)))
        bounds.flush()
        compile_(HERE / "lowest.txt", LOWEST_EXTRAS, "--constraint", bounds.name, "--no-annotate",
                 *args)
    for name in ("lock.txt", "lowest.txt"):
        path = HERE / name
        path.write_text(header + path.read_text())
        print(f"wrote {path.relative_to(HERE.parent)}")


if __name__ == "__main__":
    main(sys.argv[1:])
