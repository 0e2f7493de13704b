"""The reader tests in three engines: one fixture, ``reader``, is a new window of Chromium, Firefox
or WebKitGTK (``visual_essay.browsers``, one small adapter each behind one interface), and every
test body runs in all three. What Playwright's routes do for the Chromium-only tests, a test HTTP
server does here, the same for every engine: it serves a folder as the bundle's serve.py does
(standard library, ``.wasm`` as ``application/wasm``), and

- counts what was fetched (one ``pyodide.asm.wasm`` per visit);
- can leave Pyodide's files unanswered (Python stalled: the widgets answer from their tables);
- records every answer it gave with an error status;
- injects a recorder at the top of every HTML page it serves, since WebKitWebDriver cannot read
  the console: ``window.readerErrors`` collects ``console.error`` calls, uncaught errors, unhandled
  rejections and resources that failed to load. Chromium's and Firefox's drivers hear the console
  themselves as well (a worker's too, in Chromium). In WebKit, what a worker says is not heard; a
  worker that fails shows as a widget that never goes live.
"""

import http.server
import os
from pathlib import Path
import subprocess
import sys
import threading
from urllib.parse import urlsplit
import zipfile

import pytest

from visual_essay.browsers import ENGINES, EngineMissing, open_browser, virtual_display
from visual_essay.testing import LIVE_TIMEOUT, serve_folder

LIVE = LIVE_TIMEOUT / 1000  # seconds
ROOT = Path(__file__).resolve().parents[4]  # the repository
SCREENSHOTS = ROOT / "test-results" / "screenshots"
# A figure (by its selector) answers from its table: Python has not computed it.
FROM_TABLE = "(s) => document.querySelector(s).dataset.status === 'table'"

RECORDER = """<script>/* added by the engine tests' server */ (() => {
  if (window.readerErrors) return;
  const heard = window.readerErrors = [];
  const error = console.error;
  console.error = function (...args) {
    heard.push(`console.error: ${args.map(String).join(" ")}`);
    return error.apply(this, args);
  };
  addEventListener("error", (e) => {
    // The notice of a ResizeObserver loop (Material's, in Firefox) is an error event that no
    // console shows; Firefox's driver, which hears the console, hears nothing of it either.
    if (/^ResizeObserver loop/.test(e.message)) return;
    heard.push(e.target === window ? `error: ${e.message} (${e.filename}:${e.lineno})`
      : `failed to load: ${e.target.src || e.target.href}`);
  }, true);
  addEventListener("unhandledrejection", (e) =>
    heard.push(`unhandled rejection: ${(e.reason && e.reason.stack) || e.reason}`));
})();</script>"""


class ReaderHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def log_request(self, code="-", size="-"):
        self.server.reader.answered.append((urlsplit(self.path).path, int(code)))

    def do_GET(self):
        reader, path = self.server.reader, urlsplit(self.path).path
        if reader.stall_python and "/pyodide/" in path:
            reader.stalled.append(path)
            reader.released.wait()  # never answered while the test runs
            self.close_connection = True
            return
        file = self.translate_path(self.path)
        if path.endswith("/"):
            file = os.path.join(file, "index.html")
        if not (path.endswith(("/", ".html")) and os.path.isfile(file)):
            return super().do_GET()
        with open(file, "rb") as f:
            html = f.read()
        head = html.find(b"<head>") + len(b"<head>")
        body = html[:head] + (reader.first_script + RECORDER).encode() + html[head:]
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class ReaderServer:
    """A folder served on 127.0.0.1 at a random port (see the module's docstring)."""

    def __init__(self, folder, stall_python=False, first_script=""):
        self.stall_python = stall_python
        self.first_script = first_script  # a <script> to run before any of the page's own
        self.answered, self.stalled = [], []
        self.released = threading.Event()
        self.httpd = serve_folder(folder, handler_class=ReaderHandler)
        self.httpd.reader = self
        self.url = f"http://127.0.0.1:{self.httpd.server_port}/"

    def fetched(self, name):
        """How many times a file of that name was asked for."""
        return sum(path.endswith(f"/{name}") for path in
                   [p for p, _ in self.answered] + self.stalled)

    def failures(self):
        return [(path, code) for path, code in self.answered if code >= 400]

    def close(self):
        self.released.set()
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def serve():
    """``serve(folder, stall_python=False, first_script="")``: a new ReaderServer, closed after the
    test."""
    servers = []

    def start(folder, **options):
        servers.append(ReaderServer(folder, **options))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


def assert_quiet(reader, server):
    """Nothing went wrong on the page, in the console or on the server."""
    heard = {"page": reader.js("() => window.readerErrors || ['no recorder in this page']"),
             "console": reader.console_errors(), "server": server.failures()}
    assert not any(heard.values()), f"{reader.name}: {heard}"


@pytest.fixture(scope="session")
def display():
    """One X display for WebKitGTK's windows (started only when a WebKit test runs)."""
    with virtual_display() as name:
        yield name


def _open(request, engine):
    options = {}
    if engine == "chromium":
        options["playwright_browser"] = request.getfixturevalue("browser")
    if engine == "webkit":
        options["display"] = request.getfixturevalue("display")
    try:
        return open_browser(engine, **options)
    except EngineMissing as missing:  # a failure, never a skip
        pytest.fail(str(missing))


@pytest.fixture(params=ENGINES)
def reader(request):
    """A new window (cold cache) of each engine in turn."""
    with _open(request, request.param) as window:
        yield window


@pytest.fixture(scope="module", params=ENGINES)
def shared_reader(request):
    """One window of each engine for a whole module (for tests that need no cold cache)."""
    with _open(request, request.param) as window:
        yield window


@pytest.fixture(scope="session")
def offline_bundle(tmp_path_factory):
    """The essay's offline bundle (``build_assets.py bundle``), unpacked."""
    tmp = tmp_path_factory.mktemp("engines-bundle")
    archive = tmp / "essay.zip"
    subprocess.run([sys.executable, str(ROOT / "build_assets.py"), "bundle", "--out",
                    str(archive)], check=True, cwd=tmp, capture_output=True)
    with zipfile.ZipFile(archive) as z:
        z.extractall(tmp / "reader")
    folder = tmp / "reader" / "seeing-to-acting"
    assert (folder / "serve.py").exists() and (folder / "index.html").exists()
    return folder


def screenshot(reader, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    reader.screenshot(SCREENSHOTS / f"engines-{reader.name}-{name}.png")


def figure(name):
    """The CSS selector of a widget's (first) figure."""
    return f'figure[data-widget="{name}"]'
