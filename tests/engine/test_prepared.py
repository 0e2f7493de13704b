"""Values computed at build time (``visual_essay.prepared.at_build``): computed once, as JSON gives
them back, kept in the build's cache, and in the browser read from the bundle, never recomputed."""

import json
import os
import subprocess
import sys
import time

import pytest

from visual_essay import prepared


@pytest.fixture
def fresh(monkeypatch, tmp_path):
    monkeypatch.setattr(prepared, "_functions", {})
    monkeypatch.setattr(prepared, "_values", {})
    monkeypatch.setattr(prepared, "CACHE_DIR", None)
    monkeypatch.setattr(prepared, "SHIPPED", str(tmp_path / "absent.json"))
    return tmp_path


def declare(calls):
    @prepared.at_build
    def table():
        calls.append(1)
        return {"pairs": [(1, 2), (3, 4)], "scale": 0.5}
    return table


def test_a_value_is_computed_once_and_comes_back_as_json_would(fresh):
    calls = []
    table = declare(calls)
    assert table() == {"pairs": [[1, 2], [3, 4]], "scale": 0.5}  # tuples become lists
    table()
    assert calls == [1]
    assert prepared.shipped_values() == {f"{__name__}.declare.<locals>.table": table()}


def test_the_build_keeps_values_in_its_cache_while_the_module_is_unchanged(fresh):
    prepared.CACHE_DIR = str(fresh)
    calls = []
    declare(calls)()
    assert calls == [1] and len(list(fresh.glob("prepared-*.json"))) == 1
    declare(calls)()  # the module imported anew (mkdocs serve): read from the cache
    assert calls == [1]


def test_in_the_browser_the_shipped_value_is_used_and_nothing_is_recomputed(fresh):
    shipped = fresh / "prepared.json"
    key = f"{__name__}.declare.<locals>.table"
    shipped.write_text(json.dumps({key: {"pairs": [[9, 9]], "scale": 2}}))
    prepared.SHIPPED = str(shipped)
    calls = []
    assert declare(calls)() == {"pairs": [[9, 9]], "scale": 2}
    assert calls == []


def test_a_value_that_is_not_json_is_refused(fresh):
    @prepared.at_build
    def bad():
        return {"x": float("nan")}
    with pytest.raises(ValueError):
        bad()


def test_the_bundle_ships_the_widgets_build_time_values_beside_their_code():
    """The browser's copy of the engine reads the primes the build found
    (``fixture_widgets.primes``) from the bundle: ``SHIPPED`` there is this file."""
    from visual_essay.build import widget_bundle
    from fixture_widgets import WIDGETS, primes
    files = json.loads(widget_bundle(WIDGETS))["files"]
    assert "fixture_widgets/primes.py" in files
    shipped = json.loads(files["visual_essay/prepared.json"])
    assert shipped["fixture_widgets.primes.primes_below_limit"] == primes.primes_below_limit()
    assert primes.primes_below_limit()[:5] == [2, 3, 5, 7, 11]


SLOW_VALUE = '''\
import os, time
from visual_essay import prepared

@prepared.at_build
def value():
    with open(os.environ["CALLS"], "a") as calls:
        calls.write("computed\\n")
    time.sleep(1.5)  # long enough for the others to ask for it meanwhile
    return {"answer": 42}

prepared.CACHE_DIR = os.environ["CACHE"]
'''
ASK = "import slow_value; print(slow_value.value()['answer'])"


def slow_value_env(folder):
    (folder / "slow_value.py").write_text(SLOW_VALUE)
    return {**os.environ, "CALLS": str(folder / "calls"), "CACHE": str(folder),
            "PYTHONPATH": str(folder)}


def test_processes_that_need_a_value_at_once_compute_it_once_and_all_get_it(tmp_path):
    """A parallel build's processes share its cache: while one computes a value, another that
    needs it waits for it rather than computing it again."""
    env = slow_value_env(tmp_path)
    runs = [subprocess.Popen([sys.executable, "-c", ASK], env=env, stdout=subprocess.PIPE,
                             text=True) for _ in range(3)]
    assert [run.communicate(timeout=60)[0] for run in runs] == ["42\n"] * 3
    assert (tmp_path / "calls").read_text() == "computed\n"
    [kept] = tmp_path.glob("prepared-slow_value.value-*")  # and no lock file left
    assert json.loads(kept.read_text()) == {"answer": 42}


def test_a_build_task_steps_aside_from_a_value_another_process_is_computing(
        fresh, tmp_path, monkeypatch):
    """In a parallel build's tasks a process does not wait for a value another is computing: it
    raises NotReady (the build runs other tasks and asks again once the value is in)."""
    env = slow_value_env(tmp_path)
    for name in ("CALLS", "CACHE"):
        monkeypatch.setenv(name, env[name])
    monkeypatch.syspath_prepend(str(tmp_path))
    other = subprocess.Popen([sys.executable, "-c", ASK], env=env, stdout=subprocess.PIPE,
                             text=True)
    while not (tmp_path / "calls").exists():  # the other process is computing it
        time.sleep(0.05)
    import slow_value
    with prepared.waiting_for_others(False), pytest.raises(prepared.NotReady) as stepped:
        slow_value.value()
    assert stepped.value.key == "slow_value.value"
    assert slow_value.value() == {"answer": 42}  # waiting, as a page rendering does
    assert other.communicate(timeout=60)[0] == "42\n"
    assert (tmp_path / "calls").read_text() == "computed\n"


def test_a_table_of_scenes_does_not_keep_a_value_not_ready_as_the_widget_s_error():
    """A table keeps a widget's exception as that case's error; a value another process is
    computing is not one: the whole table steps aside."""
    from visual_essay import tables
    from visual_essay.params import Slider

    def compute(level):
        raise prepared.NotReady("widgets.slow.value")

    with pytest.raises(prepared.NotReady):
        tables.build_table([Slider("level", 0, 4, step=1, default=2, label="Level")],
                           {"level": 2}, lambda case: compute(**case))
