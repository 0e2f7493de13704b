"""The road from pure VLMs to embodied agents, as data, each milestone with its source.

Models: the milestones of the essay's facts sheet, each at the month of its first public paper or
release, drawn on five lanes. Pick one in the "Milestone" menu, which names each with its month
in time order (a slider showed only its position, "7"); mark a lane with the other menu. The
highlighted milestone is drawn in red; its lane is the readout, and what it did and its source are
in the sentence under the figure (values).
Sources: SayCan (arXiv 2204.01691), Gato (arXiv 2205.06175), RT-1 (arXiv 2212.06817), PaLM-E (arXiv
2303.03378), Diffusion Policy (arXiv 2303.04137), ACT and ALOHA (arXiv 2304.13705), RT-2 (arXiv
2307.15818), Open X-Embodiment (arXiv 2310.08864), Octo (arXiv 2405.12213), UMI (arXiv 2402.10329),
DROID (arXiv 2403.12945), LeRobot (Hugging Face release), OpenVLA (arXiv 2406.09246), π0 (arXiv
2410.24164), LAPA (arXiv 2410.11758), FAST (arXiv 2501.09747), Helix (Figure AI blog, Feb 2025),
OpenVLA-OFT (arXiv 2502.19645), openpi, the open weights of π0 and π0-FAST
(github.com/Physical-Intelligence/openpi; first commit 3 Feb 2025), Gemini Robotics (arXiv
2503.20020), GR00T N1 (arXiv 2503.14734), AgiBot World (arXiv 2503.06669), π0.5 (arXiv 2504.16054),
SmolVLA (arXiv 2506.01844), Real-Time Chunking (arXiv 2506.07339), V-JEPA 2 (arXiv 2506.09985),
Gemini Robotics On-Device (Google DeepMind, 24 Jun 2025; safari-sdk on PyPI: trusted testers only;
its size is not printed, no checked source gives it), Gemini Robotics 1.5 (arXiv 2510.03342), π*0.6
with RECAP (arXiv 2511.14759), π0.7 (arXiv 2604.15483; no model size printed: the claims about it
conflict).

Layout: two panels of 25.6 months each, Apr 2022 – Mar 2024 and May 2024 – Apr 2026 (side by side on
a desktop, stacked on a phone, where each is drawn again for the width), time to the right. Each
lane with a milestone in a panel's months is a band there (a lane empty in a panel is left out of
it), its name alone on the band's first row; under it every milestone gets its own label beside its
dot, packed into as few rows as keep the labels apart, a label's text twice as far from any other
dot as from its own (first fit, in time order, the label to the right of its dot or else to its
left; on a phone a name too long for either side is broken over two rows), with widths
estimated generously from the characters (as if bold) so the highlighted label, drawn bold, never
collides either. Each panel's lanes are as tall as its own labels need, and each panel as tall as
its lanes, at one row height: sized for panel b's ten VLAs, panel a's VLA lane held one dot in
eight rows (the eighth graphics desk). Side by side, the two panels share one height: panel a's
rows are spaced out to fill it, so neither floats beside the other (the tenth desk). The layout
is made once, at import; marking a lane tints its band and greys the other lanes' dots, so
nothing moves and the figure keeps its height.

Simplifies: one date per milestone; the lanes are the essay's grouping, not the authors'.
"""

from visual_essay import scene as S
from visual_essay.params import Choice, Value

TITLE = "A timeline of robot foundation models"

LANES = ("language & planning", "policies", "data & tools", "VLAs", "video & world models")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

