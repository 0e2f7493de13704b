"""Property-based fuzzing over every widget's declared parameter space, in CPython: no exception,
finite output, the same output for the same parameters. Derandomized, so CI is deterministic."""

import json

from hypothesis import HealthCheck, given, settings, strategies as st
import pytest

from visual_essay import registry
from widgets import WIDGETS
from visual_essay.params import SEED_MAX, Choice, Seed, Slider, Toggle


def strategy(p):
    """Every value the declaration allows (sliders on their step grid, as the browser sends)."""
    if isinstance(p, Slider):
        steps = int(round((p.max - p.min) / p.step))
        grid = st.integers(0, steps).map(lambda k: min(p.max, p.min + k * p.step))
        return grid.map(int) if p.integer else grid.map(lambda v: round(v, 12))
    if isinstance(p, Choice):
        return st.sampled_from(p.choices)
    if isinstance(p, Toggle):
        return st.booleans()
    assert isinstance(p, Seed)
    return st.integers(0, SEED_MAX)


def parameter_space(module):
    return st.fixed_dictionaries({p.name: strategy(p) for p in module.PARAMS})


@pytest.mark.parametrize("name", sorted(WIDGETS))
def test_any_declared_parameters_give_a_finite_deterministic_scene(name):
    module = WIDGETS[name]

    @settings(max_examples=40, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.too_slow])
    @given(parameter_space(module))
    def check(params):
        first = registry.compute(name, params, WIDGETS)
        json.dumps(first, allow_nan=False)  # raises on NaN or infinity anywhere
        assert first == registry.compute(name, params, WIDGETS)

    check()
