"""What a chunk of actions costs to decode, against how long the robot takes to execute it.

Models: four ways a VLA turns one observation into a chunk of actions, each costed from the
latencies its paper measured, against the chunk's own duration at the robot's control rate.

- Autoregressive bins (OpenVLA, arXiv 2406.09246): one 256-bin token per action dimension, one
  forward pass per token: 7 dimensions × steps passes per chunk. Measured: about 6 Hz with 7
  tokens per action on one RTX 4090 (bfloat16). Derived: 1/6 s ÷ 7 ≈ 23.8 ms per pass.
- FAST (π0-FAST, arXiv 2501.09747): autoregressive over compressed tokens, about 30 per arm per
  one-second chunk whatever the control frequency. Measured: about 750 ms per chunk (about 100 ms
  for π0). Derived: 750 ms ÷ 30 = 25 ms per token, and a chunk of d seconds takes about 30·d
  tokens (at least one): the count follows the chunk's duration, not its number of steps.
- Parallel decoding (OpenVLA-OFT, arXiv 2502.19645): empty action slots and a bidirectional mask
  give the whole chunk in one forward pass. Measured: 109.7 actions per second on an A100, with the
  8-action chunks of its LIBERO configuration (NUM_ACTIONS_CHUNK = 8 in the released code). Derived:
  8 ÷ 109.7 ≈ 72.9 ms per pass, taken as the same for any chunk length.
- A 10-step flow head (π0, arXiv 2410.24164): one pass of the VLM over the observation, then 10
  forward-Euler passes of the 300M action expert. Measured: 73 ms per 50-action chunk on an RTX
  4090, of which the 10 action passes take 27 ms (so about 46 ms for the observation, derived),
  taken as the same for any chunk length.

Each formula reproduces its paper's measured point at the paper's own configuration (OpenVLA's
one-step chunk, π0-FAST's one-second chunk, OFT's 8-action chunk, π0's 50-action chunk); elsewhere
it is an extrapolation, labelled as such.

Computes: for the chosen control rate, chunk length and share of the chunk executed before the
next observation, each design's forward passes and time per chunk; whether it keeps up (decode
time ≤ the time the executed part lasts, so the next chunk is ready when it is needed, if it is
decoded while the current one runs); and the re-planning interval that results: the executed
part's duration if it keeps up, otherwise the decode time (the robot waits for the rest).

Simplifies: every pass of a design costs the same (no key-value cache speed-up beyond what the
measured averages contain); different GPUs (RTX 4090, A100) as the papers measured them; one arm
of 7 dimensions.
"""

import math

import numpy as np

from visual_essay import scene as S
from visual_essay.params import Slider

TITLE = "What a chunk costs to decode"

# Every measured number the figure uses: key -> (value, unit, what was measured, hardware, source)
MEASURED = {
    "openvla_rate": (6.0, "Hz", "OpenVLA actions per second, 7 tokens each", "one RTX 4090",
                     "arXiv 2406.09246"),
    "openvla_tokens": (7, "tokens", "OpenVLA tokens per action (one per dimension)", "",
                       "arXiv 2406.09246"),
    "fast_chunk": (0.750, "s", "π0-FAST time per chunk (about 750 ms)", "RTX 4090",
                   "arXiv 2501.09747"),
    "fast_tokens": (30, "tokens", "FAST tokens per arm per one-second chunk", "",
                    "arXiv 2501.09747"),
    "oft_throughput": (109.7, "actions/s", "OpenVLA-OFT actions generated per second", "A100",
                       "arXiv 2502.19645"),
    "oft_chunk": (8, "actions", "OpenVLA-OFT chunk on LIBERO (released code)", "",
                  "arXiv 2502.19645"),
    "pi0_chunk": (0.073, "s", "π0 time per 50-action chunk", "RTX 4090", "arXiv 2410.24164"),
    "pi0_action_passes": (0.027, "s", "π0's 10 action-expert passes", "RTX 4090",
                          "arXiv 2410.24164"),
    "pi0_steps": (10, "passes", "π0 forward-Euler steps", "", "arXiv 2410.24164"),
}
DIMS = 7  # one arm, as OpenVLA's action


def measured(key):
    return MEASURED[key][0]


