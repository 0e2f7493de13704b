"""The runtime as a reader meets it: real Chromium, the built site on a local HTTP server, nothing
outside localhost. CDN mode is tested too, its Pyodide requests answered from the verified copy."""

import http.server
import json
import re
import time

from playwright.sync_api import expect
import pytest

from visual_essay.pyodide import CDN_URL
from visual_essay.testing import LIVE_TIMEOUT as LIVE
from visual_essay.testing import expect_error, readout, screenshot, serve_folder

pytestmark = pytest.mark.browser

FAULTY_ERROR = "ZeroDivisionError: faulty widget asked to fail at level 3"  # at its default level


@pytest.mark.parametrize("mode", ["offline", "cdn"])
def test_widget_goes_live_and_a_slider_redraws_it(offline_page, sites, mode):
    page = offline_page
    page.goto(sites("fixture", mode).url + "index.html")
    quantize = page.locator('figure[data-widget="quantize"]')
    expect(quantize).to_have_attribute("data-status", "live", timeout=LIVE)
    static_svg = quantize.locator(".vw-panels").inner_html()
    expect(readout(quantize, "levels")).to_have_text("16")

    slider = quantize.locator('input[name="levels"]')
    slider.focus()
    for _ in range(4):
        page.keyboard.press("ArrowRight")
    expect(readout(quantize, "levels")).to_have_text("20")
    expect(quantize.locator("output")).to_contain_text(["20"])
    assert quantize.locator(".vw-panels").inner_html() != static_svg
    expect(quantize.locator(".vw-panels svg").first).to_contain_text("20 levels")
    screenshot(page, f"live-quantize-{mode}")

    page.watch.assert_clean()
    if mode == "offline":
        assert page.watch.outside_requests == []
    else:
        assert page.watch.outside_requests, "CDN mode should load Pyodide from the CDN"
        assert all(u.startswith(CDN_URL) for u in page.watch.outside_requests)


def test_a_negative_number_reads_with_a_true_minus_in_its_control_and_its_figure(
        offline_page, sites):
    """A hyphen is not a minus sign: the slider's value and the ticks, texts and readouts Python
    draws live read "−1" (U+2212), as the build-time figure does; no hyphen negates a number."""
    page = offline_page
    page.goto(sites("fixture", "offline").url + "index.html")
    quantize = page.locator('figure[data-widget="quantize"]')
    expect(quantize).to_have_attribute("data-status", "live", timeout=LIVE)
    slider = quantize.locator('input[name="value"]')
    slider.focus()
    page.keyboard.press("Home")
    expect(quantize.locator(f'output[for="{slider.get_attribute("id")}"]')).to_have_text("\u22121")
    expect(quantize.locator(".vw-panels svg").first).to_contain_text("\u22120.5")
    shown = quantize.text_content()
    assert not re.search(r"(?<![\w.)\]])-\.?\d", shown), shown
    page.watch.assert_clean()


def test_a_raising_widget_shows_its_error_inline_and_the_others_keep_working(
        offline_page, sites):
    page = offline_page
    page.goto(sites("fixture").url + "index.html")
    faulty = page.locator('figure[data-widget="faulty"]')
    quantize = page.locator('figure[data-widget="quantize"]')
    expect(faulty).to_have_attribute("data-status", "live", timeout=LIVE)
    faulty.get_by_label("Raise an error").check()
    expect_error(faulty, FAULTY_ERROR)
    expect(faulty.locator(".vw-message")).to_be_visible()
    expect(faulty.locator(".vw-panels svg")).not_to_have_count(0)  # the last figure stays

    quantize.locator('input[name="levels"]').fill("100")
    expect(readout(quantize, "levels")).to_have_text("100")
    expect(quantize).to_have_attribute("data-status", "live")
    screenshot(page, "widget-error-inline")

    faulty.get_by_label("Raise an error").uncheck()  # recovers on the next good input
    expect(faulty).to_have_attribute("data-status", "live")
    expect(faulty.locator(".vw-message")).to_be_hidden()
    page.watch.assert_clean()


