"""Where LIBERO's reported scores sit: each suite's published success rates with the Wilson 95%
interval that the number of episodes behind them allows.

Models: the LIBERO benchmark (arXiv 2306.03310) as VLAs use it: four suites (Spatial, Object,
Goal, Long) of 10 tasks, each task scored over 50 episodes, so 500 episodes per suite
(arXiv 2502.19645 §V-A; the openvla README). The scores are the papers' and READMEs' own:
OpenVLA (arXiv 2406.09246, the mean of 3 seeds × 500), π0-FAST and π0 (arXiv 2502.19645 Table I
and the openpi LIBERO README: openpi's runs, untuned), OpenVLA-OFT (arXiv 2502.19645 Table I,
with a wrist camera, proprioception and filtered training data), π0.5 (the openpi LIBERO README,
September 2025, 30k steps).

Computes: for the chosen suite, each score's Wilson 95% interval as if it were one run of 500
episodes (2000 for the average of the four suites, read as one sample of all of them); which
intervals overlap the highest score's; and, for the one pair measured under the same protocol by
the same team (openpi's π0 and π0-FAST), the exact binomial probability that a rerun of as many
episodes would put them in the reported order, if their true rates were the reported ones.

Simplifies: a suite's episodes are treated as one sample, although its 10 tasks differ in
difficulty; OpenVLA's mean of three seeds is treated as one run, so its interval is wider than its
data warrant. The protocols differ (inputs, data filtering, tuning), so the figure places the
scores side by side without ranking them: an interval speaks for one score, not for a comparison
across protocols.
"""

from decimal import ROUND_HALF_UP, Decimal

from visual_essay import scene as S
from visual_essay.params import Choice, Value

from .trials import ahead_and_tie, percent, prob_text, wilson

TITLE = "Where LIBERO's reported scores sit"

SUITES = ("Spatial", "Object", "Goal", "Long")
EPISODES = 500  # per suite: 10 tasks × 50 episodes
AVERAGE = "average of the four"

# model -> (scores per suite and their average, in %; how it was run; source)
REPORTED = {
    "OpenVLA": (
        (84.7, 88.4, 79.2, 53.7, 76.5),
        "mean of 3 seeds",
        "arXiv 2406.09246; openvla README",
    ),
    "π0-FAST": (
        (96.4, 96.8, 88.6, 60.2, 85.5),
        "openpi, untuned",
        "arXiv 2502.19645 Table I; openpi LIBERO README",
    ),
    "π0": (
        (96.8, 98.8, 95.8, 85.2, 94.2),
        "openpi, untuned",
        "arXiv 2502.19645 Table I; openpi LIBERO README",
    ),
    "OpenVLA-OFT": (
        (97.6, 98.4, 97.9, 94.5, 97.1),
        "+ wrist, state; filtered",
        "arXiv 2502.19645 Table I",
    ),
    "π0.5": (
        (98.8, 98.2, 98.0, 92.4, 96.85),
        "openpi, 30k steps",
        "openpi LIBERO README, Sep 2025",
    ),
}
MODELS = tuple(REPORTED)
SAME_PROTOCOL = ("π0", "π0-FAST")  # both openpi's own untuned runs, reported together
COLORS = {
    "OpenVLA": "gray",
    "π0-FAST": "teal",
    "π0": "blue",
    "OpenVLA-OFT": "orange",
    "π0.5": "purple",
}

PARAMS = (Choice("suite", SUITES + (AVERAGE,), "Spatial", label="LIBERO suite"),)

# A value's name for each model: a reported score with its interval, "98.8% (97.4–99.4%)".
KEYS = {
    "OpenVLA": "openvla",
    "π0-FAST": "pi0_fast",
    "π0": "pi0",
    "OpenVLA-OFT": "oft",
    "π0.5": "pi05",
}
VALUES = tuple(
    Value(KEYS[m], f"{m}'s reported score and its Wilson 95% interval") for m in MODELS
) + (
    Value("overlap", "how many intervals overlap the highest score's"),
    Value("pair_gap", "how far apart π0's and π0-FAST's scores are", format="g", unit="points"),
    Value("rerun", "P(a rerun puts π0 ahead of π0-FAST), their scores taken as true rates"),
)


