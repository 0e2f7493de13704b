"""An essay's layout, as the build writes it (its look in a browser: browser/test_layout.py): a
fence's ``layout`` and the class it gives the figure; the opening's title block, a chapter's head
and the ``/// cite`` block, from the essay's data in mkdocs.yml written once; Material's sidebars
hidden unless a page says otherwise; the essay's data checked. On the fixture site."""

from html import unescape
from pathlib import Path
import re

from mkdocs.exceptions import PluginError
import pytest

from tests.engine.test_build_errors import build_site, error_lines, write_site
from visual_essay import markup, titleblock
from visual_essay.fence import parse
from visual_essay.registry import registry

FIXTURES = Path(__file__).resolve().parent / "fixtures"

BIBTEX = """\
@misc{fixture_2026,
  title        = {Fixture: A site for the engine's own tests},
  author       = {Lovelace, Ada and {The fixture authors}},
  year         = {2026},
  month        = nov,
  howpublished = {The engine's test site},
  note         = {Revised December 2026}
}"""
CITATION = ("Ada Lovelace and The fixture authors (2026). Fixture: A site for the engine's own "
            "tests. The engine's test site. Revised December 2026.")
NAV = ["One", "Two", "Three", "Prose"]  # the fixture's mkdocs.yml


def text(html):
    return unescape(re.sub(r"<[^>]+>", "", html))


def only(pattern, html):
    found = re.findall(pattern, html, re.S)
    assert len(found) == 1, f"{pattern}: {len(found)} matches"
    return found[0]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    dest = tmp_path_factory.mktemp("layout") / "site"
    result = build_site(dest, "cdn", FIXTURES / "mkdocs.yml")
    assert result.returncode == 0, result.stdout + result.stderr
    return lambda page: (dest / page).read_text()


def test_a_fences_layout_gives_the_figure_its_class():
    widgets = registry("fixture_widgets")
    static = {"svgs": ["<svg></svg>"], "alt": "a line", "readouts": []}
    text_wide = parse("name: quantize\n", "docs/x.md", 3, widgets)
    page_wide = parse("name: quantize\nlayout: page\n", "docs/x.md", 3, widgets)
    assert (text_wide.layout, page_wide.layout) == ("text", "page")
    assert '<figure class="vw" id="vw-quantize"' in markup.figure_html(
        text_wide, widgets["quantize"], static, 1)
    assert '<figure class="vw vw-page" id="vw-quantize"' in markup.figure_html(
        page_wide, widgets["quantize"], static, 1)


def test_the_built_pages_carry_the_fences_layout(site):
    assert re.findall(r'<figure class="([^"]+)" id="vw-(\S+)"', site("layout.html")) == [
        ("vw", "quantize"), ("vw vw-page", "panels")]


def test_the_opening_page_has_a_title_block_from_the_essays_data(site):
    html = site("index.html")
    block = only(r'<header class="vw-titleblock">(.*?)</header>', html)
    assert len(re.findall(r"<h1\b", html)) == 1, "the page's own title, moved into the block"
    assert text(only(r"<h1[^>]*>(.*?)</h1>", block)) == "A faulty widget beside a good one"
    assert text(only(r'<p class="vw-subtitle">(.*?)</p>', block)) == \
        "A site for the engine's own tests"
    assert [text(d) for d in re.findall(r"<dd>(.*?)</dd>", block)] == [
        "Ada Lovelace", "The fixture authors", "5 November 2026", "December 2026"]
    assert [text(d) for d in re.findall(r"<dt>(.*?)</dt>", block)] == [
        "Authors", "Published", "Revised"]
    assert '<time datetime="2026-11-05">' in block and '<time datetime="2026-12">' in block
    cite = only(r'<details class="vw-cite"><summary>Cite this essay</summary>(.*?)</details>',
                block)
    assert text(only(r'<p class="vw-citation">(.*?)</p>', cite)) == CITATION
    assert text(only(r'<pre class="vw-bibtex"><code>(.*?)</code></pre>', cite)) == BIBTEX


def test_every_page_of_the_navigation_lists_the_chapters_and_marks_its_own(site):
    for page, name in zip(["index.html", "two.html", "three.html", "prose.html"], NAV,
                          strict=True):
        contents = only(r'<details class="vw-contents">(.*?)</details>', site(page))
        links = re.findall(r'<a href="([^"]+)"( aria-current="page")?>([^<]+)</a>', contents)
        chapters = [(href, title) for href, current, title in links if not href.startswith("#")
                    or current]
        assert [t for _, t in chapters] == NAV
        assert [t for _, current, t in links if current] == [name]
    # The current chapter's sections follow it: two.md's one subheading.
    contents = only(r'<details class="vw-contents">(.*?)</details>', site("two.html"))
    assert re.search(r'aria-current="page">Two</a><ol><li><a href="#rounding-error">Rounding '
                     r"error</a></li></ol>", contents)


