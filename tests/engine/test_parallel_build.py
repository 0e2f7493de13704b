"""Figures and tables computed in parallel (``jobs``, ``--jobs``, ``executor``) give the site a
serial build gives, byte for byte; every entry the pages need is computed before they render; a
changed widget redraws its own figures and no other's; a Dask cluster or an author's executor can
do the computing. Each build here starts from its own empty figure cache."""

from concurrent.futures import Future, ThreadPoolExecutor
import difflib
import json
from pathlib import Path
import re
import shutil
import subprocess
import sys
import textwrap
import threading
import time

import pytest

from visual_essay import build as build_module
from visual_essay.builders import builder_env
from visual_essay.config import JOBS_ENV, Options, check_executor

ROOT = Path(__file__).resolve().parents[2]  # the repository: its .cache holds KaTeX's files
FIXTURES = Path(__file__).resolve().parent / "fixtures"
ENTRY = re.compile(r"^[a-z_]+-(figure|table)-[0-9a-f]{16}\.json$")  # a figure-cache entry


def project(folder, plugin_options="", widgets_here=False):
    """The fixture site in ``folder``: its mkdocs.yml (the search plugin on, an empty figure
    cache of its own, ``plugin_options`` added) and, with ``widgets_here``, a copy of its widget
    package (else the fixtures' own, on the import path)."""
    folder.mkdir(parents=True)
    config = (FIXTURES / "mkdocs.yml").read_text()
    config = config.replace("plugins:\n", "plugins:\n  - search\n", 1)
    config = config.replace("cache_dir: ../../../.cache/figures", f"cache_dir: {folder}/cache")
    for name in ("pyodide", "katex"):
        config = config.replace(f"../../../.cache/{name}", str(ROOT / ".cache" / name))
    config = config.replace("bib_file: references.bib", f"bib_file: {FIXTURES / 'references.bib'}")
    options = textwrap.indent(textwrap.dedent(plugin_options), " " * 6)
    config = config.replace("      package: fixture_widgets\n",
                            f"      package: fixture_widgets\n{options}", 1)
    (folder / "mkdocs.yml").write_text(f"docs_dir: {FIXTURES / 'docs'}\n{config}")
    if widgets_here:
        shutil.copytree(FIXTURES / "fixture_widgets", folder / "fixture_widgets",
                        ignore=shutil.ignore_patterns("__pycache__"))
    return folder


def build(folder, jobs=None):
    """``mkdocs build`` of ``folder`` in a new process (``--jobs``: ``jobs``); its log."""
    env = builder_env("cdn", jobs)
    env["PYTHONPATH"] = f"{folder}:{FIXTURES}"
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-f", "mkdocs.yml", "-d", "site"],
        cwd=folder, env=env, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stderr


def entries(folder):
    return {p.name for p in (folder / "cache").iterdir() if ENTRY.match(p.name)}


def site_files(folder):
    site = folder / "site"
    return {p.relative_to(site).as_posix(): p.read_bytes()
            for p in sorted(site.rglob("*")) if p.is_file()}


def assert_same_site(folder, serial):
    """The two built sites are byte for byte the same; else the first lines that differ."""
    a, b = site_files(folder), site_files(serial)
    assert a.keys() == b.keys()
    differ = [name for name in a if a[name] != b[name]]
    for name in differ[:1]:
        lines = difflib.unified_diff(b[name].decode(errors="replace").splitlines(),
                                     a[name].decode(errors="replace").splitlines(), lineterm="",
                                     n=0)
        pytest.fail(f"{differ} differ; {name}:\n" + "\n".join(list(lines)[:20])[:3000])


def computed_in_parallel(log):
    found = re.search(r"visual-essay: computing (\d+) figures and tables in parallel", log)
    return int(found[1]) if found else 0


@pytest.fixture(scope="module")
def serial(tmp_path_factory):
    """The fixture site built with ``jobs: 1``: each page computes its own figures."""
    folder = project(tmp_path_factory.mktemp("serial") / "project", "jobs: 1\n")
    log = build(folder)
    assert computed_in_parallel(log) == 0, log
    return folder


def test_a_parallel_build_is_the_serial_one_byte_for_byte(serial, tmp_path):
    folder = project(tmp_path / "project", "jobs: 1\n")
    log = build(folder, jobs=3)  # --jobs over the plugin's jobs
    # Every entry the pages asked for was computed before they rendered, and no other; the
    # widgets' build-time value too (primes'), by a process of its own, before the figures.
    assert computed_in_parallel(log) == len(entries(folder)) > 0, log
    assert entries(folder) == entries(serial)
    assert "(and 1 build-time value)" in log, log
    assert len(list((folder / "cache").glob("prepared-fixture_widgets.primes.*.json"))) == 1
    assert_same_site(folder, serial)


