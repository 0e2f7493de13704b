"""The browser runtime in parts (visual_essay/assets/runtime/, joined by runtime.py): each part
small and saying what it is for, joined into one script in the declared order, and no JavaScript
left inside the engine's Python."""

import ast
import gzip
import json
from pathlib import Path
import re

import pytest

from visual_essay import runtime

ENGINE = Path(runtime.__file__).parent
PARTS = [runtime.RUNTIME_DIR / name for name in runtime.PARTS]
MAX_LINES = 400


@pytest.mark.parametrize("part", PARTS, ids=[p.name for p in PARTS])
def test_each_part_is_small_and_opens_by_naming_itself_and_what_it_is_for(part):
    lines = part.read_text().splitlines()
    assert len(lines) <= MAX_LINES, f"{part.name} has {len(lines)} lines (at most {MAX_LINES})"
    assert lines[0].startswith(f"// ---- {part.name}: "), f"{part.name}: no title line"
    comment = [line for line in lines[1:] if line.startswith("//")]
    assert lines[1].startswith("//") and len(comment) >= 2, f"{part.name}: no opening comment"
    assert "Uses:" in "\n".join(lines[:12]), f"{part.name}: its comment says not what it uses"


def test_the_runtime_is_every_part_in_order_inside_the_frame_with_the_configuration():
    config = {"root": "../../", "pages": ["index.html"], "math": None}
    source = runtime.runtime_source(config)
    assert source.count(f"const CONFIG = {json.dumps(config)};") == 1
    at = [source.index(runtime.shipped(part.read_text())) for part in PARTS]
    assert at == sorted(at), "the parts are not in runtime.PARTS order"
    assert "/*PARTS*/" not in source and source.rstrip().endswith("})();")


def test_the_runtime_ships_without_its_comment_lines_and_keeps_every_other_line_in_place():
    source = runtime.runtime_source({}).splitlines()
    for part in PARTS:
        lines = part.read_text().splitlines()
        start = source.index(lines[0])  # its title line stays, as section titles do
        for i, line in enumerate(lines):
            shipped = source[start + i]
            comment = line.lstrip().startswith("//") and not line.lstrip().startswith("// ---- ")
            assert shipped == ("" if comment else line), f"{part.name}:{i + 1}: {shipped!r}"
    # A multi-line string (a template literal) with a line that starts with "//" would lose it.
    for part in PARTS:
        inside = False
        for i, line in enumerate(part.read_text().splitlines()):
            assert not (inside and line.lstrip().startswith("//")), f"{part.name}:{i + 1}"
            if not line.lstrip().startswith("//") and line.count("`") % 2:
                inside = not inside


def test_the_stylesheet_ships_without_its_comments_and_keeps_every_rule_on_its_line():
    source = runtime.STYLESHEET.read_text()
    shipped = runtime.stylesheet()
    assert "/*" in source and "/*" not in shipped and "*/" not in shipped
    assert shipped.count("\n") == source.count("\n")
    kept = [line for line in shipped.splitlines() if line.strip()]
    assert kept and all(line.strip() in source for line in kept)
    # A comment's marks inside a quoted string would cut the stylesheet there.
    strings = re.findall(r"\"[^\"\n]*\"|'[^'\n]*'", runtime.CSS_COMMENT.sub("", source))
    assert not [s for s in strings if "/*" in s or "*/" in s]
    assert len(gzip.compress(shipped.encode())) < 0.6 * len(gzip.compress(source.encode()))


def test_a_part_the_order_does_not_list_is_refused(tmp_path, monkeypatch):
    for path in runtime.RUNTIME_DIR.iterdir():
        (tmp_path / path.name).write_text(path.read_text())
    (tmp_path / "extra.js").write_text("// ---- extra.js: forgotten\n")
    monkeypatch.setattr(runtime, "RUNTIME_DIR", tmp_path)
    with pytest.raises(ValueError, match=r"not listed \['extra.js'\], missing \[\]"):
        runtime.runtime_source({})


def test_no_two_parts_declare_the_same_name():
    """The parts share one scope: a name declared twice would stop the whole script."""
    declared = {}
    for part in PARTS:
        for name in re.findall(r"^(?:async function|function|const|let|var) (\w+)",
                               part.read_text(), re.M):
            assert name not in declared, f"{name} is declared in {declared[name]} and {part.name}"
            declared[name] = part.name
    assert {"panelSVG", "MARKS", "workerMain", "startRuntime", "KINDS"} <= declared.keys()


def test_the_starter_is_one_line_that_starts_the_worker_from_the_runtime_url():
    html = runtime.starter('../assets/visual-essay/visual-essay.js')
    assert "\n" not in html and "<!--" not in html
    assert html.startswith("<script>") and html.endswith("</script>")
    assert 'new Worker("../assets/visual-essay/visual-essay.js", { name: "visual-essay" })' in html
    assert "__RUNTIME_URL__" not in html


# What JavaScript looks like in a Python string: an inline <script> with a body, an arrow or a
# function, a declaration, or the browser's and Node's objects. Docstrings are prose, not code.
JS = re.compile(r"<script\b[^>]*>(?!</script>)|=>|\bfunction\b\s*\w*\s*\(|\b(?:const|let|var)\s+\w+"
                r"\s*=|\bnew Worker\b|\baddEventListener\(|\b(?:window|document|self)\.\w|"
                r"\brequire\(")
# Not shipped code: testing.py hands Playwright the expressions tests evaluate in the page; a
# table file is its JSON inside this one call (tables.script).
ALLOWED = {"testing.py": None, "browsers.py": None,  # browsers.py: the same, for three engines
           "tables.py": {"window.visualEssay.addTables("}}


def _strings(tree):
    docs = {id(node.body[0].value) for node in ast.walk(tree)
            if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef))
            and node.body and isinstance(node.body[0], ast.Expr)}
    return [node for node in ast.walk(tree) if isinstance(node, ast.Constant)
            and isinstance(node.value, str) and id(node) not in docs]


def test_no_javascript_inside_the_engines_python():
    found = []
    for path in sorted(ENGINE.rglob("*.py")):
        allowed = ALLOWED.get(path.name, set())
        if allowed is None:
            continue
        for node in _strings(ast.parse(path.read_text())):
            if JS.search(node.value) and node.value not in allowed:
                found.append(f"{path.relative_to(ENGINE.parent)}:{node.lineno}: "
                             f"{node.value.strip()[:60]!r}")
    assert not found, "JavaScript inside Python strings:\n" + "\n".join(found)


def test_the_check_finds_javascript_where_there_is_some():
    for text in ['<script>if (a) b();</script>', "(e) => e.data", "const w = 1",
                 'window.visualEssayWorker', "function go() {}"]:
        assert JS.search(text), text
    for text in ['<script src="x.js" async></script>', "a = b >= c", "the function of it"]:
        assert not JS.search(text), text
