"""In every engine, a reader's visit: the offline bundle goes live in Python and answers; instant
navigation walks every chapter with one Python; where the browser does not report the reader's
connection (Firefox and Safari never do), Python starts on its own; and the recorder that stands in
for the console hears what the console would.

Live values in prose and guided steps (issue 23) do not exist yet. When they land, their reader
test goes here, written once against ``reader`` like the tests below: a value in a sentence
follows the figure as a control changes, and a guided step sets the figure it names."""

import re

import pytest

from tests.essay.browser.engines.conftest import LIVE, assert_quiet, figure, screenshot
from visual_essay.registry import compute
from widgets import WIDGETS

pytestmark = pytest.mark.browser

STATUS = "([s, status]) => document.querySelector(s)?.dataset.status === status"
SCROLL_TO = "(s) => document.querySelector(s).scrollIntoView({ block: 'center' })"
CONTENT = "document.querySelector('[data-md-component=container]')"
FIRST_LIVE = ("() => [...document.querySelectorAll('figure.vw')]"
              ".some((f) => f.dataset.status === 'live')")
READOUT = ("([s, label]) => [...document.querySelectorAll(`${s} dt`)]"
           ".find((dt) => dt.textContent === label)?.nextElementSibling.textContent")


def test_the_offline_bundle_goes_live_in_python_and_answers(reader, serve, offline_bundle):
    server = serve(offline_bundle)  # what its serve.py does, plus the recorder
    bins = figure("bins")
    reader.goto(server.url + "actions.html")
    reader.js(SCROLL_TO, bins)  # as a reader scrolls to it
    reader.wait(STATUS, [bins, "live"], timeout=LIVE, what="bins goes live")
    reader.js("(s) => document.querySelector(s).addEventListener('vw:drawn', "
              "(e) => (window.drawnBy ||= []).push(e.detail.source))", bins)
    # A value off the table's grid: only Python can answer it (the bins slider's every stop is
    # in the table; its continuous action's 2,001 values are not).
    value = reader.js("(s) => { const grid = document.querySelector(s).vw.table.grids.position; "
                      "let k = 123; while (grid.includes(k / 1000)) k += 1; return k / 1000; }",
                      bins)
    reader.set_value(f"{bins} input[name=position]", str(value))
    decoded = {r["label"]: r["text"] for r in
               compute("bins", {"position": value}, WIDGETS)["readouts"]}["decoded value"]
    reader.wait(f"(args) => ({READOUT})(args) === '{decoded}'", [bins, "decoded value"],
                what=f"Python's scene for position={value}")
    assert reader.js("() => window.drawnBy") == ["python"]
    screenshot(reader, "offline-bundle-live")
    assert server.fetched("pyodide.asm.wasm") == 1
    assert_quiet(reader, server)


def test_instant_navigation_walks_every_chapter_with_one_python(reader, serve, sites):
    server = serve(sites("essay").path)  # at the root of a random port, built with no SITE_URL
    reader.goto(server.url + "index.html")
    reader.wait(FIRST_LIVE, timeout=LIVE, what="the first widget goes live")
    reader.js("() => { window.sameVisit = 'yes'; }")  # gone if any chapter loads a new document
    visited = [reader.js("() => location.href")]
    while reader.js("() => Boolean(document.querySelector('a.md-footer__link--next'))"):
        reader.js(f"() => {{ {CONTENT}.dataset.old = 'yes'; }}")
        reader.click("a.md-footer__link--next")
        reader.wait(f"() => !{CONTENT}.dataset.old", what="the next chapter swapped in")
        visited.append(reader.js("() => location.href"))
        if reader.js("() => document.querySelectorAll('figure.vw').length"):
            reader.js(SCROLL_TO, "figure.vw")
            reader.wait(FIRST_LIVE, what=f"{visited[-1]} goes live")
        assert reader.js("() => window.sameVisit") == "yes", f"{visited[-1]} was a new page load"
    assert len(visited) >= 8 and all(url.startswith(server.url) for url in visited), visited
    assert server.fetched("pyodide.asm.wasm") == 1
    screenshot(reader, "last-chapter")
    assert_quiet(reader, server)


def test_where_the_browser_reports_no_connection_python_starts_on_its_own(reader, serve, sites):
    """Only Chromium reports the connection (navigator.connection, which tells a reader who
    saves data); it is removed here so that every engine takes the path Firefox and Safari do."""
    server = serve(sites("essay").path,
                   first_script="<script>delete Navigator.prototype.connection;</script>")
    reader.goto(server.url + "actions.html")
    assert reader.js("() => 'connection' in navigator") is False
    reader.wait(STATUS, [figure("bins"), "live"], timeout=LIVE, what="bins goes live")
    assert reader.js("() => document.querySelector('.vw-notice')") is None  # no data-saver button
    assert_quiet(reader, server)


def test_the_recorder_hears_what_the_console_would(reader, serve, tmp_path):
    (tmp_path / "noisy.html").write_text(
        "<!doctype html><html lang=en><head><title>noisy</title><link rel=icon href='data:,'>"
        "</head><body>"
        "<script>console.error('said'); Promise.reject(new Error('unhandled')); "
        "setTimeout(() => { throw new Error('thrown'); });</script>"
        "<img src='missing.png' alt=''></body></html>")
    server = serve(tmp_path)
    reader.goto(server.url + "noisy.html")
    heard = reader.wait("() => window.readerErrors.length >= 4 && window.readerErrors",
                        what="four errors recorded")
    for expected in ("console.error: said", "unhandled", "thrown", "failed to load: .*missing"):
        assert any(re.search(expected, h) for h in heard), (expected, heard)
    assert server.failures() == [("/missing.png", 404)]
