"""Flow matching's claims (π0's formulation, arXiv 2410.24164), checked on the widget's exact
velocity field and Euler sampler beside Diffusion Policy's DDIM; and the figure's sentences,
checked against an independent recount."""

import json

import numpy as np
import pytest

from widgets import diffusion_policy as dp
from widgets import flow_matching as fm


def noise(n, seed):
    return np.random.default_rng(seed).standard_normal((n, dp.D))


def final(history):
    return dp.as_paths(history[-1])


# ---- independent references -----------------------------------------------------------------------

def euler_reference(steps, x):
    """π0's sampler written out: τ from 0 to 1 in steps of δ, A ← A + δ v(A, τ)."""
    history = [x]
    for k in range(steps):
        x = x + (1 / steps) * fm.velocity(x, k / steps)
        history.append(x)
    return np.array(history)


def monte_carlo_velocity(x, tau, draws=400_000, seed=0):
    """E[x0 − ε | x_τ = x] by self-normalised importance sampling: draw x0 from the smoothed
    demonstrations; given x0, ε = (x − τ x0) / (1 − τ) and p(x | x0) = N(τ x0, (1 − τ)² I)."""
    rng = np.random.default_rng(seed)
    x0 = dp.DATA[rng.integers(0, dp.DEMOS, draws)] + dp.SMOOTH * rng.standard_normal((draws, dp.D))
    logw = -((x - tau * x0) ** 2).sum(1) / (2 * (1 - tau) ** 2)
    w = np.exp(logw - logw.max())
    eps = (x - tau * x0) / (1 - tau)
    return (w[:, None] * (x0 - eps)).sum(0) / w.sum()


def dense_clearance(path, per_segment=400):
    s = np.linspace(0, 1, per_segment)[:, None]
    dense = np.concatenate([a * (1 - s) + b * s for a, b in zip(path[:-1], path[1:])])
    return np.min(np.linalg.norm(dense - dp.OBSTACLE, axis=1)) - dp.RADIUS


def side_at_obstacle_height(path):
    y = path[:, 1] - dp.OBSTACLE[1]
    k = int(np.flatnonzero((y[:-1] < 0) & (y[1:] >= 0))[0])
    x = path[k, 0] + (path[k + 1, 0] - path[k, 0]) * (-y[k]) / (y[k + 1] - y[k])
    return "left" if x < dp.OBSTACLE[0] else "right"


def recount(paths):
    names = ["through" if dense_clearance(p) < 0 else side_at_obstacle_height(p) for p in paths]
    return tuple(names.count(c) for c in ("left", "through", "right"))


def straightness_reference(history):
    """Loop over samples: distance from start to end over the summed step lengths."""
    out = []
    for b in range(history.shape[1]):
        route = history[:, b]
        length = sum(np.linalg.norm(route[k + 1] - route[k]) for k in range(len(route) - 1))
        out.append(np.linalg.norm(route[-1] - route[0]) / length)
    return np.mean(out)


def readouts(scene):
    return {r["label"]: r["text"] for r in scene["readouts"]}


# ---- the velocity field ---------------------------------------------------------------------------

@pytest.mark.parametrize("tau", [0.1, 0.4, 0.7, 0.9])
def test_the_closed_form_velocity_matches_a_monte_carlo_estimate_of_e_x0_minus_eps(tau):
    rng = np.random.default_rng(3)
    for i in (0, 7):  # a point x_τ drawn from the flow's own path, near demonstration i
        x = tau * (dp.DATA[i] + dp.SMOOTH * rng.standard_normal(dp.D)) + \
            (1 - tau) * rng.standard_normal(dp.D)
        exact = fm.velocity(x[None], tau)[0]
        assert np.abs(exact - monte_carlo_velocity(x, tau)).max() < 0.02, (tau, i)


