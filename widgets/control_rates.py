"""How fast robot foundation models decide, and how far a hand moves between two decisions.

Models: the control rates reported for each system (as checked in the essay's facts sheet): RT-1
about 3 Hz (arXiv 2212.06817); RT-2 55B at 1-3 Hz and 5B at about 5 Hz, in a cloud TPU service
(arXiv 2307.15818); OpenVLA about 6 Hz on one RTX 4090 (arXiv 2406.09246); Diffusion Policy 10 Hz
(arXiv 2303.04137); ACT 50 Hz (arXiv 2304.13705); π0 action chunks at up to 50 Hz
(arXiv 2410.24164); Figure's Helix plans at 7-9 Hz with a 200 Hz controller; NVIDIA's GR00T N1
runs 10 Hz and 120 Hz loops. The outline's "~3 Hz" is true of RT-1 and RT-2-55B only.

Computes: for a hand moving at the chosen speed, the distance it travels "blind" between two
decisions, speed / rate, for each system's policy rate or its fastest loop. Chunking and two-level
designs exist to shrink exactly this distance.

Simplifies: one number (or range) per system; real rates depend on hardware and settings.
"""

import numpy as np

from visual_essay import scene as S
from visual_essay.params import Choice, Slider

TITLE = "Control rates: how far the hand moves between decisions"

# name, policy rate (low, high) in Hz, fastest loop (low, high) in Hz, source
RECORDS = (
    ("RT-2 55B", (1, 3), (1, 3), "arXiv 2307.15818"),
    ("RT-1", (3, 3), (3, 3), "arXiv 2212.06817"),
    ("RT-2 5B", (5, 5), (5, 5), "arXiv 2307.15818"),
    ("OpenVLA", (6, 6), (6, 6), "arXiv 2406.09246"),
    ("Helix", (7, 9), (200, 200), "Figure, Feb 2025"),
    ("Diffusion Policy", (10, 10), (10, 10), "arXiv 2303.04137"),
    ("GR00T N1", (10, 10), (120, 120), "NVIDIA, Mar 2025"),
    ("ACT", (50, 50), (50, 50), "arXiv 2304.13705"),
    ("π0", (50, 50), (50, 50), "arXiv 2410.24164"),
)

PARAMS = (
    Slider("speed", 0.05, 2.0, step=0.05, default=0.5, label="Hand speed", unit="m/s"),
    Choice("loop", ("policy", "fastest loop"), "policy", label="Count decisions of the"),
)


def blind_distance(speed, rate_hz):
    """Metres travelled between two decisions."""
    return speed / np.asarray(rate_hz, dtype=float)


def compute(speed, loop):
    n = len(RECORDS)
    y = np.arange(n)[::-1]
    log_ticks = [0, 0.5, 1, 1.5, 2, 2.5]
    marks = []
    for yi, (name, policy, fastest, _) in zip(y, RECORDS):
        lo, hi = np.log10(policy)
        marks += [S.segments([lo], [yi], [hi if hi > lo else lo + 0.02], [yi], color="blue",
                             width=7),
                  S.text(-0.05, yi, name, size=8, anchor="end")]
        if fastest != policy:
            marks.append(S.points([np.log10(fastest[0])], [yi], color="orange", size=4,
                                  label="low-level loop" if name == "Helix" else None))
    marks += [S.segments([np.log10(3)], [-0.7], [np.log10(3)], [n - 0.3], color="gray",
                         width=1, opacity=0.6),
              S.text(np.log10(3) + 0.04, -0.55, "the outline's ~3 Hz", color="muted", size=7,
                     anchor="start")]
    rates = S.panel(marks, title="decisions per second (log scale)", size=(4.6, 3.0),
                    legend="upper right",
                    x=S.axis("rate (Hz)", lim=(-1.0, 2.5), ticks=log_ticks,
                             ticklabels=["1", "3", "10", "30", "100", "300"]),
                    y=S.axis(lim=(-0.9, n - 0.4), hidden=True))

    key = 1 if loop == "policy" else 2
    worst = [blind_distance(speed, r[key][0]) * 100 for r in RECORDS]
    best = [blind_distance(speed, r[key][1]) * 100 for r in RECORDS]
    top = max(worst) * 1.3
    bars = []
    for yi, (name, *_), far, near in zip(y, RECORDS, worst, best):
        bars += [S.rect(0, yi - 0.32, far, yi + 0.32, color="red", opacity=0.75),
                 S.text(far + top * 0.02, yi, f"{name}: " +
                        (f"{near:.1f}–{far:.1f} cm" if far - near > 0.05 else f"{far:.1f} cm"),
                        size=7.5, anchor="start")]
    distance = S.panel(bars, title=f"moved blind at {speed:g} m/s", size=(3.8, 3.0),
                       x=S.axis("cm between decisions", lim=(0, top * 1.35)),
                       y=S.axis(lim=(-0.9, n - 0.4), hidden=True))
    rt2 = RECORDS[0]
    return S.scene(
        [rates, distance],
        alt=(f"At {speed:g} m/s, counting {loop} decisions, RT-2 55B's hand moves "
             f"{best[0]:.0f}–{worst[0]:.0f} cm between decisions, OpenVLA's "
             f"{worst[3]:.1f} cm, and ACT's {worst[7]:.1f} cm."),
        readouts=[S.readout(f"{rt2[0]}", f"{best[0]:.1f}–{worst[0]:.1f} cm"),
                  S.readout("OpenVLA", f"{worst[3]:.1f} cm"),
                  S.readout("Helix", f"{best[4]:.1f}–{worst[4]:.1f} cm"),
                  S.readout("ACT", f"{worst[7]:.1f} cm")],
    )