def test_blocked_pyodide_leaves_the_figures_answering_from_the_table_and_one_notice(
        blocked_page, sites):
    page = blocked_page
    page.goto(sites("fixture", "cdn").url + "index.html")
    notice = page.locator(".vw-notice")
    expect(notice).to_have_count(1, timeout=LIVE)
    expect(notice).to_contain_text("could not load")
    expect(notice).to_contain_text("cdn.jsdelivr.net")
    expect(notice).to_contain_text("computed when the site was built")
    for figure in page.locator("figure.vw").all():
        expect(figure).to_have_attribute("data-status", "table")
        expect(figure.locator(".vw-panels svg").first).to_be_visible()
        expect(figure.locator(".vw-controls input").first).to_be_enabled()
    screenshot(page, "pyodide-blocked")


@pytest.mark.parametrize("site_url", [False, True], ids=["anywhere", "at-site_url"])
def test_instant_navigation_keeps_the_same_python(offline_page, sites, site_url):
    """Anywhere the runtime follows the link; at the build's site_url, Material's sitemap does."""
    page = offline_page
    wasm = []
    page.on("request", lambda r: r.url.endswith("pyodide.asm.wasm") and wasm.append(r.url))
    page.goto(sites("fixture", site_url=site_url).url + "index.html")
    expect(page.locator('figure[data-widget="quantize"]')).to_have_attribute(
        "data-status", "live", timeout=LIVE)
    page.get_by_role("link", name="Next page").click()
    second = page.locator('figure[data-widget="quantize"]')
    expect(page).to_have_url(re.compile(r"two\.html$"))
    expect(second).to_have_attribute("data-status", "live", timeout=10_000)
    second.locator('input[name="levels"]').fill("32")
    expect(readout(second, "levels")).to_have_text("32")
    assert len(wasm) == 1, f"Pyodide was fetched {len(wasm)} times"
    assert page.evaluate("performance.getEntriesByName('vw-start').length") == 1
    page.watch.assert_clean()


def test_from_file_url_the_figures_answer_from_the_table_with_a_notice(offline_page, sites):
    page = offline_page
    scripts = []
    page.on("request", lambda r: r.resource_type == "script" and scripts.append(r.url))
    page.goto((sites("fixture").path / "index.html").as_uri())
    notice = page.locator(".vw-notice")
    expect(notice).to_contain_text("python serve.py")
    expect(notice).to_contain_text("computed when the site was built")
    quantize = page.locator('figure[data-widget="quantize"]')
    expect(quantize).to_have_attribute("data-status", "table")
    quantize.locator('input[name="levels"]').focus()
    page.keyboard.press("End")
    expect(readout(quantize, "levels")).to_have_text("256")
    expect(page.locator("figure.vw .vw-panels svg").first).to_be_visible()
    # The runtime is one script, built from its parts; the others are the figures' tables, one
    # each, in reading order; the first figure's first part (what a reader reaches first) came
    # with the page, just before the figure.
    ours = [url.split("/assets/visual-essay/")[1] for url in scripts
            if "/assets/visual-essay/" in url]
    keys = [f.get_attribute("data-key") for f in page.locator("figure.vw").all()]
    assert ours[0] == "visual-essay.js", ours
    loaded = [re.match(r"tables/index-(.+)-[0-9a-f]{12}\.js$", u)[1] for u in ours[1:]]
    assert loaded == keys, ours
    assert page.locator(f"div.vw-table-part[hidden]#vw-first-{keys[0]}").count() == 1