@pytest.mark.parametrize("tau", [0.2, 0.5, 0.8])
def test_the_velocity_is_the_diffusion_denoisers_posterior_seen_through_the_straight_path(tau):
    """x_τ = τ x0 + (1 − τ) ε is a rescaled diffusion state with ᾱ = τ² / (τ² + (1 − τ)²), so
    v = (E[x0 | x_τ] − x) / (1 − τ) with diffusion_policy's own denoiser."""
    x = noise(5, 2) + tau * dp.DATA[:5]
    c = np.sqrt(tau ** 2 + (1 - tau) ** 2)
    via_denoiser = (dp.denoise(x / c, tau ** 2 / c ** 2) - x) / (1 - tau)
    assert np.abs(fm.velocity(x, tau) - via_denoiser).max() < 1e-9


def test_at_noise_time_the_velocity_points_from_the_noise_to_the_mean_of_the_demonstrations():
    x = noise(4, 0)
    assert np.abs(fm.velocity(x, 0.0) - (dp.DATA.mean(0) - x)).max() < 1e-12


@pytest.mark.parametrize("steps", [1, 3, 10, 50])
def test_the_fused_euler_sampler_takes_pi0s_euler_steps(steps):
    x = noise(21, steps)
    assert np.abs(fm.flow_sample(steps, x) - euler_reference(steps, x)).max() < 1e-9


# ---- the claims -----------------------------------------------------------------------------------

def test_with_one_step_flow_and_ddim_land_every_sample_on_the_mean_path_through_the_obstacle():
    mse = dp.mse_policy_path()
    for seed in range(5):
        x = noise(21, seed)
        for history in (fm.flow_sample(1, x), fm.ddim_sample(1, x)):
            paths = final(history)
            assert np.abs(paths - mse).max() < 0.02
            assert max(dense_clearance(p) for p in paths) < -0.25


@pytest.mark.parametrize("steps", [10, 20, 50])
def test_flow_with_ten_or_more_steps_keeps_both_modes_and_no_sample_crosses_the_obstacle(steps):
    for seed in range(8):
        paths = final(fm.flow_sample(steps, noise(21, seed)))
        left, through, right = recount(paths)
        assert through == 0, (steps, seed)
        assert left >= 3 and right >= 3, (steps, seed, left, right)
    many = final(fm.flow_sample(steps, noise(400, 99)))
    classes, gaps = dp.classify(many)
    assert gaps.min() > 0.05
    assert 0.35 < dp.counts(classes)[0] / 400 < 0.65


@pytest.mark.parametrize("steps", [2, 3, 5, 10, 20, 50])
def test_flows_trajectories_are_straighter_than_ddims_at_the_same_number_of_calls(steps):
    for seed in range(4):
        x = noise(21, seed)
        flow = fm.straightness(fm.flow_sample(steps, x))
        ddim = fm.straightness(fm.ddim_sample(steps, x))
        assert flow.mean() > ddim.mean() + 0.02, (steps, seed)
        assert (flow > ddim).mean() > 0.8  # sample by sample, too


def test_one_step_is_a_straight_line_for_both_samplers():
    x = noise(21, 0)
    assert np.allclose(fm.straightness(fm.flow_sample(1, x)), 1)
    assert np.allclose(fm.straightness(fm.ddim_sample(1, x)), 1)


def test_straightness_and_route_shape_measure_the_route_in_the_full_path_space():
    history = fm.ddim_sample(7, noise(6, 1))
    assert abs(fm.straightness(history).mean() - straightness_reference(history)) < 1e-12
    along, off = fm.route_shape(history)
    assert np.allclose(along[0], 0) and np.allclose(along[-1], 1)
    assert np.allclose(off[0], 0) and np.allclose(off[-1], 0, atol=1e-7)
    # a route along a straight line stays on it
    line = history[0] + np.linspace(0, 1, 5)[:, None, None] * (history[-1] - history[0])
    assert np.allclose(fm.route_shape(line)[1], 0, atol=1e-7)
    assert np.allclose(fm.straightness(line), 1)


