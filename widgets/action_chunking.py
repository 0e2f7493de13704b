"""Action chunking and temporal ensembling, as in ACT: fewer decisions, jumps at chunk boundaries,
and the reaction to a surprise.

Models: a robot follows a reference motion with position control at 50 Hz (ALOHA's rate) for 150
steps. Its policy is noisy in the way a learned one is: every time it is queried at step q it sees
the arm (with sensor noise) and predicts the next k target positions, planning to remove 15% of its
distance from the reference per step, but each prediction carries its own error, an offset drawn
afresh per query (a model's mistakes differ from one input to the next). Halfway, the object is
bumped and the goal shifts; a plan made before the bump does not know it. Three ways to run the
same policy on the same random draws (Zhao et al., ACT, arXiv 2304.13705):

- single-step (red): query every step and execute the first target: 150 decisions per run;
- chunked (green): query every k steps and execute all k targets open-loop: ⌈150 / k⌉ decisions,
  ACT's k-fold shorter effective horizon (fewer decisions for errors to compound over);
- temporal ensembling (blue): query every step and execute for step t the weighted average of all
  the predictions made for t, w_i = exp(−m·i) with w_0 the OLDEST prediction, so older predictions
  weigh more as m grows and the newest observation counts less (ACT's released code: m = 0.01).

What it measures, on this run: the jump of each step, |Δ(executed − reference)| (how far a step
departs from the reference's own motion), as RMS over the steps before the bump, split for chunks
into the first step of a new chunk (a boundary) and the steps inside a chunk; the tracking error
before the bump (RMS distance from the reference); and the reaction to the bump: steps until half
of it is made up, and until the arm is back within 10% of it for good. The system is linear, so the
bump's own effect is exactly this run minus the same run without the bump; the reaction is read from
that difference and does not depend on the noise or the seed. The third panel repeats the half-way
reaction for every m, for the current k, as guidance for the m slider.

Assumed, not derived: a prediction's error is constant over its chunk (a policy trained on smooth
demonstrations outputs smooth chunks), so motion inside a chunk is smooth by construction and the
widget makes no claim about it; what it measures is what happens where plans meet. The error also
does not grow with how far ahead a prediction reaches, which flatters long chunks.

Simplifies: one dimension, a hand-written linear policy with explicit errors instead of a CVAE
transformer, chunks of up to 50 (ACT uses k = 100), no pauses (ACT's other reason for chunks:
non-Markovian behaviour such as pauses in demonstrations).
"""

import functools

import numpy as np

from visual_essay import scene as S
from visual_essay.params import Seed, Slider, Value

TITLE = "Action chunking and temporal ensembling"

STEPS = 150  # 3 s at ACT's 50 Hz
RETURN_RATE = 0.15  # the policy plans to remove this fraction of its error per step
SENSOR_NOISE = 0.01
PUSH_AT, PUSH = 75, 0.25
FRAMES = 6
MAX_K = 50  # the chunk slider's maximum (ACT uses k = 100)
LANE_STEPS = (0.25, 0.5, 1.0)  # panel (a)'s tick steps, the smallest that fits
LABEL_BAND = 0.3  # the share of a lane panel (a)'s labels take, above each lane's run
# Steps between panel (a)'s y axis and its lanes' labels: 7 points or more at both widths (at 1
# step they started on the axis line: the eleventh graphics desk)
LABEL_INSET = 6
LANE_GAP = 0.14  # under a lane's ticks and rule, before the next lane's label: of the run's height
HALF, SETTLED = 0.5, 0.1  # reaction: half the bump made up; back within 10% of it for good
M_GRID = np.round(np.linspace(0.0, 0.5, 11), 2)  # the third panel's m values
MODES = ("single", "chunked", "ensembled")
COLOURS = {"single": "red", "chunked": "green", "ensembled": "blue"}

PARAMS = (
    Slider("chunk", 1, MAX_K, step=1, default=20, label="Chunk size k (steps)"),
    Slider("noise", 0.0, 0.1, step=0.005, default=0.04, label="Policy error"),
    Slider("m", 0.0, 0.5, step=0.01, default=0.01, label="Ensemble weight m"),
    Seed("seed", 4, label="New run"),
)

