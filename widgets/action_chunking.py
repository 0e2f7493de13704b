"""Action chunking and temporal ensembling, as in ACT.

Models: a robot follows a reference motion with position control. Its policy is noisy in the way
a learned one is: every time it is queried it sees the current position (with sensor noise) and
predicts the next k target positions, heading back to the reference, but each prediction carries
its own error (an offset drawn afresh per query, as a model's mistakes differ from one input to
the next). Three ways to run the same policy (Zhao et al., ACT, arXiv 2304.13705):

- single-step (red): query every step, execute the first target; each new error is a new jump;
- chunked (green): query every k steps and execute all k targets open-loop, then re-plan;
- temporal ensembling (green, with the toggle): query every step, and execute for step t the
  weighted average of every chunk's prediction for t, w_i = exp(−m·i) with w_0 the OLDEST
  prediction, so older predictions weigh more (ACT's released code uses m = 0.01).

The figure measures what the paper's argument is about: smoothness (jerk: RMS of the third
difference of position) and tracking error (RMS distance to the reference). A push halfway shows
the price of open-loop chunks: when the object is bumped, they react only at the next query.

Simplifies: one dimension, a hand-written policy with explicit errors instead of a CVAE
transformer, 50 Hz steps as on ALOHA, chunks of up to 50 (ACT uses k = 100).
"""

import numpy as np

from visual_essay import scene as S
from visual_essay.params import Seed, Slider, Toggle

TITLE = "Action chunking and temporal ensembling"

STEPS = 150  # 3 s at ACT's 50 Hz
RETURN_RATE = 0.15  # the policy plans to remove this fraction of its error per step
SENSOR_NOISE = 0.01
PUSH_AT, PUSH = 75, 0.25
FRAMES = 15

PARAMS = (
    Slider("chunk", 1, 50, step=1, default=20, label="Chunk size k", unit="steps"),
    Slider("noise", 0.0, 0.1, step=0.005, default=0.04, label="Policy error"),
    Toggle("ensemble", False, label="Temporal ensembling"),
    Slider("m", 0.0, 0.5, step=0.01, default=0.01, label="Ensemble weight m"),
    Seed("seed", 4, label="New run"),
)


def reference(t):
    """Where the task wants the arm; at PUSH_AT the object is bumped and the goal shifts."""
    t = np.asarray(t)
    return 0.5 * np.sin(2 * np.pi * t / 100) + 0.2 * np.sin(2 * np.pi * t / 37) + \
        PUSH * (t >= PUSH_AT)


def predict_chunk(t, observed, k, error):
    """The policy's k target positions for steps t+1..t+k, from what it sees at step t (the arm,
    with sensor noise, and the object: a push after t is unknown to it)."""
    j = np.arange(1, k + 1)
    known = reference(t + j) - PUSH * ((t + j >= PUSH_AT) & (t < PUSH_AT))
    return known + (observed - reference(t)) * (1 - RETURN_RATE) ** j + error


def ensemble_weights(count, m):
    """ACT's weights for `count` predictions of one step, oldest first: w_i = exp(-m * i)."""
    w = np.exp(-m * np.arange(count))
    return w / w.sum()


def run(mode, k, noise, m, rng):
    """Executed positions (STEPS + 1,) under 'single', 'chunked' or 'ensembled' control."""
    errors = rng.normal(0, noise, STEPS)  # each query's own error
    sensor = rng.normal(0, SENSOR_NOISE, STEPS)
    k = 1 if mode == "single" else k
    p = np.empty(STEPS + 1)
    p[0] = reference(0)
    plan = None  # chunked: the targets still to execute
    predictions = {}  # ensembled: step -> [(query time, target)], oldest first
    for t in range(STEPS):
        observed = p[t] + sensor[t]
        if mode == "ensembled":
            for j, target in enumerate(predict_chunk(t, observed, k, errors[t]), start=1):
                predictions.setdefault(t + j, []).append(target)
            targets = np.array(predictions.pop(t + 1))
            p[t + 1] = ensemble_weights(len(targets), m) @ targets
        else:
            if t % k == 0:
                plan = list(predict_chunk(t, observed, k, errors[t]))
            p[t + 1] = plan.pop(0)
    return p


