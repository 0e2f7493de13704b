"""Diffusion Policy: denoising noise into a path that commits to one way around an obstacle.

Models: Diffusion Policy (Chi et al., arXiv 2303.04137) generates a robot's next H = 16 actions
by denoising: start from Gaussian noise and repeatedly remove the noise a model predicts. Here the
"actions" are 16 waypoints of a 2-D path from a start to a goal with a disc in between, and the
demonstrations pass it on the left or on the right: two modes, as Push-T's demonstrations go
around the T both ways. The forward process uses the cosine noise schedule with T = 100 training
steps (the paper's 100); the reverse process is DDPM (stochastic: all 100 steps, or fewer, each
jumping a stride) or DDIM (deterministic, η = 0, as few steps as you like; the paper uses 10 on
the real robot).

The denoiser is exact, not learned: the posterior mean E[x0 | x_t] when x0 is drawn from a
kernel-density estimate of the demonstrations, each of the 24 paths replaced by a Gaussian of
standard deviation σ = 0.03 around it. That is a modelling choice, not what training produces: a
network trained to denoise the 24 demonstrations themselves has as its target the posterior mean
of those 24 points (σ = 0), whose exact sampler can only return copies of them; a real network
generalises between demonstrations because it cannot fit that target exactly. The σ-smoothing
stands in for that generalisation, so the sampler draws new paths near the demonstrated ones.
Beside it, plain behavioral cloning with a mean-squared-error loss: the L2-optimal single answer
for this observation is the mean of the demonstrations, which averages left and right into a path
straight through the obstacle.

Every sample is classified by what it does at the obstacle: its clearance (the closest any point
of the path, waypoints joined by straight segments, comes to the disc's edge) is negative when it
cuts through the disc; a path that stays clear passes on the left or the right, decided by the
sign of the angle it sweeps around the disc's centre. The figure, its text and its readouts count
these classes on the samples drawn, so "none through the obstacle" appears only when none did.

Simplifies: one fixed observation (so no conditioning network), 24 demonstrations, 2-D waypoints,
and an exact smoothed denoiser in place of a trained one.

Speed: the denoiser's posterior over demonstrations is a softmax of x · d_i, so each step is two
small matrix products on the whole batch (the logit matrices for every noise level are built once
at import); the update is folded into the same step.
"""

import numpy as np

from visual_essay import scene as S
from visual_essay.params import Choice, Seed, Slider, Value

TITLE = "Diffusion Policy: denoising into one mode"

H = 16  # waypoints per path: Diffusion Policy's prediction horizon
D = 2 * H  # one path as a vector
T = 100  # training noise steps, as in the paper
DEMOS = 24
SMOOTH = 0.03  # std of the Gaussian around each demonstration
OBSTACLE, RADIUS = np.array([0.0, 1.0]), 0.32
SAMPLES = 20  # extra samples drawn beside the shown one, to count the modes
FRAMES = 12
DIGITS = 3  # decimals of the coordinates sent to the page (a thousandth of a unit is < 0.1 pt)

PARAMS = (
    Choice("sampler", ("DDIM", "DDPM"), "DDIM", label="Sampler"),
    # The table holds the small step counts the chapter walks through (2, 3, 4), not only strides.
    Slider(
        "steps",
        2,
        100,
        step=1,
        default=10,
        label="Denoising steps",
        table=(2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 50, 100),
    ),
    Seed("seed", 3, label="New sample"),
)

VALUES = (
    Value("this_sample", "what the sample shown does at the obstacle"),
    Value("counts", "how the samples drawn together pass the obstacle"),
    Value("through", "how many of the samples cut through the obstacle"),
)


def cosine_schedule(steps=T, s=0.008):
    """ᾱ_t for t = 0..T (Nichol & Dhariwal's cosine schedule, as Diffusion Policy's code uses)."""
    t = np.arange(steps + 1) / steps
    f = np.cos((t + s) / (1 + s) * np.pi / 2) ** 2
    return np.clip(f / f[0], 1e-5, 1.0)


ALPHA_BAR = cosine_schedule()


