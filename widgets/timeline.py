"""The road from pure VLMs to embodied agents, as data.

Models: the milestones of the essay's facts sheet, each at the month of its first public paper or
release, drawn on four lanes. Step through them with the slider (the arrow keys move one at a
time); filter a lane with the menu. Papers: SayCan (arXiv 2204.01691), Gato (arXiv 2205.06175),
RT-1 (arXiv 2212.06817), PaLM-E (arXiv 2303.03378), Diffusion Policy (arXiv 2303.04137), ACT
(arXiv 2304.13705), RT-2 (arXiv 2307.15818), Open X-Embodiment (arXiv 2310.08864), OpenVLA
(arXiv 2406.09246), π0 (arXiv 2410.24164).

Simplifies: one date per milestone; the lanes are the essay's grouping, not the authors'.
"""

import numpy as np

from visual_essay import scene as S
from visual_essay.params import Choice, Slider

TITLE = "A timeline of robot foundation models"

LANES = ("language & planning", "policies", "data & tools", "VLAs")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

# year, month, short name, what it did, lane
MILESTONES = (
    (2022, 4, "SayCan", "a language model picks skills scored by robot affordances", 0),
    (2022, 5, "Gato", "one transformer for games, chat and a robot arm", 1),
    (2022, 12, "RT-1", "35M-parameter robotics transformer, 130k episodes from 13 robots, 3 Hz",
     1),
    (2023, 3, "PaLM-E", "562B embodied multimodal language model", 0),
    (2023, 3, "Diffusion Policy", "denoising action sequences, both modes kept", 1),
    (2023, 4, "ACT / ALOHA", "action chunking, low-cost bimanual teleoperation", 1),
    (2023, 7, "RT-2", "a VLM fine-tuned to emit action tokens", 3),
    (2023, 10, "Open X-Embodiment", "RT-X, and data from 22 embodiments", 2),
    (2023, 12, "Octo", "open generalist diffusion policy (93M, 800k trajectories; paper May 2024)",
     1),
    (2024, 5, "LeRobot", "open library and datasets", 2),
    (2024, 6, "OpenVLA", "open 7B VLA", 3),
    (2024, 10, "π0", "PaliGemma 3B + 300M flow-matching action expert, 50 Hz", 3),
    (2025, 1, "FAST", "action tokenization with DCT + BPE", 3),
    (2025, 2, "Helix", "Figure's humanoid VLA", 3),
    (2025, 2, "OpenVLA-OFT", "parallel decoding, 26× throughput, LIBERO 76.5% → 97.1%", 3),
    (2025, 3, "Gemini Robotics", "Google DeepMind's VLA on Gemini", 3),
    (2025, 3, "GR00T N1", "NVIDIA's humanoid foundation model", 3),
    (2025, 4, "π0.5", "open-world generalization", 3),
    (2025, 6, "SmolVLA", "450M parameters, trained on community data", 3),
)

PARAMS = (
    Slider("highlight", 1, len(MILESTONES), step=1, default=7, label="Milestone"),
    Choice("lane", ("all", *LANES), "all", label="Show"),
)


def when(record):
    """Decimal year at mid-month."""
    return record[0] + (record[1] - 0.5) / 12


def _slot(record):
    """How many earlier milestones share this one's month and lane."""
    same = [m for m in MILESTONES if m[:2] == record[:2] and m[4] == record[4]]
    return same.index(record)


def compute(highlight, lane):
    picked = MILESTONES[highlight - 1]
    shown = [m for m in MILESTONES if lane == "all" or LANES[m[4]] == lane]
    # Two panels, 2022-23 and 2024-25, side by side on a desktop and stacked on a phone.
    spans = ((2022.1, 2024.0, [2022, 2022.5, 2023, 2023.5]), (2024.0, 2025.9,
                                                               [2024, 2024.5, 2025, 2025.5]))
    panels = []
    for x0, x1, ticks in spans:
        marks = [S.segments(np.full(4, x0), np.arange(4), np.full(4, x1), np.arange(4),
                            color="gray", width=0.8, opacity=0.6)]
        marks += [S.text(x0 + 0.02, k + 0.32, name, color="muted", size=7, anchor="start")
                  for k, name in enumerate(LANES)]
        last_label, same_month = {}, {}
        for m in sorted(shown, key=when):
            if not x0 <= when(m) < x1:
                continue
            # Two milestones in one month and lane: the second sits a little higher.
            key = m[:2] + (m[4],)
            slot = same_month[key] = same_month.get(key, -1) + 1
            x, y = when(m), m[4] + 0.16 * slot
            marks.append(S.points([x], [y], color="blue", size=3.5))
            near_pick = abs(x - when(picked)) < 0.3 and picked[4] == m[4] and m is not picked
            if m is not picked and not near_pick and x - last_label.get(m[4], -1e9) > 0.3:
                marks.append(S.text(x, m[4] - 0.3, m[2], size=7))
                last_label[m[4]] = x
        if x0 <= when(picked) < x1:
            marks += [S.text(when(picked), picked[4] - 0.3, picked[2], color="red", size=8.5,
                             bold=True),
                      S.points([when(picked)], [picked[4] + 0.16 * _slot(picked)], color="red",
                               size=5.5)]
        panels.append(S.panel(
            marks, title=f"{int(x0)}–{int(x1) - 1 if x1 % 1 < 0.5 else int(x1)}", size=(4.2, 2.7),
            x=S.axis(lim=(x0, x1), ticks=ticks,
                     ticklabels=[str(int(t)) if t % 1 == 0 else "Jul" for t in ticks]),
            y=S.axis(lim=(-0.7, 3.6), hidden=True)))
    date = f"{MONTHS[picked[1] - 1]} {picked[0]}"
    return S.scene(
        panels,
        alt=(f"{len(shown)} milestones from {MONTHS[shown[0][1] - 1]} {shown[0][0]} to "
             f"{MONTHS[shown[-1][1] - 1]} {shown[-1][0]}; highlighted: {picked[2]}, {date}: "
             f"{picked[3]}."),
        readouts=[S.readout("milestone", f"{picked[2]} ({date})"),
                  S.readout("what it did", picked[3]),
                  S.readout("lane", LANES[picked[4]])],
    )
