"""Estimating π by throwing darts: a Monte Carlo estimate and how its error shrinks.

Models: darts land uniformly on the unit square; the share that fall inside the quarter circle of
radius 1 estimates its area, π/4. The estimate after n darts is 4 × (hits / n); its standard error
is 4 √(p(1 − p) / n) with p = π/4, so the error shrinks as 1/√n: a hundred times more darts for
one more correct digit.
Simplifies: nothing; this is the whole method. A teaching example, not a paper's result.
"""

import math

import numpy as np

from visual_essay import scene as S
from visual_essay.params import Seed, Slider, Value

TITLE = "Estimating π with darts"

PARAMS = (
    Slider("darts", 10, 1000, step=10, default=200, label="Darts"),
    Seed("seed", 0, label="Throw again"),
)

# Values the page's sentences quote ({=darts.estimate}): computed here, formatted once.
VALUES = (
    Value("estimate", "the estimate of π after every dart", format=".3f"),
    Value("error", "how far the estimate is from π", format=".3f"),
)


def throw(darts, seed):
    """Where ``darts`` darts land on the unit square, (darts, 2)."""
    return np.random.default_rng(seed).random((darts, 2))


def running_estimate(xy):
    """The estimate of π after each dart: 4 × the share of darts inside the quarter circle."""
    inside = (xy ** 2).sum(1) <= 1
    return 4 * np.cumsum(inside) / np.arange(1, len(xy) + 1), inside


def standard_error(n):
    p = math.pi / 4
    return 4 * np.sqrt(p * (1 - p) / np.asarray(n, dtype=float))


def compute(darts, seed):
    xy = throw(darts, seed)
    estimate, inside = running_estimate(xy)
    arc = np.linspace(0, math.pi / 2, 60)
    board = S.panel([
        S.rect(0, 0, 1, 1, color="gray", opacity=0.12),
        S.line(np.cos(arc), np.sin(arc), color="ink", width=1),
        S.points(xy[inside, 0], xy[inside, 1], color="teal", size=2),
        S.points(xy[~inside, 0], xy[~inside, 1], color="orange", size=2),
    ], title=f"{int(inside.sum())} of {darts} darts inside", size=(2.8, 3.0), equal=True,
        # a little room round the square: a dart on its edge shows whole
        x=S.axis(lim=(-0.03, 1.03), hidden=True), y=S.axis(lim=(-0.03, 1.03), hidden=True))

    n = np.arange(1, darts + 1)
    band = 2 * standard_error(n)
    low, high = 2.2, 4.2  # the estimate's axis; the band is cut to it (it starts far wider)
    error = abs(estimate[-1] - math.pi)
    convergence = S.panel([
        S.area(n, np.maximum(np.pi - band, low), np.minimum(np.pi + band, high), color="teal",
               opacity=0.15, label="π ± 2 s.e."),
        S.hline(math.pi, color="muted", dash=True),
        S.line(n, estimate, color="red", width=1.5, label="estimate"),
    ], title="the estimate as darts land", size=(4.2, 3.0), legend="auto",
        x=S.axis("darts thrown", lim=(1, darts)), y=S.axis("estimate of π", lim=(low, high)))
    return S.scene(
        [board, convergence],
        alt=(f"{int(inside.sum())} of {darts} darts land inside the quarter circle, so π is "
             f"estimated as {estimate[-1]:.3f}, off by {error:.3f}; the expected error at "
             f"{darts} darts is about {standard_error(darts):.3f}."),
        readouts=[S.readout("estimate of π", float(estimate[-1]), digits=4),
                  S.readout("error", float(error), digits=2),
                  S.readout("standard error", float(standard_error(darts)), digits=2)],
        values={"estimate": float(estimate[-1]), "error": float(error)},
    )
