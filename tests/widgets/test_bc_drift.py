"""Behavioral cloning's compounding error against DAgger's, measured on the widget's own rollouts."""

import numpy as np

from widgets import bc_drift as bc


def costs(noise, horizon, seed):
    rng = np.random.default_rng(seed)
    ys, actions = bc.demonstrations(horizon, rng)
    starts = bc.lane(0) + rng.normal(0, 0.03, bc.EVAL_SEEDS)
    bc_ys = bc.rollout(bc.knn_policy(ys, actions, horizon), horizon, noise, rng, starts)
    policy, _ = bc.run_dagger(ys, actions, horizon, noise, rng, bc_ys[:bc.DAGGER_ROLLOUTS])
    dg_ys = bc.rollout(policy, horizon, noise, rng, starts)
    return bc.off_band_cost(bc_ys), bc.off_band_cost(dg_ys)


def test_bc_error_grows_faster_with_the_horizon_than_daggers():
    runs = [costs(0.03, 100, seed) for seed in range(6)]
    for bc_cost, dg_cost in runs:
        assert bc_cost[-1] > 5 * max(dg_cost[-1], 1.0)
    bc_mean = np.mean([r[0] for r in runs], 0)
    dg_mean = np.mean([r[1] for r in runs], 0)
    assert bc.growth_exponent(bc_mean) > 1.4
    assert bc.growth_exponent(bc_mean) > bc.growth_exponent(dg_mean) + 0.3


def test_bc_cost_grows_faster_than_linearly_before_it_saturates():
    ratios = []
    for seed in range(6):
        bc_cost, _ = costs(0.025, 100, seed)
        ratios.append(bc_cost[99] / max(bc_cost[49], 1e-9))
    # Linear growth doubles the cost from T = 50 to T = 100; quadratic quadruples it.
    assert np.median(ratios) > 2.8


def test_dagger_cost_grows_at_most_linearly():
    for seed in range(4):
        _, dg_cost = costs(0.05, 100, seed)
        assert bc.growth_exponent(dg_cost) < 1.5


def test_without_noise_the_cloned_policy_stays_on_the_demonstrated_band():
    bc_cost, _ = costs(0.0, 100, 0)
    assert bc_cost[-1] == 0


def test_dagger_aggregates_visited_states_labelled_by_the_expert():
    horizon, rng = 40, np.random.default_rng(0)
    ys, actions = bc.demonstrations(horizon, rng)
    visited = bc.rollout(bc.knn_policy(ys, actions, horizon), horizon, 0.05, rng,
                         np.full(bc.DAGGER_ROLLOUTS, 0.3))
    policy, size = bc.run_dagger(ys, actions, horizon, 0.05, rng, visited)
    assert size == (bc.DEMOS + bc.DAGGER_ROUNDS * bc.DAGGER_ROLLOUTS) * horizon
    # Far off the lane, where no demonstration went, the refitted policy steers back like the
    # expert, and the cloned policy does not.
    t, y = 10, np.array([bc.lane(10 / horizon) + 0.5])
    expert = bc.expert_action(t / horizon, y, 1 / horizon)
    cloned = bc.knn_policy(ys, actions, horizon)(t, y)
    assert abs(policy(t, y)[0] - expert[0]) < abs(cloned[0] - expert[0])


def test_the_expert_corrects_half_the_error_each_step_against_the_lanes_push():
    rng = np.random.default_rng(0)
    x, y = 0.3, bc.lane(0.3) + 0.2
    a = bc.expert_action(x, y, 0.01)
    _, y2 = bc.step(x, y, a, 0.01, 0.0, rng)
    assert np.isclose(y2 - bc.lane(0.31), 0.2 * (1 - bc.EXPERT_GAIN))
