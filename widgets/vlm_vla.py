"""From VLM to VLA: one model, one token loop, two output vocabularies.

Models: the move RT-2 made (Brohan et al., arXiv 2307.15818): keep the vision-language model and
its autoregressive decoding loop, and let some output tokens mean robot actions. A tiny language
model is fitted here by counting on a stated toy corpus: for each of three instructions, a text
answer and an action answer of four steps, each step four action tokens (Δx, Δy, Δz, gripper),
each a bin of 256 over its range, as RT-2 discretizes actions. The steps are physically sensible:
the gripper approaches and descends open, closes at the object without moving, and lifts or pulls
closed; pushing needs no grasp, so it stays open. The model predicts the next token from the
instruction, the previous token and the position (a counted table, not a network), and is decoded
greedily, one token at a time. The only difference between the two modes is the mask on the
output head: text tokens only, or action tokens only (RT-2 likewise constrains its output to valid
action tokens when it is asked for a robot action). Action tokens are then de-tokenized to bin
centres and integrated into the end effector's path. Frame: x to the right, y away from the robot,
z up; a step's gripper token is the gripper's state during that step's motion, -1 open, +1
closed.

Simplifies: a counted table instead of a transformer, no image (the instruction stands in for the
whole observation), four action dimensions instead of RT-2's seven plus terminate.
"""

import numpy as np

from visual_essay import scene as S
from visual_essay.params import Choice, Value

from .bins import bin_centre, discretize

TITLE = "One model, two vocabularies"

BINS = 256
STEP = 0.1  # metres: the range of each Δ is [-STEP, STEP]
DIMS = ("Δx", "Δy", "Δz", "grip")

OPEN, CLOSED = -1.0, 1.0
LOOK = {"open": "orange", "closed": "green"}  # the gripper state's colour in the path panels
SHAPE = {"open": "circle", "closed": "square"}  # and its marker at a step's end

# The toy corpus: instruction -> (text answer, four end-effector steps (Δx, Δy, Δz, gripper)).
CORPUS = {
    "pick up the red cup": (
        "move above the red cup, lower the open gripper, close it and lift",
        [(0.08, 0.05, 0.0, OPEN),  # over the cup
         (0.0, 0.0, -0.08, OPEN),  # down around it
         (0.0, 0.0, 0.0, CLOSED),  # grasp, in place
         (0.0, 0.0, 0.09, CLOSED)]),  # lift it
    "push the block left": (
        "lower behind the block then slide it to the left",
        [(0.06, 0.03, 0.0, OPEN),  # to the block's right side
         (0.0, 0.0, -0.08, OPEN),  # down to the table
         (-0.09, 0.0, 0.0, OPEN),  # push left
         (-0.08, 0.0, 0.0, OPEN)]),  # and on
    "open the drawer": (
        "grasp the drawer handle then pull it toward you",
        [(0.05, 0.08, 0.0, OPEN),  # over the handle
         (0.0, 0.0, -0.04, OPEN),  # down onto it
         (0.0, 0.0, 0.0, CLOSED),  # grasp, in place
         (0.0, -0.09, 0.0, CLOSED)]),  # pull toward you
}
INSTRUCTIONS = tuple(CORPUS)

PARAMS = (
    Choice("output", ("text", "actions"), "actions", label="Output vocabulary"),
    Choice("instruction", INSTRUCTIONS, INSTRUCTIONS[0], label="Instruction"),
)

# What the model does with the instruction in action mode, whichever vocabulary is shown.
VALUES = (
    Value("action_tokens", "how many action tokens the model emits", format="d",
          unit="action tokens"),
    Value("steps", "how many end-effector steps they decode to", format="d", unit="steps"),
    Value("gripper", "the gripper's state, step by step"),
)


def action_tokens(steps):
    """Each step's four values as action-token names <a0>..<a255>."""
    low = np.array([-STEP, -STEP, -STEP, -1.0])
    high = -low
    return [f"<a{int(discretize(v, BINS, lo, hi))}>"
            for step in steps for v, lo, hi in zip(step, low, high)]


