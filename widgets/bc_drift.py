"""Behavioral cloning drifts; DAgger brings it back.

Models: a point robot drives along a curved lane, one fixed step of progress per time step; the
action is its sideways move. The horizon T is the length of the task: T steps cover T steps of
lane, so a longer horizon is a longer drive. The lane is slightly unstable, like a cambered road: a
sideways error grows by 8% per step unless corrected. The expert corrects half of any error each
step. Purple: the expert's 8 demonstrations, driven over the whole lane (150 steps, the longest
horizon), so changing T does not change what was demonstrated; they stay well inside a band around
the lane. Red: behavioral cloning, a k-nearest-neighbour regression (k = 4) from the state to the
expert's action, fitted on those demonstrations and rolled out with action noise. The state is
the progress along the lane and the sideways offset from the lane's centre, and the action is
learned as a correction to the lane's own heading; the neighbours are the 4 training states
nearest in offset among those within 2 steps of progress (an exact 1-D search: a sorted table per
step). Inside the band it copies the expert well; once noise pushes it outside, it meets states no
demonstration visited, its neighbours' actions correct too little, and it rarely comes back.
Blue (DAgger toggle): the learner is rolled out, the expert labels every state it visited, the
labels are added to the data and the policy refitted: DAGGER_ROUNDS = 2 rounds of 6 rollouts, the
first round relabelling behavioral cloning's own rollouts (Ross, Gordon & Bagnell, DAgger,
arXiv 1011.0686). Like the demonstrations, its training rollouts drive the whole lane. Its data now
covers the states its own mistakes lead to. DAgger's policy is evaluated on the same starts and the
same noise as behavioral cloning's.

Panel b counts the steps spent off the band (|offset| > 0.12), summed up to each horizon T and
averaged over 24 runs: the cost J(T) of the theory, drawn on a fixed log scale (linear below 0.1,
so a zero cost sits at the foot) that no control changes. Ross & Bagnell (AISTATS 2010) bound
behavioral cloning's cost by J* + T²ε (errors compound: a mistake at step t costs every remaining
step); DAgger's bound is J* + uTε + O(1), linear in T (arXiv 1011.0686). The readouts fit the growth
exponent of each curve on a log-log scale over the last three quarters of the horizon (not when a
curve stays under one step). J(T) grows each step by the fraction of runs then off the band, at
most one step per step: it can grow like T² only while few runs have left the band, so more noise
(runs leave sooner) gives a *smaller* fitted exponent, nearer 1, though a larger cost.

Training never depends on T and the policy is causal, so a task of horizon T is exactly the first
T steps of the 150-step one. The widget therefore simulates the whole lane once per seed and noise
level and keeps the result: the horizon slider and the DAgger toggle only slice and redraw it.

Simplifies: one sideways dimension, a 1-D lane, a k-NN learner instead of a network, and a 0-1 cost
(off the band or not). The exponents are measured on this toy, not taken from the papers. DAgger's
data is finite too (two rounds of six rollouts): at long horizons and high noise some of its runs
also escape, and its fitted exponent rises above 1.
"""

import numpy as np

from visual_essay import scene as S
from visual_essay.params import Seed, Slider, Toggle, Value
from visual_essay.prepared import at_build

TITLE = "Behavioral cloning drifts; DAgger corrects"

