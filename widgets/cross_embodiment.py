"""Cross-embodiment: one shared policy for several robots, each with little data.

Models: the Open X-Embodiment finding (arXiv 2310.08864): pooling demonstrations from many robots
into one policy helps each robot, most of all where data is scarce (RT-1-X beat the per-dataset
methods by about 50% on average on small-data domains). Four simulated robots share one skill,
reaching: move the hand toward a target, fast when it is far, slowing as it arrives (a nonlinear map
from where the target is to how to move). Three planar arms differ in link lengths and joint count
(2, 3 and 4 joints), so their actions (joint velocities) have 2, 3 or 4 numbers, in different units;
each sees the target through its own camera (rotated and scaled). The fourth, a quadruped, moves its
body instead of a hand and does a related but different thing: it stops half a metre short of the
target, so the target ends up in front of it. OXE's embodiments range from arms to quadrupeds too.

Policy: a trunk maps features of where the target is, in a shared frame, to a 2-number latent
motion; a per-robot output map (a matrix with one row per joint) turns that into the robot's action.
The input map, from each camera to the shared frame, is the camera's calibration, known. Per-robot
policy: trunk and output map fitted on the robot's own demonstrations only. Shared policy: one
trunk, fitted jointly with every enabled robot's output map on all their demonstrations. Both are
the same model fitted by the same alternating least squares (ridge for the trunk, least squares for
each output map, a few rounds), so with one robot alone the two are identical. Held-out error: how
far the hand moves from where the expert's action moves it, relative to the expert's motion, on
held-out targets.

Simplifies: a small-motion model (each arm's hand moves by its Jacobian at its working pose times
the joint velocities; the arms are drawn at that pose), a hand-written expert with noisy actions,
features fixed rather than learned.
"""

import numpy as np

from visual_essay import scene as S
from visual_essay.params import Seed, Slider, Toggle

TITLE = "One policy, four robots"

ROBOTS = ("arm A", "arm B", "arm C", "quadruped")
COLOURS = ("blue", "orange", "purple", "gold")
LINKS = ((0.55, 0.45), (0.45, 0.35, 0.25), (0.32, 0.3, 0.25, 0.2))  # metres
HOME = ((0.4, 1.3), (0.3, 0.9, 0.9), (0.15, 0.7, 0.7, 0.75))  # working poses, radians
ACTION_UNITS = (1.0, 0.6, 1.5)  # each arm's actuators scale joint velocity differently
HEADING, BODY_GAIN = 0.6, 0.8  # the quadruped's facing (rad) and its body-velocity gain
STOP_SHORT = 0.5  # metres: the quadruped stops with the target this far in front of it
CAMERAS = ((0.0, 1.0), (1.2, 0.8), (-0.7, 1.25), (2.5, 1.1))  # (angle rad, scale) per robot
MAX_JOINTS = 4
NOISE = 0.03  # action noise in the demonstrations
REACH = 1.2  # targets within ±REACH metres of the hand in each axis
RIDGE = 0.05
ROUNDS = 4  # from the start below, alternating least squares settles in about four
GRID = np.linspace(-1, 1, 4)
CENTRES = np.array([(x, y) for x in GRID for y in GRID])
FEATURES = len(CENTRES) + 3
HELD_OUT = 150

PARAMS = (
    Slider("demos", 3, 40, step=1, default=6, label="Demonstrations per robot"),
    Toggle("arm_a", True, label="arm A (2 joints)"),
    Toggle("arm_b", True, label="arm B (3 joints)"),
    Toggle("arm_c", True, label="arm C (4 joints)"),
    Toggle("quadruped", False, label="quadruped"),
    Seed("seed", 3, label="New demonstrations"),
)


# ---- the robots ------------------------------------------------------------------------------

def rotation(angle):
    return np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])


def arm_points(links, q):
    """Base, joints and hand of a planar arm at joint angles q."""
    angles = np.cumsum(q)
    steps = np.asarray(links)[:, None] * np.stack([np.cos(angles), np.sin(angles)], 1)
    return np.vstack([[0.0, 0.0], np.cumsum(steps, 0)])


def arm_jacobian(links, q):
    """d hand / d q: joint i turns every link from i outward."""
    angles = np.cumsum(q)
    dx, dy = -np.asarray(links) * np.sin(angles), np.asarray(links) * np.cos(angles)
    return np.stack([np.cumsum(dx[::-1])[::-1], np.cumsum(dy[::-1])[::-1]])


def _motion_maps():
    """Each robot's 2 × 4 map from action to hand (or body) motion, unused joints zero-padded."""
    maps = np.zeros((len(ROBOTS), 2, MAX_JOINTS))
    for r, (links, q, units) in enumerate(zip(LINKS, HOME, ACTION_UNITS)):
        maps[r, :, :len(q)] = units * arm_jacobian(links, np.array(q))
    maps[3, :, :2] = BODY_GAIN * rotation(HEADING)
    return maps


