"""Cross-embodiment: one shared policy for several robots, each with little data, shared in one
of two ways.

Models: the Open X-Embodiment finding (arXiv 2310.08864): pooling demonstrations from many robots
into one policy can help each robot, most of all where data is scarce (RT-1-X beat the per-dataset
methods by about 50% on average on small-data domains). Four simulated robots share one skill,
reaching: move the hand toward a target, fast when it is far, slowing as it arrives (a nonlinear map
from where the target is to how to move). Three planar arms differ in link lengths and joint count
(2, 3 and 4 joints), so their joint-velocity actions have 2, 3 or 4 numbers, in different units;
each sees the target through its own camera (rotated and scaled). The fourth, a quadruped, moves its
body instead of a hand and does a related but different thing: it stops half a metre short of the
target, so the target ends up in front of it. OXE's embodiments range from arms to quadrupeds too.

Both mechanisms read the target through each camera's known calibration into a shared frame, turn
it into the same fixed features, and fit the same demonstrations (for a seed, the same draws):

- per-robot output maps (the alternative to RT-X's recipe that this toy sets beside it; the
  essay attributes it to no particular model): a trunk maps the features to a 2-number latent
  motion and a per-robot output map (a matrix, one row per joint) turns it into that robot's joint
  velocities. Trunk and maps are
  fitted by alternating least squares (ridge for the trunk, ridge for each map, four rounds), so
  with one robot alone its shared policy is its own policy;
- one shared action space (RT-X's recipe): every robot's action is a 2-D hand (or body)
  displacement in its own frame, recorded from the same demonstrations through the robot's known
  kinematics; one head, with no per-robot map, is fitted by ridge regression on the pooled data,
  and each robot's own controller executes the displacement. As in RT-X the frames are not aligned
  across robots: the arms' are turned 0°, +17° and −17° from the shared frame, the quadruped's is
  its body's (+34°). The head sees the target only, not which robot it drives, so one action must
  serve every frame (the worst case of unaligned frames: a real policy's camera image may show
  which robot it drives).

Held-out error: how far the hand moves from where the expert's action moves it, relative to the
expert's motion, on 150 held-out targets per robot; "own data only" is the same mechanism fitted on
that robot's demonstrations alone. The alt text and readouts state, for the current settings, each
robot's two errors, how many pooled robots pooling helped, and what the quadruped's presence in the
pool does to each pooled arm (the pool is fitted both with and without it).

What follows from the model's design, not from a law: the quadruped's harm under per-robot output
maps comes from a 2-number latent and maps that are linear without an offset, so its shifted skill
must be squeezed through the arms' latent; a per-robot offset or a larger latent would give it
room (not modelled here). In the shared action space, the cost of pooling comes from the
unaligned frames: with the arms' frames aligned, pooling helps every arm at every data size.

Simplifies: a small-motion model (each arm's hand moves by its Jacobian at its working pose times
the joint velocities; the arms are drawn at that pose), a hand-written expert with noisy actions,
features fixed rather than learned, known camera calibrations in both mechanisms.

What the chapter says about it holds over many draws of the demonstrations, not one (see
tests/essay/widgets/test_cross_embodiment.py): with the quadruped pooled, the arms lose from about
6 demonstrations per robot on and the change goes either way at 3 or 4.
"""

import numpy as np

from visual_essay import scene as S
from visual_essay.params import Choice, Seed, Slider, Toggle, Value
from visual_essay.prepared import at_build

TITLE = "One policy, four robots"

ROBOTS = ("arm A", "arm B", "arm C", "quadruped")
# One colour per policy, the same in both panels and in the legend at every setting (the
# review: the shared swatch took the first pooled robot's colour, blue, then orange): the expert,
# each robot's own policy, the shared one. The expert's pale band in gold, not teal (the eleventh
# desk: pale teal was the weakest path under protan and tritan simulation, near the quadruped's
# pale body and the shared blue line; pale gold stands apart from both under every vision).
EXPERT, OWN, SHARED = "gold", "gray", "blue"
BODY = "ink"  # a robot switched on (off: gray, as its label)
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

MAPS, SHARED_SPACE = "per-robot output maps", "one shared action space (RT-X)"
# Shared action space: each robot's own frame, turned from the shared frame by this angle (rad).
# The arms' frames are coarsely aligned (within ±0.3 rad, 17°); the quadruped's is its body's.
OWN_FRAME = (0.0, 0.3, -0.3, HEADING)