RUNS = 30  # the sentences quote jumps pooled over this many runs (seeds 0 … RUNS − 1), not one
# Panel b's axis: the largest jump at the most policy error (0.105) with its value beside it.
JUMP_AXIS = 0.145
# Panel c's axis: one for each k, the same whatever m, the noise or the seed (dragging m never
# rescales it), from two: 0-22 steps while every m's slowest half recovery at this k fits under
# it, with room for its dot (k up to 21: the defaults and the guided steps, 5 to 19 steps, fill
# most of it), else 0-53 (the slowest any control reaches: 49 steps, ensembling with chunks of 50
# and m >= 0.4; a test checks every k and m). One axis for every k left 60% of the plot empty at
# the defaults (the ninth graphics desk); one that followed the data made a chunk of 50 look as
# quick as one of 5 (the fifth).
STEPS_AXES = ((22, [0, 5, 10, 15, 20]), (53, [0, 10, 20, 30, 40, 50]))
DOT_ROOM = 0.06  # of the axis, above the slowest recovery: the dot at m shows whole
# Panel c: wide enough that its key takes two rows above the plot, not three, and narrow enough
# to sit beside panel b in the guided figure's narrowest row (2.3 + 2.8 in and the gap: 499 of
# the 511 px it has at a 960-px window, measured in Chromium).
M_PANEL_SIZE = (2.8, 2.5)

VALUES = (
    Value("decisions", "plans a chunked run starts", format="d", unit="decisions"),
    Value("jump_single", f"single-step jump, RMS over {RUNS} runs", format=".2g"),
    Value("jump_boundary", f"jump at the first step of a chunk, RMS over {RUNS} runs",
          format=".2g"),
    Value("jump_inside", f"jump inside a chunk, RMS over {RUNS} runs ('none' for k = 1)",
          format=".1g"),
    Value("jump_ensembled", f"ensembled jump, RMS over {RUNS} runs", format=".1g"),
    Value("half_single", "steps single-step control takes to make up half the bump"),
    Value("half_chunked", "steps chunked control takes to make up half the bump"),
    Value("half_ensembled", "steps ensembling takes to make up half the bump"),
)

# ---- the linear system, precomputed ----------------------------------------------------------
# Deviation from the reference, e_t = executed_t − reference_t (e_0 = 0). A query at q sees
# o_q = e_q + sensor_q and predicts for step t = q + j the deviation (1 − RETURN_RATE)^j · o_q
# + error_q, minus the bump if q < PUSH_AT ≤ t (a plan made before the bump does not know it).
# Executed: e_t = Σ_q W[t, q] · prediction_q(t), where row t of W weighs the queries whose
# predictions are executed at t: one 1 for single-step and chunked control, ACT's weights for
# ensembling. So (I − W ∘ Aᴰ) e = (W ∘ Aᴰ) sensor + W error − PUSH · b, with b_t the weight in
# row t of queries made before the bump (t ≥ PUSH_AT). The reference itself cancels: the policy
# plans relative to it, so only deviations need computing (the tests re-run it with positions).
N = STEPS + 1
T = np.arange(N)
LAG = T[:, None] - T[None, :]  # t − q
DECAY = np.where(LAG > 0, (1 - RETURN_RATE) ** np.maximum(LAG, 0), 0.0)
EYE = np.eye(N)
LAG_INDEX = np.clip(LAG, 0, MAX_K + 1)  # lags past the largest chunk share one (zero) slot
# The bump's own effect is zero before PUSH_AT: its system needs rows and columns from PUSH_AT on.
B = slice(PUSH_AT, N)
NB = N - PUSH_AT
EYE_B = np.eye(NB)
DECAY_B = DECAY[B, B]


def query_times(mode, k):
    """The steps at which a query starts a new plan."""
    return np.arange(0, STEPS, k if mode == "chunked" else 1)


def ensemble_weights(count, m):
    """ACT's weights for `count` predictions of one step, oldest first: w_i = exp(-m * i)."""
    w = np.exp(-m * np.arange(count))
    return w / w.sum()


