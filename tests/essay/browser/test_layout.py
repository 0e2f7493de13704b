"""The essay's layout, chapter by chapter, as a reader's Chromium draws it: paragraphs at a
comfortable measure on wide screens, no figure stacking panels that the page could hold side by
side (those are placed with ``layout: page``), nothing scrolling sideways on a phone, the title
block and a chapter's head axe-clean when open. Screenshots of each chapter at 1280, 1920 and
390 px, for a person to look at (test-results/screenshots/)."""

from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
import pytest

from tests.engine.browser.test_layout import (BOX, LINE_LENGTHS, MEASURE, NATURAL_WIDTHS,
                                              PANEL_ROWS, SIDEWAYS)
from visual_essay.testing import guard, screenshot

pytestmark = pytest.mark.browser

DOCS = Path(__file__).resolve().parents[3] / "docs"
PAGES = sorted(p.with_suffix(".html").name for p in DOCS.glob("*.md")
               if not p.name.startswith("_") and p.name != "authoring.md")
# Paragraphs of plain text (a formula's markup would be counted as characters).
PLAIN = "article > p:not(:has(.katex, .arithmatex))"
# What a figure's panels could hold side by side: the article's width (a guided figure's: its
# column beside the steps), less the figure's padding.
PAGE_ROW = """f => { const s = getComputedStyle(f);
  const a = f.closest('.vw-guide-live') ? f : f.closest('article');
  const gap = parseFloat(getComputedStyle(f.querySelector('.vw-panels')).columnGap);
  return [a.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight)
          - parseFloat(s.borderLeftWidth) - parseFloat(s.borderRightWidth), gap]; }"""


@pytest.fixture(scope="module")
def essay(browser, sites, pyodide_files):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = guard(context, pyodide_files)()
    yield sites("essay").url, page
    page.watch.assert_clean()
    context.close()


@pytest.mark.parametrize("width", [1280, 1920])
@pytest.mark.parametrize("name", PAGES)
def test_text_reads_at_a_measure_and_no_figure_stacks_what_the_page_holds(essay, name, width):
    url, page = essay
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(url + name)
    lines = [n for p in page.locator(PLAIN).all() if len(p.inner_text()) > 200
             for n in p.evaluate(LINE_LENGTHS)]
    if name != "references.html":  # a list of papers
        assert lines, "plain paragraphs to measure"
        mean = sum(lines) / len(lines)
        assert MEASURE[0] <= mean <= MEASURE[1], f"{mean:.1f} characters a line"
    text_width = page.locator(PLAIN).first.evaluate(BOX)[2] if lines else 0
    for figure in page.locator("figure.vw").all():
        figure.scroll_into_view_if_needed()
        natural = figure.evaluate(NATURAL_WIDTHS)
        row, gap = figure.evaluate(PAGE_ROW)
        fits = sum(natural) + gap * (len(natural) - 1) <= row
        key = figure.get_attribute("data-key")
        if len(natural) > 1 and fits:
            assert figure.evaluate(PANEL_ROWS) == 1, (
                f"{key}: its panels stack, though the page could hold them side by side "
                "(place it with `layout: page`)")
        if "vw-page" in (figure.get_attribute("class") or ""):
            assert figure.evaluate(BOX)[2] > text_width, f"{key}: a page figure, wider than text"
    screenshot(page, f"essay-{name[:-5]}-{width}")


@pytest.mark.parametrize("name", PAGES)
def test_on_a_phone_nothing_scrolls_sideways(essay, name):
    url, page = essay
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(url + name)
    page.evaluate("document.querySelectorAll('.vw-head-tools details').forEach(d => d.open = true)")
    assert page.evaluate(SIDEWAYS) <= 0
    for figure in page.locator("figure.vw").all():
        figure.scroll_into_view_if_needed()
        left, right, _ = figure.evaluate(BOX)
        assert left >= -0.5 and right <= 390.5, f"{figure.get_attribute('data-key')} overflows"
    assert page.evaluate(SIDEWAYS) <= 0
    screenshot(page, f"essay-{name[:-5]}-390")


# Each readout of a figure as [label left, label bottom, value left, value top, its own left,
# the value's text].
READOUTS = """f => [...f.querySelectorAll('.vw-readouts > div')].map((d) => {
  const [t, v, r] = [d.querySelector('dt'), d.querySelector('dd'), d].map(
    (e) => e.getBoundingClientRect());
  return [t.left, t.bottom, v.left, v.top, r.left, d.querySelector('dd').textContent]; })"""