# year, month, short name, what it did, lane, source
MILESTONES = (
    (2022, 4, "SayCan", "a language model picks skills scored by robot affordances", 0,
     "arXiv 2204.01691"),
    (2022, 5, "Gato", "one transformer for games, chat and a robot arm", 1, "arXiv 2205.06175"),
    (2022, 12, "RT-1", "35M-parameter robotics transformer, 130k episodes from 13 robots, 3 Hz",
     1, "arXiv 2212.06817"),
    (2023, 3, "PaLM-E", "562B embodied multimodal language model", 0, "arXiv 2303.03378"),
    (2023, 3, "Diffusion Policy", "denoising action sequences, both modes kept", 1,
     "arXiv 2303.04137"),
    (2023, 4, "ACT / ALOHA", "action chunking, low-cost bimanual teleoperation", 1,
     "arXiv 2304.13705"),
    (2023, 7, "RT-2", "a VLM fine-tuned to emit action tokens", 3, "arXiv 2307.15818"),
    (2023, 10, "Open X-Embodiment", "RT-X, and data from 22 embodiments", 2, "arXiv 2310.08864"),
    (2023, 12, "Octo", "open generalist diffusion policy (93M, 800k trajectories; paper May 2024)",
     1, "arXiv 2405.12213"),
    (2024, 2, "UMI", "a handheld gripper with a wrist camera collects demonstrations; relative "
     "actions and latency matching make the policy hardware-agnostic", 2, "arXiv 2402.10329"),
    (2024, 3, "DROID", "76k trajectories, 350 h, 564 scenes, 84 tasks", 2, "arXiv 2403.12945"),
    (2024, 5, "LeRobot", "open library and datasets", 2, "Hugging Face release"),
    (2024, 6, "OpenVLA", "open 7B VLA", 3, "arXiv 2406.09246"),
    (2024, 10, "π0", "PaliGemma 3B + 300M flow-matching action expert, 50 Hz", 3,
     "arXiv 2410.24164"),
    (2024, 10, "LAPA", "latent actions learned between video frames, mapped to robot actions "
     "with a small labelled set", 4, "arXiv 2410.11758"),
    (2025, 1, "FAST", "action tokenization with DCT + BPE", 2, "arXiv 2501.09747"),
    (2025, 2, "Helix", "Figure's humanoid VLA: a 7B VLM at 7–9 Hz steers an 80M policy at 200 Hz",
     3, "Figure AI blog, Feb 2025"),
    (2025, 2, "OpenVLA-OFT", "parallel decoding: 26× action throughput (single image); LIBERO "
     "76.5% → 97.1% (with wrist camera and proprioception)", 3, "arXiv 2502.19645"),
    (2025, 2, "openpi", "open weights: π0 and π0-FAST base models and fine-tunes (π0.5 added "
     "Sep 2025)", 2, "github.com/Physical-Intelligence/openpi"),
    (2025, 3, "Gemini Robotics", "Gemini backbone in the cloud, action decoder on the robot", 3,
     "arXiv 2503.20020"),
    (2025, 3, "GR00T N1", "NVIDIA's humanoid model: a 10 Hz VLM over a flow-matching action "
     "transformer", 3, "arXiv 2503.14734"),
    (2025, 3, "AgiBot World", "over 1M trajectories, 217 tasks, 100 dual-arm humanoids", 2,
     "arXiv 2503.06669"),
    (2025, 4, "π0.5", "open-world generalization: cleaning tasks in homes never seen in training",
     3,
     "arXiv 2504.16054"),
    (2025, 6, "SmolVLA", "450M parameters, trained on community data", 3, "arXiv 2506.01844"),
    (2025, 6, "Real-Time Chunking", "run one chunk while the next is computed: freeze the "
     "actions that will run anyway, inpaint the rest", 1, "arXiv 2506.07339"),
    (2025, 6, "V-JEPA 2", "pre-trained on over 1M h of video; after under 62 h of robot video, "
     "plans toward image goals", 4, "arXiv 2506.09985"),
    (2025, 6, "Gemini Robotics On-Device", "runs on the robot with no cloud part, adapts from "
     "50–100 demos; trusted testers only, not open", 3,
     "Google DeepMind, 24 Jun 2025; safari-sdk on PyPI"),
    (2025, 10, "Gemini Robotics 1.5", "interleaves actions with language reasoning (think "
     "before acting)", 3, "arXiv 2510.03342"),
    (2025, 11, "π*0.6 (RECAP)", "reinforcement learning from the robot's own experience and "
     "corrections", 3, "arXiv 2511.14759"),
    (2026, 4, "π0.7", "steerable prompts: language, metadata, control mode, visual subgoals", 3,
     "arXiv 2604.15483"),
)