# Derived, each from the measured numbers above (and stated as derived wherever shown).
BIN_PASS_S = 1 / measured("openvla_rate") / measured("openvla_tokens")  # ≈ 23.8 ms
FAST_TOKEN_S = measured("fast_chunk") / measured("fast_tokens")  # 25 ms
PARALLEL_PASS_S = measured("oft_chunk") / measured("oft_throughput")  # ≈ 72.9 ms
FLOW_PREFIX_S = measured("pi0_chunk") - measured("pi0_action_passes")  # 46 ms

DESIGNS = ("bins", "FAST", "parallel", "flow")
NAMES = {"bins": "autoregressive bins", "FAST": "FAST tokens", "parallel": "parallel decoding",
         "flow": "10-step flow head"}
SYSTEMS = {"bins": "OpenVLA, RTX 4090", "FAST": "π0-FAST, RTX 4090",
           "parallel": "OpenVLA-OFT, A100", "flow": "π0, RTX 4090"}

PARAMS = (
    Slider("rate", 10, 100, step=5, default=50, label="Robot control rate", unit="Hz"),
    Slider("chunk", 1, 100, step=1, default=50, label="Chunk length", unit="actions"),
    Slider("executed", 0.1, 1.0, step=0.05, default=0.5,
           label="Share of the chunk executed before re-planning"),
)


def fast_tokens(chunk, rate):
    """FAST tokens for one arm: about 30 per second of motion, at least one."""
    return max(1, round(measured("fast_tokens") * chunk / rate))


def passes(design, chunk, rate):
    """Forward passes to decode one chunk of ``chunk`` actions at ``rate`` Hz."""
    if design == "bins":
        return DIMS * chunk
    if design == "FAST":
        return fast_tokens(chunk, rate)
    if design == "parallel":
        return 1
    return 1 + int(measured("pi0_steps"))  # the VLM over the observation, then the flow steps


def decode_seconds(design, chunk, rate):
    """Seconds to decode one chunk."""
    if design == "bins":
        return passes("bins", chunk, rate) * BIN_PASS_S
    if design == "FAST":
        return passes("FAST", chunk, rate) * FAST_TOKEN_S
    if design == "parallel":
        return PARALLEL_PASS_S
    return measured("pi0_chunk")


# The chunk length (at a given rate) at which each design's time is its paper's measurement:
# OpenVLA's single action, π0-FAST's one-second chunk, OFT's 8 actions, π0's 50 actions.
MEASURED_AT = {"bins": lambda rate: 1, "FAST": lambda rate: rate,
               "parallel": lambda rate: int(measured("oft_chunk")), "flow": lambda rate: 50}


def executed_actions(chunk, executed):
    return max(1, min(chunk, int(round(executed * chunk))))


def plan(rate, chunk, executed):
    """Per design: passes, decode time, whether it keeps up, the re-planning interval (s)."""
    run = executed_actions(chunk, executed) / rate
    rows = {}
    for d in DESIGNS:
        t = decode_seconds(d, chunk, rate)
        rows[d] = {"passes": passes(d, chunk, rate), "decode": t, "keeps_up": t <= run,
                   "interval": max(run, t), "wait": max(0.0, t - run)}
    return run, rows


def _ms(seconds):
    """A duration as people read it: ms below a second, seconds above."""
    ms = seconds * 1000
    if ms < 995:
        return f"{ms:.0f} ms" if ms >= 9.95 else f"{ms:.1f} ms"
    return f"{seconds:.2g} s" if seconds < 9.95 else f"{seconds:.0f} s"


def _passes(n):
    return f"{n} pass" if n == 1 else f"{n} passes"


