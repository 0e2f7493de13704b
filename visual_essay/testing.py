"""Tests every essay gets for free: the widget contract, and the fixtures to test as a reader would.

In an essay's ``tests/conftest.py``::

    pytest_plugins = ["visual_essay.testing"]

and in a test module::

    from visual_essay.testing import WidgetContract

    class TestWidgets(WidgetContract):
        package = "widgets"   # the essay's widget package, beside mkdocs.yml

Every registered widget is then checked, each the moment it is registered: its declarations, a
finite JSON scene at every extreme of its parameters, the same scene for the same parameters, a new
sample for a new seed, hypothesis fuzzing over everything its parameters allow, the build's figure
drawn by matplotlib, and the browser's scene (Pyodide in real Chromium) equal to the build's.

The fixtures (``browser_type_launch_args`` for the system's Chromium, ``pyodide_files``,
``offline_page``, ``blocked_page``, ``no_python_page``) and helpers (``build_site``,
``serve_folder``, ``guard``, ``Sites``, ``placements``, ``table_ready``, ``readout``, ``change``,
``screenshot``) are the ones the engine's own tests, the essay's tests and ``bench/`` use. Browser
tests need Chromium (``apt-get install chromium``) and Pyodide's files (``visual-essay pyodide``);
without them they fail and say so, never skip.
"""

from dataclasses import dataclass
import functools
import http.server
import json
import math
import mimetypes
import os
from pathlib import Path
import re
import shutil
import subprocess
import sys
import textwrap
import threading

import pytest

from . import pyodide as pyodide_assets
from . import snapshots
from .params import KINDS, Seed
from .registry import compute, registry
from .snapshots import extremes

mimetypes.add_type("application/wasm", ".wasm")

LIVE_TIMEOUT = 90_000  # ms: Pyodide starts in seconds; a loaded CI machine can be much slower
LOCAL = re.compile(r"^(https?://(127\.0\.0\.1|localhost)(:\d+)?/|data:|blob:|file:)")
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_addoption(parser):
    parser.addoption(
        "--update-snapshots",
        action="store_true",
        dest="update_snapshots",
        help="rewrite the stored scene snapshots (visual_essay.testing."
        "WidgetContract.snapshots) from what the widgets compute now",
    )


# ---- building and serving a site -----------------------------------------------------------------

# The lines every site's mkdocs.yml needs for widget fences (test sites end with them).
WIDGET_FENCE_YAML = """\
markdown_extensions:
  - pymdownx.superfences:
      custom_fences:
        - name: widget
          class: widget
          format: !!python/name:visual_essay.plugin.widget_fence
"""


def build_site(dest, mode="offline", config="mkdocs.yml", extra_env=None, builder="mkdocs"):
    """``mkdocs build`` (or ``properdocs build``) as an author runs it, in a new process; returns
    the CompletedProcess (check its returncode). The project folder is on the import path."""
    config = Path(config).resolve()
    env = {
        **os.environ,
        "VISUAL_ESSAY_PYODIDE": mode,
        "NO_MKDOCS_2_WARNING": "1",
        **(extra_env or {}),
    }
    env["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(config.parent), env.get("PYTHONPATH", "")])
    )
    return subprocess.run(
        [sys.executable, "-m", builder, "build", "-q", "-f", str(config), "-d", str(dest)],
        cwd=config.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class _Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], ConnectionError):  # a reader who left mid-download
            super().handle_error(request, client_address)