def test_a_page_that_arrives_slowly_mounts_each_figure_once_it_is_whole(offline_page, sites):
    """The runtime mounts figures while the page is parsed: one cut off mid-figure by a slow
    network (here: a pause after its first half) must wait for the rest, not break."""
    site = sites("fixture")
    html = (site.path / "index.html").read_bytes()
    # Pauses before the first figure (the runtime is running by then) and inside it.
    cuts = [html.index(b'<figure class="vw"'), html.index(b'<form class="vw-controls"')]
    parts = [html[:cuts[0]], html[cuts[0]:cuts[1]], html[cuts[1]:]]

    class Slow(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            if not self.path.startswith("/index.html"):
                return super().do_GET()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(html)))
            self.end_headers()
            for part in parts:
                self.wfile.write(part)
                self.wfile.flush()
                time.sleep(1.0)

    server = serve_folder(site.path, handler_class=Slow)
    try:
        page = offline_page
        page.goto(f"http://127.0.0.1:{server.server_port}/index.html")
        faulty = page.locator('figure[data-widget="faulty"]')
        expect(faulty).to_have_attribute("data-status", re.compile("table|live"), timeout=LIVE)
        faulty.locator('select[name="colour"]').select_option("orange")
        expect(faulty.locator(".vw-figure")).to_have_attribute("aria-label", "A line of slope 3.")
        page.watch.assert_clean()
    finally:
        server.shutdown()


# What the panels of a figure should hold for a scene: each panel drawn by the renderer (and its
# narrow layout after it), as the page serializes it, clip-path ids aside (unique per drawing).
EXPECTED_PANELS = """scene => {
    const box = document.createElement("div"), draw = window.visualEssay.renderPanel;
    box.innerHTML = scene.panels.map((p) => (p.narrow
      ? draw(p, null, "wide") + draw(p, null, "narrow") : draw(p))).join("");
    return box.innerHTML;
}"""


def panels_of(figure):
    return re.sub(r"vwc\d+", "vwc", figure.locator(".vw-panels").inner_html())


def python_panels(figure, name, params):
    """Python's panels for ``params`` in the layout the figure shows (the one it asks for)."""
    layout = figure.evaluate("""f => getComputedStyle(f.querySelector('.vw-panels > svg'))
        .getPropertyValue('--vw-layout').trim()""")
    reply = figure.page.evaluate("([n, p, l]) => window.visualEssay.compute(n, p, l)",
                                 [name, params, layout])
    return re.sub(r"vwc\d+", "vwc",
                  figure.page.evaluate(EXPECTED_PANELS, json.loads(reply["scene"])))


def test_a_burst_of_inputs_ends_on_pythons_scene_for_the_last_and_a_value_returned_to_too(
        offline_page, sites):
    """Inputs faster than Python coalesce (the latest value wins, never a stale one last), and
    a value the reader comes back to is drawn from the scenes Python computed lately: either
    way the figure is the one Python computes for the values shown."""
    page = offline_page
    page.goto(sites("fixture").url + "index.html")
    quantize = page.locator('figure[data-widget="quantize"]')
    expect(quantize).to_have_attribute("data-status", "live", timeout=LIVE)
    quantize.evaluate("f => f.addEventListener('vw:drawn', e => (window.drawnBy ||= [])"
                      ".push(e.detail.source))")
    own = json.loads(quantize.get_attribute("data-params"))
    # Twenty values off the table's grid in one task, as fast as no reader could.
    values = [101 + 2 * i for i in range(20)]
    quantize.evaluate("""(f, values) => {
        const input = f.querySelector('input[name="levels"]');
        for (const v of values) {
          input.value = String(v);
          input.dispatchEvent(new Event('input', { bubbles: true }));
        }
    }""", values)
    expect(readout(quantize, "levels")).to_have_text(str(values[-1]))
    page.wait_for_function("f => !f.vw.busy && !f.vw.pending", arg=quantize.element_handle())
    drawn = page.evaluate("window.drawnBy")
    assert len(drawn) < len(values), f"every input was computed: {drawn}"
    assert panels_of(quantize) == python_panels(quantize, "quantize", {**own, "levels": values[-1]})

    # Back to a value Python computed: drawn at once from the recent scenes, the same figure.
    slider = quantize.locator('input[name="levels"]')
    slider.fill(str(values[-1] - 1))
    expect(readout(quantize, "levels")).to_have_text(str(values[-1] - 1))
    page.evaluate("window.drawnBy = []")
    slider.fill(str(values[-1]))
    expect(readout(quantize, "levels")).to_have_text(str(values[-1]))
    assert page.evaluate("window.drawnBy") == ["recent"]
    assert panels_of(quantize) == python_panels(quantize, "quantize", {**own, "levels": values[-1]})
    page.watch.assert_clean()


