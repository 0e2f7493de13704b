"""The engine's code passes its linter, its formatter and its type checker, as configured in
pyproject.toml ([tool.ruff], [tool.mypy]): run here so the test command catches a slip."""

from pathlib import Path
import subprocess
import sys

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("command", [
    ["ruff", "check", "visual_essay"],
    ["ruff", "format", "--check", "visual_essay"],
    ["mypy"],  # files = ["visual_essay"] in pyproject.toml
], ids=["ruff-lint", "ruff-format", "mypy"])
def test_the_engine_passes(command):
    result = subprocess.run([sys.executable, "-m", *command], cwd=ROOT, capture_output=True,
                            text=True, timeout=600)
    assert result.returncode == 0, f"{' '.join(command)}:\n{result.stdout}\n{result.stderr}"