def episodes(suite):
    return EPISODES * (len(SUITES) if suite == AVERAGE else 1)


def score(model, suite):
    """The reported success rate (%) of ``model`` on ``suite``."""
    column = len(SUITES) if suite == AVERAGE else SUITES.index(suite)
    return REPORTED[model][0][column]


def intervals(suite):
    """model -> (reported %, Wilson low %, Wilson high %) at the suite's number of episodes."""
    n = episodes(suite)
    out = {}
    for m in MODELS:
        s = score(m, suite)
        low, high = wilson(s / 100 * n, n)
        out[m] = (s, 100 * low, 100 * high)
    return out


def overlapping_the_top(suite):
    """(the model with the highest score, the other models whose intervals overlap its interval)."""
    iv = intervals(suite)
    top = max(MODELS, key=lambda m: iv[m][0])
    return top, [m for m in MODELS if m != top and iv[m][2] >= iv[top][1]]


def rerun_order(suite):
    """P(a rerun puts π0 ahead of π0-FAST, and a tie), their true rates taken as reported."""
    first, second = SAME_PROTOCOL
    return ahead_and_tie(episodes(suite), score(second, suite) / 100, score(first, suite) / 100)


def _name(suite):
    return "the average of LIBERO's four suites" if suite == AVERAGE else f"LIBERO-{suite}"


def _short(suite):
    return "LIBERO average" if suite == AVERAGE else f"LIBERO-{suite}"


def _pct(x):
    """A reported score as printed: one decimal, like every other percentage of the figure (98.0;
    the README's 96.85 as 96.9: its second decimal is far below what 2,000 episodes resolve).
    Rounded half up from the decimal text, as a reader would, not from the binary float."""
    return f"{Decimal(str(x)).quantize(Decimal('0.1'), ROUND_HALF_UP)}%"


def _interval(iv):
    """A score and its interval as printed: "92.4% (89.7–94.4%)"."""
    s, low, high = iv
    return f"{_pct(s)} ({percent(low / 100)}–{percent(high / 100)}%)"


def _lowest():
    """The lowest interval end of any suite: every suite's axis starts below it."""
    return min(v[1] for suite in SUITES + (AVERAGE,) for v in intervals(suite).values())


LOWEST = _lowest()


# Panel b: the top of the scale, the same for every suite, where intervals of 2-4 points are
# wide enough to see which of them cross the top score's (shaded).
CEILING = (90, 100)
Y_LIM = (-0.5, len(MODELS) - 0.3)
BAND_OPACITY = 0.08  # the top score's band: text in any palette colour on it keeps 4.5:1


def below_the_ceiling(iv):
    """The models whose score lies below panel b's range (said in a label, not drawn)."""
    return [m for m in MODELS if iv[m][0] < CEILING[0]]


def cut_by_the_ceiling(iv):
    """The models whose interval starts below panel b's range and ends inside it: drawn from
    its upper end to the frame, where an arrowhead says it goes on."""
    return [m for m in MODELS if iv[m][1] < CEILING[0] <= iv[m][2]]


