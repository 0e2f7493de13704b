"""The browser drivers' own behaviour: what they report is what the page did."""

import http.server
import threading
import time

import pytest

from visual_essay.browsers import Firefox

pytestmark = pytest.mark.browser

MOVER = "<math><mover accent='true'><mi>a</mi><mo>&#x2c9;</mo></mover></math>"
PAGES = {
    # sent in two parts, the pause inside the <mover>: Firefox lays out the part it has
    "/split.html": MOVER.split("<mo>"),
    # a <mover> that lacks its second child for good
    "/wrong.html": ["<math><mover accent='true'><mi>a</mi></mover></math>"],
}
MESSAGE = "javascript: Invalid markup: Incorrect number of children for <mover/> tag."


class Parts(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        if self.path not in PAGES:
            self.send_error(404)
            return
        parts = PAGES[self.path]
        body = "<!doctype html><meta charset='utf-8'><title>t</title><p>x " + "<mo>".join(parts)
        cut = body.index(parts[1]) - len("<mo>") if len(parts) > 1 else len(body)
        data = body.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data[:cut])
        self.wfile.flush()
        time.sleep(1)
        self.wfile.write(data[cut:])


@pytest.fixture
def parts_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Parts)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_firefox_forgets_a_mathml_element_laid_out_half_parsed_and_keeps_one_that_is_wrong(
    parts_server,
):
    window = Firefox()
    try:
        window.goto(parts_server + "/split.html")
        assert window.js("() => document.querySelector('mover').children.length") == 2
        assert window.console_errors() == []
        window._forget_partial_mathml = lambda said: None  # what it heard, unfiltered
        window.goto(parts_server + "/split.html")
        assert set(window.console_errors()) == {MESSAGE}, "the half-parsed page is reported"
        del window._forget_partial_mathml
        window._log.clear()
        window.goto(parts_server + "/wrong.html")
        assert set(window.console_errors()) == {MESSAGE}
    finally:
        window.close()