UNSTABLE = 0.08  # the lane pushes a sideways error out by this fraction per step
EXPERT_GAIN = 0.5  # the expert removes this fraction of the error per step
BAND = 0.12  # half-width of the band the demonstrations cover: leaving it counts as cost
K = 4  # neighbours averaged by the learner
DEMOS = 8
DEMO_NOISE = 0.01  # the expert's own action noise in the demonstrations
START_SPREAD = 0.03  # sideways spread of the starting positions
EVAL_SEEDS = 24
DAGGER_ROUNDS = 2  # rounds of relabelling; the first relabels the behavioral-cloning rollouts
DAGGER_ROLLOUTS = 6  # learner rollouts the expert labels per round
T_MAX = 150  # the whole lane, in steps: the longest horizon
WINDOW = 2  # the policy looks for neighbours among the training states within 2 steps
PERIOD = 100  # steps per period of the lane's wave
MIN_FIT_COST = 1.0  # fit no exponent to a cost curve ending under one step off the band
# Both panels keep one frame at every setting, so a touch moves the data, not the axes.
SIDEWAYS_AXIS = (-0.9, 1.5)  # panel a: the lane and its band; a run that leaves is marked there
# Panel b: one frame at every setting, so a touch of any control (a seed, a step of the horizon
# or of the noise) moves the curves and never the axis. The costs the chapter's steps show run from
# a fraction of a step (DAgger's, at the default noise) to over a hundred (cloning's at T = 150 and
# the highest noise): on a linear axis fixed for the largest, the default's 40 filled a quarter of
# the height and step 1's 13 a tenth. So the scale is logarithmic above LOG_FROM and linear below
# it (a "symlog" scale), and a cost of 0 sits at the foot. No nonzero cost lies in the linear part
# but the smallest, 1/EVAL_SEEDS (one run off the band for one step).
LOG_FROM = 0.1
# The top: J(T) ≤ T ≤ T_MAX (a step adds at most one step off the band per run), so no setting
# draws a cost above it, and nothing is cut off.
COST_TOP = float(T_MAX)
COST_TICKS = (0, 0.1, 1, 10, 100)
DOT = 3.5  # points between the dots of panel b's linear reference
DOT_LENGTH = 1.2  # points: each dot's length
# Panel b's scale, roughly (points per step across, per unit of cost_y up), to space those dots,
# and its points per step in each layout (wide, and a phone's), to keep the references' names off
# the policies' curves
STEP_PTS, UNIT_PTS = 1.3, 30.0
LAYOUT_STEP_PTS = (1.92, 1.2)
LABEL_UNIT_PTS = 31.3  # points per unit of cost_y, as laid out at both widths
AIR = 2.0  # points at least between a reference's name and its own curve
# Under this cost the curves are short and stepped (a cost moves by 1/EVAL_SEEDS): no reference
# curves, whose names would only crowd them.
REFERENCE_MIN = 20.0
# Nor under this horizon: on a phone the curves then span under 50 points across, and a
# reference's name cannot sit nearer its own curve than the others.
REFERENCE_MIN_T = 40

# The expert's demonstrations and their band: purple, not teal, so they differ from cloning's red
# run in hue for every reader (the twelfth desk: under protanopia teal and red were both solid
# greys, told apart by weight and position only). DAgger's blue run is dashed.
EXPERT = "purple"

DAGGER_OFF = "off"  # DAgger's readouts while it is hidden: no wider than its numbers
# Hidden, DAgger keeps its legend entries, the same words, greyed (the readouts say "off"), so a
# touch changes neither a row nor a label.
DAGGER_OFF_COLOR = "muted"


def cost_y(j):
    """The height in panel b of a cost ``j`` (steps): linear up to LOG_FROM (at 1), then one unit
    per factor of ten."""
    j = np.asarray(j, dtype=float)
    return np.where(j <= LOG_FROM, j / LOG_FROM,
                    1 + np.log10(np.maximum(j, LOG_FROM) / LOG_FROM))


PARAMS = (
    Slider("noise", 0.0, 0.08, step=0.005, default=0.03, label="Action noise"),
    Slider("horizon", 20, T_MAX, step=10, default=100, label="Horizon T", unit="steps"),
    Toggle("dagger", True, label="Show DAgger"),
    Seed("seed", 1, label="New rollout"),
)

AVERAGED = range(1, 21)  # the seeds the sentences' exponents are averaged over, whatever is shown
EXPONENTS = f"{{}} exponent: these runs / {len(AVERAGED)} seeds"  # of the growth of J(T)

VALUES = (
    Value("bc_cost", f"behavioral cloning's J(T), mean of its {EVAL_SEEDS} runs", format=".3g"),
    Value("dg_cost", f"DAgger's J(T), mean of its {EVAL_SEEDS} runs", format=".2g"),
    Value("bc_doubling", "how many times cloning's cost grows from T/2 to T"),
    Value("bc_mean", f"cloning's growth exponent, cost averaged over {len(AVERAGED)} seeds",
          format=".1f"),
    Value("dg_mean", f"DAgger's growth exponent, cost averaged over {len(AVERAGED)} seeds",
          format=".1f"),
)


def lane(t):
    """The lane's centre after t steps of progress."""
    s = np.asarray(t, dtype=float) / PERIOD
    return 0.6 * np.sin(2 * np.pi * s) + 0.3 * s