def training_sequences():
    """(instruction, tokens) pairs: every instruction once with text, once with actions."""
    return [(ins, seq + ["<end>"]) for ins, (text, steps) in CORPUS.items()
            for seq in (text.split(), action_tokens(steps))]


VOCAB = sorted({t for _, seq in training_sequences() for t in seq})
INDEX = {t: i for i, t in enumerate(VOCAB)}
IS_ACTION = np.array([t.startswith("<a") for t in VOCAB])
IS_END = np.array([t == "<end>" for t in VOCAB])
MAX_LEN = 20  # longest output (16 action tokens) plus <end>, with room


def fit_counts():
    """The model: counts of the next token given (instruction, previous token, position)."""
    counts = np.zeros((len(INSTRUCTIONS), len(VOCAB) + 1, MAX_LEN, len(VOCAB)))
    for ins, seq in training_sequences():
        prev = len(VOCAB)  # the start-of-output symbol
        for pos, token in enumerate(seq):
            counts[INSTRUCTIONS.index(ins), prev, pos, INDEX[token]] += 1
            prev = INDEX[token]
    return counts + 1e-3  # smoothing: every token stays possible


COUNTS = fit_counts()


def generate(instruction, output):
    """Greedy autoregressive decoding with the output head masked to one vocabulary."""
    allowed = (IS_ACTION if output == "actions" else ~IS_ACTION) | IS_END
    tokens, prev = [], len(VOCAB)
    for pos in range(MAX_LEN):
        logits = np.log(COUNTS[INSTRUCTIONS.index(instruction), prev, pos])
        logits[~allowed] = -np.inf
        nxt = int(np.argmax(logits))
        if IS_END[nxt]:
            break
        tokens.append(VOCAB[nxt])
        prev = nxt
    return tokens


def detokenize(tokens):
    """Action tokens -> steps (n, 4) of bin centres."""
    bins = np.array([int(t[2:-1]) for t in tokens]).reshape(-1, 4)
    low = np.array([-STEP, -STEP, -STEP, -1.0])
    return np.array([[float(bin_centre(k, BINS, lo, -lo)) for k, lo in zip(row, low)]
                     for row in bins])


def gripper_states(steps):
    """'open' or 'closed' for each decoded step, from its gripper value's sign."""
    return ["closed" if grip > 0 else "open" for grip in steps[:, 3]]


def _by_state(states):
    """'open on steps 1–2 and closed on steps 3–4' from a list of per-step states."""
    spans, start = [], 0
    for k in range(1, len(states) + 1):
        if k == len(states) or states[k] != states[start]:
            steps = f"step {start + 1}" if k - start == 1 else f"steps {start + 1}–{k}"
            spans.append(f"{states[start]} on {steps}")
            start = k
    return S.and_list(spans)


def _changes(states):
    """Where the gripper changes state, step by step: 'closes at step 3', or 'stays open'."""
    moves = [f"{'closes' if now == 'closed' else 'opens'} at step {k + 1}"
             for k, (was, now) in enumerate(zip(states, states[1:]), 1) if now != was]
    return ", ".join(moves) if moves else f"stays {states[0]}"


# The readouts that decode actions, and what they say when the output is text.
# The first step whole: this model's 4 numbers (x, y, z, gripper), no "…" that promised more.
ACTION_READOUTS = ("first step's 4 numbers (RT-2 writes 8)", "gripper",
                   "final end-effector offset")
NOT_TEXT = "none: text only"


# The path panels' size and limits (metres). Both views share one range (the same motion, read
# across them on the same ticks): down to -0.25 for the top view's legend (four rows) under the
# path, up to 0.2, so that no end point (y or z at most 0.08 at any instruction) sits near the
# top edge. As tall as one unit is long on both axes (equal).
PATH_PANEL = {"size": (2.5, 2.75), "lim": (-0.2, 0.2), "ylim": ((-0.25, 0.2), (-0.25, 0.2))}