def demonstrations(rng=None):
    """DEMOS paths (DEMOS, H, 2): half pass the disc on the left, half on the right."""
    rng = rng or np.random.default_rng(2023)
    s = np.linspace(0, 1, H)
    side = np.where(np.arange(DEMOS) % 2 == 0, -1.0, 1.0)
    reach = rng.uniform(0.55, 0.8, DEMOS)
    skew = rng.uniform(-0.08, 0.08, DEMOS)
    x = side[:, None] * reach[:, None] * np.sin(np.pi * s)[None] + skew[:, None] * s
    y = 2 * s[None] + 0.05 * np.sin(2 * np.pi * s)[None] * rng.uniform(-1, 1, (DEMOS, 1))
    return np.stack([x, y], -1)


DEMO_PATHS = demonstrations()
CENTER = np.array([0.0, 1.0])  # paths are centred, so the data is about unit scale
DATA = (DEMO_PATHS - CENTER).reshape(DEMOS, -1)


def denoise(x_t, alpha_bar):
    """E[x0 | x_t]: the exact denoiser of the smoothed demonstration set, for a batch x_t.

    Given demonstration i, x_t ~ N(√ᾱ d_i, (ᾱσ² + 1 − ᾱ) I): the posterior over i is a softmax of
    minus the squared distances, and within i, E[x0 | x_t, i] is the Gaussian conditional mean.
    The reference form; the samplers run the same algebra fused into ``mixture_chain``."""
    var = alpha_bar * SMOOTH**2 + 1 - alpha_bar
    diff = x_t[:, None, :] - np.sqrt(alpha_bar) * DATA[None]
    logw = -(diff**2).sum(-1) / (2 * var)
    w = np.exp(logw - logw.max(1, keepdims=True))
    w /= w.sum(1, keepdims=True)
    per_demo = DATA[None] + (SMOOTH**2 * np.sqrt(alpha_bar) / var) * diff
    return (w[:, :, None] * per_demo).sum(1)


# ---- the fused sampler ---------------------------------------------------------------------------
# Every sampler here (DDPM, DDIM, and flow matching's Euler steps in flow_matching.py) updates a
# batch x by  x' = a · Σ_i w_i(x) d_i + b · x (+ noise),  where w(x) is the posterior over
# demonstrations when x | i ~ N(μ d_i, v I): w = softmax_i((μ x·d_i − μ²|d_i|²/2) / v). The |x|²
# term is the same for every i and cancels. The demonstrations span a low-dimensional subspace
# (here 4 of the 32 dimensions: reach × side, skew, wiggle and the common climb), so x·d_i depends
# only on x's coordinates p in that subspace; the rest of x, q, is only ever scaled by b (and gets
# DDPM's noise). One step is then: logits = p @ M + c, a stable softmax, one product with
# [coordinates | 1] (whose last column is the weights' total), and the update of p;
# x = p @ BASIS + q is rebuilt once at the end. Exact, not an approximation: the subspace holds
# every demonstration to rounding error.

_, _SING, _VT = np.linalg.svd(DATA, full_matrices=False)
RANK = int(np.count_nonzero(_SING > 1e-9 * _SING[0]))
BASIS = _VT[:RANK]  # orthonormal rows spanning the demonstrations, (RANK, D)
COORDS = DATA @ BASIS.T  # each demonstration's coordinates, (DEMOS, RANK)
assert np.abs(COORDS @ BASIS - DATA).max() < 1e-12
COORDS1 = np.concatenate([COORDS, np.ones((DEMOS, 1))], 1)
SQNORM = (DATA**2).sum(1)


def logit_tables(mu, var):
    """The logit matrices (K, RANK, DEMOS), acting on subspace coordinates, and offsets
    (K, DEMOS) for K posteriors x | i ~ N(mu d_i, var I); mu and var arrays of length K."""
    mu, var = np.asarray(mu, float), np.asarray(var, float)
    return (mu / var)[:, None, None] * COORDS.T[None], -(mu * mu / (2 * var))[:, None] * SQNORM[
        None
    ]


