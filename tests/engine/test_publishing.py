"""What the engine gives an essay to publish with: the offline bundle's serve.py runs on any Python,
and the engine's own commands keep MkDocs 2's banner away from a newcomer."""

from pathlib import Path
import re
import sys

import visual_essay


def test_serve_py_uses_the_standard_library_only():
    source = (Path(visual_essay.__file__).parent / "offline/serve.py").read_text()
    imports = re.findall(r"^(?:from|import) (\w+)", source, re.M)
    assert imports and set(imports) <= set(sys.stdlib_module_names), imports


def test_our_commands_keep_mkdocs_2s_banner_away_from_a_newcomer():
    from visual_essay.builders import builder_env
    assert builder_env("offline")["NO_MKDOCS_2_WARNING"] == "1"
