"""Control rates: how often actions reach the robot, how often the model sees a new observation,
and how far the hand moves in between.

Models: the rates table of the essay's facts sheet. For each system, the action rate (how often
an action reaches the robot) and the re-planning interval (how often the model is queried and
sees a new observation). They are equal for single-step policies: RT-1 about 3 Hz
(arXiv 2212.06817), RT-2 55B at 1–3 Hz and 5B at about 5 Hz (arXiv 2307.15818), OpenVLA about
6 Hz on one RTX 4090 (arXiv 2406.09246). They differ once actions come in chunks executed
open-loop: the re-planning interval is the executed part of the chunk divided by the action rate.
Diffusion Policy executes 8 of 16 actions at 10 Hz, 0.8 s (arXiv 2303.04137); ACT at 50 Hz
queries every step and averages overlapping chunks with temporal ensembling, 20 ms, or runs its
100-action chunk, 2 s, without (arXiv 2304.13705); π0 executes 25 of 50 actions on 50 Hz robots,
0.5 s (plus 73 ms of inference on an RTX 4090, run synchronously), and 16 of 50 on the 20 Hz UR5e
and Franka, 0.8 s (arXiv 2410.24164); OpenVLA-OFT on ALOHA runs its whole 25-action chunk at
25 Hz, 1.0 s (arXiv 2502.19645). Two-system designs have two loops: GR00T N1's Eagle-2 VLM
(System 2) runs at 10 Hz over a flow-matching System 1 stated at 120 Hz with 16-action chunks
(arXiv 2503.14734); how many of a chunk's actions run before System 1 is queried again is not
stated, so its interval is shown as the honest range from every action (1/120 s) to the whole
chunk (16/120 s). Figure's Helix (blog, February 2025; no paper) has a 7B VLM that updates a
latent at 7–9 Hz and an 80M System 1 that runs its own 200 Hz loop on new observations.
Gemini Robotics (arXiv 2503.20020) states 50 Hz effective control and about 250 ms latency but
no re-planning interval, so it is left out.

Computes: for a hand moving at the chosen speed, the distance travelled between two re-plans
(speed × re-planning interval; for two-system designs, both loops) or between two consecutive
actions (speed ÷ action rate). An open-loop chunk lengthens the time between decisions: smooth
actions at 50 Hz can hide a 0.5 s gap between observations.

Layout: side by side (a desktop), the two panels share one column of row names, panel a's: panel
b, beside it, names no row (each plot then gets the width the repeated names took: the eighth
graphics desk); stacked on a phone, panel b is drawn again with its own row names. In panel a each
row's action bar sits above the row's line and its re-plan dot below, apart, so neither hides the
other where the two rates are equal (RT-1, RT-2, OpenVLA, ACT with ensembling). Light bands on
every other row carry the eye across both panels.

Simplifies: one number or range per system; real rates depend on hardware and settings.
"""

import numpy as np

from visual_essay import scene as S
from visual_essay.params import Choice, Slider, Value

TITLE = "Control rates: the action rate is not the re-planning rate"

# name, action rate (low, high) in Hz, actions per query (chunk; None: not stated), actions
# executed before the next query (None: a two-system design), the VLM's re-planning rate (low,
# high) in Hz for two-system designs, System 1's interval between new observations (low, high)
# in s, a note, source
RECORDS = (
    ("RT-2 55B", (1, 3), 1, 1, None, None, "cloud TPU", "arXiv 2307.15818"),
    ("RT-1", (3, 3), 1, 1, None, None, "", "arXiv 2212.06817"),
    ("RT-2 5B", (5, 5), 1, 1, None, None, "cloud TPU", "arXiv 2307.15818"),
    ("OpenVLA", (6, 6), 1, 1, None, None, "RTX 4090", "arXiv 2406.09246"),
    ("Diffusion Policy", (10, 10), 16, 8, None, None, "interpolated to 125 Hz",
     "arXiv 2303.04137"),
    ("ACT, ensembling", (50, 50), 100, 1, None, None, "queried every step, averaged",
     "arXiv 2304.13705"),
    ("ACT, no ensembling", (50, 50), 100, 100, None, None, "", "arXiv 2304.13705"),
    ("π0, 50 Hz robots", (50, 50), 50, 25, None, None, "+73 ms inference, RTX 4090",
     "arXiv 2410.24164"),
    ("π0, UR5e / Franka", (20, 20), 50, 16, None, None, "", "arXiv 2410.24164"),
    ("OpenVLA-OFT, ALOHA", (25, 25), 25, 25, None, None, "", "arXiv 2502.19645"),
    ("GR00T N1", (120, 120), 16, None, (10, 10), (1 / 120, 16 / 120),
     "System 1 re-query not stated", "arXiv 2503.14734"),
    ("Helix", (200, 200), None, None, (7, 9), (1 / 200, 1 / 200), "System 1: own 200 Hz loop",
     "Figure, Feb 2025 blog"),
)