def mixture_chain(x, mats, offsets, data_coef, self_coef, noise=None):
    """Run K fused steps x ← data_coef[k] · E_w[d] + self_coef[k] · x (+ noise[k]) from x (B, D),
    with the posterior weights of step k given by ``mats[k]`` (RANK, DEMOS) and ``offsets[k]``
    (DEMOS,). Returns every state, (K + 1, B, D). Leading axes broadcast: x (S, B, D) with
    mats[k] (S, RANK, DEMOS), offsets[k] (S, 1, DEMOS) and coefficients (S, 1, 1) runs S
    samplers side by side, one numpy call per operation for all of them."""
    p = x @ BASIS.T
    q = x - p @ BASIS
    if noise is not None:
        noise_p = noise @ BASIS.T
        noise_q = noise - noise_p @ BASIS
    data_coef, self_coef = np.asarray(data_coef, float), np.asarray(self_coef, float)
    coefs = zip(
        data_coef.tolist() if data_coef.ndim == 1 else data_coef,  # floats: cheaper
        self_coef.tolist() if self_coef.ndim == 1 else self_coef,
        strict=True,
    )
    ps, qs = [p], [q]
    for k, (a, b) in enumerate(coefs):
        logits = p @ mats[k]
        logits += offsets[k]
        logits -= logits.max(-1, keepdims=True)
        np.exp(logits, out=logits)
        r = logits @ COORDS1
        p = r[..., :RANK] * (a / r[..., RANK:]) + b * p
        if noise is not None:
            p += noise_p[k]
            q = b * q + noise_q[k]
            qs.append(q)
        ps.append(p)
    if noise is None:  # q is only scaled: by the running product of the b's
        scale = np.cumprod(np.concatenate([np.ones((1,) + self_coef.shape[1:]), self_coef]), 0)
        scale = scale.reshape(scale.shape + (1,) * (q.ndim + 1 - scale.ndim))
        qs = scale * q
    return np.array(ps) @ BASIS + np.asarray(qs)


# The denoiser at every training noise level t = 0..T, as logit tables, and the conditional-mean
# coefficients: E[x0 | x_t] = KEEP_DATA[t] · E_w[d] + KEEP_X[t] · x_t.
_VAR = ALPHA_BAR * SMOOTH**2 + 1 - ALPHA_BAR
MATS, OFFSETS = logit_tables(np.sqrt(ALPHA_BAR), _VAR)
KEEP_DATA = 1 - SMOOTH**2 * ALPHA_BAR / _VAR
KEEP_X = SMOOTH**2 * np.sqrt(ALPHA_BAR) / _VAR


def timesteps(sampler, steps):
    """T, ..., 0 in ``steps`` strides, for either sampler: DDPM at 100 steps takes every training
    noise level; with fewer, each ancestral step jumps a stride (the posterior q(x_s | x_t, x0)
    holds for any s < t), so the steps slider acts under both samplers."""
    del sampler
    return np.unique(np.round(np.linspace(T, 0, steps + 1)).astype(int))[::-1]


def _step_coefficients(sampler, ts):
    """(x0 weight, x weight, noise std) of each reverse step t → t_next, the update written as
    x_next = p · x0_hat + q · x_t + r · z."""
    a, a_next = ALPHA_BAR[ts[:-1]], ALPHA_BAR[ts[1:]]
    if sampler == "DDPM":  # ancestral step: the posterior q(x_{t-1} | x_t, x0), plus noise
        beta = 1 - a / a_next
        p = np.sqrt(a_next) * beta / (1 - a)
        q = np.sqrt(1 - beta) * (1 - a_next) / (1 - a)
        r = np.sqrt(beta * (1 - a_next) / (1 - a))
    else:  # DDIM, η = 0: jump along the predicted noise
        q = np.sqrt((1 - a_next) / (1 - a))
        p = np.sqrt(a_next) - q * np.sqrt(a)
        r = np.zeros_like(a)
    last = ts[1:] == 0  # the last step returns the denoised estimate itself
    return np.where(last, 1.0, p), np.where(last, 0.0, q), np.where(last, 0.0, r)


def _chain_coefficients(sampler, ts):
    """Per step: the weight of E_w[d] and of x in the fused update, and the noise std."""
    p, q, r = _step_coefficients(sampler, ts)
    t = ts[:-1]
    # x_next = p (KEEP_DATA E_w[d] + KEEP_X x) + q x + r z
    return p * KEEP_DATA[t], p * KEEP_X[t] + q, r


