"""Sim-to-real with domain randomization: train across many simulators, test on one real world.

Models: a robot must find an object in a camera image and pick it up. Its policy has two
numbers: a brightness threshold that separates object from table in the image, and a grip force.
The object slips if the force is below m·g/μ (μ: friction of the fingers on it) and is crushed
above 16 N (14 N in the real world). Training prefers the gentlest force that works. The
simulator's nominal world is brightly lit and grippy; the "real" world is darker and more
slippery, outside the nominal one, as real worlds are. Domain randomization (Tobin et al., arXiv 1703.06907) trains the policy on many
simulators whose lighting and friction are drawn from a range around nominal; the width slider
sets that range. Training is a real search: for each width, 64 sampled simulators, the threshold
and force that succeed in the most of them. The policy is then scored on the real world (20
trials, with the real world's own small variation). "New sample" draws new simulators.

True lessons it reproduces: trained on the nominal simulator alone, the policy is perfect there and
fails in the real world; randomizing widely enough to cover the real world makes it work; very wide
randomization forces a compromise that no longer suits any one world well.

Simplifies: two parameters instead of a network, two physical factors, an image with two
brightness levels. System identification (Tan et al., arXiv 1804.10332) would instead measure the
real friction and lighting; progressive networks (Rusu et al., arXiv 1610.04286) would fine-tune
on a little real data.
"""

import numpy as np

from . import scene as S
from .params import Seed, Slider

TITLE = "Domain randomization: from many simulators to one real world"

NOMINAL = {"light": 1.0, "friction": 0.8}
REAL = {"light": 0.62, "friction": 0.55}
SPREAD = {"light": 0.7, "friction": 0.7}  # the range at width 1, as fractions of nominal
PUCK, TABLE = 0.8, 0.3  # albedos: brightness = albedo × light
WEIGHT = 0.5 * 9.81  # newtons
CRUSH_SIM, CRUSH_REAL = 16.0, 14.0  # newtons: the simulator does not know the real object
SIMS, REAL_TRIALS = 64, 20
THRESHOLDS = np.linspace(0.05, 1.2, 116)
FORCES = np.linspace(2.0, 20.0, 181)

PARAMS = (
    Slider("width", 0.0, 1.0, step=0.05, default=0.6, label="Randomization width"),
    Seed("seed", 0, label="New sample"),
)


def sample_worlds(width, n, rng, centre=NOMINAL, spread=SPREAD):
    """n worlds with lighting and friction drawn uniformly within ±width·spread of centre."""
    return {k: centre[k] * (1 + width * spread[k] * rng.uniform(-1, 1, n)) for k in centre}


def detects(threshold, light):
    """The puck is found when it is brighter than the threshold and the table is not."""
    return (TABLE * light < threshold) & (threshold < PUCK * light)


def holds(force, friction, crush=CRUSH_SIM):
    """The grasp holds when friction carries the weight and the object is not crushed."""
    return (WEIGHT / friction < force) & (force < crush)