def test_a_chapter_has_a_smaller_head_with_the_essays_title(site):
    head = only(r'<header class="vw-chapterhead">(.*?)</header>', site("two.html"))
    assert '<p class="vw-kicker"><a href="index.html">Fixture</a></p>' in head
    assert text(only(r"<h1[^>]*>(.*?)</h1>", head)) == "Second page"
    assert "vw-titleblock" not in site("two.html")


def test_a_page_outside_the_navigation_keeps_its_title_and_cites_from_the_same_data(site):
    html = site("layout.html")
    assert "vw-chapterhead" not in html and "vw-titleblock" not in html
    block = only(r'<div class="vw-cite-block">(.*?)</div>', html)
    opening = only(r'<details class="vw-cite"><summary>Cite this essay</summary>(.*?)</details>',
                   site("index.html"))
    assert block == opening


def test_materials_sidebars_are_hidden_unless_a_page_says_otherwise(site, tmp_path):
    for page in ("index.html", "two.html", "layout.html"):
        html = site(page)
        assert 'data-md-type="navigation" hidden' in html and 'data-md-type="toc" hidden' in html
    config = write_site(tmp_path, "name: quantize")
    page = tmp_path / "docs" / "index.md"
    page.write_text("---\nhide: [toc]\n---\n" + page.read_text())
    result = build_site(tmp_path / "site", "cdn", config)
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "site" / "index.html").read_text()
    assert 'data-md-type="navigation" hidden' not in html and 'data-md-type="toc" hidden' in html


@pytest.mark.parametrize("given,message", [
    ({"author": "Ada"}, "author: unknown key; known: title, subtitle, authors, date, revised, "
                        "howpublished, cite_key, cite_title"),
    ({"date": "Dec 2026"}, "date: expected a date as YYYY-MM or YYYY-MM-DD, got 'Dec 2026'"),
    ({"revised": "2026-13"}, "revised: expected a date as YYYY-MM or YYYY-MM-DD, got '2026-13'"),
    ({"authors": ["Ada", 3]}, "authors: expected a list of names, got ['Ada', 3]"),
    ({"subtitle": ["a"]}, "subtitle: expected text, got ['a']"),
    ({"cite_key": "two words"}, "cite_key: letters, digits and _:.- only, got 'two words'"),
])
def test_the_essays_data_is_checked(given, message):
    with pytest.raises(PluginError) as err:
        titleblock.read(given, "Site")
    assert str(err.value) == f"mkdocs.yml: visual-essay essay: {message}"


def test_a_mistake_in_the_essays_data_stops_the_build_with_one_line(tmp_path):
    config = write_site(tmp_path, "name: quantize")
    config.write_text(config.read_text().replace(
        "      package:", "      essay: {date: December}\n      package:"))
    result = build_site(tmp_path / "site", "cdn", config)
    assert result.returncode == 1
    assert error_lines(result) == [
        "mkdocs.yml: visual-essay essay: date: expected a date as YYYY-MM or YYYY-MM-DD, got "
        "'December'"]


def test_without_authors_and_date_there_is_nothing_to_cite(tmp_path):
    config = write_site(tmp_path, "name: quantize")  # no essay data
    result = build_site(tmp_path / "site", "cdn", config)
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "site" / "index.html").read_text()
    block = only(r'<header class="vw-titleblock">(.*?)</header>', html)
    assert "vw-contents" in block and "vw-cite" not in block and "vw-byline" not in block
    page = tmp_path / "docs" / "index.md"
    page.write_text(page.read_text() + "\n/// cite\n///\n")
    result = build_site(tmp_path / "site", "cdn", config)
    assert result.returncode == 1
    assert error_lines(result) == [
        "/// cite: the essay's authors and date are needed to cite it (mkdocs.yml: plugins: - "
        "visual-essay: essay: authors, date)"]


def test_bibtex_escapes_what_tex_would_read_as_markup():
    essay = titleblock.read({"authors": ["R&D Lab", "Doe, Jane"], "date": "2026-12",
                             "cite_title": "50% of #1 in one_pass"}, "Site")
    entry = titleblock.bibtex(essay)
    assert "title        = {50\\% of \\#1 in one\\_pass}," in entry
    assert "author       = {{R\\&D Lab} and Doe, Jane}," in entry


def test_a_page_with_figures_starts_python_before_its_stylesheets(site):
    """The worker's starter is the first script in <head>, after the charset only: an inline
    script after a stylesheet waits until the stylesheet has arrived (about 100 ms of the first
    widget's start on localhost, where the bare Pyodide page starts at once). A page without
    figures has none."""
    head = site("index.html").split("</head>", 1)[0]
    charset = re.search(r"<meta charset=[^>]*>", head)
    starter = head.index("new Worker(")
    assert charset and charset.end() < starter < head.index('rel="stylesheet"')
    assert head.index("<script") == head.rindex("<", 0, starter)  # no script before it
    assert "new Worker(" not in site("references.html")  # a page that places no widget
