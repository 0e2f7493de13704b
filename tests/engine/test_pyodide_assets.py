"""Offline mode carries only the Pyodide files it needs, each verified; a mismatch fails the build."""

import json
from pathlib import Path
import shutil

import pytest

from visual_essay import pyodide
from visual_essay.testing import build_site

ROOT = Path(__file__).resolve().parents[2]  # the repository: its .cache holds the figures
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def test_the_site_needs_the_core_and_numpy_and_nothing_else(pyodide_files):
    names = set(pyodide_files)
    assert names == set(pyodide.CORE_SHA256) | {
        "numpy-2.0.2-cp312-cp312-pyodide_2024_0_wasm32.whl"}
    size = sum(path.stat().st_size for path in pyodide_files.values())
    assert 15e6 < size < 20e6, f"{size / 1e6:.1f} MB"


def test_package_hashes_come_from_the_lock_file(pyodide_files):
    lock = json.loads(pyodide_files["pyodide-lock.json"].read_text())
    assert lock["info"]["version"] == pyodide.PYODIDE_VERSION
    assert pyodide.package_files(lock) == {
        lock["packages"]["numpy"]["file_name"]: lock["packages"]["numpy"]["sha256"]}


def test_a_tampered_file_is_refused(tmp_path, pyodide_files):
    for name, path in pyodide_files.items():
        shutil.copy(path, tmp_path / name)
    assert set(pyodide.verify(tmp_path)) == set(pyodide_files)
    wheel = next(tmp_path.glob("numpy-*.whl"))
    data = bytearray(wheel.read_bytes())
    data[1000] ^= 0xFF  # one flipped byte
    wheel.write_bytes(bytes(data))
    with pytest.raises(pyodide.PyodideAssetError, match=r"numpy-2\.0\.2.*does not match"):
        pyodide.verify(tmp_path)


def test_a_tampered_file_fails_the_offline_build(tmp_path, pyodide_files):
    source = tmp_path / "pyodide-source"
    source.mkdir()
    for name, path in pyodide_files.items():
        shutil.copy(path, source / name)
    (source / "pyodide.asm.wasm").write_bytes(b"\0asm not really")
    config = tmp_path / "mkdocs.yml"
    config.write_text((FIXTURES / "mkdocs.yml").read_text()
                      .replace("../../../.cache/figures", str(ROOT / ".cache/figures"))
                      .replace("../../../.cache/pyodide", str(tmp_path / "empty-cache"))
                      .replace("../../../.cache/katex", str(ROOT / ".cache/katex"))
                      .replace("references.bib", str(FIXTURES / "references.bib"))
                      .replace("      package: fixture_widgets",
                               f"      package: fixture_widgets\n      pyodide_source: {source}"))
    shutil.copytree(FIXTURES / "docs", tmp_path / "docs")
    result = build_site(tmp_path / "site", "offline", config,
                        extra_env={"PYTHONPATH": str(FIXTURES)})
    assert result.returncode == 1
    assert "pyodide.asm.wasm: sha256" in result.stdout + result.stderr
    assert "does not match the pinned" in result.stdout + result.stderr


def test_the_loader_integrity_is_the_pinned_hash_of_pyodide_js(pyodide_files):
    import base64
    import hashlib
    digest = hashlib.sha256(pyodide_files["pyodide.js"].read_bytes()).digest()
    assert pyodide.loader_integrity() == "sha256-" + base64.b64encode(digest).decode()


def test_the_download_size_readers_are_told_is_the_verified_files_size(pyodide_files):
    from visual_essay.pyodide import DOWNLOAD_BYTES
    assert sum(p.stat().st_size for p in pyodide_files.values()) == DOWNLOAD_BYTES
