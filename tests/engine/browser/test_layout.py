"""An essay's layout as a reader's Chromium draws it, on the fixture site: text at a comfortable
measure (characters a line, counted), a ``layout: page`` figure wider than the text with its panels
side by side, every figure from edge to edge on a phone with nothing scrolling sideways, a figure's
text keeping its size in a panel drawn narrower than its natural width (by either renderer), the
title block and a chapter's head usable from the keyboard and axe-clean. The build's side:
../test_layout.py."""

from playwright.sync_api import expect
import pytest

from visual_essay.testing import guard, screenshot

pytestmark = pytest.mark.browser

# Characters on each whole line of an element (its last line ends where the text ends): every
# rendered character, spaces included, assigned to a line by its vertical centre.
LINE_LENGTHS = """el => {
  const lineHeight = parseFloat(getComputedStyle(el).lineHeight);
  const top = el.getBoundingClientRect().top;
  const counts = [];
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (let i = 0; i < node.length; i++) {
      range.setStart(node, i);
      range.setEnd(node, i + 1);
      const r = range.getBoundingClientRect();
      if (!r.width) continue;  // white space collapsed away
      const line = Math.floor((r.top + r.height / 2 - top) / lineHeight);
      counts[line] = (counts[line] || 0) + 1;
    }
  }
  return counts.slice(0, -1).filter(Boolean);
}"""
# The panels a figure shows (a panel with a narrow layout has a second SVG, shown instead of the
# first in a narrow column), as a JavaScript expression of the figure ``f``.
SHOWN = "[...f.querySelectorAll('.vw-panels > svg')].filter(s => s.getClientRects().length)"
# How many rows a figure's panels are laid out in.
PANEL_ROWS = f"f => new Set({SHOWN}.map(s => Math.round(s.getBoundingClientRect().top))).size"
# The natural widths of a figure's panels (--w inches, 96 px each).
NATURAL_WIDTHS = f"f => {SHOWN}.map(s => parseFloat(s.style.getPropertyValue('--w')) * 96)"
BOX = "e => { const r = e.getBoundingClientRect(); return [r.left, r.right, r.width]; }"
SIDEWAYS = "document.documentElement.scrollWidth - window.innerWidth"
MEASURE = (60, 75)  # characters a line of body text, on a wide screen


def open_page(browser, sites, pyodide_files, name, width, block_python=False):
    context = browser.new_context(viewport={"width": width, "height": 1000})
    page = guard(context, pyodide_files)()
    if block_python:
        context.route("**/pyodide/**", lambda route: route.abort("connectionfailed"))
    page.goto(sites("fixture").url + name)
    return context, page


@pytest.mark.parametrize("width", [1280, 1920])
def test_text_keeps_to_a_measure_and_a_page_figure_is_wider(browser, sites, pyodide_files,
                                                            width):
    context, page = open_page(browser, sites, pyodide_files, "layout.html", width)
    paragraph = page.locator("article > p").first
    item = page.locator("article > ul > li").first
    for element in (paragraph, item):
        lines = element.evaluate(LINE_LENGTHS)
        assert len(lines) >= 1, "a whole line to count"
        mean = sum(lines) / len(lines)
        assert MEASURE[0] <= mean <= MEASURE[1], f"{mean:.0f} characters a line: {lines}"
    text_left, text_right, text_width = paragraph.evaluate(BOX)
    text_figure, page_figure = page.locator("#vw-quantize"), page.locator("#vw-panels")
    for figure in (text_figure, page_figure):
        figure.scroll_into_view_if_needed()
    assert text_figure.evaluate(BOX) == pytest.approx([text_left, text_right, text_width], abs=1)
    left, right, wide = page_figure.evaluate(BOX)
    assert wide > text_width * 1.5, f"page figure {wide:.0f} px, text {text_width:.0f} px"
    assert left >= 0 and right <= width
    assert (left + right) / 2 == pytest.approx((text_left + text_right) / 2, abs=1), "centred"
    natural = page_figure.evaluate(NATURAL_WIDTHS)
    assert sum(natural) > text_width, "three panels that could not sit side by side in the text"
    assert page_figure.evaluate(PANEL_ROWS) == 1, "on the page they do"
    caption = page_figure.locator("figcaption")
    assert caption.evaluate(BOX)[2] <= text_width, "a page figure's caption keeps to the measure"
    screenshot(page, f"fixture-layout-{width}")
    page.watch.assert_clean()
    context.close()