MOTION = _motion_maps()
EXPERT_MAP = np.linalg.pinv(MOTION)  # the smallest action that makes a given motion
START = np.array([arm_points(l, np.array(q))[-1] for l, q in zip(LINKS, HOME)] + [[0.1, 0.3]])
GOAL_OFFSET = np.zeros((len(ROBOTS), 2))
GOAL_OFFSET[3] = STOP_SHORT * np.array([np.cos(HEADING), np.sin(HEADING)])
DISPLAY_TARGETS = np.array([[-0.8, 0.3], [0.7, 0.35], [-0.7, -0.5], [0.95, 0.55]])  # from START


def reach(d):
    """The shared skill: the motion toward a target d away, saturating at 0.3 m per step."""
    return 0.3 * d / (0.3 + np.linalg.norm(d, axis=-1, keepdims=True))


def expert_motion(d):
    """Every robot's expert motion for targets d (robots × n × 2): the arms reach the target;
    the quadruped reaches a point short of it, a shifted skill no output map can undo."""
    return reach(d - GOAL_OFFSET[:, None, :])


def expert_action(d):
    return np.einsum("rkj,rnj->rnk", EXPERT_MAP, expert_motion(d))


def observe(d):
    """What each robot's camera reports: the target in its own frame (robots × n × 2)."""
    return np.stack([s * d[r] @ rotation(a) for r, (a, s) in enumerate(CAMERAS)])


def to_shared(o):
    """The input maps: each camera's calibration, inverted."""
    return np.stack([(o[r] / s) @ rotation(a).T for r, (a, s) in enumerate(CAMERAS)])


def features(d):
    """Gaussian bumps on a 4 × 4 grid of target positions, plus the position and a bias."""
    d2 = ((d[..., None, :] - CENTRES) ** 2).sum(-1)
    return np.concatenate([np.exp(-d2 / 0.4), d, np.ones(d.shape[:-1] + (1,))], -1)


def demonstrations(demos, rng):
    """Per robot: observations (robots × demos × 2) and noisy expert actions (× 4, padded)."""
    d = rng.uniform(-REACH, REACH, (len(ROBOTS), demos, 2))
    used = np.abs(EXPERT_MAP).sum(-1) > 0  # padded joints get no noise: they do not exist
    noise = NOISE * rng.standard_normal((len(ROBOTS), demos, MAX_JOINTS)) * used[:, None]
    return observe(d), expert_action(d) + noise


_TEST_D = np.random.default_rng(20231013).uniform(-REACH, REACH, (len(ROBOTS), HELD_OUT, 2))
TEST_FEATURES = features(_TEST_D)
TEST_MOTION = expert_motion(_TEST_D)
TEST_SCALE = np.sqrt((TEST_MOTION ** 2).sum(-1).mean(-1))


# ---- fitting ---------------------------------------------------------------------------------

def fit_policies(observations, actions, pools, rounds=ROUNDS):
    """Trunks W (fits × features × 2) and output maps G (fits × robots × 4 × 2), one fit per row
    of ``pools`` (fits × robots, 1 = that robot's data is in the pool), all in one batch.
    The action of robot r under fit f is features · W[f] · G[f, r]ᵀ. Alternating least squares:
    the trunk by ridge given the maps (exact, through the normal equations of every pooled
    robot), then each robot's map by ridge given the trunk."""
    phi = features(to_shared(observations))
    gram = phi.transpose(0, 2, 1) @ phi  # robots × P × P
    cross = phi.transpose(0, 2, 1) @ actions  # robots × P × 4
    fits, robots = pools.shape
    p = FEATURES

    def fit_maps(trunk):
        """Each robot's output map, by ridge from the trunk's latent to its actions."""
        latent_gram = trunk.transpose(0, 2, 1)[:, None] @ gram[None] @ trunk[:, None]
        latent_cross = cross.transpose(0, 2, 1)[None] @ trunk[:, None]  # f r 4 2
        return np.linalg.solve(latent_gram + RIDGE * np.eye(2),
                               latent_cross.transpose(0, 1, 3, 2)).transpose(0, 1, 3, 2)

    # Start from the guess that the motion is proportional to where the target is (the trunk
    # passes the target position through): every robot's first map then lands near its
    # kinematics, and the latent starts out shared. From the identity it takes tens of rounds.
    trunk = np.zeros((fits, p, 2))
    trunk[:, len(CENTRES):len(CENTRES) + 2] = np.eye(2)
    for _ in range(rounds):
        maps = fit_maps(trunk)
        # Trunk: the normal equations of Σ_r |Φ_r W G_rᵀ − A_r|² over pooled robots, for vec(W).
        gg = (maps.transpose(0, 1, 3, 2) @ maps) * pools[:, :, None, None]  # f r 2 2
        normal = (gg.reshape(fits, robots, 4, 1, 1) * gram[None, :, None]).sum(1)
        normal = normal.reshape(fits, 2, 2, p, p).transpose(0, 1, 3, 2, 4).reshape(fits, 2 * p,
                                                                                  2 * p)
        rhs = ((cross[None] @ maps) * pools[:, :, None, None]).sum(1).transpose(0, 2, 1)
        trunk = np.linalg.solve(normal + RIDGE * np.eye(2 * p), rhs.reshape(fits, 2 * p, 1))
        trunk = trunk.reshape(fits, 2, p).transpose(0, 2, 1)
    maps = fit_maps(trunk)  # the maps that go with the final trunk
    return trunk, maps