def _empty_path_panel(b, name):
    return S.panel([], title=f"decoded motion, {name}", size=PATH_PANEL["size"], equal=True,
                   empty="Text only: no motion",
                   x=S.axis("x (m)", lim=PATH_PANEL["lim"]),
                   y=S.axis("yz"[b - 1] + " (m)", lim=PATH_PANEL["ylim"][b - 1]))


MARKER_SIZE = 4.5  # a step's end; a ring around it, where the gripper changes there, is larger
# A step's label is kept off the sides that face the start dot when the start is this near (m):
# "3" below-left of step 3's end sat beside the start and read as naming it (the eighth desk).
NEAR_START = 0.06


def _legend_marks():
    """The legend's four entries, first and at every instruction, whichever the path uses: empty
    marks in each look (a push never closes the gripper, and its legend lost two entries on a
    touch)."""
    return [S.line([], [], color=LOOK[state], width=2, dash=state == "closed",
                   label=f"{state} while moving") for state in LOOK] + \
        [S.points([], [], color=LOOK[state], shape=SHAPE[state], size=MARKER_SIZE,
                  label=f"{state} at a step's end") for state in LOOK]


def _sides_clear_of(point, start):
    """The sides a label beside ``point`` may take: all, or, with the start dot near, those that
    do not lean toward it (data axes point up, the layout's y down)."""
    toward = np.asarray(start, float) - np.asarray(point, float)
    if np.hypot(*toward) >= NEAR_START:
        return True
    return [side for side, (dx, dy, *_) in S.SIDES.items() if dx * toward[0] - dy * toward[1] <= 0]


def _path_panel(path, states, a, b, name):
    """One projection of the decoded path. Each step's stretch of path is drawn in its gripper
    state's look (open solid orange, closed dashed green: the dash tells them apart for readers
    who cannot tell the colours apart), and each step's end as a marker of its state (open an
    orange circle, closed a green square). Steps that end at the same point share a label; where
    the gripper changes there, the earlier state's marker is drawn larger, a ring around the later
    one. The legend lists all four looks at every instruction."""
    xy = path[:, [a, b]]
    marks = _legend_marks()
    for k, state in enumerate(states):
        marks.append(S.line(xy[k:k + 2, 0], xy[k:k + 2, 1], color=LOOK[state], width=2,
                            dash=state == "closed", label=f"{state} while moving"))
    marks.append(S.points(xy[:1, 0], xy[:1, 1], color="ink", size=3.5))
    groups = []  # [point, [step indices]]
    for k, p in enumerate(xy[1:]):
        group = next((g for g in groups if np.abs(g[0] - p).max() < 0.004), None)
        if group is None:
            groups.append([p, [k]])
        else:
            group[1].append(k)
    for p, members in groups:
        seen = list(dict.fromkeys(states[k] for k in members))
        for j, state in enumerate(seen):  # the earlier state larger, behind the later
            marks.append(S.points([p[0]], [p[1]], color=LOOK[state], shape=SHAPE[state],
                                  size=MARKER_SIZE + 2.5 * (len(seen) - 1 - j),
                                  label=f"{state} at a step's end"))
    for p, members in groups:  # the step numbers beside their marker, clear of the path
        largest = MARKER_SIZE + 2.5 * (len({states[k] for k in members}) - 1)
        marks.append(S.text(p[0], p[1], ",".join(str(k + 1) for k in members), size=8,
                            beside=_sides_clear_of(p, xy[0]), gap=largest + 3))
    return S.panel(marks, title=f"decoded motion, {name}", size=PATH_PANEL["size"], equal=True,
                   legend="lower right" if b == 1 else None,
                   x=S.axis("x (m)", lim=PATH_PANEL["lim"]),
                   y=S.axis("yz"[b - 1] + " (m)", lim=PATH_PANEL["ylim"][b - 1]))


