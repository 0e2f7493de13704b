"""Diffusion Policy's claims, checked on the widget's real sampler and exact denoiser; and the
figure's sentences, checked against an independent recount of what was drawn."""

import itertools
import json
import re

import numpy as np
import pytest

from visual_essay.params import resolve
from widgets import diffusion_policy as dp
from visual_essay.params import true_minus


def final_paths(sampler, steps, n=200, seed=0):
    rng = np.random.default_rng(seed)
    history, _ = dp.sample(sampler, steps, rng.standard_normal((n, dp.D)), rng)
    return dp.as_paths(history[-1])


# ---- independent references ----------------------------------------------------------------------


def textbook_sample(sampler, steps, seed, batch):
    """The reverse process written step by step with the reference denoiser, drawing the same
    random numbers as the widget (start noise, then DDPM's per-step noise all at once)."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((batch, dp.D))
    ts = dp.timesteps(sampler, steps)
    z = rng.standard_normal((len(ts) - 1, batch, dp.D)) if sampler == "DDPM" else None
    history = [x]
    for k, (t, t_next) in enumerate(zip(ts[:-1], ts[1:], strict=True)):
        a, a_next = dp.ALPHA_BAR[t], dp.ALPHA_BAR[t_next]
        x0 = dp.denoise(x, a)
        if t_next == 0:
            x = x0
        elif sampler == "DDPM":
            beta = 1 - a / a_next
            mean = (np.sqrt(a_next) * beta * x0 + np.sqrt(1 - beta) * (1 - a_next) * x) / (1 - a)
            x = mean + np.sqrt(beta * (1 - a_next) / (1 - a)) * z[k]
        else:
            eps = (x - np.sqrt(a) * x0) / np.sqrt(1 - a)
            x = np.sqrt(a_next) * x0 + np.sqrt(1 - a_next) * eps
        history.append(x)
    return np.array(history)


def dense_clearance(path, per_segment=400):
    """Clearance by brute force: many points along each segment."""
    s = np.linspace(0, 1, per_segment)[:, None]
    dense = np.concatenate([a * (1 - s) + b * s for a, b in zip(path[:-1], path[1:], strict=True)])
    return np.min(np.linalg.norm(dense - dp.OBSTACLE, axis=1)) - dp.RADIUS


def side_at_obstacle_height(path):
    """Which side a path that avoids the disc passes on: the sign of x where it first crosses
    the height of the disc's centre."""
    y = path[:, 1] - dp.OBSTACLE[1]
    k = int(np.flatnonzero((y[:-1] < 0) & (y[1:] >= 0))[0])
    x = path[k, 0] + (path[k + 1, 0] - path[k, 0]) * (-y[k]) / (y[k + 1] - y[k])
    return "left" if x < dp.OBSTACLE[0] else "right"


def recount(sampler, steps, seed):
    """(left, through, right) of the widget's 21 final paths, and the shown sample's class and
    clearance, recomputed independently of the widget's sampler and classifier."""
    paths = dp.as_paths(textbook_sample(sampler, steps, seed, 1 + dp.SAMPLES)[-1])
    names = []
    for p in paths:
        gap = dense_clearance(p)
        names.append("through" if gap < 0 else side_at_obstacle_height(p))
    counts = tuple(names.count(c) for c in ("left", "through", "right"))
    return counts, names[0], dense_clearance(paths[0])


def readouts(scene):
    return {r["label"]: r["text"] for r in scene["readouts"]}


def verdict_text(scene):
    """The words panel a writes about its finished sample (in its last frame only)."""
    [text] = [
        m
        for m in scene["panels"][0]["marks"]
        if m["kind"] == "text" and m["s"].startswith("this sample")
    ]
    assert text.get("frame") == scene["frames"]["count"] - 1
    return text["s"]


# ---- the science ---------------------------------------------------------------------------------


@pytest.mark.parametrize("sampler,steps", [("DDIM", 10), ("DDPM", 100), ("DDIM", 5)])
def test_samples_land_in_both_modes_and_none_crosses_the_obstacle(sampler, steps):
    classes, gaps = dp.classify(final_paths(sampler, steps))
    left, through, right = dp.counts(classes)
    assert 0.2 < left / len(classes) < 0.8, f"{left} of {len(classes)} went left"
    assert through == 0 and gaps.min() > 0.05


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


