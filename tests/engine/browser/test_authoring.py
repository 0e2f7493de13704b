"""A new author's whole loop, as they would run it: a fresh virtual environment, a plain (not
editable) install of this repository, ``visual-essay new``, builds with MkDocs, ProperDocs and
Zensical, the new essay's own tests, a scaffolded widget, and the figures live in Chromium; then
``visual-essay serve`` redrawing an edited widget. And on a fresh machine: the engine installed
from a folder, a wheel or a git repository (nothing from a package index under its name) with the
system's Python in a clean shell, and the new essay's two README commands run there as written."""

import glob
import json
import os
import re
from pathlib import Path
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request

from playwright.sync_api import expect
import pytest

from visual_essay.pyodide import DEFAULT_CACHE
from visual_essay.scaffold import readme_commands
from visual_essay.testing import LIVE_TIMEOUT, screenshot, serve_folder

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[3]  # the repository: the engine a new author installs
LOCK = ROOT / "requirements" / "lock.txt"
CLEAN_ENV = {"HOME": os.environ.get("HOME", "/root"), "PATH": "/usr/bin:/bin"}  # env -i HOME PATH


def run(cwd, *command, env=None, timeout=900):
    """A command as the author types it; fails the test with its output if it fails."""
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=timeout,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})})
    assert result.returncode == 0, f"{' '.join(map(str, command))}:\n{result.stdout}\n{result.stderr}"
    return result


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def expect_live_darts(page, url, name="live-darts"):
    page.goto(url)
    figure = page.locator('figure[data-widget="darts"]')
    expect(figure).to_have_attribute("data-status", "live", timeout=LIVE_TIMEOUT)
    figure.locator('input[name="darts"]').fill("500")
    expect(figure.locator(".vw-figure")).to_have_attribute(
        "aria-label", re.compile(r"of 500 darts land inside"), timeout=15_000)
    screenshot(page, name)
    page.watch.assert_clean()


@pytest.fixture(scope="module")
def fresh_install(tmp_path_factory):
    """A new venv with this repository installed from a wheel, as `pip install <repo>` does."""
    home = tmp_path_factory.mktemp("fresh")
    run(home, sys.executable, "-m", "venv", "venv")
    bin_dir = home / "venv" / "bin"
    # No constraints: pip picks the newest versions pyproject.toml's ranges allow.
    run(home, bin_dir / "pip", "install", "--quiet", "--disable-pip-version-check",
        f"{ROOT}[properdocs]")
    return home, bin_dir


