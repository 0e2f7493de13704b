"""What the darts figure claims, checked on its own output; each test's name states its claim."""

import math

import numpy as np

from visual_essay.registry import compute
from widgets import WIDGETS, darts


def test_the_estimate_lands_within_four_standard_errors_of_pi():
    for seed in range(20):
        estimate, _ = darts.running_estimate(darts.throw(1000, seed))
        assert abs(estimate[-1] - math.pi) < 4 * darts.standard_error(1000)


def test_the_error_shrinks_as_more_darts_are_thrown():
    def mean_error(n):
        return np.mean([abs(darts.running_estimate(darts.throw(n, s))[0][-1] - math.pi)
                        for s in range(40)])
    assert mean_error(1000) < mean_error(40) / 2


def test_the_alt_text_and_readouts_state_this_throw():
    for n, seed in ((10, 0), (200, 3), (1000, 7)):
        scene = compute("darts", {"darts": n, "seed": seed}, WIDGETS)
        estimate, inside = darts.running_estimate(darts.throw(n, seed))
        assert f"{int(inside.sum())} of {n} darts" in scene["alt"]
        assert f"estimated as {estimate[-1]:.3f}" in scene["alt"]
        assert scene["readouts"][0]["text"] == f"{estimate[-1]:.4g}"
