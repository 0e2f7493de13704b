"""Citations from a BibTeX file, with a kept library (mkdocs-bibtex): ``[@key]`` in a page becomes
a numbered footnote holding the formatted reference, which Material shows as a hover card
(``content.footnote.tooltips``); ``\\full_bibliography`` lists every entry; an unknown key stops the
build with page, line and the keys the file holds (the engine's check, citations.py). On the
fixture site (docs/cite.md, docs/references.md, references.bib)."""

from html import unescape
import re

from playwright.sync_api import expect
import pytest

from tests.engine.test_build_errors import build_site, error_lines, write_site
from visual_essay.testing import guard

METROPOLIS = ("Nicholas Metropolis and Stanislaw Ulam. The Monte Carlo method. Journal of the "
              "American Statistical Association, 44(247):335–341, 1949.")
VICTOR = "Bret Victor. Explorable explanations. worrydream.com, 2011."


def footnotes(html):
    """{id: text} of the page's footnotes, as a reader reads them (back-links dropped)."""
    items = re.findall(r'<li id="fn:([^"]+)">(.*?)</li>', html, re.S)
    return {key: unescape(re.sub(r"<[^>]+>", "", body)).replace("↩", "").replace("\xa0", " ")
            .strip() for key, body in items}


def test_a_citation_is_a_numbered_footnote_holding_the_formatted_reference(sites):
    html = (sites("fixture").path / "cite.html").read_text()
    assert footnotes(html) == {"metropolis1949": METROPOLIS, "victor2011": VICTOR}
    refs = re.findall(r'<sup id="(fnref\d?):(\w+)"><a class="footnote-ref" href="#fn:\2">(\d)</a>',
                      html)
    # Cited twice, one number: the second citation points at the same footnote.
    assert refs == [("fnref", "metropolis1949", "1"), ("fnref", "victor2011", "2"),
                    ("fnref2", "metropolis1949", "1")]
    assert "content.footnote.tooltips" in html  # Material's hover cards, in the page's config
    assert "[@" not in html


def test_the_full_bibliography_lists_every_entry_cited_or_not(sites):
    html = (sites("fixture").path / "references.html").read_text()
    assert footnotes(html) == {"metropolis1949": METROPOLIS, "victor2011": VICTOR}


def test_an_unknown_citation_key_stops_the_build_with_page_line_and_the_known_keys(tmp_path):
    config = write_site(tmp_path, "name: quantize")
    (tmp_path / "refs.bib").write_text("@misc{known2020, title = {Known}, year = {2020}}\n")
    config.write_text(config.read_text().replace(
        "plugins:\n", "plugins:\n  - bibtex:\n      bib_file: refs.bib\n")
        + "  - footnotes\n")
    page = tmp_path / "docs" / "index.md"
    page.write_text(page.read_text().replace("Some text.", "Some text [@nobody2020]."))
    result = build_site(tmp_path / "site", "cdn", config)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert error_lines(result) == [
        "docs/index.md:3: unknown citation key 'nobody2020'; known: known2020"]


@pytest.mark.browser
def test_a_citation_shows_its_reference_on_hover(browser, sites, pyodide_files):
    context = browser.new_context()
    page = guard(context, pyodide_files)()
    page.goto(sites("fixture").url + "cite.html")
    page.locator("a.footnote-ref").first.hover()
    expect(page.locator(".md-tooltip2").first).to_contain_text("The Monte Carlo method")
    context.close()
