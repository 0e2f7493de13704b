"""How many trials a claim needs: success rates measured over a handful of robot trials.

Models: two policies, A and B, each run for the same number of trials, every trial an independent
success with the policy's true rate, so a policy's number of successes is binomial. Real-robot VLA
papers report 10–50 trials per task (π0, arXiv 2410.24164: 10 per task and method; OpenVLA-OFT on
ALOHA, arXiv 2502.19645: 10 to 24; Octo, arXiv 2405.12213: 10), and Kress-Gazit et al. (arXiv
2409.09491) ask for statistics with every success rate.

Computes, exactly (no simulation, no normal approximation of the binomial):
- the Wilson score 95% interval for a run in which each policy succeeds in its true share of the
  trials, rounded to whole trials (Wilson 1927: the interval of rates p for which the observed
  share lies within 1.96 standard errors √(p(1−p)/n) of p);
- the sampling distribution of each policy's observed success rate (binomial probabilities from
  log-factorials);
- against trials per policy, every whole number from 5 to 500: the probability that two copies of
  policy A (identical policies) come out at least ``gap`` percentage points apart, and the
  probability that B comes out strictly ahead of A, each a sum over the two binomials;
- the fewest trials from which each of those stays on the right side of 5% (95%) up to 500.

Simplifies: every trial independent with the same rate (real trials vary in initial conditions,
and a task's trials share a scene); one task; no sequential testing (STEP, arXiv 2503.10966).
"""

from functools import lru_cache
import math

import numpy as np

from visual_essay import scene as S
from visual_essay.params import Slider, Value

TITLE = "How many trials a claim needs"

Z95 = 1.959963984540054  # the standard normal's 97.5th percentile: a two-sided 95% interval
N_MIN, N_MAX = 5, 500
B_AT = 1.55  # policy B's place on the first panel's x axis (A's is 0)
# Panel a's labels sit left of their bar, clear of its dot (4.5 points) and of the true-rate
# line's left end, at every width: the narrow layout has about 56 points per unit, the wide 96.
LABEL_AT = -0.13  # labels' right ends, from the bar
RATE_FROM = -0.07  # the true-rate line's left end, from the bar
X_LIM = (-1.15, B_AT + 0.5)  # room for A's labels on the left, B's right of A's outline
# Panels as wide as a text column holds (about 490 px, 5.1 in; the guide's is 547 px), stacked
# there and on a phone: wider, a column draws them smaller and the key's text under 10 px
PANEL_SIZE = (5.1, 2.7)
NS = np.arange(N_MIN, N_MAX + 1)
LOG_FACTORIAL = np.concatenate([[0.0], np.cumsum(np.log(np.arange(1, N_MAX + 1)))])
# Every (n, k) with k ≤ n for n in NS, flattened row after row (the triangle, not a square: half
# the work on every slider move). Built once; each call fills it in for its rates.
_ROW = np.repeat(np.arange(NS.size), NS + 1)  # which n each entry belongs to
_START = np.concatenate([[0], np.cumsum(NS + 1)[:-1]])  # where each n's row begins
_INDEX = np.arange(_ROW.size)  # each entry's place in the flattened table
_K = _INDEX - _START[_ROW]  # successes k
_FAILS = (NS[_ROW] - _K).astype(float)  # failures n − k
_LOG_CHOOSE = LOG_FACTORIAL[NS[_ROW]] - LOG_FACTORIAL[_K] - LOG_FACTORIAL[NS[_ROW] - _K]

PARAMS = (
    Slider("rate_a", 0, 100, step=1, default=50, label="A's true rate", unit="%"),
    Slider("rate_b", 0, 100, step=1, default=70, label="B's true rate", unit="%"),
    Slider("trials", N_MIN, N_MAX, step=1, default=10, label="Trials per policy"),
    # the gap between two runs of the same policy A that (b)'s solid curve counts
    Slider("gap", 5, 50, step=5, default=30, label="A vs A gap", unit="points"),
)

VALUES = (
    Value("a_run", "policy A's run at its true rate, with its Wilson interval"),
    Value("b_run", "policy B's run at its true rate, with its Wilson interval"),
    Value("differ", "P(two copies of A end at least the gap apart)"),
    Value("ahead", "P(B comes out strictly ahead of A)"),
    Value("quiet_from", "from how many trials copies of A stay within the gap 95% of the time"),
    Value("ahead_from", "from how many trials B comes out ahead 95% of the time"),
    Value("gap_count", "the fewest successes that make the gap at these trials"),
    Value("gap_count_next", "the fewest successes that make the gap at one trial more"),
)


