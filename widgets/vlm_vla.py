"""From VLM to VLA: one model, one token loop, two output vocabularies.

Models: the move RT-2 made (Brohan et al., arXiv 2307.15818): keep the vision-language model and
its autoregressive decoding loop, and let some output tokens mean robot actions. A tiny language
model is fitted here by counting on a stated toy corpus: for each of three instructions, a text
answer and an action answer of three steps, each step four action tokens (Δx, Δy, Δz, gripper),
each a bin of 256 over its range, as RT-2 discretizes actions. The model predicts the next token
from the instruction, the previous token and the position (a counted table, not a network), and is
decoded greedily, one token at a time. The only difference between the two modes is the mask on
the output head: text tokens only, or action tokens only (RT-2 likewise constrains its output to
valid action tokens when it is asked for a robot action). Action tokens are then de-tokenized to
bin centres and integrated into the end effector's path.

Simplifies: a counted table instead of a transformer, no image (the instruction stands in for the
whole observation), four action dimensions instead of RT-2's seven plus terminate.
"""

import numpy as np

from visual_essay import scene as S
from visual_essay.params import Choice

from .bins import bin_centre, discretize

TITLE = "One model, two vocabularies"

BINS = 256
STEP = 0.1  # metres: the range of each Δ is [-STEP, STEP]
DIMS = ("Δx", "Δy", "Δz", "grip")

# The toy corpus: instruction -> (text answer, three end-effector steps (Δx, Δy, Δz, grip)).
CORPUS = {
    "pick up the red cup": (
        "move above the red cup then close the gripper and lift",
        [(0.08, 0.05, -0.02, 1), (0.02, 0.01, -0.07, 1), (0.0, 0.0, 0.09, -1)]),
    "push the block left": (
        "lower behind the block then slide it to the left",
        [(0.03, 0.0, -0.08, -1), (-0.09, 0.01, 0.0, -1), (-0.08, 0.0, 0.0, -1)]),
    "open the drawer": (
        "grasp the drawer handle then pull it toward you",
        [(0.05, 0.07, -0.03, -1), (0.0, 0.02, 0.0, 1), (0.0, -0.09, 0.0, 1)]),
}
INSTRUCTIONS = tuple(CORPUS)

PARAMS = (
    Choice("output", ("text", "actions"), "actions", label="Output vocabulary"),
    Choice("instruction", INSTRUCTIONS, INSTRUCTIONS[0], label="Instruction"),
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
MAX_LEN = 16


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


def compute(output, instruction):
    tokens = generate(instruction, output)
    per_row = 4 if output == "actions" else 6
    rows = -(-len(tokens) // per_row)
    marks = []
    for i, token in enumerate(tokens):
        r, c = divmod(i, per_row)
        x0, y0 = c * 1.0, (rows - 1 - r) * 1.0
        colour = "orange" if output == "actions" else "blue"
        marks += [S.rect(x0 + 0.05, y0 + 0.12, x0 + 0.95, y0 + 0.88, color=colour, opacity=0.16,
                         stroke=colour),
                  S.text(x0 + 0.5, y0 + 0.5, token, size=8.5 if output == "actions" else 8),
                  S.text(x0 + 0.1, y0 + 0.8, str(i + 1), color="muted", size=6, anchor="start")]
        if output == "actions":
            marks.append(S.text(x0 + 0.5, y0 + 0.24, DIMS[i % 4], color="muted", size=6.5))
    strip = S.panel(marks, title=f"the model's output, token by token ({output})",
                    size=(3.8, 0.6 + 0.62 * rows),
                    x=S.axis(lim=(0, per_row), hidden=True), y=S.axis(lim=(0, rows), hidden=True))
    panels = [strip]
    readouts = [S.readout("tokens generated", len(tokens))]  # green dots: gripper closed
    if output == "actions":
        steps = detokenize(tokens)
        path = np.vstack([[0, 0, 0], np.cumsum(steps[:, :3], 0)])
        for (a, b), name in (((0, 1), "top view"), ((0, 2), "side view")):
            marks = [S.line(path[:, a], path[:, b], color="orange", width=2),
                     S.points(path[:1, a], path[:1, b], color="ink", size=3.5)]
            for k, (p, grip) in enumerate(zip(path[1:], steps[:, 3])):
                marks += [S.points([p[a]], [p[b]], color="green" if grip > 0 else "orange",
                                   size=4.5),
                          S.text(p[a] + 0.015, p[b] + 0.012, str(k + 1), size=8,
                                 anchor="start", valign="bottom")]
            panels.append(S.panel(marks, title=f"decoded motion, {name}", size=(2.5, 2.5),
                                  equal=True, x=S.axis("x (m)", lim=(-0.2, 0.2)),
                                  y=S.axis("yz"[b - 1] + " (m)", lim=(-0.16, 0.16))))
        readouts += [S.readout("RT-2-style string", " ".join(t[2:-1] for t in tokens[:4]) + " …"),
                     S.readout("final end-effector offset",
                               f"({path[-1, 0]:+.2f}, {path[-1, 1]:+.2f}, {path[-1, 2]:+.2f}) m")]
        alt = (f"Asked to '{instruction}' with the output restricted to action tokens, the same "
               f"model emits {len(tokens)} action tokens, three steps of four, which decode to an "
               f"end-effector path ending at ({path[-1, 0]:+.2f}, {path[-1, 1]:+.2f}, "
               f"{path[-1, 2]:+.2f}) m.")
    else:
        readouts.append(S.readout("answer", " ".join(tokens)))
        alt = (f"Asked to '{instruction}' with the output restricted to words, the model answers "
               f"in text: '{' '.join(tokens)}'.")
    return S.scene(panels, alt=alt, readouts=readouts)
