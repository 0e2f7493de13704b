"""Diffusion Policy: denoising noise into a path that commits to one way around an obstacle.

Models: Diffusion Policy (Chi et al., arXiv 2303.04137) generates a robot's next H = 16 actions
by denoising: start from Gaussian noise and repeatedly remove the noise a model predicts. Here the
"actions" are 16 waypoints of a 2-D path from a start to a goal with a disc in between, and the
demonstrations pass it on the left or on the right: two modes, as Push-T's demonstrations go
around the T both ways. The forward process uses the cosine noise schedule with T = 100 training
steps (the paper's 100); the reverse process is DDPM (all 100 steps, stochastic) or DDIM
(deterministic, as few as you like; the paper uses 10 on the real robot).

The denoiser is exact, not learned: the posterior mean E[x0 | x_t] of the demonstration set, each
demonstration smoothed by a small Gaussian (σ = 0.03), so the sampler draws new paths near the
demonstrated ones instead of copying one. A trained network approximates exactly this function.
Beside it, plain behavioral cloning with a mean-squared-error loss: the L2-optimal single answer
for this observation is the mean of the demonstrations, which averages left and right into a path
straight through the obstacle.

Simplifies: one fixed observation (so no conditioning network), 24 demonstrations, 2-D waypoints.
"""

import numpy as np

from visual_essay import scene as S
from visual_essay.params import Choice, Seed, Slider

TITLE = "Diffusion Policy: denoising into one mode"

H = 16  # waypoints per path: Diffusion Policy's prediction horizon
T = 100  # training noise steps, as in the paper
DEMOS = 24
SMOOTH = 0.03  # std of the Gaussian around each demonstration
OBSTACLE, RADIUS = np.array([0.0, 1.0]), 0.32
SAMPLES = 20  # extra samples drawn beside the shown one, to count the modes
FRAMES = 12

