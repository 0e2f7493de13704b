"""The offline bundle, used exactly as a reader with no network would: unpack the archive, run its
serve.py, read in Chromium with every outside request blocked; and open index.html from file://."""

from pathlib import Path
import re
import subprocess
import sys
import zipfile

from playwright.sync_api import expect
import pytest

from visual_essay.testing import LIVE_TIMEOUT as LIVE, screenshot

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def unpacked(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("bundle")
    archive = tmp / "essay.zip"
    subprocess.run([sys.executable, str(ROOT / "build_assets.py"), "bundle", "--out",
                    str(archive)], check=True, cwd=tmp, capture_output=True)
    with zipfile.ZipFile(archive) as z:
        z.extractall(tmp / "reader")
    folder = tmp / "reader" / "seeing-to-acting"
    assert (folder / "serve.py").exists() and (folder / "index.html").exists()
    return folder


def test_the_archive_carries_only_the_pyodide_files_it_needs(unpacked):
    files = sorted(p.name for p in (unpacked / "assets/visual-essay/pyodide").iterdir())
    assert files == sorted(["numpy-2.0.2-cp312-cp312-pyodide_2024_0_wasm32.whl",
                            "pyodide-lock.json", "pyodide.asm.js", "pyodide.asm.wasm",
                            "pyodide.js", "python_stdlib.zip"])
    # Python's part: the interpreter, its standard library and numpy, nothing more (the essay's
    # own pages and tables are counted by bench/run.py's bytes table, not budgeted here).
    python = sum(p.stat().st_size for p in (unpacked / "assets/visual-essay/pyodide").iterdir())
    assert python < 20e6, f"Pyodide's files are {python / 1e6:.0f} MB"


def test_unpacked_and_served_by_its_serve_py_the_essay_is_live_with_no_network(
        unpacked, offline_page, tmp_path):
    server = subprocess.Popen([sys.executable, "serve.py", "--port", "0"], cwd=unpacked,
                              stdout=subprocess.PIPE, text=True)
    try:
        line = server.stdout.readline()
        url = line.split(" is at ")[1].split()[0]
        page = offline_page
        wasm = []
        page.on("request", lambda r: r.url.endswith("pyodide.asm.wasm") and wasm.append(r.url))
        page.goto(url.replace("index.html", "actions.html"))
        figure = page.locator('figure[data-widget="bins"]')
        figure.scroll_into_view_if_needed()  # as a reader scrolls to it
        expect(figure).to_have_attribute("data-status", "live", timeout=LIVE)
        slider = figure.locator('input[type="range"]').first
        before = figure.locator(".vw-panels").inner_html()
        slider.focus()
        page.keyboard.press("End")
        expect(figure.locator(".vw-panels")).not_to_have_js_property("innerHTML", before)
        screenshot(page, "offline-bundle-live")
        # On serve.py's random port, the next chapter is live in the same page, the same Python.
        page.evaluate("window.sameVisit = true")
        page.locator("a.md-footer__link--next").click()
        expect(page).to_have_url(re.compile(r"diffusion\.html$"))
        following = page.locator('figure[data-widget="diffusion_policy"]')  # once swapped in
        following.scroll_into_view_if_needed()
        expect(following).to_have_attribute("data-status", "live", timeout=10_000)
        assert page.evaluate("window.sameVisit") is True and len(wasm) == 1
        assert page.watch.outside_requests == []
        page.watch.assert_clean()
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_opened_from_file_the_essay_answers_from_its_tables_with_a_notice(unpacked,
                                                                          offline_page):
    page = offline_page
    page.goto((unpacked / "index.html").as_uri())
    page.locator("figure.vw").first.scroll_into_view_if_needed()
    expect(page.locator(".vw-notice")).to_contain_text("python serve.py")
    figure = page.locator("figure.vw").first
    expect(figure).to_have_attribute("data-status", "table")
    figure.locator('select[name="output"]').select_option("text")
    expect(figure.locator(".vw-figure")).to_have_attribute("aria-label", re.compile("in text"))
    expect(figure.locator(".vw-panels svg").first).to_be_visible()
    expect(figure.locator("figcaption")).to_be_visible()
    screenshot(page, "offline-bundle-file-url")
    assert page.watch.outside_requests == []
