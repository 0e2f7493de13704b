"""Cross-embodiment transfer on the widget's own fits, averaged over data draws."""

import numpy as np

from widgets import cross_embodiment as ce

SEEDS = range(8)


def mean_errors(demos, enabled):
    runs = [ce.errors(demos, enabled, seed) for seed in SEEDS]
    own = np.mean([[r[0] for r in run] for run in runs], 0)
    shared = [np.mean([run[i][1] for run in runs]) if i in enabled else None for i in range(4)]
    return own, shared


def test_adding_related_embodiments_lowers_a_data_poor_robots_held_out_error():
    own, shared = mean_errors(6, [0, 1, 2])
    for robot in (0, 1, 2):
        assert shared[robot] < own[robot]
    _, alone = mean_errors(6, [0])
    assert shared[0] < alone[0]


def test_an_unrelated_embodiment_hurts_the_others():
    _, related = mean_errors(6, [0, 1, 2])
    _, with_quadruped = mean_errors(6, [0, 1, 2, 3])
    for robot in (0, 1, 2):
        assert with_quadruped[robot] > related[robot]


def test_more_demonstrations_lower_every_per_robot_error():
    few, _ = mean_errors(5, [0])
    many, _ = mean_errors(40, [0])
    assert np.all(many < few)


def test_the_input_map_is_undone_exactly_by_the_calibration():
    z = np.random.default_rng(0).normal(size=(10, 2))
    for robot in range(4):
        assert np.allclose(ce.to_shared(ce.observe(z, robot), robot), z)


def test_a_disabled_robot_gets_no_shared_policy():
    result = ce.errors(6, [0, 2], 0)
    assert result[1][1] is None and result[3][1] is None
    assert result[0][1] is not None and result[2][1] is not None