def test_the_exact_denoiser_matches_a_monte_carlo_posterior_mean():
    """E[x0 | x_t] by self-normalised importance sampling over draws of x0 from the smoothed
    demonstrations (x_t | x0 ~ N(√ᾱ x0, (1 − ᾱ) I)), against the closed form."""
    rng = np.random.default_rng(1)
    x0 = dp.DATA[rng.integers(0, dp.DEMOS, 400_000)]
    x0 += dp.SMOOTH * rng.standard_normal(x0.shape)
    for t in (20, 50, 80):
        a = dp.ALPHA_BAR[t]
        x_t = np.sqrt(a) * dp.DATA[3] + np.sqrt(1 - a) * rng.standard_normal(dp.D)
        logw = -((x_t - np.sqrt(a) * x0) ** 2).sum(1) / (2 * (1 - a))
        w = np.exp(logw - logw.max())
        estimate = (w[:, None] * x0).sum(0) / w.sum()
        assert np.abs(estimate - dp.denoise(x_t[None], a)[0]).max() < 0.01, t


def test_the_forward_process_ends_in_pure_noise():
    assert dp.ALPHA_BAR[0] == 1.0 and dp.ALPHA_BAR[dp.T] < 1e-3
    assert np.all(np.diff(dp.ALPHA_BAR) < 0)


def test_both_samplers_take_the_number_of_steps_asked_and_ddpm_at_100_every_noise_level():
    assert list(dp.timesteps("DDPM", 100)) == list(range(100, -1, -1))
    for sampler in ("DDIM", "DDPM"):
        assert len(dp.timesteps(sampler, 10)) - 1 == 10
        assert dp.timesteps(sampler, 10)[0] == 100 and dp.timesteps(sampler, 10)[-1] == 0


def test_the_steps_slider_acts_under_ddpm_too():
    """The review: under DDPM the "DDIM steps" slider stayed active while the readout said 100
    steps whatever it was set to. Strided ancestral steps make it act under both samplers."""
    scenes = [dp.compute("DDPM", steps, 3) for steps in (2, 10, 100)]
    said = [readouts(scene)["denoising steps"] for scene in scenes]
    assert said == ["2", "10", "100"]
    assert len({json.dumps(scene["panels"]) for scene in scenes}) == 3
    assert [p.label for p in dp.PARAMS if p.name == "steps"] == ["Denoising steps"]


@pytest.mark.parametrize(
    "sampler,steps", [("DDIM", 2), ("DDIM", 10), ("DDIM", 100), ("DDPM", 10), ("DDPM", 100)]
)
def test_the_fused_sampler_takes_the_textbook_ddim_and_ddpm_steps(sampler, steps):
    rng = np.random.default_rng(7)
    fused, _ = dp.sample(sampler, steps, rng.standard_normal((21, dp.D)), rng)
    assert np.abs(fused - textbook_sample(sampler, steps, 7, 21)).max() < 1e-9


def test_too_few_ddim_steps_blend_the_modes_and_some_paths_cut_through():
    for seed in range(6):  # every seed: several of the 21 samples cut through
        classes, gaps = dp.classify(final_paths("DDIM", 2, n=21, seed=seed))
        assert dp.counts(classes)[1] >= 3 and gaps.min() < 0


# ---- classification ------------------------------------------------------------------------------


def test_clearance_is_the_exact_distance_from_the_polyline_to_the_disc():
    paths = final_paths("DDIM", 2, n=40, seed=4)
    exact = dp.clearances(paths)
    brute = np.array([dense_clearance(p) for p in paths])
    assert np.abs(exact - brute).max() < 1e-4
    assert (exact < 0).any() and (exact > 0).any()


def test_a_sample_with_negative_clearance_is_never_called_left_or_right():
    paths = final_paths("DDIM", 2, n=600, seed=11)
    classes, gaps = dp.classify(paths)
    assert (gaps < 0).sum() > 30, "the check needs crossing samples"
    assert np.all(classes[gaps < 0] == dp.THROUGH)
    assert np.all(classes[gaps >= 0] != dp.THROUGH)
    for p in paths[gaps < 0][:10]:
        assert dp.side_of(p) == "through"


def test_left_and_right_agree_with_where_a_clear_path_crosses_the_obstacles_height():
    paths = np.concatenate(
        [final_paths("DDIM", 2, n=300, seed=5), final_paths("DDPM", 100, n=100, seed=6)]
    )
    classes, gaps = dp.classify(paths)
    for p, c in zip(paths[gaps >= 0], classes[gaps >= 0], strict=True):
        assert dp.CLASS_NAMES[int(c)] == side_at_obstacle_height(p)