def act(trunk, maps, phi):
    """Actions (fits × robots × n × 4) of each fit for each robot's features (robots × n × P)."""
    return (phi[None] @ trunk[:, None]) @ maps.transpose(0, 1, 3, 2)


def held_out_errors(trunk, maps):
    """Per fit and robot: RMS distance between the hand motion the policy causes and the
    expert's, over held-out targets, relative to the expert's RMS motion."""
    motion = act(trunk, maps, TEST_FEATURES) @ MOTION.transpose(0, 2, 1)
    return np.sqrt(((motion - TEST_MOTION) ** 2).sum(-1).mean(-1)) / TEST_SCALE


def errors(demos, enabled, seed):
    """Held-out errors: per-robot policies (robots,) and the shared policy (robots,; NaN for a
    robot that is not in the pool). Returns also the fits, for drawing."""
    rng = np.random.default_rng(seed)
    observations, actions = demonstrations(demos, rng)
    robots = len(ROBOTS)
    pool = np.zeros(robots)
    pool[list(enabled)] = 1.0
    pools = np.vstack([np.eye(robots), pool])  # rows 0-3: each robot alone; row 4: the pool
    trunk, maps = fit_policies(observations, actions, pools)
    err = held_out_errors(trunk, maps)
    own = err[np.arange(robots), np.arange(robots)]
    shared = np.where(pool > 0, err[robots], np.nan)
    return own, shared, (trunk, maps)


def rollout(trunk, maps, steps=10):
    """Each robot reaching its display target from its working pose, under the expert, its own
    policy and the shared policy (robots × 3 × steps+1 × 2), hand motion = J · action."""
    robots = len(ROBOTS)
    target = START + DISPLAY_TARGETS
    hand = np.broadcast_to(START[:, None], (robots, 3, 2)).copy()
    path = [hand.copy()]
    rows = np.arange(robots)
    for _ in range(steps):
        d = target[:, None] - hand  # in the shared frame: camera then calibration is the identity
        expert = expert_motion(d[:, :1])[:, 0]
        phi = features(d[:, 1:])  # robots × 2 × P
        own = (phi[:, 0:1] @ trunk[rows]) @ maps[rows, rows].transpose(0, 2, 1)
        shared = (phi[:, 1:2] @ trunk[robots]) @ maps[robots].transpose(0, 2, 1)
        moved = np.concatenate([own, shared], 1) @ MOTION.transpose(0, 2, 1)
        hand = hand + np.concatenate([expert[:, None], moved], 1)
        path.append(hand.copy())
    return np.stack(path, 2)


# ---- the figure ------------------------------------------------------------------------------

def _robot_drawing(r, dx, dy, on):
    """The robot at its working pose (an arm's base at the cell's origin), shifted to its cell."""
    colour = COLOURS[r] if on else "gray"
    if r < 3:
        pts = arm_points(LINKS[r], np.array(HOME[r]))
        return [S.rect(dx - 0.12, dy - 0.08, dx + 0.12, dy, color="muted"),
                S.line(pts[:, 0] + dx, pts[:, 1] + dy, color=colour, width=4, opacity=0.55),
                S.points(pts[1:-1, 0] + dx, pts[1:-1, 1] + dy, color="ink", size=2.5)]
    # Quadruped from above: a body and four legs, facing HEADING.
    body = np.array([[-0.3, -0.12], [0.3, -0.12], [0.3, 0.12], [-0.3, 0.12]]) @ rotation(
        HEADING).T
    hips = np.array([[0.22, 0.12], [0.22, -0.12], [-0.22, 0.12], [-0.22, -0.12]])
    feet = hips * np.array([1.15, 1.9])
    hips, feet = hips @ rotation(HEADING).T, feet @ rotation(HEADING).T
    dx, dy = dx + START[3, 0], dy + START[3, 1]
    return [S.segments(hips[:, 0] + dx, hips[:, 1] + dy, feet[:, 0] + dx, feet[:, 1] + dy,
                       color="muted", width=2),
            S.polygon(body[:, 0] + dx, body[:, 1] + dy, color=colour, opacity=0.55)]