def wilson(successes, trials, z=Z95):
    """Wilson score interval (low, high) for ``successes`` out of ``trials``, as proportions."""
    if trials <= 0 or not 0 <= successes <= trials:
        raise ValueError(f"need 0 ≤ successes ≤ trials and trials > 0, "
                         f"got {successes}/{trials}")
    share = successes / trials
    shrink = 1 + z * z / trials
    centre = (share + z * z / (2 * trials)) / shrink
    half = z / shrink * math.sqrt(share * (1 - share) / trials + z * z / (4 * trials * trials))
    # at 0 or n successes the bound is exactly 0 or 1; rounding must not push it past the share
    low = 0.0 if successes == 0 else centre - half
    high = 1.0 if successes == trials else centre + half
    return low, high


def typical_successes(rate, trials):
    """Successes in a run that goes exactly as the true rate says, rounded half up."""
    return int(math.floor(rate * trials + 0.5))


def pmf_rows(rate):
    """P(k successes in n trials) for every n in NS and k = 0..n, flattened row after row."""
    if rate <= 0.0 or rate >= 1.0:  # all mass on 0 successes, or on n
        flat = np.zeros(_ROW.size)
        flat[_START if rate <= 0.0 else _START + NS] = 1.0
        return flat
    return np.exp(_LOG_CHOOSE + _K * math.log(rate) + _FAILS * math.log1p(-rate))


def row_cdf(flat):
    """P(successes ≤ k) within each row of a flattened table."""
    total = np.cumsum(flat)
    return total - np.repeat(total[_START] - flat[_START], NS + 1)


def row_above(cdf):
    """P(successes > k) within each row, from its ``row_cdf``."""
    return np.clip(1.0 - cdf, 0.0, 1.0)


def row_sums(flat):
    return np.add.reduceat(flat, _START)


def pmf(rate, trials):
    """P(k successes) for k = 0..trials."""
    i = trials - N_MIN
    return pmf_rows(rate)[_START[i]:_START[i] + trials + 1]


def binomial_pmf(trials, rate):
    """P(k successes) for k = 0..trials, for any number of trials (one row, exactly)."""
    if rate <= 0.0 or rate >= 1.0:
        out = np.zeros(trials + 1)
        out[0 if rate <= 0.0 else trials] = 1.0
        return out
    log_fact = np.concatenate([[0.0], np.cumsum(np.log(np.arange(1, trials + 1)))])
    k = np.arange(trials + 1)
    return np.exp(log_fact[trials] - log_fact[k] - log_fact[trials - k]
                  + k * math.log(rate) + (trials - k) * math.log1p(-rate))


def ahead_and_tie(trials, rate_a, rate_b):
    """At one number of trials: (P(B's successes > A's), P(equal))."""
    a, b = binomial_pmf(trials, rate_a), binomial_pmf(trials, rate_b)
    b_above = np.clip(1.0 - np.cumsum(b), 0.0, 1.0)  # P(B > k)
    return min(1.0, float(a @ b_above)), min(1.0, float(a @ b))