def jerk(p):
    """RMS third difference of position, leaving out the bump (a jump the task asks for)."""
    d3 = np.diff(p, 3)
    keep = np.abs(np.arange(len(d3)) - (PUSH_AT - 2)) > 2
    return float(np.sqrt(np.mean(d3[keep] ** 2)))


def tracking_error(p):
    return float(np.sqrt(np.mean((p - reference(np.arange(len(p)))) ** 2)))


def compute(chunk, noise, ensemble, m, seed):
    single = run("single", 1, noise, m, np.random.default_rng(seed))
    mode = "ensembled" if ensemble else "chunked"
    other = run(mode, chunk, noise, m, np.random.default_rng(seed))
    t = np.arange(STEPS + 1)
    name = f"ensembled, k = {chunk}" if ensemble else f"chunked, k = {chunk}"
    marks = [S.line(t, reference(t), color="teal", width=3, opacity=0.5, label="reference"),
             S.arrow(PUSH_AT, -1.05, PUSH_AT, -0.82, color="muted"),
             S.text(PUSH_AT + 2, -1.0, "object bumped", color="muted", size=8, anchor="start")]
    # Motion: the run unfolding. A chunk is executed as planned, so the plan in force at step
    # `now` is the next stretch of the executed path, from the last query on.
    stops = np.linspace(STEPS // FRAMES, STEPS, FRAMES).astype(int)
    for f, now in enumerate(stops):
        marks += [S.line(t[:now + 1], single[:now + 1], color="red", width=1.3, frame=f,
                         label="single-step (k = 1)"),
                  S.line(t[:now + 1], other[:now + 1], color="green", width=1.6, frame=f,
                         label=name)]
        if not ensemble and now < STEPS:
            query = (now // chunk) * chunk
            ahead = t[now + 1:min(query + chunk, STEPS) + 1]
            if len(ahead):
                marks.append(S.points(ahead, other[ahead], color="orange", size=1.8, frame=f,
                                      label="chunk still to execute"))
    track = S.panel(marks, title="executed position, 50 Hz", size=(4.4, 2.8),
                    legend="upper right", x=S.axis("time step", lim=(0, STEPS)),
                    y=S.axis("position", lim=(-1.1, 1.75)))

    names = ["single-step", name.split(",")[0]]
    jerks = [jerk(single), jerk(other)]
    errors = [tracking_error(single), tracking_error(other)]
    top_j = max(jerks) * 1.25 or 1.0
    bars = S.panel([
        S.rect(-0.35, 0, 0.35, jerks[0], color="red", opacity=0.8),
        S.rect(0.65, 0, 1.35, jerks[1], color="green", opacity=0.8),
        S.text(0, jerks[0] + top_j * 0.04, f"{jerks[0]:.3f}", size=8, valign="bottom"),
        S.text(1, jerks[1] + top_j * 0.04, f"{jerks[1]:.3f}", size=8, valign="bottom"),
    ], title="jerk (RMS 3rd difference)", size=(2.3, 2.8),
        x=S.axis(lim=(-0.7, 1.7), ticks=[0, 1], ticklabels=names), y=S.axis(lim=(0, top_j)))

    smoother = jerks[0] / max(jerks[1], 1e-12)
    return S.scene(
        [track, bars],
        motion=S.frames(FRAMES, label="time", labels=[f"step {n}" for n in stops],
                        key=[FRAMES // 2, FRAMES - 1], fps=5),
        alt=(f"Run single-step, the noisy policy jitters (jerk {jerks[0]:.3f}); {name} it is "
             f"{smoother:.1f} times smoother (jerk {jerks[1]:.3f}), with tracking error "
             f"{errors[1]:.3f} against {errors[0]:.3f}."),
        readouts=[
            S.readout("jerk, single-step", jerks[0], digits=3),
            S.readout(f"jerk, {names[1]}", jerks[1], digits=3),
            S.readout("smoother by", smoother, unit="×", digits=3),
            S.readout("tracking error, single-step", errors[0], digits=3),
            S.readout(f"tracking error, {names[1]}", errors[1], digits=3),
        ],
    )
