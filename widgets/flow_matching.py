"""Flow matching beside diffusion: the same two-way task, sampled along straighter paths.

Models: π0 (Black et al., arXiv 2410.24164) generates its action chunks by flow matching
(Lipman et al., arXiv 2210.02747) instead of denoising diffusion. Noise ε and an action chunk A
are joined by a straight line, A^τ = τA + (1 − τ)ε, from τ = 0 (noise) to τ = 1 (data); the
network is trained to regress the velocity along it, A − ε; at run time π0 integrates that
velocity field from noise with 10 forward-Euler steps, A^{τ+δ} = A^τ + δ v(A^τ, τ), δ = 0.1.

The task is Diffusion Policy's (arXiv 2303.04137), imported from ``diffusion_policy``: 16 waypoints
of a 2-D path past a disc, 24 demonstrations half on each side, the same centring and the same
σ = 0.03 Gaussian smoothing of each demonstration. The velocity field is exact, not learned: for
x0 drawn from the smoothed demonstrations (a mixture of N(d_i, σ²I)) and x_τ = τ x0 + (1 − τ)ε,
given demonstration i, x_τ ~ N(τ d_i, s² I) with s² = τ²σ² + (1 − τ)², so

    v(x, τ) = E[x0 − ε | x_τ = x] = Σ_i w_i(x) (d_i + g (x − τ d_i)),   g = (τσ² − (1 − τ)) / s²,

with w_i(x) ∝ exp(−|x − τ d_i|² / 2s²), the posterior over demonstrations. (Equivalently
v = (E[x0 | x_τ = x] − x) / (1 − τ): the same posterior as the diffusion denoiser's.) N Euler
steps of it, from the same Gaussian noise, are set beside DDIM with the same number N of
network calls, on Diffusion Policy's cosine schedule (DDIM from diffusion_policy itself).

Shown: each sampler's 21 final paths, classified as in diffusion_policy (negative clearance: it
cuts through the disc; otherwise left or right by the angle it sweeps round the disc), and how
straight the sampling routes are. Each sample's route is its sequence of N + 1 states in the full
32-number path space, from the noise to the final path. Flow's routes are nearly straight: with a
fixed prediction, τA + (1 − τ)ε is a straight line, and only the choice of a side bends it.
DDIM's move along √ᾱ x0 + √(1 − ᾱ) ε, an arc, even when its prediction stays put. The third panel
plots, after each step, the distance of the state from the straight line joining the route's two
ends (a fraction of that line's length; the mean over the 21 samples and the band from least to
most). The readouts give the mean straightness: per sample, the distance from noise to final path
over the summed length of the steps (1 = a straight line).

Simplifies: the exact field of a kernel-density version of the demonstrations stands in for a
trained network (see diffusion_policy); one fixed observation (no conditioning, no VLM); 2-D
waypoints and chunks of 16 instead of π0's 50-action chunks; uniform τ steps.
"""

import numpy as np

from visual_essay import scene as S
from visual_essay.params import Seed, Slider

from . import diffusion_policy as dp

TITLE = "Flow matching beside diffusion"

BATCH = 1 + dp.SAMPLES  # samples per sampler, as in diffusion_policy
ON_MEAN = 0.02  # a sample this close to the mean path, waypoint by waypoint, is said to be on it

PARAMS = (
    Slider("steps", 1, 50, step=1, default=10, label="Network calls", unit="per sample"),
    Seed("seed", 3, label="New sample"),
)


def flow_variance(tau):
    """s²(τ): the variance of x_τ around τ d_i."""
    return tau * tau * dp.SMOOTH ** 2 + (1 - tau) ** 2


def velocity(x, tau):
    """v(x, τ) = E[x0 − ε | x_τ = x] for a batch x (B, D), in closed form: the reference form;
    ``flow_sample`` runs the same algebra fused with the Euler step."""
    var = flow_variance(tau)
    diff = x[:, None, :] - tau * dp.DATA[None]
    logw = -(diff ** 2).sum(-1) / (2 * var)
    w = np.exp(logw - logw.max(1, keepdims=True))
    w /= w.sum(1, keepdims=True)
    g = (tau * dp.SMOOTH ** 2 - (1 - tau)) / var
    return (w[:, :, None] * (dp.DATA[None] + g * diff)).sum(1)


def flow_schedule(steps):
    """Per Euler step k (τ = k/N, δ = 1/N): logit matrices (N, RANK, DEMOS), offsets (N, DEMOS), and
    the weights of E_w[d] and of x in  x + δ v = δ(1 − gτ) E_w[d] + (1 + δg) x."""
    tau = np.arange(steps) / steps
    var = flow_variance(tau)
    g = (tau * dp.SMOOTH ** 2 - (1 - tau)) / var
    delta = 1.0 / steps
    return dp.logit_tables(tau, var) + (delta * (1 - g * tau), 1 + delta * g)


def flow_sample(steps, noise):
    """N forward-Euler steps of dx/dτ = v(x, τ) from x = noise at τ = 0 to τ = 1. Returns every
    state, (N + 1, B, D)."""
    mats, offsets, data_coef, self_coef = flow_schedule(steps)
    return dp.mixture_chain(noise, mats, offsets, data_coef, self_coef)


def ddim_sample(steps, noise):
    """Diffusion Policy's DDIM with ``steps`` network calls from the same noise."""
    return dp.sample("DDIM", steps, noise)[0]


