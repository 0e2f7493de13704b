"""Action bins: what a uniform discretization of one action dimension keeps and loses.

Models: one continuous action dimension on [-1, 1] (e.g. a normalized end-effector Δx), cut into
``bins`` equal bins, as RT-1 (arXiv 2212.06817), RT-2 (arXiv 2307.15818) and OpenVLA
(arXiv 2406.09246) do with 256 bins per dimension. A value is replaced by the centre of its bin, so
the error is at most half a bin: range / (2·bins). The vocabulary a language model needs for it
grows as the number of bins.

Simplifies: one dimension, a fixed range (OpenVLA sets each dimension's range from the 1st and 99th
percentiles of its training data and clips outside it).
"""

import math

import numpy as np

from visual_essay import scene as S
from visual_essay.params import Slider, Stops, Value

TITLE = "Discretizing one action dimension"

LOW, HIGH = -1.0, 1.0
MAX_EDGES = 48  # bin edges panel a draws at most (on a phone, 5 points apart)
END_PAD = 0.1  # panel b's axis past a range's end, in its window's spans: a dot there sits inside
ORDINAL = {2: "2nd", 4: "4th", 8: "8th"}

# Two stops per doubling, 2 to 256: an even slider gave 2-32 bins, where the error changes most,
# an eighth of its track (15 px on a phone).
BINS = (2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256)

PARAMS = (
    Stops("bins", BINS, default=16, label="Bins per dimension"),
    Slider("position", LOW, HIGH, step=0.001, default=0.377, label="Continuous action"),
)

VALUES = (
    Value("error", "how far the decoded value is from the continuous one", format=".3g"),
    Value("max_error", "the worst-case error, half a bin", format=".3g"),
    # Over a range of 2 units, half a bin is 1/bins of a unit and 1/(2·bins) of the range.
    Value("max_of_unit", "the worst-case error as a fraction of a unit"),
    Value("max_of_range", "the worst-case error as a fraction of the range"),
)


def discretize(value, bins, low=LOW, high=HIGH):
    """The bin index of ``value``: uniform bins over [low, high], the top edge in the last bin."""
    width = (high - low) / bins
    return np.clip(np.floor((np.asarray(value) - low) / width), 0, bins - 1).astype(int)


def bin_centre(index, bins, low=LOW, high=HIGH):
    width = (high - low) / bins
    return low + (np.asarray(index) + 0.5) * width