def date(record):
    return f"{MONTHS[record[1] - 1]} {record[0]}"


# The menu names each milestone with its month, in time order ("RT-2, Jul 2023"): a slider's
# output showed its position in the list ("7"), and the engine's sliders show only numbers. A
# menu is as wide as its longest option whichever is chosen, so a choice never moves the page.
OPTIONS = tuple(f"{m[2]}, {date(m)}" for m in MILESTONES)
PARAMS = (
    Choice("highlight", OPTIONS, OPTIONS[6], label="Milestone"),
    Choice("lane", ("all", *LANES), "all", label="Mark the lane"),
)

# The highlighted milestone, for the sentence under the figure: what it did and its source vary
# in length, so they are not readouts (one that wraps at some milestones moves the page under the
# reader); the menu names it and its month, and the readout is its lane, a short line.
VALUES = (
    Value("name", "its name, the figure's red label"),
    Value("when", "its month and year"),
    Value("lane", "its lane"),
    Value("did", "what it did"),
    Value("source", "its paper or release"),
)

# Two panels: (x limits, ticks, tick labels), x in months since the start of 2022. Each spans
# the same 25.6 months, so at one width a month is as wide in both and the recent years look no
# denser than they are (2022-2024 beside 2025-2026 drew 34 months and 17 at one width). Each is
# titled with the months of its first and last milestones. A year alone marks its January;
# every July tick names its year too (a bare "Jul" had none: the sixth graphics desk).
SPANS = (((1.9, 27.5), [6, 12, 18, 24], ["Jul 2022", "2023", "Jul 2023", "2024"]),
         ((27.5, 53.1), [30, 36, 42, 48], ["Jul 2024", "2025", "Jul 2025", "2026"]))
WIDTH = 4.8  # inches, each panel; each as tall as its rows need, at ROW points a row
# On a phone each panel is drawn again 3.3 in wide (S.NARROW_WIDTH), its labels packed again for
# that width; a name too long for either side of its dot there is broken over two rows, whole
# (it was shortened, "Gemini On-Device", with no key to the full name: the eighth desk).
NARROW_WIDTH = S.NARROW_WIDTH
TWO_LINES = {"Gemini Robotics On-Device": "Gemini Robotics\nOn-Device",
             "Real-Time Chunking": "Real-Time\nChunking"}
LABEL, HEADER = 8.0, 8.0  # font sizes (points) of milestone labels and lane names (S.MIN_TEXT)
DOT, PICKED_DOT = 3.0, 4.5  # dot radii (points): a milestone, the highlighted one
GAP, PAD, INSET = 6.5, 5.0, 4.0  # points: dot centre to label, between labels, lane name indent
# points, in a row, from a label's text to the edge of another milestone's dot, at least: the
# foreign dot's centre twice as far as the label's own (GAP)
AWAY = 2 * GAP - PICKED_DOT
ROW = 10.0  # points: a row of labels (a two-line label's lines are 9.6 pt apart)


def when(record):
    """Months since the start of 2022, at mid-month (the figure's x)."""
    return (record[0] - 2022) * 12 + record[1] - 0.5


def inside(record, lim):
    return lim[0] <= when(record) < lim[1]


def text_width(s, size):
    """A generous estimate of a label's width in points, as if bold: per character, at least its
    advance in DejaVu Sans Bold (the build's font, wider than the page's usual sans-serif)."""
    em = sum(0.48 if c in " ()-./,:;'|ilftjrIJ" else 1.05 if c in "MWmw&%×" else
             0.86 if c.isupper() or c.isdigit() or c in "π*" else 0.72 for c in s)
    return size * em


def _points_per_unit(lim, width):
    return (width * 72 - S.MARGIN["left"] - S.MARGIN["right"]) / (lim[1] - lim[0])


def _options(x, label, end):
    """Where a label may go beside its dot at ``x`` (points): (left, right, label x, anchor,
    interval) for each side that keeps it between 0 and ``end``; a label's width is its longest
    line's."""
    width = max(text_width(line, LABEL) for line in label.split("\n"))
    options = [(x - PICKED_DOT, x + GAP + width, x + GAP, "start"),
               (x - GAP - width, x + PICKED_DOT, x - GAP, "end")]
    # each with its interval for _clear: (left, right, left end a dot, right end a dot)
    return [(*o, (o[0], o[1], o[3] == "start", o[3] == "end"))
            for o in options if o[0] >= 0 and o[1] <= end]


