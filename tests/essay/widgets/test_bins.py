"""The bins figure: discretization as the text states it, and every sentence about the figure
computed from the value and the number of bins shown."""

import numpy as np
import pytest

from visual_essay.registry import compute
from widgets import WIDGETS, bins as b

CASES = [(2, -1.0), (16, 0.377), (16, 1.0), (100, -0.333), (256, 0.999), (256, 0.0)]


def test_every_value_decodes_within_half_a_bin_and_the_bound_is_tight():
    for n in (2, 7, 16, 256):
        values = np.linspace(b.LOW, b.HIGH, 2001)
        errors = np.abs(b.bin_centre(b.discretize(values, n), n) - values)
        half_bin = (b.HIGH - b.LOW) / (2 * n)
        assert errors.max() <= half_bin + 1e-12 and errors.max() > 0.99 * half_bin


@pytest.mark.parametrize("n,position", CASES)
def test_alt_text_and_readouts_state_this_value_and_these_bins(n, position):
    scene = compute("bins", {"bins": n, "position": position}, WIDGETS)
    index = int(b.discretize(position, n))
    decoded = float(b.bin_centre(index, n))
    error = abs(decoded - position)
    max_error = (b.HIGH - b.LOW) / (2 * n)
    assert f"With {n} bins the value {position:.3f} falls in bin {index}" in scene["alt"]
    assert f"decoded as its centre {decoded:.4f}, an error of {error:.4f}" in scene["alt"]
    assert f"half a bin, {max_error:.4f}" in scene["alt"]
    shown = {r["label"]: r["text"] for r in scene["readouts"]}
    assert shown["bin index"] == f"{index:,}"
    assert shown["action tokens needed"] == f"{n:,}"
