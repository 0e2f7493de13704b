"""The essay's test fixtures: the engine's (``visual_essay.testing``: Chromium with nothing outside
localhost, verified Pyodide files, build and serve helpers) and the essay's built sites."""

from dataclasses import dataclass
import os
from pathlib import Path

import pytest

pytest.register_assert_rewrite("visual_essay.testing")
from visual_essay.testing import (  # noqa: E402,F401  (re-exported for tests and bench/)
    CHROMIUM_FLAGS, LIVE_TIMEOUT, WIDGET_FENCE_YAML, build_site as _build_site, find_chromium, guard,
    serve_folder)

pytest_plugins = ["visual_essay.testing"]

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
SCREENSHOTS = ROOT / "test-results" / "screenshots"


def build_site(dest, mode="offline", config=ROOT / "mkdocs.yml", extra_env=None, builder="mkdocs"):
    """The engine's ``build_site`` with the test fixtures' widget packages importable too."""
    env = {"PYTHONPATH": os.pathsep.join([str(ROOT), str(FIXTURES)]), **(extra_env or {})}
    return _build_site(dest, mode, config, env, builder)


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


def screenshot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)