def title_heights(figure):
    """Rendered height of each panel title of the figure, and the last panel's drawn width."""
    return figure.evaluate(f"""f => {{
      const svgs = {SHOWN};
      const title = s => [...s.querySelectorAll('text')].find(t =>
        /^(\\d periods|its 64 samples|how often each value comes)$/.test(t.textContent.trim()));
      return [svgs.map(s => title(s).getBoundingClientRect().height),
              svgs.at(-1).getBoundingClientRect().width];
    }}""")


def test_on_a_phone_figures_span_the_screen_and_their_text_keeps_its_size(browser, sites,
                                                                          pyodide_files):
    context, page = open_page(browser, sites, pyodide_files, "layout.html", 1280,
                              block_python=True)
    figure = page.locator("#vw-panels")
    figure.scroll_into_view_if_needed()
    natural, drawn = title_heights(figure)
    assert drawn == pytest.approx(4.6 * 96, abs=1), "at 1280 px the wide panel has its width"

    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate(SIDEWAYS) <= 0, "nothing scrolls sideways"
    for each in page.locator("figure.vw").all():
        each.scroll_into_view_if_needed()
        left, right, _ = each.evaluate(BOX)
        assert (round(left), round(right)) == (0, 390), "a figure meets the screen's edges"
        assert each.evaluate("f => f.scrollWidth - f.clientWidth") <= 1
    heights, drawn = title_heights(figure)
    assert drawn < 4.6 * 96 - 40, f"the wide panel is drawn narrower ({drawn:.0f} px)"
    assert heights == pytest.approx(natural, abs=0.6), "titles keep their size"

    # Drawn again in the browser (from the page's table): the same sizes.
    expect(figure).to_have_attribute("data-status", "table", timeout=15_000)
    slider = figure.locator('input[name="freq"]')
    slider.focus()
    slider.press("End")
    expect(figure.locator(".vw-panels svg").first).to_contain_text("5 periods")
    heights, _ = title_heights(figure)
    assert heights == pytest.approx(natural, abs=0.6), "the browser's renderer keeps them too"
    assert page.evaluate(SIDEWAYS) <= 0
    screenshot(page, "fixture-layout-390")
    page.watch.assert_clean()
    context.close()


# Each shown panel: where it is, its height against its width at its natural aspect (--w / --h),
# and whether its marks are skipped (not styled or laid out: content-visibility).
PANELS = f"""() => [...document.querySelectorAll('figure.vw, .vw-step-figure')]
  .flatMap(f => {SHOWN}).map(s => {{ const r = s.getBoundingClientRect(), st = s.style;
    const natural = r.width * parseFloat(st.getPropertyValue('--h'))
      / parseFloat(st.getPropertyValue('--w'));
    return {{top: r.top + scrollY, height: r.height, natural, step: !!s.closest('.vw-step-figure'),
            skipped: !s.firstElementChild.checkVisibility({{contentVisibilityAuto: true}})}}; }})"""


