"""Flow matching and DDIM: with the same field, one sampler in two coordinates.

Models: π0 (Black et al., arXiv 2410.24164) generates its action chunks by flow matching
(Lipman et al., arXiv 2210.02747). Noise ε and an action chunk A are joined by a straight line,
A^τ = τA + (1 − τ)ε, from τ = 0 (noise) to τ = 1 (data); the network is trained to regress the
velocity along it, A − ε, at times τ drawn from Beta((s − τ)/s; 1.5, 1), s = 0.999 (more weight on
the noisy end, none above s); at run time π0 integrates the velocity from noise with 10
forward-Euler steps, A^{τ+δ} = A^τ + δ v(A^τ, τ), δ = 0.1.

The task is Diffusion Policy's (arXiv 2303.04137), imported from ``diffusion_policy``: 16 waypoints
of a 2-D path past a disc, 24 demonstrations half on each side, the same centring and the same
σ = 0.03 Gaussian smoothing of each demonstration. The velocity field is exact, not learned: for
x0 drawn from the smoothed demonstrations (a mixture of N(d_i, σ²I)) and x_τ = τ x0 + (1 − τ)ε,
given demonstration i, x_τ ~ N(τ d_i, s² I) with s² = τ²σ² + (1 − τ)², so

    v(x, τ) = E[x0 − ε | x_τ = x] = Σ_i w_i(x) (d_i + g (x − τ d_i)),   g = (τσ² − (1 − τ)) / s²,

with w_i(x) ∝ exp(−|x − τ d_i|² / 2s²), the posterior over demonstrations.

What the figure shows is an identity (Song et al., arXiv 2010.02502; Karras et al., arXiv
2206.00364): x_τ / c(τ), with c(τ) = √(τ² + (1 − τ)²), is a variance-preserving diffusion state
with ᾱ(τ) = τ² / (τ² + (1 − τ)²), and one forward-Euler step of flow's ODE from τ_k to τ_{k+1} is
exactly DDIM's deterministic step from ᾱ(τ_k) to ᾱ(τ_{k+1}) with the same prediction of x0, seen
through that rescaling. So with the same field and the same noise, N Euler steps of flow matching
and N DDIM steps on the matched schedule end in the same place, to rounding error; DDIM on
Diffusion Policy's cosine schedule asks the network at other noise levels, and ends near, not on,
the same paths. What flow matching changes is therefore not the sampler's route but the training
target (the velocity A − ε rather than the noise ε), the distribution of training times (π0's Beta
against uniform), and where the steps are placed (uniform in τ).

Computes, from one draw of 21 noise vectors: both samplers' final paths after N calls and the
largest distance between corresponding waypoints; each path's class (negative clearance: it cuts
through the disc; otherwise left or right by the angle it sweeps round the disc, as in
diffusion_policy); the number of samples that cut through for 1 to 12 calls, for both samplers;
the τ at which each sampler calls the network (DDIM's noise levels mapped to flow time by
τ = √ᾱ / (√ᾱ + √(1 − ᾱ))); π0's training-time density and the share of it below τ = 0.5.

Simplifies: the exact field of a kernel-density version of the demonstrations stands in for a
trained network (see diffusion_policy), so training-time weighting cannot change the samples here;
one fixed observation (no conditioning, no VLM); 2-D waypoints and chunks of 16 instead of π0's
50-action chunks.
"""

import functools

import numpy as np

from visual_essay import scene as S
from visual_essay.params import Choice, Seed, Slider, Value

from . import diffusion_policy as dp

TITLE = "Flow matching and DDIM: one sampler in two coordinates"

BATCH = 1 + dp.SAMPLES  # samples per sampler, as in diffusion_policy
MAX_COUNTED = 12  # the calls panel counts crossings for 1..MAX_COUNTED calls
BETA_S = 0.999  # π0's cut-off: training times above s are never drawn
SAME = 1e-12  # a gap below this is rounding error, and is shown as such
SCHEDULES = ("matched", "cosine")

PARAMS = (
    Slider("steps", 1, 50, step=1, default=10, label="Network calls", unit="per sample"),
    Choice("ddim", SCHEDULES, "matched", label="DDIM's noise levels"),
    Seed("seed", 3, label="New sample"),
)