def compute(output, instruction):
    tokens = generate(instruction, output)
    per_row = 4 if output == "actions" else 5
    rows = -(-len(tokens) // per_row)
    shown_rows = max(rows, 4)  # a fixed box size; short outputs leave the bottom empty
    # Each token in its box; what a box holds is said outside the boxes, on white: a row per
    # step (actions) or per five words (text) at the left, each action column's dimension above.
    colour = "orange" if output == "actions" else "blue"
    gutter = 0.75  # the row labels' column, in box widths
    marks = []
    for i, token in enumerate(tokens):
        r, c = divmod(i, per_row)
        x0, y0 = c * 1.0, (shown_rows - 1 - r) * 1.0
        marks += [S.rect(x0 + 0.05, y0 + 0.1, x0 + 0.95, y0 + 0.9, color=colour, opacity=0.16,
                         stroke=colour),
                  S.text(x0 + 0.5, y0 + 0.5, token, size=8.5 if output == "actions" else 9)]
    for r in range(rows):
        first, last = r * per_row + 1, min((r + 1) * per_row, len(tokens))
        label = (f"step {r + 1}" if output == "actions"
                 else f"{first}–{last}" if last > first else str(first))
        marks.append(S.text(-0.08, shown_rows - 0.5 - r, label, color="muted", size=9,
                            anchor="end"))
    if output == "actions":
        marks += [S.text(c + 0.5, shown_rows + 0.08, DIMS[c], color="muted", size=9,
                         valign="bottom") for c in range(per_row)]
    strip = S.panel(marks, title=f"the model's output, token by token ({output})",
                    size=(3.8, 2.5 + 0.12 * max(0, shown_rows - 4)),
                    x=S.axis(lim=(-gutter, per_row), hidden=True),
                    y=S.axis(lim=(0, shown_rows + 0.45), hidden=True))
    panels = [strip]
    # The same four readouts in either mode (a touch never adds or drops a row): what does
    # not apply to text says so, as the empty panels do.
    readouts = [S.readout("tokens generated", len(tokens),
                          "action tokens" if output == "actions" else "text tokens")]
    acted = generate(instruction, "actions")
    action_steps = detokenize(acted)
    values = {"action_tokens": len(acted), "steps": len(action_steps),
              "gripper": _by_state(gripper_states(action_steps))}
    if output == "actions":
        steps = detokenize(tokens)
        states = gripper_states(steps)
        path = np.vstack([[0, 0, 0], np.cumsum(steps[:, :3], 0)])
        panels += [_path_panel(path, states, 0, 1, "top view"),
                   _path_panel(path, states, 0, 2, "side view")]
        end = f"({path[-1, 0]:+.2f}, {path[-1, 1]:+.2f}, {path[-1, 2]:+.2f}) m".replace(
            "-", "\u2212")  # the minus sign a reader reads, not a hyphen
        first = " ".join(t[2:-1] for t in tokens[:4])
        shown = (first, _changes(states), end)
        alt = (f"Asked to '{instruction}' with the output restricted to action tokens, the same "
               f"model emits {len(tokens)} action tokens, {len(steps)} steps of four tokens, "
               f"which decode to an end-effector path ending at {end}, with the gripper "
               f"{_by_state(states)}.")
    else:  # the same panels, saying why they are empty: the figure keeps its size
        panels += [_empty_path_panel(1, "top view"), _empty_path_panel(2, "side view")]
        shown = (NOT_TEXT,) * 3
        alt = (f"Asked to '{instruction}' with the output restricted to words, the model answers "
               f"in text: '{' '.join(tokens)}'.")
    readouts += [S.readout(label, value)
                 for label, value in zip(ACTION_READOUTS, shown, strict=True)]
    return S.scene(panels, alt=alt, readouts=readouts, values=values)
