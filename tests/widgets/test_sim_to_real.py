"""Domain randomization on the widget's own training runs."""

import numpy as np

from widgets import sim_to_real as s2r

WIDTHS = np.round(np.arange(0, 1.0001, 0.05), 2)


def test_moderate_randomization_beats_none_in_the_real_world():
    for seed in range(5):
        results = s2r.curve(seed, WIDTHS)
        moderate = results[(WIDTHS >= 0.55) & (WIDTHS <= 0.75), 1]
        assert results[0, 1] == 0 and moderate.min() >= 0.9


def test_without_randomization_the_policy_is_perfect_in_simulation_and_fails_for_real():
    sim, real = s2r.curve(0, [0.0])[0]
    assert sim == 1.0 and real == 0.0


def test_too_wide_randomization_costs_success_again():
    for seed in range(5):
        results = s2r.curve(seed, WIDTHS)
        assert results[-1, 1] < results[(WIDTHS == 0.65).argmax(), 1]
        assert results[-1, 0] < 1.0  # no single policy fits every simulator any more


def test_new_samples_change_the_simulators_but_not_the_lesson():
    a, b = (s2r.sample_worlds(0.5, 8, np.random.default_rng(seed)) for seed in (1, 2))
    assert not np.allclose(a["light"], b["light"])
    best = [WIDTHS[s2r.curve(seed, WIDTHS)[:, 1].argmax()] for seed in range(5)]
    assert max(best) - min(best) <= 0.2


def test_the_grasp_holds_only_between_slipping_and_crushing():
    assert not s2r.holds(5.0, 0.8)  # needs more than 4.9 N / 0.8 = 6.1 N
    assert s2r.holds(8.0, 0.8)
    assert not s2r.holds(17.0, 0.8)  # crushed
    assert not s2r.holds(15.0, 0.8, crush=s2r.CRUSH_REAL)