VALUES = (
    Value("gap", "the largest distance between the two samplers' waypoints"),
    Value("flow_counts", "how flow matching's samples pass the obstacle"),
    Value("through", "how many of flow matching's samples cut through the obstacle"),
    Value("settled", "from how many calls no sample cuts through any more, on this draw"),
    Value("same_counts", "whether DDIM's crossings for 1 to 12 calls are flow's"),
    Value("beta_share", "the share of π0's training times below τ = 0.5", format=".0%"),
)


# ---- the field and the two samplers --------------------------------------------------------------

def flow_variance(tau):
    """s²(τ): the variance of x_τ around τ d_i."""
    return tau * tau * dp.SMOOTH ** 2 + (1 - tau) ** 2


def velocity(x, tau):
    """v(x, τ) = E[x0 − ε | x_τ = x] for a batch x (B, D), in closed form: the reference form;
    the samplers run the same algebra fused with their steps."""
    var = flow_variance(tau)
    diff = x[:, None, :] - tau * dp.DATA[None]
    logw = -(diff ** 2).sum(-1) / (2 * var)
    w = np.exp(logw - logw.max(1, keepdims=True))
    w /= w.sum(1, keepdims=True)
    g = (tau * dp.SMOOTH ** 2 - (1 - tau)) / var
    return (w[:, :, None] * (dp.DATA[None] + g * diff)).sum(1)


def matched_alpha_bar(tau):
    """ᾱ(τ) = τ² / (τ² + (1 − τ)²): the diffusion noise level of flow time τ."""
    tau = np.asarray(tau, float)
    return tau * tau / (tau * tau + (1 - tau) ** 2)


def flow_time(alpha_bar):
    """The inverse: τ = √ᾱ / (√ᾱ + √(1 − ᾱ))."""
    a = np.asarray(alpha_bar, float)
    return np.sqrt(a) / (np.sqrt(a) + np.sqrt(1 - a))


def flow_steps(steps):
    """Per Euler step k (τ = k/N, δ = 1/N), as four arrays of length N: the posterior's mean factor
    μ = τ and variance s² (x | i ~ N(μ d_i, s² I)), and the weights of E_w[d] and of x in
    x + δ v = δ(1 − gτ) E_w[d] + (1 + δg) x."""
    tau = np.arange(steps) / steps
    var = flow_variance(tau)
    g = (tau * dp.SMOOTH ** 2 - (1 - tau)) / var
    delta = 1.0 / steps
    return tau, var, delta * (1 - g * tau), 1 + delta * g


def ddim_steps(alpha_bars):
    """DDIM (η = 0) through the noise levels ``alpha_bars`` (increasing, from 0 or near it to 1),
    in the same four arrays as ``flow_steps``: x_next = √ᾱ' x̂0 + √(1 − ᾱ') ε̂ with
    ε̂ = (x − √ᾱ x̂0) / √(1 − ᾱ) and x̂0 = E[x0 | x] = keep_data · E_w[d] + keep_x · x
    (diffusion_policy's denoiser)."""
    a, a_next = np.asarray(alpha_bars[:-1], float), np.asarray(alpha_bars[1:], float)
    var = a * dp.SMOOTH ** 2 + 1 - a
    keep_data, keep_x = 1 - dp.SMOOTH ** 2 * a / var, dp.SMOOTH ** 2 * np.sqrt(a) / var
    last = a_next >= 1  # the last step returns x̂0 itself
    q = np.where(last, 0.0, np.sqrt(np.clip(1 - a_next, 0, None) / (1 - a)))
    p = np.where(last, 1.0, np.sqrt(a_next) - q * np.sqrt(a))
    return np.sqrt(a), var, p * keep_data, p * keep_x + q


def ddim_levels(steps, ddim):
    """The ᾱ before each of DDIM's N calls and after the last: flow's uniform τ mapped by ᾱ(τ)
    ("matched"), or Diffusion Policy's cosine timesteps ("cosine")."""
    if ddim == "matched":
        return matched_alpha_bar(np.arange(steps + 1) / steps)
    return dp.ALPHA_BAR[dp.timesteps("DDIM", steps)]