# ---- the figure's sentences ----------------------------------------------------------------------

CASES = [("DDIM", 2, seed) for seed in range(6)] + [
    ("DDIM", 3, 0),
    ("DDIM", 10, 3),
    ("DDIM", 100, 1),
    ("DDPM", 10, 3),
    ("DDPM", 100, 8),
]


@pytest.mark.parametrize("sampler,steps,seed", CASES)
def test_alt_text_and_readouts_state_the_counted_left_through_right(sampler, steps, seed):
    (left, through, right), mine, my_gap = recount(sampler, steps, seed)
    scene = dp.compute(sampler, steps, seed)
    shown = readouts(scene)
    assert shown["of 21 samples, left / through / right"] == f"{left} / {through} / {right}"
    alt = scene["alt"]
    cut = "none cut" if through == 0 else f"{through} cut{'s' if through == 1 else ''}"
    assert (
        f"Of 21 samples, {left} pass{'es' if left == 1 else ''} left, {right} right, "
        f"{cut} through the obstacle" in alt
    )
    went = "cuts through" if mine == "through" else f"passes {mine}"
    if mine == "through":
        assert "this sample cuts through the obstacle" in alt
    else:
        assert f"this sample passes the obstacle on the {mine}" in alt
    # the shown sample's verdict is panel a's, written in its last frame
    assert verdict_text(scene) == true_minus(f"this sample {went}, clearance {my_gap:+.2f}")
    assert true_minus(f"(clearance {my_gap:.2f})") in alt
    assert f"in {steps} steps" in alt
    from visual_essay.registry import compute
    from widgets import WIDGETS

    values = compute(
        "diffusion_policy", {"sampler": sampler, "steps": steps, "seed": seed}, WIDGETS
    )["values"]
    said = "none cut" if through == 0 else f"{through} cut{'s' if through == 1 else ''}"
    counted = (
        f"all {through} cut through the obstacle"
        if left == right == 0
        else f"{left} pass{'es' if left == 1 else ''} left, {right} right, {said} through the "
        f"obstacle"
    )
    assert values == {
        "this_sample": (
            "cuts through the obstacle"
            if mine == "through"
            else f"passes the obstacle on the {mine}"
        ),
        "counts": counted,
        "through": f"{through} of 21",
    }


def test_the_chapter_walks_the_sampler_from_ten_steps_to_two_and_to_ddpm():
    """The guide sets the figure to 10, 3 and 2 DDIM steps and then to DDPM's 100; each step's
    sentence quotes the counts there, and what it says in words holds for the recount."""
    from . import chapter

    page = "diffusion.md"
    walked = [
        (p["sampler"], p["steps"]) for key, p in chapter.steps(page) if key == "diffusion_policy"
    ]
    assert walked == [("DDIM", 10), ("DDIM", 3), ("DDIM", 2), ("DDPM", 100)]
    seed = chapter.placed("diffusion_policy", page)["seed"]
    text = chapter.rendered(page)
    (left, through, right), mine, _ = recount("DDIM", 10, seed)
    assert through == 0 and mine != "through"
    assert (
        f"the sample shown, once denoised, passes the obstacle on the {mine}, and of the "
        f"samples drawn together {left} pass left, {right} right, none cut through the "
        f"obstacle"
    ) in text
    (left, through, right), _, _ = recount("DDIM", 3, seed)
    assert 0 < through < left + right  # still partly a blend
    assert f"both modes: {left} pass left, {right} right, {through} cut through" in text
    (left, through, right), _, _ = recount("DDIM", 2, seed)
    assert through > 0
    assert f"the blend shows: {left} pass left, {right} right, {through} cut through" in text
    (left, through, right), _, _ = recount("DDPM", 100, seed)
    assert through == 0
    assert (
        f"as Diffusion Policy did in simulation: {left} pass left, {right} right, none cut" in text
    )
    for bound in (
        "the sample shown, once denoised, {=diffusion_policy.this_sample}, and of the "
        "samples drawn together {=diffusion_policy.counts}",
        "a blend of both modes: {=diffusion_policy.counts}",
        "the blend shows: {=diffusion_policy.counts}",
        "as Diffusion Policy did in simulation: {=diffusion_policy.counts}",
    ):
        assert bound in chapter.prose(page), bound


