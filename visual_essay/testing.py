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
import io
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

import numpy as np
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
        help="rewrite the stored snapshots (visual_essay.testing.WidgetContract.snapshots: "
        "scenes; .visual_snapshots: images of the figures) from what the widgets draw now",
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
    # A folder of images of every figure, at its defaults and at each control's ends, in both
    # widths (WIDTHS), compared with a tolerance; rewritten only with --update-snapshots.
    visual_snapshots = None
    # Checks a widget is known to fail, each with its reason, listed in one place so that the
    # suite stays honest: {test name: {widget name, or "name@width": reason}}. Each is marked
    # xfail(strict=True): it must fail, and once the widget is fixed the entry must go.
    known_failures: dict[str, dict[str, str]] = {}

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        # An essay that keeps no snapshots has no snapshot test, rather than one skipped per figure.
        if cls.snapshots is None:
            cls.test_the_scenes_match_their_snapshot = None  # type: ignore[assignment]
        if cls.visual_snapshots is None:
            cls.test_the_figures_match_their_visual_snapshots = None  # type: ignore[assignment]

    @classmethod
    def widgets(cls):
        return registry(cls.package)

    def pytest_generate_tests(self, metafunc):
        widgets = self.widgets()
        test = metafunc.function.__name__
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
        elif "width" in metafunc.fixturenames:
            pairs = [(n, w) for n in widgets for w in WIDTHS]
            metafunc.parametrize(
                "name,width",
                [self._known(test, n, n, f"{n}@{w}", values=(n, w)) for n, w in pairs],
                ids=[f"{n}-{w}" for n, w in pairs],
            )
        elif "name" in metafunc.fixturenames:
            metafunc.parametrize("name", [self._known(test, n, n) for n in widgets])

    def _known(self, test, value, *keys, values=None):
        """A parameter, marked as a known failure when ``known_failures[test]`` lists one of
        ``keys`` (a widget's name, or name@width): it must fail, and says why."""
        reasons = self.known_failures.get(test, {})
        reason = next((reasons[k] for k in keys if k in reasons), None)
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        return pytest.param(*(values if values is not None else (value,)), marks=marks)

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

    def test_a_scene_for_one_width_draws_as_the_full_scene_at_that_width(self, name):
        """The browser asks Python only for the layout the reader's figure shows
        (``scene.only_layout``): each panel as the full scene shows it at that width."""
        from .scene import LAYOUTS, only_layout

        for case in extremes(self.widgets()[name])[:3]:
            full = compute(name, case, self.widgets())
            for which in LAYOUTS:
                with only_layout(which):
                    one = compute(name, case, self.widgets())
                shown = [shown_at(p, which) for p in full["panels"]]
                assert one == {**full, "panels": shown}, f"{name}{case}: the {which} layout differs"

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

    def test_series_told_apart_by_colour_alone_stay_apart_for_every_reader(self, name):
        """Two labelled series in one panel that differ only by colour must differ by
        ``SERIES_MIN_DIFFERENCE`` for readers with deuteranopia, protanopia and tritanopia too
        (in both colour schemes), or carry a second cue: a dash, a marker shape, a different kind
        of mark, or a direct label (a text mark in the series' colour)."""
        from .scene import SERIES_MIN_DIFFERENCE

        problems = []
        for case in extremes(self.widgets()[name]):
            scene = compute(name, case, self.widgets())
            for number, p in enumerate(scene["panels"], 1):
                for a, b, worst, vision in colour_only_pairs(p):
                    problems.append(
                        f"{json.dumps(case)} panel {number}: {a!r} and {b!r} differ only by "
                        f"colour, by {worst:.1f} for {vision} (needs {SERIES_MIN_DIFFERENCE})"
                    )
        assert not problems, f"{name}: " + "; ".join(dict.fromkeys(problems))

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

    @pytest.mark.browser
    def test_both_renderers_draw_the_same_figure(self, figures, name):
        """At its build values and two other settings (all lows, all highs), each panel as
        matplotlib draws it at build time and as the browser draws it, rasterized by Chromium
        at the same size: the same panels, the same pixels (within a small tolerance), the same
        legend entries in the same order, every text within 2 px."""
        problems = []
        for case in [{}, *extremes(self.widgets()[name])[-2:]]:
            scene = json.loads(json.dumps(compute(name, case, self.widgets())))
            for where, build, browser in figures.parity(scene):
                problems += [f"{json.dumps(case)} {where}: {p}" for p in compare(build, browser)]
        assert not problems, f"{name}: " + "; ".join(problems)

    @pytest.mark.browser
    def test_every_text_shows_at_10_px_or_more(self, figures, name, width):
        """Every text of every panel, as rendered (font size times the panel's scale), in the
        build's figure and at its defaults and each control's ends in the browser's."""
        small = [
            f"{view.case} {t['panel']}: {t['s']!r} {t['px']:.1f} px"
            for view in figures.survey(self, name, width)
            for t in view.texts
            if t["px"] < 10 - 1e-6
        ]
        assert not small, f"{name} at {width} px: " + "; ".join(small)

    @pytest.mark.browser
    def test_no_text_collides_and_nothing_is_clipped(self, figures, name, width):
        """Texts do not overlap each other; a legend covers no data; data marks stay inside
        their plot (none clipped) and texts inside their panel, at its defaults and at each
        control's ends."""
        problems = [f"{view.case} {p}" for view in figures.survey(self, name, width)
                    for p in view.problems]  # fmt: skip
        assert not problems, f"{name} at {width} px: " + "; ".join(problems)

    @pytest.mark.browser
    def test_no_label_lies_on_a_line_or_a_dot(self, figures, name, width):
        """A text inside the plot (not the legend's) covers no line, segment, dot, arrow or
        reference line (more than 2 points of its glyphs' box, less a point on each side), at
        the defaults and at each control's ends: a label on the data hides it and is hard to
        read. Labels inside boxes and bands are placed there and are not counted."""
        problems = [f"{view.case} {p}" for view in figures.survey(self, name, width)
                    for p in view.on_data]  # fmt: skip
        assert not problems, f"{name} at {width} px: " + "; ".join(problems)

    @pytest.mark.browser
    def test_a_touch_never_changes_the_figures_height(self, figures, name, width):
        """The figure as built and at its defaults and each control's ends is equally tall
        (within 1 px): a control that grows or shrinks it moves the page under the reader."""
        views = figures.survey(self, name, width)
        first = views[0]
        moved = [
            f"{v.case}: {v.height:.0f} px {v.parts}"
            for v in views
            if abs(v.height - first.height) > 1
        ]
        assert not moved, (
            f"{name} at {width} px, {first.height:.0f} px as built {first.parts}; "
            + "; ".join(moved)
        )

    @pytest.mark.browser
    def test_the_figures_match_their_visual_snapshots(self, figures, name, width, request):
        """Images of the figure at its defaults and at each control's ends, compared with a
        tolerance; rewritten only with --update-snapshots."""
        folder = Path(request.module.__file__).parent / self.visual_snapshots
        update = request.config.getoption("update_snapshots")
        problems = []
        for view in figures.survey(self, name, width):
            if not view.png:  # the build's figure: the parity test holds it to the browser's
                continue
            path = folder / f"{name}-{width}-{view.label}.png"
            if update:
                folder.mkdir(parents=True, exist_ok=True)
                path.write_bytes(view.png)
            if not path.exists():
                problems.append(f"no snapshot {path.name}: run pytest --update-snapshots once, "
                                "look at it, and commit it")  # fmt: skip
                continue
            differs = image_difference(path.read_bytes(), view.png)
            if differs:  # kept beside pytest's temporary files, to look at
                seen = request.getfixturevalue("tmp_path") / path.name
                seen.write_bytes(view.png)
                problems.append(f"{path.name}: {differs} (now: {seen})")
        assert not problems, "; ".join(problems)

    @pytest.fixture(scope="class")
    @classmethod
    def contract_site(cls, pyodide_files, tmp_path_factory):
        """A site built with this package's widgets: an empty page (index.html) and one that
        places every widget at its defaults (figures.html). Yields its URL."""
        site = tmp_path_factory.mktemp("contract")
        project = Path(sys.modules[cls.package.split(".")[0]].__file__).parent.parent
        pyodide_cache = pyodide_files["pyodide.js"].parent.parent  # holds <version>/
        (site / "docs").mkdir()
        (site / "docs" / "index.md").write_text("# The widget contract\n")
        fences = "".join(
            f"```widget\nname: {n}\ncaption: {n} at its defaults.\n```\n\n" for n in cls.widgets()
        )
        (site / "docs" / "figures.md").write_text(f"# Every figure\n\n{fences}")
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
        yield f"http://127.0.0.1:{server.server_port}/"
        server.shutdown()

    @pytest.fixture(scope="class")
    @classmethod
    def essay_python(cls, browser, pyodide_files, contract_site):
        """A page of the contract's site, its Python started."""
        context = browser.new_context()
        page = guard(context, pyodide_files)()
        page.goto(contract_site + "index.html")
        page.wait_for_function("window.visualEssay")
        page.evaluate("window.visualEssay.startRuntime()")
        yield page
        page.watch.assert_clean()
        context.close()

    @pytest.fixture(scope="class")
    @classmethod
    def figures(cls, browser, pyodide_files, contract_site):
        """Every figure placed on a page, as readers who prefer reduced motion see it (a figure
        with motion stays on its still frame), without Python: scenes computed here are drawn
        by the runtime's own renderer."""
        context = browser.new_context(reduced_motion="reduce", device_scale_factor=1)
        context.route("**/pyodide/**", lambda route: route.abort("blockedbyclient"))
        page = guard(context, pyodide_files)()
        page.goto(contract_site + "figures.html")
        yield Figures(page, cls.widgets())
        context.close()