def as_chain(mu, var, data_coef, self_coef):
    """diffusion_policy's fused-chain tables for these steps."""
    return dp.logit_tables(mu, var) + (data_coef, self_coef)


def flow_sample(steps, noise):
    """N forward-Euler steps of dx/dτ = v(x, τ) from x = noise at τ = 0 to τ = 1, run by
    diffusion_policy's fused chain: every state, (N + 1, B, D)."""
    return dp.mixture_chain(noise, *as_chain(*flow_steps(steps)))


def ddim_sample(steps, ddim, noise):
    """N DDIM steps on the chosen schedule from the same noise: every state. The cosine schedule
    is diffusion_policy's own DDIM."""
    if ddim == "cosine":
        return dp.sample("DDIM", steps, noise)[0]
    return dp.mixture_chain(noise, *as_chain(*ddim_steps(ddim_levels(steps, ddim))))


def final_states(noise, mu, var, data_coef, self_coef):
    """The last state of S fused chains run side by side from the same noise (B, D): each
    argument is (K, S), one column per chain. The same step as diffusion_policy's
    ``mixture_chain`` (in the demonstrations' subspace; the rest of x is only scaled), written for
    what the figure needs: only the final states, and every logit matrix a multiple of one, so each
    step is two plain 2-D products for all chains at once (Pyodide's numpy has no BLAS: stacks of
    small products cost more there). Returns (S, B, D)."""
    steps, chains = mu.shape
    scale, offset = mu / var, -(mu * mu) / (2 * var)
    p0 = noise @ dp.BASIS.T
    q = noise - p0 @ dp.BASIS
    p = np.repeat(p0[None], chains, 0)  # (S, B, RANK)
    flat = (-1, dp.RANK)
    for k in range(steps):
        logits = (p.reshape(flat) @ dp.COORDS.T).reshape(p.shape[:2] + (dp.DEMOS,))
        logits *= scale[k][:, None, None]
        logits += offset[k][:, None, None] * dp.SQNORM
        logits -= logits.max(-1, keepdims=True)
        np.exp(logits, out=logits)
        r = (logits.reshape(-1, dp.DEMOS) @ dp.COORDS1).reshape(p.shape[:2] + (dp.RANK + 1,))
        p = r[..., :dp.RANK] * (data_coef[k][:, None, None] / r[..., dp.RANK:]) + \
            self_coef[k][:, None, None] * p
    return p @ dp.BASIS + np.prod(self_coef, 0)[:, None, None] * q


def side_by_side(*runs):
    """Stack runs of steps (each four arrays of length K) as the columns of ``final_states``."""
    return [np.stack(parts, 1) for parts in zip(*runs, strict=True)]


def sample_finals(steps, ddim, noise):
    """Flow's and DDIM's final states after N calls from the same noise: (2, B, D)."""
    return final_states(noise, *side_by_side(flow_steps(steps),
                                             ddim_steps(ddim_levels(steps, ddim))))


def largest_gap(a, b):
    """The largest distance between corresponding waypoints of two batches of paths (..., H, 2)."""
    d = a - b
    return float(np.sqrt((d * d).sum(-1)).max())


_PADDED = {}


def padded_steps(ddim, most=MAX_COUNTED):
    """The columns of ``through_by_calls``: flow and DDIM with 1, 1, 2, 2, …, most, most calls,
    each run of n calls preceded by most − n identity steps (μ = 0, weights 0 and 1: x stays x,
    exactly). They do not depend on the noise, so they are built once per schedule and kept."""
    if (ddim, most) not in _PADDED:
        runs = [r for n in range(1, most + 1)
                for r in (flow_steps(n), ddim_steps(ddim_levels(n, ddim)))]
        idle = (0.0, 1.0, 0.0, 1.0)
        padded = [[np.concatenate([np.full(most - len(part), fill), part])
                   for part, fill in zip(run, idle, strict=True)] for run in runs]
        _PADDED[ddim, most] = side_by_side(*padded)
    return _PADDED[ddim, most]


