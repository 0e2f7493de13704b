"""The offline bundle: the whole essay in offline mode (its Pyodide files sha256-verified by the
build) and a standard-library ``serve.py``, in one zip. Unpacked anywhere, ``python serve.py``
serves it live with no network; opened from ``file://`` it reads as printed."""

from pathlib import Path
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile

from .builders import builder_env
from .config import read_mkdocs_yml

SERVE_PY = Path(__file__).parent / "offline" / "serve.py"


def make_bundle(project, out=None, name=None):
    """Build ``project`` (the folder of mkdocs.yml) in offline mode and zip it with serve.py under
    one top folder, ``name`` (default: the site name as a slug). Returns the zip's path."""
    project = Path(project).resolve()
    name = name or _slug(read_mkdocs_yml(project / "mkdocs.yml").get("site_name") or "essay")
    out = Path(out) if out else project / "dist" / f"{name}-offline.zip"
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / name
        # No site_url: the bundle works at whatever address serve.py finds free.
        env = {**builder_env("offline"), "SITE_URL": ""}
        subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(site)],
            check=True,
            env=env,
            cwd=project,
        )
        shutil.copy(SERVE_PY, site / "serve.py")
        out.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(site.rglob("*")):
                archive.write(path, path.relative_to(site.parent).as_posix())
    return out


def _slug(text):
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "essay"