WIDTHS = (1280, 390)  # a desktop's and a phone's viewport, in CSS pixels

# Fixed headers and notices would cover a figure in its screenshots, and so would the controls of
# a figure taller than the screen (which wait at the screen's bottom): they go back to their place.
_HIDE_CHROME = (
    ".md-header, .md-tabs, .vw-notice { display: none !important; }"
    " figure.vw > .vw-controls { position: static !important; }"
)


# ---- colour, as readers with a colour-vision deficiency see it -----------------------------------

VISIONS = ("Deuteranomaly", "Protanomaly", "Tritanomaly")  # at full severity: -anopia


def palettes():
    """{scheme: (palette, background)}: the light palette (scene.PALETTE) and the dark one the
    stylesheet swaps in, each with its page background."""
    from .scene import PALETTE

    css = (Path(__file__).parent / "assets" / "visual-essay.css").read_text()
    dark = css[css.index('[data-md-color-scheme="slate"]') :]
    dark = dark[: dark.index("}")]
    return {
        "light": (PALETTE, "#ffffff"),
        "dark": (dict(re.findall(r"--vw-(\w+): (#[0-9a-fA-F]{6});", dark)), "#1e2129"),
    }


def _lab(rgb, vision=None):
    """CIE Lab of sRGB colours (0-1, shape (..., 3)) as seen with ``vision`` (None: typical)."""
    import colour  # colour-science, the test extra's

    linear = colour.cctf_decoding(np.asarray(rgb, float))
    if vision:
        matrix = colour.blindness.matrix_cvd_Machado2009(vision, 1.0)
        linear = np.clip(linear @ matrix.T, 0, 1)
    xyz = colour.RGB_to_XYZ(linear, colour.RGB_COLOURSPACES["sRGB"], apply_cctf_decoding=False)
    return colour.XYZ_to_Lab(xyz)


