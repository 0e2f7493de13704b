"""Behavioral cloning drifts; DAgger brings it back.

Models: a point robot drives along a curved lane (x advances one step at a time; the action is the
sideways move). The lane is slightly unstable, like a cambered road: a sideways error grows by 8%
per step unless corrected. The expert corrects half of any error each step. Teal: the expert's
demonstrations, which stay inside a narrow band around the lane. Red: behavioral cloning, a k-nearest-
neighbour regression from state (x, y) to action fitted on those demonstrations and rolled out with
small action noise. Inside the band it copies the expert well; once noise pushes it outside, it meets
states no demonstration visited, its neighbours' actions no longer correct, and it rarely comes back.
Blue (DAgger toggle): the learner is rolled out, the expert labels every state it visited, the
labels are added to the data and the policy refitted, three times (Ross, Gordon & Bagnell, DAgger,
arXiv 1011.0686). Its data now covers the states its own mistakes lead to.

The right panel counts the steps spent off the demonstrated band, summed up to each horizon T and
averaged over 24 noise seeds: the cost J(T) of the theory. Ross & Bagnell (AISTATS 2010) bound
behavioral cloning's cost by J* + T²ε (errors compound: a mistake at step t costs every remaining
step); DAgger's bound is J* + uTε + O(1), linear in T. The readouts fit the growth exponent of each
curve on a log-log scale.

Simplifies: one sideways dimension, a 1-D lane, a k-NN learner instead of a network, and a 0-1 cost
(off the band or not). The exponents are measured on this toy, not taken from the papers.
"""

import numpy as np

from visual_essay import scene as S
from visual_essay.params import Seed, Slider, Toggle

TITLE = "Behavioral cloning drifts; DAgger corrects"

UNSTABLE = 0.08  # the lane pushes a sideways error out by this fraction per step
EXPERT_GAIN = 0.5  # the expert removes this fraction of the error per step
BAND = 0.12  # half-width of the band the demonstrations cover: leaving it counts as cost
K = 4  # neighbours averaged by the learner
DEMOS = 8
EVAL_SEEDS = 24
DAGGER_ROUNDS = 2  # the first reuses the BC rollouts
DAGGER_ROLLOUTS = 6
X_SCALE = 3.0  # phase is weighted more than position in the neighbour search (units of the lane)

PARAMS = (
    Slider("noise", 0.0, 0.08, step=0.005, default=0.03, label="Action noise"),
    Slider("horizon", 20, 150, step=10, default=100, label="Horizon T", unit="steps"),
    Toggle("dagger", True, label="Show DAgger"),
    Seed("seed", 1, label="New rollout"),
)


def lane(x):
    return 0.6 * np.sin(2 * np.pi * x) + 0.3 * x


def expert_action(x, y, dx):
    """Follow the lane and remove half the error, against the lane's own push."""
    error = y - lane(x)
    return lane(x + dx) - lane(x) - (UNSTABLE + EXPERT_GAIN) * error


def step(x, y, action, dx, noise, rng):
    error = y - lane(x)
    return x + dx, y + action + UNSTABLE * error + noise * rng.standard_normal(np.shape(y))


def demonstrations(horizon, rng, noise=0.02):
    """DEMOS expert rollouts (the teal paths): sideways positions (DEMOS, horizon + 1) and the
    expert's actions (DEMOS, horizon)."""
    dx = 1.0 / horizon
    y = np.empty((DEMOS, horizon + 1))
    actions = np.empty((DEMOS, horizon))
    y[:, 0] = lane(0) + rng.normal(0, 0.03, DEMOS)
    for t in range(horizon):
        x = t * dx
        actions[:, t] = expert_action(x, y[:, t], dx)
        y[:, t + 1] = step(x, y[:, t], actions[:, t], dx, noise, rng)[1]
    return y, actions


def knn_policy(ys, actions, horizon):
    """The fitted policy: the mean action of the K nearest training states. Every rollout visits
    the same x at step t, so the neighbours are searched among the states of steps t-1..t+1
    (x weighted by X_SCALE): the same answer as a search over all states, far faster."""
    dx = 1.0 / horizon
    ys, actions = ys[:, :horizon], actions[:, :horizon]

    def act(t, y):
        cols = slice(max(t - 1, 0), min(t + 2, horizon))
        cand_y, cand_a = ys[:, cols], actions[:, cols]
        dcol = (np.arange(cols.start, cols.stop) - t) * dx * X_SCALE
        d2 = (y[:, None, None] - cand_y[None]) ** 2 + dcol ** 2
        d2 = d2.reshape(len(y), -1)
        nearest = np.argpartition(d2, K - 1, axis=1)[:, :K]
        return cand_a.ravel()[nearest].mean(1)

    return act


def rollout(policy, horizon, noise, rng, starts):
    """Sideways positions (len(starts), horizon + 1) of the policy driven with action noise."""
    dx = 1.0 / horizon
    y = np.empty((len(starts), horizon + 1))
    y[:, 0] = starts
    for t in range(horizon):
        y[:, t + 1] = step(t * dx, y[:, t], policy(t, y[:, t]), dx, noise, rng)[1]
    return y