def test_only_the_panels_that_changed_are_drawn_again(offline_page, sites):
    """A new scene replaces only the panels it changes, each whole; every other panel's SVG
    stays in place, element for element (bench/ measured patching a changed panel's elements
    one by one against replacing it: the replacement was faster, script and layout together);
    the figure is then the one a fresh drawing gives."""
    page = offline_page
    page.goto(sites("fixture").url + "layout.html")
    figure = page.locator('figure[data-widget="panels"]')
    expect(figure).to_have_attribute("data-status", "live", timeout=LIVE)
    # The figure's scene drawn once, then again with only its first panel's title changed.
    scene = json.loads(page.evaluate(
        "n => window.visualEssay.compute(n, {}).then(r => r.scene)", "panels"))
    figure.evaluate("(f, s) => window.visualEssay.drawScene(f, s)", scene)
    figure.evaluate("f => f.querySelectorAll('.vw-panels *').forEach(e => { e.kept = true; })")
    changed = {**scene, "panels": [{**scene["panels"][0], "titles": ["another title"]},
                                   *scene["panels"][1:]]}
    figure.evaluate("(f, s) => window.visualEssay.drawScene(f, s)", changed)
    kept = figure.evaluate("""f => [...f.querySelectorAll('.vw-panels > svg')]
        .map((svg) => [svg, ...svg.querySelectorAll('*')].map((e) => Boolean(e.kept)))""")
    # Each panel is one SVG, or two when it has a layout for phones.
    counts = [2 if p["narrow"] else 1 for p in scene["panels"]]
    assert len(kept) == sum(counts) and len(counts) >= 3
    assert not any(any(svg) for svg in kept[:counts[0]]), "the changed panel is drawn anew"
    assert all(all(svg) for svg in kept[counts[0]:]), "the others keep every element"
    assert "another title" in figure.locator(".vw-panels > svg").first.inner_html()
    assert panels_of(figure) == re.sub(r"vwc\d+", "vwc", page.evaluate(EXPECTED_PANELS, changed))
    page.watch.assert_clean()


def test_python_computes_the_layout_the_reader_sees_and_the_other_when_the_width_changes(
        offline_page, sites):
    """quantize's panel (4.2 in) has a second layout for phones (3.3 in). Python computes only
    the one the figure shows (scene.only_layout): at 1280 px the wide one, and when the window
    narrows to a phone's the narrow one, drawn as CPython draws it at that width."""
    from fixture_widgets import WIDGETS

    from visual_essay.registry import compute
    from visual_essay.testing import shown_at

    page = offline_page
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(sites("fixture").url + "index.html")
    quantize = page.locator('figure[data-widget="quantize"]')
    expect(quantize).to_have_attribute("data-status", "live", timeout=LIVE)
    svgs = quantize.locator(".vw-panels > svg")
    expect(svgs).to_have_count(2)  # the build's: both layouts, the stylesheet shows one
    quantize.locator('input[name="levels"]').fill("20")  # not in the page's table: Python
    expect(svgs.first).to_contain_text("20 levels")
    expect(svgs).to_have_count(1)
    scene = compute("quantize", {"levels": 20}, WIDGETS)
    for width, layout in ((1280, "wide"), (390, "narrow"), (1280, "wide")):
        page.set_viewport_size({"width": width, "height": 800})
        size = shown_at(scene["panels"][0], layout)["size"]
        expect(svgs).to_have_attribute("viewBox", f"0 0 {size[0] * 72:g} {size[1] * 72:g}")
        expect(svgs).to_contain_text("20 levels")
    page.watch.assert_clean()


