"""ACT's claims on the widget's own runs: chunks and temporal ensembling smooth a noisy policy."""

import numpy as np

from widgets import action_chunking as ac


def mean_metrics(mode, k, noise=0.04, m=0.01, seeds=8):
    runs = [ac.run(mode, k, noise, m, np.random.default_rng(s)) for s in range(seeds)]
    return (np.mean([ac.jerk(p) for p in runs]), np.mean([ac.tracking_error(p) for p in runs]))


def test_chunked_control_has_lower_jerk_than_single_step():
    single, _ = mean_metrics("single", 1)
    for k in (5, 20, 50):
        chunked, _ = mean_metrics("chunked", k)
        assert chunked < 0.6 * single


def test_temporal_ensembling_is_smoother_still():
    chunked, _ = mean_metrics("chunked", 20)
    ensembled, ensembled_error = mean_metrics("ensembled", 20)
    _, single_error = mean_metrics("single", 1)
    assert ensembled < chunked
    assert ensembled_error < single_error


def test_chunks_of_one_without_ensembling_are_single_step_control_exactly():
    for seed in range(3):
        a = ac.run("chunked", 1, 0.05, 0.01, np.random.default_rng(seed))
        b = ac.run("single", 1, 0.05, 0.01, np.random.default_rng(seed))
        assert np.array_equal(a, b)


def test_ensemble_weights_put_the_oldest_prediction_first():
    w = ac.ensemble_weights(5, 0.01)
    assert np.isclose(w.sum(), 1) and np.all(np.diff(w) < 0) and w.argmax() == 0
    assert np.allclose(ac.ensemble_weights(4, 0.0), 0.25)  # m = 0: a plain average


def test_long_open_loop_chunks_react_to_a_push_later():
    def recovery(mode, k):
        p = ac.run(mode, k, 0.0, 0.01, np.random.default_rng(0))
        off = np.abs(p - ac.reference(np.arange(len(p))))[ac.PUSH_AT:]
        return int(np.argmax(off < 0.05))
    assert recovery("chunked", 50) > recovery("single", 1) + 10
