"""Sim-to-real with domain randomization: train across many simulators, test on one real world.

Models: a robot must find an object in a camera image and pick it up. Its policy has two
numbers: a brightness threshold that separates object from table in the image, and a grip force.
Each simulated world has a lighting level (the visual factor: image brightness is albedo × light)
and a friction between fingers and object (the physical factor). The object is seen when the
threshold lies between the table's brightness and the object's, and held when the force exceeds
m·g/μ without crushing it (above 16 N in the simulator). The simulator's nominal world is brightly
lit and grippy; the "real" world is darker and more slippery, outside the nominal one, and its
object is more fragile (crushed above 14 N), a difference the simulator does not model at all, as
real worlds always hold some. Domain randomization (Tobin et al., arXiv 1703.06907) trains on many
simulators whose lighting and friction are drawn from a range around nominal; the width slider sets
that range. Training is a real search: for each width, 64 sampled simulators, and on a grid the
threshold and the force that succeed in the most of them (ties: the threshold with the most margin,
the gentlest force). The policy is then scored on 20 real trials (the real world varies a little
too). "New sample" draws new simulators and new real trials.

What it reproduces, because the model produces it: trained on the nominal simulator alone, the
policy is perfect there and fails in the real world; randomizing widely enough to cover the real
world makes it work; very wide randomization forces a compromise (a threshold for the brighter
worlds, which are the majority of the range, and a grip just short of crushing the simulator's
object) that misses the real one.

A toy, and it shows: real-world success is close to a switch between 0% and 100% (the policy is
two thresholds, and the real world varies little from trial to trial, so either its worlds lie
where the policy works or they do not; a width partly in between is rare), and "New sample" barely
moves the curve (64 simulators cover a two-factor range densely, so every sample trains nearly the
same policy). Real sim-to-real transfer degrades gradually and varies far more from run to run.
The alt text and readouts state this run's numbers only: success at this width and without
randomization, the widths where real-world success is highest (the alt text lists them, the
readout counts them and gives their span), the learned policy.

Speed: training depends on the seed, not on the slider, so every width's training is done once per
seed (one broadcast grid search over widths × thresholds × simulators and widths × forces ×
simulators) and cached; moving the slider looks a width up.

Simplifies: two numbers instead of a network, two randomized factors, an image with two
brightness levels. System identification (Tan et al., arXiv 1804.10332) would instead measure the
real friction and lighting; progressive networks (Rusu et al., arXiv 1610.04286) would fine-tune
on a little real data; automatic domain randomization (arXiv 1910.07113) widens the range as the
policy masters it.
"""

import numpy as np

from visual_essay import scene as S
from visual_essay.params import Seed, Slider, Value

TITLE = "Domain randomization: from many simulators to one real world"

FACTORS = ("light", "friction")
NOMINAL = np.array([1.0, 0.8])
REAL = np.array([0.62, 0.55])
SPREAD = np.array([0.7, 0.7])  # at width 1 each factor ranges over nominal × (1 ± 0.7)
REAL_JITTER = np.array([0.05, 0.03])  # the real world's own trial-to-trial variation, relative
OBJECT, TABLE = 0.8, 0.3  # albedos: brightness = albedo × light
WEIGHT = 0.5 * 9.81  # newtons
CRUSH_SIM, CRUSH_REAL = 16.0, 14.0  # newtons: the simulator does not know the real object
SIMS, REAL_TRIALS = 64, 20
THRESHOLDS = np.linspace(0.05, 1.2, 116)
FORCES = np.linspace(2.0, 20.0, 181)
WIDTHS = np.round(np.arange(0, 1.0001, 0.05), 2)  # the slider's steps: the curve's points
# The narrowest width whose range contains the real world's lighting and friction.
COVERS_REAL = float(np.max(np.abs(REAL / NOMINAL - 1) / SPREAD))
# Panel b's frame (light, friction), the same at every width and sample: the widest range (every
# simulator lies inside it, nominal at its centre) and the real world's trials at their extremes,
# padded by SPACE_PAD of the span so the dots on its edge show whole.
SPACE_PAD = 0.07
_EXTREMES = np.array(
    [
        NOMINAL * (1 - SPREAD),
        NOMINAL * (1 + SPREAD),
        REAL * (1 - REAL_JITTER),
        REAL * (1 + REAL_JITTER),
    ]
)
_LOW, _HIGH = _EXTREMES.min(0), _EXTREMES.max(0)
_PAD = SPACE_PAD * (_HIGH - _LOW)
SPACE_LIM = tuple(
    zip(np.round(_LOW - _PAD, 3).tolist(), np.round(_HIGH + _PAD, 3).tolist(), strict=True)
)  # light, friction