def sample_both(steps, noise):
    """Flow's N Euler steps and DDIM's N steps from the same noise, run side by side in one
    chain (both are the same kind of step with different coefficients). Returns the two
    histories, each (N + 1, B, D)."""
    flow = flow_schedule(steps)
    ts, *ddim = dp.schedule("DDIM", steps)
    assert len(ts) - 1 == steps
    mats = np.stack([flow[0], ddim[0]], 1)  # (N, 2, RANK, DEMOS)
    offsets = np.stack([flow[1], ddim[1]], 1)[:, :, None, :]
    data_coef = np.stack([flow[2], ddim[2]], 1)[:, :, None, None]
    self_coef = np.stack([flow[3], ddim[3]], 1)[:, :, None, None]
    history = dp.mixture_chain(np.stack([noise, noise]), mats, offsets, data_coef, self_coef)
    return history[:, 0], history[:, 1]


def straightness(history):
    """Per sample: |x_N − x_0| / Σ_k |x_{k+1} − x_k| in the full path space (1 = straight)."""
    chord = np.sqrt(((history[-1] - history[0]) ** 2).sum(-1))
    step = np.diff(history, axis=0)
    return chord / np.sqrt((step * step).sum(-1)).sum(0)


def route_shape(history):
    """Each sample's route from noise to its final path, in the full path space, as two numbers
    per state: how far along the straight line from x_0 to x_N it has come, and how far off that
    line it is, both as fractions of the line's length. A straight route stays at 0 off the line.
    Returns (along, off), each (N + 1, B)."""
    rel = history - history[0]
    chord = rel[-1]
    length2 = (chord * chord).sum(-1)
    along = (rel * chord).sum(-1) / length2
    off = np.sqrt(np.maximum((rel * rel).sum(-1) / length2 - along * along, 0.0))
    return along, off


# ---- marks that do not depend on the parameters ---------------------------------------------------

PATH_LIM = dict(x=S.axis(lim=(-1.3, 1.3), hidden=True), y=S.axis(lim=(-0.65, 2.25), hidden=True))
COLOR = {"flow": "blue", "DDIM": "purple"}


def paths_panel(name, steps, paths, classes):
    marks = [dp.OBSTACLE_MARK, *dp.DEMO_MARKS, dp.ENDS_MARK,
             *dp.sample_marks(paths, classes, ("samples", "cut through"))]
    calls = "1 step" if steps == 1 else f"{steps} steps"
    return S.panel(marks, title=f"{name} · {calls}", size=(2.4, 2.9), equal=True,
                   legend="lower left", **PATH_LIM)


def routes_panel(histories):
    """For each sampler, how far its routes are off their straight lines after each step: the
    band from the least to the most of the 21 samples, and their mean."""
    marks = []
    for name, history in histories.items():
        _, off = route_shape(history)
        progress = np.linspace(0, 1, len(off))
        band = np.round(np.stack([off.min(1), off.max(1), off.mean(1)]), dp.DIGITS)
        marks += [S.area(progress, band[0], band[1], color=COLOR[name], opacity=0.25),
                  S.line(progress, band[2], color=COLOR[name], width=2.2,
                         label=f"{name} (mean, range)")]
    return S.panel(marks, title="distance off the straight line", size=(3.2, 2.9),
                   legend="upper right",
                   x=S.axis("steps taken, as a fraction of N", lim=(0, 1),
                            ticks=[0, 0.25, 0.5, 0.75, 1]),
                   y=S.axis("off the line / its length", lim=(0, 0.4)))


def compare_phrase(flow, ddim):
    """How the two mean straightnesses compare, at the two decimals shown."""
    f, d = round(flow, 2), round(ddim, 2)
    if f > d:
        return f"flow's routes are the straighter: mean straightness {f:.2f} against DDIM's {d:.2f}"
    if f < d:
        return f"DDIM's routes are the straighter: mean straightness {d:.2f} against flow's {f:.2f}"
    return f"flow's and DDIM's routes are equally straight: mean straightness {f:.2f} each"


def compute(steps, seed):
    rng = np.random.default_rng(seed)
    noise = rng.standard_normal((BATCH, dp.D))
    flow, ddim = sample_both(steps, noise)
    histories = {"flow": flow, "DDIM": ddim}
    finals = np.stack([flow[-1], ddim[-1]])
    classes, _ = dp.classify(dp.as_paths(finals))
    count = {"flow": dp.counts(classes[0]), "DDIM": dp.counts(classes[1])}
    straight = {name: float(straightness(h).mean()) for name, h in histories.items()}

    panels = [paths_panel("flow matching", steps, dp.as_paths(finals[0]), classes[0]),
              paths_panel("DDIM", steps, dp.as_paths(finals[1]), classes[1]),
              routes_panel(histories)]
    calls = "1 network call" if steps == 1 else f"{steps} network calls"
    # the farthest any waypoint of any sample lies from the mean of the demonstrations
    from_mean = np.abs(dp.as_paths(finals) - dp.MSE_PATH).max((1, 2, 3))
    said = {name: dp.count_phrase(*count[name]) +
            (f", every sample within {gap:.3f} of the mean of the demonstrations (the MSE path)"
             if gap < ON_MEAN else "") for name, gap in zip(("flow", "DDIM"), from_mean.tolist())}
    alt = (f"From the same noise, with {calls} per sample. Flow matching: of {BATCH} samples, "
           f"{said['flow']}. DDIM: {said['DDIM']}. "
           f"From noise to path (1 = a straight line), "
           f"{compare_phrase(straight['flow'], straight['DDIM'])}.")
    readouts = []
    for name in ("flow", "DDIM"):
        left, through, right = count[name]
        readouts += [S.readout(f"{name}: left / through / right", f"{left} / {through} / {right}"),
                     S.readout(f"{name}: mean straightness", straight[name], digits=2)]
    readouts.append(S.readout("network calls per sample, each", steps))
    return S.scene(panels, alt=alt, readouts=readouts)