def weights(mode, k, m, first=0, last=N):
    """W[t, q] for steps t, q in ``first`` … ``last`` − 1: the weight of query q's prediction in
    the action executed at step t. Chunked (single-step is k = 1): 1 for the query whose chunk
    runs at t. Ensembling: the min(k, t) queries before t, oldest first with w_i = exp(−m·i),
    i = n_t − (t − q); normalised per step, that is exp(m·(t − q)) / Σ_{d=1..n_t} exp(m·d): the
    older, the heavier for m > 0. ``m`` may be an array (a batch of matrices on a first axis)."""
    steps = T[first:last]
    if mode != "ensembled":
        k = 1 if mode == "single" else k
        start = ((steps - 1) // k) * k  # the query whose chunk is executed at each step
        rows = np.nonzero((steps >= 1) & (start >= first))[0]
        w = np.zeros((len(steps), len(steps)))
        w[rows, start[rows] - first] = 1.0
        return w
    m = np.asarray(m, float)
    by_lag = np.zeros(m.shape + (MAX_K + 2,))  # by lag 0 … MAX_K + 1; zero outside 1 … k
    by_lag[..., 1:k + 1] = np.exp(m[..., None] * np.arange(1, k + 1))
    norm = np.cumsum(by_lag, -1)[..., np.clip(steps, 1, k)]  # Σ over the n_t lags of step t
    return by_lag[..., LAG_INDEX[first:last, first:last]] / norm[..., :, None]


def draws(noise, seed):
    """The run's random draws: each query's error and each step's sensor noise (the same draws
    for all three modes)."""
    rng = np.random.default_rng(seed)
    return rng.normal(0, noise, N), rng.normal(0, SENSOR_NOISE, N)


def _unit_draws(seeds):
    """The draws of ``seeds`` as columns (N × runs), the errors at noise 1: ``draws(noise, s)``'s
    error is exactly noise times it (numpy scales a standard normal)."""
    pairs = [draws(1.0, s) for s in seeds]
    return np.stack([e for e, _ in pairs], 1), np.stack([x for _, x in pairs], 1)


RUN_ERRORS, RUN_SENSORS = _unit_draws(range(RUNS))  # the pooled runs' draws, drawn once


def open_loop_noise(k, error, sensor):
    """The noise's part of e under chunked control (single-step is k = 1), in closed form. At the
    chunk starts q = 0, k, 2k, … the deviation E follows E' = a^k (E + sensor_q) + error_q, so
    E = Dₖ · sensor + Dₖ · error / a^k with Dₖ[c, c'] = a^(k (c − c')) (c > c'), every k-th row
    and column of DECAY; inside a chunk, e at q + j is a^j (E + sensor_q) + error_q. ``error``
    and ``sensor`` may hold one run (N) or several as columns (N × runs)."""
    a = 1 - RETURN_RATE
    starts = T[:STEPS:k]
    d_k = DECAY[:STEPS:k, :STEPS:k]
    start = d_k @ sensor[starts] + (d_k @ error[starts]) / a ** k
    ramp = (a ** np.arange(1, k + 1)).reshape((1, k) + (1,) * (error.ndim - 1))
    chunks = ramp * (start + sensor[starts])[:, None] + error[starts][:, None]
    flat = chunks.reshape((-1,) + error.shape[1:])[:STEPS]
    return np.concatenate([np.zeros((1,) + error.shape[1:]), flat])


def ensembling_system(k, m):
    """Temporal ensembling's linear system at (k, m): e = (I − W∘D)⁻¹ (W∘D · sensor + W · error),
    as (I − W∘D, W∘D, W)."""
    w = weights("ensembled", k, m)
    wd = w * DECAY
    return EYE - wd, wd, w


def ensembled_noise(k, m, error, sensor):
    """The noise's part of e under temporal ensembling: one solve of its linear system."""
    system, wd, w = ensembling_system(k, m)
    return np.linalg.solve(system, wd @ sensor + w @ error)


@functools.lru_cache(maxsize=64)  # a drag of the noise or the seed keeps k and m
def _pooled_ensembled(k, m):
    """The pooled runs' noise under ensembling at (k, m), in two parts, from one solve: the
    sensor's, and the errors' at noise 1 (the system is linear: e = sensor part + noise × it)."""
    system, wd, w = ensembling_system(k, m)
    both = np.linalg.solve(system, np.concatenate([wd @ RUN_SENSORS, w @ RUN_ERRORS], 1))
    return both[:, :RUNS], both[:, RUNS:]


def runs(k, noise, m, seed, effects=None):
    """Deviation from the reference, e (3 modes × N), for single-step, chunked and ensembled
    control on the same draws. The system is linear: the noise's part (closed form for open-loop
    chunks, one solve for ensembling) plus the bump's own effect (``bump_effects``) from
    PUSH_AT on."""
    error, sensor = draws(noise, seed)
    e = np.stack([open_loop_noise(1, error, sensor), open_loop_noise(k, error, sensor),
                  ensembled_noise(k, m, error, sensor)])
    e[:, B] += bump_effects(k, m) if effects is None else effects
    return e


def pooled_jumps(k, noise, m):
    """The jumps of ``jumps`` pooled over RUNS runs (seeds 0 … RUNS − 1): RMS over every step
    before the bump of every run (single-step, chunk starts, inside a chunk or None, ensembled).
    The bump comes later, so only the noise's part of each run is needed, all runs at once."""
    error, sensor = noise * RUN_ERRORS, RUN_SENSORS
    single = open_loop_noise(1, error, sensor)
    chunked = open_loop_noise(k, error, sensor)
    from_sensor, per_noise = _pooled_ensembled(k, m)
    ensembled = from_sensor + noise * per_noise
    boundary, inside = jumps(chunked, "chunked", k)
    return jumps(single, "single", k)[0], boundary, inside, jumps(ensembled, "ensembled", k)[0]


def chunk_response(k):
    """The bump's own effect under chunked control (single-step is k = 1), in closed form: the
    plan in force does not know the bump until the first query q* at or after it; from then on
    every plan removes 15% per step of what it sees, so e_t = −PUSH · a^max(0, t − q*)."""
    first_query = -(-PUSH_AT // k) * k
    return -PUSH * (1 - RETURN_RATE) ** np.maximum(T[B] - first_query, 0)


def bump_responses(mode, k, m, steps=NB):
    """The bump's own effect on e for ``steps`` steps from PUSH_AT on, noise-free: this run
    minus the same run without the bump. ``m`` may be an array for a batch. A plan made before
    the bump carries its full offset; every later query sees it. The system is causal, so its
    first ``steps`` rows are exact on their own."""
    w = weights(mode, k, m, PUSH_AT, PUSH_AT + steps)
    wd = w * DECAY_B[:steps, :steps]
    # Rows of W sum to 1; what is missing from the block is the weight of pre-bump queries.
    forcing = -PUSH * (1 - w.sum(-1))
    return np.linalg.solve(EYE_B[:steps, :steps] - wd, forcing[..., None])[..., 0]


SINGLE_RESPONSE = chunk_response(1)
_BY_K = {}


def _by_k(k):
    """What depends on k alone, cached: the chunked bump effect (NB) and the steps ensembling
    takes to make up half the bump at every m of M_GRID (the third panel). k steps after the
    bump every prediction in the average knows it, and half is made up within k + 15 steps at
    every m and k here (the tests check it against the full solve), so the grid solves only that
    many steps, and falls back to all of them if half is not made up in time."""
    if k not in _BY_K:
        steps = min(NB, k + 15)
        half = reaction(bump_responses("ensembled", k, M_GRID, steps), steps)[0]
        if np.any(half >= steps):
            half = reaction(bump_responses("ensembled", k, M_GRID))[0]
        _BY_K[k] = chunk_response(k), half
    return _BY_K[k]


def bump_effects(k, m):
    """The bump's own effect (3 modes × NB): single-step, chunked, ensembled at this m."""
    return np.stack([SINGLE_RESPONSE, _by_k(k)[0], bump_responses("ensembled", k, m)])


def reaction(response, steps=NB):
    """Steps after the bump until half of it is made up, and until the arm is back within 10% of
    it for good (``steps`` when it never is within the response)."""
    off = np.abs(response) / PUSH
    half = np.argmax(off <= HALF, -1)
    half = np.where((off <= HALF).any(-1), half, steps)
    late = off > SETTLED
    settled = np.where(late.any(-1), steps - np.argmax(late[..., ::-1], -1), 0)
    return half, settled


def jumps(e, mode, k):
    """RMS jump |Δe| over steps 2 … PUSH_AT − 1 (before the bump; step 1 has no plan before it):
    (at steps that start a new plan, inside a chunk). Inside is None when every step is a new
    plan (single-step, ensembled, chunks of 1). ``e`` may hold several runs as columns: their
    steps pooled (equal steps per run: the RMS of the runs' RMS)."""
    steps = np.arange(2, PUSH_AT)
    jump = e[steps] - e[steps - 1]
    if mode != "chunked" or k == 1:
        return float(np.sqrt(np.mean(jump ** 2))), None
    boundary = (steps - 1) % k == 0
    return (float(np.sqrt(np.mean(jump[boundary] ** 2))),
            float(np.sqrt(np.mean(jump[~boundary] ** 2))))


def tracking_error(e):
    """RMS distance from the reference over steps 1 … PUSH_AT − 1 (before the bump)."""
    return float(np.sqrt(np.mean(e[1:PUSH_AT] ** 2)))


# ---- the figure ------------------------------------------------------------------------------

def lane_scale(lo, hi):
    """Panel (a)'s tick step for a run from ``lo`` to ``hi`` (lo < 0 ≤ hi), and the lane's new
    ``lo``, lowered to a tick if need be: every lane has a tick at 0 and one at −step, 0.6 of
    the run band apart (11 pt on a phone), so that two tick labels never meet."""
    for step in LANE_STEPS:
        low = min(lo, -step)
        if step >= 0.6 * (hi - low):
            return step, low
    return LANE_STEPS[-1], min(lo, -LANE_STEPS[-1])


def _tick(v):
    """A tick label of panel (a), as the engine prints one: "0", "0.25", "-0.5"."""
    return f"{v:g}" if v else "0"


def _g(x):
    """A jump or error, to two significant digits."""
    return f"{x:.2g}"


def _steps(n):
    return f"{n}" if n < NB else f"over {NB - 1}"


def _percent(p):
    """A share in percent: two significant digits, but whole percents from 10% on ("100%", not
    "1e+02%")."""
    if p < 0.001:  # a weight that has all but vanished: never "9e-10%"
        return "<0.001%"
    return f"{p:.0f}%" if p >= 10 else f"{p:.2g}%"


def _times(a, b):
    """How many times a is b, in words."""
    if b <= 0:
        return "infinitely many times" if a > 0 else "the same as"
    return f"{a / b:.2g} times"


def compute(chunk, noise, m, seed):
    k = chunk
    effects = bump_effects(k, m)
    e = runs(k, noise, m, seed, effects)
    half, settled = (tuple(int(n) for n in r) for r in reaction(effects))
    grid_half = _by_k(k)[1]
    plans = [STEPS, len(query_times("chunked", k)), STEPS]
    errors = [tracking_error(x) for x in e]
    # The jumps over many runs, as the readouts and the chapter give them (one run's would
    # contradict them at some settings: 0.013 against 0.082 at chunk starts, k = 50).
    pooled = pooled_jumps(k, noise, m)
    single_jump, boundary_jump, inside_jump, ensembled_jump = pooled
    w = ensemble_weights(k, m)  # oldest first

    # -- lanes: each mode's distance from the reference over time, one lane each. A lane is a
    # band for its label on top and, under it, a band the whole run fits in (every mode's
    # lowest to highest, the bump's bar too, and room for the chunk-start ticks at the bottom):
    # no trace, tick or rule ever reaches a label, whatever the noise, k or seed.
    lo, hi = min(float(e.min()), -PUSH), max(float(e.max()), 0.0)
    step, lo = lane_scale(lo, hi)
    # above the run; under it, for the ticks; under those, a gap that keeps the ticks and the
    # bump's rule clear of the next lane's label (they sat on it: the ninth graphics desk)
    pad, floor, gap = 0.06 * (hi - lo), 0.22 * (hi - lo), LANE_GAP * (hi - lo)
    pitch = (hi - lo + pad + floor + gap) / (1 - LABEL_BAND)
    tops = -pitch * np.arange(3)
    centre = tops - LABEL_BAND * pitch - pad - hi  # each lane's zero: the reference
    stops = np.linspace(STEPS // FRAMES, STEPS, FRAMES).astype(int)
    lane_marks = []
    # Each lane's label: how many plans its run starts and its tracking error before the bump
    # (RMS distance from the reference, in the units of the y axis), read off where it is drawn.
    rms = [_g(x) for x in errors]
    labels = [f"single-step: {plans[0]} plans, RMS {rms[0]}",
              f"chunked, k = {k}: {plans[1]} plans, RMS {rms[1]}",
              f"ensembled, m = {m:g}: {plans[2]} plans, RMS {rms[2]}"]
    for lane, mode in enumerate(MODES):
        c = centre[lane]
        lane_marks += [S.line([0, STEPS], [c, c], color="gray", width=0.8),
                       S.text(LABEL_INSET, tops[lane] - 0.04 * pitch, labels[lane], size=8,
                              anchor="start", valign="top", color=COLOURS[mode])]
    if k > 1:  # the chunk starts, as ticks in the chunked lane's floor
        q = query_times("chunked", k)[1:]
        base = centre[1] + lo - floor
        lane_marks.append(S.segments(q, base + 0.15 * floor + 0 * q, q,
                                     base + 0.75 * floor + 0 * q, color="green", width=1.2))
    # The bump's rule, one piece per lane, from the ticks' foot up to the top of its run band.
    lane_marks.append(S.segments(np.full(3, PUSH_AT), centre + lo - 0.85 * floor,
                                 np.full(3, PUSH_AT), centre + hi + pad, color="muted", width=1))
    y = np.round(centre[:, None] + e, 3)
    for f, now in enumerate(stops):
        for lane, mode in enumerate(MODES):
            lane_marks.append(S.line(T[:now + 1], y[lane, :now + 1], color=COLOURS[mode],
                                     width=1.3, frame=f))
            n = half[lane]
            if n < NB and PUSH_AT + n <= now:
                lane_marks.append(S.points([PUSH_AT + n], [y[lane, PUSH_AT + n]], color="ink",
                                           size=3, frame=f))
        if now < STEPS:  # the rest of the chunk being executed open-loop
            start = ((now - 1) // k) * k if now else 0
            ahead = T[now + 1:min(start + k, STEPS) + 1]
            if len(ahead):
                lane_marks.append(S.points(ahead, y[1, ahead], color="orange", size=1.6,
                                           frame=f))
    # A real y scale, the same in every lane: each lane's ticks read the distance from the
    # reference (its zero) in the run's units, so the three traces compare by magnitude.
    offsets = step * np.arange(np.ceil(lo / step - 1e-9), np.floor(hi / step + 1e-9) + 1)
    ticks = (centre[:, None] + offsets).ravel()
    lanes = S.panel(lane_marks, title="distance from reference (RMS: before the bump)",
                    size=(4.3, 2.6),
                    x=S.axis(f"time step (bump of {_g(PUSH)} at {PUSH_AT}; dot: half made up)",
                             lim=(0, STEPS + 2), ticks=[0, 50, 100, 150]),
                    y=S.axis(lim=(tops[2] - pitch, tops[0]), ticks=ticks,
                             ticklabels=[_tick(v) for v in np.tile(offsets, 3)]))

    # -- jumps before the bump
    # the same four rows at every k (at k = 1 no step is inside a chunk: the row says so)
    bars = [("single-step", single_jump, "red", 0.85),
            ("chunked: first step of a chunk", boundary_jump, "green", 0.85),
            ("chunked: inside a chunk", inside_jump, "green", 0.4),
            ("ensembled", ensembled_jump, "blue", 0.85)]
    # one axis for every setting, so that more policy error draws longer bars (an axis that
    # followed the data drew the same bars at every error); raised only past it
    top = max(JUMP_AXIS, 1.35 * max(b[1] for b in bars if b[1] is not None))
    bar_marks = []
    for row, (label, value, colour, opacity) in enumerate(bars):
        yb = -row
        bar_marks.append(S.text(0, yb + 0.1, label, size=7, anchor="start", valign="bottom"))
        if value is None:
            bar_marks.append(S.text(0, yb - 0.15, "none: k = 1", size=7, anchor="start",
                                    color="muted"))
            continue
        bar_marks += [S.rect(0, yb - 0.32, value, yb + 0.02, color=colour, opacity=opacity),
                      S.text(value + 0.015 * top, yb - 0.15, _g(value), size=7, anchor="start")]
    jump_panel = S.panel(bar_marks, title=f"jump per step, {RUNS} runs", size=(2.3, 2.5),
                         x=S.axis("RMS before the bump", lim=(0, top), ticks=[0, 0.05, 0.1]),
                         y=S.axis(lim=(-len(bars) + 0.5, 0.55), hidden=True))

    # -- reaction against m, on k's axis (STEPS_AXES): the slowest at this k over every m of the
    # grid (the half recovery grows with m, so the grid's end holds the slider's), chunked,
    # single-step; raised only past the larger axis (no control reaches that: a test checks)
    slowest = max(int(grid_half.max()), half[0], half[1], half[2])
    highest, steps_ticks = next(((top, ticks) for top, ticks in STEPS_AXES
                                 if slowest <= (1 - DOT_ROOM) * top),
                                (max(STEPS_AXES[-1][0], slowest + 4), STEPS_AXES[-1][1]))
    # Chunked and single-step both flat: told apart by the chunked line's diamonds, not by
    # colour alone (red and green merge for deuteranopes).
    # The key above the plot: single-step and ensembled on its first row (empty lines key them,
    # so they come first whatever is drawn on top), the chunked line, whose name changes with k,
    # alone on the second: no entry moves when k gains a digit.
    single_look = dict(color="red", dash=True, width=1.4)
    ensembled_look = dict(color="blue", width=1.8)
    m_marks = [S.line([], [], label="single-step", **single_look),
               S.line([], [], label="ensembled", **ensembled_look),
               S.line([0, 0.5], [half[1], half[1]], color="green", dash=True, width=1.4),
               S.points(M_GRID[::2], np.full(6, half[1]), color="green", size=3.5,
                        shape="diamond", label=f"chunked, k = {k}"),
               S.line([0, 0.5], [half[0], half[0]], **single_look),
               S.line(M_GRID, grid_half, **ensembled_look),
               S.points([m], [half[2]], color="blue", size=4.5)]
    m_panel = S.panel(m_marks, title="steps to half recovery", size=M_PANEL_SIZE,
                      legend="above",
                      # padded: the dot at m = 0 or 0.5 shows whole
                      x=S.axis("ensemble weight m", lim=(-0.03, 0.53), ticks=[0, 0.25, 0.5]),
                      y=S.axis("steps", lim=(0, highest), ticks=steps_ticks))

    if inside_jump is None:
        chunk_text = (f"chunks of k = 1 are single-step control (jump {_g(boundary_jump)} per "
                      f"step before the bump)")
    else:
        chunk_text = (f"chunks of k = {k} start {plans[1]} plans, and their jump at the first "
                      f"step of a chunk (RMS over {RUNS} runs {_g(boundary_jump)} before the "
                      f"bump) is "
                      f"{_times(boundary_jump, inside_jump)} the jump inside a chunk "
                      f"({_g(inside_jump)}) and {_times(boundary_jump, single_jump)} "
                      f"single-step's ({_g(single_jump)})")
    alt = (f"Single-step control starts a new plan at each of its {STEPS} steps; {chunk_text}; "
           f"temporal ensembling, which queries every step and averages up to {k} "
           f"prediction{'s' if k > 1 else ''} (m = {m:g}), jumps {_g(ensembled_jump)}. After the "
           f"bump, half of it is made up in {_steps(half[0])} steps single-step, "
           f"{_steps(half[1])} chunked and {_steps(half[2])} ensembled; ensembling takes "
           + (f"{_steps(int(grid_half.min()))} to {_steps(int(grid_half.max()))} steps over m "
              f"from 0 to 0.5." if grid_half.max() > grid_half.min() else
              f"{_steps(int(grid_half.min()))} steps at every m from 0 to 0.5."))
    return S.scene(
        [lanes, jump_panel, m_panel],
        motion=S.frames(FRAMES, label="time", labels=[f"step {n}" for n in stops],
                        key=[FRAMES - 1], fps=3),
        alt=alt,
        # One readout per mode and one for the weights, each named, the same four at every
        # setting, each value short enough for one line of a phone's column (a touch moves no
        # line). The other numbers are drawn where they belong: plans and tracking error on
        # each lane of (a), the jumps on the bars of (b).
        readouts=[
            *(S.readout(f"{name}: steps to make up the bump",
                        f"half in {_steps_short(h)}, 90% in {_steps_short(n)}")
              for name, h, n in zip(("single-step", "chunked", "ensembled"), half, settled,
                                    strict=True)),
            S.readout("ensembled: weight of the newest prediction",
                      f"{_percent(100 * w[-1])} (oldest {_percent(100 * w[0])})" if k > 1 else
                      "100%, the only one"),
        ],
        values={"decisions": plans[1], "jump_single": pooled[0], "jump_boundary": pooled[1],
                "jump_inside": "none" if pooled[2] is None else pooled[2],
                "jump_ensembled": pooled[3], "half_single": _steps_word(half[0]),
                "half_chunked": _steps_word(half[1]), "half_ensembled": _steps_word(half[2])},
    )


def _steps_short(n):
    """A count of steps in a readout: beyond the window, '>74'."""
    return f"{n}" if n < NB else f">{NB - 1}"


def _steps_word(n):
    return f"{_steps(n)} step{'' if n == 1 else 's'}"