def _join(items):
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def compute(rate, chunk, executed):
    n_exec = executed_actions(chunk, executed)
    run, rows = plan(rate, chunk, executed)
    lasts = chunk / rate
    y = {d: 3 - i for i, d in enumerate(DESIGNS)}
    log = math.log10

    # 1. decode time per chunk against the time the chunk (and its executed part) lasts
    origin, values_at = 0.85, 4.45  # bars start at 7 ms; their numbers sit in a column at right
    marks = [
        S.segments([log(run * 1000)], [-0.5], [log(run * 1000)], [3.5], color="ink", width=1.4,
                   label=f"executed: {n_exec} action{'s' if n_exec > 1 else ''}, {_ms(run)}"),
        S.line([log(lasts * 1000)] * 2, [-0.5, 3.5], color="muted", width=1.2, dash=True,
               label=f"whole chunk: {_ms(lasts)}"),
    ]
    for d in DESIGNS:
        r = rows[d]
        ok = r["keeps_up"]
        marks += [
            S.rect(origin, y[d] - 0.3, log(r["decode"] * 1000), y[d] + 0.3,
                   color="green" if ok else "red", opacity=0.7),
            S.text(0.75, y[d] + 0.13, NAMES[d], size=8, anchor="end"),
            S.text(0.75, y[d] - 0.2, SYSTEMS[d], size=6.5, anchor="end", color="muted"),
            S.text(values_at, y[d] + 0.13, f"{_ms(r['decode'])}, {_passes(r['passes'])}",
                   size=7.5, anchor="start"),
            S.text(values_at, y[d] - 0.2,
                   "keeps up" if ok else f"robot waits {_ms(r['wait'])}", size=7,
                   anchor="start", color="green" if ok else "red"),
        ]
    timing = S.panel(marks, title=f"time to decode one {chunk}-action chunk", size=(4.8, 3.0),
                     legend="lower left",
                     x=S.axis("time per chunk (log scale)", lim=(-1.0, 6.1), ticks=[1, 2, 3, 4],
                              ticklabels=["10 ms", "100 ms", "1 s", "10 s"]),
                     y=S.axis(lim=(-1.75, 3.55), hidden=True))

    # 2. forward passes per chunk against chunk length
    ks = np.arange(1, 101)
    colors = {"bins": "red", "FAST": "orange", "parallel": "blue", "flow": "teal"}
    curves = {"bins": DIMS * ks,
              "FAST": np.maximum(1, np.round(measured("fast_tokens") * ks / rate)),
              "parallel": np.ones_like(ks),
              "flow": np.full_like(ks, 1 + int(measured("pi0_steps")))}
    tags = {"bins": "bins: 7 per action", "FAST": f"FAST: {measured('fast_tokens'):g} per s",
            "parallel": "parallel: 1", "flow": f"flow: 1 + {measured('pi0_steps'):g}"}
    lines = []
    for d in DESIGNS:
        below = d == "FAST" and rate < 40  # near the bins curve: label it under its own line
        lines += [S.line(ks, np.log10(curves[d]), color=colors[d], width=2),
                  S.text(100, log(curves[d][-1]) + (-0.22 if below else 0.08), tags[d], size=7.5,
                         color=colors[d], anchor="end", valign="top" if below else "bottom")]
    # where each formula is a measurement rather than an extrapolation
    at = {d: MEASURED_AT[d](rate) for d in DESIGNS}
    lines += [S.points([at[d] for d in DESIGNS], [log(passes(d, at[d], rate)) for d in DESIGNS],
                       color="gold", size=4, label="measured in the paper"),
              S.segments([chunk], [-0.15], [chunk], [3.4], color="gray", width=1, opacity=0.7),
              S.points([chunk] * 4, [log(rows[d]["passes"]) for d in DESIGNS], color="ink",
                       size=3)]
    count = S.panel(lines, title=f"forward passes per chunk at {rate} Hz", size=(3.6, 3.0),
                    legend="upper left",
                    x=S.axis("chunk length (actions)", lim=(0, 102), ticks=[1, 25, 50, 75, 100]),
                    y=S.axis("passes (log scale)", lim=(-0.15, 3.4), ticks=[0, 1, 2, 3],
                             ticklabels=["1", "10", "100", "1000"]))

    keep = [d for d in DESIGNS if rows[d]["keeps_up"]]
    behind = [d for d in DESIGNS if not rows[d]["keeps_up"]]

    def said(ds):
        return _join([f"{NAMES[d]} ({_ms(rows[d]['decode'])}, {_passes(rows[d]['passes'])})"
                      for d in ds])

    verdict = []
    if keep:
        verdict.append(f"{said(keep)} {'keeps' if len(keep) == 1 else 'keep'} up")
    if behind:
        verdict.append(f"{said(behind)} {'falls' if len(behind) == 1 else 'fall'} behind")
    alt = (f"At {rate} Hz a {chunk}-action chunk lasts {_ms(lasts)}, and executing {n_exec} of "
           f"its actions before re-planning takes {_ms(run)}: " + "; ".join(verdict) + ".")
    readouts = [S.readout("executed part lasts", _ms(run))]
    readouts += [S.readout(NAMES[d], f"{_ms(rows[d]['decode'])} → re-plans every "
                                     f"{_ms(rows[d]['interval'])}") for d in DESIGNS]
    return S.scene([timing, count], alt=alt, readouts=readouts)