_DDPM = _chain_coefficients("DDPM", timesteps("DDPM", T))


def schedule(sampler, steps):
    """Everything a reverse run needs, per step: (timesteps, logit matrices (K, RANK, DEMOS),
    offsets (K, DEMOS), weight of E_w[d] (K,), weight of x (K,), noise std (K,))."""
    ts = timesteps(sampler, steps)
    if sampler == "DDPM" and len(ts) == T + 1:  # t = T, ..., 1: slices of the tables, no copies
        return (ts, MATS[T:0:-1], OFFSETS[T:0:-1]) + _DDPM
    t = ts[:-1]
    return (ts, MATS[t], OFFSETS[t]) + _chain_coefficients(sampler, ts)


def sample(sampler, steps, noise, rng=None):
    """Run the reverse process from the noise ``noise`` (B, D) at t = T; ``rng`` draws DDPM's
    per-step noise, all at once, (steps, B, D). Returns the state after every step,
    (steps + 1, B, D), and the timesteps."""
    ts, mats, offsets, data_coef, self_coef, r = schedule(sampler, steps)
    extra = None
    if sampler == "DDPM":
        extra = rng.standard_normal((len(ts) - 1, *noise.shape))
        extra *= r[:, None, None]
    history = mixture_chain(noise, mats, offsets, data_coef, self_coef, extra)
    return history, ts


def as_paths(x):
    return x.reshape(*x.shape[:-1], H, 2) + CENTER


def clearances(paths):
    """The closest each path (..., H, 2), waypoints joined by straight segments, comes to the
    obstacle's edge: negative when it goes through the disc."""
    rel = paths - OBSTACLE
    a, d = rel[..., :-1, :], rel[..., 1:, :] - rel[..., :-1, :]
    along = np.clip(-(a * d).sum(-1) / np.maximum((d * d).sum(-1), 1e-12), 0.0, 1.0)
    near = a + along[..., None] * d
    return np.sqrt((near * near).sum(-1).min(-1)) - RADIUS


def clearance(path):
    return float(clearances(path))


def sides(paths):
    """−1 if a path (..., H, 2) passes the disc on the left (climbing from the start below the
    disc to the goal above it, it sweeps clockwise round the disc's centre), +1 on the right. The
    sum of the angles its segments sweep, so a wiggly path is judged by where it goes, not by one
    waypoint. Meaningful for paths that stay clear of the disc; ``classify`` says THROUGH for the
    others."""
    rel = paths - OBSTACLE
    angle = np.arctan2(rel[..., 1], rel[..., 0])
    swept = np.diff(angle, axis=-1)
    swept = (swept + np.pi) % (2 * np.pi) - np.pi
    return np.where(swept.sum(-1) < 0, -1, 1)


LEFT, THROUGH, RIGHT = -1, 0, 1
CLASS_NAMES = {LEFT: "left", THROUGH: "through", RIGHT: "right"}


def classify(paths):
    """(class per path: LEFT, THROUGH or RIGHT; clearance per path). A path with negative
    clearance is THROUGH, never left or right."""
    gap = clearances(paths)
    return np.where(gap < 0, THROUGH, sides(paths)), gap


def side_of(path):
    return CLASS_NAMES[int(classify(path)[0])]


def counts(classes):
    """(left, through, right) counts."""
    return tuple(int(np.count_nonzero(classes == c)) for c in (LEFT, THROUGH, RIGHT))


def count_phrase(left, through, right):
    """'9 pass left, 8 right, 4 cut through the obstacle', from the counts."""
    if left == right == 0:
        return f"all {through} cut through the obstacle"
    cut = "none cut" if through == 0 else f"{through} {'cuts' if through == 1 else 'cut'}"
    return (
        f"{left} {'passes' if left == 1 else 'pass'} left, {right} right, "
        f"{cut} through the obstacle"
    )


def mse_policy_path():
    """Behavioral cloning with an L2 loss: the mean of the demonstrations."""
    return DEMO_PATHS.mean(0)


