"""Cross-embodiment: one shared policy for several robots, each with little data.

Models: the Open X-Embodiment finding (arXiv 2310.08864): pooling demonstrations from many robots
into one policy helps each robot, most of all the data-poor ones (RT-1-X beat the per-dataset
policies by about 50% on average on small-data domains). Four simulated embodiments share one
skill: reach toward a target, a nonlinear map from where the target is (relative to the hand) to
how to move. Each robot sees the target in its own camera frame (rotated, scaled: its input map,
known from its calibration) and moves through its own actuators (an unknown 2×2 gain: its output
map). Three of them share the skill exactly; the fourth, a quadruped, does a related but different
thing (it stops a body length short of the target instead of reaching it), as OXE's embodiments
range from arms to quadrupeds: adding it can cost the arms accuracy.

Per-robot policy: ridge regression on the robot's own demonstrations, from features of the
observation to the action. Shared policy: one trunk (ridge weights on the same features, in the
shared frame) plus each robot's output map, fitted jointly by alternating least squares on every
enabled robot's data. Errors are measured on held-out states of each robot.

Simplifies: 2-D, linear-in-features policies, noisy demonstrations of a hand-written skill.
"""

import numpy as np

from . import scene as S
from .params import Seed, Slider, Toggle

TITLE = "One policy, four robots"

ROBOTS = ("arm A", "arm B", "bimanual", "quadruped")
COLOURS = ("blue", "orange", "purple", "gold")
ANGLES = np.radians([0, 70, -40, 25])  # each robot's camera frame, relative to the shared one
SCALES = np.array([1.0, 0.8, 1.25, 1.0])
TRUE_GAINS = [np.array(g) for g in ([[1.0, 0.0], [0.0, 1.0]], [[0.7, 0.2], [-0.1, 0.9]],
                                    [[1.3, -0.2], [0.1, 1.1]], [[0.9, 0.1], [0.0, 1.2]])]
NOISE = 0.08
HELD_OUT = 200
RIDGE = 0.1
CENTRES = np.array([(x, y) for x in (-1, 0, 1) for y in (-1, 0, 1)], float)

PARAMS = (
    Slider("demos", 3, 40, step=1, default=6, label="Demonstrations per robot"),
    Toggle("arm_a", True, label="arm A"),
    Toggle("arm_b", True, label="arm B"),
    Toggle("bimanual", True, label="bimanual"),
    Toggle("quadruped", False, label="quadruped"),
    Seed("seed", 2, label="New data"),
)


def rotation(a):
    return np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]])


def skill(z, robot):
    """The shared skill in the shared frame: move toward the target, faster when it is far,
    saturating. The quadruped instead stops a body length short of it, backing off when closer:
    a related but different skill, which no output map can turn into the arms' one."""
    if ROBOTS[robot] == "quadruped":
        dist = np.linalg.norm(z, axis=-1, keepdims=True)
        z = z - 1.0 * z / np.maximum(dist, 1e-9)
    return z / (0.5 + np.linalg.norm(z, axis=-1, keepdims=True))


def observe(z, robot):
    """What the robot's camera reports: the target in its own frame (its input map)."""
    return SCALES[robot] * z @ rotation(ANGLES[robot])


def to_shared(o, robot):
    """The input map, inverted with the robot's calibration."""
    return (o / SCALES[robot]) @ rotation(ANGLES[robot]).T


def features(z):
    """Radial features of a position in the shared frame, plus a bias and the position."""
    d2 = ((z[:, None, :] - CENTRES[None]) ** 2).sum(-1)
    return np.hstack([np.exp(-d2 / 0.8), z, np.ones((len(z), 1))])


def dataset(robot, n, rng):
    z = rng.uniform(-1.5, 1.5, (n, 2))
    actions = skill(z, robot) @ TRUE_GAINS[robot].T + NOISE * rng.standard_normal((n, 2))
    return observe(z, robot), actions


def ridge(x, y):
    return np.linalg.solve(x.T @ x + RIDGE * np.eye(x.shape[1]), x.T @ y)


def fit_per_robot(o, a, robot):
    return ridge(features(to_shared(o, robot)), a)


def fit_shared(data, rounds=6):
    """Trunk W (shared) and output gains G_r (per robot), by alternating least squares."""
    gains = {r: np.eye(2) for r in data}
    for _ in range(rounds):
        x = np.vstack([features(to_shared(o, r)) for r, (o, a) in data.items()])
        y = np.vstack([a @ np.linalg.inv(gains[r]).T for r, (o, a) in data.items()])
        trunk = ridge(x, y)
        for r, (o, a) in data.items():
            latent = features(to_shared(o, r)) @ trunk
            gains[r] = np.linalg.lstsq(latent, a, rcond=None)[0].T
    return trunk, gains