def compute(bins, position):
    width = (HIGH - LOW) / bins
    index = int(discretize(position, bins))
    decoded = float(bin_centre(index, bins))
    error = abs(position - decoded)
    max_error = (HIGH - LOW) / (2 * bins)
    edges = np.linspace(LOW, HIGH, bins + 1)

    # Past about 48 bins the edges would merge into a grey block on a phone (256 bins: under a
    # point apart): every 2nd, 4th or 8th edge is drawn, and the title says so.
    nth = 2 ** math.ceil(math.log2(bins / MAX_EDGES)) if bins > MAX_EDGES else 1
    drawn = np.union1d(edges[::nth], edges[-1:])
    title = f"{bins} bins over [−1, 1]" + (f": every {ORDINAL[nth]} edge drawn" if nth > 1 else "")
    full = S.panel(
        [
            S.segments(
                drawn,
                np.full_like(drawn, -0.25),
                drawn,
                np.full_like(drawn, 0.25),
                color="gray",
                width=0.8,
            ),
            S.line([LOW, HIGH], [0, 0], color="muted", width=1),
            S.points([position], [0], color="ink", size=5, label="continuous"),
            # a smaller diamond on the black dot: told apart by shape as well as colour, and the
            # black shows round it where the two coincide (256 bins)
            S.points([decoded], [0], color="green", size=3.2, shape="diamond", label="discretized"),
        ],
        title=title,
        size=(4.2, 1.9),
        legend="upper left",
        x=S.axis("action value", lim=(LOW - 0.08, HIGH + 0.08)),  # a dot at ±1 whole
        y=S.axis(lim=(-0.6, 1.0), hidden=True),
    )

    # A window of about seven bins around the value, so the error is visible at any bin count.
    lo = max(LOW, edges[index] - 3 * width)
    hi = min(HIGH, edges[index + 1] + 3 * width)
    near = edges[(edges >= lo - 1e-12) & (edges <= hi + 1e-12)]
    # The error's label sits under the gap between the two dots, kept inside the panel: at the
    # range's ends it hangs from the outer dot instead of centring past the edge.
    centre, inner, outer = (position + decoded) / 2, min(position, decoded), max(position, decoded)
    share = (centre - lo) / (hi - lo)
    label_x, anchor = (
        (inner, "start") if share < 0.2 else (outer, "end") if share > 0.8 else (centre, "middle")
    )
    # The range's ends, where the window reaches them, drawn taller and darker than the other
    # edges: a value at ±1 sits on that edge, inside the axis (padded by a tenth of the window
    # past it), not on the axis's end where the edge and the dot merged (the ninth desk).
    ends = near[np.isclose(np.abs(near), HIGH)]
    pad_lo = END_PAD * (hi - lo) if np.isclose(lo, LOW) else 0.3 * width
    pad_hi = END_PAD * (hi - lo) if np.isclose(hi, HIGH) else 0.3 * width
    zoom = S.panel(
        [
            S.segments(
                near, np.full_like(near, -0.4), near, np.full_like(near, 0.4), color="gray", width=1
            ),
            S.segments(ends, np.full_like(ends, -0.5), ends, np.full_like(ends, 0.5),
                       color="muted", width=1.6),
            S.rect(edges[index], -0.4, edges[index + 1], 0.4, color="green", opacity=0.12),
            S.line([lo, hi], [0, 0], color="muted", width=1),
            S.segments([position], [-0.55], [decoded], [-0.55], color="red", width=2),
            S.text(label_x, -0.75, f"error {error:.3g}", color="red", size=9, anchor=anchor),
            S.points([position], [0], color="ink", size=5),
            S.points([decoded], [0], color="green", size=3.2, shape="diamond"),
            S.text(decoded, 0.62, f"bin {index}", color="green", size=9),
        ],
        title="zoomed to the bins around it",
        size=(3.2, 1.9),
        # padded by a third of a bin, or a tenth of the window past a range's end
        x=S.axis("action value", lim=(lo - pad_lo, hi + pad_hi)),
        y=S.axis(lim=(-1.0, 0.9), hidden=True),
    )

    counts = np.unique(np.round(np.geomspace(2, 256, 40)).astype(int))
    curve = S.panel(
        [
            S.line(np.log2(counts), (HIGH - LOW) / (2 * counts), color="teal", width=2),
            S.points([np.log2(bins)], [max_error], color="green", size=5),
        ],
        title="max error = range / (2 · bins)",
        size=(3.2, 1.9),
        # padded on every side by more than the dot's radius (5 pt: a size is a radius), so the
        # dot at 2 and at 256 bins shows whole inside the plot's clip
        x=S.axis(
            "bins (vocabulary per dimension)",
            lim=(0.65, 8.35),
            ticks=[1, 2, 4, 6, 8],
            ticklabels=["2", "4", "16", "64", "256"],
        ),
        y=S.axis("max error", lim=(-0.06, 0.58), ticks=[0, 0.25, 0.5]),
    )

    return S.scene(
        [full, zoom, curve],
        alt=(
            f"With {bins} bins the value {position:.3f} falls in bin {index} and is decoded as "
            f"its centre {decoded:.4f}, an error of {error:.4f}; no value can be off by more "
            f"than half a bin, {max_error:.4f}."
        ),
        readouts=[
            S.readout("bin index", index),
            S.readout("decoded value", decoded, digits=4),
            S.readout("error", error, digits=3),
            S.readout("max error (range / 2n)", max_error, digits=3),
            S.readout("vocabulary per dimension", bins),
        ],
        values={
            "error": error,
            "max_error": max_error,
            "max_of_unit": f"1/{bins * 2 // round(HIGH - LOW)}",
            "max_of_range": f"1/{2 * bins}",
        },
    )