def run_dagger(ys, actions, horizon, noise, rng, first_rollouts):
    """DAgger: the expert labels the states the learner visited; aggregate, refit, repeat. The
    first round's rollouts are the behavioral-cloning rollouts already made."""
    x = np.arange(horizon) / horizon
    visited = first_rollouts
    for round_ in range(DAGGER_ROUNDS):
        labels = expert_action(x, visited[:, :horizon], 1.0 / horizon)
        ys = np.concatenate([ys[:, :horizon], visited[:, :horizon]])
        actions = np.concatenate([actions, labels])
        policy = knn_policy(ys, actions, horizon)
        if round_ < DAGGER_ROUNDS - 1:
            visited = rollout(policy, horizon, noise, rng,
                              lane(0) + rng.normal(0, 0.03, DAGGER_ROLLOUTS))
    return policy, ys.size


def off_band_cost(ys):
    """J(T): steps spent outside the demonstrated band, summed to each horizon, seed-averaged."""
    horizon = ys.shape[1] - 1
    x = np.arange(1, horizon + 1) / horizon
    off = np.abs(ys[:, 1:] - lane(x)) > BAND
    return off.mean(0).cumsum()


def growth_exponent(cost):
    """Slope of log J against log T over the horizons where the cost is not yet zero."""
    t = np.arange(1, len(cost) + 1)
    keep = (cost > 0.05) & (t >= len(cost) // 4)
    if keep.sum() < 3:
        return 0.0
    return float(np.polyfit(np.log(t[keep]), np.log(cost[keep]), 1)[0])


def compute(noise, horizon, dagger, seed):
    rng = np.random.default_rng(seed)
    demo_ys, demo_actions = demonstrations(horizon, rng)
    starts = lane(0) + rng.normal(0, 0.03, EVAL_SEEDS)
    bc_ys = rollout(knn_policy(demo_ys, demo_actions, horizon), horizon, noise, rng, starts)
    bc_cost = off_band_cost(bc_ys)
    x = np.arange(horizon + 1) / horizon

    xs = np.linspace(0, 1, 120)
    marks = [S.area(xs, lane(xs) - BAND, lane(xs) + BAND, color="teal", opacity=0.12,
                    label="demonstrated band")]
    marks += [S.line(x, y, color="teal", width=1, opacity=0.7) for y in demo_ys]
    marks.append(S.line(x, bc_ys[0], color="red", width=2, label="behavioral cloning"))
    t = np.arange(1, horizon + 1)
    cost_marks = [S.line(t, bc_cost, color="red", width=2, label="BC")]
    readouts = [S.readout("BC off-band steps J(T)", float(bc_cost[-1]), digits=3),
                S.readout("BC growth exponent", growth_exponent(bc_cost), digits=2)]
    summary = (f"Behavioral cloning spends {bc_cost[-1]:.1f} of {horizon} steps off the "
               f"demonstrated band, its cost growing roughly as T^{growth_exponent(bc_cost):.1f}")
    if dagger:
        policy, size = run_dagger(demo_ys, demo_actions, horizon, noise, rng,
                                  bc_ys[:DAGGER_ROLLOUTS])
        dg_ys = rollout(policy, horizon, noise, rng, starts)
        dg_cost = off_band_cost(dg_ys)
        marks.append(S.line(x, dg_ys[0], color="blue", width=2, label="DAgger"))
        cost_marks.append(S.line(t, dg_cost, color="blue", width=2, label="DAgger"))
        readouts += [S.readout("DAgger J(T)", float(dg_cost[-1]), digits=3),
                     S.readout("DAgger growth exponent", growth_exponent(dg_cost), digits=2),
                     S.readout("DAgger training states", size)]
        summary += (f"; DAgger spends {dg_cost[-1]:.1f}, growing as "
                    f"T^{growth_exponent(dg_cost):.1f}")
    top = max(1.0, float(bc_cost[-1]) * 1.1)
    # Reference shapes ending where the BC curve ends: quadratic and linear in T.
    cost_marks += [S.line(t, bc_cost[-1] * (t / horizon) ** 2, color="gray", dash=True, width=1,
                          label="∝ T²"),
                   S.line(t, bc_cost[-1] * (t / horizon), color="muted", dash=True, width=1,
                          label="∝ T")]
    paths_panel = S.panel(marks, title="the lane, the demos and one rollout", size=(4.8, 2.9),
                          legend="lower left", x=S.axis("x (progress along the lane)",
                                                         lim=(0, 1.0)),
                          y=S.axis("y (sideways)", lim=(-0.9, 1.4)))
    cost_panel = S.panel(cost_marks, title="cost J(T): steps off the band", size=(4.0, 2.9),
                         legend="upper left", x=S.axis("horizon T (steps)", lim=(0, horizon)),
                         y=S.axis(f"J(T), mean of {EVAL_SEEDS} runs", lim=(0, top)))
    return S.scene([paths_panel, cost_panel], alt=summary + ".", readouts=readouts)
