"""Behavioral cloning's compounding error against DAgger's, measured on the widget's own rollouts,
and the figure's words checked against a slow, independent re-simulation."""

import json
import re

import numpy as np
import pytest

from widgets import bc_drift as bc

SEEDS = range(1, 9)


def mean_costs(noise, horizon, seeds=SEEDS):
    """Seed-averaged cost curves J(1..T) of behavioral cloning and DAgger."""
    runs = [bc.results(seed, noise) for seed in seeds]
    return (np.mean([r["bc_cost"][:horizon] for r in runs], 0),
            np.mean([r["dg_cost"][:horizon] for r in runs], 0))


def exponent(cost):
    return bc.growth_exponent(cost)[0]


# ---- an independent re-simulation: absolute coordinates, brute-force neighbours ----------------

def brute_policy(train_y, t, y):
    """The k-NN policy at step t, by sorting every distance: training states ``train_y``
    (T_MAX, n) in absolute coordinates, labelled with the expert's action minus the lane's own
    move; the K nearest in offset among the 2·WINDOW + 1 steps around t (shifted inside the
    lane)."""
    first = min(max(t - bc.WINDOW, 0), bc.T_MAX - 1 - 2 * bc.WINDOW)
    ts = np.arange(first, first + 2 * bc.WINDOW + 1)
    ys = train_y[ts]
    offsets = (ys - bc.lane(ts)[:, None]).ravel()
    labels = (bc.expert_action(ts[:, None], ys) - (bc.lane(ts + 1) - bc.lane(ts))[:, None]).ravel()
    query = y - bc.lane(t)
    nearest = np.argsort(np.abs(query[:, None] - offsets[None]), axis=1)[:, :bc.K]
    return bc.lane(t + 1) - bc.lane(t) + labels[nearest].mean(1)


def brute_run(train_y, start, eps, noise, steps):
    y = [bc.lane(0) + start]
    for t in range(steps):
        y.append(bc.step(t, y[-1], brute_policy(train_y, t, y[-1]), noise * eps[t]))
    return np.array(y)


def brute_simulation(seed, noise, horizon):
    """Demonstrations stepped one by one; the cloned policy and DAgger's rounds trained over the
    whole lane; then both evaluated on a task of ``horizon`` steps only. Off-band counts per step
    (horizon,) for each."""
    d = bc.draws(seed)
    y = [bc.lane(0) + d["demo_start"]]
    for t in range(bc.T_MAX):
        y.append(bc.step(t, y[-1], bc.expert_action(t, y[-1]), bc.DEMO_NOISE * d["demo_eps"][t]))
    train = np.array(y)[:bc.T_MAX]
    visited = brute_run(train, d["start"][:bc.DAGGER_ROLLOUTS], d["eps"][:, :bc.DAGGER_ROLLOUTS],
                        noise, bc.T_MAX)
    for round_ in range(bc.DAGGER_ROUNDS):
        train = np.concatenate([train, visited[:bc.T_MAX]], axis=1)
        if round_ < bc.DAGGER_ROUNDS - 1:
            visited = brute_run(train, d["round_start"][round_], d["round_eps"][round_], noise,
                                bc.T_MAX)
    bc_y = brute_run(np.array(y)[:bc.T_MAX], d["start"], d["eps"], noise, horizon)
    dg_y = brute_run(train, d["start"], d["eps"], noise, horizon)
    def off(ys):
        return (np.abs(ys[1:] - bc.lane(np.arange(1, horizon + 1))[:, None]) > bc.BAND).sum(1)
    return off(bc_y), off(dg_y), bc_y, dg_y