def ceiling(iv, top, rows):
    lo, hi = CEILING
    pad = 0.04 * (hi - lo)
    _, top_low, top_high = iv[top]
    # one colour for every suite (the top model's, it changed with the suite, and its key too):
    # a pale fill, under which every text colour keeps 4.5:1, drawn round in the axes' colour
    # (4.5:1 on the page), so that the band and its key's swatch stand out from the page
    cut = cut_by_the_ceiling(iv)
    # the band runs through the rows whose interval is drawn whole, never through a row with a
    # note at the frame ("← 84.7%, below 90%" ran into it and its edge struck through "90%":
    # facts review 10), one piece for each run of such rows, the key on the first
    whole = sorted(rows[m] for m in MODELS if iv[m][0] >= lo and m not in cut)
    runs = []
    for y in whole:
        if runs and y == runs[-1][1] + 1:
            runs[-1][1] = y
        else:
            runs.append([y, y])
    def edge(y, step):
        """A piece's edge half a row from its last row ``y``, a little nearer beside a row
        with a note (a cut interval's sits above its row, up to its top), the panel's at its
        end."""
        if y + step < 0 or y + step > len(MODELS) - 1:
            return Y_LIM[0] if step < 0 else Y_LIM[1]
        return y + step * (0.5 if y + step in whole else 0.4)

    marks = [
        S.rect(
            top_low,
            edge(first, -1),
            top_high,
            edge(last, 1),
            color="gray",
            opacity=BAND_OPACITY,
            stroke="muted",
            label="the top score's interval" if i == 0 else None,
        )
        for i, (first, last) in enumerate(runs)
    ]
    marks.append(S.vline([100], color="muted", dash=True))
    for m in MODELS:
        s, low, high = iv[m]
        y, c = rows[m], COLORS[m]
        # what lies below the range is printed at the frame: a score not drawn, or else the
        # lower end of a cut interval; on the row when nothing else is drawn there, above it
        # when the interval's part inside the range is
        if s < lo:
            note = f"← {_pct(s)}, below {lo}%"
        elif m in cut:
            note = f"← from {percent(low / 100)}%"
        else:
            note = None
        if note:
            marks.append(
                S.text(
                    lo - pad / 2,
                    y + 0.2 if m in cut else y,
                    note,
                    size=8.5,
                    color=c,
                    anchor="start",
                    valign="bottom" if m in cut else "middle",
                )
            )
        if high < lo:  # wholly below the range: the note alone
            continue
        if m in cut:  # the part inside the range, up to the frame, its arrowhead there
            marks += [
                S.arrow(high, y, lo - pad, y, color=c, width=2),
                S.segments([high], [y - 0.13], [high], [y + 0.13], color=c, width=2),
            ]
        else:
            marks.append(
                S.segments(
                    [low, low, high],
                    [y, y - 0.13, y - 0.13],
                    [high, low, high],
                    [y, y + 0.13, y + 0.13],
                    color=c,
                    width=2,
                )
            )
        if s >= lo:
            marks.append(S.points([s], [y], color=c, size=4.5))
    return S.panel(
        # a title of one line beside panel a in the guide's column (547 px at 1280)
        marks,
        title=f"zoom: {lo}–{hi}%",
        size=(2.4, 3.2),
        legend="above",
        x=S.axis(
            "reported success rate (%)", lim=(lo - pad, hi + pad), ticks=list(range(lo, hi + 1, 2))
        ),
        y=S.axis(lim=Y_LIM, ticks=[rows[m] for m in MODELS], ticklabels=list(MODELS)),
    )


# Panel a: its size, its plot's width in points (less the layout's margins, 46 and 12 points),
# and the gap in points between a value and its interval's cap.
SIZE_A = (3.1, 3.2)
PLOT_A = SIZE_A[0] * 72 - 58.0
VALUE_GAP = 8.0


