"""What a chunk of actions costs to decode, against how long the robot takes to execute it.

Models: four ways a VLA turns one observation into a chunk of actions, each costed from the
latencies its paper measured, against the chunk's own duration at the robot's control rate.

- Autoregressive bins (OpenVLA, arXiv 2406.09246): one 256-bin token per action dimension, one
  forward pass per token: 7 dimensions × steps passes per chunk. Measured: about 6 Hz with 7
  tokens per action on one RTX 4090 (bfloat16). Derived: 1/6 s ÷ 7 ≈ 23.8 ms per pass.
- FAST (π0-FAST, arXiv 2501.09747): π0's backbone reads the observation, then decodes compressed
  tokens one forward pass each, "typically 30–60 action tokens" per one-second chunk (about 30 per
  arm whatever the control frequency). Measured: about 750 ms per chunk (π0: within about 100 ms,
  both on an RTX 4090). Modelled as π0's observation pass (73 − 27 = 46 ms, derived below) plus a
  fixed cost per token; with 30 tokens for the 750 ms, (750 − 46) ÷ 30 ≈ 23.5 ms per token. A chunk
  of d seconds takes about 30·d tokens (at least one), so the count follows the chunk's duration,
  not its number of steps; the paper's upper end, 60 tokens per second, is drawn beside it.
- Parallel decoding (OpenVLA-OFT, arXiv 2502.19645): empty action slots and a bidirectional mask
  give the whole chunk in one forward pass. Measured: 109.7 actions per second on an A100 (the
  single-image configuration). Assumed, not checked against the paper: that those actions came in
  chunks of 8 (the released code's LIBERO setting). Derived from both: 8 ÷ 109.7 ≈ 72.9 ms per
  pass, taken as the same for any chunk length.
- A 10-step flow head (π0, arXiv 2410.24164): one pass of the VLM over the observation, then 10
  forward-Euler passes of the 300M action expert. Measured: 73 ms per 50-action chunk on an RTX
  4090, of which the 10 action passes take 27 ms (so about 46 ms for the observation, derived),
  taken as the same for any chunk length.

Each formula reproduces its paper's measured time at the paper's own configuration (OpenVLA's
one-step chunk, π0-FAST's one-second chunk, OFT's assumed 8-action chunk, π0's 50-action chunk);
elsewhere it is an extrapolation, labelled as such. The passes panel marks those configurations:
in ink where the pass count is the paper's (OpenVLA's 7 tokens, π0's 1 + 10 passes), in purple
where it rests on an assumption (π0-FAST's 30 tokens for its 750 ms, OFT's 8-action chunk).

Computes: for the chosen control rate, chunk length and share of the chunk executed before the
next observation, each design's forward passes and time per chunk, and the re-planning interval in
one of two modes. Synchronous (π0 on its 50 Hz robots, arXiv 2410.24164): the robot executes its
actions, then stops while the next chunk is decoded, so it re-plans every executed part plus the
decode time and moves for run ÷ (run + decode) of the time. Asynchronous (as real-time chunking and
SmolVLA run): the next chunk is decoded while the current one runs; a design keeps up when its
decode time is at most the executed part's duration, and otherwise the robot waits for the rest, so
it re-plans every max(run, decode).

Simplifies: every pass of a design costs the same (no key-value cache speed-up beyond what the
measured averages contain); different GPUs (RTX 4090, A100) as the papers measured them; one arm
of 7 dimensions.
"""

import math

import numpy as np

from visual_essay import scene as S
from visual_essay.params import Choice, Slider, Value

TITLE = "What a chunk costs to decode"