# Up to this width the randomized range and its simulators' dots lie under the nominal dot
# (radius 4 pt): at 0 the range is a point; at 0.05 it is 6 × 4 pt and the dots (radius 2.2 pt)
# at its corners already show past the nominal dot's edge. A label says where they are.
HIDDEN_UNDER_NOMINAL = 0.0

PARAMS = (
    Slider("width", 0.0, 1.0, step=0.05, default=0.6, label="Randomization width"),
    Seed("seed", 0, label="New sample"),
)

# What this sample of simulators gives across the widths (the width slider only picks a point).
VALUES = (
    Value("sim_zero", "success in its simulator without randomization", format=".0%"),
    Value("real_zero", "real-world success without randomization", format=".0%"),
    Value("top", "the highest real-world success over the widths", format=".0%"),
    Value("best", "the widths where real-world success is highest"),
    Value("sim_widest", "success in its simulators at the widest randomization", format=".0%"),
    Value("switch", "at how many widths real-world success is 0% or 100%"),
)


def sample_draws(seed):
    """A seed's random draws: simulators (2 × SIMS, in [-1, 1], stretched to each width) and real
    trials (2 × REAL_TRIALS, light and friction)."""
    rng = np.random.default_rng(seed)
    sims = rng.uniform(-1, 1, (2, SIMS))
    real = REAL[:, None] * (1 + REAL_JITTER[:, None] * rng.uniform(-1, 1, (2, REAL_TRIALS)))
    return sims, real


def randomized_worlds(widths, draws):
    """Light and friction of each simulator at each width: (widths × SIMS) arrays."""
    widths = np.asarray(widths, float)[:, None]
    light = NOMINAL[0] * (1 + widths * SPREAD[0] * draws[0])
    friction = NOMINAL[1] * (1 + widths * SPREAD[1] * draws[1])
    return light, friction


def detects(threshold, light):
    """The object is found when it is brighter than the threshold and the table is not."""
    return (TABLE * light < threshold) & (threshold < OBJECT * light)


def holds(force, friction, crush=CRUSH_SIM):
    """The grasp holds when friction carries the weight and the object is not crushed."""
    return (WEIGHT / friction < force) & (force < crush)


