"""Every registered widget, the moment it is registered: declarations, defaults, extremes, finite
and deterministic scenes, and the contract both renderers rely on."""

import json
import math
import re

import numpy as np
import pytest

from visual_essay import registry
from widgets import WIDGETS
from visual_essay.params import Choice, Seed, Slider, Toggle
from visual_essay.fence import FENCE_KEYS

NAMES = sorted(WIDGETS)


def extremes(module):
    """Defaults, then every parameter at each end of its range (one at a time), then all at min
    and all at max together."""
    cases = [{}]
    lows, highs = {}, {}
    for p in module.PARAMS:
        if isinstance(p, Slider):
            lo, hi = p.min, p.max
        elif isinstance(p, Choice):
            lo, hi = p.choices[0], p.choices[-1]
        elif isinstance(p, Toggle):
            lo, hi = False, True
        else:
            lo, hi = 0, 2**31 - 1
        lows[p.name], highs[p.name] = lo, hi
        cases += [{p.name: lo}, {p.name: hi}]
    return cases + [lows, highs]


def all_numbers(obj):
    if isinstance(obj, dict):
        for v in obj.values():
            yield from all_numbers(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from all_numbers(v)
    elif isinstance(obj, (int, float)) and not isinstance(obj, bool):
        yield obj


@pytest.mark.parametrize("name", NAMES)
def test_module_declares_title_params_and_a_docstring_citing_its_paper(name):
    module = WIDGETS[name]
    assert module.TITLE and isinstance(module.TITLE, str)
    assert module.__doc__ and len(module.__doc__) > 200
    assert re.search(r"arXiv \d{4}\.\d{4,5}|AISTATS", module.__doc__), "cite the paper"
    names = [p.name for p in module.PARAMS]
    assert len(names) == len(set(names)), "parameter names must be unique"
    assert not set(names) & set(FENCE_KEYS), f"{FENCE_KEYS} are the fence's own keys"
    for p in module.PARAMS:
        assert isinstance(p, (Slider, Choice, Toggle, Seed))
        assert p.check(p.default) == p.default, f"{p.name}'s default is outside its own range"
        assert p.label


@pytest.mark.parametrize("name", NAMES)
def test_every_extreme_gives_a_finite_json_scene(name):
    for case in extremes(WIDGETS[name]):
        scene = registry.compute(name, case, WIDGETS)
        text = json.dumps(scene, allow_nan=False)  # raises on NaN or infinity
        assert len(text) < 300_000, f"{name}{case}: scene is {len(text)} bytes"
        assert all(math.isfinite(x) for x in all_numbers(scene))
        assert scene["panels"] and scene["alt"]
        for p in scene["panels"]:
            for ax in (p["x"], p["y"]):
                assert ax["lim"][0] < ax["lim"][1], f"{name}{case}: empty axis range"


@pytest.mark.parametrize("name", NAMES)
def test_the_same_parameters_give_the_same_scene(name):
    for case in extremes(WIDGETS[name])[:3]:
        assert registry.compute(name, case, WIDGETS) == registry.compute(name, case, WIDGETS)


@pytest.mark.parametrize("name", NAMES)
def test_compute_json_round_trips_through_the_browser_entry_point(name):
    module = WIDGETS[name]
    defaults = {p.name: p.default for p in module.PARAMS}
    assert json.loads(registry.compute_json(name, json.dumps(defaults))) == \
        json.loads(json.dumps(registry.compute(name, {}, WIDGETS)))


SEEDED = [(name, p.name) for name in NAMES for p in WIDGETS[name].PARAMS
          if isinstance(p, Seed)]


@pytest.mark.parametrize("name,seed", SEEDED)
def test_a_new_seed_draws_a_new_sample(name, seed):
    assert registry.compute(name, {seed: 1}, WIDGETS) != registry.compute(name, {seed: 2}, WIDGETS)


def test_unknown_widget_names_the_known_ones():
    with pytest.raises(registry.UnknownWidget, match="unknown widget 'bnis'; known: .*bins"):
        registry.compute("bnis", {}, WIDGETS)


def test_values_from_the_page_are_checked_before_the_widget_sees_them():
    with pytest.raises(registry.ParamError, match=r"invalid bins: 1000 \(expected a whole number "
                                                 r"from 2 to 256\)"):
        registry.compute_json("bins", '{"bins": 1000}')
    with pytest.raises(registry.ParamError, match="unknown parameter 'evil'"):
        registry.compute_json("bins", '{"evil": "__import__(\\"os\\")"}')


def test_the_stylesheet_palette_matches_the_python_palette():
    from pathlib import Path
    from visual_essay.scene import PALETTE
    css = (Path(__file__).parent.parent / "visual_essay/assets/visual-essay.css").read_text()
    light = css[css.index(":root"):css.index("}", css.index(":root"))]
    for name, hex_ in PALETTE.items():
        assert f"--vw-{name}: {hex_};" in light
    dark = css[css.index('[data-md-color-scheme="slate"]'):]
    for name in PALETTE:
        assert f"--vw-{name}:" in dark, f"no dark-scheme colour for {name}"


def test_scene_rejects_what_the_renderers_cannot_draw():
    from visual_essay import scene as S
    with pytest.raises(S.SceneError, match="line y has a value that is not finite"):
        S.scene([S.panel([S.line([0, 1], [0, 1]), S.line([0, 1], [0, np.nan])])], alt="x")
    with pytest.raises(S.SceneError, match="text has a position that is not finite"):
        S.text(np.inf, 0, "label")
    with pytest.raises(S.SceneError, match="unknown colour 'pink'"):
        S.line([0, 1], [0, 1], color="pink")
    with pytest.raises(S.SceneError, match="x has 2 values but y has 3"):
        S.points([0, 1], [0, 1, 2])
    with pytest.raises(S.SceneError, match="text alternative"):
        S.scene([S.panel([S.line([0, 1], [0, 1])])], alt="")
    with pytest.raises(S.SceneError, match="no motion"):
        S.scene([S.panel([S.line([0, 1], [0, 1], frame=0)])], alt="x")


def test_nice_ticks_are_round_and_cover_the_range():
    from visual_essay.scene import nice_ticks
    assert nice_ticks(0, 1) == [0, 0.2, 0.4, 0.6, 0.8, 1.0]
    assert nice_ticks(-1.05, 1.05) == [-1, -0.5, 0, 0.5, 1]
    ticks = nice_ticks(3.7, 1234)
    assert ticks[0] >= 3.7 and ticks[-1] <= 1234 and len(ticks) >= 3