def brute_exponent(cost):
    """The documented rule, refitted with numpy's polyfit."""
    t = np.arange(1, len(cost) + 1)
    keep = (cost > 0.05) & (t >= len(cost) // 4)
    if cost[-1] < 1 or keep.sum() < 3:
        return None, None
    return np.polyfit(np.log(t[keep]), np.log(cost[keep]), 1)[0], int(t[keep][0])


# ---- the science -------------------------------------------------------------------------------

def test_bc_seed_averaged_exponent_is_well_above_daggers_and_its_cost_far_above():
    for noise in (0.04, 0.05):
        bc_cost, dg_cost = mean_costs(noise, 100)
        assert exponent(bc_cost) > exponent(dg_cost) + 0.3
        assert bc_cost[-1] > 10 * dg_cost[-1]
    # At the default noise DAgger hardly ever leaves the band while cloning's cost bends upward.
    bc_cost, dg_cost = mean_costs(0.03, 100)
    assert exponent(bc_cost) > 1.5 and bc_cost[-1] > 20
    assert dg_cost[-1] < 1


def test_daggers_cost_stays_below_clonings_as_the_caption_says():
    # "DAgger's cost stays below cloning's": near zero at the default noise, under half at the most
    for horizon in (20, 100, 150):
        bc_cost, dg_cost = mean_costs(bc.PARAMS[0].default, horizon)  # the default noise
        assert dg_cost[-1] < 0.5 and dg_cost[-1] < 0.015 * bc_cost[-1], horizon
        bc_cost, dg_cost = mean_costs(bc.PARAMS[0].max, horizon)  # the most noise
        assert dg_cost[-1] < 0.5 * bc_cost[-1], horizon


def test_daggers_seed_averaged_exponent_is_near_one():
    for noise in (0.05, 0.065, 0.08):
        for horizon in (50, 100):
            _, dg_cost = mean_costs(noise, horizon)
            assert abs(exponent(dg_cost) - 1) < 0.25, (noise, horizon, exponent(dg_cost))


def test_bc_exponent_falls_as_noise_rises_because_runs_leave_sooner():
    for horizon in (50, 100):
        exps = [exponent(mean_costs(noise, horizon)[0]) for noise in (0.03, 0.05, 0.08)]
        assert exps[0] > exps[1] > exps[2], (horizon, exps)
        assert exps[0] > exps[2] + 0.35
        assert exps[0] > 1.6 and exps[2] < 1.4
    # The reason: at high noise nearly every run has left by T, so J grows ~one step per step.
    left = np.mean([bc.results(seed, 0.08)["bc_off"][99] for seed in SEEDS])
    assert left > 0.95 * bc.EVAL_SEEDS
    left = np.mean([bc.results(seed, 0.03)["bc_off"][99] for seed in SEEDS])
    assert left < 0.8 * bc.EVAL_SEEDS


def test_bc_cost_grows_faster_than_linearly_at_low_noise():
    bc_cost, _ = mean_costs(0.03, 100)
    # Linear growth doubles the cost from T = 50 to T = 100; quadratic quadruples it.
    assert bc_cost[99] / bc_cost[49] > 2.8


def test_without_noise_neither_policy_leaves_the_demonstrated_band():
    for seed in SEEDS:
        r = bc.results(seed, 0.0)
        assert r["bc_cost"][-1] == 0 and r["dg_cost"][-1] == 0


def test_daggers_relabelled_policy_steers_back_off_the_band_where_cloning_does_not():
    closer = []
    for seed in SEEDS:
        sim = bc.simulate(seed, 0.05)
        t, e = 60, np.array([0.3, 0.5, -0.3, -0.5])
        expert = bc.LABEL * e
        cloned = bc.knn_act(sim["bc_policy"][0][t], sim["bc_policy"][1][t], e)
        dagger = bc.knn_act(sim["dagger_policy"][0][t], sim["dagger_policy"][1][t], e)
        closer.append(np.abs(dagger - expert) < np.abs(cloned - expert))
    assert np.mean(closer) > 0.8


# ---- the mechanics ----------------------------------------------------------------------------

def test_the_expert_corrects_half_the_error_each_step_against_the_lanes_push():
    t, y = 30, bc.lane(30) + 0.2
    y2 = bc.step(t, y, bc.expert_action(t, y))
    assert np.isclose(y2 - bc.lane(31), 0.2 * (1 - bc.EXPERT_GAIN))


def test_demonstrations_are_the_expert_stepped_along_the_whole_lane():
    d = bc.draws(3)
    y = bc.lane(0) + d["demo_start"]
    ys = [y]
    for t in range(bc.T_MAX):
        y = bc.step(t, y, bc.expert_action(t, y), bc.DEMO_NOISE * d["demo_eps"][t])
        ys.append(y)
    offsets = np.array(ys) - bc.lane(np.arange(bc.T_MAX + 1))[:, None]
    assert np.allclose(bc.demonstrations(d), offsets, atol=1e-12)
    assert np.abs(offsets).max() < bc.BAND  # the demonstrations stay inside the band


def test_the_sorted_table_finds_the_same_neighbours_as_a_brute_force_search():
    rng = np.random.default_rng(0)
    for n in (bc.K, 9, 40, 100):
        states = rng.normal(0, rng.uniform(0.01, 3), n)
        queries = np.concatenate([rng.normal(0, 2, 200), [-1e6, 1e6]])
        mids, actions = bc.knn_tables(states)
        nearest = np.argsort(np.abs(queries[:, None] - states[None]), axis=1)[:, :bc.K]
        assert np.allclose(bc.knn_act(mids, actions, queries),
                           bc.LABEL * states[nearest].mean(1), atol=1e-12)


@pytest.mark.parametrize("seed,noise,horizon", [(1, 0.03, 100), (4, 0.08, 40), (2, 0.05, 150)])
def test_a_task_of_horizon_T_is_the_first_T_steps_of_the_whole_lane(seed, noise, horizon):
    bc_off, dg_off, bc_y, dg_y = brute_simulation(seed, noise, horizon)
    r = bc.results(seed, noise)
    assert np.array_equal(r["bc_off"][:horizon], bc_off)
    assert np.array_equal(r["dg_off"][:horizon], dg_off)
    centre = bc.lane(np.arange(horizon + 1))
    assert np.allclose(r["bc_run"][:horizon + 1], bc_y[:, 0] - centre, rtol=1e-7, atol=1e-9)
    assert np.allclose(r["dg_run"][:horizon + 1], dg_y[:, 0] - centre, rtol=1e-7, atol=1e-9)


def test_dagger_runs_the_two_rounds_its_docstring_states():
    assert bc.DAGGER_ROUNDS == 2 and "DAGGER_ROUNDS = 2 rounds" in bc.__doc__
    assert "three rounds" not in bc.__doc__ and "three times" not in bc.__doc__
    sim = bc.simulate(1, 0.03)
    assert sim["dagger_states"] == bc.DEMOS + bc.DAGGER_ROUNDS * bc.DAGGER_ROLLOUTS
    scene = bc.compute(0.03, 100, True, 1)
    states = next(r["text"] for r in scene["readouts"] if r["label"] == "DAgger training states")
    assert states == f"{(bc.DEMOS + 2 * bc.DAGGER_ROLLOUTS) * bc.T_MAX:,}"


# ---- the figure -------------------------------------------------------------------------------

def marks(scene, panel, kind="line"):
    return [m for m in scene["panels"][panel]["marks"] if m["kind"] == kind]


def test_the_horizon_lengthens_the_task_and_leaves_the_demonstrations_unchanged():
    short, long = bc.compute(0.03, 50, True, 1), bc.compute(0.03, 150, True, 1)
    def demo(s):
        return [m["y"] for m in marks(s, 0) if m["color"] == bc.EXPERT]
    assert demo(short) == demo(long) and len(demo(short)) == bc.DEMOS
    for s, horizon in ((short, 50), (long, 150)):
        assert s["panels"][0]["x"]["lim"] == [0, bc.T_MAX]  # the whole lane is shown
        red = next(m for m in marks(s, 0) if m.get("label") == "cloning (BC)")
        assert red["x"] == list(range(horizon + 1))  # one step of lane per step of the task
        assert s["panels"][1]["x"]["lim"] == [0, bc.T_MAX]  # every horizon: the curve ends at T
        assert max(max(m["x"]) for m in marks(s, 1)) == horizon
        assert any(m["s"] == f"T = {horizon}" for m in marks(s, 0, "text"))
    def red(s):
        return next(m["y"] for m in marks(s, 0) if m.get("label") == "cloning (BC)")
    assert red(long)[:51] == red(short)


def test_reference_T_and_T_squared_curves_end_where_the_bc_curve_ends():
    for horizon in (50, 100, 150):
        scene = bc.compute(0.05, horizon, True, 2)
        end = float(bc.results(2, 0.05)["bc_cost"][horizon - 1])
        drawn = next(m for m in marks(scene, 1) if m.get("label") == "BC")["y"][-1]
        assert drawn == pytest.approx(float(bc.cost_y(end)), rel=1e-5)  # on panel b's scale
        assert end >= bc.REFERENCE_MIN
        [quadratic] = [m for m in marks(scene, 1) if not m.get("label")]
        [linear] = marks(scene, 1, "segments")  # dotted: its dots' ends lie on the line
        for m, power in ((quadratic, 2), (linear, 1)):
            t = np.array(m["x"])
            assert t[0] == 0 and t[-1] == pytest.approx(horizon)
            assert np.allclose(m["y"], bc.cost_y(end * (t / horizon) ** power), rtol=1e-5,
                               atol=1e-4)


CASES = [(1, 0.03, 100, True), (1, 0.0, 100, True), (3, 0.08, 150, True), (5, 0.08, 20, False),
         (2, 0.02, 60, True), (6, 0.045, 30, True), (7, 0.005, 150, True)]


@pytest.mark.parametrize("seed,noise,horizon,dagger", CASES)
def test_alt_text_and_readouts_state_what_an_independent_resimulation_finds(seed, noise, horizon,
                                                                           dagger):
    bc_off, dg_off, _, _ = brute_simulation(seed, noise, horizon)
    scene = bc.compute(noise, horizon, dagger, seed)
    alt = scene["alt"]
    read = {r["label"]: r["text"] for r in scene["readouts"]}
    parts = alt.split(". DAgger")
    assert len(parts) == (2 if dagger else 1)
    assert parts[0].startswith(f"Over a {horizon}-step task, behavioral cloning ")
    for name, off, text in (("BC", bc_off, parts[0]),
                            ("DAgger", dg_off, parts[1] if dagger else None)):
        if text is None:  # hidden: its readouts stay, saying so
            assert [v for k, v in read.items() if k.startswith("DAgger")] == [bc.DAGGER_OFF] * 3
            continue
        cost = np.cumsum(off) / bc.EVAL_SEEDS
        fitted, first = brute_exponent(cost)
        key = "BC off-band steps J(T)" if name == "BC" else "DAgger J(T)"
        assert float(read[key].replace(",", "")) == pytest.approx(cost[-1], rel=5e-3, abs=1e-9)
        shown, averaged = read[bc.EXPONENTS.format(name)].split(" / ")
        mean = bc.averaged_exponent("bc" if name == "BC" else "dg", noise, horizon)
        assert averaged == ("–" if mean is None else f"{mean:.1f}")  # as the sentences say it
        if cost[-1] == 0:
            assert "never leaves the band in any run" in text and shown == "–"
            continue
        said = float(re.search(r"spends ([\d.]+) steps off the band", text).group(1))
        assert said == pytest.approx(cost[-1], abs=0.051 if cost[-1] >= 1 else 0.0051)
        if fitted is None:
            assert "too rarely (under one step per run)" in text and shown == "–"
        else:
            said = float(re.search(r"growing about as T\^([-\d.]+)", text).group(1))
            assert said == pytest.approx(fitted, abs=0.05 + 1e-9)
            assert float(shown) == pytest.approx(fitted, abs=0.051)
            assert f"(fitted over T = {first}–{horizon})" in text
        if name == "BC":
            assert f"at step {horizon}, {bc_off[-1]} of its {bc.EVAL_SEEDS} runs" in text
    assert read["BC runs off the band at step T"] == f"{bc_off[-1]} of {bc.EVAL_SEEDS}"
    # the values the chapter's sentences quote: this run's costs, from the re-simulation
    from visual_essay.registry import compute
    from widgets import WIDGETS
    values = compute("bc_drift", {"noise": noise, "horizon": horizon, "dagger": dagger,
                                  "seed": seed}, WIDGETS)["values"]
    cost = np.cumsum(bc_off) / bc.EVAL_SEEDS
    assert values["bc_cost"] == f"{cost[-1]:.3g}"
    assert values["dg_cost"] == f"{np.sum(dg_off) / bc.EVAL_SEEDS:.2g}"
    half = cost[horizon // 2 - 1]
    assert values["bc_doubling"] == (f"{cost[-1] / half:.1f} times" if half else
                                     "no more" if cost[-1] == 0 else "far more")


AVERAGED = range(1, 21)  # the chapter's "averaged over 20 seeds"


@pytest.mark.parametrize("noise,horizon", [(0.02, 100), (0.03, 100), (0.08, 100), (0.08, 150),
                                           (0.0, 100), (0.05, 50), (0.0325, 100), (0.03, 55)])
def test_the_seed_averaged_exponents_are_the_fit_to_twenty_seeds_mean_cost(noise, horizon):
    """On the sliders' grid they come from the build's table, off it (a value set in the
    address) they are computed afresh: either way, numpy's polyfit to the mean cost over seeds
    1–20 agrees."""
    from visual_essay.registry import compute
    from widgets import WIDGETS
    values = compute("bc_drift", {"noise": noise, "horizon": horizon, "seed": 3}, WIDGETS)["values"]
    bc_cost, dg_cost = mean_costs(noise, horizon, AVERAGED)
    for name, cost in (("bc_mean", bc_cost), ("dg_mean", dg_cost)):
        fitted, _ = brute_exponent(cost)
        assert values[name] == ("too small to fit" if fitted is None else f"{fitted:.1f}"), name


def test_the_chapter_walks_the_drift_through_horizon_and_noise_quoting_the_figure():
    """The guide: the default noise at 50 and 100 steps, no noise, then noise 0.02, 0.03 and 0.08
    at T = 100 and 0.08 at T = 150. Each step's sentence quotes the figure there, and the words
    around the numbers hold for them."""
    from . import chapter
    page = "imitation.md"
    placed = chapter.values(bc, "bc_drift", page)
    walked = [(p["noise"], p["horizon"]) for key, p in chapter.steps(page) if key == "bc_drift"]
    assert walked == [(0.03, 50), (0.03, 100), (0.0, 100), (0.02, 100), (0.03, 100), (0.08, 100),
                      (0.08, 150)]
    seed = placed["seed"]
    text = chapter.rendered(page)
    at = {T: bc.results(seed, 0.03)["bc_cost"][T - 1] for T in (50, 100)}
    dg = bc.results(seed, 0.03)["dg_cost"]
    assert at[100] / at[50] > 2  # more than doubles: it compounds
    assert (f"Over a 50-step task, cloning's runs spend {at[50]:.3g} steps off the band on "
            f"average, against {dg[49]:.2g} for DAgger's.") in text
    assert 0 < dg[99] < 1  # "a fraction of a step"
    assert (f"cloning's cost grows {at[100] / at[50]:.1f} times, to {at[100]:.3g}") in text
    assert f"DAgger's stays a fraction of a step ({dg[99]:.2g}), too small to fit" in text
    quiet = bc.results(seed, 0.0)
    assert quiet["bc_cost"][99] == 0 == quiet["dg_cost"][99]
    assert "neither policy ever leaves it (0 and 0 steps off the band)" in text
    fits = {noise: brute_exponent(mean_costs(noise, 100, AVERAGED)[0])[0]
            for noise in (0.02, 0.03, 0.08)}
    assert fits[0.02] > fits[0.03] > fits[0.08]  # falls as the noise rises
    assert f"the exponent is about {fits[0.02]:.1f} at noise 0.02" in text
    assert f"At noise 0.03 it is about {fits[0.03]:.1f}: the fitted exponent *falls*" in text
    assert f"At 0.08 it is about {fits[0.08]:.1f}: the runs leave the band early" in text
    dg_100 = brute_exponent(mean_costs(0.08, 100, AVERAGED)[1])[0]
    dg_150 = brute_exponent(mean_costs(0.08, 150, AVERAGED)[1])[0]
    assert abs(dg_100 - 1) < 0.25 < dg_150 - 1  # about linear, then creeping up
    assert f"grows about linearly (an exponent of about {dg_100:.1f})" in text
    assert f"its exponent creeps up to about {dg_150:.1f}" in text
    source = chapter.prose(page)
    for name in ("bc_cost", "dg_cost", "bc_doubling", "bc_mean", "dg_mean"):
        assert "{=bc_drift." + name + "}" in source, name


@pytest.mark.parametrize("noise,horizon", [(0.0, 20), (0.08, 150), (0.03, 100), (0.08, 20)])
def test_the_scene_stays_small_and_finite(noise, horizon):
    scene = bc.compute(noise, horizon, True, 11)
    assert len(json.dumps(scene, allow_nan=False)) <= 40_000


def test_a_noise_off_the_sliders_grid_is_simulated_too():
    scene = bc.compute(0.0123, 80, True, 4)
    bc_off, _, _, _ = brute_simulation(4, 0.0123, 80)
    read = {r["label"]: r["text"] for r in scene["readouts"]}
    assert read["BC runs off the band at step T"] == f"{bc_off[-1]} of {bc.EVAL_SEEDS}"
    assert float(read["BC off-band steps J(T)"]) == pytest.approx(bc_off.sum() / bc.EVAL_SEEDS,
                                                                  rel=5e-3, abs=1e-9)


# ---- what the review found: the path off the top, the legend over the data, an empty panel ---

from visual_essay.layout import placed_marks  # noqa: E402
from visual_essay.params import resolve  # noqa: E402
from visual_essay.snapshots import extremes  # noqa: E402
from widgets import WIDGETS  # noqa: E402

from . import figure_checks  # noqa: E402


@pytest.mark.parametrize("case", extremes(WIDGETS["bc_drift"]) + [{"noise": 0.08, "seed": 1}])
def test_every_path_ends_on_the_plots_edge_instead_of_being_cut_by_it(case):
    from visual_essay.registry import compute
    scene = compute("bc_drift", case, WIDGETS)
    assert figure_checks.clipped(scene) == []
    run = next(m for m in marks(scene, 0) if m.get("label") == "cloning (BC)")
    lo, hi = scene["panels"][0]["y"]["lim"]
    horizon = resolve(WIDGETS["bc_drift"].PARAMS, case)["horizon"]
    assert run["x"] == list(range(horizon + 1)) or run["y"][-1] in (lo, hi), (
        "a run ends at the horizon or on the edge where it leaves the view")


def test_in_view_stops_a_path_where_it_crosses_the_edge():
    x, y = bc.in_view([0, 1, 2, 3], [0.0, 1.0, 3.0, 9.0], -1.0, 2.0)
    assert list(x) == [0, 1, 1.5] and list(y) == [0.0, 1.0, 2.0]
    x, y = bc.in_view([0, 1], [0.0, 0.5], -1.0, 2.0)
    assert list(y) == [0.0, 0.5]


@pytest.mark.parametrize("noise,horizon", [(0.03, 20), (0.03, 100), (0.08, 150), (0.0, 100)])
def test_the_paths_legend_sits_above_the_plot_in_both_layouts(noise, horizon):
    paths = bc.compute(noise, horizon, True, 1)["panels"][0]
    for _, layout in figure_checks.layouts(paths):
        assert layout["legend"]["box"][3] <= layout["margin"]["top"]


def test_with_no_run_off_the_band_the_cost_panel_says_so_instead_of_flat_lines():
    """At noise 0 the costs lie on the zero line, at the foot, and a sentence in the plot says
    why; the key stays (``test_panel_bs_key_is_the_same_...``)."""
    cost = bc.compute(0.0, 100, True, 1)["panels"][1]
    assert all(set(m["y"]) == {0.0} for m in cost["marks"] if m["kind"] == "line")
    said = [m["s"].replace("\n", " ") for m in cost["marks"] if m["kind"] == "text"]
    assert said == ["No run leaves the band within 100 steps: the cost is 0 at every horizon."]
    assert not any(m["kind"] == "text" and m["s"].startswith("No run")
                   for m in bc.compute(0.03, 100, True, 1)["panels"][1]["marks"])


@pytest.mark.parametrize("noise", [0.0, 0.03])
def test_the_caption_names_the_panels_by_letter(noise):
    """Both panels stay at every noise (at 0 the cost panel says why it is empty)."""
    from . import chapter
    placed = chapter.placed("bc_drift", "imitation.md")
    scene = bc.compute(**{**placed, "noise": noise})
    assert figure_checks.caption_problems(chapter.caption("bc_drift", "imitation.md"), scene) == []


def test_a_touch_keeps_the_readouts_and_the_panels_sizes():
    """The grader: hiding DAgger dropped three readouts (a row) and panel (a)'s legend lost its
    second row, 42 px in all at 1280 px. Every setting shows the same readouts and the same
    panel sizes, wide and narrow."""
    from . import steady
    grid = {"noise": (0.0, 0.03, 0.08), "horizon": (20, 90, 150), "dagger": (True, False),
            "seed": (1, 2)}
    assert steady.differing(bc, grid) == []


# ---- the graphics desk: both panels keep one frame while the data moves -----------------------

FRAME_CASES = [{"noise": noise, "horizon": horizon, "dagger": dagger, "seed": seed}
               for noise in (0.0, 0.03, 0.08) for horizon in (20, 150) for dagger in (True, False)
               for seed in (1, 2)]


def outside(panel, slack=1e-6):
    """The marks of a panel with data beyond its axis limits: (kind, label)."""
    (x0, x1), (y0, y1) = panel["x"]["lim"], panel["y"]["lim"]
    bad = []
    for m in panel["marks"]:
        xs = np.atleast_1d(np.asarray(m["x"], float))
        ys = np.concatenate([np.atleast_1d(np.asarray(m[k], float)) for k in ("y", "y1", "y2")
                             if k in m] or [[]])  # a vband spans the plot's height: no y
        if (xs.size and (xs.min() < x0 - slack or xs.max() > x1 + slack)) or \
                (ys.size and (ys.min() < y0 - slack or ys.max() > y1 + slack)):
            bad.append((m["kind"], m.get("label", m.get("s"))))
    return bad


def test_more_noise_or_a_longer_horizon_draws_a_higher_longer_cost_curve_in_the_same_frame():
    """The graphics desk: panel b's J(T) axis ran 0–3 at T = 20, 0–15 at T = 50, 0–40 at T = 100
    and 0–150 at T = 150 and noise 0.08, so the growth with horizon was the same-shaped curve each
    time. Now both panels keep their limits at every noise, horizon, toggle and seed, and every
    mark lies inside them (none clipped: a run leaving panel a ends on its edge)."""
    frames = set()
    for case in FRAME_CASES:
        scene = bc.compute(**case)
        frames.add(tuple((tuple(layout["x"]["lim"]), tuple(layout["y"]["lim"]))
                         for p in scene["panels"] for _, layout in figure_checks.layouts(p)))
        for panel in scene["panels"]:
            assert outside(panel) == [], (case, panel["title"])
    assert len(frames) == 1  # wide and narrow layouts of panel a, then of panel b
    top = float(bc.cost_y(bc.COST_TOP))
    assert frames.pop() == 2 * (((0, bc.T_MAX), bc.SIDEWAYS_AXIS),) + \
        2 * (((0, bc.T_MAX), (0, top)),)
    # The bound is the maths, not these seeds: a step adds at most one step off the band per run,
    # so no cost passes the top of panel b, T_MAX.
    assert bc.COST_TOP == bc.T_MAX
    for seed in (1, 2, 3):
        costs = bc.results(seed, 0.08)
        assert np.all(costs["bc_cost"] <= np.arange(1, bc.T_MAX + 1))
        assert np.all(costs["dg_cost"] <= np.arange(1, bc.T_MAX + 1))
    # The costliest setting nearly fills the frame.
    worst = bc.compute(0.08, 150, True, 1)["panels"][1]
    assert max(max(m["y"]) for m in worst["marks"] if m["kind"] == "line") > 0.95 * top


def cost_fill(scene):
    """The share of panel b's height that its highest curve reaches."""
    panel = scene["panels"][1]
    lo, hi = panel["y"]["lim"]
    return (max(max(m["y"]) for m in panel["marks"] if m["kind"] == "line") - lo) / (hi - lo)


def test_the_cost_fills_panel_b_at_the_default_and_at_every_guided_step():
    """The eighth graphics desk: panel b's fixed linear axis ran 0–150 for the costliest setting,
    while J(T) is 13.5 at step 1 (T = 50) and 40.7 at the default: 73–91% of the plot was empty.
    The axis is now a fixed log scale (linear below 0.1, so a zero cost sits at its foot): still
    one frame at every setting (the test above), and cloning's curve reaches most of its height
    at the default and at every guided step that draws a cost (the old axis: 9% and 27%)."""
    from . import chapter
    cases = [{"noise": 0.03, "horizon": 100, "dagger": True, "seed": 1}]
    cases += [params for key, params in chapter.steps("imitation.md") if key == "bc_drift"]
    from visual_essay.registry import compute
    for case in cases:
        scene = compute("bc_drift", case, WIDGETS)
        if case["noise"] > 0:  # noise 0: no cost, the curves on the foot and a sentence
            assert cost_fill(scene) > 0.7, case
    # The ticks name costs, not positions: 0, 0.1, 1, 10, 100 where the scale puts them; the
    # smallest nonzero cost (one run off the band for one step) sits clear of 0.
    y = bc.compute(0.03, 100, True, 1)["panels"][1]["y"]
    assert y["ticklabels"] == ["0", "0.1", "1", "10", "100"]
    assert np.allclose(y["ticks"], bc.cost_y([0, 0.1, 1, 10, 100]))
    assert np.allclose(y["ticks"], [0, 1, 2, 3, 4])  # linear to 0.1, then a unit per decade
    assert bc.cost_y(1 / bc.EVAL_SEEDS) > 0.4
    assert "log" in y["label"]
    # DAgger's fraction of a step at the default (step 2's sentence) rises off the axis's foot.
    dagger = next(m for m in marks(bc.compute(0.03, 100, True, 1), 1)
                  if m.get("label") == "DAgger")
    assert max(dagger["y"]) > 0.5  # 2 steps in 24 runs: 0.083, on the old axis 0.06% of it


@pytest.mark.parametrize("noise,horizon,dagger,seed", [(0.08, 150, True, 1), (0.08, 150, False, 2),
                                                       (0.03, 100, True, 1), (0.0, 150, True, 1)])
def test_a_run_that_leaves_panel_a_is_labelled_with_the_step_it_left_at(noise, horizon, dagger,
                                                                         seed):
    """The graphics desk: at noise 0.08 the cloned run left the top of panel a at step ~28 and
    seemed cut off by the frame. A run no frame can hold (it grows 8% a step) ends on the edge
    with a label in its colour, at the first step outside, counted from the run itself."""
    scene = bc.compute(noise, horizon, dagger, seed)
    r = bc.results(seed, noise)
    lo, hi = bc.SIDEWAYS_AXIS
    runs = [("bc_run", "cloning (BC)")] + ([("dg_run", "DAgger")] if dagger else [])
    for key, name in runs:
        color = next(m["color"] for m in marks(scene, 0) if m.get("label") == name)
        y = bc.lane(np.arange(horizon + 1)) + r[key][:horizon + 1]
        out = np.flatnonzero((y < lo) | (y > hi))
        said = [m for m in marks(scene, 0, "text")
                if m["s"].startswith("off the plot") and m["color"] == color]
        if out.size:
            assert [m["s"] for m in said] == [f"off the plot at {out[0]}"]
            assert said[0]["y"] in (lo, hi)
        else:
            assert said == []
    if (noise, seed) == (0.08, 1):
        assert any(m["s"] == "off the plot at 28" for m in marks(scene, 0, "text"))


# ---- the sixth graphics desk: labels clear of what they do not name, DAgger off kept, demos ------

def label_cases():
    """Every control at each end, every guided step, and the desk's noise 0.08 at T = 50 with the
    horizons around it (the run left panel a at step 28, near the task's end)."""
    from . import chapter
    cases = [resolve(WIDGETS["bc_drift"].PARAMS, case) for case in extremes(WIDGETS["bc_drift"])]
    cases += [params for key, params in chapter.steps("imitation.md") if key == "bc_drift"]
    cases += [{"noise": 0.08, "horizon": horizon, "dagger": dagger, "seed": 1}
              for horizon in (30, 40, 50, 60) for dagger in (True, False)]
    return cases


def drawn_lines(panel, layout):
    """(mark, points every half point along it) of each line and segments mark of a layout."""
    X, Y, _ = figure_checks.maps(layout)
    out = []
    for m in panel["marks"]:
        if m["kind"] not in ("line", "segments") or len(m["x"]) < 2:
            continue
        px, py = X(m["x"]), Y(m["y"])
        step = 2 if m["kind"] == "segments" else 1
        pieces = [np.c_[np.linspace(px[i], px[i + 1], int(np.hypot(px[i + 1] - px[i],
                                                                      py[i + 1] - py[i]) * 2) + 2),
                        np.linspace(py[i], py[i + 1], int(np.hypot(px[i + 1] - px[i],
                                                                   py[i + 1] - py[i]) * 2) + 2)]
                  for i in range(0, len(px) - 1, step)]
        out.append((m, np.concatenate(pieces)))
    return out


def names(text, mark):
    """Whether a label of the figure names this line: a run's "off the plot" its run, "∝ T" the
    dotted linear reference and "∝ T²" the dashed quadratic one. "T = N" names none."""
    if text["s"].startswith("off the plot"):
        return mark["kind"] == "line" and mark.get("label") and mark["color"] == text["color"]
    if text["s"] == "∝ T":
        return mark["kind"] == "segments"
    if text["s"] == "∝ T²":
        return mark["kind"] == "line" and mark["dash"] and not mark.get("label")
    return False


def label_problems(scene, air=2.0):
    """Labels that overlap another label, a corner legend, or a line they do not name (within
    ``air`` points), in every panel and layout."""
    problems = []
    for number, panel in enumerate(scene["panels"], 1):
        for variant, layout in figure_checks.layouts(panel):
            texts = [m for m in placed_marks(panel["marks"], layout["beside"])
                     if m["kind"] == "text"]
            boxes = [box for _, box in figure_checks.text_boxes(panel, layout)]
            legend = layout["legend"]
            others = [("legend", legend["box"])] if legend and legend["place"] != "above" else []
            lines = drawn_lines(panel, layout)
            named = [(t["s"], box) for t, box in zip(texts, boxes, strict=True)]
            for i, (text, (x0, y0, x1, y1)) in enumerate(zip(texts, boxes, strict=True)):
                where = f"panel {number} ({variant}): {text['s']!r}"
                for name, (a0, b0, a1, b1) in others + named[:i] + named[i + 1:]:
                    if a0 < x1 + air and x0 < a1 + air and b0 < y1 + air and y0 < b1 + air:
                        problems.append(f"{where} overlaps {name!r}")
                for mark, pts in lines:
                    inside = ((pts[:, 0] > x0 - air) & (pts[:, 0] < x1 + air)
                              & (pts[:, 1] > y0 - air) & (pts[:, 1] < y1 + air))
                    if inside.any() and not names(text, mark):
                        problems.append(f"{where} lies on {mark.get('label', mark['kind'])}")
    return problems


def test_no_label_overlaps_another_or_a_line_it_does_not_name():
    """The desk: at noise 0.08 and T = 50 the red "off the plot at step 28" ran into the dashed
    T = 50 rule and its label. The task's end is now a shaded band (no rule to cross) named at
    the bottom, by the axis; panel b's references are named beside them. At every control's ends,
    every guided step and the horizons around the desk's case, wide and narrow, no label overlaps
    another label, a corner legend, or a line it does not name."""
    from visual_essay.registry import compute
    problems = {}
    for case in label_cases():
        found = label_problems(compute("bc_drift", case, WIDGETS))
        if found:
            problems[str(case)] = found
    assert problems == {}


def test_the_reference_curves_differ_by_pattern_and_are_named_beside_them():
    """The desk: panel b's "∝ T²" and "∝ T" were both grey dashed lines, told apart by a shade
    and a dash length. Now T² is a dashed line and T a dotted one (short segments), each named
    beside its curve on the side away from the other (T above-left, T² below-right), not in the
    legend, which lists the policies."""
    for noise, horizon in ((0.03, 100), (0.08, 150), (0.08, 50), (0.02, 100)):
        scene = bc.compute(noise, horizon, True, 1)
        panel = scene["panels"][1]
        quadratic = [m for m in marks(scene, 1) if m["dash"] and not m.get("label")]
        linear = marks(scene, 1, "segments")
        assert len(quadratic) == 1 and len(linear) == 1
        assert linear[0]["width"] <= 1.5
        for _, layout in figure_checks.layouts(panel):  # in points, as drawn at each width
            X, Y, _ = figure_checks.maps(layout)
            px, py = X(linear[0]["x"]), Y(linear[0]["y"])
            lengths = np.hypot(np.diff(px)[::2], np.diff(py)[::2])
            assert len(lengths) >= 10 and lengths.max() < 2  # dots, not dashes
        said = {m["s"]: m for m in marks(scene, 1, "text")}
        assert set(said) == {"∝ T", "∝ T²"}
        assert all(m["beside"] for m in said.values())
        assert said["∝ T"]["beside"][0] == "above left"
        assert said["∝ T²"]["beside"][0] == "below right"
        for _, layout in figure_checks.layouts(panel):
            assert [e["label"] for e in layout["legend"]["entries"]] == ["BC", "DAgger"]
    # Under REFERENCE_MIN the curves are short and stepped: no references to name there.
    low = bc.compute(0.03, 20, True, 1)
    assert low["panels"][1]["marks"] and not marks(low, 1, "segments")
    assert not marks(low, 1, "text")


@pytest.mark.parametrize("noise,horizon,seed", [(0.03, 100, 1), (0.08, 50, 1), (0.08, 150, 2),
                                                (0.05, 20, 3)])
def test_hiding_dagger_keeps_its_legend_entries_greyed_and_its_readouts_say_so(noise, horizon,
                                                                              seed):
    """The desk: "Show DAgger" off dropped DAgger's entries from both legends and turned three
    readouts into "hidden". Off, both legends keep the DAgger entry, greyed, in the same place;
    the readouts keep their rows and say "off". The eighth desk: the entry then read
    "DAgger (off)", a label changed by a touch. Now the legends' words are the same either way:
    only the entry's colour says it is off (and the readouts)."""
    on, off = bc.compute(noise, horizon, True, seed), bc.compute(noise, horizon, False, seed)
    for number in (0, 1):
        for (_, shown), (_, hidden) in zip(figure_checks.layouts(on["panels"][number]),
                                           figure_checks.layouts(off["panels"][number]),
                                           strict=True):
            if shown["legend"] is None:  # no cost to draw: a note instead, either way
                assert hidden["legend"] is None
                continue
            assert hidden["legend"] == shown["legend"]  # the same words in the same places
        shown = next(m for m in on["panels"][number]["marks"] if m.get("label") == "DAgger")
        key = next(m for m in off["panels"][number]["marks"] if m.get("label") == "DAgger")
        assert shown["color"] == "blue"
        assert key["color"] == "muted" and key["x"] == []  # greyed, and nothing drawn
        assert key["dash"] == shown["dash"]  # the same swatch, but for its colour
    read = {r["label"]: r["text"] for r in off["readouts"]}
    assert [r["label"] for r in off["readouts"]] == [r["label"] for r in on["readouts"]]
    # No wider than the numbers: the readouts keep their places (the engine reserves each value's
    # widest in the table, and a longer word would only widen them all)
    assert [v for k, v in read.items() if k.startswith("DAgger")] == ["off"] * 3


@pytest.mark.parametrize("dagger", [True, False])
def test_the_paths_legend_wraps_into_even_rows(dagger):
    """The eighth desk: on a phone panel a's legend wrapped with "DAgger" alone on its second
    row. Now its four entries take one row on a desktop and two rows of two on a phone (the data,
    then the policies), with DAgger shown or hidden."""
    scene = bc.compute(0.03, 100, dagger, 1)
    rows = {}
    for variant, layout in figure_checks.layouts(scene["panels"][0]):
        entries = layout["legend"]["entries"]
        ys = sorted({e["y"] for e in entries})
        rows[variant] = [[e["label"] for e in entries if e["y"] == y] for y in ys]
    assert rows == {"wide": [["band ±0.12", "expert demos", "cloning (BC)", "DAgger"]],
                    "narrow": [["band ±0.12", "expert demos"], ["cloning (BC)", "DAgger"]]}


def test_the_demos_are_said_to_overlap_because_they_do():
    """The desk: the title said "the 8 demos", but they are drawn as one teal line. They are 8
    lines (the widget draws each), and they coincide at this scale: the expert corrects half its
    error each step, so they stay within a few hundredths of the centre, a line's width or so
    apart here. The title says they overlap."""
    for seed in (1, 2, 7):
        scene = bc.compute(0.03, 100, True, seed)
        panel = scene["panels"][0]
        demos = [m for m in marks(scene, 0) if m["color"] == bc.EXPERT]
        assert len(demos) == bc.DEMOS
        assert panel["title"].startswith(f"the lane, {bc.DEMOS} overlapping demos")
        ys = np.array([m["y"] for m in demos])
        spread = np.median(np.ptp(ys, axis=0))  # across the demos, at a typical step
        for _, layout in figure_checks.layouts(panel):
            _, Y, _ = figure_checks.maps(layout)
            assert abs(Y(spread) - Y(0)) < 2.5  # points: about the lines' width apart


@pytest.mark.parametrize("noise", [0.0, 0.03, 0.08])
@pytest.mark.parametrize("dagger", [True, False])
def test_the_stacked_panels_plots_share_their_left_edge(noise, dagger):
    """The desk (1280): (b), 384 px wide, sat centred under the 461 px (a), so their plots'
    left edges stood 38 px apart (x = 264 and 302) and the two horizon axes did not line up.
    Stacked in one column, the panels are as wide, and each plot starts as far from its panel's
    left edge and ends as far from its right: the same x on the page, on a desktop and a phone."""
    from . import figure_checks

    panels = bc.compute(noise=noise, horizon=100, dagger=dagger, seed=1)["panels"]
    assert len(panels) == 2
    edges = set()
    for variant in ("wide", "narrow"):
        for panel in panels:
            layout = dict(figure_checks.layouts(panel)).get(variant, panel)
            _, _, (x0, _, x1, _) = figure_checks.maps(layout)
            edges.add((variant, layout["size"][0], x0, x1))
    assert len({e for e in edges if e[0] == "wide"}) == 1, edges
    assert len({e for e in edges if e[0] == "narrow"}) == 1, edges


# ---- the eleventh graphics desk: each reference's name nearest its own curve; a fixed key -------

def box_distance(box, pts):
    """The distance in points from a box (x0, y0, x1, y1) to the nearest of ``pts`` (n, 2)."""
    x0, y0, x1, y1 = box
    dx = np.maximum(np.maximum(x0 - pts[:, 0], pts[:, 0] - x1), 0)
    dy = np.maximum(np.maximum(y0 - pts[:, 1], pts[:, 1] - y1), 0)
    return float(np.hypot(dx, dy).min())


def reference_cases():
    """Every noise the slider reaches at the default horizon and the longest, the guided steps
    and the controls' ends."""
    cases = [{"noise": noise, "horizon": horizon, "dagger": True, "seed": 1}
             for noise in bc.NOISES for horizon in (100, 150)]
    return cases + label_cases()


def test_each_reference_name_lies_nearer_its_own_curve_than_any_other():
    """The eleventh desk: at noise 0.08 (step 5) "∝ T²" sat clear of every line but under
    DAgger's blue dashes, not beside its own grey dashed curve, so it read as DAgger's label. At
    every noise the slider reaches (and every guided step and control end), wide and narrow, the
    nearest drawn curve to each reference's name is the curve it names, by a margin."""
    from visual_essay.registry import compute
    problems = []
    for case in reference_cases():
        scene = compute("bc_drift", case, WIDGETS)
        panel = scene["panels"][1]
        for variant, layout in figure_checks.layouts(panel):
            texts = [m for m in placed_marks(panel["marks"], layout["beside"])
                     if m["kind"] == "text"]
            boxes = [box for _, box in figure_checks.text_boxes(panel, layout)]
            lines = drawn_lines(panel, layout)
            for text, box in zip(texts, boxes, strict=True):
                if not text["s"].startswith("∝"):
                    continue
                own = [box_distance(box, pts) for mark, pts in lines if names(text, mark)]
                other = [box_distance(box, pts) for mark, pts in lines if not names(text, mark)]
                assert len(own) == 1
                if other and not own[0] + 2 <= min(other):
                    problems.append(f"{case} {variant}: {text['s']!r} {own[0]:.1f} pt from its "
                                    f"curve, {min(other):.1f} from another")
    assert problems == []


@pytest.mark.parametrize("dagger", [True, False])
def test_panel_bs_key_is_the_same_at_the_noise_sliders_ends_and_default(dagger):
    """The eleventh desk: at noise 0 (b)'s key lost its entries (no run leaves the band, and the
    panel said so instead of drawing). A key must not change with a control: at noise 0, the
    default and 0.08, wide and narrow, (b) keys the same entries, in the same swatches."""
    keys = {}
    for noise in (0.0, 0.03, 0.08):
        panel = bc.compute(noise, 100, dagger, 1)["panels"][1]
        for variant, layout in figure_checks.layouts(panel):
            assert layout["legend"] is not None, (noise, variant)
            keys.setdefault(variant, []).append(
                [(e["label"], e.get("color"), e.get("dash")) for e in layout["legend"]["entries"]])
    for variant, seen in keys.items():
        assert [e[0] for e in seen[0]] == ["BC", "DAgger"]
        assert seen[0] == seen[1] == seen[2], variant


# ---- the twelfth and thirteenth desks: the expert against cloning under protanopia ---------------

HUE_APART = 25.0  # CIELAB a*b* distance: two hues a reader names differently, not two greys


@pytest.mark.parametrize("noise", [0.0, 0.03, 0.08])
def test_cloning_and_the_expert_differ_in_hue_for_every_reader_not_only_in_lightness(noise):
    """The desks: under protanopia cloning's red run and the expert's teal demos were both solid
    greys (a*b* 13 apart), told apart only by weight and position. As drawn (the demos' opacity
    on the page's background), their colours stay apart in hue, not only in lightness, for
    typical vision and deuteranopia, protanopia and tritanopia, in both colour schemes."""
    from visual_essay.testing import VISIONS, _lab, _rgb, palettes
    scene = bc.compute(noise, 100, True, 1)
    run = next(m for m in marks(scene, 0) if m.get("label") == "cloning (BC)")
    demo = next(m for m in marks(scene, 0) if m.get("label") == "expert demos")
    assert demo["width"] < run["width"] and not run["dash"] and not demo["dash"]
    near = []
    for scheme, (pal, bg) in palettes().items():
        drawn = [m["opacity"] * _rgb(pal[m["color"]]) + (1 - m["opacity"]) * _rgb(bg)
                 for m in (run, demo)]
        for vision in (None, *VISIONS):
            (_, *ab_run), (_, *ab_demo) = _lab(np.array(drawn), vision)
            apart = float(np.hypot(*np.subtract(ab_run, ab_demo)))
            if apart < HUE_APART:
                near.append(f"{vision or 'typical'} ({scheme}): {apart:.0f}")
    assert not near, near


# ---- the thirteenth desk: a light pinned block -------------------------------------------------

# px from the top of a 1280 x 800 screen where the pinned caption ends (409 before)
PINNED_BOTTOM = 294


@pytest.mark.browser
def test_the_pinned_controls_and_caption_leave_the_steps_most_of_a_desktop_screen(
        browser, sites, pyodide_files):
    """The thirteenth desk: at 1280 x 800 the figure's controls and caption stay pinned at the top
    while its steps scroll under them, and the steps are read in what is left; bc_drift's block
    ended at 409 px. The caption now says what is drawn and what to look for, and ends by 294 px
    (a longer caption later fails here)."""
    from .pinned import pinned_bottom
    bottom = pinned_bottom(browser, sites, pyodide_files, "imitation.html", "bc_drift")
    assert 0 < bottom <= PINNED_BOTTOM + 4, f"pinned block ends at {bottom:.0f} px"