PARAMS = (
    Slider("speed", 0.05, 2.0, step=0.05, default=0.5, label="Hand speed", unit="m/s"),
    Choice("between", ("re-plans", "actions"), "re-plans", label="Distance moved between"),
)

# Distances the hand moves at the chosen speed, whichever distance the figure shows.
VALUES = (
    Value("pi0_action", "π0 (50 Hz robots): between two actions"),
    Value("pi0_replan", "π0 (50 Hz robots): between two re-plans"),
    Value("dp_replan", "Diffusion Policy: between two re-plans"),
    Value("act_off", "ACT without ensembling: between two re-plans"),
    Value("act_on", "ACT with ensembling: between two re-plans"),
)


def record(name):
    return next(r for r in RECORDS if r[0] == name)


def two_system(r):
    return r[4] is not None


def action_interval(r):
    """Seconds between two actions reaching the robot: (shortest, longest)."""
    lo, hi = r[1]
    return 1 / hi, 1 / lo


def replan_interval(r):
    """Seconds between two queries of the model that decides the actions (for a two-system
    design, its VLM): executed actions ÷ action rate, or the VLM's own rate."""
    if two_system(r):
        return 1 / r[4][1], 1 / r[4][0]
    lo, hi = r[1]
    return r[3] / hi, r[3] / lo


def observation_interval(r):
    """Seconds between two new observations reaching whatever produces the actions (System 1 for
    two-system designs)."""
    return r[5] if two_system(r) else replan_interval(r)


def distance(speed, seconds):
    """Metres travelled in ``seconds`` (a number or a (low, high) pair) at ``speed`` m/s."""
    return speed * np.asarray(seconds, dtype=float)


def _cm(pair):
    lo, hi = (100 * float(v) for v in pair)
    fmt = (lambda v: f"{v:.2g}") if hi < 1 else (lambda v: f"{v:.1f}" if v < 10 else f"{v:.0f}")
    return f"{fmt(lo)} cm" if fmt(lo) == fmt(hi) else f"{fmt(lo)}–{fmt(hi)} cm"


def _length(metres):
    """One distance as a sentence says it: in cm below a metre ('25 cm'), else in m ('1 m')."""
    return _cm((metres, metres)) if metres < 0.995 else f"{metres:.3g} m"


def _time(pair):
    """An interval, or a range of them, as people read it: '20 ms', '111–143 ms', '2 s'."""
    lo, hi = (float(v) for v in pair)
    unit, k = ("ms", 1000) if hi < 1 else ("s", 1)
    a, b = (f"{v * k:.3g}" for v in (lo, hi))
    return f"{a} {unit}" if a == b else f"{a}–{b} {unit}"


# Panel b's distance axis: log10 of centimetres, fixed, so that the dots move with the speed,
# and fitted to the distances the speed slider reaches (from 0.025 cm, Helix's System 1 at
# 0.05 m/s, to 400 cm, ACT's chunk at 2 m/s): DISTANCE_PAD decades beyond them, a dot's width
# and air. Past 400 cm the axis ran to 20 m, its right quarter empty at every speed.
DISTANCE_PAD = 0.15
DISTANCE_TICKS = ((-1, "1 mm"), (0, "1 cm"), (1, "10 cm"), (2, "1 m"))
DISTANCE_TICKS_NARROW = ((-1, "1 mm"), (1, "10 cm"), (3, "10 m"))  # a decade is 23 pt there
# Panel a fits a phone's column as it is (the same panel everywhere), its rows about 15 pt apart
# so that a row's bar and dot stand apart. Panel b, beside it on a desktop, names no row (panel
# a's names serve both) and is as tall; a panel with a phone's layout of its own must be wider
# than a phone's column (S.NARROW_WIDTH), so it is just wider: stacked on a phone, it is drawn
# again, 3.3 in wide, with its row names, as tall as before.
PANEL = (S.NARROW_WIDTH, 4.4)
PANEL_B = (3.4, PANEL[1])
PANEL_B_NARROW = (S.NARROW_WIDTH, 3.8)
VALUE_SIZE = 8.0
GAP = 5.0  # points between a dot and its value
# Panel a: an action bar BAR_WIDTH points thick, OFFSET rows above its row's line, and a re-plan
# dot of radius DOT, OFFSET rows below it: at ~15 pt a row the two stand 2-2.5 pt apart (a
# diamond reaches 1.25 radii), the next row's bar 3.7 pt or more away; the bars were 4.5 pt
# thick and the dots 3 pt, 3.8 pt apart, so a dot hid the end of a bar at the same rate.
BAR_WIDTH, DOT, OFFSET = 3.0, 2.5, 0.22


