"""The runtime as a reader meets it: real Chromium, the built site on a local HTTP server, nothing
outside localhost. CDN mode is tested too, its Pyodide requests answered from the verified copy."""

import http.server
import re
import time

from playwright.sync_api import expect
import pytest

from visual_essay.pyodide import CDN_URL
from visual_essay.testing import (LIVE_TIMEOUT as LIVE, expect_error, readout, screenshot,
                                  serve_folder)

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
    # The runtime is one script, built from its parts; the only other is the page's table.
    ours = [url.split("/assets/visual-essay/")[1] for url in scripts
            if "/assets/visual-essay/" in url]
    assert ours[0] == "visual-essay.js" and [u.split("/")[0] for u in ours[1:]] == ["tables"], ours


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