# ---- marks that do not depend on the parameters --------------------------------------------------

_DISC = np.linspace(0, 2 * np.pi, 48)
OBSTACLE_MARK = S.polygon(
    np.round(OBSTACLE[0] + RADIUS * np.cos(_DISC), DIGITS),
    np.round(OBSTACLE[1] + RADIUS * np.sin(_DISC), DIGITS),
    color="gray",
    opacity=0.8,
)
ENDS_MARK = S.points([0, 0], [0, 2], color="ink", size=3.5)
# The black dots named where they are, right of the start (a path may end a little under it) and
# above the goal: the paths leave them sideways, so the places are known (no search: it would
# be half of a compute).
END_LABELS = [
    S.text(0.1, 0, "start", size=8, anchor="start"),
    S.text(0, 2.09, "goal", size=8, valign="bottom"),
]
# Every demonstration starts exactly at the start point, so two of them drawn as one line (the
# first run backwards into the start, the second forwards out of it) are the same picture with half
# the marks: fewer marks are less work for the page on every control change.
assert np.all(DEMO_PATHS[:, 0] == 0) and DEMOS % 2 == 0
_DEMO_XY = np.round(DEMO_PATHS, DIGITS)
_DEMO_PAIRS = np.concatenate([_DEMO_XY[0::2, ::-1], _DEMO_XY[1::2, 1:]], 1)
# Grey, not a hue: the samples' green and orange mean something; the demonstrations are the
# background they are drawn from (teal beside the green samples merged for some readers). Broad
# and pale, where the paths drawn over them are thin and strong: told apart by width as well as
# colour (the sixth graphics desk: thin grey beside thin green differed by colour alone).
DEMO_MARKS = [
    S.line(
        p[:, 0],
        p[:, 1],
        color="muted",
        width=2.6,
        opacity=0.22,
        label="demonstrations" if k == 0 else None,
    )
    for k, p in enumerate(_DEMO_PAIRS)
]
MSE_PATH = mse_policy_path()
MSE_CLEARANCE = clearance(MSE_PATH)
MSE_MARK = S.line(
    np.round(MSE_PATH[:, 0], DIGITS),
    np.round(MSE_PATH[:, 1], DIGITS),
    color="ink",
    width=2.2,
    dash=True,
)
# Its legend entry, before the samples' (the two sample looks then share the legend's second
# row), while the path itself is drawn over them.
MSE_KEY = S.line([], [], color="ink", width=2.2, dash=True, label="MSE regression")
MODE_COLOR = {LEFT: "green", RIGHT: "green", THROUGH: "orange"}


# The legend's names for a path that passes the obstacle and one that cuts through it: both
# always listed (an empty mark keys a class this draw lacks), so the legend keeps its rows.
SAMPLE_LABELS = ("samples: pass", "samples: cut through")
FINISHED_LABELS = ("finished: passes", "finished: cuts through")
# The demonstrations' extent and a margin: the paths fill the plot. Early denoising states are
# wider, noise, and run off it. Above, room for panel a's "goal" (to 2.19); below, panel a keeps
# room for its verdict under the start (to -0.23), panel b only for its finished paths and their
# dots (none below -0.07 on 40 draws at every setting; a dot's 2.5 pt is 0.03 here). Both tops
# alike, so the start and the goal sit at one height in both panels side by side.
TOP, BOTTOM_A, BOTTOM_B = 2.22, -0.25, -0.12
PATH_X = S.axis(lim=(-1.0, 1.0), hidden=True)
# Two panels side by side fill a guided figure's column on a wide screen (547 px at 1280 px):
# 2 × 2.75 in at 96 px, with the gap between them, the equal-aspect paths as wide as the plot
# (93 pt a unit) under the legend's two rows (at 2.5 × 2.9 in they were 142 px tall). Each panel
# as tall as its limits then need, no taller: at 4.2 in for limits of -0.3 to 2.3 in both, panel
# b, shown alone in a phone's guided step, had 48 px of blank under its start (the ninth
# graphics desk). Panel b is the shorter by panel a's verdict line.
PANEL_SIZE, VERSUS_SIZE = (2.75, 4.0), (2.75, 3.83)