def plot_width(names, width=PANEL[0]):
    """The plot's width in points once the row names take their margin (layout.lay_out's
    rule), to place each value on the side of its dot where it fits."""
    widest = max((S.text_width(s, 9.0) for s in names if s), default=0)
    return width * 72 - max(S.MARGIN["left"], 7 + widest + 3) - S.MARGIN["right"]


# What a two-system design's VLM row says when actions are shown: it sends none.
NO_ACTIONS = "no actions: it steers System 1"


def loop_names(r):
    """A two-system design's two rows, one per loop: its VLM's and its System 1's."""
    return f"{r[0]}: VLM", f"{r[0]}: System 1"


def distance_rows(speed, between):
    """Panel b's rows, top to bottom: (name, colour, (low, high) metres, or None where the row
    has no distance). A two-system design has a row per loop whichever distance is shown (the
    same rows for both: switching never adds or removes one); its VLM sends no actions."""
    rows = []
    for r in RECORDS:
        if two_system(r):
            vlm, system_1 = loop_names(r)
            if between == "actions":
                rows += [(vlm, "gray", None),
                         (system_1, "blue", distance(speed, action_interval(r)))]
            else:
                rows += [(vlm, "purple", distance(speed, replan_interval(r))),
                         (system_1, "orange", distance(speed, observation_interval(r)))]
        elif between == "actions":
            rows.append((r[0], "blue", distance(speed, action_interval(r))))
        else:
            rows.append((r[0], "red", distance(speed, replan_interval(r))))
    return rows


def distance_lim():
    """Panel b's axis (log10 cm): the shortest and the longest distance any row shows at the
    speed slider's ends, padded."""
    speeds = [p for p in PARAMS if p.name == "speed"][0]
    spans = [np.log10(100 * np.asarray(span)) for speed in (speeds.min, speeds.max)
             for between in ("re-plans", "actions")
             for _, _, span in distance_rows(speed, between) if span is not None]
    return (float(min(s.min() for s in spans)) - DISTANCE_PAD,
            float(max(s.max() for s in spans)) + DISTANCE_PAD)


DISTANCE_LIM = distance_lim()
# On a phone panel b's plot is narrower (its row names take a third of it): the axis reaches
# further right there, else a range's value has room on neither side of its dots at some speeds.
DISTANCE_LIM_NARROW = (DISTANCE_LIM[0], DISTANCE_LIM[1] + 0.6)


# A VLM's re-plan a diamond, a whole policy's a circle, System 1's observation a triangle (told
# apart by shape as well as colour, so they survive greyscale), in both panels.
SHAPE_OF = {"purple": "diamond", "red": "circle", "blue": "circle", "orange": "triangle"}
# Panel a's shortest action bar, in points: a single rate was a stub 0.04 decades long (under
# 2 pt), too small to read as a mark; now at least twice the engine's axis tick (3.5 pt).
BAR_MIN = 7.0


def row_names():
    """Both panels' rows, top to bottom: a two-system design has one per loop, so the panels'
    rows are the same and, side by side, line up (12 rows beside 14 did not)."""
    return [name for r in RECORDS for name in (loop_names(r) if two_system(r) else (r[0],))]


def zebra(n):
    """Light bands on every other row, so the eye keeps its row across both panels."""
    return [S.hband(y - 0.5, y + 0.5, color="gray", opacity=0.07) for y in range(n - 1, -1, -2)]