def compute(suite):
    n = episodes(suite)
    iv = intervals(suite)
    top, near = overlapping_the_top(suite)
    ahead, tie = rerun_order(suite)

    # one row per model, top to bottom: its name and how it was run above its interval; one x
    # range for every suite, so the same width of interval looks the same in each
    lowest = LOWEST
    span = 100 - lowest
    data_lo = lowest - 0.06 * span
    rows = {m: len(MODELS) - 1 - i for i, m in enumerate(MODELS)}
    marks = [S.vline([100], color="muted", dash=True)]
    for m in MODELS:
        s, low, high = iv[m]
        y, c = rows[m] - 0.12, COLORS[m]
        room_right = high < 100 - 0.22 * span  # the value beside the interval, where it fits
        # the value VALUE_GAP points clear of the interval's cap (it was 3 points, pressed
        # against the whisker: the tenth graphics desk)
        gap = VALUE_GAP * (100 + 0.03 * span - data_lo) / PLOT_A
        marks += [
            S.text(
                data_lo,
                rows[m] + 0.16,
                f"{m} ({REPORTED[m][1]})",
                size=8.5,
                anchor="start",
                valign="bottom",
            ),
            S.segments(
                [low, low, high],
                [y, y - 0.13, y - 0.13],
                [high, low, high],
                [y, y + 0.13, y + 0.13],
                color=c,
                width=2,
            ),
            S.points([s], [y], color=c, size=4.5),
            S.text(
                high + gap if room_right else low - gap,
                y,
                _pct(s),
                size=8.5,
                color=c,
                anchor="start" if room_right else "end",
                bold=True,
            ),
        ]
    ticks = [t for t in S.nice_ticks(data_lo, 100, target=4) if t >= data_lo]
    panel = S.panel(
        # the title on one line in the guide's column: what the intervals are, on the x axis
        marks,
        title=f"{_short(suite)}, {n:,} episodes",
        size=SIZE_A,
        x=S.axis(
            "score, 95% interval (%); dashed: 100%", lim=(data_lo, 100 + 0.03 * span), ticks=ticks
        ),
        y=S.axis(lim=(-0.5, len(MODELS) - 0.3), hidden=True),
    )

    listed = "; ".join(f"{m} {_interval(iv[m])}" for m in MODELS)
    first, second = SAME_PROTOCOL
    alt = (
        f"Panel (a): reported success on {_name(suite)}, each with its Wilson 95% interval "
        f"at {n:,} episodes: {listed}. OpenVLA's score is the mean of 3 runs, drawn as one run of "
        f"{n:,} episodes. {len(near)} of the other {len(MODELS) - 1} intervals "
        f"{'overlaps' if len(near) == 1 else 'overlap'} the interval of the highest score "
        f"({top}). The protocols differ (OpenVLA-OFT adds a wrist camera and the robot's state "
        f"and filters its training data; openpi ran π0 and π0-FAST untuned), so the scores "
        f"are not a ranking. Under one protocol, if {first} and {second} truly succeeded at "
        f"their reported rates, a rerun of {n:,} episodes each would put {first} ahead with "
        f"probability {prob_text(ahead)} (a tie {prob_text(tie)}). Panel (b) enlarges the "
        f"range {CEILING[0]}–{CEILING[1]}%, with {top}'s interval shaded{_below(iv)}."
    )
    readouts = [S.readout(m, _interval(iv[m])) for m in MODELS]
    readouts += [
        # "the top one" read as the top row (OpenVLA's), not the highest score (the eighth desk)
        S.readout("intervals overlapping the highest", f"{len(near)} of {len(MODELS) - 1}"),
        S.readout(f"a rerun puts {first} ahead of {second}", prob_text(ahead)),
    ]
    values = {KEYS[m]: _interval(iv[m]) for m in MODELS}
    values.update(
        overlap=(
            f"{len(near)} of the other {len(MODELS) - 1} intervals "
            f"{'overlaps' if len(near) == 1 else 'overlap'} {top}'s"
        ),
        pair_gap=round(abs(score(first, suite) - score(second, suite)), 2),
        rerun=prob_text(ahead),
    )
    # aligned: side by side, each model's row at one height in both panels
    return S.scene(
        [panel, ceiling(iv, top, rows)], alt=alt, readouts=readouts, values=values, aligned=True
    )


def _below(iv):
    """The alt text's account of what panel b's range leaves out: which scores lie below it, and
    which intervals run out of it at its lower end (by value, not by position: "its left edge"
    pointed at the panel's layout)."""
    below, cut = below_the_ceiling(iv), cut_by_the_ceiling(iv)
    lo = CEILING[0]
    said = ""
    if below:
        lie = "score of {} lies" if len(below) == 1 else "scores of {} lie"
        said += f"; the {lie.format(S.and_list(below))} below {lo}%"
    if cut:
        one = len(cut) == 1
        runs = "interval of {} extends" if one else "intervals of {} extend"
        said += (f"; the {runs.format(S.and_list(cut))} below {lo}%: "
                 + ("an arrowhead marks where it is cut" if one else
                    "arrowheads mark where they are cut"))
    return said
