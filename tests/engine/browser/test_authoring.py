"""A new author's whole loop, as they would run it: a fresh virtual environment, a plain (not
editable) install of this repository, ``visual-essay new``, builds with MkDocs, ProperDocs and
Zensical, the new essay's own tests, a scaffolded widget, and the figures live in Chromium; then
``visual-essay serve`` redrawing an edited widget."""

import os
import re
from pathlib import Path
import socket
import subprocess
import sys
import time
import urllib.request

from playwright.sync_api import expect
import pytest

from visual_essay.pyodide import DEFAULT_CACHE
from visual_essay.testing import LIVE_TIMEOUT, screenshot, serve_folder

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[3]  # the repository: the engine a new author installs


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
    run(home, bin_dir / "pip", "install", "--quiet", "--disable-pip-version-check", str(ROOT))
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
        "zensical==0.0.73")
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
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
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
        serve.terminate()
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
