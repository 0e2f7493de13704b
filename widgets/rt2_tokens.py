"""The RT-2 tokenizer: a continuous robot action becomes a string of integers, and back.

Models: RT-2 (Brohan et al., arXiv 2307.15818) uses RT-1's action space (arXiv 2212.06817): an end
effector's Δposition (x, y, z), Δrotation (roll, pitch, yaw) and gripper, each discretized
uniformly into 256 bins, plus a terminate flag. The model emits the eight integers as text, e.g.
"1 128 91 241 5 101 127 217". With PaLI-X, every integer up to 1000 already has its own token, so
bin k is simply the token for "k"; PaLM-E instead overwrote its 256 least-used tokens. OpenVLA
(Kim et al., arXiv 2406.09246) bins each of its 7 dimensions between the 1st and 99th percentile
of its training data and overwrites the last 256 ids of Llama 2's 32,000-token vocabulary; its
released ActionTokenizer counts down from the end, so bin k is id 31999 − k.

Simplifies: the per-dimension ranges below are illustrative (normalized Δposition and gripper in
[−1, 1], Δrotation in [−π/2, π/2]); a real model takes them from its data. Decoding returns bin
centres, so the round trip is exact to within half a bin, which is what this figure checks.
"""

import numpy as np

from visual_essay import scene as S
from visual_essay.params import Choice, Seed, Toggle, Value

from .bins import bin_centre, discretize

TITLE = "Tokenizing a 7-DoF action as RT-2 does"

BINS = 256
DIMS = ("Δx", "Δy", "Δz", "roll", "pitch", "yaw", "grip")
LOW = np.array([-1, -1, -1, -np.pi / 2, -np.pi / 2, -np.pi / 2, -1.0])
HIGH = -LOW
LLAMA_VOCAB = 32_000
# Inches. The two panels share one height, so that neither floats beside the other in their
# row (the strip of eight cards was 1.45 in beside a 2.6 in plot): the cards sit four to a row
# in a panel a phone's column wide, where they keep their size.
HEIGHT = 2.4
ROUND_TRIP = (5.0, HEIGHT)
CARDS = (3.3, HEIGHT)
PER_ROW, ROWS, ROW = 4, 2, 1.4  # cards to a row, rows, a row's height (a card and its name)
CARD_TINT = 0.18  # a card's fill: its colour at this opacity
# Where the ±½-bin band's label starts, right of "grip" (x = 6): wide, and on a phone.
BAND_LABEL_X, BAND_LABEL_X_NARROW = 6.45, 6.4
BAND_LABEL = ("its bin", "± ½")
# (a)'s key: wide, and on a phone in the title's own words ("value to bin centre"), short
# enough for one row there (the wide words took two rows, 12 pt of a 2.6 in panel: the
# eleventh graphics desk); the phone's panel is then as tall as the wide one, 12 pt shorter.
KEY_WORDS = ("continuous action", "decoded: bin centre", "round-trip error")
KEY_WORDS_NARROW = ("value", "bin centre", "round-trip error")
PHONE_ROUND_TRIP = (S.NARROW_WIDTH, HEIGHT)

PARAMS = (
    Seed("seed", 7, label="New action"),
    Choice(
        "tokenizer",
        ("RT-2 (PaLI-X)", "OpenVLA (Llama 2)"),
        "RT-2 (PaLI-X)",
        label="Bins become tokens of",
    ),
    Toggle("terminate", False, label="Terminate the episode"),
)

VALUES = (
    Value(
        "worst",
        "the largest round-trip error of the seven dimensions",
        format=".2f",
        unit="of a bin",
    ),
)


# The flag's value convention is this toy's own: RT-2's paper, as facts.md quotes it, names a
# terminate flag but not which value ends the episode.
TERMINATE_LABEL = "terminate flag (this toy: 1 = end)"


def sample_action(rng):
    """A plausible action: small moves, a gripper mostly open or closed."""
    move = np.clip(rng.normal(0, 0.35, 3), -1, 1)
    turn = np.clip(rng.normal(0, 0.3, 3), -np.pi / 2, np.pi / 2)
    grip = np.clip(rng.choice([-0.9, 0.9]) + rng.normal(0, 0.08), -1, 1)
    return np.concatenate([move, turn, [grip]])


def tokenize_action(action):
    """Each dimension's bin index, 0..255, uniform over its range."""
    return np.array(
        [int(discretize(a, BINS, lo, hi)) for a, lo, hi in zip(action, LOW, HIGH, strict=True)]
    )