@pytest.mark.parametrize("page_name", ["prose.html", "layout.html"])
def test_a_panel_off_the_screen_is_not_laid_out_and_keeps_its_height(browser, sites,
                                                                      pyodide_files, page_name):
    """A guided chapter on a phone shows each step's own figure: thousands of marks that every
    forced layout of the page went through (diffusion.html: 0.2 s each on a slow phone). Off the
    screen a panel's marks wait; its box keeps the height it has when drawn, so the page has its
    height from the start and nothing moves as the reader scrolls to it (the seventeenth
    graphics desk: figures held at a stand-in height grew a phone's page by 865 px)."""
    context, page = open_page(browser, sites, pyodide_files, page_name, 390,
                              block_python=True)
    page.set_viewport_size({"width": 390, "height": 400})
    expect(page.locator("figure.vw[data-status]").first).to_be_attached()
    before = page.evaluate(PANELS)
    page_height = page.evaluate("document.documentElement.scrollHeight")
    assert [p for p in before if p["skipped"]], "panels off the screen wait"
    # and only they: a figure's caption, controls and readouts are laid out, so it has its height
    held = page.evaluate("""() => [...document.querySelectorAll('figure.vw figcaption')]
      .filter(c => !c.checkVisibility({contentVisibilityAuto: true})).length""")
    assert held == 0, "a figure held at a stand-in height"
    steps = [p for p in before if p["step"]]
    assert page_name != "prose.html" or steps, "a guide on a phone shows its steps' figures"
    assert all(p["skipped"] for p in steps if p["top"] > 2 * 400), before
    assert not [p for p in before if p["skipped"] and p["top"] + p["height"] < 400], before
    for p in before:
        assert p["height"] == pytest.approx(p["natural"], abs=0.5), p
    for p in before:  # each drawn in turn
        page.evaluate(f"scrollTo(0, {p['top']} - 100)")
        page.evaluate("() => new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)))")
    after = page.evaluate(PANELS)
    assert not [p for p in after if p["skipped"] and abs(p["top"] - page.evaluate("scrollY")) < 200]
    assert [p["height"] for p in after] == pytest.approx([p["height"] for p in before], abs=0.1)
    assert page.evaluate("document.documentElement.scrollHeight") == page_height
    page.watch.assert_clean()
    context.close()


# Each shown panel's text: the scale it is drawn at and the one that gives it its designed size,
# natural width / drawn width, at most 2.
GROWTH = f"""() => [...document.querySelectorAll('figure.vw, .vw-step-figure')]
  .flatMap(f => {SHOWN}).map(s => {{
    const natural = parseFloat(s.style.getPropertyValue('--w')) * 96;
    const text = [...s.querySelectorAll('text')].find(t => !/rotate\\((?!-?0 )/.test(
      t.getAttribute('transform') || ''));
    return {{figure: s.closest('[data-key]')?.dataset.key ?? 'a step', drawn: s.clientWidth,
      wanted: Math.min(2, Math.max(1, natural / s.getBoundingClientRect().width)),
      scale: parseFloat(getComputedStyle(text).scale) || 1}}; }})"""


@pytest.mark.parametrize("page_name", ["layout.html", "prose.html"])
@pytest.mark.parametrize("width", [390, 1280])
def test_every_panels_text_keeps_its_size_wherever_the_figure_sits(browser, sites, pyodide_files,
                                                                  page_name, width):
    """A figure's text is scaled back up by exactly what its panel is drawn narrower than its
    natural width, in the article, in a guide and in a step (the sixteenth graphics desk: a
    guide's figure on a phone, drawn at its natural width, had its text 5% larger, and a curve's
    name ran into a value beside it)."""
    context, page = open_page(browser, sites, pyodide_files, page_name, width, block_python=True)
    page.set_viewport_size({"width": width, "height": 5000})  # every panel on the screen
    panels = page.evaluate(GROWTH)
    assert len(panels) >= 2
    for panel in panels:
        assert panel["scale"] == pytest.approx(panel["wanted"], abs=0.003), panel
    page.watch.assert_clean()
    context.close()