def through_by_calls(noise, ddim, most=MAX_COUNTED):
    """Samples that cut through the obstacle after 1..most calls: (flow counts, DDIM counts),
    all 2 × most runs in one chain of ``most`` steps."""
    final = final_states(noise, *padded_steps(ddim, most))
    classes, _ = dp.classify(dp.as_paths(final))
    through = (classes == dp.THROUGH).sum(-1).tolist()
    return through[0::2], through[1::2]


def noise_for(seed):
    """The figure's noise draws for ``seed`` (BATCH × D)."""
    return np.random.default_rng(seed).standard_normal((BATCH, dp.D))


@functools.lru_cache(maxsize=32)  # a drag of the calls slider keeps the seed and the schedule
def through_for(seed, ddim):
    """``through_by_calls`` for the noise of ``seed``: it does not depend on the calls slider."""
    flow, ddim_counts = through_by_calls(noise_for(seed), ddim)
    return tuple(flow), tuple(ddim_counts)


def none_through_from(counts):
    """The fewest calls from which no count up to the last is above zero (None if the last is)."""
    if counts[-1] > 0:
        return None
    k = len(counts)
    while k > 1 and counts[k - 2] == 0:
        k -= 1
    return k


def call_times(steps, ddim):
    """The flow time τ at which each sampler calls the network: (flow's N, DDIM's N)."""
    flow = np.arange(steps) / steps
    return flow, flow_time(ddim_levels(steps, ddim)[:-1])


# ---- π0's training times -------------------------------------------------------------------------

def beta_density(tau, s=BETA_S):
    """π0's density of training times: Beta((s − τ)/s; 1.5, 1) = 1.5 u^0.5 with u = (s − τ)/s,
    times 1/s for the change of variable; zero above s."""
    tau = np.asarray(tau, float)
    u = np.clip((s - tau) / s, 0, None)
    return np.where(tau < s, 1.5 * np.sqrt(u) / s, 0.0)


def beta_share_below(t, s=BETA_S):
    """P(τ < t) under π0's training distribution: 1 − ((s − t)/s)^1.5 for t ≤ s."""
    return 1 - (max(s - t, 0.0) / s) ** 1.5


# ---- the figure ----------------------------------------------------------------------------------

FLOW_COLOR, DDIM_COLOR = "blue", "purple"
PASS_COLOR, THROUGH_COLOR = FLOW_COLOR, "orange"  # flow's own colour in every panel, unless it fails
DEMO_LABELLED = {**dp.DEMO_MARKS[0], "label": "demonstrations"}
SCHEDULE_NAME = {"matched": "the matched schedule (flow's steps mapped to ᾱ)",
                 "cosine": "Diffusion Policy's cosine schedule"}
# Two panels a row fill a guided figure's column at 1280 px (547 px: 2 × 2.75 in and the gap):
# the first row tall, for panel a's paths (its height sets their scale, 89 pt a unit), the second
# short. No taller than that needs: on a phone the four panels stack, and at 3.8 and 1.9 in the
# figure was the essay's tallest there, 1822 px (the ninth graphics desk); panel c's names then
# sat where its key had been, and panel d's two rows of ticks need no more than c.
ROW_A, ROW_C = (2.75, 3.7), (2.75, 1.6)
# On a phone, where (b) need not be as tall as (a), it is drawn shorter: 1572 px was the phone
# figure's height, the essay's tallest (the eleventh graphics desk).
PHONE_B = (2.75, 2.3)


# Panel a draws SHOWN of the samples, spread over where they pass (the readouts count all of
# them): 21 paths with 21 sets of dots overplotted into one braid, where the claim, DDIM's
# waypoints on flow's path, could not be seen (the sixth graphics desk).
SHOWN = 5
# The demonstrations' extent and a margin (start at 0, goal at 2 and its name above it, to 2.19;
# flow's finished paths reach -0.07 at most, their dots 0.05 further): the paths fill the
# panel's height, which sets its scale.
PATH_AXES = dict(x=S.axis(lim=(-1.0, 1.0), hidden=True), y=S.axis(lim=(-0.12, 2.22), hidden=True))