def detokenize(bins):
    """Bin centres: the action the robot actually executes."""
    return np.array(
        [float(bin_centre(k, BINS, lo, hi)) for k, lo, hi in zip(bins, LOW, HIGH, strict=True)]
    )


def rt2_string(bins, terminate):
    """The text RT-2 emits: the terminate flag, then the seven bins."""
    return " ".join(str(v) for v in [int(terminate), *bins])


def openvla_token_ids(bins):
    """OpenVLA's ids: the last 256 of Llama 2's vocabulary, counted down from the end."""
    return LLAMA_VOCAB - 1 - np.asarray(bins)


def bins_from_openvla_ids(ids):
    return LLAMA_VOCAB - 1 - np.asarray(ids)


def model_output(bins, terminate, openvla):
    """What the language model writes: RT-2's string, or OpenVLA's seven token ids."""
    return " ".join(map(str, openvla_token_ids(bins))) if openvla else rt2_string(bins, terminate)


def aligned(text, widest):
    """The model's output as it writes it, one space between numbers, then figure spaces (as wide
    as a digit, never broken) up to the widest output the tokenizer can write, so that it wraps
    the same way on a phone whatever the action. Padding each number instead left uneven gaps
    ("172 151   20")."""
    return text + "\u2007" * (widest - len(text))


def significant(x, figures=2):
    """``x`` to ``figures`` significant figures, trailing zeros kept and never in e-notation:
    0.0050, not 0.005 (the engine's ``.2g``) beside 0.0047, nor 1e-05."""
    x = float(x)
    if x == 0:
        return f"{0:.{figures - 1}f}"
    rounded = float(f"{x:.{figures - 1}e}")  # rounded first: 0.00996 is 0.010, not 0.0100
    decimals = max(figures - 1 - int(np.floor(np.log10(abs(rounded)))), 0)
    return f"{rounded:.{decimals}f}"


def own_units(action, decoded):
    """The worst dimension's round-trip error (the largest in bins) in that dimension's own
    units, naming it: "0.0061 rad (pitch)", "0.0039 (grip, range ±1)". Errors in radians and in
    normalized units are not compared: the worst is the one furthest from its bin centre."""
    error = np.abs(np.asarray(decoded) - np.asarray(action))
    dim = int(np.argmax(error / ((HIGH - LOW) / BINS)))
    name = DIMS[dim]
    shown = significant(error[dim])
    if name in ("roll", "pitch", "yaw"):
        return f"{shown} rad ({name})"
    return f"{shown} ({name}, range ±1)"


def _round_trip(offset, size, label_x, key=KEY_WORDS):
    """Panel (a)'s marks, size and axes: each value's offset from its bin centre, the centre,
    the error between them (named in the key by ``key``), and the ±½-bin band labelled on
    itself, in a column of its own right of the last dimension (no dot reaches it), for
    ``size`` inches."""
    value, centre, error = key
    x = np.arange(7)
    width = S.text_width(max(BAND_LABEL, key=len), 8, False)  # points
    # the x axis's right end: the label's column, as wide as the label at this size
    plot = size[0] * 72 - 58  # the plot's width, less its margins (y ticks and title, right)
    right = label_x + 0.25 + (label_x + 0.6) * width / (plot - width)
    return dict(
        marks=[
            # the author's order is the key's; the renderers draw bands, lines, then dots
            S.points(x, offset, color="ink", size=4, label=value),
            S.points(x, np.zeros(7), color="green", size=2.5, label=centre),
            S.segments(x, offset, x, np.zeros(7), color="red", width=2.5, label=error),
            S.hband(-0.5, 0.5, color="green", opacity=0.12),
            S.line([-0.6, 6.6], [0, 0], color="gray", width=0.8),
            # in the band's upper half, clear of the zero line
            *[
                S.text(label_x, 0.37 - 0.16 * i, line, size=8, anchor="start")
                for i, line in enumerate(BAND_LABEL)
            ],
        ],
        size=size,
        x=S.axis(lim=(-0.6, right), ticks=list(range(7)), ticklabels=list(DIMS)),
        y=S.axis("offset from bin centre (bins)", lim=(-0.62, 0.62), ticks=[-0.5, 0, 0.5]),
    )