def _clear(new, old):
    """Whether a label's interval ``new`` keeps clear of ``old`` in a row: PAD apart, but AWAY
    where a label's text faces another milestone's dot (each interval: left, right, and which
    of its ends is its dot). A label only PAD from a foreign dot sat between two dots, as near
    the other's as its own ("Open X-Embodiment ● UMI ●": the ninth graphics desk)."""
    (lo, hi, dot_lo, dot_hi), (a, b, dot_a, dot_b) = new, old
    if hi <= a:  # new on the left
        return hi + (AWAY if dot_hi != dot_a else PAD) <= a
    if lo >= b:  # new on the right
        return lo >= b + (AWAY if dot_lo != dot_b else PAD)
    return False


def _pack(records, lim, width, names):
    """Place a lane's labels in one panel ``width`` inches wide: the number of rows used and, for
    each record in order, (row, dot x, label x, anchor, label); rows are counted down from the
    band's top, whose row 0 is the lane's name alone (it shared a row with dots, "VLAs ● π0",
    and read as a milestone: the ninth graphics desk). ``names``: a label, broken over two rows,
    for a record whose name on one line fits neither side of its dot; its second line takes the
    row below the dot's as well."""
    scale = _points_per_unit(lim, width)
    end = (lim[1] - lim[0]) * scale
    rows = [[(-1e9, 1e9, False, False)]]  # the lane name's row, whole
    placed = []
    for r in records:
        x = (when(r) - lim[0]) * scale  # points from the left edge
        label = r[2]
        options = _options(x, label, end)
        if not options and r[2] in names:
            label = names[r[2]]
            options = _options(x, label, end)
        if not options:
            raise ValueError(f"{r[2]}: its label fits neither side of its dot at {width} in")
        lines = label.count("\n") + 1
        for k in range(1, len(rows) + 1):
            while len(rows) < k + lines:
                rows.append([])
            fit = [o for o in options
                   if all(_clear(o[4], taken) for j in range(k, k + lines) for taken in rows[j])]
            if fit:
                _, _, at, anchor, interval = fit[0]
                for j in range(k, k + lines):
                    rows[j].append(interval)
                placed.append((k, when(r), lim[0] + at / scale, anchor, label))
                break
    while not rows[-1]:  # a row added for a second line that fitted higher up
        rows.pop()
    return len(rows), placed


def layout(width, names, side_by_side=False):
    """Everything about the figure at one width that does not depend on the parameters: for each
    panel, its size, the y limits, its lanes (those with a milestone in its months: a lane empty
    there is left out, whatever is chosen), each lane's band and name, and every milestone's dot,
    label and label position: the same whichever lane is marked, so nothing moves when the
    choice changes. Each panel's lanes have the rows their name and labels need, and the panel
    is as tall as they are, at ROW points a row (panel a's VLA lane was as tall as panel b's,
    for one dot). ``side_by_side``: the panels share a row, so they share its height, the
    shorter's rows spaced out to fill it (a's ten rows, 219 px beside b's 325 px, left a third of
    its row empty: the tenth graphics desk); each lane keeps its share of its panel."""
    panels = []
    for lim, _, _ in SPANS:
        top, lanes, bands, names_at, where = 0.0, [], [], [], {}
        for k in range(len(LANES)):
            shown = [m for m in MILESTONES if m[4] == k and inside(m, lim)]
            if not shown:
                continue
            rows, placed = _pack(shown, lim, width, names)
            lanes.append(k)
            bands.append((top - rows + 0.5, top + 0.5))
            names_at.append((lim[0] + INSET / _points_per_unit(lim, width), top))
            for m, (row, x, label_x, anchor, label) in zip(shown, placed, strict=True):
                # a two-line label centred between its rows: its first line beside its dot
                lines = label.count("\n")
                where[m[2]] = (x, top - row, label_x, anchor, label, top - row - lines / 2)
            top -= rows
        height = (-top + 0.2) * ROW + S.MARGIN["top"] + S.MARGIN["bottom"]
        panels.append({"ylim": (top + 0.4, 0.6), "lanes": lanes, "bands": bands,
                       "names": names_at, "where": where, "rows": -top,
                       "size": (width, height / 72)})
    if side_by_side:
        tallest = max(p["size"][1] for p in panels)
        for p in panels:
            p["size"] = (width, tallest)
    return panels