def train(light, friction):
    """For each row of simulators (widths × SIMS), the threshold and force that succeed in the
    most of them, by grid search. Seeing depends only on light and grasping only on friction,
    so each is searched on its own. Ties: the middle of the best thresholds (most margin), the
    gentlest of the best forces."""
    seen = detects(THRESHOLDS[None, :, None], light[:, None, :]).mean(-1)
    best = seen == seen.max(1, keepdims=True)
    first = best.argmax(1)
    last = best.shape[1] - 1 - best[:, ::-1].argmax(1)
    held = holds(FORCES[None, :, None], friction[:, None, :]).mean(-1)
    gentlest = (held == held.max(1, keepdims=True)).argmax(1)
    return THRESHOLDS[(first + last) // 2], FORCES[gentlest]


def success(threshold, force, light, friction, crush):
    """Fraction of worlds (last axis) where the policy (one per row) both sees and holds."""
    ok = detects(threshold[:, None], light) & holds(force[:, None], friction, crush)
    return ok.mean(-1)


def curve(seed, widths=WIDTHS):
    """Per width: success in its own simulators, success in the real world, threshold, force."""
    sims, real = sample_draws(seed)
    light, friction = randomized_worlds(widths, sims)
    threshold, force = train(light, friction)
    return (
        success(threshold, force, light, friction, CRUSH_SIM),
        success(threshold, force, real[0][None], real[1][None], CRUSH_REAL),
        threshold,
        force,
    )


_CACHE = {}


def trained(seed):
    """Everything that depends on the seed but not on the width slider, computed once per seed:
    the draws, every width's simulators (WIDTHS × SIMS light and friction) and ``curve``. Moving
    the slider only looks a width up."""
    if seed not in _CACHE:
        if len(_CACHE) >= 8:
            _CACHE.clear()
        sims, real = sample_draws(seed)
        _CACHE[seed] = (real, randomized_worlds(WIDTHS, sims), curve(seed))
    return _CACHE[seed]


def width_ranges(widths):
    """Sorted widths on the slider's grid, as contiguous ranges in words: '0.50–0.80, 0.90'."""
    parts, start = [], 0
    for k in range(1, len(widths) + 1):
        if k == len(widths) or widths[k] - widths[k - 1] > 0.05 + 1e-9:
            a, b = widths[start], widths[k - 1]
            parts.append(f"{a:.2f}" if a == b else f"{a:.2f}–{b:.2f}")
            start = k
    return ", ".join(parts)


def width_span(widths):
    """Sorted widths on the slider's grid, short: how many and the span they lie in, '7 widths in
    0.50–0.80' (one: 'width 0.55'), which a gap does not contradict ('6 widths, 0.50–0.80' read
    as every width between). A readout's value, as wide whatever the gaps: a list of runs
    ('0.50–0.65, 0.75–0.80') made its reserved width leave a hole in the readouts' row."""
    if len(widths) == 1:
        return f"width {widths[0]:.2f}"
    return f"{len(widths)} widths in {widths[0]:.2f}–{widths[-1]:.2f}"


def outcome(threshold, force, light, friction, crush):
    """One world's result in words: what the camera and the gripper do."""
    seen = "seen" if detects(threshold, light) else "missed"
    grasp = (
        "held"
        if holds(force, friction, crush)
        else "slips"
        if force <= WEIGHT / friction
        else "crushed"
    )
    return seen, grasp


# ---- the figure ------------------------------------------------------------------------------


def _camera_image(light):
    """What the camera sees: a table with the object in the middle, brightness = albedo × light."""
    image = np.full((5, 7), TABLE * light)
    image[1:4, 2:5] = OBJECT * light
    return image


# Panel b's real-trial marks: their radius in points, and how far apart (in points) the two
# outcomes' marks are drawn at least: two radii and a little more. Points per unit of light and
# of friction, about, at panel b's size and frame (its plot: the panel less the margins and the
# key's two rows); a test measures the marks apart on the layout itself.
# Each mark is red on an ink one REAL_RING points larger, its ring: red alone turned olive or
# dark grey under red-green colour blindness and sank among the grey dots (the tenth desk); the
# ink ring keeps the lightness contrast and the size (over twice a simulator's dot) every reader
# sees, in either colour scheme (ink is light on the dark page).
SPACE_SIZE = (3.3, 2.8)
REAL_MARK = 4.0
REAL_RING = 1.8
REAL_APART = 2 * (REAL_MARK + REAL_RING) + 1.5
_PT_PER_UNIT = np.array(
    [
        (SPACE_SIZE[0] * 72 - 46 - 12) / (SPACE_LIM[0][1] - SPACE_LIM[0][0]),
        (SPACE_SIZE[1] * 72 - 24 - 28 - 38) / (SPACE_LIM[1][1] - SPACE_LIM[1][0]),
    ]
)


def real_outcome_marks(real, real_works):
    """One mark per outcome of the real trials (triangle: works, cross: fails), at the mean
    light and friction of the trials with that outcome, each ringed in ink (REAL_RING) and with
    its count beside it in red ("real: 20 work", "real: 12 fail", on two lines: short, so that
    it finds a free place near its mark among the simulators' dots; "real:" says what the mark
    is, the key being full and a key's one shape unable to stand for both; the counts add up to
    REAL_TRIALS; red is the real world's colour in every panel). Two marks whose means
    lie closer than REAL_APART points are set apart to REAL_APART about their midpoint, along
    the line between the means (the direction the outcomes divide the trials in: friction where
    the grip slips on some, light where the camera misses some), and each label goes on its
    mark's far side from the other, or across the line, not towards the other mark."""
    groups = []
    for ok, shape, verb in ((real_works, "triangle", "work"), (~real_works, "cross", "fail")):
        n = int(np.count_nonzero(ok))
        if n:
            groups.append([np.array([real[0][ok].mean(), real[1][ok].mean()]), n, shape, verb])
    sides = [True, True]
    if len(groups) == 2:
        (a, *_), (b, *_) = groups
        apart = (a - b) * _PT_PER_UNIT
        distance = float(np.hypot(*apart))
        along = apart / distance if distance > 0 else np.array([1.0, 0.0])
        if distance < REAL_APART:
            half = along * REAL_APART / 2 / _PT_PER_UNIT
            groups[0][0], groups[1][0] = (a + b) / 2 + half, (a + b) / 2 - half
        if abs(along[0]) >= abs(along[1]):  # then across, where the far side is taken
            far = ("right", "above right", "below right", "above", "below")
            near = ("left", "above left", "below left", "above", "below")
        else:
            far = ("above", "above right", "above left", "right", "left")
            near = ("below", "below right", "below left", "right", "left")
        sides = [far, near] if along[int(abs(along[0]) < abs(along[1]))] > 0 else [near, far]
    marks = []
    for k, ((x, y), n, shape, verb) in enumerate(groups):
        words = f"real:\n{n} {verb}{'s' if n == 1 else ''}"
        marks += [
            S.points([x], [y], color="ink", size=REAL_MARK + REAL_RING, shape=shape),
            S.points([x], [y], color="red", size=REAL_MARK, shape=shape),
            S.text(
                x, y, words, size=8, color="red", beside=sides[k], gap=REAL_MARK + REAL_RING + 2
            ),
        ]
    return marks


TILE_TEXT = 9.0  # panel c's names, numbers and outcomes, in points: the axes' tick size


def compute(width, seed):
    real, (all_light, all_friction), (sim_ok, real_ok, thresholds, forces) = trained(seed)
    i = int(np.argmin(np.abs(WIDTHS - width)))
    threshold, force = thresholds[i], forces[i]
    light, friction = all_light[i], all_friction[i]
    top = float(real_ok.max())
    best = width_ranges(WIDTHS[real_ok == top])

    plot = S.panel(
        [
            S.segments([COVERS_REAL], [0], [COVERS_REAL], [104], color="muted", width=1),
            S.text(
                COVERS_REAL,
                52,
                "range reaches\nthe real world",
                size=8,
                color="muted",
                beside=True,
                gap=3,
            ),  # beside the line, where no curve runs at this seed
            S.line(
                WIDTHS, 100 * sim_ok, color="teal", width=2, dash=True, label="in its simulators"
            ),  # dashed: teal and red are alike in grey
            S.line(WIDTHS, 100 * real_ok, color="red", width=2.4, label="in the real world"),
            S.points([width], [100 * sim_ok[i]], color="teal", size=4),
            S.points([width], [100 * real_ok[i]], color="red", size=5),
        ],
        title="success of the trained policy",
        size=(3.3, 2.8),
        legend="above",  # the curves cross every corner at some width and seed
        # padded, so the dots at width 0 and 1 and at 0% and 100% show whole
        x=S.axis("randomization width", lim=(-0.04, 1.04), ticks=[0, 0.2, 0.4, 0.6, 0.8, 1]),
        y=S.axis("success (%)", lim=(-8, 108), ticks=[0, 25, 50, 75, 100]),
    )

    # Parameter space: what it trained on, where the policy works, where the real world is.
    lo, hi = NOMINAL * (1 - width * SPREAD), NOMINAL * (1 + width * SPREAD)
    xlim, ylim = SPACE_LIM
    marks = [
        S.rect(
            lo[0],
            lo[1],
            hi[0],
            hi[1],
            color="gray",
            opacity=0.0,
            stroke="muted",
            label="randomized range",
        )
    ]  # an outline: the green is a fill
    works = S.polygon(
        [], [], color="green", opacity=0.2, stroke="green", label="where it works, in simulation"
    )  # none: the key stays the same
    if force < CRUSH_SIM:
        # Where this threshold sees and this force holds (the simulator's object).
        x0, x1 = max(threshold / OBJECT, xlim[0]), min(threshold / TABLE, xlim[1])
        y0 = max(WEIGHT / force, ylim[0])
        if x1 > x0 and y0 < ylim[1]:
            works = S.rect(
                x0,
                y0,
                x1,
                ylim[1],
                color="green",
                opacity=0.2,
                stroke="green",
                label="where it works, in simulation",
            )
    # A key above the plot for the range, the simulators, the green and nominal (the simulators'
    # dots leave no free place near a label there), in two rows, in that order, the widths of its
    # labels paired to fit panel b's width (a phone's too). The real world's trials are
    # labelled directly instead: its 20 trials vary so little (REAL_JITTER) that drawn one by one
    # they overlapped into one red blob whose shapes could not be told apart or counted (the
    # eighth graphics desk). So one mark per outcome, at the mean light and friction of its
    # trials, with its count beside it: a triangle for those that work, a cross for those that
    # fail, scored as real_ok is (the real object's crush limit, not the simulator's). The green
    # is where the policy works in simulation: at the widest ranges the trials inside it fail,
    # crushed. Where both outcomes occur (a threshold's edge runs through the trials) their
    # means lie a point or two apart, and the two marks are set just apart along the line
    # between them (real_outcome_marks).
    real_works = detects(threshold, real[0]) & holds(force, real[1], CRUSH_REAL)
    marks += [
        S.points(light, friction, color="gray", size=2.2, label=f"its {SIMS} simulators"),
        works,
        S.points([NOMINAL[0]], [NOMINAL[1]], color="ink", size=4, label="nominal"),
    ]
    marks += real_outcome_marks(real, real_works)
    if width <= HIDDEN_UNDER_NOMINAL:
        # The range and its simulators hide under the nominal dot: said beside it, so the key
        # names only what the reader can find and keeps the same rows at every width.
        marks.append(
            S.text(
                NOMINAL[0],
                NOMINAL[1],
                f"the range and\n{SIMS} simulators lie\nunder this dot",
                size=8,
                color="muted",
                gap=4,
                beside=("below right", "right", "below", "above right"),
            )
        )
    space = S.panel(
        marks,
        title="light and friction of each world",
        size=SPACE_SIZE,
        legend="above",
        # ticks given: the round ones for this span would be 0.5 and 1 alone on μ
        x=S.axis("light", lim=xlim, ticks=[0.5, 1, 1.5]),
        y=S.axis("friction μ", lim=ylim, ticks=[0.25, 0.5, 0.75, 1, 1.25]),
    )

    # Five of the sampled simulators and the real world, as the camera sees them, each named
    # and with its light, friction and outcome in TILE_TEXT (the axes' tick size; they asked for
    # 6.5 to 7.5 points and showed at the 8-point floor, the smallest type in the essay).
    tiles = []
    shown = [(light[k], friction[k], f"sim {k + 1}", CRUSH_SIM) for k in range(5)]
    shown.append((REAL[0], REAL[1], "real", CRUSH_REAL))
    for n, (lit, mu, name, crush) in enumerate(shown):
        x0, y0 = (n % 3) * 1.25, 1.55 - (n // 3) * 1.75
        seen, grasp = outcome(threshold, force, lit, mu, crush)
        ok = (seen, grasp) == ("seen", "held")
        tiles += [
            S.heatmap(
                _camera_image(lit),
                extent=(x0, x0 + 1, y0, y0 + 0.72),
                ramp="gray",
                vmin=0,
                vmax=1.2,
            ),
            S.text(
                x0 + 0.5,
                y0 + 0.86,
                name,
                size=TILE_TEXT,
                bold=name == "real",
                color="red" if name == "real" else "ink",
            ),
            S.text(x0 + 0.5, y0 - 0.15, f"light {lit:.2f} · μ {mu:.2f}", size=TILE_TEXT),
            S.text(
                x0 + 0.5,
                y0 - 0.4,
                f"{seen}, {grasp}",
                size=TILE_TEXT,
                color="green" if ok else "red",
                bold=not ok,  # green and red alike under red-green colour blindness: weight too
            ),
        ]
    worlds = S.panel(
        tiles,
        title="5 sampled simulators and the real world",
        size=(3.3, 2.8),  # the phone's width: room for TILE_TEXT between the tiles
        x=S.axis(lim=(-0.05, 3.55), hidden=True),
        y=S.axis(lim=(-0.7, 2.55), hidden=True),
    )

    return S.scene(
        [plot, space, worlds],
        alt=(
            f"Trained on {SIMS} simulators randomized to width {width:.2f}, the policy succeeds in "
            f"{100 * sim_ok[i]:.0f}% of them and in {100 * real_ok[i]:.0f}% of {REAL_TRIALS} real "
            "trials; "
            f"without randomization it succeeds in {100 * sim_ok[0]:.0f}% of simulated and "
            f"{100 * real_ok[0]:.0f}% of real trials; on this sample real-world success is "
            f"highest, {100 * top:.0f}%, at width{'s' if '–' in best or ',' in best else ''} "
            f"{best}."
        ),
        values={
            "sim_zero": float(sim_ok[0]),
            "real_zero": float(real_ok[0]),
            "top": top,
            "best": f"width{'s' if '–' in best or ',' in best else ''} {best}",
            "sim_widest": float(sim_ok[-1]),
            "switch": f"{int(np.isin(real_ok, (0.0, 1.0)).sum())} of {len(WIDTHS)}",
        },
        readouts=[
            S.readout("real-world success", f"{100 * real_ok[i]:.0f}%"),
            S.readout("success in its simulators", f"{100 * sim_ok[i]:.0f}%"),
            # Said here, not over the simulators' dots, where the review found it.
            S.readout("learned threshold / grip force", f"{threshold:.2f} / {force:.1f} N"),
            # Its own readout at every width (a clause added at some widths wrapped on a phone).
            S.readout(
                "the real object, middle trial: camera, grip",
                ", ".join(outcome(threshold, force, *REAL, CRUSH_REAL)),
            ),
            S.readout(
                "best real-world success on this sample",
                f"{100 * top:.0f}% at {width_span(WIDTHS[real_ok == top])}",
            ),
            S.readout("width that reaches the real world", COVERS_REAL, digits=2),
            S.readout(
                "real world: light, friction",
                f"{REAL[0]:.2f}, {REAL[1]:.2f} (nominal {NOMINAL[0]:.2f}, {NOMINAL[1]:.2f})",
            ),
        ],
    )
