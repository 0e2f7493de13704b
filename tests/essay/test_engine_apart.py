"""The engine's tests stand apart from this essay: nothing under ``tests/engine/`` names one of the
essay's widgets, imports its widget package or builds its site, so the engine can leave this
repository with its tests."""

from pathlib import Path
import re

from widgets import NAMES

ROOT = Path(__file__).resolve().parents[2]
ENGINE_TESTS = ROOT / "tests" / "engine"
# Importing the essay's package, naming it as the package to build, or building the essay's site.
ESSAY = re.compile(r"^\s*(from|import)\s+widgets\b|package\s*[:=]\s*[\"']?widgets\b"
                   r"|registry\([\"']widgets[\"']\)|sites\([\"']essay[\"']", re.M)


def engine_test_files():
    files = sorted(p for p in ENGINE_TESTS.rglob("*")
                   if p.is_file() and p.suffix in (".py", ".md", ".yml")
                   and ".cache" not in p.parts and "__pycache__" not in p.parts)
    assert len(files) > 20, "the engine's tests are where this test looks"
    return files


def offences(text):
    names = [n for n in NAMES if re.search(rf"\b{n}\b", text, re.I)]
    return names + [m.group(0).strip() for m in ESSAY.finditer(text)]


def test_no_engine_test_file_names_the_essays_widgets_or_imports_them():
    found = {str(p.relative_to(ROOT)): offences(p.read_text()) for p in engine_test_files()}
    assert {path: what for path, what in found.items() if what} == {}


def test_the_check_finds_an_essay_widget_and_an_import_of_the_essays_package():
    assert offences("x = compute('bins', {})\nfrom widgets import WIDGETS\n") == [
        "bins", "from widgets"]
    assert offences("package: fixture_widgets\nlevels = 16\n") == []
