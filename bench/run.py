"""Measure, print, never assert. One command prints every table:

    python bench/run.py                 # all sections
    python bench/run.py live slider     # some of: build live navigation slider profile bytes slow
                                        # lighthouse

Every figure is measured beside its baseline in the same run: the essay's first live widget against
a bare Pyodide + numpy Worker page (the floor) served by the same local server from the same files,
cold cache, median of several loads. Results are also written to bench/results/latest.json.
"""

import argparse
import gzip
import http.server
import io
import json
import os
import re
from pathlib import Path
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

from visual_essay.testing import CHROMIUM_FLAGS, build_site, find_chromium, serve_folder

ROOT = Path(__file__).resolve().parent.parent

RESULTS = ROOT / "bench" / "results"
COMPRESSIBLE = (".html", ".css", ".js", ".json", ".xml", ".svg", ".map")


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Serves text gzip-compressed, as GitHub Pages does (Python's http.server does not), each
    file compressed once, as a CDN keeps it: compressed at every request, the server's own CPU
    (73 ms per load of the essay's first page, 30 of the bare page) ran on the 2 cores Pyodide
    was compiling on."""

    compressed: dict = {}  # (path, mtime, size) → gzip body

    def log_message(self, *args):
        pass

    def send_head(self):
        path = self.translate_path(self.path)
        if (not path.endswith(COMPRESSIBLE) or "gzip" not in self.headers.get("Accept-Encoding", "")
                or not os.path.isfile(path)):
            return super().send_head()
        stat = os.stat(path)
        key = (path, stat.st_mtime_ns, stat.st_size)
        if key not in self.compressed:
            self.compressed[key] = gzip.compress(Path(path).read_bytes(), compresslevel=6)
        body = self.compressed[key]
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)
LOADS = 5


def median(xs):
    return statistics.median(xs) if xs else float("nan")


def p95(xs):
    return sorted(xs)[max(0, int(round(0.95 * len(xs))) - 1)] if xs else float("nan")


def table(title, header, rows):
    print(f"\n## {title}\n")
    print("| " + " | ".join(header) + " |")
    print("| " + " | ".join("---" for _ in header) + " |")
    for row in rows:
        print("| " + " | ".join(str(c) for c in row) + " |")


# ---- the site -----------------------------------------------------------------------------------

def built_site(reuse=False):
    """The essay in offline mode with no SITE_URL, the floor pages beside it, served on localhost
    with gzip on two hosts: under a sub-path (``/site/``, as GitHub Pages serves a repository) and
    at the root of another port. Returns ({host: url}, pages with widgets, every page)."""
    site = RESULTS / "site"
    RESULTS.mkdir(parents=True, exist_ok=True)
    result = (None if reuse and (site / "index.html").exists() else
              build_site(site, "offline", ROOT / "mkdocs.yml", extra_env={"SITE_URL": ""}))
    if result and result.returncode:
        sys.exit(result.stdout + result.stderr)
    shutil.copytree(ROOT / "bench" / "floor", site / "floor", dirs_exist_ok=True)
    hosts = {"sub-path": f"http://127.0.0.1:{serve(RESULTS)}/site/",
             "root": f"http://127.0.0.1:{serve(site)}/"}
    # The chapters in reading order, as mkdocs.yml's nav lists them, then the pages outside it.
    listed = re.findall(r"^\s+- [^:\n]+: (\S+)\.md$", (ROOT / "mkdocs.yml").read_text(), re.M)
    nav = [f"{name}.html" for name in listed]
    nav += sorted(p.name for p in site.glob("*.html") if p.name not in nav and p.name != "404.html")
    pages = [p for p in nav if (site / p).exists()
             and re.search(r'<figure class="vw[^"]*"[^>]*data-widget=', (site / p).read_text())]
    everything = [p for p in nav if (site / p).exists()]
    return hosts, pages, everything


def serve(folder):
    return serve_folder(folder, handler_class=GzipHandler).server_port


def browser(playwright):
    return playwright.chromium.launch(executable_path=find_chromium(),
                                      args=CHROMIUM_FLAGS)


# ---- sections -----------------------------------------------------------------------------------

def bench_build(results):
    """Full build from a cold figure cache, a warm rebuild, and a rebuild after one widget
    changes (in one process, as `mkdocs serve` rebuilds)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "project"
        shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(
            "site", "bench", "test-results", ".git", "figures", "__pycache__", ".venv", "dist"))
        (copy / ".cache" / "pyodide").mkdir(parents=True, exist_ok=True)
        if (ROOT / ".cache" / "pyodide").exists():
            shutil.copytree(ROOT / ".cache" / "pyodide", copy / ".cache" / "pyodide",
                            dirs_exist_ok=True)
        env = {"VISUAL_ESSAY_PYODIDE": "cdn"}
        start = time.perf_counter()
        cold = build_site(Path(tmp) / "site", "cdn", copy / "mkdocs.yml", env)
        cold_s = time.perf_counter() - start
        if cold.returncode:
            sys.exit(cold.stdout + cold.stderr)
        start = time.perf_counter()
        build_site(Path(tmp) / "site", "cdn", copy / "mkdocs.yml", env)
        warm_s = time.perf_counter() - start

        cwd = os.getcwd()
        os.chdir(copy)
        sys.path.insert(0, str(copy))
        try:
            def in_process():
                config = load_config(str(copy / "mkdocs.yml"), site_dir=str(Path(tmp) / "s2"))
                start = time.perf_counter()
                build(config)
                return time.perf_counter() - start
            in_process()  # imports and warm cache, as a running `mkdocs serve` has them
            unchanged = in_process()
            widget = copy / "widgets" / "bins.py"
            widget.write_text(widget.read_text().replace("range / (2·bins)", "range/(2·bins)"))
            changed = in_process()
        finally:
            os.chdir(cwd)
            sys.path.remove(str(copy))
    results["build"] = {"cold_s": cold_s, "warm_s": warm_s, "rebuild_unchanged_s": unchanged,
                        "rebuild_one_widget_changed_s": changed}
    table("Build", ["what", "seconds", "target"], [
        ["full build, cold figure cache (`mkdocs build`, new process)", f"{cold_s:.2f}", "≤ 60"],
        ["full build, warm cache (new process)", f"{warm_s:.2f}", ""],
        ["rebuild in a running process, nothing changed", f"{unchanged:.2f}", ""],
        ["rebuild in a running process, `bins.py` changed", f"{changed:.2f}", "≤ 3"],
    ])


LONG_TASKS = """window.longTasks = [];
new PerformanceObserver((list) => window.longTasks.push(...list.getEntries().map((e) =>
  [e.startTime, e.duration]))).observe({ type: "longtask", buffered: true });"""

BOOT = """() => {
  const t = window.visualEssay.timings || {}, at = (ms) => ms - performance.timeOrigin;
  const busy = window.longTasks.filter(([s]) => s < window.visualEssay.firstLive)
    .reduce((sum, [, d]) => sum + d, 0);
  return { ...Object.fromEntries(Object.entries(t).map(([k, v]) => [k, at(v)])),
           firstLive: window.visualEssay.firstLive, mainThreadLongTasks: busy };
}"""


def first_live(page, url):
    """Seconds from navigation until the first widget is live; the URL's #fragment scrolls the
    reader to it, as a shared link to a figure would. The worker's steps and the main thread's
    long tasks until then go to first_live.boots."""
    page.add_init_script(LONG_TASKS)
    page.goto(url)
    page.wait_for_function("window.visualEssay && window.visualEssay.firstLive", timeout=120_000)
    first_live.boots.append(page.evaluate(BOOT))
    return page.evaluate("window.visualEssay.firstLive") / 1000


first_live.boots = []


def floor_ready(page, url):
    page.goto(url)
    page.wait_for_function("window.floorReady", timeout=120_000)
    return page.evaluate("window.floorReady") / 1000


def worker_alone(page, url):
    """floor_ready for the essay's worker on an empty page; its steps go to worker_alone.boots."""
    ready = floor_ready(page, url)
    worker_alone.boots.append(page.evaluate("window.workerSteps"))
    return ready


worker_alone.boots = []


FIRST_ANSWER = """async ([pagesFirst, reach]) => {
  // The first figure that answers (from its table or from Python), or with pagesFirst the page's
  // first figure once it answers: change its first control as a reader would and wait for the
  // figure drawn from it. A slider moves to its end, or with reach 'step' one step (a drag's or
  // an arrow key's first input). Returns [first contentful paint, answered, from where], since
  // navigation.
  const root = await new Promise((resolve) => {
    const look = () => {
      const answers = (f) => f && ['table', 'live'].includes(f.dataset.status);
      const f = pagesFirst ? document.querySelector('figure.vw[data-widget]')
        : [...document.querySelectorAll('figure.vw')].find(answers);
      if (answers(f)) resolve(f); else requestAnimationFrame(look);
    };
    look();
  });
  const el = root.querySelector('.vw-controls [data-kind]');
  const drawn = new Promise((r) => root.addEventListener('vw:drawn', (e) => r(e.detail.source),
                                                          { once: true }));
  if (el.dataset.kind === 'choice') el.selectedIndex = (el.selectedIndex + 1) % el.options.length;
  else if (el.dataset.kind === 'toggle') el.checked = !el.checked;
  else if (el.dataset.kind === 'seed') el.click();
  else if (reach === 'step') {
    const step = +el.step || 1, up = +el.value + step;
    el.value = up <= +el.max ? up : +el.value - step;
  }
  else el.value = el.max;
  if (el.dataset.kind !== 'seed') el.dispatchEvent(new Event('input', { bubbles: true }));
  const source = await drawn;
  const answered = performance.now();
  // First paint may come after the answer: the page's stylesheets still on their way.
  const fcp = await new Promise((r) => new PerformanceObserver((list, observer) => {
    const entry = list.getEntries().find((e) => e.name === 'first-contentful-paint');
    if (entry) { observer.disconnect(); r(entry.startTime); }
  }).observe({ type: 'paint', buffered: true }));
  return [fcp, answered, source];
}"""


def first_answer(page, url):
    """Seconds from navigation until the first figure has answered a changed control."""
    page.goto(url)
    _, at, source = page.evaluate(FIRST_ANSWER, [False, 'end'])
    first_answer.sources.append(source)
    return at / 1000


first_answer.sources = []


def bench_live(results, url, pages, pw):
    b = browser(pw)
    runs = {"floor (worker)": [], "main thread": [], "the essay's worker alone": [],
            "essay: first widget live in Python": [], "essay: first control answered": []}
    for _ in range(LOADS):  # interleaved, so machine noise hits them all alike
        for name, target, fn in (("floor (worker)", "floor/floor.html", floor_ready),
                                 ("main thread", "floor/main-thread.html", floor_ready),
                                 ("the essay's worker alone", "floor/essay-worker.html",
                                  worker_alone),
                                 ("essay: first widget live in Python",
                                  pages[0] + "#vw-vlm_vla", first_live),
                                 ("essay: first control answered", pages[0] + "#vw-vlm_vla",
                                  first_answer)):
            context = b.new_context()  # a new profile: cold HTTP cache
            runs[name].append(fn(context.new_page(), url + target))
            context.close()
    b.close()
    floor = median(runs["floor (worker)"])
    rows = [[name, f"{median(v):.2f}", f"{min(v):.2f}–{max(v):.2f}", f"{median(v) / floor:.2f}×"]
            for name, v in runs.items()]
    results["live"] = {k: v for k, v in runs.items()}
    results["first_answer_sources"] = first_answer.sources
    table(f"From navigation, cold cache, median of {LOADS} (essay: {pages[0]}; targets: first "
          f"control answered ≤ 0.3× floor, first widget live in Python ≤ 1.0× floor)",
          ["page", "seconds", "range", "vs floor"], rows)
    print(f"\n(first answers came from: {', '.join(sorted(set(first_answer.sources)))})")
    steps = ("workerStarted", "loaderFetched", "pyodideLoaded", "numpyImported", "firstLive",
             "mainThreadLongTasks")
    boots, alone = first_live.boots, worker_alone.boots
    results["boot"], results["boot_worker_alone"] = boots, alone

    def at(runs, k):
        found = [b[k] for b in runs if k in b]
        return f"{median(found):.0f}" if found else ""

    table("Where the first widget's start goes (ms since navigation, median of the loads above; "
          "beside it, the same worker on an empty page; the last row: the main thread's long "
          "tasks until then, which share the 2 cores with the worker)",
          ["step", "essay page", "the essay's worker alone"],
          [[k, at(boots, k), at(alone, k)] for k in steps])
    busy = main_thread_profile(pw, url + pages[0] + "#vw-vlm_vla")
    results["main_thread_until_live"] = busy
    table(f"The essay page's main thread from navigation until its first widget is live, by "
          f"script (Chromium's CPU profiler, {PROFILE_LOADS} more cold loads, ms each; "
          f"\"(program)\": the browser's own work, parsing, style, layout and paint)",
          ["script", "ms"], [[name, f"{ms:.0f}"] for name, ms in busy.items()])


PROFILE_LOADS = 3


def main_thread_profile(pw, url):
    """{script: ms of main-thread CPU per load} from navigation to the first live widget (idle
    time left out), from Chromium's sampling profiler: what the page does while Pyodide starts."""
    b = browser(pw)
    spent: dict = {}
    for _ in range(PROFILE_LOADS):
        context = b.new_context()
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Profiler.enable")
        cdp.send("Profiler.setSamplingInterval", {"interval": 200})  # µs
        cdp.send("Profiler.start")
        page.goto(url)
        page.wait_for_function("window.visualEssay && window.visualEssay.firstLive",
                               timeout=120_000)
        profile = cdp.send("Profiler.stop")["profile"]
        frames = {n["id"]: n["callFrame"] for n in profile["nodes"]}
        for sample, delta in zip(profile["samples"], profile["timeDeltas"]):
            frame = frames[sample]
            script = frame["url"].rsplit("/", 1)[-1] or frame["functionName"]
            if script != "(idle)":
                spent[script] = spent.get(script, 0) + delta / 1000 / PROFILE_LOADS
        context.close()
    b.close()
    top = sorted(spent.items(), key=lambda kv: -kv[1])
    return dict(top[:6] + [("the rest", sum(ms for _, ms in top[6:]))])


CONTENT = "document.querySelector('[data-md-component=container]')"


def bench_navigation(results, hosts, pw):
    """Walk every chapter by its "next" link, on each host: click → the chapter's first widget
    live, for every chapter with widgets after the first (no second Pyodide)."""
    b = browser(pw)
    rows, out = [], {}
    for host, url in hosts.items():
        times, loads = [], []
        for _ in range(3):
            context = b.new_context()
            page = context.new_page()
            first_live(page, url + "index.html")
            page.wait_for_timeout(1000)  # a reader reads before moving on (the worker settles)
            page.evaluate("window.sameVisit = true")
            while page.locator("a.md-footer__link--next").count():
                before = page.url
                page.evaluate("document.querySelector('a.md-footer__link--next')"
                              ".scrollIntoView()")
                page.evaluate(f"{CONTENT}.dataset.old = 'yes'")
                start = page.evaluate("performance.now()")
                page.click("a.md-footer__link--next")
                page.wait_for_function("u => location.href !== u", arg=before)
                page.wait_for_function(f"!{CONTENT}.dataset.old")  # the new chapter is in
                if not page.evaluate("window.sameVisit === true"):
                    loads.append(page.url)  # a new document: instant navigation failed
                    page.evaluate("window.sameVisit = true")
                if page.locator("figure.vw").count():
                    page.wait_for_function("[...document.querySelectorAll('figure.vw')]"
                                           ".some(f => f.dataset.status === 'live')",
                                           timeout=60_000)
                    times.append(page.evaluate("performance.now()") - start)
                    page.wait_for_timeout(300)
            context.close()
        out[host] = {"ms": times, "full_page_loads": loads}
        rows.append([host, url, len(times), f"{median(times):.0f}", f"{max(times):.0f}",
                     len(loads), "≤ 200"])
    b.close()
    results["navigation"] = out
    table("Next chapter after instant navigation (click → its first widget live), every chapter, "
          "3 walks, built with no SITE_URL", ["host", "address", "chapters", "median ms",
                                              "max ms", "full page loads", "target"], rows)


SLIDER_LOOP = """async ([index, count]) => {
  const root = document.querySelectorAll('figure.vw')[index];
  const input = root.querySelector('input[type=range]');
  if (!input) return null;
  const min = +input.min, max = +input.max, step = +input.step || 1;
  const steps = Math.max(1, Math.round((max - min) / step));
  const times = [], sources = [], computed = [], python = [], drawing = [], parts = [];
  const table = root.vw.table;
  root.vw.table = null;  // every input answered by Python, none from the page's table
  for (let i = 0; i < count; i++) {
    // One input per frame, as a dragged slider delivers them (the previous figure is painted).
    await new Promise((resolve) => requestAnimationFrame(() => resolve()));
    let k = (i * 37) % (steps + 1);
    if (min + step * k === +input.value) k = (k + 1) % (steps + 1);
    input.value = String(min + step * k);
    // Input event to SVG in the DOM and laid out: the runtime announces each draw.
    const drawn = new Promise((resolve) => root.addEventListener('vw:drawn', (e) => {
      const at = performance.now();
      root.querySelector('.vw-panels').getBoundingClientRect();  // laid out, not just parsed
      resolve([performance.now(), e.detail.source, e.detail.pythonMs, e.detail.drawMs,
               { ...e.detail, layoutMs: performance.now() - at, announcedAt: at }]);
    }, { once: true }));
    const t0 = performance.now();
    input.dispatchEvent(new Event('input', { bubbles: true }));
    const done = await Promise.race([drawn, new Promise((r) => setTimeout(() => r(null), 5000))]);
    if (done === null) return { error: root.querySelector('.vw-message').textContent };
    // Every answer counts (Python's, or a scene it computed lately that the value came back to).
    times.push(done[0] - t0);
    sources.push(done[1]);
    if (done[1] === 'python') {
      computed.push(done[0] - t0); python.push(done[2]); drawing.push(done[3]);
      const d = done[4];  // the rest: the input's handling before the request was sent
      parts.push({ total: done[0] - t0, input: d.announcedAt - t0 - d.ms, there: d.thereMs,
                   worker: d.tripMs - d.thereMs - d.backMs, python: d.pythonMs, back: d.backMs,
                   parse: d.parseMs, draw: d.drawMs, layout: d.layoutMs });
    }
  }
  root.vw.table = table;
  return { widget: root.dataset.widget, name: input.name, times, sources, computed, python,
           drawing, parts };
}"""


def bench_slider(results, url, pages, pw, count=200):
    """Slider input → SVG drawn, for the first slider of every widget."""
    b = browser(pw)
    context = b.new_context()
    page = context.new_page()
    rows, out, where, slowest = [], {}, [], []
    for target in pages:
        page.goto(url + target)
        page.wait_for_function("window.visualEssay && window.visualEssay.firstLive",
                               timeout=120_000)
        for i in range(page.locator("figure.vw").count()):
            page.locator("figure.vw").nth(i).scroll_into_view_if_needed()
            page.wait_for_function(f"document.querySelectorAll('figure.vw')[{i}]"
                                   ".dataset.status === 'live'", timeout=60_000)
            # A reader reads before moving a slider: the page's figures warmed first (the
            # worker's idle-time computes, registry.warm), then a second.
            page.wait_for_function("!window.visualEssay.warming", timeout=60_000)
            page.wait_for_timeout(1000)
            r = page.evaluate(SLIDER_LOOP, [i, count])
            if not r or "times" not in r:
                continue
            t, c, py, dr = r["times"], r["computed"], r["python"], r["drawing"]
            out[r["widget"]] = {"all": t, "sources": r["sources"], "python": c, "in_python": py,
                                "drawing": dr, "parts": r["parts"]}
            if r["parts"]:
                where.append(where_it_goes(r["widget"], r["parts"]))
                tenth = sorted(r["parts"], key=lambda x: -x["total"])[:max(1, len(c) // 10)]
                slowest.append(where_it_goes(r["widget"], tenth))
            rows.append([r["widget"], r["name"], len(t), len(t) - len(c), f"{t[0]:.1f}",
                         f"{median(t):.1f}",
                         f"{p95(t):.1f}", f"{median(c):.1f}", f"{p95(c):.1f}", f"{median(py):.1f}",
                         f"{p95(py):.1f}", f"{p95(dr):.1f}"])
    b.close()
    results["slider_ms"] = out
    table(f"Slider input → SVG drawn, the page's table set aside: every input answered by Python "
          f"or, for a value it came back to, by a scene Python computed lately ({count} inputs "
          f"each, one per frame, k·37 steps along the slider, from a second after the page's "
          f"figures were warmed; target p95 ≤ 16 ms)",
          ["widget", "slider", "inputs", "of them recent", "first ms", "median ms", "p95 ms",
           "computed: median ms", "computed: p95 ms", "in Python, median ms",
           "in Python, p95 ms", "drawing p95 ms"], rows)
    table("Where a computed answer's time goes, median ms of the inputs Python answered above: the "
          "input handled until its request was sent; the request's way to the worker; the "
          "worker's own time besides Python's; Python; the reply's way back; the scene's JSON "
          "parsed; drawn; laid out",
          ["widget", "answers", *SLIDER_PARTS, "input to laid out"], where)
    table("The same for the slowest tenth of each widget's computed answers (the p95's side)",
          ["widget", "answers", *SLIDER_PARTS, "input to laid out"], slowest)


# Input handled until the request was sent; the request's way to the worker; the worker's own
# time besides Python's; Python; the reply's way back; the JSON parsed; drawn; laid out.
SLIDER_PARTS = ("input", "there", "worker", "python", "back", "parse", "draw", "layout")


def where_it_goes(widget, parts):
    def part(k):  # a runtime without the worker's stamps gives none for there, worker, back
        return median([x[k] for x in parts if isinstance(x.get(k), (int, float))])

    return [widget, len(parts), *(f"{part(k):.1f}" for k in SLIDER_PARTS), f"{part('total'):.1f}"]


def bench_profile(results, count=60):
    """Where a slider's Python time goes, profiled here in CPython over the values the slider
    table uses: the widget's own maths, the engine's scene and layout, JSON, numpy, the rest;
    beside the time the browser measured in Pyodide for the same widget (its ratio to CPython).
    Computed as the browser asks at 1280 px, for the wide layout only; beside it, the same
    values with both layouts (what every answer cost before scene.only_layout)."""
    import cProfile
    import pstats

    sys.path.insert(0, str(ROOT))
    from visual_essay.params import Slider
    from visual_essay.registry import compute_json, registry

    widgets = registry("widgets")
    measured = results.get("slider_ms", {})
    rows, out = [], {}
    for name, module in widgets.items():
        slider = next((p for p in module.PARAMS if isinstance(p, Slider)), None)
        if slider is None:
            continue
        steps = max(1, round((slider.max - slider.min) / slider.step))
        values = [slider.min + slider.step * ((i * 37) % (steps + 1)) for i in range(count)]
        compute_json(name, "{}")  # imports and prepared values, as the worker has them

        # ms per compute, the best of three passes each, taken in turns (the profiler, below,
        # adds its own time)
        passes: dict = {"wide": [], None: []}
        for _ in range(3):
            for layout, times in passes.items():
                started = time.perf_counter()
                for v in values:
                    compute_json(name, json.dumps({slider.name: v}), layout=layout)
                times.append((time.perf_counter() - started) / count * 1000)
        wall, both = min(passes["wide"]), min(passes[None])
        profile = cProfile.Profile()
        profile.enable()
        for v in values:
            compute_json(name, json.dumps({slider.name: v}), layout="wide")
        profile.disable()
        shares = dict.fromkeys(("widget maths", "engine: scene and layout", "JSON", "numpy",
                                "rest"), 0.0)
        for (file, _, function), (*_, own, _cumulative, _callers) in pstats.Stats(profile).stats.items():
            kind = ("widget maths" if "/widgets/" in file else
                    "engine: scene and layout" if "visual_essay" in file else
                    "JSON" if "json" in file or "_json" in function else
                    "numpy" if "numpy" in file or "numpy" in function or "ufunc" in function
                    or "ndarray" in function else "rest")
            shares[kind] += own
        total = sum(shares.values()) or 1
        pyodide = median(measured.get(name, {}).get("in_python", []))
        out[name] = {"cpython_ms": wall, "both_layouts_ms": both,
                     **{k: v / total for k, v in shares.items()}, "pyodide_ms": pyodide}
        rows.append([name, slider.name, f"{wall:.2f}", f"{both:.2f}", f"{wall / both:.2f}",
                     *(f"{shares[k] / total * 100:.0f}%" for k in shares),
                     f"{pyodide:.1f}" if pyodide == pyodide else "",
                     f"{pyodide / wall:.1f}×" if pyodide == pyodide else ""])
    results["profile"] = out
    table(f"Where a slider's Python time goes: CPython, {count} computes over the slider table's "
          "values, shares of the profiled time (cProfile), and the browser's median in Pyodide "
          "for the same widget when the slider section ran",
          ["widget", "slider", "CPython ms per compute (wide layout)", "both layouts ms",
           "wide / both", *shares, "Pyodide median ms", "Pyodide / CPython"], rows)


# Lighthouse's 3G: 300 ms round trips, 0.7 Mb/s down (bytes per second for Chromium).
THREE_G = {"offline": False, "latency": 300, "downloadThroughput": 700e3 / 8,
           "uploadThroughput": 700e3 / 8}


def bench_slow(results, url, pages, pw, loads=3):
    """On 3G, gzip-served, cold cache: first contentful paint (the baseline) and the first
    figure's first control answered, on every page with figures; median of ``loads``. A slider
    is moved twice over, in separate loads: one step (a drag's or an arrow key's first input,
    what the part of the table a reader reaches first holds) and to its end (a click there)."""
    b = browser(pw)
    rows, out = [], {}
    for target in pages:
        runs = {"step": [], "end": []}
        for _ in range(loads):
            for reach, kept in runs.items():
                context = b.new_context()
                page = context.new_page()
                cdp = context.new_cdp_session(page)
                cdp.send("Network.enable")
                cdp.send("Network.emulateNetworkConditions", THREE_G)
                page.goto(url + target, wait_until="commit", timeout=120_000)
                fcp, answered, source = page.evaluate(FIRST_ANSWER, [True, reach])
                kept.append((fcp / 1000, answered / 1000, source))
                context.close()
        out[target] = {reach: {"fcp_s": [r[0] for r in kept], "answered_s": [r[1] for r in kept],
                               "sources": [r[2] for r in kept]} for reach, kept in runs.items()}
        every = runs["step"] + runs["end"]
        gaps = {reach: median([r[1] - r[0] for r in kept]) for reach, kept in runs.items()}
        rows.append([target, f"{median([r[0] for r in every]):.2f}",
                     f"{median([r[1] for r in runs['step']]):.2f}", f"{gaps['step']:.2f}",
                     f"{median([r[1] for r in runs['end']]):.2f}", f"{gaps['end']:.2f}",
                     ", ".join(sorted({r[2] for r in every})), "≤ 1.0"])
    b.close()
    results["slow_3g"] = out
    table(f"On 3G (300 ms RTT, 0.7 Mb/s, gzip-served, cold cache; median of {loads}): the first "
          f"figure's first control answered, beside first contentful paint; a slider moved one "
          f"step, or to its end", ["page", "FCP s", "one step: answered s", "− FCP s",
                                   "to its end: answered s", "− FCP s", "from", "target s"], rows)


# Bytes per page a reader downloads (gzip, as GitHub Pages serves them), and the budget we hold:
# before first paint, Material's own CSS and JS (~90 kB), the chapter (≤ 35 kB) and, on pages with
# formulas, KaTeX's stylesheet and fonts; the table; the runtime (script and stylesheet).
BUDGET = {"before first paint": 250e3, "table": 300e3, "runtime": 30e3}


def kind_of(url):
    if "/tables/" in url:
        return "table"
    if "/pyodide/" in url or "cdn.jsdelivr" in url:
        return "pyodide"
    if "/katex/" in url:
        return "katex"
    if "/assets/visual-essay/widgets-" in url:
        return "widgets"  # the widgets' Python, fetched by the worker with Pyodide
    if "/assets/visual-essay/" in url:
        return "runtime"
    return "page"


def bench_bytes(results, url, pages, pw):
    """Bytes fetched before first contentful paint, the page's table, the runtime, Pyodide."""
    b = browser(pw)
    rows, out = [], {}
    for target in pages:
        context = b.new_context()
        page = context.new_page()
        fetched = []

        def done(request):
            try:
                size = request.sizes()
                fetched.append((time.perf_counter(), kind_of(request.url),
                                size["responseBodySize"] + size["responseHeadersSize"]))
            except Exception:
                pass

        page.on("requestfinished", done)
        origin = time.perf_counter()
        page.goto(url + target)
        fcp = page.evaluate("""new Promise(r => new PerformanceObserver((l, o) => {
            const e = l.getEntries().find(e => e.name === 'first-contentful-paint');
            if (e) { o.disconnect(); r(e.startTime); }
          }).observe({ type: 'paint', buffered: true }))""") / 1000
        page.wait_for_function("window.visualEssay && window.visualEssay.firstLive",
                               timeout=120_000)
        page.wait_for_timeout(300)
        before_fcp = sum(n for t, _, n in fetched if t - origin <= fcp + 0.05)
        by_kind = {k: sum(n for _, kind, n in fetched if kind == k)
                   for k in ("page", "table", "runtime", "katex", "widgets", "pyodide")}
        out[target] = {"fcp_s": fcp, "bytes_before_fcp": before_fcp, **by_kind}
        rows.append([target, f"{fcp:.2f}", f"{before_fcp / 1e3:.0f} kB",
                     f"{by_kind['table'] / 1e3:.0f} kB", f"{by_kind['runtime'] / 1e3:.0f} kB",
                     f"{by_kind['katex'] / 1e3:.0f} kB", f"{by_kind['widgets'] / 1e3:.0f} kB",
                     f"{by_kind['pyodide'] / 1e6:.1f} MB"])
        context.close()
    b.close()
    results["bytes"] = out
    over = [f"{page} {k}" for page, v in out.items() for k, limit in
            (("bytes_before_fcp", BUDGET["before first paint"]), ("table", BUDGET["table"]),
             ("runtime", BUDGET["runtime"])) if v[k] > limit]
    table("Bytes per page, cold cache, gzip-served (budget: before first paint ≤ 250 kB, "
          "table ≤ 300 kB, runtime ≤ 30 kB)",
          ["page", "FCP s", "before FCP", "table", "runtime", "KaTeX", "widgets' Python",
           "Pyodide"], rows)
    print(f"\n(over budget: {', '.join(over) if over else 'nothing'})")


def bench_lighthouse(results, url, pages):
    npx = shutil.which("npx")
    if not npx:
        print("\n(lighthouse: npx not found)")
        return
    rows, out, causes = [], {}, []
    env = {**os.environ, "CHROME_PATH": find_chromium()}
    for target in pages:
        proc = subprocess.run(
            [npx, "--yes", "lighthouse@12", url + target, "--quiet", "--output=json",
             "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
             "--only-categories=performance,accessibility,best-practices,seo"],
            capture_output=True, text=True, env=env, timeout=600)
        if proc.returncode:
            rows.append([target, "failed: " + proc.stderr.strip().splitlines()[-1][:80], "", "",
                         "", "", "", ""])
            continue
        report = json.loads(proc.stdout)
        scores = {k: round(v["score"] * 100) for k, v in report["categories"].items()}
        metrics = {k: report["audits"][k]["numericValue"] for k in
                   ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time")}
        out[target] = {**scores, **metrics, **held_back(report)}
        causes.append([target, *(", ".join(f"{name} {ms:.0f} ms" for name, ms in
                                           out[target][k][:3]) or "none"
                                 for k in ("render_blocking", "scripting"))])
        rows.append([target, scores.get("performance"), scores.get("accessibility"),
                     scores.get("best-practices"), scores.get("seo"),
                     f"{metrics['first-contentful-paint'] / 1000:.1f} s",
                     f"{metrics['largest-contentful-paint'] / 1000:.1f} s",
                     f"{metrics['total-blocking-time']:.0f} ms"])
    results["lighthouse"] = out
    table("Lighthouse (mobile emulation; target 100 everywhere)",
          ["page", "performance", "accessibility", "best practices", "SEO", "FCP", "LCP", "TBT"],
          rows)
    table("What holds the score back, from each page's trace (Lighthouse's own audits)",
          ["page", "render-blocking requests (ms the paint would gain)",
           "main-thread script time, by script (4x CPU slowdown)"], causes)


BLOCKING_LOADS = 3
HELD_BACK = {"as built": None, "without Material's bundle": "**/javascripts/bundle.*.js",
             "without the engine's runtime": "**/visual-essay/visual-essay.js"}


def bench_blocking(results, url, pages, pw):
    """Whose code blocks the main thread: each page's long tasks (the time over 50 ms of each,
    as Lighthouse's TBT counts them) until 3 s after load, on a phone with the CPU slowed 4x as
    Lighthouse's mobile run does, as built and with Material's bundle or the engine's runtime
    held back. Python is held back in all three (its worker shares the cores and blurs the
    main thread's own numbers; it is not on the main thread)."""
    b = browser(pw)
    rows, out = [], {}
    for target in pages:
        out[target] = {}
        for name, held in HELD_BACK.items():
            runs = []
            for _ in range(BLOCKING_LOADS):
                context = b.new_context(viewport={"width": 412, "height": 823},
                                        device_scale_factor=1.75, is_mobile=True, has_touch=True)
                page = context.new_page()
                page.add_init_script(LONG_TASKS)
                for pattern in filter(None, ("**/pyodide/**", held)):
                    page.route(pattern, lambda route: route.abort())
                context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": 4})
                page.goto(url + target, wait_until="load")
                page.wait_for_timeout(3000)
                runs.append(page.evaluate("window.longTasks.reduce((sum, [, d]) => sum + "
                                          "Math.max(0, d - 50), 0)"))
                context.close()
            out[target][name] = runs
        rows.append([target, *(f"{median(out[target][name]):.0f}" for name in HELD_BACK)])
    b.close()
    results["blocking"] = out
    table(f"Main-thread blocking time, ms (long tasks' time over 50 ms until 3 s after load; "
          f"phone, CPU slowed 4x, Python held back; median of {BLOCKING_LOADS}): whose code it is",
          ["page", *HELD_BACK], rows)


def held_back(report):
    """From a Lighthouse report: the requests that block the first paint, with the time it would
    gain without each, and the scripts that take the main thread longest (which is whose code:
    the engine's runtime, Material's bundle, KaTeX...), each as [file name, ms], largest first."""
    def named(url):
        return url.rstrip("/").rsplit("/", 1)[-1].split("?")[0] or url

    def items(audit, key):
        found = report["audits"].get(audit, {}).get("details", {}).get("items", [])
        pairs = [[named(i.get("url", "")), float(i.get(key) or 0)] for i in found]
        return sorted((p for p in pairs if p[1] >= 1), key=lambda p: -p[1])

    return {"render_blocking": items("render-blocking-resources", "wastedMs"),
            "scripting": items("bootup-time", "scripting")}


SECTIONS = ("build", "live", "navigation", "slider", "profile", "bytes", "slow", "lighthouse")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sections", nargs="*", choices=[*SECTIONS, []], default=[])
    parser.add_argument("--reuse-site", action="store_true",
                        help="measure the site the last run built (bench/results/site)")
    args = parser.parse_args()
    chosen = args.sections or list(SECTIONS)
    from playwright.sync_api import sync_playwright
    results = {"machine": {"cores": os.cpu_count()}}
    if "build" in chosen:
        bench_build(results)
    in_browser = [c for c in chosen if c not in ("build", "profile")]
    if in_browser:
        hosts, pages, everything = built_site(args.reuse_site)
        url = hosts["sub-path"]
        with sync_playwright() as pw:
            if "live" in chosen:
                bench_live(results, url, pages, pw)
            if "navigation" in chosen:
                bench_navigation(results, hosts, pw)
            if "slider" in chosen:
                bench_slider(results, url, pages, pw)
            if "bytes" in chosen:
                bench_bytes(results, url, pages, pw)
            if "slow" in chosen:
                bench_slow(results, url, pages, pw)
            if "lighthouse" in chosen:  # beside Lighthouse's scores: whose code blocks
                bench_blocking(results, url, pages, pw)
        if "lighthouse" in chosen:
            bench_lighthouse(results, url, everything)
    if "profile" in chosen:  # after the slider section: beside its times in Pyodide
        bench_profile(results)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