def _distances(rows, title, size, named, narrow=None, lim=DISTANCE_LIM, ticks=DISTANCE_TICKS):
    """Panel b at ``size`` inches: each row's distance as dots on a fixed log axis, its value
    beside them where it fits in this plot's width; ``named``: the rows carry their names."""
    k = len(rows)
    names = [row[0] if named else "" for row in rows]
    per_point = (lim[1] - lim[0]) / plot_width(names, size[0])
    log = np.log10
    marks = zebra(k)
    for i, (_, color, span) in enumerate(rows):
        y = k - 1 - i
        if span is None:
            marks.append(S.text(lim[0] + GAP * per_point, y, NO_ACTIONS, color=color,
                                size=VALUE_SIZE, anchor="start"))
            continue
        lo, hi = span
        a, b = log(100 * lo), log(100 * hi)
        if b > a:
            marks.append(S.segments([a], [y], [b], [y], color=color, width=4, opacity=0.6))
        marks.append(S.points(sorted({a, b}), [y] * len({a, b}), color=color, size=3.5,
                              shape=SHAPE_OF[color]))  # the shapes panel a's key gives
        # the value beside its dot: on the right where it fits, else on the left
        value = _cm((lo, hi))
        room = (S.text_width(value, VALUE_SIZE) + 2 * GAP) * per_point
        right = b + room <= lim[1]
        marks.append(S.text(b + GAP * per_point if right else a - GAP * per_point, y, value,
                            size=VALUE_SIZE, anchor="start" if right else "end"))
    return S.panel(marks, title=title, size=size, narrow=narrow,
                   x=S.axis("distance (log scale)", lim=lim,
                            ticks=[t for t, _ in ticks], ticklabels=[s for _, s in ticks]),
                   # unnamed, no ticks either: the bands mark the rows
                   y=S.axis(lim=(-0.7, k - 0.3), ticks=list(range(k)) if named else [],
                            ticklabels=names[::-1] if named else []))


