"""An author's first widget, from a clean copy of the project: scaffold it, build it, see it live;
then edit it under `mkdocs serve` and see the figure redrawn and the live page run the new code."""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

from playwright.sync_api import expect
import pytest

from tests.browser.test_runtime import LIVE
from tests.conftest import ROOT, WIDGET_FENCE_YAML, build_site, screenshot

pytestmark = pytest.mark.browser

CONFIG = f"""\
site_name: My essay
site_url: http://127.0.0.1:{{port}}/
use_directory_urls: false
theme: {{{{name: material, font: false, features: [navigation.instant]}}}}
plugins:
  - visual-essay:
      pyodide: offline
      pyodide_cache: {ROOT}/.cache/pyodide
""" + WIDGET_FENCE_YAML

PAGE = """# My first widget

```widget
name: pendulum
frequency: 2
caption: A pendulum, drawn at build time, live in the browser.
```
"""


@pytest.fixture
def project(tmp_path):
    """A copy of the project as a new author clones it, plus one page that will use the widget."""
    copy = tmp_path / "project"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(
        ".git", "site", "dist", "test-results", ".cache", "__pycache__", "bench"))
    shutil.rmtree(copy / "docs")
    (copy / "docs").mkdir()
    (copy / "docs" / "index.md").write_text(PAGE)
    return copy


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(project, *args):
    env = {**os.environ, "PYTHONPATH": str(project), "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([sys.executable, *args], cwd=project, env=env, capture_output=True,
                          text=True, timeout=300)


def test_a_scaffolded_widget_builds_and_goes_live(project, offline_page, tmp_path):
    made = run(project, "-m", "visual_essay.new_widget", "pendulum", "A damped pendulum")
    assert made.returncode == 0, made.stderr
    assert run(project, "-m", "pytest", "-q", "-p", "no:cacheprovider",
               "tests/widgets/test_pendulum.py").returncode == 0
    port = free_port()
    (project / "mkdocs.yml").write_text(CONFIG.format(port=port))
    result = build_site(tmp_path / "site", "offline", project / "mkdocs.yml",
                        extra_env={"PYTHONPATH": str(project)})
    assert result.returncode == 0, result.stdout + result.stderr
    from tests.conftest import serve_folder
    server = serve_folder(tmp_path / "site", port)
    try:
        page = offline_page
        page.goto(f"http://127.0.0.1:{port}/index.html")
        figure = page.locator('figure[data-widget="pendulum"]')
        expect(figure).to_have_attribute("data-status", "live", timeout=LIVE)
        figure.locator('input[name="frequency"]').fill("3")
        expect(figure.locator(".vw-readouts")).not_to_contain_text("0.936")
        figure.get_by_role("button", name="New sample").click()
        expect(figure).to_have_attribute("data-status", "live")
        screenshot(page, "scaffolded-widget")
        page.watch.assert_clean()
    finally:
        server.shutdown()


def test_mkdocs_serve_redraws_an_edited_widget_and_the_page_runs_the_new_code(
        project, offline_page):
    assert run(project, "-m", "visual_essay.new_widget", "pendulum").returncode == 0
    port = free_port()
    (project / "mkdocs.yml").write_text(CONFIG.format(port=port))
    env = {**os.environ, "PYTHONPATH": str(project), "NO_MKDOCS_2_WARNING": "1"}
    serve = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-a",
                              f"127.0.0.1:{port}"], cwd=project, env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/index.html"

    def html():
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode()

    try:
        deadline = time.time() + 120
        while True:
            try:
                assert "Pendulum" in html()
                break
            except OSError:
                if time.time() > deadline:
                    raise
                time.sleep(0.5)
        module = project / "widgets" / "pendulum.py"
        module.write_text(module.read_text().replace('title="Pendulum"', 'title="Edited pendulum"'))
        deadline = time.time() + 60
        while "Edited pendulum" not in html():
            assert time.time() < deadline, "mkdocs serve did not redraw the edited widget"
            time.sleep(0.5)
        page = offline_page
        page.goto(url)
        figure = page.locator('figure[data-widget="pendulum"]')
        expect(figure).to_have_attribute("data-status", "live", timeout=LIVE)
        figure.locator('input[name="frequency"]').fill("3")
        expect(figure.locator(".vw-panels svg").first).to_contain_text("Edited pendulum")
        page.watch.assert_clean()
    finally:
        serve.terminate()
        serve.wait(timeout=10)