PARAMS = (
    Choice("sampler", ("DDIM", "DDPM"), "DDIM", label="Sampler"),
    Slider("steps", 2, 100, step=1, default=10, label="DDIM steps"),
    Seed("seed", 3, label="New sample"),
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
    """E[x0 | x_t]: the exact denoiser of the smoothed demonstration set, for a batch x_t."""
    var = alpha_bar * SMOOTH ** 2 + 1 - alpha_bar
    diff = x_t[:, None, :] - np.sqrt(alpha_bar) * DATA[None]
    logw = -(diff ** 2).sum(-1) / (2 * var)
    w = np.exp(logw - logw.max(1, keepdims=True))
    w /= w.sum(1, keepdims=True)
    per_demo = DATA[None] + (SMOOTH ** 2 * np.sqrt(alpha_bar) / var) * diff
    return (w[:, :, None] * per_demo).sum(1)


def timesteps(sampler, steps):
    return np.arange(T, -1, -1) if sampler == "DDPM" else \
        np.unique(np.round(np.linspace(T, 0, steps + 1)).astype(int))[::-1]


def sample(sampler, steps, rng, batch):
    """Run the reverse process from pure noise; returns the path at every step, (n, batch, 2H)."""
    x = rng.standard_normal((batch, 2 * H))
    history = [x]
    ts = timesteps(sampler, steps)
    for t, t_next in zip(ts[:-1], ts[1:]):
        a, a_next = ALPHA_BAR[t], ALPHA_BAR[t_next]
        x0 = denoise(x, a)
        if sampler == "DDPM":  # ancestral step: the posterior q(x_{t-1} | x_t, x0), plus noise
            beta = 1 - a / a_next
            mean = (np.sqrt(a_next) * beta * x0 + np.sqrt(1 - beta) * (1 - a_next) * x) / (1 - a)
            x = mean + np.sqrt(beta * (1 - a_next) / (1 - a)) * rng.standard_normal(x.shape) \
                if t_next > 0 else x0
        else:  # DDIM, η = 0: jump along the predicted noise
            eps = (x - np.sqrt(a) * x0) / np.sqrt(1 - a)
            x = np.sqrt(a_next) * x0 + np.sqrt(1 - a_next) * eps if t_next > 0 else x0
        history.append(x)
    return np.array(history), ts


def as_paths(x):
    return x.reshape(*x.shape[:-1], H, 2) + CENTER


def clearance(path, samples_per_segment=8):
    """The closest the path comes to the obstacle's edge (negative: it goes through it)."""
    s = np.linspace(0, 1, samples_per_segment, endpoint=False)
    dense = (path[:-1, None] * (1 - s)[:, None] + path[1:, None] * s[:, None]).reshape(-1, 2)
    dense = np.concatenate([dense, path[-1:]])
    return float(np.min(np.linalg.norm(dense - OBSTACLE, axis=1)) - RADIUS)


def side_of(path):
    return "left" if path[H // 2, 0] < OBSTACLE[0] else "right"


def mse_policy_path():
    """Behavioral cloning with an L2 loss: the mean of the demonstrations."""
    return DEMO_PATHS.mean(0)


def compute(sampler, steps, seed):
    rng = np.random.default_rng(seed)
    history, ts = sample(sampler, steps, rng, 1 + SAMPLES)
    paths = as_paths(history)  # (steps, batch, H, 2)
    final = paths[-1, 0]
    frames_at = np.unique(np.round(np.linspace(0, len(history) - 1, FRAMES)).astype(int))
    disc = np.linspace(0, 2 * np.pi, 48)
    obstacle = S.polygon(OBSTACLE[0] + RADIUS * np.cos(disc), OBSTACLE[1] + RADIUS * np.sin(disc),
                         color="gray", opacity=0.8)
    ends = S.points([0, 0], [0, 2], color="ink", size=3.5)
    demos = [S.line(p[:, 0], p[:, 1], color="teal", width=0.8, opacity=0.35) for p in DEMO_PATHS]

    marks = [obstacle, *demos, ends]
    for k, i in enumerate(frames_at):
        p = paths[i, 0]
        last = k == len(frames_at) - 1
        marks += [S.line(p[:, 0], p[:, 1], color="green" if last else "purple",
                         width=2.2 if last else 1.2, frame=k),
                  S.points(p[:, 0], p[:, 1], color="green" if last else "purple",
                           size=2 if last else 1.6, frame=k)]
    labels = [f"t = {ts[i]}" for i in frames_at]
    denoising = S.panel(marks, title="denoising", size=(2.5, 2.9), equal=True,
                        x=S.axis(lim=(-1.3, 1.3), hidden=True),
                        y=S.axis(lim=(-0.25, 2.25), hidden=True))

    mse = mse_policy_path()
    sides = [side_of(p) for p in paths[-1]]
    left = sides.count("left")
    compare = [obstacle, *demos, ends]
    compare += [S.line(p[:, 0], p[:, 1], color="green", width=0.8, opacity=0.55)
                for p in paths[-1, 1:]]
    compare += [S.line(final[:, 0], final[:, 1], color="green", width=2.2,
                       label="diffusion samples"),
                S.line(mse[:, 0], mse[:, 1], color="red", width=2.2, label="MSE regression")]
    versus = S.panel(compare, title=f"{1 + SAMPLES} samples vs MSE", size=(2.5, 2.9),
                     equal=True, legend="lower left", x=S.axis(lim=(-1.3, 1.3), hidden=True),
                     y=S.axis(lim=(-0.65, 2.25), hidden=True))

    n_steps = len(ts) - 1
    sample_gap, mse_gap = clearance(final), clearance(mse)
    return S.scene(
        [denoising, versus],
        motion=S.frames(len(frames_at), label="denoising step", labels=labels,
                        key=[0, len(frames_at) // 2, len(frames_at) - 1], fps=4),
        alt=(f"{sampler} turns noise into a path in {n_steps} steps; this sample passes the "
             f"obstacle on the {side_of(final)} with {sample_gap:.2f} clearance. Of "
             f"{1 + SAMPLES} samples, {left} go left and {1 + SAMPLES - left} right, none "
             f"through the obstacle; the MSE regression averages the two ways into a path "
             f"straight through it."),
        readouts=[
            S.readout("this sample passes on the", side_of(final)),
            S.readout(f"of {1 + SAMPLES} samples, left / right", f"{left} / {1 + SAMPLES - left}"),
            S.readout("sample clearance", sample_gap, digits=2),
            S.readout("MSE path clearance", mse_gap, digits=2),
            S.readout("denoising steps", n_steps),
        ],
    )