def _rgb(hex_):
    return np.array([int(hex_[i : i + 2], 16) / 255 for i in (1, 3, 5)])


def colour_difference(a, b, background="#ffffff", vision=None, opacity=(1.0, 1.0)):
    """CIEDE2000 difference of two colours (hex) drawn at ``opacity`` on ``background``, as
    seen with ``vision`` (one of VISIONS, or None)."""
    import colour

    bg = _rgb(background)
    mixed = [o * _rgb(h) + (1 - o) * bg for h, o in zip((a, b), opacity, strict=True)]
    lab = _lab(np.array(mixed), vision)
    return float(colour.delta_E(lab[0], lab[1], method="CIE 2000"))


_LINES = ("line", "hline", "vline", "segments", "errorbars", "arrow")


def _look(mark):
    """What tells a mark apart besides its colour."""
    kind = mark["kind"]
    family = "line" if kind in _LINES else "dot" if kind == "points" else "fill"
    if family == "fill" and mark.get("stroke") and not mark.get("opacity", 1.0):
        family = "outline"  # an empty box is told from a filled one without its colour
    return (family, mark.get("dash", False), mark.get("shape", "circle"))


def colour_only_pairs(panel):
    """(label, label, difference, vision) for each two labelled series of a panel that differ
    only by colour by less than SERIES_MIN_DIFFERENCE for some reader, in either scheme."""
    from .scene import SERIES_MIN_DIFFERENCE

    series = {}
    for m in panel["marks"]:
        if m.get("label") and m["label"] not in series:
            series[m["label"]] = m
    direct = {m["color"] for m in panel["marks"] if m["kind"] == "text"}  # direct labels
    out = []
    labels = list(series)
    for i, a in enumerate(labels):
        for b in labels[i + 1 :]:
            ma, mb = series[a], series[b]
            if _look(ma) != _look(mb) or {ma["color"], mb["color"]} & direct:
                continue
            opacity = (ma.get("opacity", 1.0), mb.get("opacity", 1.0))
            worst = min(
                (
                    colour_difference(pal[ma["color"]], pal[mb["color"]], bg, v, opacity),
                    f"{v} ({scheme})",
                )  # fmt: skip
                for scheme, (pal, bg) in palettes().items()
                for v in (None, *VISIONS)
            )
            if worst[0] < SERIES_MIN_DIFFERENCE:
                out.append((a, b, worst[0], worst[1].replace("None", "typical vision")))
    return out