# Every message the page posts to the worker, in window.sent with the time it was posted;
# window.onSent, if a test sets it, is called with each as it goes.
RECORD_MESSAGES = """{
  const post = Worker.prototype.postMessage;
  window.sent = [];
  Worker.prototype.postMessage = function (message) {
    if (message && message.type) {
      window.sent.push({ ...message, at: performance.now() });
      window.onSent?.(message);
    }
    return post.apply(this, arguments);
  };
}"""

def test_each_live_figure_is_warmed_in_idle_time_and_a_reader_is_never_kept_waiting_by_it(
        offline_page, sites):
    """Once Python is live, the worker computes each figure at its values and at a reader's
    first slider steps (registry.warm's moves 0, 1, 2...) before a reader touches it, one
    compute at a time; a reader's request goes first, and nothing is warmed until 500 ms after
    it."""
    page = offline_page
    page.add_init_script(RECORD_MESSAGES)
    page.goto(sites("fixture").url + "index.html")
    # The reader moves quantize's slider off the table in the task where it goes live.
    page.evaluate("""() => new Promise((resolve) => {
      const f = document.querySelector('figure[data-widget="quantize"]');
      new MutationObserver((_, observer) => {
        if (f.dataset.status !== 'live') return;
        observer.disconnect();
        const input = f.querySelector('input[name="levels"]');
        input.value = '101';
        input.dispatchEvent(new Event('input', { bubbles: true }));
        resolve();
      }).observe(f, { attributes: true, attributeFilter: ['data-status'] });
    })""")
    page.wait_for_function("window.visualEssay.warming === 0 && "
                           "window.sent.some((m) => m.type === 'warm')", timeout=LIVE)
    sent = page.evaluate("window.sent")
    asked = [m for m in sent if m["type"] == "compute"]
    warmed = [m for m in sent if m["type"] == "warm"]
    assert asked and asked[0]["params"]["levels"] == 101
    assert all(w["at"] >= asked[-1]["at"] + 500 for w in warmed), "warmed ahead of the reader"
    live = page.locator('figure.vw[data-status="live"]').all()
    assert len(live) == 2
    moves = {f.get_attribute("data-widget"): [] for f in live}
    for w in warmed:
        assert w["layout"] == "wide"
        assert w["params"] == json.loads(page.locator(
            f'figure[data-widget="{w["widget"]}"]').get_attribute("data-params"))
        moves[w["widget"]].append(w["move"])
    most = page.evaluate("window.visualEssay.warmMoves")
    # Figure after figure, each from its values on (fewer moves where they took long).
    assert [w["widget"] for w in warmed] == sorted((w["widget"] for w in warmed),
                                                   key=list(moves).index)
    assert all(m == list(range(len(m))) and 1 <= len(m) <= most for m in moves.values())
    assert max(len(m) for m in moves.values()) > 1
    page.watch.assert_clean()


def test_a_figure_gone_from_the_page_is_not_warmed(offline_page, sites):
    """A figure the reader has left (instant navigation replaces the page's content) is dropped
    from the worker's warming: here quantize's figure is removed as the first figure's warming
    starts, and no warming for it follows."""
    page = offline_page
    page.add_init_script(RECORD_MESSAGES)
    page.add_init_script("""window.onSent = (message) => message.type === 'warm'
      && document.querySelector('figure[data-widget="quantize"]')?.remove();""")
    page.goto(sites("fixture").url + "index.html")
    page.wait_for_function("window.visualEssay.warming === 0 && "
                           "window.sent.some((m) => m.type === 'warm')", timeout=LIVE)
    sent = [m["widget"] for m in page.evaluate("window.sent") if m["type"] == "warm"]
    assert sent[0] == "faulty" and "quantize" not in sent
    page.watch.assert_clean()