LAYOUT = layout(WIDTH, {}, side_by_side=True)
NARROW_LAYOUT = layout(NARROW_WIDTH, TWO_LINES)


def compute(highlight, lane):
    picked = MILESTONES[OPTIONS.index(highlight)]
    # Every lane with a milestone in a panel is always drawn there, so a choice never changes the
    # figure's height: the chosen lane is marked (a blue band, blue dots) and the others fade
    # (grey dots).
    shown = [m for m in MILESTONES if lane == "all" or LANES[m[4]] == lane]
    marked = [k for k in range(len(LANES)) if lane in ("all", LANES[k])]
    panels = [
        _panel(span, plan, picked, lane, marked,
               narrow=_panel(span, narrow, picked, lane, marked))
        for span, plan, narrow in zip(SPANS, LAYOUT, NARROW_LAYOUT, strict=True)
    ]
    where = "" if picked in shown else f" (in the {LANES[picked[4]]} lane, not the marked one)"
    return S.scene(
        panels,
        alt=(f"{len(MILESTONES)} milestones from {date(MILESTONES[0])} to {date(MILESTONES[-1])}"
             f"{'' if lane == 'all' else f', {len(shown)} of them in the marked {lane} lane'}; "
             f"highlighted{where}: {picked[2]}, {date(picked)}: {picked[3]} "
             f"(source: {picked[5]})."),
        readouts=[S.readout("its lane", LANES[picked[4]])],
        values={"name": picked[2], "when": date(picked), "lane": LANES[picked[4]],
                "did": picked[3], "source": picked[5]},
    )


def _panel(span, plan, picked, lane, marked, narrow=None):
    """One panel as ``plan`` (a layout at one width) places it."""
    lim, ticks, ticklabels = span
    months = [m for m in MILESTONES if inside(m, lim)]
    title = f"{date(months[0])} – {date(months[-1])}"
    lanes = plan["lanes"]  # those with a milestone in this panel's months
    marks = [S.hband(*band, color="blue", opacity=0.14) if lane == LANES[k]
             else S.hband(*band, color="gray", opacity=0.12 if i % 2 == 0 else 0.04)
             for i, (k, band) in enumerate(zip(lanes, plan["bands"], strict=True))]
    # lane names in bold ink, each on its own row at the top of its band: grey on the bands'
    # tint was hard to read
    marks += [S.text(*at, LANES[k], size=HEADER, anchor="start", bold=True)
              for k, at in zip(lanes, plan["names"], strict=True)]
    drawn = [m for m in MILESTONES if m[2] in plan["where"]]
    for colour, group in (("blue", [m for m in drawn if m[4] in marked]),
                          ("gray", [m for m in drawn if m[4] not in marked])):
        dots = [plan["where"][m[2]] for m in group if m is not picked]
        if dots:
            marks.append(S.points([w[0] for w in dots], [w[1] for w in dots], color=colour,
                                  size=DOT))
    marks += [S.text(label_x, label_y, name, size=LABEL, anchor=anchor)
              for m in drawn if m is not picked
              for _, _, label_x, anchor, name, label_y in [plan["where"][m[2]]]]
    if picked in drawn:
        x, y, label_x, anchor, name, label_y = plan["where"][picked[2]]
        marks += [S.points([x], [y], color="red", size=PICKED_DOT),
                  S.text(label_x, label_y, name, color="red", size=LABEL, anchor=anchor,
                         bold=True)]
    return S.panel(marks, title=title, size=plan["size"], narrow=narrow,
                   x=S.axis(lim=lim, ticks=ticks, ticklabels=ticklabels),
                   y=S.axis(lim=plan["ylim"], hidden=True))