# ---- the figures in Chromium: rasters, texts, collisions -----------------------------------------

# The texts, legend and data marks of every displayed panel of a figure, in CSS pixels from the
# panel's top-left corner, and what is wrong with them (layout-free checks need user units: the
# plot box, the legend box and the marks' geometry are read in the SVG's own units).
# Resolves once the page has painted what was drawn (a screenshot taken right after a reload
# and a scroll could show tiles not yet painted: a blank figure).
_PAINTED = "() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))"

_SURVEY = """(root) => {
  const panels = [...root.querySelectorAll(".vw-panels > svg")].filter((s) => s.getClientRects()
    .length);
  const texts = [], problems = [], onData = [];
  const SHRINK = 1;  // px: boxes that merely touch do not collide
  panels.forEach((svg, i) => {
    const name = `panel ${i + 1}` + (svg.classList.contains("vw-narrow") ? " (narrow)" : "");
    const frame = svg.getBoundingClientRect(), scale = svg.getScreenCTM().a;
    const shown = [...svg.querySelectorAll("text")].filter((t) => t.textContent.trim());
    const boxes = shown.map((t) => {
      const r = t.getBoundingClientRect();
      const px = parseFloat(getComputedStyle(t).fontSize) * scale;
      texts.push({ panel: name, s: t.textContent, px });
      return { s: t.textContent, x0: r.left, y0: r.top, x1: r.right, y1: r.bottom };
    });
    for (const b of boxes) {
      if (b.x0 < frame.left + 1 || b.x1 > frame.right - 1 || b.y0 < frame.top + 1 ||
          b.y1 > frame.bottom - 1) {
        problems.push(`${name}: ${JSON.stringify(b.s)} leaves the panel`);
      }
    }
    for (let a = 0; a < boxes.length; a++) {
      for (let b = a + 1; b < boxes.length; b++) {
        const p = boxes[a], q = boxes[b];
        if (Math.min(p.x1, q.x1) - Math.max(p.x0, q.x0) > 2 * SHRINK &&
            Math.min(p.y1, q.y1) - Math.max(p.y0, q.y0) > 2 * SHRINK) {
          problems.push(`${name}: ${JSON.stringify(p.s)} overlaps ${JSON.stringify(q.s)}`);
        }
      }
    }
    const clip = svg.querySelector("clipPath rect");
    if (!clip) return;
    const box = ["x", "y", "width", "height"].map((a) => Number(clip.getAttribute(a)));
    const [bx0, by0, bx1, by1] = [box[0], box[1], box[0] + box[2], box[1] + box[3]];
    const data = [...svg.querySelectorAll("[data-mark]")]
      .filter((g) => !["hline", "vline", "hband", "vband"].includes(g.dataset.mark));
    for (const g of data) {
      const b = g.getBBox();
      if (!b.width && !b.height) continue;
      if (b.x < bx0 - 0.75 || b.y < by0 - 0.75 || b.x + b.width > bx1 + 0.75 ||
          b.y + b.height > by1 + 0.75) {
        problems.push(`${name}: a ${g.dataset.mark} mark is clipped`);
      }
    }
    const point = svg.createSVGPoint();
    // How many points of a box (1 pt apart, inside the plot) lie on the shapes of ``marks``.
    const covered = (l, marks) => {
      const near = (el) => {  // only shapes whose box (and stroke) reaches the box
        const b = el.getBBox(), w = Number(el.getAttribute("stroke-width") || 0) / 2 + 1;
        return b.x - w <= l.x + l.width && b.x + b.width + w >= l.x &&
          b.y - w <= l.y + l.height && b.y + b.height + w >= l.y;
      };
      const shapes = marks.flatMap((g) => [...g.querySelectorAll("path, circle, rect")])
        .filter(near).map((el) => ({ el, fill: el.getAttribute("fill") !== "none" &&
          el.closest("[fill]")?.getAttribute("fill") !== "none",
          stroke: Boolean(el.getAttribute("stroke")) }));
      let count = 0;
      for (let x = Math.max(l.x, bx0); x <= Math.min(l.x + l.width, bx1); x += 1) {
        for (let y = Math.max(l.y, by0); y <= Math.min(l.y + l.height, by1); y += 1) {
          point.x = x; point.y = y;
          if (shapes.some(({ el, fill, stroke }) => (fill && el.isPointInFill(point)) ||
              (stroke && el.isPointInStroke(point)))) count += 1;
        }
      }
      return count;
    };
    // A label on a line or a dot (not on an area: a label inside a box or a band is placed
    // there) is hard to read, and hides the data.
    const strokes = [...svg.querySelectorAll("[data-mark]")].filter((g) => ["line", "segments",
      "points", "arrow", "errorbars", "hline", "vline"]
      .includes(g.dataset.mark));
    for (const t of svg.querySelectorAll("text")) {
      if (!t.textContent.trim() || t.closest(".vw-legend")) continue;
      const r = t.getBBox(), inset = 1;  // the glyphs' box, less a point of air on each side
      const on = covered({ x: r.x + inset, y: r.y + inset, width: r.width - 2 * inset,
                           height: r.height - 2 * inset }, strokes);
      const said = JSON.stringify(t.textContent);
      if (on > 2) onData.push(`${name}: ${said} lies on data (${on} points)`);
    }
    const legend = svg.querySelector(".vw-legend");
    if (!legend || !legend.getBBox().width) return;
    const on = covered(legend.getBBox(), data);
    if (on > 2) problems.push(`${name}: the legend covers data (${on} points)`);
  });
  // The figure's height: a touch that changes it moves the page under the reader.
  const tall = (el) => Math.round(el ? el.getBoundingClientRect().height : 0);
  return { texts, problems, onData, height: root.getBoundingClientRect().height,
           parts: { panels: panels.map(tall), readouts: tall(root.querySelector(".vw-readouts")),
                    message: tall(root.querySelector(".vw-message")) } };
}"""