def serve_folder(folder, port=0, handler_class=_QuietHandler):
    """A local HTTP server for ``folder`` in a daemon thread; returns the server."""
    handler = functools.partial(handler_class, directory=str(folder))
    server = _Server(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


# ---- Chromium, with nothing outside localhost ----------------------------------------------------


def find_chromium():
    """Debian's chromium; Google Chrome on GitHub's runners."""
    return next(
        filter(None, map(shutil.which, ("chromium", "chromium-browser", "google-chrome"))), None
    )


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """pytest-playwright launches the system's Chromium (Playwright's own download is not used)."""
    chromium = find_chromium()
    if not chromium:
        pytest.fail("Chromium is required for browser tests: apt-get install chromium")
    return {
        **browser_type_launch_args,
        "executable_path": chromium,
        "args": [*browser_type_launch_args.get("args", []), *CHROMIUM_FLAGS],
    }


@pytest.fixture(scope="session")
def pyodide_files():
    """The verified Pyodide files (fetched once into .cache/pyodide: ``visual-essay pyodide``)."""
    return pyodide_assets.prepare(Path.cwd() / pyodide_assets.DEFAULT_CACHE)


class Watch:
    """What a page did: console errors, requests that tried to leave localhost."""

    def __init__(self):
        self.console_errors = []
        self.outside_requests = []

    def assert_clean(self):
        assert self.console_errors == [], f"console errors: {self.console_errors}"


def guard(context, pyodide_files, block_cdn=False):
    """Let nothing outside localhost answer, except Pyodide's CDN folder, answered from the
    verified local copy (so CDN-mode pages are testable offline) unless ``block_cdn``. Returns a
    page factory; each page has ``page.watch``."""
    watch = Watch()
    cdn = pyodide_assets.CDN_URL

    def route(route):
        url = route.request.url
        if LOCAL.match(url):
            return route.continue_()
        watch.outside_requests.append(url)
        if url.startswith(cdn) and not block_cdn:
            name = url[len(cdn) :].split("?")[0]
            if name in pyodide_files:
                return route.fulfill(
                    path=pyodide_files[name],
                    headers={
                        "Access-Control-Allow-Origin": "*",
                        "Content-Type": mimetypes.guess_type(name)[0] or "application/octet-stream",
                    },
                )
        return route.abort("blockedbyclient")

    context.route("**/*", route)

    def new_page():
        page = context.new_page()
        page.on("console", lambda m: m.type == "error" and watch.console_errors.append(m.text))
        page.on("pageerror", lambda e: watch.console_errors.append(f"pageerror: {e} {e.stack}"))
        page.watch = watch
        return page

    return new_page


@pytest.fixture
def offline_page(context, pyodide_files):
    """A page where every request outside localhost is blocked (CDN Pyodide served locally)."""
    return guard(context, pyodide_files)()


@pytest.fixture
def blocked_page(context, pyodide_files):
    """Like ``offline_page``, but the Pyodide CDN does not answer either."""
    return guard(context, pyodide_files, block_cdn=True)()


# ---- the widget contract -------------------------------------------------------------------------


def assert_close(a, b, where="scene"):
    """Scenes equal within floating-point tolerance (the browser's numpy may be older)."""
    if isinstance(a, dict):
        assert isinstance(b, dict) and a.keys() == b.keys(), where
        for k in a:
            assert_close(a[k], b[k], f"{where}.{k}")
    elif isinstance(a, list):
        assert isinstance(b, list) and len(a) == len(b), f"{where}: {len(a)} vs {len(b)} items"
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            assert_close(x, y, f"{where}[{i}]")
    elif isinstance(a, float) or isinstance(b, float):
        assert math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9), f"{where}: {a} vs {b}"
    else:
        assert a == b, f"{where}: {a!r} vs {b!r}"


