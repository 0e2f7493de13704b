"""The engine's tests run on their own small project, ``fixtures/``: a two-page site (mkdocs.yml
and docs/) and its widget packages, ``fixture_widgets`` (one widget per thing the engine does) and
``broken_widgets`` (an import that fails). Nothing here names the essay or imports its widgets."""

from pathlib import Path
import sys

import pytest

from visual_essay.testing import Sites

FIXTURES = Path(__file__).resolve().parent / "fixtures"

# The fixture packages are imported by name, as an essay's widget package is from beside its
# mkdocs.yml; the contract's test ids are made from them when tests are collected.
sys.path.insert(0, str(FIXTURES))


@pytest.fixture(scope="session")
def sites(tmp_path_factory, pyodide_files):
    """``sites("fixture", mode, site_url=False, prefix="")``: the fixture site built and served
    (see ``visual_essay.testing.Sites``)."""
    built = Sites(tmp_path_factory.mktemp("sites"), {"fixture": FIXTURES / "mkdocs.yml"})
    yield built
    built.close()