def test_the_alt_text_never_claims_a_side_for_a_sample_that_cuts_through():
    for seed in range(40):
        scene = dp.compute("DDIM", 2, seed)
        gap = float(verdict_text(scene).rpartition("clearance ")[2].replace("\u2212", "-"))
        said_side = re.search(r"this sample passes the obstacle on the (left|right)", scene["alt"])
        assert (gap < 0) == (said_side is None), scene["alt"]


def orange_and_green(scene):
    """Panel b's drawn sample paths (the legend's keys are empty lines), orange and green (the
    demonstrations are grey, the MSE path black)."""
    marks = scene["panels"][1]["marks"]
    lines = [m for m in marks if m["kind"] == "line" and len(m["x"])]
    return (
        [m for m in lines if m["color"] == "orange"],
        [m for m in lines if m["color"] == "green"],
    )


def test_crossing_samples_are_drawn_orange_and_the_legend_keys_both_looks_always():
    for sampler, steps, seed in [("DDIM", 2, 0), ("DDIM", 2, 1), ("DDIM", 10, 3)]:
        (left, through, right), _, _ = recount(sampler, steps, seed)
        scene = dp.compute(sampler, steps, seed)
        orange, green = orange_and_green(scene)
        assert len(orange) == through and len(green) == left + right
        assert not any(m.get("label") for m in orange + green)  # keyed by the empty lines
        assert {"samples: pass", "samples: cut through"} <= set(legend(scene["panels"][1]))
        # drawn coordinates are rounded to 0.001, hence the tolerance
        assert all(dense_clearance(np.c_[m["x"], m["y"]]) < 0.002 for m in orange)
        assert all(dense_clearance(np.c_[m["x"], m["y"]]) > -0.002 for m in green)


def test_the_mse_sentence_states_its_computed_clearance():
    scene = dp.compute("DDIM", 10, 3)
    gap = dp.clearance(dp.mse_policy_path())
    assert true_minus(f"straight through it (clearance {gap:.2f})") in scene["alt"] and gap < 0
    assert readouts(scene)["MSE clearance"] == true_minus(f"{gap:+.2f}")


def test_the_scene_stays_small():
    import json

    for case in [("DDIM", 2, 0), ("DDIM", 100, 5), ("DDPM", 100, 1)]:
        assert len(json.dumps(dp.compute(*case))) <= 40_000


@pytest.mark.parametrize("steps", [2, 10])
def test_paths_through_the_obstacle_are_dashed_as_well_as_coloured(steps):
    """The review: the orange "cut through" samples and the green ones merge for protanopia
    (6.2), and the red MSE path and the green samples for deuteranopia (7.3), while the caption
    asks for the orange ones. Every path through the obstacle, sample or MSE, is dashed."""
    from visual_essay.testing import colour_only_pairs

    for seed in range(4):
        scene = dp.compute("DDIM", steps, seed)
        versus = scene["panels"][1]
        for m in versus["marks"]:
            if m["kind"] == "line" and m["color"] in ("orange", "ink", "green"):
                assert m["dash"] == (m["color"] != "green"), m.get("label")
        assert colour_only_pairs(versus) == []
    assert "(dashed orange)" in chapter_caption() and "(dashed black)" in chapter_caption()


def chapter_caption():
    from . import chapter

    return chapter.caption("diffusion_policy", "diffusion.md")


@pytest.mark.parametrize("params", [{}, {"sampler": "DDPM"}, {"steps": 2, "seed": 5}])
def test_the_build_draws_the_panels_the_browser_redraws(params):
    """The review: the figure was built as 4 panels (t = 100, 50, 0, samples) and became 2 on
    the first touch. The build draws the still frame: the same panels as every redraw."""
    from visual_essay.figure import render_svgs
    from visual_essay.registry import compute
    from widgets import WIDGETS

    scene = compute("diffusion_policy", params, WIDGETS)
    assert len(scene["panels"]) == 2 and len(render_svgs(scene)) == 2
    assert scene["frames"]["still"] == scene["frames"]["count"] - 1


# ---- what the graphics desk found: the height on a touch, the legends -------------------------


