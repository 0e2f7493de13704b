"""One Python per visit wherever the built site is served: a random port at the root, or under a
sub-path as GitHub Pages serves a repository's site, built with no SITE_URL. A reader walks every
page of the fixture site by its "next" link: the same document all along, Pyodide fetched once,
every page's widgets live."""

from playwright.sync_api import expect
import pytest

from visual_essay.testing import LIVE_TIMEOUT as LIVE, guard

pytestmark = pytest.mark.browser

CONTENT = "document.querySelector('[data-md-component=container]')"
OLD_CONTENT = f"{CONTENT}.dataset.old = 'yes'"
NEW_CONTENT = f"!{CONTENT}.dataset.old"
FIRST_LIVE = ("[...document.querySelectorAll('figure.vw')]"
              ".some(f => f.dataset.status === 'live')")


@pytest.mark.parametrize("prefix", ["", "fixture/"], ids=["root", "sub-path"])
def test_walking_every_page_keeps_one_document_and_one_python(browser, sites, pyodide_files,
                                                              prefix):
    site = sites("fixture", prefix=prefix)
    context = browser.new_context()
    page = guard(context, pyodide_files)()
    wasm = []
    page.on("request", lambda r: r.url.endswith("pyodide.asm.wasm") and wasm.append(r.url))
    page.goto(site.url + "index.html")
    page.wait_for_function(FIRST_LIVE, timeout=LIVE)
    page.evaluate("window.sameVisit = 'yes'")  # gone if any page loads a new document
    visited = [page.url]
    next_link = page.locator("a.md-footer__link--next")
    while next_link.count():
        page.evaluate(OLD_CONTENT)
        next_link.click()
        page.wait_for_function(NEW_CONTENT)  # Material swaps the content in after fetching it
        visited.append(page.url)
        expect(page.locator("h1").first).to_be_visible()
        page.locator("figure.vw").first.scroll_into_view_if_needed()
        page.wait_for_function(FIRST_LIVE, timeout=10_000)
        assert page.evaluate("window.sameVisit") == "yes", f"{page.url} was a new page load"
    assert [url.removeprefix(site.url) for url in visited] == ["index.html", "two.html",
                                                               "three.html", "prose.html"]
    assert len(wasm) == 1, f"Pyodide was fetched {len(wasm)} times"

    page.go_back()  # Back is instant too, and lands on the previous page
    page.wait_for_function("u => location.href === u", arg=visited[-2])
    assert page.evaluate("window.sameVisit") == "yes"
    page.watch.assert_clean()
    context.close()