def compute(seed, tokenizer, terminate):
    action = sample_action(np.random.default_rng(seed))
    bins = tokenize_action(action)
    decoded = detokenize(bins)
    width = (HIGH - LOW) / BINS
    openvla = tokenizer.startswith("OpenVLA")

    # The round trip in each dimension's own bin: the action's offset from its bin's centre, in
    # bins, and the centre decoding returns. Drawn on the action's own scale instead, the two
    # coincide (half a bin is 1/512 of a range) and the panel shows nothing of the round trip.
    offset = (action - decoded) / width
    round_trip = S.panel(
        **_round_trip(offset, ROUND_TRIP, BAND_LABEL_X),
        # one line on a phone too ("each value to its bin centre" left "centre" alone there)
        title="round-trip error: value to bin centre",
        legend="above",  # a corner would cover some actions' dots
        # on a phone, a wider column right of "grip" for the band's label, and a key of one row
        narrow=S.panel(
            **_round_trip(offset, PHONE_ROUND_TRIP, BAND_LABEL_X_NARROW, KEY_WORDS_NARROW),
            legend="above",
        ),
    )

    # The token cards: what the language model actually outputs, in reading order, four to a
    # row. Eight slots for either tokenizer: OpenVLA's first is the flag RT-2 has and it has not
    # (dashed, and red when the reader asks to end the episode: it has no token to say so).
    shown = [None, *bins] if openvla else [int(terminate), *bins]
    ids = openvla_token_ids(bins) if openvla else None
    marks = []
    for i, (value, name) in enumerate(zip(shown, ["flag", *DIMS], strict=True)):
        x, y = i % PER_ROW, (ROWS - 1 - i // PER_ROW) * ROW
        marks.append(S.text(x + 0.5, y + 1.15, name, color="muted", size=8))
        if value is None:
            colour = "red" if terminate else "muted"
            x0, x1 = x + 0.06, x + 0.94
            marks += [
                S.line(
                    [x0, x1, x1, x0, x0],
                    [y + 0.1] * 2 + [y + 0.9] * 2 + [y + 0.1],
                    color=colour,
                    dash=True,
                ),
                S.text(x + 0.5, y + 0.5, "none", color=colour, size=9),
            ]
            continue
        colour = "gray" if i == 0 else "teal"
        below = f"{ids[i - 1]}" if openvla else f'"{value}"'
        marks += [
            S.rect(
                x + 0.06, y + 0.1, x + 0.94, y + 0.9, color=colour, opacity=CARD_TINT, stroke=colour
            ),
            S.text(x + 0.5, y + 0.64, f"{value}", size=11, bold=True),
            # ink: purple on the card's pale teal read at 3.7:1, under WCAG's 4.5:1 for text
            S.text(x + 0.5, y + 0.3, below, color="ink", size=9),
        ]
    caption = (
        # one line at the cards' width, on every screen (the old titles left "each" or
        # "id 31999 − k" on a second line); the dashed slot says OpenVLA has no flag
        "OpenVLA: bin k is Llama id 31999 − k"
        if openvla
        else "RT-2: 8 integers, each a PaLI-X token"
    )
    strip = S.panel(
        marks,
        title=caption,
        size=CARDS,
        x=S.axis(lim=(0, PER_ROW), hidden=True),
        y=S.axis(lim=(0, ROWS * ROW), hidden=True),
    )

    worst = float(np.max(np.abs(offset)))
    text = model_output(bins, terminate, openvla)
    widest = len(model_output(np.full(7, BINS - 1), terminate, openvla))  # 3 digits a bin
    return S.scene(
        [round_trip, strip],
        alt=(
            f"The sampled action becomes bins {' '.join(map(str, bins))}"
            f"{' (Llama ids ' + text + ')' if openvla else ', emitted as the text ' + repr(text)}"
            f"; decoding the bin centres recovers every dimension to within "
            f"{worst:.2f} of a bin."
        ),
        # Values of one length at every setting first (the error to two decimals); the model's
        # output, as long as its numbers are, last: it never pulls a readout onto its line.
        readouts=[
            S.readout("worst round-trip error", f"{worst:.2f} bins"),
            # one number for seven dimensions of two ranges ("in each dimension's own units")
            # said neither which nor what unit: the worst one, named, in its own unit
            S.readout("the worst, in its dimension's units", own_units(action, decoded)),
            S.readout("vocabulary for actions", BINS, unit="tokens"),
            # facts.md gives RT-2's flag, not which value ends the episode: the convention
            # here is the toy's, and the label says so
            S.readout(
                TERMINATE_LABEL,
                ("end asked: no token" if terminate else "no token")
                if openvla
                else f"{int(terminate)}",
            ),
            S.readout("model output", aligned(text, widest)),
        ],
        values={"worst": worst},
    )