def held_out_error(predict, robot, rng):
    o, a = dataset(robot, HELD_OUT, rng)
    clean = skill(to_shared(o, robot), robot) @ TRUE_GAINS[robot].T
    return float(np.sqrt(np.mean((predict(o) - clean) ** 2)))


def errors(demos, enabled, seed):
    """Held-out RMS error per robot: (per-robot policy, shared policy or None if disabled)."""
    rng = np.random.default_rng(seed)
    data = {r: dataset(r, demos, rng) for r in range(len(ROBOTS))}
    shared = {r: data[r] for r in enabled}
    trunk, gains = fit_shared(shared) if shared else (None, {})
    out = []
    for r in range(len(ROBOTS)):
        w = fit_per_robot(*data[r], r)
        test_rng = np.random.default_rng(10_000 + r)
        own = held_out_error(lambda o, w=w, r=r: features(to_shared(o, r)) @ w, r, test_rng)
        pooled = None
        if r in gains:
            test_rng = np.random.default_rng(10_000 + r)
            pooled = held_out_error(
                lambda o, r=r: features(to_shared(o, r)) @ trunk @ gains[r].T, r, test_rng)
        out.append((own, pooled))
    return out


def compute(demos, arm_a, arm_b, bimanual, quadruped, seed):
    enabled = [r for r, on in enumerate((arm_a, arm_b, bimanual, quadruped)) if on]
    result = errors(demos, enabled, seed)
    top = max(max(own, pooled or 0) for own, pooled in result) * 1.2
    marks = []
    for r, (own, pooled) in enumerate(result):
        marks += [S.rect(r - 0.38, 0, r - 0.02, own, color="gray", opacity=0.9,
                         label="per-robot policy" if r == 0 else None),
                  S.text(r - 0.2, own + top * 0.02, f"{own:.2f}", size=7, valign="bottom")]
        if pooled is not None:
            marks += [S.rect(r + 0.02, 0, r + 0.38, pooled, color=COLOURS[r], opacity=0.9),
                      S.text(r + 0.2, pooled + top * 0.02, f"{pooled:.2f}", size=7,
                             valign="bottom")]
        else:
            marks.append(S.text(r + 0.2, top * 0.05, "off", color="muted", size=7,
                                valign="bottom"))
    bars = S.panel(marks, title="held-out error: own data (grey) vs shared policy",
                   size=(5.0, 2.8), legend="upper left",
                   x=S.axis(lim=(-0.6, 3.6), ticks=[0, 1, 2, 3], ticklabels=list(ROBOTS)),
                   y=S.axis("RMS action error", lim=(0, top)))

    # Each robot's view of the same targets: the frames the shared policy must undo.
    ring = 1.4 * np.stack([np.cos(np.linspace(0, 2 * np.pi, 9)[:-1]),
                           np.sin(np.linspace(0, 2 * np.pi, 9)[:-1])], 1)
    frames = []
    for r in range(len(ROBOTS)):
        o = observe(ring, r)
        a = skill(ring, r) @ TRUE_GAINS[r].T * 0.5
        frames += [S.points(o[:, 0] + 3.2 * r, o[:, 1], color=COLOURS[r], size=2.5),
                   S.segments(o[:, 0] + 3.2 * r, o[:, 1], o[:, 0] + 3.2 * r + a[:, 0],
                              o[:, 1] + a[:, 1], color=COLOURS[r], width=1.2),
                   S.text(3.2 * r, -1.95, ROBOTS[r], size=8,
                          color="ink" if r in enabled else "muted")]
    views = S.panel(frames, title="8 targets as each robot sees them, and how it moves",
                    size=(4.4, 1.7), equal=True, x=S.axis(lim=(-1.9, 11.6), hidden=True),
                    y=S.axis(lim=(-2.1, 1.9), hidden=True))

    own_a, pooled_a = result[0]
    gain = None if pooled_a is None else 100 * (1 - pooled_a / own_a)
    readouts = [S.readout(f"{ROBOTS[r]}: own / shared",
                          f"{own:.3f} / {'off' if pooled is None else f'{pooled:.3f}'}")
                for r, (own, pooled) in enumerate(result)]
    return S.scene(
        [bars, views],
        alt=(f"With {demos} demonstrations per robot, arm A's held-out error is {own_a:.3f} from "
             f"its own data" + ("" if pooled_a is None else
                                f" and {pooled_a:.3f} with the shared policy trained on "
                                f"{len(enabled)} robots ({gain:+.0f}% better)") + "."),
        readouts=readouts,
    )