def test_after_one_widget_changes_only_its_figures_are_computed_again(tmp_path):
    folder = project(tmp_path / "project", widgets_here=True)
    build(folder, jobs=2)
    before, site_before = entries(folder), site_files(folder)
    widget = folder / "fixture_widgets" / "quantize.py"
    widget.write_text(widget.read_text() + "\n# a comment: the code changed, its figures did not\n")
    log = build(folder, jobs=2)
    new = entries(folder) - before
    assert new and all(name.startswith("quantize-") for name in new), sorted(new)
    assert computed_in_parallel(log) == len(new)
    assert len(new) == len({name for name in before if name.startswith("quantize-")})
    # The pages and their tables are as they were; the widgets' code the browser runs is new.
    code = re.compile(r"assets/visual-essay/(visual-essay\.js|widgets-[0-9a-f]+\.json)")
    after = site_files(folder)
    assert {k for k in after if code.match(k)} != {k for k in site_before if code.match(k)}
    assert ({k: v for k, v in after.items() if not code.match(k)}
            == {k: v for k, v in site_before.items() if not code.match(k)})


def test_figures_that_need_a_value_being_computed_step_aside_and_it_is_computed_once(
        serial, tmp_path):
    """primes' build-time value made slow: every other task finishes while it is computed, so
    primes' figures and table ask for it meanwhile; they step aside instead of waiting (no process
    idles behind the lock) and go again once it is in; the value is computed once."""
    folder = project(tmp_path / "project", widgets_here=True)
    primes = folder / "fixture_widgets" / "primes.py"
    primes.write_text(primes.read_text().replace(
        '    sieve = np.ones(LIMIT, dtype=bool)\n',
        '    import pathlib, time\n'
        '    with open(pathlib.Path(__file__).with_name("computed"), "a") as f:\n'
        '        f.write("once\\n")\n'
        '    time.sleep(4)\n'
        '    sieve = np.ones(LIMIT, dtype=bool)\n'))
    env = builder_env("cdn", 3)
    env["PYTHONPATH"] = f"{folder}:{FIXTURES}"
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-v", "-f", "mkdocs.yml", "-d", "site"],
        cwd=folder, env=env, capture_output=True, text=True, timeout=900)
    log = result.stdout + result.stderr
    assert result.returncode == 0, log
    assert re.search(r"primes-(figure|table)-\w+\.json steps aside until "
                     r"prepared-fixture_widgets\.primes\.primes_below_limit-\w+\.json is in", log)
    assert (folder / "fixture_widgets" / "computed").read_text() == "once\n"
    assert computed_in_parallel(log) == len(entries(folder)) > 0, log
    assert "left to compute as their pages render" not in log
    # The site a serial build makes (a table's scenes included), but for the widgets' code.
    code = re.compile(r"assets/visual-essay/(visual-essay\.js|widgets-[0-9a-f]+\.json)")
    built, expected = site_files(folder), site_files(serial)
    assert {k for k in built if not code.match(k)} == {k for k in expected if not code.match(k)}
    assert [k for k in built if not code.match(k) and built[k] != expected[k]] == []


class _Outstanding:
    """An executor of one thread that counts the tasks given to it and not finished yet."""

    def __init__(self):
        self.pool, self.given, self.done, self.most = ThreadPoolExecutor(1), 0, 0, 0
        self.lock = threading.Lock()

    def submit(self, fn, task):
        with self.lock:
            self.given += 1
            self.most = max(self.most, self.given - self.done)
        return self.pool.submit(self._run, task)

    def _run(self, task):
        time.sleep(0.01)
        with self.lock:
            self.done += 1
        return task.entry.name, ""


class _Computes:
    """What ``_compute_on`` asks of its build: each entry computed (here or kept) at once."""

    project, cache, options = ".", ".", Options()
    here: list[str] = []

    def _compute_here(self, name, entry):
        self.here.append(name)
        return True

    def _keep(self, name, future):
        future.result()
        return True


def test_a_worker_is_given_a_task_only_as_it_can_start_it():
    """Beside its local workers the build's own process computes from the same queue; a task
    waiting in a worker's queue could no longer be taken back, so a worker is given one only
    as it can start it (given them all at once, the worker held the essay's second long value,
    and one process computed both, 11.6 s, while the other had 6.8 s of them)."""
    missing = {f"v{i}": build_module.Entry("value", f"v{i}", {}) for i in range(3)}
    missing |= {f"f{i}": build_module.Entry("figure", "quantize", {"levels": i})
                for i in range(12)}  # fmt: skip
    executor, build = _Outstanding(), _Computes()
    with executor.pool:
        computed = build_module.Build._compute_on(build, executor, missing, workers=1)
    assert computed == len(missing) == executor.given + len(build.here)
    assert executor.most == 1, f"{executor.most} tasks given to one worker at once"
    assert "v1" in build.here, "the second value went to the worker too"