def class_keys(labels, width, opacity):
    """Empty lines in each class's look, carrying the legend's two labels (passes, cuts through)
    at every setting, whichever classes this draw has."""
    look = dict(width=width, opacity=opacity)
    return [
        S.line([], [], color=MODE_COLOR[LEFT], label=labels[0], **look),
        S.line([], [], color=MODE_COLOR[THROUGH], dash=True, label=labels[1], **look),
    ]


# Panel b's samples are thin lines over the broad pale demonstrations. Stacked, the grey
# demonstrations darken to the passing samples' tone, and thin green then differed from them by
# colour alone (lost in greyscale and for colour-blind readers: the graphics desk). So a
# passing sample also carries a dot at each of its 16 waypoints, the actions the policy outputs,
# and the legend keys it by that dot; a sample through the obstacle is dashed instead (as the MSE
# path is) and has no dots, so each look has a cue of its own that the legend shows.
SAMPLE_LOOK = dict(width=0.9, opacity=0.7)
WAYPOINT_LOOK = dict(size=1.2, opacity=0.85)
# A sample through the obstacle is what the figure asks the reader to find (the caption's
# "dashed orange" at 2 steps): drawn bold and opaque over the broad pale demonstrations, more
# than twice the passing samples' width (at 0.9 pt and 70% its dashes were faint flecks on the
# grey: the eighth graphics desk), as panel a draws a finished sample, and keyed in the legend
# by the same stroke.
THROUGH_LOOK = dict(width=2.0, opacity=1.0)


def sample_keys():
    """Panel b's legend keys for the two sample looks, at every setting (``class_keys``' role):
    a waypoint dot for a passing sample, a dashed line for one that cuts through."""
    return [
        S.points([], [], color=MODE_COLOR[LEFT], label=SAMPLE_LABELS[0], **WAYPOINT_LOOK),
        S.line(
            [], [], color=MODE_COLOR[THROUGH], dash=True, label=SAMPLE_LABELS[1], **THROUGH_LOOK
        ),
    ]


def sample_marks(paths, classes):
    """Lines for a batch of final paths: thin and green with a dot at every waypoint when they
    pass the obstacle, bold dashed orange when they cut through it (the legend's keys are
    ``sample_keys``)."""
    order = np.argsort(classes == THROUGH, kind="stable")  # crossing ones drawn last, on top
    xy = np.round(paths[order], DIGITS)
    cls = classes[order]
    lines = [
        S.line(
            p[:, 0],
            p[:, 1],
            color=MODE_COLOR[c],
            dash=c == THROUGH,
            **(THROUGH_LOOK if c == THROUGH else SAMPLE_LOOK),
        )
        for p, c in zip(xy, cls.tolist(), strict=True)
    ]
    dots = xy[cls != THROUGH].reshape(-1, 2)  # one mark for every passing sample's waypoints
    return lines + [S.points(dots[:, 0], dots[:, 1], color=MODE_COLOR[LEFT], **WAYPOINT_LOOK)]


# The frame slider runs left to right through the frames, and the still figure is the last: the
# frames go from the noise (left) to the finished path (right). Their names say so, counting the
# steps done: the noise level t counts down (t = 100 … 0), and "t = 0" at the slider's right end
# read as the start of the process (the eighth graphics desk). Short, so that Play, this label,
# the slider and the frame's name share one row beside a guided figure.
MOTION_LABEL = "denoising"


def frame_labels(done, n_steps):
    """The frames' names, for frames after ``done`` steps of ``n_steps``: "noise", "step 3/10",
    …, "path"."""
    return [
        "noise" if i == 0 else "path" if i == n_steps else f"step {i}/{n_steps}"
        for i in np.asarray(done).tolist()
    ]


def verdict(cls, gap):
    """What the finished sample does, as panel a writes it under the start at t = 0."""
    went = "cuts through" if cls == THROUGH else f"passes {CLASS_NAMES[cls]}"
    return f"this sample {went}, clearance {gap:+.2f}"


def describe_mse():
    how = "straight through it" if MSE_CLEARANCE < 0 else "past it"
    return (
        f"the MSE regression averages the two ways into a path {how} "
        f"(clearance {MSE_CLEARANCE:.2f})"
    )