def test_a_touch_keeps_the_readouts_and_the_panels_sizes():
    """The grader: at 2 steps a readout line went (608 to 582 px at 1280 px). Every setting gives
    the same readouts and panel sizes; the verdict panel a writes in its last frame is as long
    whichever way the sample goes ("passes left", "passes right", "cuts through"; clearances
    signed, two decimals)."""
    from . import steady

    grid = {"sampler": ("DDIM", "DDPM"), "steps": (2, 3, 10, 100), "seed": (1, 3, 5)}
    assert steady.differing(dp, grid) == []
    said = set()
    for sampler, steps, seed in itertools.product(*grid.values()):
        went = re.fullmatch(
            r"this sample (passes left|passes right|cuts through), "
            r"clearance [+\u2212]\d\.\d\d",
            verdict_text(dp.compute(sampler, steps, seed)),
        )
        said.add(went.group(1))
    assert said == {"passes left", "passes right", "cuts through"}


def legend(panel, frame=None):
    """(label, look) of each legend entry as drawn at ``frame``: its first mark shown then."""
    out = {}
    for m in panel["marks"]:
        if m.get("label") and m["label"] not in out and m.get("frame") in (None, frame):
            out[m["label"]] = (m["kind"], m["color"], m.get("dash"), m.get("opacity"))
    return out


def look(mark):
    return (mark["kind"], mark["color"], mark.get("dash"))


def passing_dots(panel):
    """Panel b's drawn green dots, as (x, y) pairs (the legend's key is an empty mark)."""
    [dots] = [
        m for m in panel["marks"] if m["kind"] == "points" and m["color"] == "green" and len(m["x"])
    ]
    return waypoints(dots)


def waypoints(mark):
    return list(zip(mark["x"], mark["y"], strict=True))


@pytest.mark.parametrize("steps,seed", [(10, 3), (2, 0), (2, 1)])
def test_each_look_of_panel_b_has_its_own_legend_entry(steps, seed):
    """The grader: the legend put the teal demonstrations and the green samples under one
    swatch. Every mark of panel b looks like its legend entry's swatch (a passing sample's thin
    line by the dots on its waypoints), and no two entries look alike: demonstrations grey,
    passing samples green dots, cutting ones dashed orange, MSE dashed black."""
    versus = dp.compute("DDIM", steps, seed)["panels"][1]
    entries = legend(versus)
    keys = {entry[:3] for entry in entries.values()}
    dots = set(passing_dots(versus))
    for m in versus["marks"]:
        if m["kind"] not in ("line", "points") or look(m) == ("points", "ink", None):
            continue  # the start and goal
        if look(m) == ("line", "green", False):  # keyed by its dots
            assert set(waypoints(m)) <= dots
            assert ("points", "green", None) in keys
        else:
            assert look(m) in keys, m.get("label")
    assert len(set(entries.values())) == len(entries)
    assert entries["demonstrations"][1] == "muted"


@pytest.mark.parametrize("sampler,steps,seed", [("DDIM", 10, 3), ("DDIM", 2, 0), ("DDPM", 100, 1)])
def test_panel_b_tells_the_samples_from_the_demonstrations_without_colour(sampler, steps, seed):
    """The graphics desk: in panel b the thin green samples over the grey
    demonstrations (stacked, as dark as the samples) differed by colour alone, lost in greyscale
    and for colour-blind readers. Each of the three looks has a cue besides its colour, and the
    legend shows it: a passing sample carries a dot at every waypoint (keyed by a dot), a sample
    through the obstacle is dashed (keyed by a dash) and carries none, the demonstrations are
    plain lines."""
    versus = dp.compute(sampler, steps, seed)["panels"][1]
    entries = legend(versus)

    def cue(label):  # what tells a series apart in greyscale: a dot, a dash, a plain line
        kind, _, dash, _ = entries[label]
        return "dot" if kind == "points" else "dash" if dash else "line"

    assert cue("demonstrations") == "line"
    assert cue("samples: pass") == "dot" and cue("samples: cut through") == "dash"
    (left, through, right), _, _ = recount(sampler, steps, seed)
    drawn = [m for m in versus["marks"] if m["kind"] == "line" and len(m["x"])]
    passing = [m for m in drawn if look(m) == ("line", "green", False)]
    cutting = [m for m in drawn if look(m) == ("line", "orange", True)]
    assert (len(passing), len(cutting)) == (left + right, through)
    # the dots are exactly the passing samples' waypoints: every one of them, no others
    assert sorted(passing_dots(versus)) == sorted(p for m in passing for p in waypoints(m))


LEGEND_GRID = [("DDIM", steps, seed) for steps in (2, 3, 4, 10, 100) for seed in range(6)] + [
    ("DDPM", steps, seed) for steps in (10, 100) for seed in range(3)
]