class _AtOnce:
    """An executor that computes each task as it is given, its future done before it returns
    (as a thread pool's may be, for a quick task)."""

    def submit(self, fn, task):
        future = Future()
        future.set_result((task.entry.name, ""))
        return future


def test_a_task_done_before_its_future_returns_does_not_stop_the_build():
    """A future already done calls its callback at once, in the thread that adds it: the build
    added it while holding its queue's lock, and the build hung (an author's thread pool, now
    and then, in test_an_executor_named_by_its_factory_computes_the_figures)."""
    missing = {f"f{i}": build_module.Entry("figure", "quantize", {"levels": i}) for i in range(5)}
    result = []
    thread = threading.Thread(target=lambda: result.append(
        build_module.Build._compute_on(_Computes(), _AtOnce(), missing, None)), daemon=True)
    thread.start()
    thread.join(timeout=30)
    assert not thread.is_alive(), "the build hung"
    assert result == [5]


def test_figures_computed_on_a_dask_cluster_make_the_same_site(serial, tmp_path, monkeypatch):
    distributed = pytest.importorskip("distributed")  # the dask extra
    # Worker processes of their own, as a real cluster's (threads in this process would draw
    # with whatever matplotlib state earlier tests left here), finding the fixture widgets.
    monkeypatch.setenv("PYTHONPATH", str(FIXTURES))
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  protocol="tcp://", dashboard_address=None) as cluster:
        folder = project(tmp_path / "project",
                         f"executor: dask\nscheduler: {cluster.scheduler_address}\n")
        log = build(folder)
        # The tasks that finished, whether or not the scheduler has forgotten them since the
        # build took their results (how far that has gone depends on timing).
        ran = len({str(key) for key, _, finish, *_ in cluster.scheduler.transition_log
                   if finish == "memory" and str(key).startswith("run_task")})
    # One task per figure and table, and one for primes' build-time value unless a figure's task
    # computed that first (the value's own task then steps aside, prepared.NotReady).
    assert computed_in_parallel(log) == len(entries(folder)) > 0, log
    assert ran in (len(entries(folder)), len(entries(folder)) + 1), log
    assert_same_site(folder, serial)


EXECUTOR_FACTORY = '''\
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path


def threads():
    Path(__file__).with_name("factory-called").write_text("yes")
    return ThreadPoolExecutor(2)
'''


def test_an_executor_named_by_its_factory_computes_the_figures(serial, tmp_path):
    folder = project(tmp_path / "project", "executor: my_executors:threads\n")
    (folder / "my_executors.py").write_text(EXECUTOR_FACTORY)
    log = build(folder)
    assert (folder / "factory-called").exists()
    assert computed_in_parallel(log) == len(entries(folder)) > 0, log
    assert_same_site(folder, serial)


def test_jobs_1_from_the_command_computes_in_the_build_process(tmp_path):
    folder = project(tmp_path / "project", "jobs: 4\n")
    assert computed_in_parallel(build(folder, jobs=1)) == 0


def test_search_indexes_a_figures_page_without_its_svgs_text(serial):
    """The figures' SVGs are hidden from the search plugin (their text is tick labels), and the
    page keeps them."""
    html = (serial / "site" / "index.html").read_text()
    svgs = re.findall(r"<svg\b.*?</svg>", html, re.S)
    outside = re.sub(r"<svg\b.*?</svg>", "", html, flags=re.S)
    svg_text = {t for svg in svgs for t in re.findall(r"<text\b[^>]*>([^<]{3,})</text>", svg)
                if t not in outside}  # text found only in the figures
    assert svg_text, "the fixture's first page draws labelled axes"
    index = json.loads((serial / "site" / "search" / "search_index.json").read_text())
    text = " ".join(doc["text"] for doc in index["docs"] if doc["location"].startswith("index"))
    assert "Figure 1." in text  # the page and its captions are indexed
    assert not [t for t in svg_text if t in text]
    assert 'data-visual-essay-hidden' not in html


# ---- the options -------------------------------------------------------------------------------


@pytest.mark.parametrize("value, error", [
    ("jobs: -1", "jobs: expected 0 (every core) or a number of processes, got -1"),
    ("jobs: two", "Expected type: <class 'int'> but received: <class 'str'>"),
    ("executor: threads please", "executor 'threads please': expected processes, dask, or "
                                 "module:function"),
])
def test_a_bad_option_stops_the_build_with_what_is_expected(tmp_path, value, error):
    folder = project(tmp_path / "project", f"{value}\n")
    env = builder_env("cdn")
    env["PYTHONPATH"] = str(FIXTURES)
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q"], cwd=folder, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 1
    assert error in result.stderr