def compute(demos, arm_a, arm_b, arm_c, quadruped, seed):
    enabled = [r for r, on in enumerate((arm_a, arm_b, arm_c, quadruped)) if on]
    own, shared, (trunk, maps) = errors(demos, enabled, seed)
    own_pct, shared_pct = 100 * own, 100 * shared

    top = float(np.nanmax(np.concatenate([own_pct, shared_pct])))
    bars = []
    for r in range(len(ROBOTS)):
        bars += [S.rect(r - 0.38, 0, r - 0.02, own_pct[r], color="gray",
                        label="own data only" if r == 0 else None),
                 S.text(r - 0.2, own_pct[r] + top * 0.015, f"{own_pct[r]:.0f}", size=7.5,
                        valign="bottom")]
        if r in enabled:
            bars += [S.rect(r + 0.02, 0, r + 0.38, shared_pct[r], color=COLOURS[r],
                            label="shared policy" if r == enabled[0] else None),
                     S.text(r + 0.2, shared_pct[r] + top * 0.015, f"{shared_pct[r]:.0f}",
                            size=7.5, valign="bottom")]
        else:
            bars.append(S.text(r + 0.2, top * 0.03, "off", color="muted", size=7.5,
                               valign="bottom"))
    bar_panel = S.panel(
        bars, title="held-out error per robot", size=(4.5, 3.0), legend="upper right",
        x=S.axis(lim=(-0.55, 3.55), ticks=[0, 1, 2, 3], ticklabels=list(ROBOTS)),
        y=S.axis("error (% of the motion)", lim=(0, top * 1.35)))

    # The robots in a 2 × 2 grid, each reaching toward its target under the three policies.
    paths = rollout(trunk, maps)
    cells = ((0.0, 0.0), (2.0, 0.0), (0.0, -1.55), (2.0, -1.55))
    marks = []
    for r, (dx, dy) in enumerate(cells):
        on = r in enabled
        marks += _robot_drawing(r, dx, dy, on)
        tx, ty = START[r] + DISPLAY_TARGETS[r] + (dx, dy)
        # A policy that wanders off is cut at its cell's edge, not drawn over its neighbours.
        xs = np.clip(paths[r, :, :, 0], -0.5, 1.4) + dx
        ys = np.clip(paths[r, :, :, 1], -0.2, 1.15) + dy
        marks += [S.line(xs[0], ys[0], color="teal", width=4, opacity=0.45),
                  S.line(xs[1], ys[1], color="gray", width=1.6)]
        if on:
            marks.append(S.line(xs[2], ys[2], color=COLOURS[r], width=1.8))
        marks.append(S.points([tx], [ty], color="ink", size=3.5))
        joints = f"{len(HOME[r])} joints" if r < 3 else "stops short"
        marks.append(S.text(dx - 0.5, dy + 1.28, f"{ROBOTS[r]}: {joints}", size=7.5,
                            anchor="start", color="ink" if on else "muted"))
    # A legend in words: the shared path takes each robot's own colour.
    for x, word, colour in ((-0.5, "expert", "teal"), (0.2, "own data only", "gray"),
                            (1.7, "shared: robot's colour", "ink")):
        marks.append(S.text(x, -1.85, "— " + word, size=7.5, anchor="start", color=colour,
                            bold=colour != "ink"))
    robot_panel = S.panel(
        marks, title="reaching a new target (black dot)", size=(4.7, 3.0), equal=True,
        x=S.axis(lim=(-0.55, 3.35), hidden=True), y=S.axis(lim=(-1.95, 1.4), hidden=True))

    pool_text = ", ".join(ROBOTS[r] for r in enabled) or "nobody"
    readouts = [S.readout(f"{ROBOTS[r]}: own / shared",
                          f"{own_pct[r]:.0f}% / " + (f"{shared_pct[r]:.0f}%" if r in enabled
                                                     else "off"))
                for r in range(len(ROBOTS))]
    readouts.append(S.readout("shared pool", f"{demos * len(enabled)} demos from "
                              f"{len(enabled)} robot{'s' if len(enabled) != 1 else ''}"))
    if 0 in enabled:
        arm_a_text = (f"arm A's held-out error is {own_pct[0]:.0f}% of the motion from its own "
                      f"data and {shared_pct[0]:.0f}% with the shared policy")
    else:
        arm_a_text = (f"arm A's held-out error is {own_pct[0]:.0f}% of the motion from its own "
                      f"data")
    return S.scene(
        [bar_panel, robot_panel],
        alt=(f"With {demos} demonstrations per robot and {pool_text} in the shared pool, "
             f"{arm_a_text}. The four robots are drawn reaching a new target under the expert "
             f"and their own policy" + (", and the pooled robots under the shared one."
                                        if enabled else ".")),
        readouts=readouts,
    )
