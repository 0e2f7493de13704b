"""Bad author input stops ``mkdocs build`` with one precise line: page, line, widget, the bad value
and the valid choices. One case per mistake; none may build silently."""

from pathlib import Path
import textwrap

import pytest

from visual_essay.testing import WIDGET_FENCE_YAML, build_site as _build_site

ROOT = Path(__file__).resolve().parents[2]  # the repository: its .cache holds the figures
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def build_site(dest, mode, config):
    """The engine's ``build_site``, the fixture widget packages importable."""
    return _build_site(dest, mode, config, extra_env={"PYTHONPATH": str(FIXTURES)})


CONFIG = """\
site_name: Bad input
site_url: http://127.0.0.1:8000/
use_directory_urls: false
{strict}
theme: {{name: material, font: false}}
plugins:
  - visual-essay:
      pyodide: cdn
      package: {package}
      cache_dir: {root}/.cache/figures
""" + WIDGET_FENCE_YAML

KNOWN = "known: "  # followed by the registry's names; checked separately below
EXAMPLE = "e.g. 'name: "  # the engine's example of a fence's first line: the first known widget

# (case id, fence body, expected error line after "ERROR   -  ")
CASES = [
    ("unknown-widget", "name: quantise", "docs/index.md:6: unknown widget 'quantise'; known: "),
    ("name-not-text", "name: 5", "docs/index.md:6: unknown widget 5; known: "),
    ("no-name", "levels: 16", "docs/index.md:6: widget fence has no 'name'; known widgets: "),
    ("empty-fence", "", "docs/index.md:6: a widget fence holds YAML keys, e.g. 'name: "),
    ("list-not-mapping", "- quantize", "docs/index.md:6: a widget fence holds YAML keys, e.g. "
                                       "'name: "),
    ("unknown-parameter", "name: quantize\nlevelz: 16",
     "docs/index.md:7: widget quantize: unknown parameter 'levelz'; known: levels, value, rule, "
     "edges"),
    ("out-of-range", "name: quantize\nlevels: 1000",
     "docs/index.md:7: widget quantize: invalid levels: 1000 (expected a whole number from 2 to "
     "256)"),
    ("below-range", "name: quantize\nvalue: -3.5",
     "docs/index.md:7: widget quantize: invalid value: -3.5 (expected a number from -1 to 1)"),
    ("not-a-whole-number", "name: quantize\nlevels: 16.5",
     "docs/index.md:7: widget quantize: invalid levels: 16.5 (expected a whole number from 2 to "
     "256)"),
    ("text-for-number", "name: quantize\nlevels: sixteen",
     "docs/index.md:7: widget quantize: invalid levels: 'sixteen' (expected a whole number from 2 "
     "to 256)"),
    ("bool-for-number", "name: quantize\nlevels: true",
     "docs/index.md:7: widget quantize: invalid levels: True (expected a whole number from 2 to "
     "256)"),
    ("nan", "name: quantize\nvalue: .nan",
     "docs/index.md:7: widget quantize: invalid value: nan (expected a number from -1 to 1)"),
    ("duplicate-key", "name: quantize\nlevels: 8\nlevels: 16",
     "docs/index.md:8: widget fence is not valid YAML: duplicate key 'levels' (first on line 2 "
     "of the fence)"),
    ("broken-yaml", "name: quantize\nlevels: [16",
     "docs/index.md:7: widget fence is not valid YAML: expected ',' or ']', but got '<stream "
     "end>'"),
    ("unquoted-colon", "name: quantize\ncaption: Note: levels",
     "docs/index.md:7: widget fence is not valid YAML: mapping values are not allowed here (put "
     "text that contains ': ' in quotes)"),
    ("caption-not-text", "name: quantize\ncaption: [a, b]",
     "docs/index.md:7: widget quantize: caption must be text, got ['a', 'b']"),
    ("layout-not-offered", "name: quantize\nlevels: 8\nlayout: wide",
     "docs/index.md:8: widget quantize: invalid layout: 'wide' (expected one of text, page)"),
    ("layout-not-text", "name: quantize\nlayout: [page]",
     "docs/index.md:7: widget quantize: invalid layout: ['page'] (expected one of text, page)"),
    ("bad-id", "name: quantize\nid: Two Words",
     "docs/index.md:7: widget quantize: id must be lowercase letters, digits, '-' or '_', got "
     "'Two Words'"),
    ("choice-not-offered", "name: faulty\ncolour: pink",
     "docs/index.md:7: widget faulty: invalid colour: 'pink' (expected one of blue, orange)"),
    ("text-for-toggle", "name: faulty\nexplode: 'yes'",
     "docs/index.md:7: widget faulty: invalid explode: 'yes' (expected true or false)"),
    ("widget-raises-at-build", "name: faulty\nexplode: true\nlevel: 7",
     "docs/index.md:5: widget faulty raised ZeroDivisionError: faulty widget asked to fail at "
     "level 7"),
]