def test_jobs_from_the_command_over_the_plugins_and_0_is_every_core(monkeypatch):
    monkeypatch.delenv(JOBS_ENV, raising=False)
    assert Options(jobs=3).workers() == 3
    assert Options().workers() >= 1
    monkeypatch.setenv(JOBS_ENV, "2")
    assert Options(jobs=3).workers() == 2
    monkeypatch.setenv(JOBS_ENV, "0")
    with pytest.raises(ValueError, match="VISUAL_ESSAY_JOBS='0': expected a whole number"):
        Options().workers()
    assert builder_env("cdn", 5)[JOBS_ENV] == "5"


def test_executor_names_are_checked():
    for good in ("processes", "dask", "my.module:factory"):
        assert check_executor(good) == good
    for bad in ("", "module", "module:", ":factory", "a b:c"):
        with pytest.raises(ValueError, match="expected processes, dask, or module:function"):
            check_executor(bad)
    with pytest.raises(ValueError):
        Options(executor="pool")


def test_the_pages_plan_names_each_fence_and_step_as_rendering_does():
    """``Build.planned`` reads the raw Markdown: a fence's figure and table, a second figure
    with the same id, a guided step's figure and its values in the table, and it skips fences
    it cannot read (rendering reports them)."""
    page = textwrap.dedent("""\
        ```widget
        name: quantize
        levels: 8
        ```

        ```widget
        name: quantize
        ```

        ```widget
        name: no_such_widget
        ```

        //// guide
        ```widget
        name: quantize
        id: steps
        ```

        /// step | steps: levels=4
        ///

        /// step | quantize-2: levels=16
        ///
        ////
        """)
    planned = build_module.Build.planned(_PlanOnly(), page)
    kinds = [(e.kind, e.params["levels"], len(e.extra or [])) for e in planned]
    assert kinds == [
        ("figure", 8, 0), ("table", 8, 0),
        ("figure", 16, 0), ("table", 16, 1), ("figure", 16, 0),  # quantize-2 and its step
        ("figure", 16, 0), ("table", 16, 1), ("figure", 4, 0),  # steps and its step
    ]


class _PlanOnly:
    """What ``Build.planned`` uses of a build: the registry, without importing it anew."""

    def __init__(self):
        import fixture_widgets

        self.registry = fixture_widgets.WIDGETS
        self.docs_dir = Path("docs")
        self.parsed = {}


@pytest.mark.parametrize("workflow", [
    ROOT / ".github" / "workflows" / "pages.yml",
    ROOT / "visual_essay" / "templates" / "project" / "github" / "workflows" / "pages.yml",
], ids=["essay", "new-project"])
def test_the_pages_workflow_keeps_the_figure_cache_keyed_by_the_sources(workflow):
    import yaml

    steps = yaml.safe_load(workflow.read_text())["jobs"]["build"]["steps"]
    uses = [step.get("uses", "") for step in steps]
    cache = steps[next(i for i, u in enumerate(uses) if u.startswith("actions/cache@"))]
    build_step = next(i for i, s in enumerate(steps) if "build" in s.get("run", ""))
    assert uses.index(cache["uses"]) < build_step, "restored before the build"
    assert cache["with"]["path"] == Options.cache_dir
    for sources in ("widgets/**", "docs/**", "mkdocs.yml"):
        assert sources in cache["with"]["key"]
    assert cache["with"]["key"].startswith(cache["with"]["restore-keys"])


def test_a_pages_script_is_put_together_from_each_tables_part(monkeypatch):
    """Each table's part of a page's script is kept in the cache; the parts put together are
    ``tables.script`` of the page's tables, byte for byte. A script made otherwise (here: one
    that counts its tables) is written whole."""
    import fixture_widgets

    from visual_essay import registry, tables

    def table_of(name, **values):
        declared = fixture_widgets.WIDGETS[name].PARAMS
        params = {p.name: p.default for p in declared} | values
        return tables.build_table(declared, params,
                                  lambda case: registry.compute(name, case, fixture_widgets.WIDGETS))

    page = {"quantize": table_of("quantize"), "walk": table_of("walk"),
            "quantize-2": table_of("quantize", levels=4)}
    build_module._script_ends.cache_clear()
    head, tail = build_module._script_ends()
    parts = [tables.script({k: t})[len(head):-len(tail)] for k, t in page.items()]
    assert head + ",".join(parts) + tail == tables.script(page)

    made_otherwise = tables.script
    monkeypatch.setattr(tables, "script",
                        lambda t: made_otherwise(t) + f"// {len(t)} tables\n")
    build_module._script_ends.cache_clear()
    try:
        assert build_module._script_ends() is None
    finally:
        build_module._script_ends.cache_clear()