def expert_action(t, y):
    """Follow the lane to the next step and remove half the error, against the lane's own push."""
    error = y - lane(t)
    return lane(t + 1) - lane(t) - (UNSTABLE + EXPERT_GAIN) * error


def step(t, y, action, disturbance=0.0):
    """The sideways position after one step: the action, the lane's push, and action noise."""
    return y + action + UNSTABLE * (y - lane(t)) + disturbance


GROW = 1.0 + UNSTABLE  # in lane coordinates e = y - lane(t): e' = GROW·e + (a - Δlane) + noise
LABEL = -(UNSTABLE + EXPERT_GAIN)  # the expert's action in lane coordinates is LABEL·e


def draws(seed):
    """Every random number a run uses, drawn once per seed and independent of noise and horizon:
    starts are sideways errors, ``*_eps`` standard normals per step (scaled by the noise)."""
    rng = np.random.default_rng(seed)
    return {
        "demo_start": rng.normal(0, START_SPREAD, DEMOS),
        "demo_eps": rng.standard_normal((T_MAX, DEMOS)),
        "start": rng.normal(0, START_SPREAD, EVAL_SEEDS),
        "eps": rng.standard_normal((T_MAX, EVAL_SEEDS)),
        "round_start": rng.normal(0, START_SPREAD, (DAGGER_ROUNDS - 1, DAGGER_ROLLOUTS)),
        "round_eps": rng.standard_normal((DAGGER_ROUNDS - 1, T_MAX, DAGGER_ROLLOUTS)),
    }


# Demonstrations are linear in their noise: e_t = (1-g)^t e_0 + Σ_k (1-g)^(t-1-k) σ ε_k.
_DECAY = (1 - EXPERT_GAIN) ** np.arange(T_MAX + 1)
_DEMO_MAP = np.tril(_DECAY[np.subtract.outer(np.arange(T_MAX + 1), np.arange(T_MAX) + 1)
                           .clip(0)], -1)


def demonstrations(d):
    """The expert's DEMOS runs over the whole lane, as sideways errors (T_MAX + 1, DEMOS)."""
    return np.outer(_DECAY, d["demo_start"]) + _DEMO_MAP @ (DEMO_NOISE * d["demo_eps"])


def pool(states):
    """The training states the policy searches at each step: those of the steps within WINDOW of
    it (the window slides inward at the ends of the lane, so every step pools 2·WINDOW + 1
    steps). ``states`` (T_MAX, ..., n) -> (T_MAX, ..., (2·WINDOW + 1)·n)."""
    first = np.clip(np.arange(T_MAX) - WINDOW, 0, T_MAX - 1 - 2 * WINDOW)
    pooled = states[first[:, None] + np.arange(2 * WINDOW + 1)]  # (T_MAX, 2W + 1, ..., n)
    return np.moveaxis(pooled, 1, -2).reshape(states.shape[:-1] + (-1,))


def knn_tables(states):
    """The k-NN policy fitted on ``states`` (..., n), each labelled with the expert's action.

    In 1-D the K nearest training states of a query q are K consecutive ones in sorted order, and
    the window starting at j + 1 beats the one at j exactly when q lies above the midpoint of
    sorted[j] and sorted[j + K]. So the window start is the number of those midpoints below q
    (a ``searchsorted``), and the action is the mean label of the window. Every label is the
    expert's, LABEL times the state's error, so the mean label is LABEL times the mean state.
    Returns the midpoints (..., n - K) and the window actions in lane coordinates
    (..., n - K + 1)."""
    c = np.sort(states, axis=-1, kind="stable")  # timsort: pooled rows are a few sorted runs
    sums = np.concatenate([np.zeros(c.shape[:-1] + (1,)), np.cumsum(c, axis=-1)], axis=-1)
    mids = (c[..., :-K] + c[..., K:]) / 2
    return mids, LABEL * (sums[..., K:] - sums[..., :-K]) / K


def knn_act(mids, actions, e):
    """The fitted policy's action (lane coordinates) at sideways errors e, from one step's
    tables."""
    return actions[np.searchsorted(mids, e)]


def fit(states):
    """The policy trained on ``states`` (T_MAX, n): each step's tables over its pooled training
    states."""
    return knn_tables(pool(np.sort(states, axis=-1)))


