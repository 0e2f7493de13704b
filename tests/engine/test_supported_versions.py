"""The engine installs where its metadata says it does: ``requires-python``, the ranges in
pyproject.toml and the two constraints files (requirements/lock.txt, the essay's exact versions;
requirements/lowest.txt, every lower bound) agree, and the engine's tests pass with the lowest
versions on the oldest Python here: the system's ``python3``, from a clean environment, in a new
virtual environment. Each test asks PyPI, as an install would."""

import importlib.util
import json
import os
from pathlib import Path
import subprocess
import sys

from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version
import pytest

ROOT = Path(__file__).resolve().parents[2]  # the repository

# requirements/update.py: how the two files are written, and what each covers.
_spec = importlib.util.spec_from_file_location("update", ROOT / "requirements" / "update.py")
update = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(update)

# The engine's own tests, not the essay's, without a browser (this file excepted: it would run
# itself again; and the linters', which are the repository's tools, not the engine's dependencies),
# then the two browser tests that exercise the renderers the lowest matplotlib and KaTeX give: what
# the lowest versions must pass.
ENGINE_TESTS = [
    ["tests/engine", "-m", "not browser", "--deselect", "tests/engine/test_supported_versions.py",
     "--deselect", "tests/engine/test_code_quality.py"],
    ["tests/engine/browser/test_renderers.py", "tests/engine/browser/test_math.py"],
]
SYSTEM_PYTHON = "/usr/bin/python3"  # Debian's, older than the one a developer puts first on PATH
CLEAN_ENV = {"HOME": os.environ.get("HOME", "/root"), "PATH": "/usr/bin:/bin"}  # env -i HOME PATH
FILES = {"lock": ROOT / "requirements" / "lock.txt", "lowest": ROOT / "requirements" / "lowest.txt"}


def pins(path):
    """{canonical name: version} of a constraints file's ``name==version`` lines."""
    found = {}
    for line in path.read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            requirement = Requirement(line)
            (spec,) = requirement.specifier
            assert spec.operator == "==", f"{path.name}: {line} is not an exact pin"
            found[canonicalize_name(requirement.name)] = spec.version
    return found


def declared(extras):
    return {canonicalize_name(r.name): r for r in update.direct_requirements(extras)}


@pytest.mark.parametrize("which", FILES)
def test_every_pinned_version_installs_on_the_oldest_python_the_engine_claims(which, tmp_path):
    """pip resolves the whole file for that Python (it has it or not): a pin whose own
    Requires-Python leaves it out, or with no wheel for it, fails here, as on a reader's machine."""
    oldest = update.lowest_python()
    report = tmp_path / "report.json"
    result = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--dry-run", "--quiet", "--ignore-installed",
         "--target", str(tmp_path / "unused"), "--python-version", oldest,
         "--only-binary=:all:", "--report", str(report), "-r", str(FILES[which])],
        capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, f"{FILES[which].name} on Python {oldest}:\n{result.stderr}"
    chosen = {canonicalize_name(i["metadata"]["name"]): i["metadata"]
              for i in json.loads(report.read_text())["install"]}
    assert {n: m["version"] for n, m in chosen.items()} == pins(FILES[which]), \
        "the file is not a complete, consistent set: pip chose other versions or more packages"
    for name, metadata in chosen.items():
        assert SpecifierSet(metadata.get("requires_python") or "").contains(oldest), \
            f"{name} {metadata['version']} requires Python {metadata['requires_python']}"


def test_the_files_hold_the_declared_ranges_and_lowest_holds_every_lower_bound():
    lock, lowest = pins(FILES["lock"]), pins(FILES["lowest"])
    for name, requirement in declared(update.LOCK_EXTRAS).items():
        assert requirement.specifier.contains(lock[name]), f"lock.txt: {name}=={lock[name]} " \
            f"is outside pyproject.toml's {requirement}"
    for name, requirement in declared(update.LOWEST_EXTRAS).items():
        assert Version(lowest[name]) == Version(update.lower_bound(requirement)), \
            f"lowest.txt has {name}=={lowest[name]}, pyproject.toml's lower bound is {requirement}"
    # What lowest.txt leaves out is tested at one version only: then the range starts there.
    for name, requirement in declared(update.LOCK_EXTRAS).items():
        if name not in declared(update.LOWEST_EXTRAS):
            assert Version(lock[name]) == Version(update.lower_bound(requirement)), \
                f"{requirement} is tested only at the locked {lock[name]}: start its range there"


def test_both_files_were_resolved_for_the_lowest_python_requires_python_admits():
    for path in FILES.values():
        assert f"For Python {update.lowest_python()} and up" in path.read_text().splitlines()[0]


def test_the_engine_passes_its_tests_with_the_lowest_versions_on_the_system_python(tmp_path):
    """A new venv from the system's python3 (3.11.2 on Debian 12), nothing inherited from this
    shell, the engine and its test extra installed at their lowest versions, then ENGINE_TESTS."""
    assert Path(SYSTEM_PYTHON).is_file(), f"no {SYSTEM_PYTHON}: apt-get install python3-venv"
    version = subprocess.run([SYSTEM_PYTHON, "-c", "import platform; "
                              "print(platform.python_version())"], env=CLEAN_ENV,
                             capture_output=True, text=True, check=True).stdout.strip()
    claimed = update.project()["requires-python"]
    assert SpecifierSet(claimed).contains(version), f"{SYSTEM_PYTHON} is {version}: {claimed}?"
    venv = tmp_path / "venv"

    def run(*command, timeout=900):
        result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True,
                                timeout=timeout, env={**CLEAN_ENV, "NO_MKDOCS_2_WARNING": "1"})
        assert result.returncode == 0, \
            f"Python {version}, lowest versions: {' '.join(map(str, command))}\n" \
            f"{result.stdout[-6000:]}\n{result.stderr[-4000:]}"
        return result

    run(SYSTEM_PYTHON, "-m", "venv", str(venv))
    python = str(venv / "bin" / "python")
    run(python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
        "-c", str(FILES["lowest"]), "-e", f"{ROOT}[{','.join(update.LOWEST_EXTRAS)}]")
    installed = {canonicalize_name(p["name"]): p["version"] for p in json.loads(run(
        python, "-m", "pip", "list", "--format", "json", "--disable-pip-version-check").stdout)}
    for name, requirement in declared(update.LOWEST_EXTRAS).items():
        assert Version(installed[name]) == Version(update.lower_bound(requirement)), name
    for selection in ENGINE_TESTS:
        tests = run(python, "-m", "pytest", *selection, "-q", "-p", "no:cacheprovider")
        assert " passed" in tests.stdout and " skipped" not in tests.stdout, tests.stdout[-3000:]
        print(f"Python {version}, lowest versions: {tests.stdout.strip().splitlines()[-1]}")
