"""Shared fixtures: the built site in both Pyodide modes, a local HTTP server, and Chromium with every
request outside localhost blocked (CDN requests for Pyodide are answered from the verified local copy).
"""

from dataclasses import dataclass
import functools
import http.server
import mimetypes
import os
from pathlib import Path
import re
import shutil
import subprocess
import sys
import threading

import pytest

from visual_essay.pyodide import CDN_URL, DEFAULT_CACHE, prepare

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
SCREENSHOTS = ROOT / "test-results" / "screenshots"
LOCAL = re.compile(r"^(https?://(127\.0\.0\.1|localhost)(:\d+)?/|data:|blob:|file:)")

mimetypes.add_type("application/wasm", ".wasm")

# The lines every site's mkdocs.yml needs for widget fences (test sites end with them).
WIDGET_FENCE_YAML = """\
markdown_extensions:
  - pymdownx.superfences:
      custom_fences:
        - name: widget
          class: widget
          format: !!python/name:visual_essay.plugin.widget_fence
"""


def build_site(dest, mode="offline", config=ROOT / "mkdocs.yml", extra_env=None):
    """``mkdocs build`` as an author runs it; returns the CompletedProcess (check returncode)."""
    env = {**os.environ, "VISUAL_ESSAY_PYODIDE": mode, "NO_MKDOCS_2_WARNING": "1",
           "PYTHONPATH": os.pathsep.join([str(ROOT), str(FIXTURES)]), **(extra_env or {})}
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config),
                           "-d", str(dest)], cwd=config.parent, env=env, capture_output=True,
                          text=True, timeout=600)


@pytest.fixture(scope="session")
def pyodide_files():
    """The verified Pyodide files (prepared once; CI runs build_assets.py first)."""
    return prepare(ROOT / DEFAULT_CACHE)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve_folder(folder, port=0, handler_class=_QuietHandler):
    """A local HTTP server for ``folder`` in a daemon thread; returns the server."""
    handler = functools.partial(handler_class, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@dataclass
class Site:
    path: Path  # the built site
    url: str  # where it is served


@pytest.fixture(scope="session")
def sites(tmp_path_factory, pyodide_files):
    """``sites("essay", "offline")``: the essay (or ``"fixture"``: pages with a faulty widget)
    built in that mode and served on localhost at a random port, once per session. As a reader
    would find it anywhere: built with no ``SITE_URL``, unless ``site_url=True`` (then it is
    where the site is served, Material's own instant-navigation path); ``prefix="essay/"`` serves
    it under that sub-path, as GitHub Pages serves a repository's site."""
    root = tmp_path_factory.mktemp("sites")
    configs = {"essay": ROOT / "mkdocs.yml", "fixture": FIXTURES / "site" / "mkdocs.yml"}
    built, servers = {}, []

    def get(name, mode="offline", site_url=False, prefix=""):
        key = (name, mode, site_url, prefix)
        if key not in built:
            host = root / "-".join([name, mode, "site_url" * site_url, prefix.strip("/")])
            server = serve_folder(host)  # bound now; the site comes next
            url = f"http://127.0.0.1:{server.server_port}/{prefix}"
            result = build_site(host / prefix, mode, configs[name],
                                extra_env={"SITE_URL": url if site_url else ""})
            assert result.returncode == 0, f"build failed:\n{result.stdout}\n{result.stderr}"
            servers.append(server)
            built[key] = Site(host / prefix, url)
        return built[key]

    yield get
    for server in servers:
        server.shutdown()


# ---- Chromium ---------------------------------------------------------------------------------------

CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run"]


def find_chromium():
    """Debian's chromium here; Google Chrome on GitHub's runners."""
    return next(filter(None, map(shutil.which, ("chromium", "chromium-browser",
                                                "google-chrome"))), None)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    chromium = find_chromium()
    if not chromium:
        pytest.fail("Chromium is required for browser tests: apt-get install chromium")
    return {**browser_type_launch_args, "executable_path": chromium,
            "args": [*browser_type_launch_args.get("args", []), *CHROMIUM_FLAGS]}


class Watch:
    """What a page did: console errors, requests that tried to leave localhost."""

    def __init__(self):
        self.console_errors = []
        self.outside_requests = []

    def assert_clean(self):
        assert self.console_errors == [], f"console errors: {self.console_errors}"


def guard(context, pyodide_files, block_cdn=False):
    """Let nothing outside localhost answer, except Pyodide's CDN folder, answered from the
    verified local copy (so CDN-mode pages are testable offline) unless ``block_cdn``.
    Returns the page factory's ``Watch`` wiring."""
    watch = Watch()

    def route(route):
        url = route.request.url
        if LOCAL.match(url):
            return route.continue_()
        watch.outside_requests.append(url)
        if url.startswith(CDN_URL) and not block_cdn:
            name = url[len(CDN_URL):].split("?")[0]
            if name in pyodide_files:
                return route.fulfill(
                    path=pyodide_files[name],
                    headers={"Access-Control-Allow-Origin": "*",
                             "Content-Type": mimetypes.guess_type(name)[0]
                             or "application/octet-stream"})
        return route.abort("blockedbyclient")

    context.route("**/*", route)

    def new_page():
        page = context.new_page()
        page.on("console", lambda m: m.type == "error" and watch.console_errors.append(m.text))
        page.on("pageerror", lambda e: watch.console_errors.append(f"pageerror: {e}"))
        page.watch = watch
        return page

    return new_page


@pytest.fixture
def offline_page(context, pyodide_files):
    """A page where every request outside localhost is blocked (CDN Pyodide served locally);
    ``page.watch`` has its console errors and the requests that tried to leave."""
    return guard(context, pyodide_files)()


@pytest.fixture
def blocked_page(context, pyodide_files):
    """Like ``offline_page``, but the Pyodide CDN does not answer either."""
    return guard(context, pyodide_files, block_cdn=True)()


def screenshot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)