# Every measured number the figure uses: key -> (value, unit, what was measured, hardware, source)
MEASURED = {
    "openvla_rate": (
        6.0,
        "Hz",
        "OpenVLA actions per second, 7 tokens each",
        "one RTX 4090",
        "arXiv 2406.09246",
    ),
    "openvla_tokens": (
        7,
        "tokens",
        "OpenVLA tokens per action (one per dimension)",
        "",
        "arXiv 2406.09246",
    ),
    "fast_chunk": (
        0.750,
        "s",
        "π0-FAST time per chunk (about 750 ms)",
        "RTX 4090",
        "arXiv 2501.09747",
    ),
    "fast_tokens": (
        30,
        "tokens",
        "FAST tokens per arm per one-second chunk; the low end of the paper's 30–60 per chunk",
        "",
        "arXiv 2501.09747",
    ),
    "fast_tokens_high": (
        60,
        "tokens",
        "the high end of the paper's 30–60 tokens per chunk",
        "",
        "arXiv 2501.09747",
    ),
    "oft_throughput": (
        109.7,
        "actions/s",
        "OpenVLA-OFT actions generated per second",
        "A100",
        "arXiv 2502.19645",
    ),
    "pi0_chunk": (0.073, "s", "π0 time per 50-action chunk", "RTX 4090", "arXiv 2410.24164"),
    "pi0_action_passes": (
        0.027,
        "s",
        "π0's 10 action-expert passes",
        "RTX 4090",
        "arXiv 2410.24164",
    ),
    "pi0_steps": (10, "passes", "π0 forward-Euler steps", "", "arXiv 2410.24164"),
}
# What the figure assumes where a paper gives no number: key -> (value, unit, what is assumed)
ASSUMED = {
    "oft_chunk": (
        8,
        "actions",
        "OpenVLA-OFT's chunk in its throughput measurement (the released "
        "code's LIBERO setting; not checked against the paper)",
    ),
}
DIMS = 7  # one arm, as OpenVLA's action


def measured(key):
    return MEASURED[key][0]


def assumed(key):
    return ASSUMED[key][0]


# Derived, each from the measured numbers above (and stated as derived wherever shown).
BIN_PASS_S = 1 / measured("openvla_rate") / measured("openvla_tokens")  # ≈ 23.8 ms
PARALLEL_PASS_S = assumed("oft_chunk") / measured("oft_throughput")  # ≈ 72.9 ms
FLOW_PREFIX_S = measured("pi0_chunk") - measured("pi0_action_passes")  # 46 ms: the observation
FAST_TOKEN_S = (measured("fast_chunk") - FLOW_PREFIX_S) / measured("fast_tokens")  # ≈ 23.5 ms

DESIGNS = ("bins", "FAST", "parallel", "flow")
NAMES = {
    "bins": "autoregressive bins",
    "FAST": "FAST tokens",
    "parallel": "parallel decoding",
    "flow": "10-step flow head",
}
SYSTEMS = {
    "bins": "OpenVLA, RTX 4090",
    "FAST": "π0-FAST, RTX 4090",
    "parallel": "OpenVLA-OFT, A100",
    "flow": "π0, RTX 4090",
}

MODES = ("synchronous", "asynchronous")

PARAMS = (
    Choice("mode", MODES, "synchronous", label="Next chunk decoded"),
    Slider("rate", 10, 100, step=5, default=50, label="Robot control rate", unit="Hz"),
    Slider("chunk", 1, 100, step=1, default=50, label="Actions per chunk"),
    Slider(
        "executed",
        0.1,
        1.0,
        step=0.05,
        default=0.5,
        label="Share of the chunk executed before re-planning",
    ),
)

# The sentences' numbers, each for one mode whichever the figure shows, so a sentence about
# synchronous decoding stays about synchronous decoding.
VALUES = (
    Value("run", "how long the executed part of a chunk lasts"),
    Value("flow_sync", "the flow head's re-planning interval, decoded synchronously"),
    Value(
        "flow_moving",
        "the share of the time the robot moves with the flow head, synchronously",
        format=".0%",
    ),
    Value("fast_sync", "FAST's re-planning interval, decoded synchronously"),
    Value(
        "fast_moving",
        "the share of the time the robot moves with FAST, synchronously",
        format=".0%",
    ),
    Value(
        "bins_passes",
        "forward passes per-step bins take for the chunk",
        format="d",
        unit="forward passes",
    ),
    Value("bins_sync", "per-step bins' re-planning interval, decoded synchronously"),
    Value("fast_wait", "how long the robot waits for FAST's next chunk, asynchronously"),
    Value("bins_wait", "how long the robot waits for per-step bins' next chunk, asynchronously"),
    Value("fast_60", "FAST's time for a chunk of 60 tokens (the paper's upper end)"),
    Value("flow_decode", "the flow head's time to decode one chunk"),
    Value("parallel_decode", "parallel decoding's time to decode one chunk"),
    Value("fast_decode", "FAST's time to decode one chunk"),
)


def fast_tokens(chunk, rate, per_second=None):
    """FAST tokens for a chunk of ``chunk`` actions at ``rate`` Hz: ``per_second`` (by default the
    paper's 30, one arm) per second of motion, at least one."""
    per_second = measured("fast_tokens") if per_second is None else per_second
    return max(1, round(per_second * chunk / rate))