@dataclass
class View:
    """One figure as shown at one width, at one setting."""

    case: str  # the setting, as JSON ({} for the defaults; "build" for the static figure)
    label: str  # a file name for it
    texts: list
    problems: list
    png: bytes
    height: float  # the whole figure's, in px
    parts: dict  # the heights of its panels, readouts and message, in px
    on_data: list  # labels that lie on a line or a dot


class Figures:
    """The contract site's page of every figure, in Chromium: the two renderers side by side in
    a canvas, and each figure surveyed at a viewport width (texts, collisions, images)."""

    def __init__(self, page, widgets):
        self.page, self.widgets, self.surveys = page, widgets, {}
        self._prepare()

    def _prepare(self):
        """The page ready: its runtime loaded, no fixed header over the figures, a canvas."""
        self.page.wait_for_function("Boolean(window.visualEssay && window.visualEssay.drawScene)")
        self.page.add_style_tag(content=_HIDE_CHROME)
        self.page.evaluate("""() => {
            const box = document.createElement('div');
            box.className = 'vw-panels';
            box.id = 'vw-parity';
            box.style.cssText = 'position:fixed;left:0;top:0;background:#fff;z-index:99;' +
              'container-type:normal;display:block;width:max-content';
            document.body.append(box);
        }""")

    def raster(self, svg):
        """An SVG drawn at its natural size (96 px per inch): its pixels (RGB, 0-1) and its texts
        (content and box in px), and which texts are the legend's, in order."""
        from playwright.sync_api import expect

        self.page.set_viewport_size({"width": 1280, "height": 900})
        info = self.page.evaluate(
            """svg => {
            const box = document.getElementById('vw-parity');
            box.innerHTML = svg;
            const el = box.querySelector('svg');
            el.style.width = `${parseFloat(el.style.getPropertyValue('--w')) * 96}px`;
            el.style.display = 'block';
            const at = el.getBoundingClientRect();
            const texts = [...el.querySelectorAll('text')].map((t) => {
              const r = t.getBoundingClientRect();
              return { s: t.textContent, x: r.left - at.left, y: r.top - at.top,
                       legend: Boolean(t.closest('.vw-legend')) };
            });
            return { texts, width: at.width, height: at.height };
        }""",
            svg,
        )
        element = self.page.locator("#vw-parity svg")
        expect(element).to_be_visible()
        pixels = _decode(element.screenshot())
        return {"pixels": pixels, **info}

    def parity(self, scene):
        """(where, build raster, browser raster) for each panel and layout of a scene."""
        from .figure import render_panel, to_svg

        frame = scene["frames"]["still"] if scene["frames"] else None
        for number, p in enumerate(scene["panels"], 1):
            for variant in ("wide", "narrow") if p["narrow"] else ("wide",):
                build = to_svg(render_panel(p, frame, variant))
                browser = self.page.evaluate(
                    "([p, frame, variant]) => window.visualEssay.renderPanel(p, frame, variant)",
                    [p, frame, variant],
                )
                where = f"panel {number}" + (" (narrow)" if variant == "narrow" else "")
                yield where, self.raster(build), self.raster(browser)

    def survey(self, contract, name, width):
        """The figure of ``name`` at ``width``: the build's, then the browser's at its defaults
        and at each control's ends (once per test session)."""
        key = (name, width)
        if key not in self.surveys:
            self.surveys[key] = list(self._survey(contract, name, width))
        return self.surveys[key]

    def _survey(self, contract, name, width):
        page = self.page
        page.set_viewport_size({"width": width, "height": 900})
        root = page.locator(f'figure[data-widget="{name}"]').first
        panels = root.locator(".vw-panels")
        module = self.widgets[name]
        cases = [("build", "build", None), ("{}", "defaults", {})]
        for p in module.PARAMS:
            low, high = p.ends()
            cases += [(json.dumps({p.name: low}), f"{p.name}-low", {p.name: low}),
                      (json.dumps({p.name: high}), f"{p.name}-high", {p.name: high})]  # fmt: skip
        # Every figure as built, from the top: a restored scroll position (Material restores it
        # after the page loads) would move the figure under a screenshot.
        page.evaluate("() => { history.replaceState(null, ''); scrollTo(0, 0); }")
        page.reload()
        self._prepare()
        # Its table in: nothing the page does on arrival redraws the figure under a screenshot.
        root.evaluate("(root) => new Promise((done) => { const settled = () => !root.dataset.table"
                      " || root.dataset.status !== 'static' ? done() : setTimeout(settled, 20);"
                      " settled(); })")  # fmt: skip
        for case, label, params in cases:
            if params is not None:
                scene = json.loads(json.dumps(compute(name, params, self.widgets)))
                root.evaluate("(root, scene) => window.visualEssay.drawScene(root, scene)", scene)
            root.scroll_into_view_if_needed()
            page.evaluate(_PAINTED)
            found = root.evaluate(_SURVEY)
            png = b"" if params is None else _small_png(panels.screenshot())
            yield View(case, label, found["texts"], found["problems"], png, found["height"],
                       found["parts"], found["onData"])  # fmt: skip