def test_a_figure_taller_than_the_screen_keeps_its_controls_in_view(browser, sites,
                                                                   pyodide_files):
    """On a phone the three-panel figure stacks its panels: with its first panel at the top of
    the screen its controls would be a screen below. They wait at the screen's bottom instead,
    over nothing but the figure's own panels (never its readouts, which follow them), and are back
    in their place once reached."""
    context, page = open_page(browser, sites, pyodide_files, "layout.html", 390,
                              block_python=True)
    page.set_viewport_size({"width": 390, "height": 600})
    figure = page.locator("#vw-panels")
    controls, caption = figure.locator(".vw-controls"), figure.locator("figcaption")
    assert figure.evaluate("f => f.getBoundingClientRect().height") > 800, "taller than 600 px"
    figure.evaluate("f => scrollTo(0, f.getBoundingClientRect().top + scrollY)")
    top, bottom = controls.evaluate("c => [c.getBoundingClientRect().top, "
                                    "c.getBoundingClientRect().bottom]")
    assert bottom == pytest.approx(600, abs=1), "at the screen's bottom"
    assert top > 300, "a bar, not the figure"
    # The reader moves a control there and the figure answers (the panels above it change).
    expect(figure).to_have_attribute("data-status", "table", timeout=15_000)
    slider = controls.locator('input[name="freq"]')
    slider.focus()
    slider.press("End")
    expect(figure.locator(".vw-panels svg").first).to_contain_text("5 periods")
    # With its readouts at the screen's foot, the controls are in their place, above them, not
    # over them (a pinned bar used to sit on a readout or two until the reader scrolled past).
    readouts = figure.locator(".vw-readouts")
    readouts.evaluate("r => r.scrollIntoView({block: 'end'})")
    assert controls.evaluate("c => c.getBoundingClientRect().bottom") <= readouts.evaluate(
        "r => r.getBoundingClientRect().top") + 1
    # Scrolled past the figure's end, the controls are in the flow again, above the caption.
    caption.evaluate("c => c.scrollIntoView({block: 'end'})")
    assert controls.evaluate("c => c.getBoundingClientRect().bottom") <= caption.evaluate(
        "c => c.getBoundingClientRect().top") + 1
    page.watch.assert_clean()
    context.close()


@pytest.mark.parametrize("width", [390, 1280])
def test_title_block_and_heads_open_are_axe_clean_and_nothing_scrolls_sideways(
        browser, sites, pyodide_files, width):
    # Imported here: the lowest-versions run collects this file without the axe package.
    from axe_playwright_python.sync_playwright import Axe

    context, page = open_page(browser, sites, pyodide_files, "index.html", width)
    for name in ("index.html", "two.html", "layout.html"):
        page.goto(sites("fixture").url + name)
        page.evaluate("document.querySelectorAll('.vw-head-tools details')"
                      ".forEach(d => d.open = true)")
        assert page.evaluate(SIDEWAYS) <= 0, f"{name} scrolls sideways at {width} px"
        result = Axe().run(page)
        assert result.violations_count == 0, result.generate_report()
        screenshot(page, f"fixture-{name[:-5]}-open-{width}")
    page.watch.assert_clean()
    context.close()


def test_the_chapter_list_is_a_few_keystrokes_from_the_top(browser, sites, pyodide_files):
    context, page = open_page(browser, sites, pyodide_files, "two.html", 1280)
    summary = page.locator(".vw-contents summary")
    for _ in range(15):  # past the skip link and the header's controls
        page.keyboard.press("Tab")
        if summary.evaluate("s => s === document.activeElement"):
            break
    else:
        pytest.fail("Tab never reached the contents")
    page.keyboard.press("Enter")
    expect(page.locator(".vw-contents")).to_have_attribute("open", "")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "One"
    page.keyboard.press("Enter")
    page.wait_for_url("**/index.html")
    expect(page.locator(".vw-titleblock h1")).to_have_text("A faulty widget beside a good one")
    page.watch.assert_clean()
    context.close()


def test_a_readouts_value_keeps_its_place_whatever_the_controls_reach(browser, sites,
                                                                      pyodide_files):
    """Each value is as wide as its widest in the figure's table from first paint, so no value a
    control reaches rewraps the readouts: every readout stays where it was."""
    context, page = open_page(browser, sites, pyodide_files, "index.html", 1280,
                              block_python=True)
    figure = page.locator('figure[data-widget="quantize"]')
    expect(figure).to_have_attribute("data-status", "table", timeout=15_000)
    places = ("f => { const box = f.querySelector('.vw-readouts').getBoundingClientRect();"
              " return [...f.querySelectorAll('.vw-readouts > div')].map(d => {"
              " const r = d.getBoundingClientRect();"
              " return [r.left - box.left, r.top - box.top, r.width]; }); }")
    texts = "f => [...f.querySelectorAll('.vw-readouts dd')].map(d => d.textContent)"
    first, seen = figure.evaluate(places), {tuple(figure.evaluate(texts))}
    slider = figure.locator('input[name="levels"]')
    slider.focus()
    for key in ["Home", *["PageUp"] * 12, "End"]:
        slider.press(key)
        seen.add(tuple(figure.evaluate(texts)))
        now = figure.evaluate(places)
        assert [pytest.approx(place, abs=1) for place in first] == now, f"moved at {seen}"
    lengths = {len(text) for texts_ in seen for text in texts_[:1]}
    assert len(lengths) > 1, f"the cell index should change its length: {seen}"
    page.watch.assert_clean()
    context.close()


