"""Diffusion Policy's claims, checked on the widget's real sampler and exact denoiser."""

import numpy as np
import pytest

from widgets import diffusion_policy as dp


def final_paths(sampler, steps, n=200, seed=0):
    history, _ = dp.sample(sampler, steps, np.random.default_rng(seed), n)
    return dp.as_paths(history[-1])


@pytest.mark.parametrize("sampler,steps", [("DDIM", 10), ("DDPM", 100), ("DDIM", 5)])
def test_samples_land_in_both_modes_and_none_crosses_the_obstacle(sampler, steps):
    paths = final_paths(sampler, steps)
    left = np.mean([dp.side_of(p) == "left" for p in paths])
    assert 0.2 < left < 0.8, f"{left:.0%} went left"
    assert min(dp.clearance(p) for p in paths) > 0.05


def test_the_mse_policy_averages_the_modes_into_the_obstacle():
    assert dp.clearance(dp.mse_policy_path()) < -0.2
    assert abs(dp.mse_policy_path()[dp.H // 2, 0]) < 0.1  # straight down the middle


def test_every_sample_commits_to_one_side_rather_than_averaging():
    paths = final_paths("DDIM", 10)
    middle = np.abs(paths[:, dp.H // 2, 0])
    assert middle.min() > 0.4  # nobody hugs the middle


def test_the_exact_denoiser_returns_a_demonstration_at_small_noise():
    a = dp.ALPHA_BAR[1]
    for i in (0, 5, 17):
        x0 = dp.DATA[i]
        estimate = dp.denoise((np.sqrt(a) * x0)[None], a)[0]
        assert np.abs(estimate - x0).max() < 0.01


def test_at_high_noise_the_denoiser_predicts_the_mean_of_the_demonstrations():
    a = dp.ALPHA_BAR[dp.T]
    estimate = dp.denoise(np.random.default_rng(0).standard_normal((1, 2 * dp.H)), a)[0]
    assert np.abs(estimate - dp.DATA.mean(0)).max() < 0.05


def test_the_forward_process_ends_in_pure_noise():
    assert dp.ALPHA_BAR[0] == 1.0 and dp.ALPHA_BAR[dp.T] < 1e-3
    assert np.all(np.diff(dp.ALPHA_BAR) < 0)


def test_ddpm_uses_all_hundred_steps_and_ddim_the_number_asked():
    assert len(dp.timesteps("DDPM", 10)) - 1 == 100
    assert len(dp.timesteps("DDIM", 10)) - 1 == 10
    assert dp.timesteps("DDIM", 10)[0] == 100 and dp.timesteps("DDIM", 10)[-1] == 0


def test_too_few_ddim_steps_blend_the_modes_and_some_paths_cut_through():
    paths = final_paths("DDIM", 2)
    assert min(dp.clearance(p) for p in paths) < 0