# The readouts (label or value) that wrap with one word alone on their last line, broken from
# the number before it (a unit, "3 / robots", "(800 / ms)"): [text, the lone word].
ORPHANS = """f => [...f.querySelectorAll('.vw-readouts dt, .vw-readouts dd')].flatMap((e) => {
  const node = e.firstChild, words = [], word = /\\S+/g;
  for (let m; node && (m = word.exec(node.textContent));) {
    const r = document.createRange();
    r.setStart(node, m.index);
    r.setEnd(node, m.index + m[0].length);
    words.push([m[0], Math.round(r.getBoundingClientRect().top)]);
  }
  const n = words.length;
  const alone = n > 1 && words[n - 1][1] !== words[n - 2][1];
  return alone && /\\d\\W*$/.test(words[n - 2][0]) ? [[node.textContent, words[n - 1][0]]] : [];
})"""


@pytest.mark.parametrize("name", PAGES)
def test_on_a_phone_each_readout_is_its_label_above_its_value(essay, name):
    """REVIEW.md: phone readouts wrapped into centred blocks, units orphaned, lines starting
    with '·'. On a phone each readout is its label above its value, both at its left edge, and
    no label or value that wraps leaves a unit alone on its last line, away from its number
    (three did: "3 / robots", "1.00, / 0.80)", "(800 / ms)")."""
    url, page = essay
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(url + name)
    for figure in page.locator("figure.vw").all():
        key = figure.get_attribute("data-key")
        for t_left, t_bottom, v_left, v_top, left, value in figure.evaluate(READOUTS):
            assert abs(t_left - left) <= 1 and abs(v_left - left) <= 1, f"{key}: {value} centred"
            assert v_top >= t_bottom - 1, f"{key}: {value!r} beside its label, not under it"
            assert not value.lstrip().startswith("·"), f"{key}: {value!r}"
        assert figure.evaluate(ORPHANS) == [], key


@pytest.mark.parametrize("width", [390, 1280])
def test_the_title_block_and_a_chapters_head_are_axe_clean_open(essay, width):
    """A chapter with no display formula or table: on a phone, one wider than the screen scrolls
    sideways in a region the keyboard cannot reach (axe: scrollable-region-focusable), a defect
    older than this layout and not of it."""
    url, page = essay
    page.set_viewport_size({"width": width, "height": 900})
    for name in ("index.html", "imitation.html", "references.html"):
        page.goto(url + name)
        page.evaluate("document.querySelectorAll('.vw-head-tools details')"
                      ".forEach(d => d.open = true)")
        result = Axe().run(page)
        assert result.violations_count == 0, f"{name}: {result.generate_report()}"


GUIDED_PAGES = [name for name in PAGES if "//// guide" in (DOCS / name).with_suffix(".md")
                .read_text()]


@pytest.mark.parametrize("name", GUIDED_PAGES)
def test_on_a_phone_each_step_and_the_panels_it_is_about_fit_on_one_screen(essay, name):
    """At 390 x 844 each guided step, its own figure (the panels it names) and its sentences,
    is no taller than the screen below the header: the eighth graphics desk found steps of
    846-1314 px, a sentence and the figure it describes never on the screen together."""
    url, page = essay
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(url + name)
    room = 844 - page.locator(".md-header").evaluate("h => h.offsetHeight")
    heights = page.evaluate("""() => [...document.querySelectorAll('.vw-step')].map((s, i) => {
        s.scrollIntoView({block: 'center'});
        return [`${s.dataset.figure} step ${i + 1}`, s.getBoundingClientRect().height]; })""")
    assert heights, f"{name} has no steps"
    tall = [f"{step}: {h:.0f} px" for step, h in heights if h > room]
    assert not tall, f"{name}, room {room} px: " + "; ".join(tall)


@pytest.mark.parametrize("name", GUIDED_PAGES)
def test_on_a_desktop_screen_a_guided_figure_shows_its_controls_and_readouts(essay, name):
    """At 1280 x 800 each guided figure has its controls beside it and its readouts shown, so
    a step that quotes a number has it on screen (the fifth graphics desk: trials,
    action_chunking, cross_embodiment and flow_matching folded their readouts behind a button).
    Only the caption may fold, with a button to open it."""
    url, page = essay
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(url + name)
    guided = page.locator(".vw-guide-live > figure.vw").all()
    assert guided, f"{name} has no guided figure"
    for figure in guided:
        key = figure.get_attribute("data-key")
        classes = figure.get_attribute("class").split()
        assert "vw-beside" in classes, f"{key}: controls folded"
        assert "vw-folded-more" not in classes, f"{key}: readouts folded"
        assert figure.locator(".vw-readouts").is_visible(), key
        assert figure.evaluate("f => f.offsetHeight") <= 800 - figure.evaluate(
            "f => parseFloat(getComputedStyle(f).top)"), f"{key}: taller than the screen"