def test_every_value_a_control_reaches_fits_the_width_reserved_for_it(browser, sites,
                                                                      pyodide_files):
    """The width each readout keeps from first paint is its widest value's, measured in the
    page's font, not counted in characters: "9%" is wider than 2ch, and the readouts after it
    moved by the difference when the value came."""
    context, page = open_page(browser, sites, pyodide_files, "layout.html", 1280,
                              block_python=True)
    figure = page.locator('figure[data-widget="panels"]')
    expect(figure).to_have_attribute("data-status", "table", timeout=15_000)
    over = ("f => [...f.querySelectorAll('.vw-readouts dd')].filter(d => d.getBoundingClientRect()"
            ".width > parseFloat(getComputedStyle(d).minWidth) + 0.5).map(d => d.textContent)")
    seen = []
    for name in ("samples", "freq"):
        slider = figure.locator(f'input[name="{name}"]')
        slider.focus()
        for key in ["Home", *["ArrowRight"] * 6]:
            slider.press(key)
            seen.append(figure.evaluate("f => f.querySelector('.vw-readouts').textContent"))
            assert figure.evaluate(over) == [], f"wider than reserved at {seen[-1]}"
    assert any("9%" in s for s in seen) and any(" 0%" in s or "\u00a00%" in s or "eighth0%" in s
                                                for s in seen), seen
    page.watch.assert_clean()
    context.close()


DRAWN_WIDTH = """([element, texts]) => {
    // each text as the page draws it in ``element``'s place (its font, weight and figures)
    const probes = texts.map((text) => {
      const probe = element.cloneNode(false);
      probe.removeAttribute("id");
      probe.removeAttribute("style");
      Object.assign(probe.style, {position: "absolute", visibility: "hidden", minWidth: "0",
                                  whiteSpace: "nowrap"});
      probe.textContent = text;
      element.after(probe);
      return probe; });
    const widths = probes.map((probe) => probe.getBoundingClientRect().width);
    probes.forEach((probe) => probe.remove());
    return [Math.max(...widths), parseFloat(getComputedStyle(element).minWidth)]; }"""


def test_each_value_keeps_its_widest_texts_width_as_the_page_draws_it_and_no_more(
        browser, sites, pyodide_files):
    """A readout's value and a slider's keep the width of their widest text in the page's own
    font, within 2 px: no value a control reaches moves what follows it, and no hole is left
    after a value either (the thirteenth graphics desk: holes of 45-65 px between readouts,
    widths estimated from Helvetica's with slack for wider fonts)."""
    from fixture_widgets import panels
    from visual_essay.params import Slider, Stops

    context, page = open_page(browser, sites, pyodide_files, "layout.html", 1280,
                              block_python=True)
    figure = page.locator('figure[data-widget="panels"]')
    expect(figure).to_have_attribute("data-status", "table", timeout=15_000)
    readouts = figure.evaluate("""f => {
        const scenes = f.vw.table.scenes.map((s) => (typeof s === "string" ? JSON.parse(s) : s));
        return scenes[0].readouts.map((_, i) => [...new Set(scenes.map((s) => s.readouts[i].text))]);
    }""")
    kept = [(f"readout {i}", figure.locator(".vw-readouts dd").nth(i), texts)
            for i, texts in enumerate(readouts)]
    kept += [(p.label, figure.locator(f'.vw-slider:has(input[name="{p.name}"]) output'),
              p.value_texts()) for p in panels.PARAMS if isinstance(p, (Slider, Stops))]
    assert len(kept) >= 6
    for name, element, texts in kept:
        widest, reserved = page.evaluate(DRAWN_WIDTH, [element.element_handle(), texts])
        assert widest <= reserved + 0.5, f"{name}: {widest} px of text in {reserved} px"
        assert reserved <= widest + 2, f"{name}: {reserved} px kept for {widest} px of text"
    page.watch.assert_clean()
    context.close()