def _decode(png):
    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), float) / 255


def compare(build, browser, tolerance=0.003):
    """What differs between two rasters of one panel: size, pixels (beyond ``tolerance``, the
    share of pixels with no close colour within a pixel in the other), legend entries, texts."""
    a, b = build["pixels"], browser["pixels"]
    if a.shape != b.shape:
        return [f"sizes differ: {a.shape[1]}x{a.shape[0]} vs {b.shape[1]}x{b.shape[0]} px"]
    problems = []
    share = max(_unmatched(a, b), _unmatched(b, a))
    if share > tolerance:
        problems.append(f"{share:.2%} of the pixels differ")
    legend = [[t["s"] for t in r["texts"] if t["legend"]] for r in (build, browser)]
    if legend[0] != legend[1]:
        problems.append(f"legend entries {legend[0]} vs {legend[1]}")
    texts = [sorted((t["s"], t["x"], t["y"]) for t in r["texts"]) for r in (build, browser)]
    if [t[0] for t in texts[0]] != [t[0] for t in texts[1]]:
        problems.append(f"texts {[t[0] for t in texts[0]]} vs {[t[0] for t in texts[1]]}")
    else:
        for (s, x0, y0), (_, x1, y1) in zip(*texts, strict=True):
            if abs(x0 - x1) > 2 or abs(y0 - y1) > 2:
                problems.append(f"{s!r} at ({x0:.1f}, {y0:.1f}) vs ({x1:.1f}, {y1:.1f}) px")
    return problems


