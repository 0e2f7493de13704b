"""The essay's tests: its widgets' science, its facts and links, its publishing, and the essay as
readers meet it in Chromium."""

from pathlib import Path

import pytest

from visual_essay.testing import Sites

ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.fixture(scope="session")
def sites(tmp_path_factory, pyodide_files):
    """``sites("essay", mode, site_url=False, prefix="")``: the essay built and served (see
    ``visual_essay.testing.Sites``)."""
    built = Sites(tmp_path_factory.mktemp("sites"), {"essay": ROOT / "mkdocs.yml"})
    yield built
    built.close()