def test_on_a_touch_screen_every_control_is_large_enough_for_a_finger(browser, sites,
                                                                    pyodide_files):
    """On a phone (a touch screen: coarse pointer) a slider's track, a box to tick and a button
    are at least 28 px tall, and every slider's track at least 80 px long (the eighth graphics
    desk: 16-px tracks and 13-px boxes, which a finger misses)."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                                  has_touch=True, device_scale_factor=2)
    page = guard(context, pyodide_files)()
    context.route("**/pyodide/**", lambda route: route.abort("connectionfailed"))
    for name in ("layout.html", "three.html"):  # the second with a figure's Play bar
        page.goto(sites("fixture").url + name)
        assert page.evaluate("matchMedia('(pointer: coarse)').matches")
        sizes = page.evaluate("""() => [...document.querySelectorAll(
            'figure.vw .vw-controls input, figure.vw button, figure.vw select,'
            + ' figure.vw .vw-motion input')]
            .filter((e) => e.type !== 'hidden' && e.getClientRects().length).map((e) => {
              const r = e.getBoundingClientRect();
              return [e.type || e.tagName, e.name || e.textContent, r.width, r.height]; })""")
        assert any(s[0] == "range" for s in sizes), f"{name} has no slider"
        small = [s for s in sizes if s[3] < 28 or (s[0] == "range" and s[2] < 80)]
        assert not small, (name, small)
    context.close()


@pytest.mark.parametrize("width", [1920, 390])
def test_a_sliders_value_follows_its_names_last_word_and_a_rows_tracks_line_up(
        browser, sites, pyodide_files, width):
    """A slider's value is read right after its name: on the label's last line just after its
    last word, or, where its reserved width does not fit there, at the start of the next line;
    and sliders sharing a row keep their tracks on one line however their names wrap (the eighth
    graphics desk: a value 450 px from its name; the tenth: 370 px, at the track's far end; the
    eleventh: names of 1, 2 and 3 lines put a row's tracks 23 px apart, values right-flushed)."""
    context, page = open_page(browser, sites, pyodide_files, "layout.html", width,
                              block_python=True)
    sliders = page.evaluate("""() => [...document.querySelectorAll('figure.vw .vw-slider')].map(
        (s) => { const o = s.querySelector('output').getBoundingClientRect(),
                       lines = s.querySelector('label').getClientRects(),
                       last = lines[lines.length - 1], first = lines[0],
                       track = s.querySelector('input').getBoundingClientRect();
                 return {label: s.querySelector('label').textContent, lines: lines.length,
                         em: parseFloat(getComputedStyle(s).fontSize), top: o.top,
                         left: o.left, lastTop: last.top, lastRight: last.right,
                         lastBottom: last.bottom, start: first.left, row: s.getBoundingClientRect().top,
                         figure: s.closest('figure').dataset.key, track: track.top}; })""")
    assert sliders
    for s in sliders:
        after_word = abs(s["top"] - s["lastTop"]) <= 4 and 0 <= s["left"] - s["lastRight"] <= s["em"]
        next_line = abs(s["top"] - s["lastBottom"]) <= 6 and abs(s["left"] - s["start"]) <= 1
        assert after_word or next_line, f"{s['label']}: its value is not read after its name: {s}"
    rows = {}
    for s in sliders:
        rows.setdefault((s["figure"], round(s["row"])), []).append(s)
    for row in rows.values():
        tracks = [s["track"] for s in row]
        assert max(tracks) - min(tracks) <= 1, [(s["label"], s["lines"], s["track"]) for s in row]
    if width == 390:  # the fixture's long name wraps where it shares a row with a short one
        assert any(len({s["lines"] for s in row}) > 1 for row in rows.values()), rows
    context.close()