def legend_layout(panel):
    """What the reader sees of a panel's legend and plot: each entry's label and place, the
    legend's box, the plot's margins and limits (wide and narrow layouts)."""
    from . import figure_checks

    return [
        (
            variant,
            [(e["label"], e["x"], e["y"]) for e in layout["legend"]["entries"]],
            layout["legend"]["box"],
            layout["margin"],
            layout["x"]["lim"],
            layout["y"]["lim"],
        )
        for variant, layout in figure_checks.layouts(panel)
    ]


def test_both_legends_have_the_same_rows_at_every_setting():
    """The graphics desk: at 2 steps both legends gained a "cut through" row and both panels
    shifted down about 8 px. Each panel's legend lists both looks a sample can take at every
    setting (an empty line keys the one this draw lacks), so its rows, its box and the plot under
    it never move; the keys pair up on one row."""
    from visual_essay.registry import compute
    from widgets import WIDGETS

    seen = {}
    for sampler, steps, seed in LEGEND_GRID:
        scene = compute(
            "diffusion_policy", {"sampler": sampler, "steps": steps, "seed": seed}, WIDGETS
        )
        seen[(sampler, steps, seed)] = [legend_layout(p) for p in scene["panels"]]
    first = seen[LEGEND_GRID[0]]
    assert [k for k, v in seen.items() if v != first] == []
    a, b = ([label for label, *_ in entries] for _, entries, *_ in (p[0] for p in first))
    assert a == ["demonstrations", "being denoised", "finished: passes", "finished: cuts through"]
    assert b == ["demonstrations", "MSE regression", "samples: pass", "samples: cut through"]
    for panel in first:  # two rows: the two looks of a finished sample side by side
        [(_, entries, *_)] = panel
        assert [y for *_, y in entries] == [entries[0][2]] * 2 + [entries[2][2]] * 2


def test_the_readouts_say_only_what_every_frame_shows():
    """The graphics desk: "New sample" replays panel a from noise while the readouts already
    said "passes left, +0.39". Readouts cannot change per frame in this engine, so they state
    only what shows at every frame (panel b, which does not move: the 21 finished samples and
    the MSE path; the steps taken), and panel a's legend is a key to looks, the same at every
    frame. The shown sample's verdict is written in panel a in the last frame only, where its
    finished path is drawn."""
    for sampler, steps, seed in [("DDIM", 10, 3), ("DDIM", 2, 0), ("DDPM", 100, 1)]:
        scene = dp.compute(sampler, steps, seed)
        last = scene["frames"]["count"] - 1
        (left, through, right), mine, gap = recount(sampler, steps, seed)
        assert readouts(scene) == {
            "of 21 samples, left / through / right": f"{left} / {through} / {right}",
            "MSE clearance": true_minus(f"{dp.MSE_CLEARANCE:+.2f}"),
            "denoising steps": str(steps),
        }
        assert all("frame" not in m for m in scene["panels"][1]["marks"])  # panel b holds still
        denoising = scene["panels"][0]
        keys = [legend(denoising, frame) for frame in range(last + 1)]
        assert all(k == keys[0] for k in keys)
        said = [
            m
            for m in denoising["marks"]
            if m["kind"] == "text"
            and ("passes" in m["s"] or "cuts" in m["s"] or "clearance" in m["s"])
        ]
        assert [m.get("frame") for m in said] == [last]
        assert f"{gap:+.2f}" in said[0]["s"]


@pytest.mark.parametrize("steps,seed", [(10, 3), (2, 0), (2, 1), (2, 4)])
def test_panel_a_draws_the_finished_sample_in_its_class_look_in_the_last_frame(steps, seed):
    """The grader: panel a's green chosen sample had no legend entry. In the last frame (the
    build's still frame) the finished sample takes the look panel b gives its class, and the
    legend keys both looks; before, the purple path being denoised."""
    scene = dp.compute("DDIM", steps, seed)
    denoising, last = scene["panels"][0], scene["frames"]["count"] - 1
    (_, mine, _) = recount("DDIM", steps, seed)
    finished = [m for m in denoising["marks"] if m["kind"] == "line" and m.get("frame") == last]
    [path] = finished
    look = ("line", "orange" if mine == "through" else "green", mine == "through")
    name = "finished: cuts through" if mine == "through" else "finished: passes"
    assert (path["kind"], path["color"], path["dash"]) == look
    assert legend(denoising)[name][:3] == look
    early = [m for m in denoising["marks"] if m["kind"] == "line" and m.get("frame") == 0]
    assert [m["color"] for m in early] == ["purple"]
    assert legend(denoising)["being denoised"][:2] == ("line", "purple")