def passes(design, chunk, rate):
    """Forward passes to decode one chunk of ``chunk`` actions at ``rate`` Hz."""
    if design == "bins":
        return DIMS * chunk
    if design == "FAST":
        return 1 + fast_tokens(chunk, rate)  # the observation, then one pass per token
    if design == "parallel":
        return 1
    return 1 + int(measured("pi0_steps"))  # the VLM over the observation, then the flow steps


def decode_seconds(design, chunk, rate):
    """Seconds to decode one chunk."""
    if design == "bins":
        return passes("bins", chunk, rate) * BIN_PASS_S
    if design == "FAST":
        return fast_seconds(fast_tokens(chunk, rate))
    if design == "parallel":
        return PARALLEL_PASS_S
    return measured("pi0_chunk")


def fast_seconds(tokens):
    """π0-FAST's time for a chunk of ``tokens`` tokens: the observation pass, then the tokens."""
    return FLOW_PREFIX_S + tokens * FAST_TOKEN_S


# The chunk length (at a given rate) at which each design's time is its paper's measurement:
# OpenVLA's single action, π0-FAST's one-second chunk, OFT's (assumed) 8 actions, π0's 50 actions.
MEASURED_AT = {
    "bins": lambda rate: 1,
    "FAST": lambda rate: rate,
    "parallel": lambda rate: int(assumed("oft_chunk")),
    "flow": lambda rate: 50,
}
# Whether a design's pass count at that point is the paper's (OpenVLA: 7 tokens; π0: the
# observation and 10 flow steps) or rests on an assumption (π0-FAST's 30 tokens for its 750 ms;
# OFT's 8-action chunk).
COUNT_STATED = {"bins": True, "FAST": False, "parallel": False, "flow": True}


def executed_actions(chunk, executed):
    return max(1, min(chunk, int(round(executed * chunk))))


def plan(rate, chunk, executed, mode="asynchronous"):
    """Per design: passes, decode time, the re-planning interval (s), and, asynchronously, whether
    it keeps up and how long the robot waits; synchronously, the pause and the share of the time
    the robot moves."""
    if mode not in MODES:
        raise ValueError(f"mode {mode!r}: expected one of {', '.join(MODES)}")
    run = executed_actions(chunk, executed) / rate
    rows = {}
    for d in DESIGNS:
        t = decode_seconds(d, chunk, rate)
        row = {"passes": passes(d, chunk, rate), "decode": t}
        if mode == "synchronous":  # execute, then stop and decode the next chunk
            row.update(interval=run + t, pause=t, moving=run / (run + t))
        else:  # decode the next chunk while this one runs
            row.update(interval=max(run, t), keeps_up=t <= run, wait=max(0.0, t - run))
        rows[d] = row
    return run, rows


def _ms(seconds):
    """A duration as people read it: ms below a second, seconds above."""
    ms = seconds * 1000
    if ms < 995:
        return f"{ms:.0f} ms" if ms >= 9.95 else f"{ms:.1f} ms"
    return f"{seconds:.3g} s"


def _passes(n):
    return f"{n} pass" if n == 1 else f"{n} passes"


ROW = 1.5  # rows of the timing panel: a line of words over each bar
BAR = 0.16  # a bar's half-height
# The words' anchor, in rows of about 28 pt per unit: they stand on BAR + 0.18, so that their
# descenders (0.21 em, 1.9 pt: "p" in "parallel") clear the bar by as much. At 0.22 they touched.
WORDS_ABOVE = BAR + 0.18
LABEL = 1.3  # the band's two-line name, this far over the top bar: clear of its name
TIME_LIM = (0.75, 4.6)  # the timing panel's axis, log10 of ms
# Two panels side by side in a guided figure's column on a wide screen (547 px at 1280 px): so
# the folded figure fits a 1280 × 800 screen under the header (stacked, its top was 114 px under
# it at the last step). Widths in inches, 96 px each, with the 0.6 em between them.
WIDTHS = (2.85, 2.7)
HEIGHT = 3.6
TEXT = 9.0  # points: the words the figure writes, in ink (grey 8.5 pt was 7-8 px high capitals)
TOP_PASSES = 3.1  # the passes panel's top (log10): just over the bins curve's end, 700
COLORS = {"bins": "red", "FAST": "orange", "parallel": "blue", "flow": "teal"}
DASHED = {"bins": True, "FAST": False, "parallel": True, "flow": False}  # a cue beside colour
SHORT = {"bins": "bins", "FAST": "FAST", "parallel": "parallel", "flow": "flow"}
# Where the curves' names start: one column, clear of whatever sits at chunk 100 (the chunk
# marker's dots, and from 95 Hz π0-FAST's square: 4.5 pt) by 4.5 pt at the panel's 0.98 pt per
# action. At 107, FAST's name touched its square at 100 Hz. A fixed column, not a label placed
# beside its point, so that no name jumps as the sliders move.
NAMES_AT = 109


