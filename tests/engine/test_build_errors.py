"""Bad author input stops ``mkdocs build`` with one precise line: page, line, widget, the bad value
and the valid choices. One case per mistake; none may build silently."""

import textwrap

import pytest

from tests.conftest import ROOT, WIDGET_FENCE_YAML, build_site

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

# (case id, fence body, expected error line after "ERROR   -  ")
CASES = [
    ("unknown-widget", "name: bnis", "docs/index.md:6: unknown widget 'bnis'; known: "),
    ("name-not-text", "name: 5", "docs/index.md:6: unknown widget 5; known: "),
    ("no-name", "bins: 16", "docs/index.md:6: widget fence has no 'name'; known widgets: "),
    ("empty-fence", "", "docs/index.md:6: a widget fence holds YAML keys, e.g. 'name: bins'; "
                        "known widgets: "),
    ("list-not-mapping", "- bins", "docs/index.md:6: a widget fence holds YAML keys, e.g. "
                                   "'name: bins'; known widgets: "),
    ("unknown-parameter", "name: bins\nbinz: 16",
     "docs/index.md:7: widget bins: unknown parameter 'binz'; known: bins, position"),
    ("out-of-range", "name: bins\nbins: 1000",
     "docs/index.md:7: widget bins: invalid bins: 1000 (expected a whole number from 2 to 256)"),
    ("below-range", "name: bins\nposition: -3.5",
     "docs/index.md:7: widget bins: invalid position: -3.5 (expected a number from -1 to 1)"),
    ("not-a-whole-number", "name: bins\nbins: 16.5",
     "docs/index.md:7: widget bins: invalid bins: 16.5 (expected a whole number from 2 to 256)"),
    ("text-for-number", "name: bins\nbins: sixteen",
     "docs/index.md:7: widget bins: invalid bins: 'sixteen' (expected a whole number from 2 to "
     "256)"),
    ("bool-for-number", "name: bins\nbins: true",
     "docs/index.md:7: widget bins: invalid bins: True (expected a whole number from 2 to 256)"),
    ("nan", "name: bins\nposition: .nan",
     "docs/index.md:7: widget bins: invalid position: nan (expected a number from -1 to 1)"),
    ("duplicate-key", "name: bins\nbins: 8\nbins: 16",
     "docs/index.md:8: widget fence is not valid YAML: duplicate key 'bins' (first on line 2 of "
     "the fence)"),
    ("broken-yaml", "name: bins\nbins: [16",
     "docs/index.md:7: widget fence is not valid YAML: expected ',' or ']', but got '<stream "
     "end>'"),
    ("unquoted-colon", "name: bins\ncaption: Note: bins",
     "docs/index.md:7: widget fence is not valid YAML: mapping values are not allowed here (put "
     "text that contains ': ' in quotes)"),
    ("caption-not-text", "name: bins\ncaption: [a, b]",
     "docs/index.md:7: widget bins: caption must be text, got ['a', 'b']"),
    ("bad-id", "name: bins\nid: Two Words",
     "docs/index.md:7: widget bins: id must be lowercase letters, digits, '-' or '_', got "
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
    if expected.endswith(("known: ", "known widgets: ")):
        assert errors[0].startswith(expected)
        assert "bins, " in errors[0] and "faulty" in errors[0], "lists the valid names"
    else:
        assert errors[0] == expected


@pytest.mark.parametrize("strict", [True, False])
def test_errors_stop_the_build_strict_or_not(tmp_path, strict):
    result = build_site(tmp_path / "site", "cdn", write_site(tmp_path, "name: bnis", strict=strict))
    assert result.returncode == 1
    assert error_lines(result)[0].startswith("docs/index.md:6: unknown widget 'bnis'")


def test_a_widget_module_that_raises_at_import_names_its_file_and_line(tmp_path):
    result = build_site(tmp_path / "site", "cdn",
                        write_site(tmp_path, "name: bins", package="broken_widgets"))
    assert result.returncode == 1
    assert error_lines(result) == [
        "visual-essay: importing the widget package 'broken_widgets' failed at "
        f"{ROOT}/tests/fixtures/broken_widgets/broken.py:6: ZeroDivisionError: division by zero"]


def test_a_fence_inside_an_admonition_reports_its_own_line(tmp_path):
    config = write_site(tmp_path, "name: bins")
    page = tmp_path / "docs" / "index.md"
    page.write_text("# A page\n\n!!! note\n\n    ```widget\n    name: bins\n    bins: 1\n    ```\n")
    text = config.read_text().replace("markdown_extensions:\n",
                                      "markdown_extensions:\n  - admonition\n")
    config.write_text(text)
    result = build_site(tmp_path / "site", "cdn", config)
    assert error_lines(result) == [
        "docs/index.md:7: widget bins: invalid bins: 1 (expected a whole number from 2 to 256)"]


def test_a_good_fence_builds_with_figure_caption_and_controls(tmp_path):
    result = build_site(tmp_path / "site", "cdn", write_site(
        tmp_path, "name: bins\nbins: 32\ncaption: 'Bins: *how many*?'"))
    assert result.returncode == 0, result.stdout + result.stderr
    html = (tmp_path / "site" / "index.html").read_text()
    assert 'data-widget="bins"' in html and 'data-status="static"' in html
    assert "32 bins over" in html  # the figure is drawn for the Markdown's value
    assert "<em>how many</em>" in html and "Figure 1." in html
    # The controls start at the Markdown's value too.
    assert 'type="range"' in html and 'name="bins"' in html and 'value="32"' in html