def shown_samples(flow_paths):
    """The SHOWN samples drawn: flow's paths ranked by their mean sideways position, taken at
    evenly spaced ranks (the leftmost, the rightmost and between them)."""
    order = np.argsort(flow_paths[..., 0].mean(-1), kind="stable")
    return order[np.round(np.linspace(0, len(order) - 1, SHOWN)).astype(int)]


# Panel a's looks. Stacked, the broad pale demonstrations darken to the tone of a thin green
# path, so a passing path is told from them by a second cue, as in diffusion_policy's panel b: a
# dot at each of its 16 waypoints (pale, so DDIM's darker diamond for the same waypoint shows inside
# it, in greyscale too); a path through the obstacle is dashed instead and has no dots. DDIM's
# waypoints are diamonds, as in panel b: at matched noise levels each sits centred in flow's dot,
# drawn over it. The caption's claim rests on them, so they read at 1:1: a diamond 6 pt (8 px)
# across, three quarters of the dot's width, with a ring of the pale dot 1 pt or more round it
# (at 3.75 pt across, over dots of 6 pt, they read as specks: the ninth graphics desk). On the
# cosine schedule the diamond sits off the dot's centre by up to 1.6 pt (the gap, 0.018).
PASS_LOOK = dict(color=PASS_COLOR, width=1.1, opacity=0.9)
THROUGH_LOOK = dict(color=THROUGH_COLOR, width=1.3, dash=True, opacity=0.9)
FLOW_WAYPOINT_LOOK = dict(color=PASS_COLOR, size=4.0, opacity=0.55)
DDIM_WAYPOINT_LOOK = dict(color=DDIM_COLOR, size=2.4, shape="diamond")


def paths_panel(steps, flow_paths, ddim_paths, classes):
    """SHOWN of flow's final paths as lines, with a dot at each waypoint when they pass the disc
    and dashed orange when they cut through it, DDIM's from the same noise as diamonds at their
    waypoints on top; the start and goal drawn last, over everything."""
    marks = [dp.OBSTACLE_MARK, DEMO_LABELLED, *dp.DEMO_MARKS[1:]]
    # The legend's two flow entries, first and always, whichever classes this draw has: empty
    # marks in each class's look (a passing path keyed by its waypoint dot), so the legend is the
    # same at every setting.
    marks += [S.points([], [], label="flow: passes", **FLOW_WAYPOINT_LOOK),
              S.line([], [], label="flow: cuts through", **THROUGH_LOOK)]
    shown = shown_samples(flow_paths)
    shown = shown[np.argsort(classes[shown] == dp.THROUGH, kind="stable")]  # crossing ones last
    paths = np.round(flow_paths[shown], dp.DIGITS)
    through = classes[shown] == dp.THROUGH
    marks += [S.line(p[:, 0], p[:, 1], **(THROUGH_LOOK if t else PASS_LOOK))
              for p, t in zip(paths, through.tolist(), strict=True)]
    waypoints = paths[~through].reshape(-1, 2)  # one mark for every passing path's dots
    marks.append(S.points(waypoints[:, 0], waypoints[:, 1], **FLOW_WAYPOINT_LOOK))
    dots = np.round(ddim_paths[shown].reshape(-1, 2), dp.DIGITS)
    marks += [S.points(dots[:, 0], dots[:, 1], label="DDIM: waypoints", **DDIM_WAYPOINT_LOOK),
              dp.ENDS_MARK, *dp.END_LABELS]
    calls = "1 call" if steps == 1 else f"{steps} calls"
    return S.panel(marks, title=f"{SHOWN} of {BATCH} samples after {calls}", size=ROW_A,
                   equal=True, legend="above", **PATH_AXES)


