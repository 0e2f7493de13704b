"""Typeset formulas, with no outside request: KaTeX typesets them at build time (Node.js is there),
or in the reader's browser from the site's own copy when it was not; readable from file://, in the
dark scheme and in print."""

from html.parser import HTMLParser
import io
import os
from pathlib import Path
import shutil

from playwright.sync_api import expect
import pytest

from visual_essay import katex
from visual_essay.testing import WIDGET_FENCE_YAML, build_site, guard, screenshot, serve_folder

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[3]  # the repository: its .cache holds KaTeX's tarball
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
FORMULA = "|x - \\hat{x}| \\le \\frac{1}{n}"  # on the fixture site's second page


def typeset(page):
    """The page's formulas are KaTeX's output, styled by KaTeX's stylesheet."""
    formula = page.locator(".arithmatex .katex").first
    expect(formula).to_be_visible()
    assert formula.evaluate("el => getComputedStyle(el.querySelector('.katex-mathml'))"
                            ".position") == "absolute", "KaTeX's stylesheet is applied"
    assert formula.evaluate("el => el.querySelector('annotation').textContent").strip()
    return formula


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_formulas_arrive_typeset_over_http_in_both_schemes(browser, sites, pyodide_files,
                                                           scheme):
    context = browser.new_context(color_scheme=scheme)
    page = guard(context, pyodide_files)()
    page.goto(sites("fixture").url + "two.html")
    formula = typeset(page)
    sources = page.locator(".arithmatex annotation").all_text_contents()
    assert any(FORMULA.replace(" ", "") in s.replace(" ", "") for s in sources), \
        "the display formula is typeset"
    colour = formula.evaluate("el => getComputedStyle(el).color")
    text = page.evaluate("getComputedStyle(document.querySelector('.md-typeset p')).color")
    assert colour == text, "formulas take the text colour of the scheme"
    assert page.locator("script[src*='katex.min.js']").count() == 0, "nothing to run"
    screenshot(page, f"math-{scheme}")
    assert page.watch.outside_requests == []
    page.watch.assert_clean()
    context.close()


def test_from_file_url_and_in_print_the_formulas_are_typeset(offline_page, sites):
    page = offline_page
    page.goto((sites("fixture").path / "two.html").as_uri())
    typeset(page)
    page.emulate_media(media="print")
    typeset(page)
    assert page.watch.outside_requests == []


def test_without_node_at_build_the_browser_typesets_from_the_sites_own_katex(
        tmp_path, offline_page):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text(f"# Formulas\n\nInline $a^2 + b^2 = c^2$ and\n\n$$\n{FORMULA}\n$$\n")
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: Math\nuse_directory_urls: false\ntheme: {name: material, font: false}\n"
        f"plugins:\n  - visual-essay:\n      package: fixture_widgets\n"
        f"      cache_dir: {ROOT}/.cache/figures\n      katex_cache: {ROOT}/.cache/katex\n"
        + WIDGET_FENCE_YAML + "  - pymdownx.arithmatex:\n      generic: true\n")
    no_node = os.pathsep.join(p for p in os.environ["PATH"].split(os.pathsep)
                              if not (shutil.which("node", path=p)))
    result = build_site(tmp_path / "site", "cdn", tmp_path / "mkdocs.yml",
                        extra_env={"PATH": no_node, "PYTHONPATH": str(FIXTURES)})
    assert result.returncode == 0, result.stdout + result.stderr
    html = (tmp_path / "site" / "index.html").read_text()
    assert 'class="katex' not in html, "no Node.js: nothing was typeset at build time"
    server = serve_folder(tmp_path / "site")
    try:
        page = offline_page
        page.goto(f"http://127.0.0.1:{server.server_port}/index.html")
        typeset(page)
        expect(page.locator(".arithmatex .katex")).to_have_count(2)
        assert page.watch.outside_requests == []
        page.watch.assert_clean()
    finally:
        server.shutdown()
    # Any formula may be typeset in the browser: KaTeX's fonts are shipped whole.
    originals = katex.site_files(ROOT / ".cache" / "katex")
    fonts = tmp_path / "site" / "assets" / "visual-essay" / "katex" / "fonts"
    assert {f"fonts/{f.name}": f.read_bytes() for f in fonts.iterdir()} == {
        name: data for name, data in originals.items() if name.startswith("fonts/")}


class FormulaText(HTMLParser):
    """The text inside typeset formulas (elements with ``data-typeset``), found independently of
    the engine's own reading of KaTeX's output."""

    def __init__(self):
        super().__init__()
        self.depth, self.characters = 0, set()

    def handle_starttag(self, tag, attrs):
        if self.depth or "data-typeset" in dict(attrs):
            self.depth += 1

    def handle_endtag(self, tag):
        self.depth = max(0, self.depth - 1)

    def handle_data(self, data):
        if self.depth:
            self.characters |= set(data)


def test_katex_fonts_are_cut_to_the_characters_the_sites_formulas_use(browser, sites,
                                                                       pyodide_files):
    """Formulas typeset at build time: each KaTeX font keeps every character it had that some
    formula on the site uses, so it draws every formula as the whole font would, and is smaller;
    the browser loads the cut fonts the page asks for without an error."""
    from fontTools.ttLib import TTFont

    site = sites("fixture").path
    used = FormulaText()
    for page_file in site.rglob("*.html"):
        used.feed(page_file.read_text())
    assert {"x", "n", "1", "≤"} <= used.characters, "the fixture's formula is read"
    originals = katex.site_files(ROOT / ".cache" / "katex")
    fonts = site / "assets" / "visual-essay" / "katex" / "fonts"
    checked = 0
    for font_file in sorted(fonts.glob("*.woff2")):
        original = originals[f"fonts/{font_file.name}"]
        had = set(TTFont(io.BytesIO(original)).getBestCmap())
        has = set(TTFont(font_file).getBestCmap())
        # (a glyph kept as another's component keeps its own character too)
        assert had & set(map(ord, used.characters)) <= has <= had, font_file.name
        assert font_file.stat().st_size < len(original), font_file.name
        checked += 1
    assert checked == len([n for n in originals if n.startswith("fonts/")])

    page = guard(browser.new_context(), pyodide_files)()
    page.goto(sites("fixture").url + "two.html")
    typeset(page)
    faces = page.evaluate("""async () => { await document.fonts.ready;
        return [...document.fonts].filter(f => f.family.includes("KaTeX") && f.status !== "unloaded")
          .map(f => [f.family, f.status]); }""")
    assert ["KaTeX_Main", "loaded"] in [[f.strip('"'), s] for f, s in faces], faces
    assert all(status == "loaded" for _, status in faces), faces
    page.watch.assert_clean()
    page.context.close()