def drawn_height_px(panel):
    """How tall the demonstrations (y from 0 to 2) are drawn, in CSS pixels at the panel's
    natural size (96 px an inch, 72 points)."""
    from . import figure_checks

    _, Y, _ = figure_checks.maps(panel)
    return float(Y(0) - Y(2)) * 96 / 72


def test_the_paths_fill_their_panels_in_the_guided_column():
    """The graphics desk: in the 547-px column of the guided figure at 1280 px, the paths were
    drawn about 130 px tall, demonstrations, samples and the DDIM trace hard to tell apart. The
    two panels still sit side by side in that column, and the paths are drawn at least 240 px
    tall in each (the browser test at 1280 x 800 checks the controls and readouts still show)."""
    from visual_essay.registry import compute
    from widgets import WIDGETS

    scene = compute("diffusion_policy", {}, WIDGETS)
    widths = [p["size"][0] * 96 for p in scene["panels"]]
    assert sum(widths) + 10 <= 547  # the column, less the gap between the panels
    for panel in scene["panels"]:
        assert drawn_height_px(panel) >= 240


def blank_below_px(panel, still):
    """CSS pixels (96 an inch) between the lowest thing a panel draws in its still frame (a
    line, a dot with its radius, a text's estimated box) and the bottom of its SVG."""
    from . import figure_checks

    _, Y, _ = figure_checks.maps(panel)
    shown = [m for m in panel["marks"] if m.get("frame", still) == still]
    low = [float(Y(np.min(m["y"]))) for m in shown if m["kind"] == "line" and len(m["x"])]
    low += [float(np.max(Y(m["y"]))) + m["size"] for m in shown
            if m["kind"] == "points" and len(m["x"])]  # fmt: skip
    low += [box[3] for _, box in figure_checks.text_boxes({**panel, "marks": shown}, panel)]
    return (panel["size"][1] * 72 - max(low)) * 96 / 72


@pytest.mark.parametrize("sampler,steps", [("DDPM", 100), ("DDIM", 10), ("DDIM", 2)])
def test_no_panel_is_taller_than_its_drawing_and_the_ends_line_up(sampler, steps):
    """The ninth graphics desk: on a phone, the guided step about (b) shows (b) alone, with about
    150 px of blank between its drawing and the sentence; 48 px of it was inside the SVG, under
    the start (both panels 4.2 in tall for limits -0.3 to 2.3, room panel a's verdict needs
    and panel b does not). Each panel now ends at most 20 px under what it draws, and the start
    and the goal still sit at one height in both panels, side by side on a desktop."""
    from . import figure_checks

    for seed in range(4):
        scene = dp.compute(sampler, steps, seed)
        still = scene["frames"]["still"]
        ends = []
        for panel in scene["panels"]:
            assert blank_below_px(panel, still) <= 20, (panel["title"], seed)
            _, Y, _ = figure_checks.maps(panel)
            ends.append((float(Y(0)), float(Y(2))))
        assert np.allclose(ends[0], ends[1], atol=0.5)


@pytest.mark.parametrize("sampler", ["DDPM", "DDIM"])
def test_the_demonstrations_differ_from_the_paths_over_them_by_width_not_colour_alone(sampler):
    """The sixth graphics desk: thin grey demonstrations beside thin green samples (and thin
    purple noise) differed by colour alone. The demonstrations are broad and pale, every thin
    path drawn over them at most half as wide (flow_matching draws the same demonstrations)."""
    from widgets import flow_matching as fm
    for scene in (dp.compute(**{**resolve(dp.PARAMS, {}), "sampler": sampler}),
                  fm.compute(**resolve(fm.PARAMS, {}))):
        for panel in scene["panels"]:
            lines = [m for m in panel["marks"] if m["kind"] == "line"]
            demos = [m for m in lines if m["color"] == "muted" and m["opacity"] < 0.5]
            if not demos:
                continue
            paths = [m for m in lines if m not in demos and m["color"] != "ink"]
            broad, pale = min(m["width"] for m in demos), max(m["opacity"] for m in demos)
            assert paths, panel["title"]
            for m in paths:  # thin, or the one sample in bold at full strength
                assert 2 * m["width"] <= broad or (
                    m["width"] >= 2 and m["opacity"] >= 4 * pale), (panel["title"], m["width"])