def calls_panel(steps, flow_counts, ddim_counts):
    ns = np.arange(1, len(flow_counts) + 1)
    # DDIM's counts as diamonds on flow's line: where they are equal both stay visible.
    marks = [S.line(ns, flow_counts, color=FLOW_COLOR, width=2, label="flow matching"),
             S.points(ns, ddim_counts, color=DDIM_COLOR, size=3.2, shape="diamond",
                      label="DDIM")]
    if steps <= len(ns):  # a dot on flow's line, named beside it (a line across the panel
        # ran under the key in its corner)
        count = flow_counts[steps - 1]
        marks[1:1] = [S.points([steps], [count], color="ink", size=4.5),
                      S.text(steps, count, f"{steps} call{'s' if steps > 1 else ''}", size=8,
                             beside=True, gap=7)]
    else:  # the chosen count is past the axis: say where it is, rather than mark nothing
        marks.append(S.text(len(ns) + 0.4, BATCH * 0.4, f"{steps} calls →", size=8,
                            color="muted", anchor="end"))
    def axes(room):  # ``room``: counts of margin above 21 and below 0, for the dots' radius
        return dict(x=S.axis("network calls", lim=(0.5, len(ns) + 0.5),
                             ticks=[1, 2, 3, 4, 6, 8, 10, 12]),
                    y=S.axis(f"of {BATCH} samples", lim=(-room[0], BATCH + room[1]),
                             ticks=[0, 7, 14, 21]))

    # as tall as (a) beside it; stacked on a phone, as short as its four ticks and key read, with
    # more counts of margin (a count is fewer points there) so the current calls' dot, 4.5 pt
    # across, stays inside the plot at 0 and at 21
    return S.panel(marks, title="through the obstacle", size=ROW_A, legend="upper right",
                   narrow=S.panel(marks, size=PHONE_B, legend="upper right", **axes((1.2, 1.2))),
                   **axes((0.8, 1)))


TAU_GRID = np.linspace(0, 1, 201)
BETA_CURVE = np.round(beta_density(TAU_GRID), 4)
TAU_AXIS = dict(lim=(-0.03, 1.03), ticks=[0, 0.25, 0.5, 0.75, 1])
ROWS = {"flow": 1, "DDIM": 0}  # panel d's rows, named on its y axis
TICK_HALF = 0.3  # half a call's tick, in rows


# Panel c's two curves are named beside them, not in a key (a key in the plot's corner sat 10 px
# above the Beta curve: the ninth graphics desk): π0's over its high start, the uniform density's
# over its right end, where the Beta curve has fallen below it.
BETA_NAME, UNIFORM_NAME = "π0's training τ (Beta)", "uniform τ"


def training_panel():
    return S.panel([S.line(TAU_GRID, BETA_CURVE, color="teal", width=2),
                    S.line([0, 1], [1, 1], color="gray", width=1.4, dash=True),
                    S.text(0.04, float(beta_density(0.04)), BETA_NAME, size=8, color="teal",
                           beside=["above right"], gap=7),
                    S.text(1.0, 1.0, UNIFORM_NAME, size=8, color="gray",
                           beside=["above left"], gap=8)],
                   title="π0's training times", size=ROW_C,
                   x=S.axis("τ (0 = noise, 1 = actions)", **TAU_AXIS),
                   y=S.axis("density", lim=(-0.05, 2.25), ticks=[0, 1, 2]))


def call_times_panel(steps, ddim):
    """Where each sampler calls the network, a row of ticks each, on an axis of its own (drawn
    below 0 on panel c's density axis, they read as negative density)."""
    flow_t, ddim_t = call_times(steps, ddim)
    marks = []
    for name, ts, color in (("flow", flow_t, FLOW_COLOR), ("DDIM", ddim_t, DDIM_COLOR)):
        ts, row = np.round(ts, 4), ROWS[name]
        marks.append(S.segments(ts, np.full(ts.shape, row - TICK_HALF), ts,
                                np.full(ts.shape, row + TICK_HALF), color=color,
                                width=1.2 if name == "flow" else 2.2))
    return S.panel(marks, title="where each sampler calls", size=ROW_C,
                   x=S.axis("τ (0 = noise, 1 = actions)", **TAU_AXIS),
                   y=S.axis(lim=(-0.6, 1.6), ticks=sorted(ROWS.values()),
                            ticklabels=sorted(ROWS, key=ROWS.get)))


def plural(n, word):
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def power_of_ten(x, spoken=False):
    """A power of ten as a reader reads it: "10⁻¹²" on the page, "10 to the power −12" for a
    screen reader (Python's "1e-12" is read "one e minus twelve")."""
    exponent = round(float(np.log10(x)))
    if spoken:
        return f"10 to the power {exponent}".replace("-", "\u2212")
    return "10" + str(exponent).translate(SUPERSCRIPT)