def train(worlds):
    """The threshold and force that succeed in the most training worlds (searched on a grid;
    seeing and grasping depend on different factors, so each is searched on its own)."""
    seen = detects(THRESHOLDS[:, None], worlds["light"][None]).mean(1)
    held = holds(FORCES[:, None], worlds["friction"][None]).mean(1)
    best_t = np.flatnonzero(seen == seen.max())
    # Ties: the threshold in the middle of the best range (most margin), the gentlest force.
    return THRESHOLDS[best_t[len(best_t) // 2]], FORCES[np.flatnonzero(held == held.max())[0]]


def success(policy, worlds, crush=CRUSH_SIM):
    threshold, force = policy
    return float(np.mean(detects(threshold, worlds["light"]) &
                         holds(force, worlds["friction"], crush)))


def real_worlds(rng):
    return sample_worlds(1.0, REAL_TRIALS, rng, REAL, {"light": 0.05, "friction": 0.03})


def curve(seed, widths):
    """(sim success, real success) of the policy trained at each width."""
    rng = np.random.default_rng(seed)
    real = real_worlds(rng)
    base = rng.uniform(-1, 1, (2, SIMS))  # the same draws, stretched to each width
    out = []
    for w in widths:
        sims = {k: NOMINAL[k] * (1 + w * SPREAD[k] * base[i]) for i, k in enumerate(NOMINAL)}
        policy = train(sims)
        out.append((success(policy, sims), success(policy, real, CRUSH_REAL)))
    return np.array(out)


def compute(width, seed):
    widths = np.round(np.arange(0, 1.0001, 0.05), 2)
    results = curve(seed, widths)
    i = int(np.argmin(np.abs(widths - width)))
    sim_ok, real_ok = results[i]
    rng = np.random.default_rng(seed)
    real_worlds(rng)
    base = rng.uniform(-1, 1, (2, SIMS))
    sims = {k: NOMINAL[k] * (1 + width * SPREAD[k] * base[j]) for j, k in enumerate(NOMINAL)}
    threshold, force = train(sims)

    plot = S.panel([
        S.line(widths, 100 * results[:, 0], color="teal", width=2, label="in its simulators"),
        S.line(widths, 100 * results[:, 1], color="red", width=2.4, label="in the real world"),
        S.points([width], [100 * real_ok], color="red", size=5),
        S.points([width], [100 * sim_ok], color="teal", size=4),
    ], title="success of the trained policy", size=(4.0, 2.8), legend="lower right",
        x=S.axis("randomization width", lim=(0, 1)), y=S.axis("success (%)", lim=(-3, 105)))

    # Six of the sampled simulators and the real world, drawn as the camera sees them.
    tiles = []
    shown = [(sims["light"][k], sims["friction"][k], False) for k in range(6)]
    shown.append((REAL["light"], REAL["friction"], True))
    for n, (light, friction, is_real) in enumerate(shown):
        x0 = n * 1.15
        image = np.full((3, 3), TABLE * light)
        image[1, 1] = PUCK * light
        seen = bool(detects(threshold, light))
        crush = CRUSH_REAL if is_real else CRUSH_SIM
        grasp = ("held" if holds(force, friction, crush) else
                 "slips" if force <= WEIGHT / friction else "crushed")
        tiles += [S.heatmap(image, extent=(x0, x0 + 1, 0, 1), ramp="gray", vmin=0, vmax=1.2),
                  S.text(x0 + 0.5, -0.2, f"μ {friction:.2f}", size=7),
                  S.text(x0 + 0.5, 1.18, "real" if is_real else f"sim {n + 1}", size=7.5,
                         color="red" if is_real else "ink", bold=is_real),
                  S.text(x0 + 0.5, -0.45, "seen" if seen else "missed", size=7,
                         color="green" if seen else "red"),
                  S.text(x0 + 0.5, -0.7, grasp, size=7, color="green" if grasp == "held"
                         else "red")]
    worlds = S.panel(tiles, title="sampled simulators and the real world", size=(5.0, 1.7),
                     equal=True, x=S.axis(lim=(-0.1, 8.0), hidden=True),
                     y=S.axis(lim=(-0.9, 1.35), hidden=True))
    best = widths[int(np.argmax(results[:, 1]))]
    return S.scene(
        [plot, worlds],
        alt=(f"Trained on simulators randomized to width {width:.2f}, the policy succeeds in "
             f"{100 * sim_ok:.0f}% of its simulators and {100 * real_ok:.0f}% of real trials; "
             f"without randomization it gets {100 * results[0, 1]:.0f}% in the real world, and "
             f"the best width here is {best:.2f}."),
        readouts=[
            S.readout("real-world success", f"{100 * real_ok:.0f}%"),
            S.readout("success in its simulators", f"{100 * sim_ok:.0f}%"),
            S.readout("learned threshold / grip force", f"{threshold:.2f} / {force:.1f} N"),
            S.readout("real world: light, friction",
                      f"{REAL['light']:.2f}, {REAL['friction']:.2f} (nominal "
                      f"{NOMINAL['light']:.2f}, {NOMINAL['friction']:.2f})"),
        ],
    )
