"""The widget registry: ``collect`` names an essay's widgets in order and imports each module only
when it is first looked up (a reader's browser imports only what its page computes)."""

import sys
import textwrap

import pytest

from visual_essay import prepared
from visual_essay.build import import_registry


@pytest.fixture
def package(tmp_path, monkeypatch):
    """A widget package ``lazy_widgets`` of two modules; each records its import in ``IMPORTED``;
    the second has a build-time value."""
    folder = tmp_path / "lazy_widgets"
    folder.mkdir()
    (folder / "__init__.py").write_text(
        "from visual_essay.registry import collect\n"
        "IMPORTED = []\n"
        "WIDGETS = collect(__name__, ('first', 'second'))\n")
    for name in ("first", "second"):
        (folder / f"{name}.py").write_text(textwrap.dedent(f"""\
            from visual_essay.prepared import at_build
            from . import IMPORTED
            IMPORTED.append({name!r})

            @at_build
            def value():
                return {name!r}
            """))
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(prepared, "_functions", {})
    monkeypatch.setattr(prepared, "_values", {})
    yield "lazy_widgets"
    for module in [m for m in sys.modules if m.split(".")[0] == "lazy_widgets"]:
        del sys.modules[module]


def test_a_widget_is_imported_when_first_looked_up_and_only_then(package):
    import lazy_widgets

    widgets = lazy_widgets.WIDGETS
    assert list(widgets) == ["first", "second"] and len(widgets) == 2
    assert "second" in widgets and "third" not in widgets
    assert lazy_widgets.IMPORTED == []  # naming them imported neither
    assert widgets["second"].__name__ == "lazy_widgets.second"
    assert lazy_widgets.IMPORTED == ["second"]
    widgets["second"]
    assert lazy_widgets.IMPORTED == ["second"]  # once
    with pytest.raises(KeyError):
        widgets["third"]


def test_a_build_time_value_imports_its_module_when_asked_for(package):
    import lazy_widgets

    assert prepared.value_of("lazy_widgets.first.value") == "first"
    assert lazy_widgets.IMPORTED == ["first"]


def test_the_build_imports_every_widget_at_once(package):
    widgets = import_registry(package, set())
    assert sys.modules["lazy_widgets"].IMPORTED == ["first", "second"]
    assert [m.__name__ for m in widgets.values()] == ["lazy_widgets.first", "lazy_widgets.second"]


def test_the_worker_warms_a_figure_at_its_values_then_a_readers_first_slider_steps(
        tmp_path, monkeypatch):
    """registry.warm computes, for move 0, the figure's values; for moves 1, 2..., each slider
    in turn one step on (back at its top), then two steps on...; in the layout asked for.
    Values that fail, and an unknown widget, are skipped (a reader's compute reports them)."""
    folder = tmp_path / "warm_widgets"
    folder.mkdir()
    (folder / "__init__.py").write_text(
        "from visual_essay.registry import collect\n"
        "CALLS = []\n"
        "WIDGETS = collect(__name__, ('dial',))\n")
    (folder / "dial.py").write_text(textwrap.dedent("""\
        from visual_essay import scene as S
        from visual_essay.params import Slider, Toggle
        from visual_essay.scene import _ONLY_LAYOUT
        from . import CALLS
        TITLE = "Dial"
        PARAMS = [Slider("a", 0, 10, 1, 3, "a"), Slider("b", 0, 1, 0.25, 1, "b"),
                  Toggle("flip", False, "flip")]

        def compute(a, b, flip):
            CALLS.append((a, b, flip, _ONLY_LAYOUT.get()))
            if a == 7:
                raise ValueError("seven")
            return S.scene([S.panel([S.line([0, 1], [0, b])])], alt="a dial")
        """))
    monkeypatch.syspath_prepend(str(tmp_path))
    from visual_essay.registry import warm

    try:
        import warm_widgets

        ran = [warm("dial", '{"flip": true}', "warm_widgets", "narrow", move) for move in range(5)]
        assert ran == [True] * 5
        assert warm_widgets.CALLS == [(3, 1.0, True, "narrow"), (4, 1.0, True, "narrow"),
                                      (3, 0.75, True, "narrow"), (5, 1.0, True, "narrow"),
                                      (3, 0.5, True, "narrow")]
        warm_widgets.CALLS.clear()
        assert [warm("dial", '{"a": 6}', "warm_widgets", "wide", move) for move in range(3)] == [
            True, False, True]  # a = 7 raises: skipped
        assert [c[:2] for c in warm_widgets.CALLS] == [(6, 1.0), (7, 1.0), (6, 0.75)]
        warm_widgets.CALLS.clear()
        assert not warm("dial", '{"a": 11}', "warm_widgets")  # off the slider: left to compute
        assert not warm("gauge", "{}", "warm_widgets")
        assert warm_widgets.CALLS == []
    finally:
        for module in [m for m in sys.modules if m.split(".")[0] == "warm_widgets"]:
            del sys.modules[module]