@pytest.mark.parametrize("steps", [1, 7, 50])
def test_ddim_reuses_diffusion_policys_sampler_and_schedule(steps):
    x = noise(21, 4)
    assert np.array_equal(fm.ddim_sample(steps, x), dp.sample("DDIM", steps, x)[0])
    flow, ddim = fm.sample_both(steps, x)  # the side-by-side run the figure uses
    assert np.abs(ddim - dp.sample("DDIM", steps, x)[0]).max() < 1e-12
    assert np.abs(flow - fm.flow_sample(steps, x)).max() < 1e-12


# ---- the figure's sentences -----------------------------------------------------------------------

def said(scene, name):
    return readouts(scene)[f"{name}: left / through / right"]


@pytest.mark.parametrize("steps,seed", [(1, 0), (2, 0), (2, 5), (3, 3), (10, 3), (10, 12),
                                        (50, 1)])
def test_alt_text_and_readouts_state_the_counted_classes_and_straightness(steps, seed):
    x = np.random.default_rng(seed).standard_normal((fm.BATCH, dp.D))
    flow, ddim = euler_reference(steps, x), fm.ddim_sample(steps, x)
    scene = fm.compute(steps, seed)
    alt = scene["alt"]
    for name, history in (("flow", flow), ("DDIM", ddim)):
        left, through, right = recount(final(history))
        assert said(scene, name) == f"{left} / {through} / {right}"
        if left == right == 0:
            phrase = f"all {through} cut through the obstacle"
        else:
            cut = "none cut" if through == 0 else f"{through} cut{'s' if through == 1 else ''}"
            phrase = f"{left} pass{'es' if left == 1 else ''} left, {right} right, {cut} " \
                     f"through the obstacle"
        prefix = "Flow matching: of 21 samples, " if name == "flow" else "DDIM: "
        assert prefix + phrase in alt, name
        assert readouts(scene)[f"{name}: mean straightness"] == \
            f"{straightness_reference(history):.2g}"
    f, d = round(straightness_reference(flow), 2), round(straightness_reference(ddim), 2)
    if f > d:
        assert f"flow's routes are the straighter: mean straightness {f:.2f} against " \
               f"DDIM's {d:.2f}" in alt
    else:
        assert "equally straight" in alt or "DDIM's routes are the straighter" in alt
    assert readouts(scene)["network calls per sample, each"] == str(steps)
    assert ("1 network call per sample" if steps == 1 else f"{steps} network calls") in alt


def test_the_alt_text_says_samples_are_on_the_mean_path_only_when_they_are():
    for steps in (1, 2, 10):
        scene = fm.compute(steps, 0)
        x = np.random.default_rng(0).standard_normal((fm.BATCH, dp.D))
        for name, history in (("flow", fm.flow_sample(steps, x)), ("DDIM", fm.ddim_sample(steps, x))):
            gap = np.abs(final(history) - dp.mse_policy_path()).max()
            part = scene["alt"].split("DDIM:")[0 if name == "flow" else 1]
            assert ("of the mean of the demonstrations" in part) == (gap < fm.ON_MEAN)
            if gap < fm.ON_MEAN:
                assert f"every sample within {gap:.3f} of the mean" in part
    assert "of the mean of the demonstrations" in fm.compute(1, 0)["alt"]


def test_crossing_samples_are_drawn_orange_and_labelled_only_when_present():
    for steps, seed in [(2, 0), (10, 3)]:
        scene = fm.compute(steps, seed)
        for panel, name in zip(scene["panels"][:2], ("flow", "DDIM")):
            through = int(said(scene, name).split(" / ")[1])
            orange = [m for m in panel["marks"] if m["kind"] == "line" and m["color"] == "orange"]
            assert len(orange) == through
            assert any(m.get("label") == "cut through" for m in orange) == (through > 0)


@pytest.mark.parametrize("steps", [1, 10, 25, 50])
def test_the_scene_stays_within_forty_kilobytes(steps):
    for seed in (0, 2**31 - 1):
        assert len(json.dumps(fm.compute(steps, seed))) <= 40_000