def _numbers(obj):
    if isinstance(obj, dict):
        for v in obj.values():
            yield from _numbers(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from _numbers(v)
    elif isinstance(obj, (int, float)) and not isinstance(obj, bool):
        yield obj


class WidgetContract:
    """Subclass it in a test module with ``package = "<your widget package>"``: every widget in
    that package's ``WIDGETS`` gets every test below."""

    package = "widgets"
    max_scene_bytes = 300_000  # the browser receives and the build ships every scene
    fuzz_examples = 40
    # A folder (relative to the test module) of stored scenes, one file per widget at its
    # defaults, all lows and all highs: a change that alters a figure fails until it is rewritten
    # on purpose with `pytest --update-snapshots`. None: no snapshots.
    snapshots = None

    @classmethod
    def widgets(cls):
        return registry(cls.package)

    def pytest_generate_tests(self, metafunc):
        widgets = self.widgets()
        if "seed_param" in metafunc.fixturenames:
            pairs = [
                (n, p.name) for n, m in widgets.items() for p in m.PARAMS if isinstance(p, Seed)
            ]
            metafunc.parametrize("name,seed_param", pairs, ids=[f"{n}.{s}" for n, s in pairs])
        elif "case" in metafunc.fixturenames:
            cases = [(n, c) for n, m in widgets.items() for c in extremes(m)]
            metafunc.parametrize(
                "name,case", cases, ids=[f"{n}-{json.dumps(c, sort_keys=True)}" for n, c in cases]
            )
        elif "name" in metafunc.fixturenames:
            metafunc.parametrize("name", list(widgets))

    def test_declares_a_title_and_sound_parameters(self, name):
        from .fence import FENCE_KEYS

        module = self.widgets()[name]
        assert isinstance(getattr(module, "TITLE", None), str) and module.TITLE, (
            f"{module.__name__}: TITLE, a short text, is missing"
        )
        assert callable(getattr(module, "compute", None)), f"{module.__name__}: no compute()"
        names = [p.name for p in module.PARAMS]
        assert len(names) == len(set(names)), f"{module.__name__}: parameter names repeat"
        assert not set(names) & set(FENCE_KEYS), f"{FENCE_KEYS} are the fence's own keys"
        for p in module.PARAMS:
            assert isinstance(p, KINDS), f"{p!r} is not a declaration"
            assert p.check(p.default) == p.default, f"{p.name}'s default is outside its own range"
            assert p.label, f"{p.name} has no label"

    def test_every_extreme_gives_a_finite_json_scene(self, name):
        for case in extremes(self.widgets()[name]):
            scene = compute(name, case, self.widgets())
            text = json.dumps(scene, allow_nan=False)  # raises on NaN or infinity
            assert len(text) <= self.max_scene_bytes, f"{name}{case}: scene is {len(text)} bytes"
            assert all(math.isfinite(x) for x in _numbers(scene))
            assert scene["panels"] and scene["alt"]
            for p in scene["panels"]:
                for ax in (p["x"], p["y"]):
                    assert ax["lim"][0] < ax["lim"][1], f"{name}{case}: empty axis range"

    def test_the_same_parameters_give_the_same_scene(self, name):
        for case in extremes(self.widgets()[name])[:3]:
            assert compute(name, case, self.widgets()) == compute(name, case, self.widgets())

    def test_a_new_seed_draws_a_new_sample(self, name, seed_param):
        widgets = self.widgets()
        assert compute(name, {seed_param: 1}, widgets) != compute(name, {seed_param: 2}, widgets)

    def test_any_declared_parameters_give_a_finite_deterministic_scene(self, name):
        from hypothesis import HealthCheck, given, settings
        from hypothesis import strategies as st

        widgets = self.widgets()
        space = st.fixed_dictionaries({p.name: p.strategy() for p in widgets[name].PARAMS})

        @settings(
            max_examples=self.fuzz_examples,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=[HealthCheck.too_slow],
        )
        @given(space)
        def check(params):
            first = compute(name, params, widgets)
            json.dumps(first, allow_nan=False)
            assert first == compute(name, params, widgets)

        check()

    def test_the_build_draws_the_figure_at_its_extremes(self, name):
        from .figure import render_panels, to_svg

        module = self.widgets()[name]
        for case in extremes(module)[-2:] + [{}]:
            svgs = [to_svg(f) for f in render_panels(compute(name, case, self.widgets()))]
            assert svgs and all(s.startswith("<svg") for s in svgs)

    def test_the_scenes_match_their_snapshot(self, name, request):
        if self.snapshots is None:
            pytest.skip("this essay keeps no scene snapshots (set `snapshots` to a folder)")
        path = Path(request.module.__file__).parent / self.snapshots / f"{name}.json"
        if request.config.getoption("update_snapshots"):
            snapshots.write(path, name, self.widgets())
        scenes = snapshots.scenes(name, self.widgets())
        assert path.exists(), (
            f"no snapshot of {name}: run pytest --update-snapshots once, look "
            f"at the figure, and commit {path}"
        )
        stored = json.loads(path.read_text())
        for label in scenes:
            assert_close(scenes[label], stored[label], f"{name} at its {label}")

    @pytest.mark.browser
    def test_the_browser_computes_the_scene_the_build_computes(self, essay_python, name, case):
        """Pyodide in Chromium, the reader's runtime, against CPython."""
        reply = essay_python.evaluate(
            "([name, params]) => window.visualEssay.compute(name, params)", [name, case]
        )
        assert "error" not in reply, reply
        assert_close(
            json.loads(reply["scene"]), json.loads(json.dumps(compute(name, case, self.widgets())))
        )

    @pytest.fixture(scope="class")
    @classmethod
    def essay_python(cls, browser, pyodide_files, tmp_path_factory):
        """A page of a one-page site built with this package's widgets, its Python started."""
        site = tmp_path_factory.mktemp("contract")
        project = Path(sys.modules[cls.package.split(".")[0]].__file__).parent.parent
        pyodide_cache = pyodide_files["pyodide.js"].parent.parent  # holds <version>/
        (site / "docs").mkdir()
        (site / "docs" / "index.md").write_text("# The widget contract\n")
        (site / "mkdocs.yml").write_text(
            textwrap.dedent(f"""\
            site_name: Contract
            use_directory_urls: false
            theme: {{name: material, font: false}}
            plugins:
              - visual-essay:
                  pyodide: offline
                  package: {cls.package}
                  cache_dir: {project / ".cache" / "figures"}
                  pyodide_cache: {pyodide_cache}
            """)
            + WIDGET_FENCE_YAML
        )
        result = build_site(
            site / "site", "offline", site / "mkdocs.yml", extra_env={"PYTHONPATH": str(project)}
        )
        assert result.returncode == 0, result.stdout + result.stderr
        server = serve_folder(site / "site")
        context = browser.new_context()
        page = guard(context, pyodide_files)()
        page.goto(f"http://127.0.0.1:{server.server_port}/index.html")
        page.wait_for_function("window.visualEssay")
        page.evaluate("window.visualEssay.startRuntime()")
        yield page
        page.watch.assert_clean()
        context.close()
        server.shutdown()


# ---- built sites, and what a browser test does with a figure -------------------------------------


@dataclass
class Site:
    path: Path  # the built site
    url: str  # where it is served


class Sites:
    """Sites built once and served on localhost, for a test session. ``sites(name, mode)``: the
    site of ``configs[name]`` (an mkdocs.yml) built in that mode and served at a random port. As a
    reader would find it anywhere: built with no ``SITE_URL``, unless ``site_url=True`` (then it is
    where the site is served, Material's own instant-navigation path); ``prefix="essay/"`` serves
    it under that sub-path, as GitHub Pages serves a repository's site. In a conftest::

        @pytest.fixture(scope="session")
        def sites(tmp_path_factory, pyodide_files):
            built = Sites(tmp_path_factory.mktemp("sites"), {"essay": Path("mkdocs.yml")})
            yield built
            built.close()
    """

    def __init__(self, root, configs, extra_env=None):
        self.root, self.configs, self.extra_env = Path(root), configs, extra_env or {}
        self.built, self.servers = {}, []

    def __call__(self, name, mode="offline", site_url=False, prefix=""):
        key = (name, mode, site_url, prefix)
        if key not in self.built:
            host = self.root / "-".join([name, mode, "site_url" * site_url, prefix.strip("/")])
            server = serve_folder(host)  # bound now; the site comes next
            url = f"http://127.0.0.1:{server.server_port}/{prefix}"
            result = build_site(
                host / prefix,
                mode,
                self.configs[name],
                extra_env={**self.extra_env, "SITE_URL": url if site_url else ""},
            )
            if result.returncode != 0:
                server.shutdown()
                pytest.fail(f"building {name} failed:\n{result.stdout}\n{result.stderr}")
            self.servers.append(server)
            self.built[key] = Site(host / prefix, url)
        return self.built[key]

    def close(self):
        for server in self.servers:
            server.shutdown()


def placements(docs):
    """(page, widget name) for every widget fence in a docs folder's Markdown, pages as built
    (``use_directory_urls: false``). A fence inside a four-backtick block is shown, not placed."""
    out = []
    for md in sorted(Path(docs).glob("*.md")):
        text = re.sub(r"````.*?````", "", md.read_text(), flags=re.S)
        for name in re.findall(r"^```widget\n(?:.*\n)*?name: *(\w+)", text, re.M):
            out.append((md.with_suffix(".html").name, name))
    return out


# What a reader sees of a figure: its drawing, its readouts and its text alternative.
FIGURE_SHOWN = (
    "f => f.querySelector('.vw-panels').innerHTML + f.querySelector('.vw-readouts')"
    ".innerHTML + f.querySelector('.vw-figure').getAttribute('aria-label')"
)


@pytest.fixture
def no_python_page(context, pyodide_files):
    """Like ``offline_page``, but Pyodide's files never arrive (the requests hang up, offline or
    from the CDN): the figures answer from their tables only."""
    new_page = guard(context, pyodide_files)
    context.route("**/pyodide/**", lambda route: route.abort("connectionfailed"))
    return new_page()


def table_ready(page, name):
    """The first figure of widget ``name``, scrolled to, once it answers from its table."""
    from playwright.sync_api import expect

    figure = page.locator(f'figure[data-widget="{name}"]').first
    figure.scroll_into_view_if_needed()
    expect(figure).to_have_attribute("data-status", "table", timeout=15_000)
    return figure


def readout(figure, label):
    """The locator of a figure's readout value, by its label."""
    return figure.locator(f"dt:text-is('{label}') + dd")


def change(control):
    """Operate one control (``[data-kind]``) as a reader would, to another value; returns its
    kind. A slider goes to its far end, a choice to another option, a toggle or seed is clicked."""
    kind = control.get_attribute("data-kind")
    if kind == "slider":
        value, high = control.input_value(), control.get_attribute("max")
        control.focus()
        control.press("Home" if float(value) == float(high) else "End")
    elif kind == "choice":
        options = control.locator("option").evaluate_all("os => os.map((o) => o.value)")
        current = control.input_value()
        control.select_option(next(o for o in options if o != current))
    else:
        control.click()
    return kind


def screenshot(page, name, folder="test-results/screenshots"):
    """A full-page screenshot, for a person to look at (``folder`` is relative to where pytest
    runs)."""
    Path(folder).mkdir(parents=True, exist_ok=True)
    page.screenshot(path=Path(folder) / f"{name}.png", full_page=True)
