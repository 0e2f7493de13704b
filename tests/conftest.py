"""Shared by the engine's tests (``engine/``) and the essay's (``essay/``): the engine's pytest
plugin, ``visual_essay.testing`` (Chromium with nothing outside localhost, verified Pyodide files,
the widget contract, building and serving sites). Each folder's conftest holds what is its own."""

import pytest

pytest.register_assert_rewrite("visual_essay.testing")

pytest_plugins = ["visual_essay.testing"]
