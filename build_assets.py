"""Assets made outside the build, for this essay (the engine's ``visual-essay`` command does it):

    python build_assets.py pyodide     # fetch and verify the Pyodide files offline mode needs
    python build_assets.py bundle      # dist/seeing-to-acting-offline.zip (python serve.py inside)
"""

import os
from pathlib import Path
import sys

from visual_essay.cli import main

BUNDLE_NAME = "seeing-to-acting"

if __name__ == "__main__":
    args = [str(Path(a).resolve()) if prev == "--out" else a
            for prev, a in zip([None, *sys.argv[1:]], sys.argv[1:])]
    os.chdir(Path(__file__).resolve().parent)
    if args[:1] == ["bundle"] and "--name" not in args:
        args += ["--name", BUNDLE_NAME]
    main(args)
