"""Typeset mathematics with KaTeX, carried by the site: no outside request, over http or from
``file://``. Pinned like Pyodide: npm's ``katex`` tarball of one version, checked by sha256 before
anything is taken from it.

An essay turns it on with ``pymdownx.arithmatex`` (``generic: true``) in mkdocs.yml; the build then
copies the files below into the site and the runtime typesets every formula it finds, on the first
page with formulas and after each instant navigation.
"""

import hashlib
import io
from pathlib import Path
import subprocess
import tarfile
import tempfile

KATEX_VERSION = "0.16.25"
TARBALL_SHA256 = "02d90b1189affc2db16cda01dda5c9fbb7a9fc3767dae0ef542560a7f16c642f"
DEFAULT_CACHE = Path(".cache") / "katex"


class KatexAssetError(RuntimeError):
    """The KaTeX tarball is missing or is not the pinned one."""


def tarball(cache=DEFAULT_CACHE):
    """The verified tarball (fetched with ``npm pack`` the first time)."""
    path = Path(cache) / f"katex-{KATEX_VERSION}.tgz"
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory() as tmp:
            try:
                subprocess.run(["npm", "pack", f"katex@{KATEX_VERSION}", "--silent"], cwd=tmp,
                               check=True, stdout=subprocess.DEVNULL)
            except (OSError, subprocess.CalledProcessError) as err:
                raise KatexAssetError(f"could not fetch katex@{KATEX_VERSION} with npm: {err}")
            _check(Path(tmp) / path.name)
            path.write_bytes((Path(tmp) / path.name).read_bytes())
    _check(path)
    return path


def _check(path):
    actual = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    if actual != TARBALL_SHA256:
        raise KatexAssetError(f"{path}: sha256 {actual} does not match the pinned "
                              f"{TARBALL_SHA256}")


def site_files(cache=DEFAULT_CACHE):
    """{path in the site's katex/ folder: bytes}: the script, the stylesheet and the WOFF2 fonts
    (every browser that runs the essay reads WOFF2, so the older formats are left out)."""
    files = {}
    with tarfile.open(fileobj=io.BytesIO(tarball(cache).read_bytes())) as archive:
        for member in archive.getmembers():
            name = member.name.removeprefix("package/dist/")
            if name in ("katex.min.js", "katex.min.css") or (
                    name.startswith("fonts/") and name.endswith(".woff2")):
                files[name] = archive.extractfile(member).read()
    return files