def compute(sampler, steps, seed):
    rng = np.random.default_rng(seed)
    noise = rng.standard_normal((1 + SAMPLES, D))
    history, ts = sample(sampler, steps, noise, rng)
    n_steps = len(ts) - 1
    frames_at = np.unique(np.round(np.linspace(0, n_steps, FRAMES)).astype(int))
    shown = np.round(as_paths(history[frames_at, 0]), DIGITS)  # (frames, H, 2)
    final_paths = as_paths(history[-1])
    classes, gaps = classify(final_paths)
    left, through, right = counts(classes)
    mine, my_gap = int(classes[0]), float(gaps[0])

    # Panel a's legend is a key, the same at every frame and setting: it names no verdict while
    # the noise is still being denoised. The finished sample takes its class's look, as in
    # panel b, and its verdict is written under the start in the last frame only (the readouts
    # cannot change per frame: they state what panel b shows, at every frame).
    marks = [OBSTACLE_MARK, *DEMO_MARKS, ENDS_MARK, *END_LABELS]
    marks.append(S.line([], [], color="purple", width=1.2, label="being denoised"))
    marks += class_keys(FINISHED_LABELS, width=2.2, opacity=1.0)
    last = len(shown) - 1
    p = shown[last]
    marks += [
        S.line(
            p[:, 0], p[:, 1], color=MODE_COLOR[mine], width=2.2, frame=last, dash=mine == THROUGH
        ),
        S.points(p[:, 0], p[:, 1], color=MODE_COLOR[mine], size=2, frame=last),
        # under the start, where no path goes (none ends more than 0.07 below it)
        S.text(0, -0.12, verdict(mine, my_gap), size=8, valign="top", frame=last),
    ]
    marks += [
        S.line(p[:, 0], p[:, 1], color="purple", width=1.2, frame=k)
        for k, p in enumerate(shown[:last])
    ]
    labels = frame_labels(frames_at, n_steps)
    # Legends above the plots: DDPM's first states are wide noise, and cross any corner.
    denoising = S.panel(
        marks,
        title="denoising",
        size=PANEL_SIZE,
        equal=True,
        legend="above",
        x=PATH_X,
        y=S.axis(lim=(BOTTOM_A, TOP), hidden=True),
    )

    compare = [
        OBSTACLE_MARK,
        *DEMO_MARKS,
        MSE_KEY,
        *sample_keys(),
        *sample_marks(final_paths, classes),
        MSE_MARK,
        ENDS_MARK,  # over the waypoint dots that gather at the start and the goal
    ]
    versus = S.panel(
        compare,
        title=f"{1 + SAMPLES} samples vs MSE",
        size=VERSUS_SIZE,
        equal=True,
        legend="above",
        x=PATH_X,
        y=S.axis(lim=(BOTTOM_B, TOP), hidden=True),
    )

    this = (
        "cuts through the obstacle"
        if mine == THROUGH
        else f"passes the obstacle on the {CLASS_NAMES[mine]}"
    )
    return S.scene(
        [denoising, versus],
        motion=S.frames(
            len(frames_at),
            label=MOTION_LABEL,
            labels=labels,
            key=[0, len(frames_at) // 2, len(frames_at) - 1],
            fps=4,
        ),
        alt=(
            f"{sampler} turns noise into a path in {n_steps} steps; this sample {this} "
            f"(clearance {my_gap:.2f}). Of {1 + SAMPLES} samples, "
            f"{count_phrase(left, through, right)}; {describe_mse()}."
        ),
        # What panel b shows, at every frame: the finished sample's own verdict is panel a's, in
        # its last frame (a readout of it announced the result while the noise still played).
        readouts=[
            S.readout(
                f"of {1 + SAMPLES} samples, left / through / right", f"{left} / {through} / {right}"
            ),
            S.readout("MSE clearance", f"{MSE_CLEARANCE:+.2f}"),
            S.readout("denoising steps", n_steps),
        ],
        values={
            "this_sample": this,
            "counts": count_phrase(left, through, right),
            "through": f"{through} of {1 + SAMPLES}",
        },
    )