def _unmatched(a, b, close=0.2):
    """The share of a's pixels with no pixel of b within one pixel of a close colour."""
    best = np.full(a.shape[:2], np.inf)
    padded = np.pad(b, ((1, 1), (1, 1), (0, 0)), mode="edge")
    h, w = a.shape[:2]
    for dy in (0, 1, 2):
        for dx in (0, 1, 2):
            diff = np.abs(a - padded[dy : dy + h, dx : dx + w]).max(-1)
            best = np.minimum(best, diff)
    return float((best > close).mean())


def _small_png(png):
    """A figure's screenshot, stored small: half size, 16 colours."""
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    image = image.resize((max(1, image.width // 2), max(1, image.height // 2)), Image.LANCZOS)
    out = io.BytesIO()
    image.quantize(16, method=Image.Quantize.MEDIANCUT).save(out, "PNG", optimize=True)
    return out.getvalue()


def image_difference(stored, current, tolerance=0.01):
    """What differs between a stored snapshot and the current image (None: nothing beyond
    ``tolerance``, the share of pixels with no close colour within a pixel)."""
    a, b = _decode(stored), _decode(current)
    if max(abs(a.shape[0] - b.shape[0]), abs(a.shape[1] - b.shape[1])) > 2:
        return f"size {a.shape[1]}x{a.shape[0]} is now {b.shape[1]}x{b.shape[0]} px"
    # A pixel or two of rounding in the element's box (sub-pixel layout) is not a change.
    h, w = min(a.shape[0], b.shape[0]), min(a.shape[1], b.shape[1])
    a, b = a[:h, :w], b[:h, :w]
    share = max(_unmatched(a, b, 0.25), _unmatched(b, a, 0.25))
    return f"{share:.2%} of the pixels changed" if share > tolerance else None


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


def expect_error(figure, message):
    """The figure shows Python's ``message`` as a reader meets it, whichever phase met it: the
    same words inline, announced as an alert, in the figure's label, and no longer waiting."""
    from playwright.sync_api import expect

    said = f"This figure could not be updated: {message}"
    expect(figure).to_have_attribute("data-status", "error")
    expect(figure.locator(".vw-message")).to_have_text(said)
    expect(figure.locator(".vw-message")).to_have_attribute("role", "alert")
    expect(figure.locator(".vw-figure")).to_have_attribute(
        "aria-label", f"Error. {said} The figure below still shows the previous values."
    )
    expect(figure).not_to_have_class(re.compile(r"\bvw-waiting\b"))


def shown_at(panel, layout):
    """A panel of a full scene as the page shows it in the ``layout`` (wide or narrow), as a
    panel with one layout (renderer.js's layoutOf)."""
    narrow = panel["narrow"] if layout == "narrow" else None
    return {**panel, **(narrow or {}), "narrow": None}


def readout(figure, label):
    """The locator of a figure's readout value, by its label."""
    return figure.locator(f"dt:text-is('{label}') + dd")


def change(control):
    """Operate one control (``[data-kind]``) as a reader would, to another value; returns its
    kind. A slider goes to its far end, a choice to another option, a toggle or seed is clicked."""
    kind = control.get_attribute("data-kind")
    unfold = control.locator("xpath=ancestor::figure[1]").locator(".vw-unfold")
    if not control.is_visible() and unfold.is_visible():
        unfold.click()  # a guided figure too tall for the screen folds its controls behind it
    if kind in ("slider", "stops"):
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