def min_count_gap(gap_points, trials):
    """The smallest whole difference in successes that is a gap of at least ``gap_points``."""
    return -(-gap_points * trials // 100)  # ceil(gap · n / 100), in integers


@lru_cache(maxsize=1)
def _gap_lookup(gap_points):
    """For every entry (n, k), with d the fewest successes that make the gap at n: whether
    k ≥ d, and where entry (n, k − d) is, d entries back (where k < d that index reaches into the
    row before, or round to the table's end from the first row: what it reads is not used).
    Depends on the gap alone: kept while a rate moves."""
    need = np.repeat(min_count_gap(gap_points, NS), NS + 1)  # d, for each entry's n
    return _K >= need, _INDEX - need


def identical_differ(rate, gap_points, flat=None, cdf=None):
    """For every n in NS: P(two independent runs of the same policy differ by ≥ gap points)."""
    flat = pmf_rows(rate) if flat is None else flat
    cdf = row_cdf(flat) if cdf is None else cdf
    # d ≥ 1 for a gap of a point or more: the tails X − Y ≥ d and Y − X ≥ d are disjoint
    reached, back = _gap_lookup(gap_points)
    below = np.where(reached, cdf[back], 0.0)
    one_side = row_sums(flat * below)  # P(X − Y ≥ d) = Σ_k P(X = k) P(Y ≤ k − d)
    return np.minimum(1.0, 2 * one_side)  # Y − X ≥ d is as likely


def b_ahead(rate_a, rate_b, flat_a=None, flat_b=None, above_b=None):
    """For every n in NS: (P(B's successes > A's), P(equal)). ``above_b``: B's ``row_above``."""
    a = pmf_rows(rate_a) if flat_a is None else flat_a
    b = pmf_rows(rate_b) if flat_b is None else flat_b
    above_b = row_above(row_cdf(b)) if above_b is None else above_b
    ahead = row_sums(a * above_b)  # Σ_k P(A = k) P(B > k)
    tie = row_sums(a * b)
    return np.minimum(1.0, ahead), np.minimum(1.0, tie)


# Memos keyed by the sliders' whole-number values: moving the trials slider then redraws without
# recomputing the binomial tables, which depend only on the rates and the gap (pure functions,
# so a memo cannot change a result; returned arrays are never modified). A rate's tables are
# kept apart from the curves, so that moving one slider reuses those of the rate it leaves
# alone: B's P(B > k) while A's rate moves, A's cumulative table while the gap moves. One of
# each is enough for that (each is a megabyte).
@lru_cache(maxsize=8)
def _pmf_rows_at(percent):
    return pmf_rows(percent / 100)


@lru_cache(maxsize=1)
def _cdf_at(percent):
    return row_cdf(_pmf_rows_at(percent))


@lru_cache(maxsize=1)
def _above_at(percent):
    return row_above(row_cdf(_pmf_rows_at(percent)))


@lru_cache(maxsize=8)
def _differ_at(percent, gap_points):
    return identical_differ(percent / 100, gap_points, _pmf_rows_at(percent), _cdf_at(percent))


@lru_cache(maxsize=8)
def _ahead_at(percent_a, percent_b):
    return b_ahead(percent_a / 100, percent_b / 100, _pmf_rows_at(percent_a),
                   _pmf_rows_at(percent_b), _above_at(percent_b))


def trials_from(ok):
    """The fewest trials from which ``ok`` holds at every n up to N_MAX, or None."""
    bad = np.flatnonzero(~ok)
    if bad.size == 0:
        return int(NS[0])
    return None if bad[-1] == NS.size - 1 else int(NS[bad[-1] + 1])


def percent(x):
    """A proportion as a percentage with one decimal, 0 and 100 without one."""
    s = f"{100 * x:.1f}"
    return {"0.0": "0", "100.0": "100"}.get(s, s)


def prob_text(p):
    """A probability to two decimals; near 0 or 1, a bound (sums of tiny terms can round to
    exactly 0 or 1 in floating point, so "0" or "1" would claim a certainty they do not have)."""
    if p < 0.005:
        return "below 0.01"
    return "above 0.99" if p >= 0.995 else f"{p:.2f}"


def interval_text(successes, trials):
    low, high = wilson(successes, trials)
    return f"{percent(low)}–{percent(high)}%"


def run_text(successes, trials):
    """'5 successes in 10 trials (23.7–76.3%)': a run and its Wilson interval."""
    said = "1 success" if successes == 1 else f"{successes} successes"
    return f"{said} in {trials} trials ({interval_text(successes, trials)})"


def _from(n, each=""):
    """When a threshold is first held for good: 'from 24 trials', or that it never is."""
    return f"from {n} trials{each}" if n is not None else f"at no number of trials up to {N_MAX}"


def _short_from(n):
    """_from for a readout: as long whether the threshold is reached or not."""
    return f"from {n} trials" if n is not None else f"none up to {N_MAX}"


# Panel b's probability axis and size. The floor leaves room under a dot at 0 for its value
# (VALUE_GAP and a line of text, about 14 points; 0.2 is 16 or more in both layouts) and lifts a
# probability near 0 off the x axis: it draws along the 0 tick, not on the axis line. The top
# leaves the same room above a dot at 1, under the key (above the plot: in a corner it covered
# the room above a dot near 1). Taller than panel a: 80 to 90 points per unit of probability.
P_LIM = (-0.2, 1.2)
CURVES_SIZE = (PANEL_SIZE[0], 3.0)
# The sides each value may take beside its dot (the two dots share an x). The higher dot's value
# goes above it and the lower dot's below, so each sits on its own dot's far side from the other;
# level with its dot too when the dots are at least LEVEL_APART apart (12 to 13 points: half a
# line of text, a dot's radius and air), so that a value level with one dot is clear of the other.
ABOVE, BELOW, LEVEL = ("above right", "above left", "above"), ("below right", "below left",
                                                              "below"), ("right", "left")
LEVEL_APART = 0.15
# Points from a dot's centre to its value (the layout tries 2, 3, 4 and 6 times as far when the
# near places are covered): 5 clears the dot and puts a crowded value at most 30 points out.
VALUE_GAP = 5


def value_labels(at_x, differ_n, ahead_n):
    """The two probabilities at the chosen trials, each beside its point, on the side away from
    the other; one label when both read the same (both below 0.01, say), so the two never fight for
    the same place."""
    differ_s, ahead_s = prob_text(differ_n), prob_text(ahead_n)
    if differ_s == ahead_s:
        return [S.text(at_x, differ_n, f"both {differ_s}", size=9, bold=True, beside=True,
                       gap=VALUE_GAP)]
    level = LEVEL if abs(differ_n - ahead_n) >= LEVEL_APART else ()
    differ_up = differ_n > ahead_n
    return [S.text(at_x, value, text, size=9, color=colour, bold=True, gap=VALUE_GAP,
                   beside=(ABOVE if up else BELOW) + level)
            for value, text, colour, up in ((differ_n, differ_s, "blue", differ_up),
                                            (ahead_n, ahead_s, "orange", not differ_up))]


# Where the curves' names go: beside one end of the curves, reaching inward, the higher curve's
# name above both curves all along its width (as drawn on a phone, where the names take the
# larger share of the plot) and the lower one's below both: each name on its own curve's far side
# from the other, never between the two (where either curve could be its own), never across a
# curve and clear of the dashed lines at 0.05 and 0.95. The end is the one away from the chosen
# trials (whose values sit by their dots), unless the curves nearly meet under the names there
# and stand further apart at the other end.
NAME_SIZE = 9
NAMES_APART = 0.15  # probability: about 12 points in either layout, a line of the names' text
NAME_CLEAR = 60  # points: a value ("above 0.99", bold) and the gap to its dot
NAME_SIDES = {("right end", "above"): ("above left",), ("right end", "below"): ("below left",),
              ("left end", "above"): ("above right",), ("left end", "below"): ("below right",)}
# (b)'s plot, in points: as wide as a phone's panel draws it, as tall as both layouts draw it
PLOT_WIDTH = S.NARROW_WIDTH * 72 - S.MARGIN["left"] - S.MARGIN["right"]
PLOT_HEIGHT = CURVES_SIZE[1] * 72 - 40 - 38  # less the layout's margins (title and key; axis)
REFERENCES = (0.05, 0.95)


def name_heights(top, bottom):
    """Where the higher name (above ``top``) and the lower one (below ``bottom``) are anchored:
    moved off a dashed reference line their box would cross, to its far side from the curves."""
    per_y = PLOT_HEIGHT / (P_LIM[1] - P_LIM[0])  # points per unit of probability
    gap, tall, air = VALUE_GAP / per_y, 1.25 * NAME_SIZE / per_y, 2 / per_y
    for line in REFERENCES:  # the box spans gap to gap + tall above top, as far below bottom
        if top + gap - air < line < top + gap + tall + air:
            top = line - gap + air
        if bottom - gap - tall - air < line < bottom - gap + air:
            bottom = line + gap - air
    return top, bottom


def curve_names(logn, differ, ahead, gap, at_x, lim):
    """Each curve named in its colour beside an end of the curves, on its side away from the
    other curve (the key above keeps the dashed reference lines only: one row at every width)."""
    # short enough to leave, on a phone's plot (180 points), room for a value beside a dot: the
    # event each curve gives the probability of, the gap by the slider's name (in points)
    names = (f"A vs A gap ≥ {gap}", "B ahead of A")
    reach = max(S.text_width(name, NAME_SIZE) for name in names) / PLOT_WIDTH * (lim[1] - lim[0])
    under = {0: logn <= logn[0] + reach, -1: logn >= logn[-1] - reach}
    apart = {end: float(np.abs(differ - ahead)[w].max()) for end, w in under.items()}
    far = -1 if at_x < (logn[0] + logn[-1]) / 2 else 0
    # the near end only when the names there stay clear of the dots and their values
    near_clear = abs(at_x - logn[-1 - far]) > reach + NAME_CLEAR / PLOT_WIDTH * (lim[1] - lim[0])
    end = -1 - far if (near_clear and apart[far] < NAMES_APART
                       and apart[-1 - far] > apart[far]) else far
    w = under[end]
    differ_up = differ[w].mean() >= ahead[w].mean()
    top, bottom = name_heights(max(differ[w].max(), ahead[w].max()),
                               min(differ[w].min(), ahead[w].min()))
    which = "right end" if end == -1 else "left end"
    return [S.text(logn[end], top if up else bottom, name, size=NAME_SIZE, color=colour,
                   beside=NAME_SIDES[which, "above" if up else "below"], gap=VALUE_GAP)
            for name, colour, up in ((names[0], "blue", differ_up),
                                     (names[1], "orange", not differ_up))]


def compute(rate_a, rate_b, trials, gap):
    pa, pb = rate_a / 100, rate_b / 100
    n = trials
    ka, kb = typical_successes(pa, n), typical_successes(pb, n)
    flat_a, flat_b = _pmf_rows_at(rate_a), _pmf_rows_at(rate_b)
    differ = _differ_at(rate_a, gap)
    ahead, tie = _ahead_at(rate_a, rate_b)
    at = n - N_MIN
    differ_n, ahead_n, tie_n = float(differ[at]), float(ahead[at]), float(tie[at])
    quiet_from = trials_from(differ < 0.05)
    ahead_from = trials_from(ahead >= 0.95)

    # 1. what one run of n trials shows: the interval, and where a run can land
    marks = []
    row = slice(_START[n - N_MIN], _START[n - N_MIN] + n + 1)
    # B sits far enough right that its labels, left of its bar, clear A's shaded outline
    for x, flat, p, k, colour in ((0, flat_a, pa, ka, "blue"), (B_AT, flat_b, pb, kb, "orange")):
        low, high = wilson(k, n)
        probs = flat[row]
        width = 0.32 * probs / probs.max()
        # a step outline: each count k of successes spans rates (k ± 0.5) / n; counts whose
        # probability is below a millionth of the likeliest one's would be drawn zero wide
        seen = np.flatnonzero(probs >= 1e-6 * probs.max())
        ks = np.arange(seen[0], seen[-1] + 1)
        lows = (ks - 0.5) / n
        ys = np.clip(np.stack([lows, lows + 1 / n], axis=1).ravel(), 0, 1)
        xs = x + 0.1 + np.repeat(width[ks], 2)
        marks += [
            S.polygon(np.concatenate([[x + 0.1], xs, [x + 0.1]]),
                      100 * np.concatenate([[ys[0]], ys, [ys[-1]]]), color=colour, opacity=0.3,
                      label=f"where A's run of {n} can land" if x == 0 else "where B's can land"),
            S.line([x + RATE_FROM, x + 0.45], [100 * p, 100 * p], color="ink", width=1.2,
                   dash=True, label="true rate" if x == B_AT else None),  # keyed after both runs
            S.errorbars([x], [100 * k / n], [100 * low], [100 * high], color=colour, width=2,
                        cap=5),
            S.points([x], [100 * k / n], color=colour, size=4.5),
            # left of the bar, level with its ends: above the top, below the bottom (a few
            # points apart when the interval is narrow), so neither meets the dot, the
            # true-rate line (wherever it crosses the bar) or the other label
            S.text(x + LABEL_AT, 100 * high + 3, f"{k}/{n}", size=10, anchor="end",
                   valign="bottom", color=colour, bold=True),
            S.text(x + LABEL_AT, 100 * low - 2, f"{percent(low)}–{percent(high)}%", size=9.5,
                   anchor="end", valign="top", color=colour),
        ]
    one_run = S.panel(
        # the key above the plot: a run's label at 100% reaches its top
        marks, title=f"{n} trials each: 95% intervals", size=PANEL_SIZE, legend="above",
        x=S.axis(lim=X_LIM, ticks=[0, B_AT],
                 ticklabels=[f"A ({rate_a}%)", f"B ({rate_b}%)"]),
        y=S.axis("success rate (%)", lim=(-16, 120), ticks=[0, 25, 50, 75, 100]))

    # 2. against trials per policy (log scale): identical policies far apart; B ahead of A
    logn = np.log10(NS)
    at_x = math.log10(n)
    lim = (math.log10(N_MIN) - 0.06, math.log10(N_MAX) + 0.06)  # the end dots show whole
    tick_ns = [5, 10, 20, 50, 100, 200, 500]
    curves = S.panel([
        # named in the key: the axis keeps even ticks (0.05, 0.25, ... 0.95 read as a log scale)
        S.hline([0.05, 0.95], color="muted", dash=True, label="probability 0.05 and 0.95"),
        S.line(logn, differ, color="blue", width=2),
        S.line(logn, ahead, color="orange", width=2, dash=True),
        S.points([at_x] * 2, [differ_n, ahead_n], color="ink", size=3.5),
        # each value beside its point, on the side away from the other point, where it covers
        # neither curve, line nor the other value (one label for both when they read the same).
        # No vertical line marks the trials: it took the places right above and below the dots.
        *value_labels(at_x, differ_n, ahead_n),
        # the curves named on the plot, not in a key of two rows over curves already labelled
        *curve_names(logn, differ, ahead, gap, at_x, lim),
    ], title="probability, against trials per policy", size=CURVES_SIZE, legend="above",
        x=S.axis("trials per policy (log scale)",
                 lim=lim,
                 ticks=[math.log10(t) for t in tick_ns], ticklabels=[str(t) for t in tick_ns]),
        y=S.axis("probability", lim=P_LIM, ticks=[0, 0.25, 0.5, 0.75, 1],
                 ticklabels=["0", "0.25", "0.5", "0.75", "1"]))

    la, ha = wilson(ka, n)
    lb, hb = wilson(kb, n)
    overlap = la <= hb and lb <= ha
    alt = (f"With {n} trials each, policy A (true rate {rate_a}%) succeeding {ka} times has a "
           f"Wilson 95% interval of {percent(la)}–{percent(ha)}%, and policy B ({rate_b}%) "
           f"succeeding {kb} times has {percent(lb)}–{percent(hb)}%: the intervals "
           f"{'overlap' if overlap else 'do not overlap'}. Computed exactly from the binomial: "
           f"two copies of A end at least {gap} points apart with probability "
           f"{prob_text(differ_n)}, and B comes out strictly ahead of A with probability "
           f"{prob_text(ahead_n)} (a tie {prob_text(tie_n)}). Two copies of A stay under {gap} "
           f"points apart 95% of the time {_from(quiet_from, ' each')}; B comes out ahead 95% "
           f"of the time {_from(ahead_from, ' each')}.")
    # The same labels at every setting and values of a line each (a readout that appears, or
    # wraps at one setting, moves the page under the reader); the numbers are in the alt too.
    readouts = [
        S.readout("policy A's run", f"{ka}/{n}, {interval_text(ka, n)}"),
        S.readout("policy B's run", f"{kb}/{n}, {interval_text(kb, n)}"),
        S.readout("A vs A, at least the gap apart", prob_text(differ_n)),
        S.readout("B ahead of A", prob_text(ahead_n)),
        S.readout("A vs A within the gap in 95% of runs", _short_from(quiet_from)),
        S.readout("B ahead in 95% of runs", _short_from(ahead_from)),
        S.readout("tie", prob_text(tie_n)),
    ]
    values = {"a_run": run_text(ka, n), "b_run": run_text(kb, n), "differ": prob_text(differ_n),
              "ahead": prob_text(ahead_n), "quiet_from": _from(quiet_from),
              "ahead_from": _from(ahead_from),
              "gap_count": f"{min_count_gap(gap, n)} successes",
              "gap_count_next": f"{min_count_gap(gap, n + 1)}"}
    return S.scene([one_run, curves], alt=alt, readouts=readouts, values=values)
