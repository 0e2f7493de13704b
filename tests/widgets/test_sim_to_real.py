"""Domain randomization, checked on the widget's own training runs."""

import numpy as np

from widgets import sim_to_real as s2r

SEEDS = range(8)
WIDTHS = s2r.WIDTHS


def at(width):
    return int(np.argmin(np.abs(WIDTHS - width)))


def test_moderate_randomization_beats_none_in_the_real_world():
    for seed in SEEDS:
        _, real, _, _ = s2r.curve(seed)
        assert real[at(0.6)] >= 0.9 > 0.1 >= real[0]


def test_without_randomization_the_policy_is_perfect_in_simulation_and_fails_for_real():
    for seed in SEEDS:
        sim, real, _, _ = s2r.curve(seed)
        assert sim[0] == 1.0 and real[0] == 0.0


def test_very_wide_randomization_costs_success_again():
    for seed in SEEDS:
        sim, real, _, force = s2r.curve(seed)
        assert real[-1] < real[at(0.65)]
        assert sim[-1] < 1.0  # no single policy fits every simulator any more
        assert force[-1] > s2r.CRUSH_REAL  # the compromise grips too hard for the real object


def test_a_new_sample_changes_the_simulators_but_not_the_width_success_trend():
    worlds = [s2r.randomized_worlds([0.5], s2r.sample_draws(seed)[0]) for seed in (1, 2)]
    assert not np.allclose(worlds[0][0], worlds[1][0])
    curves = np.array([s2r.curve(seed)[1] for seed in SEEDS])
    best = WIDTHS[curves.argmax(1)]
    assert best.max() - best.min() <= 0.2
    assert np.abs(curves - curves.mean(0)).mean() < 0.1


def test_the_range_first_contains_the_real_world_at_the_marked_width():
    extremes = np.array([[-1.0, 1.0], [-1.0, 1.0]])  # the range's ends, for each factor
    light, friction = s2r.randomized_worlds([s2r.COVERS_REAL, s2r.COVERS_REAL - 0.02], extremes)
    assert light[0, 0] <= s2r.REAL[0] + 1e-12 and friction[0, 0] <= s2r.REAL[1] + 1e-12
    assert light[1, 0] > s2r.REAL[0] or friction[1, 0] > s2r.REAL[1]


def test_when_one_policy_can_fit_every_simulator_training_finds_it_with_the_gentlest_grip():
    sims, _ = s2r.sample_draws(3)
    widths = [0.0, 0.2, 0.4]
    light, friction = s2r.randomized_worlds(widths, sims)
    threshold, force = s2r.train(light, friction)
    for k in range(len(widths)):
        assert np.all(s2r.detects(threshold[k], light[k]))
        assert np.all(s2r.holds(force[k], friction[k]))
        step = s2r.FORCES[1] - s2r.FORCES[0]
        assert force[k] - step <= np.max(s2r.WEIGHT / friction[k])  # one step gentler slips


def test_the_grasp_holds_only_between_slipping_and_crushing():
    assert not s2r.holds(5.0, 0.8)  # needs more than 4.9 N / 0.8 = 6.1 N
    assert s2r.holds(8.0, 0.8)
    assert not s2r.holds(17.0, 0.8)  # crushed
    assert not s2r.holds(15.0, 0.8, crush=s2r.CRUSH_REAL)


def test_darkness_hides_the_object_from_a_threshold_tuned_in_bright_light():
    threshold, _ = s2r.train(*s2r.randomized_worlds([0.0], s2r.sample_draws(0)[0]))
    assert s2r.detects(threshold[0], s2r.NOMINAL[0])
    assert not s2r.detects(threshold[0], s2r.REAL[0])