def compute(speed, between):
    rows_a = row_names()
    n = len(rows_a)
    ys = {name: n - 1 - i for i, name in enumerate(rows_a)}
    log = np.log10
    names = S.axis(lim=(-0.7, n - 0.3), ticks=list(range(n)), ticklabels=rows_a[::-1])

    # a. rates: actions reaching the robot (blue bars) vs the model seeing a new observation
    # (dots: a re-plan differs from an action by its mark as well as its colour)
    marks = []
    legend = {"blue": "an action", "red": "a re-plan", "purple": "a VLM re-plan",
              "orange": "System 1 observes"}
    rate_lim = (-0.45, 2.45)
    # half the shortest bar, in decades (panel a keeps one layout: its plot is this wide)
    half = BAR_MIN / 2 * (rate_lim[1] - rate_lim[0]) / plot_width(rows_a)

    def bar(lo, hi, y):
        """Actions from ``lo`` to ``hi`` (log10 Hz), centred on them and at least BAR_MIN long."""
        mid, reach = (lo + hi) / 2, max((hi - lo) / 2, half)
        return S.segments([mid - reach], [y], [mid + reach], [y], color="blue", width=BAR_WIDTH,
                          label=legend.pop("blue", None))

    def dots(lo, hi, y, color):
        shape = SHAPE_OF[color]
        out = [S.segments([lo], [y], [hi], [y], color=color, width=1.5)] if hi > lo else []
        return out + [S.points(sorted({lo, hi}), [y] * len({lo, hi}), color=color, size=DOT,
                               shape=shape, label=legend.pop(color, None))]

    marks += zebra(n)
    for r in RECORDS:
        act = log(1 / np.array(action_interval(r)))
        plan = log(1 / np.array(replan_interval(r)))
        if two_system(r):  # the VLM's row: its re-plans; System 1's: what it observes, acts
            obs = log(1 / np.array(observation_interval(r)))
            vlm, system_1 = loop_names(r)
            y = ys[system_1]
            # System 1's observations are drawn as a policy's re-plans are: triangles below
            marks += [S.segments([obs.min()], [y], [act.max()], [y], color="gray", width=1,
                                 opacity=0.6),
                      bar(act.min(), act.max(), y + OFFSET),
                      *dots(obs.min(), obs.max(), y - OFFSET, "orange"),
                      *dots(plan.min(), plan.max(), ys[vlm], "purple")]
            continue
        y = ys[r[0]]
        marks.append(S.segments([min(plan)], [y], [max(act)], [y], color="gray", width=1,
                                opacity=0.6))
        # actions just above the line, re-plans just below: single-step policies show both
        marks += [bar(act.min(), act.max(), y + OFFSET),
                  *dots(plan.min(), plan.max(), y - OFFSET, "red")]
    rates = S.panel(marks, title="how often per second", size=PANEL, legend="above",
                    x=S.axis("rate (Hz, log scale)", lim=rate_lim, ticks=[0, 1, 2],
                             ticklabels=["1", "10", "100"]),
                    y=names)

    # b. distance moved between re-plans (or between actions), on a fixed log axis: beside panel
    # a with no row names (a's serve both), and on a phone, stacked, with its own
    rows = distance_rows(speed, between)
    # one line beside (a)'s, at every speed (the layout wraps it on a phone, where b has names)
    title = f"moved between {between} at {speed:g} m/s"
    moved = _distances(rows, title, PANEL_B, named=False,
                       narrow=_distances(rows, title, PANEL_B_NARROW, named=True,
                                          lim=DISTANCE_LIM_NARROW, ticks=DISTANCE_TICKS_NARROW))

    pi0, dp = record("π0, 50 Hz robots"), record("Diffusion Policy")
    on, off, helix = record("ACT, ensembling"), record("ACT, no ensembling"), record("Helix")
    gr00t = record("GR00T N1")

    def plan_cm(r):
        return _cm(distance(speed, replan_interval(r)))

    alt = (f"At {speed:g} m/s, π0 on 50 Hz robots sends an action every "
           f"{_time(action_interval(pi0))} but sees a new observation only after every "
           f"{_time(replan_interval(pi0))} of motion (then the robot waits for 73 ms of "
           f"inference on an RTX 4090): the hand moves {plan_cm(pi0)} between its re-plans "
           f"and {_cm(distance(speed, action_interval(pi0)))} between its actions. Diffusion "
           f"Policy re-plans every {_time(replan_interval(dp))} ({plan_cm(dp)}); ACT every "
           f"{_time(replan_interval(on))} with temporal ensembling ({plan_cm(on)}) and every "
           f"{_time(replan_interval(off))} without ({plan_cm(off)}). Helix's System 1 sees a new "
           f"observation every {_time(observation_interval(helix))} "
           f"({_cm(distance(speed, observation_interval(helix)))}) while its VLM re-plans every "
           f"{_time(replan_interval(helix))} ({plan_cm(helix)}). GR00T N1's System 1 is drawn "
           f"as a range, from a new observation before every action "
           f"({_cm((distance(speed, observation_interval(gr00t)[0]),) * 2)}) to one per "
           f"{gr00t[2]}-action chunk ({_cm((distance(speed, observation_interval(gr00t)[1]),) * 2)}"
           f"), since how many of a chunk's actions run before it observes again is not stated. "
           f"Panel (b), \"{title}\", shows each system's distance between {between}.")
    readouts = [
        # no interval: π0's re-plan is 500 ms of motion and then 73 ms still (the alt text)
        S.readout("π0, 50 Hz robots", f"{plan_cm(pi0)} per re-plan, "
                                      f"{_cm(distance(speed, action_interval(pi0)))} per action"),
        S.readout("Diffusion Policy", f"{plan_cm(dp)} per re-plan ({_time(replan_interval(dp))})"),
        S.readout("ACT", f"{plan_cm(on)} with ensembling, {plan_cm(off)} without"),
        S.readout("Helix", f"System 1 {_cm(distance(speed, observation_interval(helix)))}, "
                           f"VLM {plan_cm(helix)}"),
    ]
    values = {"pi0_action": _length(distance(speed, action_interval(pi0))[0]),
              "pi0_replan": _length(distance(speed, replan_interval(pi0))[0]),
              "dp_replan": _length(distance(speed, replan_interval(dp))[0]),
              "act_off": _length(distance(speed, replan_interval(off))[0]),
              "act_on": _length(distance(speed, replan_interval(on))[0])}
    # side by side their rows line up: both plots start at one height
    return S.scene([rates, moved], alt=alt, readouts=readouts, values=values, aligned=True)