PARAMS = (
    Choice("mechanism", (MAPS, SHARED_SPACE), MAPS, label="How the policy is shared"),
    Slider("demos", 3, 40, step=1, default=6, label="Demonstrations per robot"),
    Seed("seed", 3, label="New demonstrations"),
    Toggle("arm_a", True, label="arm A"),
    Toggle("arm_b", True, label="arm B"),
    Toggle("arm_c", True, label="arm C"),
    Toggle("quadruped", False, label="quadruped"),
)

# Averages over DRAWS draws of the demonstrations at the figure's mechanism and number of
# demonstrations (the toggles and the seed pick what the figure shows, not what these average).
VALUES = (
    Value("a_own", "arm A's mean held-out error on its own data", format=".0%"),
    Value("a_arms", "arm A's mean held-out error pooled with the other arms", format=".0%"),
    Value("q_own", "the quadruped's mean held-out error on its own data", format=".0%"),
    Value("q_all", "the quadruped's mean held-out error pooled with the arms", format=".0%"),
    Value("quad_change", "how much the quadruped joining changes the arms' mean error"),
    Value("quad_worse", "the share of draws in which the quadruped makes each arm worse"),
    Value("q_worse", "the share of draws in which the quadruped is worse off pooled", format=".0%"),
    Value("draws", "how many draws of the demonstrations these averages are over", format="d"),
) + tuple(  # and, at any setting, arm B in one shared action space at 3 and at 40 demonstrations
    Value(
        f"space_b_{pool}_at_{n}",
        f"arm B's mean held-out error, one shared action space, "
        f"{n} demonstrations, {'pooled with the arms' if pool == 'arms' else 'own data'}",
        format=".0%",
    )
    for n in (3, 40)
    for pool in ("own", "arms")
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
    for r, (links, q, units) in enumerate(zip(LINKS, HOME, ACTION_UNITS, strict=True)):
        maps[r, :, : len(q)] = units * arm_jacobian(links, np.array(q))
    maps[3, :, :2] = BODY_GAIN * rotation(HEADING)
    return maps


MOTION = _motion_maps()
FRAME_TURN = np.stack([rotation(a) for a in OWN_FRAME])  # own frame → shared frame, per robot
CAMERA_VIEW = np.stack([s * rotation(a) for a, s in CAMERAS])  # target (row) → camera reading
CAMERA_CALIBRATION = np.linalg.inv(CAMERA_VIEW)  # each camera's known calibration, inverted
EXPERT_MAP = np.linalg.pinv(MOTION)  # the smallest action that makes a given motion
START = np.array(
    [arm_points(links, np.array(q))[-1] for links, q in zip(LINKS, HOME, strict=True)]
    + [[0.1, 0.3]]
)
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
    return d @ CAMERA_VIEW


def to_shared(o):
    """The input maps: each camera's calibration, inverted."""
    return o @ CAMERA_CALIBRATION


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
TEST_SCALE = np.sqrt((TEST_MOTION**2).sum(-1).mean(-1))


# ---- fitting ---------------------------------------------------------------------------------


def moments(observations, actions):
    """Each robot's normal-equation pieces from its demonstrations: Φᵀ Φ (..., robots × P × P)
    and Φᵀ A (..., robots × P × k), with any leading axes (one per draw) kept."""
    phi = features(to_shared(observations))
    return phi.swapaxes(-1, -2) @ phi, phi.swapaxes(-1, -2) @ actions


def fit_policies(observations, actions, pools, rounds=ROUNDS):
    """Trunks W (fits × features × 2) and output maps G (fits × robots × 4 × 2), one fit per row
    of ``pools`` (fits × robots, 1 = that robot's data is in the pool), all in one batch.
    The action of robot r under fit f is features · W[f] · G[f, r]ᵀ."""
    gram, cross = moments(observations, actions)
    fits = len(pools)
    return alternating_fit(
        np.broadcast_to(gram, (fits,) + gram.shape),
        np.broadcast_to(cross, (fits,) + cross.shape),
        pools,
        rounds,
    )


def alternating_fit(gram, cross, pools, rounds=ROUNDS):
    """The fits of ``fit_policies`` from each fit's own moments (fits × robots × P × P and
    fits × robots × P × 4), so that fits of different draws batch together. Alternating least
    squares: the trunk by ridge given the maps (exact, through the normal equations of every
    pooled robot), then each robot's map by ridge given the trunk."""
    fits, robots = pools.shape
    p = FEATURES

    def fit_maps(trunk):
        """Each robot's output map, by ridge from the trunk's latent to its actions."""
        latent_gram = trunk.transpose(0, 2, 1)[:, None] @ gram @ trunk[:, None]
        latent_cross = cross.transpose(0, 1, 3, 2) @ trunk[:, None]  # f r 4 2
        return np.linalg.solve(
            latent_gram + RIDGE * np.eye(2), latent_cross.transpose(0, 1, 3, 2)
        ).transpose(0, 1, 3, 2)

    # Start from the guess that the motion is proportional to where the target is (the trunk
    # passes the target position through): every robot's first map then lands near its
    # kinematics, and the latent starts out shared. From the identity it takes tens of rounds.
    trunk = np.zeros((fits, p, 2))
    trunk[:, len(CENTRES) : len(CENTRES) + 2] = np.eye(2)
    for _ in range(rounds):
        maps = fit_maps(trunk)
        # Trunk: the normal equations of Σ_r |Φ_r W G_rᵀ − A_r|² over pooled robots, for vec(W).
        gg = (maps.transpose(0, 1, 3, 2) @ maps) * pools[:, :, None, None]  # f r 2 2
        # Σ_r gg[r] ⊗ gram[r], summed over robots as one product per fit
        normal = gg.reshape(fits, robots, 4).transpose(0, 2, 1) @ gram.reshape(fits, robots, p * p)
        normal = (
            normal.reshape(fits, 2, 2, p, p).transpose(0, 1, 3, 2, 4).reshape(fits, 2 * p, 2 * p)
        )
        rhs = ((cross @ maps) * pools[:, :, None, None]).sum(1).transpose(0, 2, 1)
        trunk = np.linalg.solve(normal + RIDGE * np.eye(2 * p), rhs.reshape(fits, 2 * p, 1))
        trunk = trunk.reshape(fits, 2, p).transpose(0, 2, 1)
    maps = fit_maps(trunk)  # the maps that go with the final trunk
    return trunk, maps


def displacements(actions):
    """Each robot's actions as the hand (or body) displacement in its own frame (RT-X's shared
    action space), through its known kinematics."""
    return (MOTION[:, None] @ actions[..., None])[..., 0] @ FRAME_TURN


def fit_shared_space(observations, actions, pools):
    """One shared action space (RT-X's recipe): every robot's action is the hand (or body)
    displacement in its own frame, recorded from the same demonstrations through the robot's
    known kinematics, and one head (features × 2), with no per-robot map, is fitted by ridge
    regression on the pooled data; one fit per row of ``pools`` (with any leading axes of the
    demonstrations kept before it). The robot's own controller turns a displacement into joint
    motion, exactly."""
    gram, cross = moments(observations, displacements(actions))
    normal = np.einsum("fr,...rpq->...fpq", pools, gram) + RIDGE * np.eye(FEATURES)
    return np.linalg.solve(normal, np.einsum("fr,...rpk->...fpk", pools, cross))  # fits × P × 2


def pool_rows(enabled, extra=()):
    """Fit rows: each robot alone (rows 0–3), then the pool of the ``enabled`` robots (row 4),
    then any ``extra`` pools (lists of robots)."""
    robots = len(ROBOTS)
    pools = [np.eye(robots)]
    for members in (enabled, *extra):
        row = np.zeros((1, robots))
        row[0, list(members)] = 1.0
        pools.append(row)
    return np.vstack(pools)


def policy_motion(mechanism, demos, pools, seed):
    """Each fit's map from features to the motion it makes each robot perform (fits × robots ×
    P × 2: motion = features · M[f, r]), one fit per row of ``pools``. Both mechanisms fit the
    same demonstrations (the same draws for a seed)."""
    rng = np.random.default_rng(seed)
    observations, actions = demonstrations(demos, rng)
    if mechanism == SHARED_SPACE:
        head = fit_shared_space(observations, actions, pools)
        # motion (row) = displacement · R_rᵀ: the robot executes its own frame's displacement
        return head[:, None] @ FRAME_TURN.transpose(0, 2, 1)[None]
    trunk, maps = fit_policies(observations, actions, pools)
    return trunk[:, None] @ maps.transpose(0, 1, 3, 2) @ MOTION.transpose(0, 2, 1)[None]


def held_out_errors(motion_maps):
    """Per fit and robot: RMS distance between the hand motion the policy causes and the
    expert's, over held-out targets, relative to the expert's RMS motion."""
    motion = TEST_FEATURES[None] @ motion_maps
    return np.sqrt(((motion - TEST_MOTION) ** 2).sum(-1).mean(-1)) / TEST_SCALE


DRAWS = 400  # the sentences' averages are over this many draws of the demonstrations (seeds 0 …)
COMPARED = pool_rows(range(len(ROBOTS)), [[0, 1, 2]])  # each robot alone, all four, the arms


def draw_errors(mechanism, demos, seeds=range(DRAWS)):
    """Held-out errors (draws × 6 fits × robots) of the fits the sentences compare, each robot
    alone (fits 0–3), all four pooled (4) and the three arms pooled (5), for many draws of the
    demonstrations at once: the same draws and fits as ``policy_motion`` per seed, batched."""
    drawn = [demonstrations(demos, np.random.default_rng(seed)) for seed in seeds]
    observations = np.stack([o for o, _ in drawn])
    actions = np.stack([a for _, a in drawn])
    fits = len(COMPARED)
    if mechanism == SHARED_SPACE:
        head = fit_shared_space(observations, actions, COMPARED)  # draws × fits × P × 2
        motion = head[:, :, None] @ FRAME_TURN.transpose(0, 2, 1)[None, None]
    else:
        gram, cross = moments(observations, actions)
        batch = (len(seeds), fits)
        trunk, maps = alternating_fit(
            np.broadcast_to(gram[:, None], batch + gram.shape[1:]).reshape((-1,) + gram.shape[1:]),
            np.broadcast_to(cross[:, None], batch + cross.shape[1:]).reshape(
                (-1,) + cross.shape[1:]
            ),
            np.tile(COMPARED, (len(seeds), 1)),
        )
        motion = trunk[:, None] @ maps.transpose(0, 1, 3, 2) @ MOTION.transpose(0, 2, 1)[None]
        motion = motion.reshape(batch + motion.shape[1:])
    return held_out_errors(motion)


def draw_summary(mechanism, demos):
    """What the sentences say about many draws at ``demos`` per robot: mean held-out errors alone,
    pooled with the arms and pooled with all four; for each arm, the mean change and the share of
    draws made worse when the quadruped joins the arms; how often the quadruped is worse off
    pooled than alone."""
    err = draw_errors(mechanism, demos)
    robots = range(len(ROBOTS))
    own, everyone, arms = err[:, robots, robots], err[:, 4], err[:, 5, :3]
    return {
        "own": own.mean(0).tolist(),
        "all": everyone.mean(0).tolist(),
        "arms": arms.mean(0).tolist(),
        "quad_change": (everyone[:, :3] - arms).mean(0).tolist(),
        "quad_worse": (everyone[:, :3] > arms).mean(0).tolist(),
        "quad_self_worse": float((everyone[:, 3] > own[:, 3]).mean()),
    }


def _summaries(mechanism, demos):
    return [draw_summary(mechanism, n) for n in demos]


# The slider's numbers of demonstrations, in two halves of about equal cost (each draw_summary
# takes about as long): the maps' summaries are the build's longest value, and as two values a
# build on several cores computes the halves at once.
_DEMOS = range(PARAMS[1].min, PARAMS[1].max + 1)
_FEWER, _MORE = _DEMOS[: len(_DEMOS) // 2], _DEMOS[len(_DEMOS) // 2 :]


@at_build
def summaries_with_maps_fewer():
    """``draw_summary`` with per-robot output maps for the slider's lower half of demonstrations
    (3, 4, …, 21). Done once, when the site is built."""
    return _summaries(MAPS, _FEWER)


@at_build
def summaries_with_maps_more():
    """The same for the upper half (22, …, 40)."""
    return _summaries(MAPS, _MORE)


@at_build
def summaries_in_shared_space():
    """``draw_summary`` in one shared action space, for every number of demonstrations on the
    slider: a value of its own, computed beside the others."""
    return _summaries(SHARED_SPACE, _DEMOS)


def draw_summaries():
    """``draw_summary`` for both mechanisms and every number of demonstrations on the slider:
    {mechanism: [summary for 3, 4, …, 40 demonstrations]}."""
    return {
        MAPS: summaries_with_maps_fewer() + summaries_with_maps_more(),
        SHARED_SPACE: summaries_in_shared_space(),
    }


# Every set of robots a reader can pool, each a row of fits (the robots alone come first).
EVERY_POOL = [
    [r for r in range(len(ROBOTS)) if mask >> r & 1] for mask in range(1, 2 ** len(ROBOTS))
]


@at_build
def highest_error():
    """The highest held-out error (a robot's own, or a pooled robot's shared) in any figure the
    controls reach: both mechanisms, every number of demonstrations, every set of robots, and
    every seed the "new demonstrations" button cycles through (and the seed control's ends).
    (a)'s error axis is drawn to it in every state, so that bars compare across a touch (the
    eleventh graphics desk: the axis ran 0–100 with three arms and 0–125 with the quadruped).
    Done once, when the site is built (about a second)."""
    seed = PARAMS[2]
    seeds = sorted(set(seed.table_values(seed.default)) | set(seed.ends()))
    pools = pool_rows(EVERY_POOL[0], EVERY_POOL[1:])  # each robot alone, then every pool
    members = pools > 0  # the errors drawn: a robot's own, and a pooled robot's shared
    highest = 0.0
    for mechanism in (MAPS, SHARED_SPACE):
        for demos in _DEMOS:
            for s in seeds:
                err = held_out_errors(policy_motion(mechanism, demos, pools, s))
                highest = max(highest, float(err[members].max()))
    return highest


def errors(demos, enabled, seed, mechanism=MAPS):
    """Held-out errors: own data only (robots,) and the shared policy (robots,; NaN for a robot
    that is not in the pool). Returns also the fits' motion maps, for drawing."""
    motion_maps = policy_motion(mechanism, demos, pool_rows(enabled), seed)
    err = held_out_errors(motion_maps)
    robots = len(ROBOTS)
    own = err[np.arange(robots), np.arange(robots)]
    pooled = np.zeros(robots, bool)
    pooled[list(enabled)] = True
    shared = np.where(pooled, err[robots], np.nan)
    return own, shared, motion_maps


def rollout(motion_maps, steps=10):
    """Each robot reaching its display target from its working pose, under the expert, its own
    policy and the shared policy (robots × 3 × steps+1 × 2)."""
    robots = len(ROBOTS)
    target = START + DISPLAY_TARGETS
    hand = np.broadcast_to(START[:, None], (robots, 3, 2)).copy()
    path = [hand.copy()]
    rows = np.arange(robots)
    for _ in range(steps):
        d = target[:, None] - hand  # in the shared frame: camera then calibration is the identity
        expert = expert_motion(d[:, :1])[:, 0]
        phi = features(d[:, 1:])  # robots × 2 × P
        own = phi[:, 0:1] @ motion_maps[rows, rows]
        shared = phi[:, 1:2] @ motion_maps[robots]
        hand = hand + np.concatenate([expert[:, None], own, shared], 1)
        path.append(hand.copy())
    return np.stack(path, 2)


# ---- the figure ------------------------------------------------------------------------------

# The bars' panel and the robots' panel under it, one width, so that the two share their left
# edge (the tenth graphics desk: (b), a phone's column wide, sat indented under (a)). The robots'
# height decides their scale (the x range has room to spare at this width): taller than on a
# phone, so that each sketch reads, and (a) a little shorter, so that the figure, folded beside
# its steps, still fits a 1280 × 800 screen. On a phone (b) keeps its phone-sized panel.
BAR_PANEL = (4.5, 2.1)
ROBOT_PANEL, ROBOT_LIM = (BAR_PANEL[0], 3.4), (-0.55, 3.35)
ROBOT_PHONE = (S.NARROW_WIDTH, 2.95)
# Each policy's path, one look each, so that no two are told apart by colour alone: the expert
# a wide pale band under the policies' thin lines, own data only dashed, shared solid. The legend
# draws its swatches from these marks (a line's swatch is at most 3 points wide: so is the band).
# Own data only dashed in a darker grey than its bars (the ninth graphics desk: the bars' light
# grey, dashed over the pale band, was hard to find where it ran along the expert's path).
OWN_PATH = "muted"
PATH_STYLE = {
    "expert": dict(color=EXPERT, width=3.0, opacity=0.45),
    "own data only": dict(color=OWN_PATH, width=1.4, dash=True),
    "shared policy": dict(color=SHARED, width=1.4),
}


QUADRUPED_LENGTH, NOSE_GAP = 0.6, 0.06  # metres, as drawn


def _robot_drawing(r, dx, dy, on):
    """The robot at its working pose (an arm's base at the cell's origin), shifted to its cell."""
    colour = BODY if on else "gray"
    if r < 3:
        pts = arm_points(LINKS[r], np.array(HOME[r]))
        return [
            S.rect(dx - 0.12, dy - 0.08, dx + 0.12, dy, color="muted"),
            S.line(pts[:, 0] + dx, pts[:, 1] + dy, color=colour, width=4, opacity=0.55),
            S.points(pts[1:-1, 0] + dx, pts[1:-1, 1] + dy, color="ink", size=2.5),
        ]
    # Quadruped from above: a body and four legs, facing HEADING, its nose just behind the point
    # its paths start from, so that they run ahead of it, never over its body (the tenth desk).
    back = -(QUADRUPED_LENGTH / 2 + NOSE_GAP)  # the body's centre, along its heading
    half_length, half_width = QUADRUPED_LENGTH / 2, 0.12
    body = np.array(
        [
            [back - half_length, -half_width],
            [back + half_length, -half_width],
            [back + half_length, half_width],
            [back - half_length, half_width],
        ]
    ) @ rotation(HEADING).T
    hips = np.array([[0.22, 0.12], [0.22, -0.12], [-0.22, 0.12], [-0.22, -0.12]])
    feet = hips * np.array([1.15, 1.9])
    hips, feet = (hips + (back, 0)) @ rotation(HEADING).T, (feet + (back, 0)) @ rotation(HEADING).T
    dx, dy = dx + START[3, 0], dy + START[3, 1]
    return [
        S.segments(
            hips[:, 0] + dx,
            hips[:, 1] + dy,
            feet[:, 0] + dx,
            feet[:, 1] + dy,
            color="muted",
            width=2,
        ),
        S.polygon(body[:, 0] + dx, body[:, 1] + dy, color=colour, opacity=0.55),
    ]


def quadruped_outcome(paths):
    """What the quadruped's shared path does (``paths``: expert, own, shared), from where it
    ends: nearer where the expert stopped than the target, it too stops short ("shared stops
    short"); nearer the target, it runs on past that point ("shared overruns"); farther than
    STOP_SHORT from both, it goes neither way ("shared strays")."""
    stop, end, target = paths[0, -1], paths[2, -1], START[3] + DISPLAY_TARGETS[3]
    to_stop, to_target = np.linalg.norm(end - stop), np.linalg.norm(end - target)
    if min(to_stop, to_target) > STOP_SHORT:
        return "shared strays"
    return "shared overruns" if to_target < to_stop else "shared stops short"


def _pct(x):
    return f"{100 * x:.0f}%"


MINUS = "\u2212"  # the minus sign a reader reads, not the hyphen Python prints


def _one_decimal(points):
    """Percentage points to one decimal, a true minus sign on a negative and no sign on one that
    rounds to 0.0 (never "−0.0"): the readouts' and the chapter's one precision."""
    return "0.0" if abs(points) < 0.05 else f"{points:.1f}".replace("-", MINUS)


def _points(change):
    """A change of error in percentage points, signed, to one decimal: "+3.0", "−0.3", "0.0"
    (the desk saw "+3, -0.3, -1": two precisions and a hyphen for the minus)."""
    points = 100 * change
    return _one_decimal(points) if abs(points) < 0.05 or points < 0 else f"+{points:.1f}"


def _span(values, word, fmt):
    """A range over the arms in words: '3–4 points', or one number when they round alike."""
    low, high = (fmt(v) for v in (min(values), max(values)))
    return f"{low} {word}" if low == high else f"{low} to {high} {word}"


def averaged_values(mechanism, demos):
    """The VALUES: the build's summary of DRAWS draws at this mechanism and number of
    demonstrations."""
    summary = draw_summaries()[mechanism][demos - PARAMS[1].min]
    return {
        "a_own": summary["own"][0],
        "a_arms": summary["arms"][0],
        "q_own": summary["own"][3],
        "q_all": summary["all"][3],
        "quad_change": _span([100 * c for c in summary["quad_change"]], "points", _one_decimal),
        "quad_worse": _span(summary["quad_worse"], "of the draws", lambda v: f"{v:.0%}"),
        "q_worse": summary["quad_self_worse"],
        "draws": DRAWS,
        **{
            f"space_b_{pool}_at_{n}": draw_summaries()[SHARED_SPACE][n - PARAMS[1].min][
                "own" if pool == "own" else "arms"
            ][1]
            for n in (3, 40)
            for pool in ("own", "arms")
        },
    }


# The readout of what the quadruped does to the arms (this draw's; the chapter's are averages).
ARMS_CHANGE = "with the quadruped, arms A / B / C (points)"


def compute(mechanism, demos, arm_a, arm_b, arm_c, quadruped, seed):
    robots = len(ROBOTS)
    enabled = [r for r, on in enumerate((arm_a, arm_b, arm_c, quadruped)) if on]
    arms = [r for r in enabled if r < 3]
    # Rows: each robot alone, the pool, and the pool with the quadruped switched the other way
    # (to state what the quadruped does to the pooled arms, computed, not asserted).
    other = sorted(set(enabled) ^ {3})
    motion_maps = policy_motion(mechanism, demos, pool_rows(enabled, [other]), seed)
    err = held_out_errors(motion_maps)
    own = err[np.arange(robots), np.arange(robots)]
    shared = np.where(np.isin(np.arange(robots), enabled), err[robots], np.nan)
    with_q, without_q = (
        (err[robots], err[robots + 1]) if quadruped else (err[robots + 1], err[robots])
    )
    own_pct, shared_pct = 100 * own, 100 * shared

    # One scale in every state the controls reach (errors shrink on it as demonstrations grow),
    # with room over the tallest bar for its value; a bar past it (a seed no control reaches,
    # typed in a URL) is cut at that height, its value still printed in full.
    tallest = 100 * highest_error()
    ceiling = 1.1 * tallest
    own_pct, shared_pct = np.minimum(own_pct, tallest), np.minimum(shared_pct, tallest)
    bars = []
    for r in range(robots):
        bars += [
            S.rect(
                r - 0.38,
                0,
                r - 0.02,
                own_pct[r],
                color=OWN,
                label="own data only" if r == 0 else None,
            ),
            S.text(
                r - 0.2,
                own_pct[r] + ceiling * 0.015,
                f"{100 * own[r]:.0f}",
                size=7.5,
                valign="bottom",
            ),
        ]
        if r in enabled:
            bars += [
                S.rect(
                    r + 0.02,
                    0,
                    r + 0.38,
                    shared_pct[r],
                    color=SHARED,
                    label="shared policy" if r == enabled[0] else None,
                ),
                S.text(
                    r + 0.2,
                    shared_pct[r] + ceiling * 0.015,
                    f"{100 * shared[r]:.0f}",
                    size=7.5,
                    valign="bottom",
                ),
            ]
        else:
            bars.append(
                S.text(r + 0.2, ceiling * 0.03, "off", color="muted", size=7.5, valign="bottom")
            )
    short = "per-robot output maps" if mechanism == MAPS else "one action space (RT-X)"
    bar_panel = S.panel(
        bars,
        title=f"held-out error: {short}",
        size=BAR_PANEL,
        legend="above",
        x=S.axis(lim=(-0.55, 3.55), ticks=[0, 1, 2, 3], ticklabels=list(ROBOTS)),
        y=S.axis(
            "error (% of the motion)", lim=(0, ceiling), ticks=list(range(0, int(ceiling) + 1, 25))
        ),
    )

    # The robots in a 2 × 2 grid, each reaching toward its target under the three policies.
    paths = rollout(motion_maps)
    cells = ((0.0, 0.0), (2.0, 0.0), (0.0, -1.55), (2.0, -1.55))
    marks = []
    for r, (dx, dy) in enumerate(cells):
        on = r in enabled
        marks += _robot_drawing(r, dx, dy, on)
        tx, ty = START[r] + DISPLAY_TARGETS[r] + (dx, dy)
        # A policy that wanders off is cut at its cell's edge, not drawn over its neighbours.
        xs = np.clip(paths[r, :, :, 0], -0.5, 1.4) + dx
        ys = np.clip(paths[r, :, :, 1], -0.2, 1.15) + dy
        # the first of each policy's paths carries its legend entry (the shared one: the first
        # pooled robot's)
        for policy, (name, style) in enumerate(PATH_STYLE.items()):
            if policy < 2 or on:
                first = r == 0 if policy < 2 else r == enabled[0]
                marks.append(S.line(xs[policy], ys[policy], label=name if first else None, **style))
        marks.append(S.points([tx], [ty], color="ink", size=3.5))
        frame = f"frame {np.degrees(OWN_FRAME[r]):+.0f}°".replace("-", MINUS)
        if r < 3:
            joints = f"{len(HOME[r])} joints" + (f", {frame}" if mechanism == SHARED_SPACE else "")
        else:  # the label fits its cell: the frame, when it matters, in place of what it does
            # (not pooled, no shared path is drawn: the expert stops short)
            joints = (
                frame
                if mechanism == SHARED_SPACE
                else quadruped_outcome(paths[r])
                if on
                else "expert stops short"
            )
        marks.append(
            S.text(
                dx - 0.5,
                dy + 1.28,
                f"{ROBOTS[r]}: {joints}",
                size=8,
                anchor="start",
                color="ink" if on else "muted",
            )
        )
    robot_axes = dict(
        equal=True,
        legend="above",  # one row fits the three entries, even in a phone's column
        x=S.axis(lim=ROBOT_LIM, hidden=True),
        y=S.axis(lim=(-1.8, 1.4), hidden=True),
    )
    robot_panel = S.panel(
        marks,
        title="reaching a new target (black dot)",
        size=ROBOT_PANEL,
        narrow=S.panel(marks, size=ROBOT_PHONE, **robot_axes),
        **robot_axes,
    )

    # ---- words, all from the numbers above
    pool_text = ", ".join(ROBOTS[r] for r in enabled) or "nobody"
    how = (
        "one trunk with a per-robot output map"
        if mechanism == MAPS
        else "one head whose 2-D action each robot executes in its own frame"
    )
    readouts = [
        S.readout(
            f"{ROBOTS[r]}: own / shared",
            f"{_pct(own[r])} / " + (_pct(shared[r]) if r in enabled else "off"),
        )
        for r in range(robots)
    ]
    # Short enough for one line of a phone's readout cell (the ninth graphics desk: a readout
    # that wrapped to 3 lines or 2 by value moved the page 20 px on touch).
    readouts.append(
        S.readout(
            "shared pool",
            f"{demos * len(enabled)} demos, {len(enabled)} robot{'s' if len(enabled) != 1 else ''}",
        )
    )
    if enabled:
        helped = [r for r in enabled if shared[r] < own[r]]
        per_robot = "; ".join(f"{ROBOTS[r]} {_pct(own[r])} → {_pct(shared[r])}" for r in enabled)
        result = (
            f"held-out error (own data only → shared policy) is {per_robot}; pooling "
            f"lowers it for {len(helped)} of the {len(enabled)} pooled robots."
        )
    else:
        result = (
            "held-out error from each robot's own data is "
            + "; ".join(f"{ROBOTS[r]} {_pct(own[r])}" for r in range(robots))
            + "."
        )
    # What the quadruped does to each arm's error in this draw: one readout at every setting,
    # the arms in a fixed order, "off" for an arm not pooled, the unit in the label (the ninth
    # desk: "arm A +12.3, arm B +7.4, arm C +8.8 points" wrapped to 3 lines or 2 by value).
    change = {r: with_q[r] - without_q[r] for r in arms}
    readouts.append(
        S.readout(
            ARMS_CHANGE, " / ".join(_points(change[r]) if r in arms else "off" for r in range(3))
        )
    )
    if arms:
        worse = sum(c > 0 for c in change.values())
        effect = ", ".join(f"{ROBOTS[r]} {_points(c)}" for r, c in change.items())
        joined = "joining" if not quadruped else "in"
        result += (
            f" With the quadruped {joined} the pool, the pooled arms' errors change by "
            f"{effect} percentage points ({worse} of {len(arms)} worse)."
        )
    return S.scene(
        [bar_panel, robot_panel],
        alt=(
            f"Mechanism: {mechanism}, {how}. With {demos} demonstrations per robot and "
            f"{pool_text} in the shared pool: {result}"
        ),
        readouts=readouts,
        values=averaged_values(mechanism, demos),
    )
