"""Cross-embodiment transfer, on the widget's own fits, averaged over draws of demonstrations."""

import numpy as np

from widgets import cross_embodiment as ce

SEEDS = range(12)
ARMS = (0, 1, 2)
QUADRUPED = 3


def mean_errors(demos, enabled):
    """Mean held-out error per robot over SEEDS: (per-robot policies, shared policy)."""
    runs = [ce.errors(demos, enabled, seed)[:2] for seed in SEEDS]
    return np.mean([own for own, _ in runs], 0), np.mean([shared for _, shared in runs], 0)


def test_adding_related_arms_lowers_a_data_poor_arms_held_out_error_step_by_step():
    own, _ = mean_errors(6, [0])
    _, two = mean_errors(6, [0, 1])
    _, three = mean_errors(6, [0, 1, 2])
    assert three[0] < two[0] < own[0]
    own_all, _ = mean_errors(6, [])
    for robot in ARMS:
        assert three[robot] < 0.8 * own_all[robot]


def test_with_all_others_off_the_shared_policy_is_the_per_robot_policy():
    for robot in range(4):
        for demos, seed in ((3, 0), (6, 1), (40, 2)):
            own, shared, _ = ce.errors(demos, [robot], seed)
            assert np.isclose(shared[robot], own[robot], rtol=1e-9)
            assert np.all(np.isnan(np.delete(shared, robot)))


def test_more_demonstrations_lower_every_per_robot_error():
    errors = [mean_errors(demos, [])[0] for demos in (3, 6, 12, 40)]
    assert np.all(np.diff(errors, axis=0) < 0)


def test_pooling_helps_the_data_poor_most():
    def relative_gain(demos):
        own, shared = mean_errors(demos, list(ARMS))
        return 1 - shared[0] / own[0]

    assert relative_gain(4) > relative_gain(40) > 0


def test_the_quadruped_whose_skill_differs_hurts_the_arms_and_is_hurt_itself():
    for demos in (6, 40):
        own, arms_only = mean_errors(demos, list(ARMS))
        _, everyone = mean_errors(demos, [0, 1, 2, 3])
        assert np.all(everyone[list(ARMS)] > arms_only[list(ARMS)])
        assert everyone[QUADRUPED] > own[QUADRUPED]


def test_each_expert_action_makes_exactly_the_expert_motion_whatever_the_joint_count():
    d = np.random.default_rng(0).uniform(-1, 1, (4, 20, 2))
    actions = ce.expert_action(d)
    moved = np.einsum("rjk,rnk->rnj", ce.MOTION, actions)
    assert np.allclose(moved, ce.expert_motion(d))
    for robot, links in enumerate(ce.LINKS):  # unused joints of shorter arms stay still
        assert np.allclose(actions[robot, :, len(links):], 0)


def test_the_arm_jacobian_matches_finite_differences_of_the_kinematics():
    for links, home in zip(ce.LINKS, ce.HOME):
        q = np.array(home)
        numeric = np.stack([(ce.arm_points(links, q + 1e-6 * e)[-1] -
                             ce.arm_points(links, q - 1e-6 * e)[-1]) / 2e-6
                            for e in np.eye(len(q))], 1)
        assert np.allclose(ce.arm_jacobian(links, q), numeric, atol=1e-6)


def test_each_cameras_calibration_undoes_its_view():
    d = np.random.default_rng(1).normal(size=(4, 10, 2))
    assert np.allclose(ce.to_shared(ce.observe(d)), d)
    assert not np.allclose(ce.observe(d)[1], d[1])


def test_alternating_least_squares_never_raises_the_pooled_objective():
    rng = np.random.default_rng(5)
    observations, actions = ce.demonstrations(8, rng)
    pools = np.array([[1.0, 1.0, 1.0, 0.0]])
    phi = ce.features(ce.to_shared(observations))

    def objective(rounds):
        trunk, maps = ce.fit_policies(observations, actions, pools, rounds)
        fit = (phi @ trunk[0]) @ maps[0].transpose(0, 2, 1)
        misfit = ((fit - actions) ** 2).sum((1, 2))
        return (misfit[:3].sum() + ce.RIDGE * (trunk ** 2).sum()
                + ce.RIDGE * (maps[0, :3] ** 2).sum())

    values = [objective(rounds) for rounds in range(1, 8)]
    assert np.all(np.diff(values) <= 1e-9 * values[0])
    assert values[-1] < values[0]