# ---- the eighth graphics desk: the frame slider's direction, the cut-through cue ----------------


@pytest.mark.parametrize("sampler,steps,seed", [("DDIM", 10, 3), ("DDIM", 2, 0), ("DDPM", 100, 1)])
def test_the_frame_slider_reads_from_noise_at_its_left_to_the_path_at_its_right(
    sampler, steps, seed
):
    """The desk: the frame slider stood at its right end (the still frame is the last) while its
    text read "t = 0", so dragging right read as going back to the start. The frames run from
    the noise (frame 0, the slider's left end) to the finished path (the last frame, its right
    end), and their names say so, counting the denoising steps done: "noise", "step 1/10", …,
    "path". Frame 0 draws the sampler's start noise itself."""
    scene = dp.compute(sampler, steps, seed)
    frames = scene["frames"]
    labels = frames["labels"]
    assert frames["still"] == frames["count"] - 1
    assert labels[0] == "noise" and labels[-1] == "path"
    done = [re.fullmatch(r"step (\d+)/(\d+)", s) for s in labels[1:-1]]
    assert all(done), labels
    counts = [int(m.group(1)) for m in done]
    assert {int(m.group(2)) for m in done} <= {steps}
    assert counts == sorted(set(counts)) and all(0 < c < steps for c in counts)
    assert not any(s.startswith("t =") for s in labels)
    # what frame 0 draws is the noise the sampler starts from; the last frame the finished path
    noise = np.random.default_rng(seed).standard_normal((1 + dp.SAMPLES, dp.D))
    start = np.round(dp.as_paths(noise[0]), dp.DIGITS)
    marks = scene["panels"][0]["marks"]
    [first] = [m for m in marks if m["kind"] == "line" and m.get("frame") == 0]
    assert np.allclose(np.c_[first["x"], first["y"]], start)
    assert verdict_text(scene).startswith("this sample")  # the last frame: the finished path


def test_the_play_bar_fits_one_row_beside_the_guided_figure():
    """The desk (1280 px): under the controls, "t = 0" sat alone on a line of its own, away from
    the slider it names. The engine's play bar is one flex row: Play (50 px), the motion's label,
    the slider (129 px before it grows), the frame's name (72 px at least); 364 px beside the
    guided figure. Measured in Chromium on the built page: "denoising step" (93 px) pushed the
    frame's name to a line of its own; "denoising" (62 px) keeps it on the row with every name
    up to "step 100/100" (83 px), at 1280 and 1024 px."""
    for sampler, steps in [("DDIM", 2), ("DDIM", 10), ("DDPM", 100), ("DDIM", 100)]:
        frames = dp.compute(sampler, steps, 0)["frames"]
        assert len(frames["label"]) <= len("denoising")
        assert max(len(s) for s in frames["labels"]) <= len("step 100/100")


@pytest.mark.parametrize("seed", range(4))
def test_samples_through_the_obstacle_stand_out_over_the_demonstrations(seed):
    """The desk (steps = 2, guided step 3): the samples that cut through, the ones the caption
    and the step ask the reader to find, were thin pale orange dashes (0.9 pt at 70%) over the
    grey demonstrations, and the legend's swatch as pale. They are drawn bold and opaque, more
    than twice a passing sample's width, as wide as the broad pale demonstrations nearly; the
    legend keys them with the same stroke; the demonstrations stay pale, in the background."""
    versus = dp.compute("DDIM", 2, seed)["panels"][1]
    lines = [m for m in versus["marks"] if m["kind"] == "line"]
    demos = [m for m in lines if m.get("label") == "demonstrations" or m["color"] == "muted"]
    cutting = [m for m in lines if m["color"] == "orange" and len(m["x"])]
    passing = [m for m in lines if m["color"] == "green" and len(m["x"])]
    [key] = [m for m in lines if m.get("label") == "samples: cut through"]
    assert cutting, "at 2 steps some samples cut through (the chapter's step says so)"
    for m in cutting + [key]:
        assert m["dash"] and m["width"] >= 1.8 and m["opacity"] == 1.0
    assert all(m["width"] >= 2 * p["width"] for m in cutting for p in passing)
    assert max(m["opacity"] for m in demos) <= 0.25
