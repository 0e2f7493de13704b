"""The widget contract (``visual_essay.testing.WidgetContract``) run on the engine's own fixture
widgets: declarations, extremes, determinism, seeds, fuzzing, the build's figure, and the browser's
scene equal to the build's (Pyodide in Chromium; ``primes`` reads its build-time value there)."""

import pytest

from visual_essay.testing import WidgetContract


class TestFixtureWidgets(WidgetContract):
    package = "fixture_widgets"
    snapshots = "snapshots"  # stored scenes beside this file (pytest --update-snapshots)
    visual_snapshots = "visual"  # stored images of the figures (pytest --update-snapshots)

    @classmethod
    def widgets(cls):
        # faulty raises on purpose when its toggle is on: the contract must fail it (see below).
        return {n: m for n, m in super().widgets().items() if n != "faulty"}


def test_the_contract_covers_every_parameter_kind_a_seed_and_motion():
    """The fixture widgets are enough to exercise each branch of the contract."""
    from visual_essay.params import KINDS
    from visual_essay.registry import compute
    widgets = TestFixtureWidgets.widgets()
    kinds = {type(p) for m in widgets.values() for p in m.PARAMS}
    assert kinds == set(KINDS)
    assert any(compute(n, {}, widgets)["frames"] for n in widgets)


def test_the_contract_fails_a_widget_that_raises_at_an_extreme():
    class WithFaulty(WidgetContract):
        package = "fixture_widgets"

    with pytest.raises(ZeroDivisionError, match="faulty widget asked to fail at level 3"):
        WithFaulty().test_every_extreme_gives_a_finite_json_scene("faulty")


def test_a_changed_figure_fails_its_snapshot_until_rewritten_on_purpose(tmp_path, monkeypatch):
    """The stored scene is compared, not rewritten, unless --update-snapshots is given."""
    import json
    import shutil
    from pathlib import Path

    here = Path(__file__).parent
    shutil.copytree(here / "snapshots", tmp_path / "snapshots")
    stored = json.loads((tmp_path / "snapshots" / "quantize.json").read_text())
    stored["defaults"]["alt"] += " (changed)"  # the first field compared after the version
    (tmp_path / "snapshots" / "quantize.json").write_text(json.dumps(stored))

    class Request:  # what the test reads from pytest's request
        class module:
            __file__ = str(tmp_path / "test_module.py")

        class config:
            @staticmethod
            def getoption(name):
                return False

    with pytest.raises(AssertionError, match="quantize at its defaults.alt"):
        TestFixtureWidgets().test_the_scenes_match_their_snapshot("quantize", Request)