def rollout(policy, start, eps, noise):
    """Sideways errors (T_MAX + 1, runs) of ``policy`` (its tables) driven from ``start`` errors
    with action noise ``noise`` times the standard normals ``eps`` (T_MAX, runs): the runs move
    together, one ``searchsorted`` per step."""
    mids, actions = list(policy[0]), list(policy[1])
    kicks = list(noise * eps)
    e = np.asarray(start, dtype=float)
    out = [e]
    for t in range(T_MAX):
        e = e * GROW + actions[t][mids[t].searchsorted(e)] + kicks[t]
        out.append(e)
    return np.array(out)


_SEEDS = {}  # seed -> its random numbers, demonstrations and cloned policy: no noise in them


def _seed_data(seed):
    if seed not in _SEEDS:
        d = draws(seed)
        demos = demonstrations(d)
        _SEEDS[seed] = d, demos, fit(demos[:T_MAX])
        if len(_SEEDS) > 8:
            del _SEEDS[next(iter(_SEEDS))]
    return _SEEDS[seed]


def simulate(seed, noise):
    """Train and run everything over the whole lane: sideways errors (T_MAX + 1, runs) of the
    demonstrations, of behavioral cloning and of DAgger's final policy, the number of DAgger's
    training states per step, and both policies' tables."""
    d, demos, cloned = _seed_data(seed)
    bc = rollout(cloned, d["start"], d["eps"], noise)
    states, visited = demos, bc[:, :DAGGER_ROLLOUTS]  # round 1 relabels the cloned policy's runs
    for round_ in range(DAGGER_ROUNDS):
        states = np.concatenate([states[:T_MAX], visited[:T_MAX]], axis=1)  # the expert labels
        policy = fit(states)
        if round_ < DAGGER_ROUNDS - 1:
            visited = rollout(policy, d["round_start"][round_], d["round_eps"][round_], noise)
    dagger = rollout(policy, d["start"], d["eps"], noise)
    return {"demos": demos, "bc": bc, "dagger": dagger, "dagger_states": states.shape[1],
            "bc_policy": cloned, "dagger_policy": policy}


def off_band(errors):
    """Per step t = 1..T_MAX, how many runs are off the band (runs on the last axis)."""
    return (np.abs(errors[1:]) > BAND).sum(-1)


