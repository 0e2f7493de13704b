"""The scene Pyodide computes in the reader's browser equals CPython's, for every registered
widget, at its defaults and at the ends of its ranges (to floating-point tolerance: the browser's
numpy is 2.0.2, CPython's may be newer)."""

import json
import math

import pytest

from visual_essay import registry
from widgets import WIDGETS
from tests.conftest import guard
from tests.test_registry import extremes

pytestmark = pytest.mark.browser

CASES = [(name, case) for name in sorted(WIDGETS)
         for case in extremes(WIDGETS[name])]


@pytest.fixture(scope="module")
def python_page(browser, sites, pyodide_files):
    context = browser.new_context()
    page = guard(context, pyodide_files)()
    page.goto(sites("fixture").url + "index.html")
    page.wait_for_function("window.visualEssay && window.visualEssay.startRuntime()")
    page.evaluate("window.visualEssay.startRuntime()")
    yield page
    page.watch.assert_clean()
    context.close()


def assert_close(a, b, where="scene"):
    if isinstance(a, dict):
        assert isinstance(b, dict) and a.keys() == b.keys(), where
        for k in a:
            assert_close(a[k], b[k], f"{where}.{k}")
    elif isinstance(a, list):
        assert isinstance(b, list) and len(a) == len(b), f"{where}: {len(a)} vs {len(b)} items"
        for i, (x, y) in enumerate(zip(a, b)):
            assert_close(x, y, f"{where}[{i}]")
    elif isinstance(a, float) or isinstance(b, float):
        assert math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9), f"{where}: {a} vs {b}"
    else:
        assert a == b, f"{where}: {a!r} vs {b!r}"


@pytest.mark.parametrize("name,case", CASES,
                         ids=[f"{n}-{json.dumps(c, sort_keys=True)}" for n, c in CASES])
def test_browser_scene_equals_cpython_scene(python_page, name, case):
    reply = python_page.evaluate("([name, params]) => window.visualEssay.compute(name, params)",
                                 [name, case])
    assert "error" not in reply, reply
    browser_scene = json.loads(reply["scene"])
    cpython_scene = json.loads(json.dumps(registry.compute(name, case, WIDGETS)))
    assert_close(browser_scene, cpython_scene)