def verdict(row, mode):
    """What a design's decode time does to the robot, in a few words."""
    if mode == "synchronous":
        return f"moves {row['moving']:.0%}"  # of the time; the pause is the decode time
    return "keeps up" if row["keeps_up"] else f"waits {_ms(row['wait'])}"


def compute(mode, rate, chunk, executed):
    n_exec = executed_actions(chunk, executed)
    run, rows = plan(rate, chunk, executed, mode)
    lasts = chunk / rate
    y = {d: ROW * (3 - i) for i, d in enumerate(DESIGNS)}
    log = math.log10
    fast_high = fast_seconds(fast_tokens(chunk, rate, measured("fast_tokens_high")))
    actions = "1 action" if n_exec == 1 else f"{n_exec} actions"

    # 1. decode time per chunk against the time the executed part of the chunk lasts: the
    # executed part is a grey band from the axis's start, so a bar that ends inside it is decoded
    # before that part has run (asynchronously: it keeps up). A band, not a line: the rows' words
    # may cross it. Each design's name above its bar and its numbers below.
    origin = 0.85  # bars start at 7 ms
    edge = log(run * 1000)
    marks = [
        S.vband(TIME_LIM[0], edge, color="gray", opacity=0.3),
        # named at its edge, in the free row above the bars: inside it, or right of it
        # when the band is too narrow
        S.text(
            edge,
            y["bins"] + LABEL,
            f"executed part\n{_ms(run)}",
            size=TEXT,
            beside=("left", "right"),
            gap=4,
        ),
    ]
    for d in DESIGNS:
        r = rows[d]
        marks += [
            S.rect(
                origin,
                y[d] - BAR,
                log(r["decode"] * 1000),
                y[d] + BAR,
                color=COLORS[d],
                opacity=0.85,
            ),
            # one line a design, its name, time and verdict beside each other over its bar:
            # a name line and a numbers line for each were eight lines of small type on the
            # band (the tenth graphics desk); the systems and GPUs are the chapter's and the
            # alt text's
            S.text(
                origin,
                y[d] + WORDS_ABOVE,
                f"{SHORT[d]}: {_ms(r['decode'])} · {verdict(r, mode)}",
                size=TEXT,
                anchor="start",
                valign="bottom",
            ),
        ]
    timing = S.panel(
        marks,
        title="time to decode a chunk",  # one line at every setting
        size=(WIDTHS[0], HEIGHT),
        x=S.axis(
            "time per chunk (log scale)",
            lim=TIME_LIM,
            ticks=[1, 2, 3, 4],
            ticklabels=["10 ms", "100 ms", "1 s", "10 s"],
        ),
        # the lowest bar over the axis by about its own height
        y=S.axis(lim=(-BAR - 0.3, 3 * ROW + LABEL + 0.6), hidden=True),
    )

    # 2. forward passes per chunk against chunk length, each curve named right of its end
    ks = np.arange(1, 101)
    curves = {
        "bins": DIMS * ks,
        "FAST": 1 + np.maximum(1, np.round(measured("fast_tokens") * ks / rate)),
        "parallel": np.ones_like(ks),
        "flow": np.full_like(ks, 1 + int(measured("pi0_steps"))),
    }
    high = 1 + np.maximum(1, np.round(measured("fast_tokens_high") * ks / rate))
    lines = [
        S.area(
            ks,
            np.log10(curves["FAST"]),
            np.log10(high),
            color="orange",
            opacity=0.2,
            label="FAST, 30–60 tokens per s",
        )
    ]
    for d in DESIGNS:
        lines += [
            S.line(ks, np.log10(curves[d]), color=COLORS[d], width=2, dash=DASHED[d]),
            S.text(
                NAMES_AT, log(curves[d][-1]), SHORT[d], size=TEXT, color=COLORS[d], anchor="start"
            ),
        ]
    # where each formula is a measurement rather than an extrapolation, and the current chunk
    at = {d: MEASURED_AT[d](rate) for d in DESIGNS}
    # the chunk marker ends just over its highest dot, clear of the legend above the curves
    top = max(log(rows[d]["passes"]) for d in DESIGNS) + 0.12
    lines += [
        S.segments([chunk], [-0.15], [chunk], [top], color="gray", width=1, opacity=0.7),
        S.points([chunk] * 4, [log(rows[d]["passes"]) for d in DESIGNS], color="gray", size=2.5),
        S.points(
            [at[d] for d in DESIGNS if COUNT_STATED[d]],
            [log(passes(d, at[d], rate)) for d in DESIGNS if COUNT_STATED[d]],
            color="ink",
            size=4.5,
            label="measured",
        ),
        S.points(
            [at[d] for d in DESIGNS if not COUNT_STATED[d]],
            [log(passes(d, at[d], rate)) for d in DESIGNS if not COUNT_STATED[d]],
            color="purple",
            size=4.5,
            shape="square",
            label="measured; count assumed",
        ),
    ]  # shape as well as colour
    # the legend above the plot: in a corner it sat against the rising bins curve
    count = S.panel(
        lines,
        title=f"passes per chunk, {rate} Hz",
        size=(WIDTHS[1], HEIGHT),
        legend="above",
        # padded left of 1: the dots at one action show whole
        x=S.axis("actions per chunk", lim=(-5, 134), ticks=[1, 25, 50, 75, 100]),
        y=S.axis(
            "passes (log scale)",
            lim=(-0.15, TOP_PASSES),
            ticks=[0, 1, 2, 3],
            ticklabels=["1", "10", "100", "1000"],
        ),
    )

    def said(ds):
        return S.and_list(
            [f"{NAMES[d]} ({_ms(rows[d]['decode'])}, {_passes(rows[d]['passes'])})" for d in ds]
        )

    head = (
        f"At {rate} Hz a {chunk}-action chunk lasts {_ms(lasts)}, and executing {actions} of "
        f"it before re-planning takes {_ms(run)}. "
    )
    if mode == "synchronous":
        body = (
            "Decoded synchronously, the robot stops while the next chunk is decoded: "
            + "; ".join(
                f"{NAMES[d]} ({_ms(rows[d]['decode'])}, "
                f"{_passes(rows[d]['passes'])}) re-plans every "
                f"{_ms(rows[d]['interval'])} and moves {rows[d]['moving']:.0%} of the "
                f"time"
                for d in DESIGNS
            )
            + "."
        )
    else:
        keep = [d for d in DESIGNS if rows[d]["keeps_up"]]
        behind = [d for d in DESIGNS if not rows[d]["keeps_up"]]
        verdicts = []
        if keep:
            verdicts.append(f"{said(keep)} {'keeps' if len(keep) == 1 else 'keep'} up")
        if behind:
            verdicts.append(f"{said(behind)} {'falls' if len(behind) == 1 else 'fall'} behind")
        body = "Decoded asynchronously, while the current chunk runs: " + "; ".join(verdicts) + "."
    # the systems and GPUs, which (a) no longer writes over the bars
    gpus = {}
    for d in DESIGNS:
        system, gpu = SYSTEMS[d].split(", ")
        gpus.setdefault(gpu, []).append(f"{system} ({SHORT[d]})")
    systems = S.and_list([f"{S.and_list(who)} on an {gpu}" for gpu, who in gpus.items()])
    tail = (
        f" The papers timed {systems}."
        f" At the paper's upper end of 60 tokens per second of motion, FAST would take "
        f"{_ms(fast_high)}."
    )
    readouts = [S.readout("executed part of the chunk lasts", _ms(run))]
    # short names (panel b's), so the readouts fall into the same rows at every setting
    readouts += [
        S.readout(f"{SHORT[d]}: re-plans every", _ms(rows[d]["interval"])) for d in DESIGNS
    ]
    readouts.append(S.readout("FAST at 60 tokens per s", _ms(fast_high)))
    _, sync = plan(rate, chunk, executed, "synchronous")
    _, ahead = plan(rate, chunk, executed, "asynchronous")
    values = {
        "run": _ms(run),
        "flow_sync": _ms(sync["flow"]["interval"]),
        "flow_moving": sync["flow"]["moving"],
        "fast_sync": _ms(sync["FAST"]["interval"]),
        "fast_moving": sync["FAST"]["moving"],
        "bins_passes": sync["bins"]["passes"],
        "bins_sync": _ms(sync["bins"]["interval"]),
        "fast_wait": _ms(ahead["FAST"]["wait"]),
        "bins_wait": _ms(ahead["bins"]["wait"]),
        "fast_60": _ms(fast_seconds(measured("fast_tokens_high"))),
        "flow_decode": _ms(sync["flow"]["decode"]),
        "parallel_decode": _ms(sync["parallel"]["decode"]),
        "fast_decode": _ms(sync["FAST"]["decode"]),
    }
    return S.scene([timing, count], alt=head + body + tail, readouts=readouts, values=values)