def growth_exponent(cost):
    """(slope, first T) of log J against log T, fitted from T/4 to the end over the horizons
    where the cost is above 0.05; (None, None) if the final cost is under one step (a few
    excursions among the runs: no shape to fit) or fewer than three horizons qualify."""
    t = np.arange(1, len(cost) + 1)
    keep = (cost > 0.05) & (t >= len(cost) // 4)
    if cost[-1] < MIN_FIT_COST or keep.sum() < 3:
        return None, None
    x, y = np.log(t[keep]), np.log(cost[keep])
    x = x - x.mean()
    return float((x * (y - y.mean())).sum() / (x * x).sum()), int(t[keep][0])


_CACHE = {}  # (seed, noise) -> what compute draws: every horizon and the toggle read from it
CACHE_SIZE = 64


def results(seed, noise):
    """Off-band counts per step, costs and the first run of each policy at this seed and noise,
    over the whole lane; simulated once, then kept (the horizon only slices them)."""
    key = (int(seed), float(noise))
    if key not in _CACHE:
        sim = simulate(seed, noise)
        bc_off, dg_off = off_band(sim["bc"]), off_band(sim["dagger"])
        _CACHE[key] = {
            "demos": sim["demos"], "dagger_states": sim["dagger_states"],
            "bc_off": bc_off, "dg_off": dg_off,
            "bc_cost": bc_off.cumsum() / EVAL_SEEDS, "dg_cost": dg_off.cumsum() / EVAL_SEEDS,
            "bc_run": sim["bc"][:, 0], "dg_run": sim["dagger"][:, 0],
        }
        if len(_CACHE) > CACHE_SIZE:
            del _CACHE[next(iter(_CACHE))]
    return _CACHE[key]


def averaged_costs(noise, seeds=AVERAGED):
    """Cost curves J(1..T_MAX) of both policies, averaged over ``seeds`` (each a mean of its
    EVAL_SEEDS runs)."""
    sims = [simulate(seed, noise) for seed in seeds]
    return (np.mean([off_band(x["bc"]).cumsum() for x in sims], 0) / EVAL_SEEDS,
            np.mean([off_band(x["dagger"]).cumsum() for x in sims], 0) / EVAL_SEEDS)


NOISES = [round(0.005 * i, 3) for i in range(17)]  # the noise slider's values
HORIZONS = list(range(20, T_MAX + 1, 10))  # the horizon slider's values


@at_build
def averaged_exponents():
    """For every noise and horizon on the sliders, the growth exponent of each policy's cost
    averaged over AVERAGED seeds (None where it is too small to fit): {noise: {"bc": [...],
    "dg": [...]}} by horizon. Twenty simulations per noise: done once, when the site is built."""
    table = {}
    for noise in NOISES:
        bc_cost, dg_cost = averaged_costs(noise)
        table[f"{noise:g}"] = {name: [growth_exponent(cost[:T])[0] for T in HORIZONS]
                               for name, cost in (("bc", bc_cost), ("dg", dg_cost))}
    return table


def averaged_exponent(policy, noise, horizon):
    """``policy`` ("bc" or "dg")'s seed-averaged exponent: from the build's table on the sliders'
    grid, computed afresh off it (a noise or horizon set in the address)."""
    row = averaged_exponents().get(f"{noise:g}")
    if row is not None and horizon in HORIZONS:
        return row[policy][HORIZONS.index(horizon)]
    cost = averaged_costs(noise)[0 if policy == "bc" else 1]
    return growth_exponent(cost[:horizon])[0]


def _steps(j):
    return f"{j:.2f}" if j < 1 else f"{j:.1f}"


def _cost_words(cost, horizon):
    """(fitted exponent or None, a clause stating the cost and its growth) for one cost curve."""
    exponent, first = growth_exponent(cost)
    if cost[-1] == 0:
        return None, "never leaves the band in any run"
    said = f"spends {_steps(cost[-1])} steps off the band (mean of {EVAL_SEEDS} runs), "
    if exponent is None:
        return None, said + "too rarely (under one step per run) to fit a growth exponent"
    return exponent, said + (f"growing about as T^{exponent:.1f} (fitted over T = {first}–"
                             f"{horizon})")


def leaves_view(y, lo, hi):
    """The first step (index of ``y``) at which a run is outside [lo, hi], or None."""
    out = np.flatnonzero((np.asarray(y) < lo) | (np.asarray(y) > hi))
    return int(out[0]) if out.size else None


def in_view(x, y, lo, hi):
    """A run's path up to where it first leaves the plotted range [lo, hi], ending on that edge
    (interpolated): an unstable run grows without bound, and a path the plot's edge cuts off
    would hide where it left."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    i = leaves_view(y, lo, hi)  # y[0] starts on the lane, inside the view
    if i is None:
        return x, y
    edge = hi if y[i] > hi else lo
    f = (edge - y[i - 1]) / (y[i] - y[i - 1])
    return np.append(x[:i], x[i - 1] + f * (x[i] - x[i - 1])), np.append(y[:i], edge)


def run_marks(steps, y, name, color, dash):
    """A run's path up to the horizon, cut where it leaves panel a, and there a label saying at
    which step it left: the edge alone reads as the end of the run. One line, the step read off
    the x axis: two lines did not fit between the lane's band and the plot's edge on a phone."""
    lo, hi = SIDEWAYS_AXIS
    x_cut, y_cut = in_view(steps, y, lo, hi)
    marks = [S.line(x_cut, y_cut, color=color, width=2, dash=dash, label=name)]
    left = leaves_view(y, lo, hi)
    if left is not None:
        inward = "below" if y_cut[-1] == hi else "above"  # the label stays inside the plot
        marks.append(S.text(x_cut[-1], y_cut[-1], f"off the plot at {left}", color=color,
                            size=8, gap=3, beside=(f"{inward} right", "right", f"{inward} left",
                                                   "left")))
    return marks


def task_end_label(T, lines):
    """"T = N" at the foot of the task's end or at its head: at the edge of panel a with more room
    between it and the lane's band and the runs (``lines``) over the last 20 steps, an edge where
    a run left the plot within 80 steps of T counting 0.8 of a unit less (that run's label takes
    it: a label is up to about 50 steps wide on a phone)."""
    lo, hi = SIDEWAYS_AXIS
    steps = np.arange(max(T - 20, 0), T + 1)
    near, exits = [lane(steps) - BAND, lane(steps) + BAND], []
    for m in lines:
        x, y = np.asarray(m["x"]), np.asarray(m["y"])
        near.append(y[(x >= T - 20) & (x <= T)])
        if y.size and y[-1] in (lo, hi) and x[-1] >= T - 80:
            exits.append(y[-1])
    near = np.concatenate(near)
    foot = near.min() - lo - 0.8 * (lo in exits) >= hi - near.max() - 0.8 * (hi in exits)
    side = "above" if foot else "below"
    return S.text(T, lo if foot else hi, f"T = {T}", color="muted", size=8, gap=3,
                  beside=(f"{side} left", f"{side} right"))


def _box_distances(boxes, pts):
    """Each box (rows of x0, x1, y0, y1) from the nearest of ``pts`` (n, 2); 0 inside it."""
    if not len(pts):
        return np.full(len(boxes), np.inf)
    x0, x1, y0, y1 = (boxes[:, i, None] for i in range(4))
    dx = np.maximum(np.maximum(x0 - pts[:, 0], pts[:, 0] - x1), 0)
    dy = np.maximum(np.maximum(y0 - pts[:, 1], pts[:, 1] - y1), 0)
    return np.sqrt((dx * dx + dy * dy).min(axis=1))


def _in_points(curve, step_pts):
    """A curve (t, y on panel b's scale) in points (across, up), at most a point apart."""
    t, y = (np.asarray(v, float) for v in curve)
    pts = np.c_[t * step_pts, y * LABEL_UNIT_PTS]
    if len(pts) < 2:
        return pts
    n = np.ceil(np.hypot(*np.diff(pts, axis=0).T)).astype(int).clip(1)
    along = np.concatenate([[0], np.cumsum(n)])
    fine = np.arange(along[-1] + 1)
    return np.c_[np.interp(fine, along, pts[:, 0]), np.interp(fine, along, pts[:, 1])]


def label_point(T, cost, power, own, curves, size, gap=4.0, margin=4.0):
    """(x, y, side) of the name of the reference growing as T^power (the curve ``own``, (t, y) on
    panel b's scale): a point on it and a side of it ("below right" or "above left") where the
    name, about ``size`` points, lies nearer its own curve than any of the other ``curves`` by
    ``margin`` points at either width, so it reads as that curve's name (the eleventh desk: at
    noise 0.08 "∝ T²" sat clear of every line but under DAgger's dashes, and read as DAgger's).
    The usual side first (T²'s below, away from T's above) at a few fractions of T, the usual
    one (0.8 T for T², 0.5 T for T) first, then the other side; failing all, the place where the
    name is nearest its own curve relative to the others. The engine then places the label
    beside that point."""
    fractions = ((0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.25, 0.2, 0.15, 0.1, 0.07, 0.05) if power == 2
                 else (0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8, 0.15, 0.1))
    sides = ("below right", "above left") if power == 2 else ("above left", "below right")
    w, h = size
    tried = [(side, f) for side in sides for f in fractions]
    x = T * np.array([f for _, f in tried])
    y = cost_y(cost * np.array([f ** power for _, f in tried]))
    curves_pts = [(step_pts, _in_points(own, step_pts),
                   np.concatenate([_in_points(c, step_pts) for c in curves] or [np.empty((0, 2))]))
                  for step_pts in LAYOUT_STEP_PTS]

    def scores(at):  # the candidates ``at`` (a slice of tried), each at its worse width
        below = np.array([side == "below right" for side, _ in tried[at]])
        score = np.inf
        for step_pts, mine, others in curves_pts:
            # the engine's offsets of a beside label from its point, in points (across, up)
            ax = x[at] * step_pts + np.where(below, 0.7 * gap, -1.4 * gap - w)
            ay = y[at] * LABEL_UNIT_PTS
            bottom = np.where(below, ay - 0.7 * gap - h, ay + 1.4 * gap)
            boxes = np.c_[ax, ax + w, bottom, bottom + h]
            apart = _box_distances(boxes, mine)
            nearest = _box_distances(boxes, others)
            score = np.minimum(score, np.where(apart >= AIR, nearest - apart, -np.inf))
        return score

    # The usual place alone first (it is nearly always taken: each point costs in Pyodide), then
    # the rest together; the first that keeps the margin, else the best (the first of equals).
    score = scores(slice(0, 1))
    if score[0] < margin:
        score = np.concatenate([score, scores(slice(1, None))])
    met = np.flatnonzero(score >= margin)
    pick = int(met[0] if met.size else np.argmax(score))
    if score[pick] == -np.inf:
        return None
    return float(x[pick]), float(y[pick]), tried[pick][0]


def reference_marks(T, cost, curves):
    """Shapes growing as T² and as T, ending where the BC curve ends (T, cost), each named beside
    it, on its side away from the other, where the name crosses none of ``curves`` (the
    policies', (t, y) on panel b's scale): dashed and dotted, so more than a shade of grey tells
    them apart. Drawn on panel b's scale (``cost_y``), their points dense near 0, where the log
    scale is steep."""
    ref = T * np.concatenate([[0.0], np.geomspace(1e-3, 1, 80)])
    quadratic = S.line(ref, cost_y(cost * (ref / T) ** 2), color="gray", dash=True, width=1)
    # The straight line dotted: dots DOT_LENGTH points long, about DOT points apart along the
    # curve as drawn (STEP_PTS and UNIT_PTS: panel b's scale, roughly), the last ending where the
    # BC curve ends. Each dot's ends lie on the curve.
    fine = T * np.concatenate([[0.0], np.geomspace(1e-4, 1, 600)])
    linear_y = cost_y(cost * fine / T)
    along = np.concatenate([[0.0], np.cumsum(np.hypot(STEP_PTS * np.diff(fine),
                                                      UNIT_PTS * np.diff(linear_y)))])
    starts = np.linspace(0, along[-1] - DOT_LENGTH, max(2, round(along[-1] / DOT)))
    t0, t1 = np.interp(starts, along, fine), np.interp(starts + DOT_LENGTH, along, fine)
    linear = S.segments(t0, cost_y(cost * t0 / T), t1, cost_y(cost * t1 / T), color="muted",
                        width=1.2)
    names = []
    for name, power, size, others in (("∝ T", 1, (12.0, 7.5), [(ref, quadratic["y"])]),
                                      ("∝ T²", 2, (17.0, 7.5), [(fine, linear_y)])):
        own = (ref, quadratic["y"]) if power == 2 else (fine, linear_y)
        x, y, side = label_point(T, cost, power, own, curves + others, size)
        first, then = (("above left", "left", "above"), ("below right", "right", "below"))[
            ::1 if side == "above left" else -1]
        names.append(S.text(x, y, name, color="muted", size=8, gap=4, beside=first + then))
    return [quadratic, linear, *names]


def compute(noise, horizon, dagger, seed):
    r = results(seed, noise)
    T = horizon
    t = np.arange(1, T + 1)
    bc_cost, dg_cost = r["bc_cost"][:T], r["dg_cost"][:T]
    bc_exp, bc_words = _cost_words(bc_cost, T)
    bc_left = int(r["bc_off"][T - 1])

    steps = np.arange(T_MAX + 1)
    centre = lane(steps)
    y_lo, y_hi = SIDEWAYS_AXIS
    thin = steps[::3]  # the band and demonstrations drawn every third step: smaller JSON
    # The lane past the task's end, shaded: a band, not a dashed rule, so a label near step T
    # (a run's "off the plot") crosses no line.
    marks = [S.vband(T, T_MAX, color="gray", opacity=0.12)] if T < T_MAX else []
    marks += [S.area(thin, centre[thin] - BAND, centre[thin] + BAND, color=EXPERT, opacity=0.12,
                     label=f"band ±{BAND:g}")]
    marks += [S.line(thin, centre[thin] + e, color=EXPERT, width=1, opacity=0.7,
                     label="expert demos" if k == 0 else None)
              for k, e in enumerate(r["demos"][thin].T)]
    marks += run_marks(steps[:T + 1], centre[:T + 1] + r["bc_run"][:T + 1], "cloning (BC)", "red",
                       dash=False)
    cost_marks = [S.line(t, cost_y(bc_cost), color="red", width=2, label="BC")]
    # Each exponent twice: fitted to these runs' cost, and to the cost averaged over the
    # AVERAGED seeds, the one the chapter's sentences quote (a reader saw 1.5 beside "about 1.7").
    fitted = {p: averaged_exponent(p, noise, T) for p in ("bc", "dg")}

    def exponents(this, policy):
        return " / ".join("–" if e is None else f"{e:.1f}" for e in (this, fitted[policy]))
    readouts = [S.readout("BC off-band steps J(T)", float(bc_cost[-1]), digits=3),
                S.readout(EXPONENTS.format("BC"), exponents(bc_exp, "bc")),
                S.readout("BC runs off the band at step T", f"{bc_left} of {EVAL_SEEDS}")]
    summary = f"Over a {T}-step task, behavioral cloning {bc_words}"
    if bc_cost[-1] > 0:
        summary += f"; at step {T}, {bc_left} of its {EVAL_SEEDS} runs are off the band"
    top = float(bc_cost[-1])
    if dagger:
        dg_exp, dg_words = _cost_words(dg_cost, T)
        # Dashed as well as blue: the two policies differ by more than colour.
        marks += run_marks(steps[:T + 1], centre[:T + 1] + r["dg_run"][:T + 1], "DAgger", "blue",
                           dash=True)
        cost_marks.append(S.line(t, cost_y(dg_cost), color="blue", width=2, dash=True,
                                 label="DAgger"))
        readouts += [S.readout("DAgger J(T)", float(dg_cost[-1]), digits=3),
                     S.readout(EXPONENTS.format("DAgger"), exponents(dg_exp, "dg")),
                     S.readout("DAgger training states", r["dagger_states"] * T_MAX)]
        summary += f". DAgger, after {DAGGER_ROUNDS} rounds of relabelling, {dg_words}"
        top = max(top, float(dg_cost[-1]))
    else:  # the same readouts and legend entries, the readouts saying it is off, the entries
        # greyed: a touch never drops a row or changes a label
        readouts += [S.readout(label, DAGGER_OFF) for label in
                     ("DAgger J(T)", EXPONENTS.format("DAgger"), "DAgger training states")]
        for drawn in (marks, cost_marks):
            drawn.append(S.line([], [], color=DAGGER_OFF_COLOR, width=2, dash=True,
                                label="DAgger"))
    marks.append(task_end_label(T, [m for m in marks if m["kind"] == "line"]))
    if bc_cost[-1] >= REFERENCE_MIN and T >= REFERENCE_MIN_T:
        cost_marks += reference_marks(T, float(bc_cost[-1]),
                                      [(np.asarray(m["x"]), np.asarray(m["y"]))
                                       for m in cost_marks if len(m["x"])])
    # Panel a's legend above the plot: the lane and the runs fill every corner at some setting. Its
    # labels are the same with DAgger or without: one row on a desktop, and on a phone two rows
    # of two (the data, then the policies), "expert demos" too wide to share the first row's
    # room with a policy.
    paths_panel = S.panel(marks, title=f"the lane, {DEMOS} overlapping demos and one run of each "
                          "policy",
                          size=(4.8, 2.9), legend="above",
                          x=S.axis("progress along the lane (steps)", lim=(0, T_MAX)),
                          y=S.axis("y (sideways)", lim=(y_lo, y_hi)))
    # Panel b's legend above too: its curves reach every corner at some setting.
    if top == 0:  # no run ever leaves the band: the curves lie on the zero line, at the foot,
        # and a sentence in the plot says why. Not the panel's empty note: the engine draws no
        # key beside one, and a key must not change with a touch (the eleventh desk).
        cost_marks = [m for m in cost_marks if m.get("label")]
        cost_marks.append(S.text(T_MAX / 2, float(cost_y(COST_TOP)) / 2,
                                 S.wrap(f"No run leaves the band within {T} steps: the cost is 0 "
                                        "at every horizon.", 160, size=9), color="muted", size=9))
    cost_panel = S.panel(cost_marks, title="cost J(T): steps off the band", size=(4.8, 2.9),
                         legend="above", x=S.axis("horizon T (steps)", lim=(0, T_MAX)),
                         y=S.axis(f"J(T), mean of {EVAL_SEEDS} runs (log)",
                                  lim=(0, float(cost_y(COST_TOP))),
                                  ticks=[float(v) for v in cost_y(COST_TICKS)],
                                  ticklabels=[f"{v:g}" for v in COST_TICKS]))
    half = float(r["bc_cost"][T // 2 - 1])
    doubling = (f"{bc_cost[-1] / half:.1f} times" if half > 0 else
                "no more" if bc_cost[-1] == 0 else "far more")
    values = {"bc_cost": float(bc_cost[-1]), "dg_cost": float(dg_cost[-1]),
              "bc_doubling": doubling,
              **{f"{p}_mean": "too small to fit" if e is None else e for p, e in fitted.items()}}
    return S.scene([paths_panel, cost_panel], alt=summary + ".", readouts=readouts,
                   values=values)