def gap_phrase(gap, spoken=False):
    """The largest gap between the samplers' waypoints: "below 10⁻¹²" (rounding error), or the
    distance to three decimals."""
    if gap < SAME:
        return f"below {power_of_ten(SAME, spoken)}"
    return f"{gap:.3f}"


def counts_list(counts):
    return ", ".join(str(c) for c in counts)


def compute(steps, ddim, seed):
    noise = noise_for(seed)
    finals = dp.as_paths(sample_finals(steps, ddim, noise))
    classes, _ = dp.classify(finals)
    count = {"flow": dp.counts(classes[0]), "DDIM": dp.counts(classes[1])}
    gap = largest_gap(finals[0], finals[1])
    flow_counts, ddim_counts = (list(c) for c in through_for(seed, ddim))
    clear_from = {"flow": none_through_from(flow_counts), "DDIM": none_through_from(ddim_counts)}
    share = beta_share_below(0.5)

    panels = [paths_panel(steps, finals[0], finals[1], classes[0]),
              calls_panel(steps, flow_counts, ddim_counts),
              training_panel(),
              call_times_panel(steps, ddim)]

    calls = "1 network call" if steps == 1 else f"{steps} network calls"
    where = ("in the same places: the largest distance between their waypoints is "
             f"{gap_phrase(gap, spoken=True)}, rounding error" if gap < SAME else
             f"close together: the largest distance between their waypoints is {gap:.3f} (the "
             f"obstacle's radius is {dp.RADIUS:g})")
    same_counts = flow_counts == ddim_counts

    def settled(name):
        k = clear_from[name]
        return (f"none from {k} to {MAX_COUNTED} calls" if k is not None else
                f"some still at {MAX_COUNTED} calls")

    crossing = (f"Samples through the obstacle with 1 to {MAX_COUNTED} calls: "
                + (f"{counts_list(flow_counts)} for both samplers ({settled('flow')})"
                   if same_counts else
                   f"flow {counts_list(flow_counts)} ({settled('flow')}); DDIM "
                   f"{counts_list(ddim_counts)} ({settled('DDIM')})"))
    alt = (f"From the same {BATCH} noise draws, with {calls} per sample, flow matching's Euler "
           f"steps and DDIM on {SCHEDULE_NAME[ddim]} end {where}. Flow matching: "
           f"{dp.count_phrase(*count['flow'])}; DDIM: {dp.count_phrase(*count['DDIM'])}. "
           f"{crossing}. π0 draws its training times from Beta((s − τ)/s; 1.5, 1), s = "
           f"{BETA_S:g}, which puts {share:.0%} of them in the noisier half, τ below 0.5 "
           f"(uniform: 50%), and none above {BETA_S:g}.")

    def trio(name):
        left, through, right = count[name]
        return f"{left} / {through} / {right}"

    first = clear_from["flow"]
    values = {
        "gap": gap_phrase(gap),
        "flow_counts": dp.count_phrase(*count["flow"]),
        "through": f"{count['flow'][1]} of {BATCH}",
        "settled": (f"none from {plural(first, 'call')} on" if first is not None else
                    f"some even at {MAX_COUNTED} calls"),
        "same_counts": "stay the same" if same_counts else "change",
        "beta_share": share,
    }
    # Rows that hold at every setting (1280 px: 547 px of readouts): the two trios fill the first
    # row; the two values that change in length share the second (together at most 510 px: the
    # gap was "below 10⁻¹²" or 0.018, and beside the training share it moved between the second
    # and third rows on a switch of schedule); the training share, too long to join them, ends
    # alone. (The number of calls is the slider's own value, not repeated.)
    readouts = [S.readout("flow: left/through/right", trio("flow")),
                S.readout("DDIM: left/through/right", trio("DDIM")),
                S.readout("largest flow–DDIM gap", gap_phrase(gap)),
                S.readout("flow: none through from",
                          plural(first, "call") if first is not None else
                          f"over {MAX_COUNTED} calls"),
                S.readout("π0's training τ below 0.5", f"{share:.0%} (uniform: 50%)")]
    return S.scene(panels, alt=alt, readouts=readouts, values=values)