def write_site(tmp_path, body, package="fixture_widgets", strict=True):
    (tmp_path / "docs").mkdir()
    fence = textwrap.indent(body, "") + ("\n" if body else "")
    (tmp_path / "docs" / "index.md").write_text(
        f"# A page\n\nSome text.\n\n```widget\n{fence}```\n".replace("```widget\n", "```widget\n"))
    # The fence opens on line 5 of the page, so the body's first line is line 6.
    (tmp_path / "mkdocs.yml").write_text(CONFIG.format(
        strict="strict: true" if strict else "", package=package, root=ROOT))
    return tmp_path / "mkdocs.yml"


def error_lines(result):
    """MkDocs' ERROR lines, less its generic "Error reading page" preface."""
    return [line.split("-  ", 1)[1] for line in (result.stdout + result.stderr).splitlines()
            if line.startswith("ERROR") and "Error reading page" not in line]


@pytest.mark.parametrize("case,body,expected", CASES, ids=[c[0] for c in CASES])
def test_bad_fence_stops_the_build_with_the_exact_error(tmp_path, case, body, expected):
    result = build_site(tmp_path / "site", "cdn", write_site(tmp_path, body))
    assert result.returncode == 1, f"{case} built silently:\n{result.stdout}{result.stderr}"
    assert "Traceback" not in result.stderr
    errors = error_lines(result)
    assert len(errors) == 1, errors
    if expected.endswith(EXAMPLE):  # the example names a known widget, then the list as below
        assert errors[0].startswith(expected + "faulty'; ")
        expected = errors[0][:errors[0].index("'; ") + 3] + "known widgets: "
    if expected.endswith(("known: ", "known widgets: ")):
        assert errors[0].startswith(expected)
        assert errors[0][len(expected):] == "faulty, quantize, walk, primes, panels", \
            "lists the valid names"
    else:
        assert errors[0] == expected


@pytest.mark.parametrize("strict", [True, False])
def test_errors_stop_the_build_strict_or_not(tmp_path, strict):
    result = build_site(tmp_path / "site", "cdn",
                        write_site(tmp_path, "name: quantise", strict=strict))
    assert result.returncode == 1
    assert error_lines(result)[0].startswith("docs/index.md:6: unknown widget 'quantise'")


def test_a_widget_module_that_raises_at_import_names_its_file_and_line(tmp_path):
    result = build_site(tmp_path / "site", "cdn",
                        write_site(tmp_path, "name: broken", package="broken_widgets"))
    assert result.returncode == 1
    assert error_lines(result) == [
        "visual-essay: importing the widget package 'broken_widgets' failed at "
        f"{FIXTURES}/broken_widgets/broken.py:6: ZeroDivisionError: division by zero"]


def test_a_fence_inside_an_admonition_reports_its_own_line(tmp_path):
    config = write_site(tmp_path, "name: quantize")
    page = tmp_path / "docs" / "index.md"
    page.write_text("# A page\n\n!!! note\n\n    ```widget\n    name: quantize\n    levels: 1\n"
                    "    ```\n")
    text = config.read_text().replace("markdown_extensions:\n",
                                      "markdown_extensions:\n  - admonition\n")
    config.write_text(text)
    result = build_site(tmp_path / "site", "cdn", config)
    assert error_lines(result) == [
        "docs/index.md:7: widget quantize: invalid levels: 1 (expected a whole number from 2 to "
        "256)"]


def test_a_good_fence_builds_with_figure_caption_and_controls(tmp_path):
    result = build_site(tmp_path / "site", "cdn", write_site(
        tmp_path, "name: quantize\nlevels: 32\ncaption: 'Levels: *how many*?'"))
    assert result.returncode == 0, result.stdout + result.stderr
    html = (tmp_path / "site" / "index.html").read_text()
    assert 'data-widget="quantize"' in html and 'data-status="static"' in html
    assert "32 levels over" in html  # the figure is drawn for the Markdown's value
    assert "<em>how many</em>" in html and "Figure 1." in html
    # The controls start at the Markdown's value too.
    assert 'type="range"' in html and 'name="levels"' in html and 'value="32"' in html