def test_a_new_essay_from_a_plain_install_builds_tests_and_goes_live(fresh_install, offline_page):
    home, bin_dir = fresh_install
    venv = {"PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "VIRTUAL_ENV": str(bin_dir.parent)}
    run(home, "visual-essay", "new", "my-essay", env=venv)
    essay = home / "my-essay"
    for expected in ("mkdocs.yml", "pyproject.toml", "README.md", "docs/index.md",
                     "widgets/__init__.py", "widgets/darts.py", "tests/test_widgets.py",
                     "tests/widgets/test_darts.py", "tests/run.sh", ".github/workflows/pages.yml",
                     ".gitignore"):
        assert (essay / expected).is_file(), expected
    readme = (essay / "README.md").read_text()
    assert "visual-essay serve" in readme and "bash tests/run.sh" in readme

    # Its site builds with MkDocs and with ProperDocs (the command the author types), the same.
    run(essay, "mkdocs", "build", "-q", "-d", "site-mkdocs", env=venv)
    run(essay, "properdocs", "build", "-q", "-d", "site-properdocs", env=venv)
    for site in ("site-mkdocs", "site-properdocs"):
        page = (essay / site / "index.html").read_text()
        assert 'data-widget="darts"' in page and "<svg" in page and "visual-essay.js" in page

    # Its own tests pass (contract, fuzzing, browser parity, the darts science), and a scaffolded
    # widget comes with a test of its own scene that passes too.
    run(essay, bin_dir / "pip", "install", "--quiet", "--disable-pip-version-check",
        "-e", ".[test]", env=venv)
    run(essay, "visual-essay", "pyodide", "--source", str(ROOT / DEFAULT_CACHE), env=venv)
    run(essay, "visual-essay", "widget", "pendulum", "A damped pendulum", env=venv)
    tests = run(essay, bin_dir / "python", "-m", "pytest", "-q", "-p", "no:cacheprovider",
                env=venv)
    assert " passed" in tests.stdout and "skipped" not in tests.stdout, tests.stdout
    assert "pendulum" in (essay / "widgets" / "__init__.py").read_text()

    # Built offline, its widget goes live in Chromium with no network.
    run(essay, "visual-essay", "build", "--pyodide", "offline", env=venv)
    server = serve_folder(essay / "site")
    try:
        expect_live_darts(offline_page, f"http://127.0.0.1:{server.server_port}/index.html")
    finally:
        server.shutdown()


def test_zensical_renders_the_figures_and_they_go_live_without_the_plugin(fresh_install,
                                                                         offline_page):
    home, bin_dir = fresh_install
    venv = {"PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "VIRTUAL_ENV": str(bin_dir.parent)}
    run(home, bin_dir / "pip", "install", "--quiet", "--disable-pip-version-check",
        "-c", LOCK, "zensical")
    run(home, "visual-essay", "new", "z-essay", env=venv)
    essay = home / "z-essay"
    run(essay, "visual-essay", "pyodide", "--source", str(ROOT / DEFAULT_CACHE), env=venv)
    run(essay, "visual-essay", "build", "--builder", "zensical", "--pyodide", "offline", env=venv)
    page = (essay / "site" / "index.html").read_text()
    assert 'data-widget="darts"' in page and "<svg" in page, "the fence drew the figure"
    assert "assets/visual-essay/visual-essay.js" in page and "visual-essay.css" in page
    server = serve_folder(essay / "site")
    try:
        expect_live_darts(offline_page, f"http://127.0.0.1:{server.server_port}/index.html",
                          "zensical-darts")
    finally:
        server.shutdown()


def test_visual_essay_serve_redraws_an_edited_widget_and_the_page_runs_the_new_code(
        tmp_path, offline_page):
    run(tmp_path, "visual-essay", "new", "essay")
    essay = tmp_path / "essay"
    run(essay, "visual-essay", "pyodide", "--source", str(ROOT / DEFAULT_CACHE))
    port = free_port()
    serve = subprocess.Popen(["visual-essay", "serve", "-a", f"127.0.0.1:{port}"], cwd=essay,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                             start_new_session=True)
    url = f"http://127.0.0.1:{port}/index.html"

    def html():
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode()

    try:
        deadline = time.time() + 120
        while True:
            try:
                assert "darts inside" in html()
                break
            except OSError:
                assert time.time() < deadline, "visual-essay serve did not start"
                time.sleep(0.5)
        module = essay / "widgets" / "darts.py"
        module.write_text(module.read_text().replace("darts inside", "darts in the circle"))
        deadline = time.time() + 60
        while "darts in the circle" not in html():
            assert time.time() < deadline, "the edited widget was not redrawn"
            time.sleep(0.5)
        page = offline_page
        page.goto(url)
        figure = page.locator('figure[data-widget="darts"]')
        expect(figure).to_have_attribute("data-status", "live", timeout=LIVE_TIMEOUT)
        figure.locator('input[name="darts"]').fill("300")
        expect(figure.locator(".vw-panels svg").first).to_contain_text("darts in the circle")
        page.watch.assert_clean()
    finally:
        os.killpg(serve.pid, signal.SIGTERM)  # and the mkdocs it started, which would outlive it
        serve.wait(timeout=10)


def test_a_scaffold_refuses_to_overwrite_or_misname(tmp_path):
    run(tmp_path, "visual-essay", "new", "essay")
    essay = tmp_path / "essay"
    for args, message in ((("widget", "darts"), "widgets/darts.py already exists"),
                          (("widget", "Bad-Name"), "invalid widget name 'Bad-Name'")):
        result = subprocess.run(["visual-essay", *args], cwd=essay, capture_output=True, text=True)
        assert result.returncode != 0 and message in result.stderr
    again = subprocess.run(["visual-essay", "new", "essay"], cwd=tmp_path, capture_output=True,
                           text=True)
    assert again.returncode != 0 and "exists and is not empty" in again.stderr
    assert Path(essay / "widgets" / "darts.py").is_file()


# ---- a fresh machine: the engine from a folder, a wheel, a git repository -----------------------

def clean_shell(cwd, script, timeout=900):
    """``script`` in bash with nothing from this shell: ``env -i HOME=$HOME PATH=/usr/bin:/bin``,
    so ``python3`` is the system's (Debian 12's 3.11.2 here), not the one first on our PATH."""
    result = subprocess.run(["bash", "-c", script], cwd=cwd, env=CLEAN_ENV, capture_output=True,
                            text=True, timeout=timeout)
    assert result.returncode == 0, f"{script}\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
    return result


@pytest.fixture(scope="module")
def engine_sources(tmp_path_factory):
    """Where an author may have the engine from, none a package index: this checkout's folder, a
    wheel built from it, and a git repository holding its files (as ``git+file://``)."""
    home = tmp_path_factory.mktemp("engine-sources")
    run(home, sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
        "--disable-pip-version-check", "-w", "dist", str(ROOT))
    (wheel,) = (home / "dist").glob("visual_essay-*.whl")
    repo = home / "engine-git"
    files = run(ROOT, "git", "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    for name in filter(None, files.stdout.split("\0")):
        if (ROOT / name).is_file():  # the working tree as it is, committed or not
            (repo / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, repo / name)
    for command in (["init", "-q"], ["add", "-A"], ["-c", "user.name=t", "-c",
                                                    "user.email=t@localhost", "commit", "-q",
                                                    "-m", "engine"]):
        run(repo, "git", *command)
    commit = run(repo, "git", "rev-parse", "HEAD").stdout.strip()
    return {"folder": (str(ROOT), f"visual-essay @ file://{ROOT}"),
            "wheel": (str(wheel), f"visual-essay @ file://{wheel}"),
            "git": (f"git+file://{repo}", f"visual-essay @ git+file://localhost{repo}@{commit}")}


def new_essay_on_a_fresh_machine(home, source):
    """The author's steps from the guide, in a clean shell: the engine into its own venv from
    ``source``, then ``visual-essay new essay``. Pyodide's verified files are linked in, as
    ``visual-essay pyodide`` would fetch them (once for the whole run, not once per test)."""
    clean_shell(home, f"python3 -m venv engine && engine/bin/pip install --quiet "
                      f"--disable-pip-version-check '{source}' && "
                      f"engine/bin/visual-essay new essay")
    essay = home / "essay"
    (essay / ".cache").mkdir()
    (essay / ".cache" / "pyodide").symlink_to((ROOT / DEFAULT_CACHE).resolve())
    return essay


def serve_with_the_readme_command(essay):
    """The README's first command, as written, in a clean shell (on a free port: other servers
    run here); returns the served page once it shows the figure."""
    port = free_port()
    command = f"{readme_commands(essay / 'README.md')[0]} -a 127.0.0.1:{port}"
    log = (essay / "serve.log").open("w")
    shell = subprocess.Popen(["bash", "-c", command], cwd=essay, env=CLEAN_ENV, stdout=log,
                             stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.time() + 600  # a venv, every dependency, a build
        while True:
            assert shell.poll() is None, f"{command} stopped:\n{(essay / 'serve.log').read_text()}"
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/index.html",
                                            timeout=5) as response:
                    return response.read().decode()
            except OSError:
                assert time.time() < deadline, (essay / "serve.log").read_text()
                time.sleep(1)
    finally:
        os.killpg(shell.pid, signal.SIGTERM)  # bash, visual-essay and mkdocs: its own session
        shell.wait(timeout=30)
        log.close()


def installed_origin(essay):
    """What pip recorded about where the essay's .venv got the engine (PEP 610)."""
    (record,) = glob.glob(str(essay / ".venv/lib/python3*/site-packages/visual_essay-*.dist-info"
                                      "/direct_url.json"))
    return json.loads(Path(record).read_text())


def check_served_essay(page):
    assert 'data-widget="darts"' in page and "<svg" in page, "the figure is drawn"
    assert 'class="katex-display"' in page and "$$" not in page, "the formula is typeset"


@pytest.mark.parametrize("origin", ["folder", "wheel"])
def test_a_new_essay_gets_its_engine_from_a_folder_or_a_wheel_and_serves_from_a_clean_shell(
        origin, engine_sources, tmp_path):
    source, line = engine_sources[origin]
    essay = new_essay_on_a_fresh_machine(tmp_path, source)
    assert (essay / "requirements.txt").read_text().splitlines()[-1] == line
    check_served_essay(serve_with_the_readme_command(essay))
    recorded = installed_origin(essay)
    assert recorded["url"] == f"file://{source}"
    assert ("archive_info" if origin == "wheel" else "dir_info") in recorded


def test_a_new_essay_from_a_git_engine_passes_both_readme_commands_from_a_clean_shell(
        engine_sources, tmp_path):
    source, line = engine_sources["git"]
    essay = new_essay_on_a_fresh_machine(tmp_path, source)
    assert (essay / "requirements.txt").read_text().splitlines()[-1] == line
    install_and_serve, every_test = readme_commands(essay / "README.md")
    check_served_essay(serve_with_the_readme_command(essay))
    recorded = installed_origin(essay)
    assert f"git+{recorded['url']}@{recorded['vcs_info']['commit_id']}" == line.split(" @ ")[1]
    tests = clean_shell(essay, every_test)
    summary = tests.stdout.strip().splitlines()[-1]
    assert re.search(r"\d+ passed", summary) and "skipped" not in summary \
        and "failed" not in summary, tests.stdout[-3000:]
    assert "home = /usr/bin\n" in (essay / ".venv" / "pyvenv.cfg").read_text(), "system Python"
