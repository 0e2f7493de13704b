"""ACT's claims on the widget's own runs: chunks mean fewer decisions and jumps at chunk boundaries,
temporal ensembling removes the jumps, and nobody reacts to a surprise as fast as single-step.

The widget computes each run in closed form or as one linear system; these tests re-run the robot
step by step, as a controller would, and check the widget's numbers, its alt text and its readouts
against that."""

import itertools
import math
import re

import numpy as np
import pytest

from widgets import action_chunking as ac

SEEDS = range(30)
A = 1 - ac.RETURN_RATE


def reference(t, push_at=ac.PUSH_AT):
    t = np.asarray(t)
    return (0.5 * np.sin(2 * np.pi * t / 100) + 0.2 * np.sin(2 * np.pi * t / 37)
            + (ac.PUSH * (t >= push_at) if push_at is not None else 0.0))


def simulate(mode, k, m, error, sensor, push_at=ac.PUSH_AT):
    """Executed positions, step by step. Each query sees the arm (plus sensor noise) and the
    reference as it is now, and plans k targets that remove 15% of its error per step, plus its
    own error; a bump after the query is unknown to it. ``push_at=None``: no bump."""
    k = 1 if mode == "single" else k
    p = np.empty(ac.STEPS + 1)
    p[0] = reference(0, push_at)
    plan = []
    predictions = {}  # step -> targets for it, oldest query first
    for t in range(ac.STEPS):
        if mode == "ensembled" or t % k == 0:
            j = np.arange(1, k + 1)
            known = reference(t + j, push_at)
            if push_at is not None and t < push_at:
                known = known - ac.PUSH * (t + j >= push_at)
            targets = known + (p[t] + sensor[t] - reference(t, push_at)) * A ** j + error[t]
            if mode == "ensembled":
                for step, target in zip(t + j, targets, strict=True):
                    predictions.setdefault(int(step), []).append(target)
            else:
                plan = list(targets)
        if mode == "ensembled":
            targets = np.array(predictions.pop(t + 1))
            w = np.exp(-m * np.arange(len(targets)))  # oldest first
            p[t + 1] = (w / w.sum()) @ targets
        else:
            p[t + 1] = plan.pop(0)
    return p


def deviations(mode, k, noise, m, seed, push_at=ac.PUSH_AT):
    error, sensor = ac.draws(noise, seed)
    t = np.arange(ac.STEPS + 1)
    return simulate(mode, k, m, error, sensor, push_at) - reference(t, push_at)


def bump_effect(mode, k, m, push_at=ac.PUSH_AT):
    """The bump's own effect: the run with the bump minus the same run without it."""
    error, sensor = ac.draws(0.05, 7)
    t = np.arange(ac.STEPS + 1)
    with_bump = simulate(mode, k, m, error, sensor, push_at) - reference(t, push_at)
    without = simulate(mode, k, m, error, sensor, None) - reference(t, None)
    return (with_bump - without)[push_at:]


def steps_to(effect, fraction):
    """Steps after the bump until |effect| ≤ fraction × bump (first time)."""
    for n, x in enumerate(effect):
        if abs(x) <= fraction * ac.PUSH + 1e-12:
            return n
    return len(effect)


def steps_settled(effect, fraction=ac.SETTLED):
    """Steps after the bump until |effect| stays ≤ fraction × bump to the end of the run."""
    n = len(effect)
    while n > 0 and abs(effect[n - 1]) <= fraction * ac.PUSH + 1e-12:
        n -= 1
    return n


def pooled_jumps(k, noise, m, seeds=SEEDS):
    """RMS jump |Δ(executed − reference)| over steps 2 … 74 pooled over seeds: single-step,
    chunked at the first step of a chunk, chunked inside a chunk, ensembled."""
    squares = {"single": [], "boundary": [], "inside": [], "ensembled": []}
    steps = np.arange(2, ac.PUSH_AT)
    boundary = (steps - 1) % k == 0
    for seed in seeds:
        e = ac.runs(k, noise, m, seed)
        jump = (e[:, steps] - e[:, steps - 1]) ** 2
        squares["single"] += list(jump[0])
        squares["boundary"] += list(jump[1][boundary])
        squares["inside"] += list(jump[1][~boundary])
        squares["ensembled"] += list(jump[2])
    return {key: math.sqrt(np.mean(v)) for key, v in squares.items() if v}


def mean_tracking(k, noise, m, seeds=SEEDS):
    return np.mean([[ac.tracking_error(e) for e in ac.runs(k, noise, m, s)] for s in seeds], 0)


# ---- the model: the widget's closed forms and solve are the robot's step-by-step run ---------

@pytest.mark.parametrize("k,noise,m,seed", [(1, 0.04, 0.01, 0), (2, 0.1, 0.5, 1),
                                            (7, 0.0, 0.2, 2), (20, 0.04, 0.01, 4),
                                            (37, 0.06, 0.0, 5), (50, 0.1, 0.5, 6)])
def test_the_widgets_closed_forms_and_solve_are_the_step_by_step_run(k, noise, m, seed):
    e = ac.runs(k, noise, m, seed)
    for row, mode in enumerate(ac.MODES):
        assert np.allclose(e[row], deviations(mode, k, noise, m, seed), atol=1e-10), mode


@pytest.mark.parametrize("k,m", [(1, 0.0), (3, 0.3), (20, 0.01), (50, 0.5)])
def test_the_bump_effect_is_the_run_minus_the_same_run_without_the_bump(k, m):
    effects = ac.bump_effects(k, m)
    for row, mode in enumerate(ac.MODES):
        assert np.allclose(effects[row], bump_effect(mode, k, m), atol=1e-10), mode


def test_chunks_and_ensembles_of_one_are_single_step_control_exactly():
    for seed in range(3):
        e = ac.runs(1, 0.05, 0.3, seed)
        assert np.allclose(e[1], e[0]) and np.allclose(e[2], e[0])


def test_ensemble_weights_put_the_oldest_prediction_first():
    w = ac.ensemble_weights(5, 0.01)
    assert np.isclose(w.sum(), 1) and np.all(np.diff(w) < 0) and w.argmax() == 0
    assert np.allclose(ac.ensemble_weights(4, 0.0), 0.25)  # m = 0: a plain average
    for k, m in ((5, 0.01), (20, 0.3), (50, 0.5)):
        row = ac.weights("ensembled", k, m)[100]  # the k predictions for step 100
        assert np.allclose(row[100 - k:100], ac.ensemble_weights(k, m))  # oldest query first
        assert np.isclose(row.sum(), 1) and np.count_nonzero(row) == k


# ---- decisions: a chunk runs open-loop between its ⌈T / k⌉ queries ---------------------------

@pytest.mark.parametrize("k", [1, 2, 7, 20, 50])
def test_a_chunk_runs_open_loop_so_only_its_ceil_t_over_k_queries_decide(k):
    """Change what the arm senses at one step: the chunked run changes only if that step is one
    of its queries. Counting the steps that matter counts the decisions: ⌈150 / k⌉."""
    error, sensor = ac.draws(0.04, 3)
    base = simulate("chunked", k, 0.0, error, sensor)
    decisive = []
    for t in range(ac.STEPS):
        nudged = sensor.copy()
        nudged[t] += 0.05
        if not np.allclose(simulate("chunked", k, 0.0, error, nudged), base):
            decisive.append(t)
    assert decisive == list(ac.query_times("chunked", k))
    assert len(decisive) == math.ceil(ac.STEPS / k)


def test_ensembling_queries_every_step_but_each_query_moves_a_step_by_its_weight_only():
    error, sensor = ac.draws(0.04, 3)
    k, m, t = 20, 0.01, 40
    base = simulate("ensembled", k, m, error, sensor)
    nudged = sensor.copy()
    nudged[t] += 0.05
    moved = simulate("ensembled", k, m, error, nudged) - base
    assert np.all(moved[:t + 1] == 0) and moved[t + 1] != 0
    newest = ac.ensemble_weights(k, m)[-1]
    assert np.isclose(moved[t + 1], newest * A * 0.05)  # the newest prediction's share only


# ---- jumps: naive chunks jump where plans meet; ensembling removes the jumps -----------------

@pytest.mark.parametrize("noise", [0.0, 0.04, 0.1])
def test_naive_chunking_jumps_at_chunk_boundaries_at_least_four_times_more_than_inside(noise):
    for k in (2, 5, 20, 50):
        j = pooled_jumps(k, noise, 0.01)
        assert j["boundary"] > 4 * j["inside"], k


@pytest.mark.parametrize("noise", [0.0, 0.04, 0.1])
def test_chunking_makes_jumps_rarer_not_smaller_boundary_jumps_match_single_step(noise):
    for k in (2, 5, 20, 50):
        j = pooled_jumps(k, noise, 0.01)
        assert 0.7 < j["boundary"] / j["single"] < 1.3, k


@pytest.mark.parametrize("noise", [0.0, 0.04, 0.1])
def test_temporal_ensembling_removes_most_of_the_boundary_jump(noise):
    for k in (3, 5, 10, 20, 35, 50):
        for m in (0.0, 0.01, 0.1, 0.5):
            j = pooled_jumps(k, noise, m)
            if m <= 0.1:
                assert j["ensembled"] < 0.45 * j["boundary"], (k, m)
            if k >= 5:
                assert j["ensembled"] < 0.5 * j["boundary"], (k, m)
            if k >= 10 and m <= 0.1:
                assert j["ensembled"] < 0.2 * j["boundary"], (k, m)


@pytest.mark.parametrize("noise", [0.04, 0.1])
def test_a_large_m_gives_back_part_of_the_jump_as_the_oldest_prediction_takes_over(noise):
    for k in (10, 20, 35, 50):
        assert pooled_jumps(k, noise, 0.5)["ensembled"] > \
            2 * pooled_jumps(k, noise, 0.01)["ensembled"], k


# ---- tracking: fewer decisions, fewer errors to compound -------------------------------------

@pytest.mark.parametrize("noise", [0.0, 0.04, 0.1])
def test_before_the_bump_chunks_track_closer_than_single_step_and_ensembling_closer_still(noise):
    previous = np.inf
    for k in (2, 3, 5, 10, 20, 35, 50):
        single, chunked, ensembled = mean_tracking(k, noise, 0.01)
        assert ensembled < chunked < single, k
        assert chunked < previous, k  # longer chunks, fewer decisions, less error
        previous = chunked


# ---- the bump: nobody reacts as fast as single-step ------------------------------------------

def test_single_step_makes_up_half_the_bump_in_five_steps_and_chunks_wait_for_their_next_query():
    single = steps_to(bump_effect("single", 1, 0.0), ac.HALF)
    assert single == 5  # 0.85^5 < 0.5 < 0.85^4
    for k in range(1, ac.MAX_K + 1):
        wait = math.ceil(ac.PUSH_AT / k) * k - ac.PUSH_AT
        chunked = steps_to(bump_effect("chunked", k, 0.0), ac.HALF)
        assert chunked == wait + single, k
        assert ac.reaction(ac.bump_effects(k, 0.0))[0][1] == chunked


def test_ensembling_reacts_more_slowly_as_m_grows():
    for k in range(2, ac.MAX_K + 1):
        half = ac._by_k(k)[1]
        full = ac.reaction(ac.bump_responses("ensembled", k, ac.M_GRID))[0]
        assert np.array_equal(half, full)  # the widget's shortened solve loses nothing
        assert np.all(np.diff(half) >= 0), k  # never faster for a larger m
        if k >= 10:
            assert half[-1] > half[0], k


def test_ensembling_reacts_no_faster_than_single_step_and_for_k_over_2_slower():
    single = steps_to(bump_effect("single", 1, 0.0), ac.HALF)
    for k in (2, 3, 10, 20, 50):
        for m in (0.0, 0.01, 0.5):
            ensembled = steps_to(bump_effect("ensembled", k, m), ac.HALF)
            assert ensembled >= single and (k <= 2 or ensembled > single), (k, m)


def test_ensembling_with_m_0_reacts_like_a_chunk_averaged_over_when_the_bump_comes():
    """Plain averaging (m = 0) makes up half the bump in about the time a chunk of the same k
    takes on average over where in its chunk the bump falls: within one step."""
    for k in (5, 10, 20, 35, 50):
        ensembled = steps_to(bump_effect("ensembled", k, 0.0), ac.HALF)
        chunked = [steps_to(bump_effect("chunked", k, 0.0, push_at), ac.HALF)
                   for push_at in range(ac.MAX_K, ac.MAX_K + k)]  # every phase; all end in time
        assert abs(ensembled - np.mean(chunked)) <= 1, k


# ---- what the figure says is what was computed ------------------------------------------------

CASES = [dict(chunk=20, noise=0.04, m=0.01, seed=4), dict(chunk=1, noise=0.0, m=0.0, seed=0),
         dict(chunk=50, noise=0.1, m=0.5, seed=2**31 - 1), dict(chunk=2, noise=0.1, m=0.0, seed=9),
         dict(chunk=37, noise=0.02, m=0.25, seed=11)]


def expected(chunk, noise, m, seed):
    """Every number the figure states, recomputed from the step-by-step runs."""
    e = [deviations(mode, chunk, noise, m, seed) for mode in ac.MODES]
    steps = np.arange(2, ac.PUSH_AT)
    jumps = [np.abs(x[steps] - x[steps - 1]) for x in e]
    boundary = (steps - 1) % chunk == 0
    def rms(x):
        return math.sqrt(np.mean(x ** 2))

    effects = [bump_effect(mode, chunk, m) for mode in ac.MODES]
    grid = [steps_to(bump_effect("ensembled", chunk, mm), ac.HALF) for mm in ac.M_GRID]
    w = np.exp(-m * np.arange(chunk))
    return dict(
        plans=math.ceil(ac.STEPS / chunk), single=rms(jumps[0]), boundary=rms(jumps[1][boundary]),
        inside=rms(jumps[1][~boundary]) if chunk > 1 else None, ensembled=rms(jumps[2]),
        half=[steps_to(x, ac.HALF) for x in effects], settled=[steps_settled(x) for x in effects],
        tracking=[rms(x[1:ac.PUSH_AT]) for x in e], grid=grid,
        newest=w[-1] / w.sum(), oldest=w[0] / w.sum())


@pytest.mark.parametrize("case", CASES)
def test_alt_text_and_readouts_state_the_recomputed_numbers(case):
    scene = ac.compute(**case)
    x = expected(**case)
    alt = scene["alt"]
    readouts = {r["label"]: r["text"] for r in scene["readouts"]}
    def g(v):
        return f"{v:.2g}"

    k = case["chunk"]

    # The jumps: over RUNS runs in the alt text and panel b alike (the reviewer found one run's
    # 0.013 in the alt text against the readouts' 0.082, k = 50).
    pooled = stepwise_pooled_jumps(k, case["noise"], case["m"])
    assert f"each of its {ac.STEPS} steps" in alt
    if pooled["inside"] is None:
        assert "chunks of k = 1 are single-step control" in alt
    else:
        assert f"start {x['plans']} plans" in alt
        assert f"(RMS over {ac.RUNS} runs {g(pooled['boundary'])} before the bump) is " \
               f"{g(pooled['boundary'] / pooled['inside'])} times the jump inside a chunk " \
               f"({g(pooled['inside'])})" in alt
    values = [t["s"] for t in scene["panels"][1]["marks"] if t["kind"] == "text"][1::2]
    assert values == [g(pooled["single"]), g(pooled["boundary"]),
                      "none: k = 1" if pooled["inside"] is None else g(pooled["inside"]),
                      g(pooled["ensembled"])]
    half, settled = x["half"], x["settled"]
    def short(n):
        return f"{n}" if n < ac.NB else f">{ac.NB - 1}"

    for name, h, n in zip(("single-step", "chunked", "ensembled"), half, settled, strict=True):
        assert readouts[f"{name}: steps to make up the bump"] == \
            f"half in {short(h)}, 90% in {short(n)}"
    assert (f"half of it is made up in {half[0]} steps single-step, {half[1]} chunked and "
            f"{half[2]} ensembled") in alt
    if max(x["grid"]) > min(x["grid"]):
        assert f"ensembling takes {min(x['grid'])} to {max(x['grid'])} steps" in alt
    else:
        assert f"ensembling takes {min(x['grid'])} steps at every m" in alt
    def pct(v):
        return ("<0.001%" if 100 * v < 0.001 else f"{100 * v:.0f}%" if 100 * v >= 10
                else f"{100 * v:.2g}%")

    # panel (a): each lane's label gives its plans and its tracking error before the bump
    lanes = [t["s"] for t in scene["panels"][0]["marks"] if t["kind"] == "text"]
    assert lanes == [f"single-step: {ac.STEPS} plans, RMS {g(x['tracking'][0])}",
                     f"chunked, k = {k}: {x['plans']} plans, RMS {g(x['tracking'][1])}",
                     f"ensembled, m = {case['m']:g}: {ac.STEPS} plans, RMS {g(x['tracking'][2])}"]
    weights = readouts["ensembled: weight of the newest prediction"]
    if k == 1:
        assert weights == "100%, the only one"
    else:
        assert weights == f"{pct(x['newest'])} (oldest {pct(x['oldest'])})"
    assert f"averages up to {k} prediction" in alt and f"(m = {case['m']:g})" in alt


def stepwise_pooled_jumps(k, noise, m, seeds=range(ac.RUNS)):
    """The jumps the sentences quote, pooled over RUNS runs, from the step-by-step controller."""
    squares = {"single": [], "boundary": [], "inside": [], "ensembled": []}
    steps = np.arange(2, ac.PUSH_AT)
    boundary = (steps - 1) % k == 0
    for seed in seeds:
        e = [deviations(mode, k, noise, m, seed) for mode in ac.MODES]
        jumps = [(x[steps] - x[steps - 1]) ** 2 for x in e]
        squares["single"] += list(jumps[0])
        squares["boundary"] += list(jumps[1][boundary])
        squares["inside"] += list(jumps[1][~boundary])
        squares["ensembled"] += list(jumps[2])
    return {key: math.sqrt(np.mean(v)) if v else None for key, v in squares.items()}


@pytest.mark.parametrize("case", CASES)
def test_the_values_sentences_quote_are_the_step_by_step_runs(case):
    from visual_essay.registry import compute
    from widgets import WIDGETS
    values = compute("action_chunking", case, WIDGETS)["values"]
    k, noise, m = case["chunk"], case["noise"], case["m"]
    pooled = stepwise_pooled_jumps(k, noise, m)
    half = [steps_to(bump_effect(mode, k, m), ac.HALF) for mode in ac.MODES]
    def steps(n):
        return f"{n} step{'' if n == 1 else 's'}"

    assert values == {
        "decisions": f"{math.ceil(ac.STEPS / k)} decisions",
        "jump_single": f"{pooled['single']:.2g}", "jump_boundary": f"{pooled['boundary']:.2g}",
        "jump_inside": "none" if pooled["inside"] is None else f"{pooled['inside']:.1g}",
        "jump_ensembled": f"{pooled['ensembled']:.1g}", "half_single": steps(half[0]),
        "half_chunked": steps(half[1]), "half_ensembled": steps(half[2])}
    # the same for every seed of the figure: they are pooled over fixed runs, not this one
    assert compute("action_chunking", {**case, "seed": case["seed"] // 2}, WIDGETS)["values"] == \
        values


def test_the_chapter_walks_through_the_jumps_and_the_reaction_quoting_the_figure():
    """The guide's steps hold the figure at k = 20 and m = 0.01, then m = 0.5: each sentence there
    quotes the values, and says in words what the step-by-step runs show."""
    from . import chapter
    page = "diffusion.md"
    walked = [(p["chunk"], p["noise"], p["m"]) for key, p in chapter.steps(page)
              if key == "action_chunking"]
    assert walked == [(20, 0.04, 0.01), (20, 0.04, 0.01), (20, 0.04, 0.01), (20, 0.04, 0.5)]
    assert ac.PARAMS[1].default == 0.04  # "at the default policy error"
    pooled = stepwise_pooled_jumps(20, 0.04, 0.01)
    # about as large at chunk starts as single-step; smooth inside; ensembling removes most
    assert 0.7 < pooled["boundary"] / pooled["single"] < 1.3
    assert pooled["inside"] < 0.1 * pooled["boundary"]
    assert pooled["ensembled"] < 0.2 * pooled["boundary"]
    half = [steps_to(bump_effect(mode, 20, 0.01), ac.HALF) for mode in ac.MODES]
    late = steps_to(bump_effect("ensembled", 20, 0.5), ac.HALF)
    assert half[0] < half[1] < half[2] < late
    text = chapter.rendered(page)
    assert (f"chunks of 20 make {math.ceil(ac.STEPS / 20)} decisions in a 150-step run where "
            f"single-step control makes 150") in text
    assert (f"({pooled['boundary']:.2g} against {pooled['single']:.2g} RMS), while inside a chunk "
            f"the arm moves smoothly ({pooled['inside']:.1g}).") in text
    assert (f"Temporal ensembling removes most of the boundary jump ({pooled['ensembled']:.1g})"
            ) in text
    assert (f"makes up half of it in {half[0]} steps; an open-loop chunk takes {half[1]} steps at "
            f"k = 20, since it first runs out its chunk and waits for its next query; ensembling "
            f"takes {half[2]} steps") in text
    assert f"at m = 0.5 ensembling takes {late} steps." in text
    source = chapter.prose(page)
    for name in ("decisions", "jump_boundary", "jump_single", "jump_inside", "jump_ensembled",
                 "half_single", "half_chunked", "half_ensembled"):
        assert "{=action_chunking." + name + "}" in source, name


@pytest.mark.parametrize("case", CASES)
def test_the_scene_stays_small_and_the_run_unfolds_in_frames(case):
    import json
    scene = ac.compute(**case)
    assert len(json.dumps(scene)) <= 40_000
    assert scene["frames"]["count"] == ac.FRAMES
    lines = [mk for mk in scene["panels"][0]["marks"] if mk["kind"] == "line" and "frame" in mk]
    last = max(len(mk["x"]) for mk in lines)
    assert last == ac.STEPS + 1 and min(len(mk["x"]) for mk in lines) < last


# ---- what the review found -------------------------------------------------------------------

@pytest.mark.parametrize("chunk,m,noise", [(1, 0.0, 0.04), (1, 0.5, 0.04), (2, 0.5, 0.04),
                                           (20, 0.01, 0.04), (50, 0.0, 0.04), (50, 0.5, 0.1)])
def test_readouts_print_plain_numbers_and_agree_in_number(chunk, m, noise):
    """At k = 1 the review found "1e+02% / 1e+02%" and "1 steps"; at k = 50 and m = 0.5 the
    oldest prediction's weight printed "9e-10%"."""
    from visual_essay.params import format_value
    scene = ac.compute(chunk=chunk, noise=noise, m=m, seed=4)
    said = " ".join(f"{r['label']} {r['text']}" for r in scene["readouts"])
    assert not re.search(r"\de[+-]\d", said)  # no "1e+02%" ("single-step" has an "e-")
    assert not re.search(r"\b1 (?:steps|predictions|queries)\b", said + " " + scene["alt"])
    slider = next(p for p in ac.PARAMS if p.name == "chunk")
    assert not re.search(r"\b1 steps\b", format_value(1, slider.unit))
    if chunk == 1:
        assert {r["label"]: r["text"] for r in scene["readouts"]}[
            "ensembled: weight of the newest prediction"] == "100%, the only one"


@pytest.mark.parametrize("chunk", [1, 20, 50])
def test_the_recovery_panel_tells_chunked_from_single_step_by_more_than_colour(chunk):
    """Red and green dashes merge under deuteranopia: the chunked line carries diamonds."""
    from visual_essay.testing import colour_only_pairs
    scene = ac.compute(chunk=chunk, noise=0.04, m=0.01, seed=4)
    recovery = scene["panels"][2]
    assert colour_only_pairs(recovery) == []
    diamonds = [mk for mk in recovery["marks"] if mk.get("shape") == "diamond"]
    assert [mk["label"] for mk in diamonds] == [f"chunked, k = {chunk}"]


@pytest.mark.parametrize("chunk", [1, 20, 50])
def test_the_bump_rule_stops_under_each_lanes_label(chunk):
    from . import figure_checks
    lanes = ac.compute(chunk=chunk, noise=0.04, m=0.01, seed=4)["panels"][0]
    rule = next(mk for mk in lanes["marks"] if mk["kind"] == "segments"
                and set(mk["x"]) == {ac.PUSH_AT})
    for _, layout in figure_checks.layouts(lanes):
        X, Y, _ = figure_checks.maps(layout)
        x = float(X(ac.PUSH_AT))
        tops = Y(rule["y"][1::2])  # each piece's upper end, in points (y down)
        bottoms = Y(rule["y"][0::2])
        for label, (x0, y0, x1, y1) in figure_checks.text_boxes(lanes, layout):
            if x0 <= x <= x1:  # a label reaching over the bump's step
                assert not any(top < y1 and bottom > y0
                               for top, bottom in zip(tops, bottoms, strict=True)), label


def test_the_recovery_dot_shows_whole_at_both_ends_of_m():
    from . import figure_checks
    for m in (0.0, 0.5):
        assert figure_checks.clipped(ac.compute(chunk=20, noise=0.04, m=m, seed=4)) == []


def test_the_caption_names_the_panels_by_letter_and_play_is_there_from_the_start():
    from . import chapter, figure_checks
    scene = ac.compute(**chapter.placed("action_chunking", "diffusion.md"))
    caption = chapter.caption("action_chunking", "diffusion.md")
    assert figure_checks.caption_problems(caption, scene) == []
    assert "Play" in caption and scene["frames"]["count"] > 1  # the figure has motion to play


# ---- what the graphics desk found: the height on a touch, a trace through a lane's label ------

def test_a_touch_keeps_the_readouts_and_the_panels_sizes():
    """The grader: on a phone the figure was 1643 px tall at the defaults, 1597 at k = 1 and
    1666 at noise 0 (readout values of different lengths wrapping differently, a readout
    renamed at k = 1). The same readouts at every setting, each value short enough for one line
    of a phone's column (measured in Chromium: 22 characters fit)."""
    from . import steady
    grid = {"chunk": (1, 2, 20, 50), "noise": (0.0, 0.04, 0.1), "m": (0.0, 0.5), "seed": (4, 7)}
    assert steady.differing(ac, grid) == []
    for chunk, noise, m, seed in itertools.product(*grid.values()):
        for r in ac.compute(chunk=chunk, noise=noise, m=m, seed=seed)["readouts"]:
            assert len(r["text"]) <= 22, (chunk, noise, m, r)


def reaching_a_label(scene):
    """(layout, label, what) for each trace, dot, tick or rule of panel (a) on its still frame
    that reaches into a lane's label, in points as the layout places them."""
    from . import figure_checks
    lanes, still = scene["panels"][0], scene["frames"]["still"]
    found = []
    for variant, layout in figure_checks.layouts(lanes):
        X, Y, _ = figure_checks.maps(layout)
        boxes = figure_checks.text_boxes(lanes, layout)
        for mk in lanes["marks"]:
            if mk["kind"] == "text" or mk.get("frame") not in (None, still):
                continue
            x, y = X(mk["x"]), Y(mk["y"])
            if mk["kind"] == "segments":  # each piece, sampled along its length
                t = np.linspace(0, 1, 9)[:, None]
                x = (x[0::2] * (1 - t) + x[1::2] * t).ravel()
                y = (y[0::2] * (1 - t) + y[1::2] * t).ravel()
            elif mk["kind"] == "line" and len(x) > 1:
                t = np.linspace(0, 1, 5)[:, None]
                x = (x[:-1] * (1 - t) + x[1:] * t).ravel()
                y = (y[:-1] * (1 - t) + y[1:] * t).ravel()
            for label, (x0, y0, x1, y1) in boxes:
                if np.any((x > x0) & (x < x1) & (y > y0) & (y < y1)):
                    found.append((variant, label, f"{mk['kind']} {mk['color']}"))
    return found


@pytest.mark.parametrize("chunk,noise,seed", [(1, 0.04, 4), (1, 0.1, 1), (2, 0.04, 1),
                                              (20, 0.1, 1), (50, 0.1, 1), (20, 0.0, 4)])
def test_no_trace_tick_or_rule_runs_through_a_lanes_label(chunk, noise, seed):
    """The grader: the bump's dip ran through a lane's label (k = 1 on a phone: the chunked and
    ensembled lanes' own traces cross their labels; at noise 0.1 single-step's does too). Each
    lane keeps a band for its label above the band its run fits in."""
    for m in (0.0, 0.5):
        assert reaching_a_label(ac.compute(chunk=chunk, noise=noise, m=m, seed=seed)) == []


def test_more_policy_error_draws_longer_jumps_and_a_longer_chunk_a_slower_recovery():
    """The fifth graphics desk: panel b's axis followed its bars (noise 0.04 and 0.1 drew the same
    bars, 0.043 against 0.1) and panel c's its lines (a chunk of 50 looked as quick as one of 5);
    at k = 1 panel b lost a row. One axis each for every setting, and the same four rows."""
    seen = {}
    for k, noise in ((1, 0.0), (1, 0.1), (20, 0.04), (20, 0.1), (50, 0.005), (50, 0.1)):
        b, c = ac.compute(chunk=k, noise=noise, m=0.01, seed=4)["panels"][1:]
        seen.setdefault("b", set()).add(tuple(b["x"]["lim"]))
        seen.setdefault(("c", k), set()).add(tuple(c["y"]["lim"]))
        labels = [m["s"] for m in b["marks"] if m["kind"] == "text"][::2]
        assert labels == ["single-step", "chunked: first step of a chunk",
                          "chunked: inside a chunk", "ensembled"], (k, noise)
    # (c): one axis per k whatever the noise (the ninth desk: one for every k left 60% of the plot
    # empty at the defaults), and a longer chunk's never the shorter one's
    assert len(seen["b"]) == 1 and all(len(v) == 1 for v in seen.values()), seen
    assert seen[("c", 1)] == seen[("c", 20)] and seen[("c", 50)] != seen[("c", 20)]
    widths = [max(max(m["x"]) for m in ac.compute(chunk=20, noise=n, m=0.01, seed=4)
                  ["panels"][1]["marks"] if m["kind"] == "polygon") for n in (0.04, 0.1)]
    assert widths[1] > 2 * widths[0]  # the single-step bar, drawn 2.5 times as long


# ---- the sixth graphics desk: panel a's scale, the readout block ------------------------------

@pytest.mark.parametrize("chunk,noise,m,seed", [(20, 0.04, 0.01, 4), (1, 0.0, 0.0, 0),
                                                (50, 0.1, 0.5, 0), (20, 0.1, 0.01, 1),
                                                (2, 0.07, 0.0, 3)])
def test_panel_a_has_a_y_scale_in_the_runs_units_the_same_in_every_lane(chunk, noise, m, seed):
    """The desk: panel a had no y scale, only a bar the bump's size, so the three traces could
    not be compared in magnitude. Each lane has ticks at its zero (the reference) and below it,
    labelled in the run's units: read through them, the drawn traces are the step-by-step runs."""
    from . import figure_checks
    scene = ac.compute(chunk=chunk, noise=noise, m=m, seed=seed)
    lanes, still = scene["panels"][0], scene["frames"]["still"]
    y = lanes["y"]
    assert not y["hidden"]
    # top lane first: every lane's ticks lie above the next lane's (a lane is taller than its run)
    ticks = sorted(zip(y["ticks"], (float(s.replace("\u2212", "-")) for s in y["ticklabels"]), strict=True),
                   reverse=True)
    assert len(ticks) % 3 == 0
    by_lane = np.array_split(np.array(ticks), 3)
    traces = [mk for mk in lanes["marks"] if mk["kind"] == "line" and mk.get("frame") == still]
    assert [mk["color"] for mk in traces] == ["red", "green", "blue"]
    (t0, v0), (t1, v1) = by_lane[0][:2]
    per_unit = (t0 - t1) / (v0 - v1)  # drawn height of one unit of distance, from the top lane
    assert per_unit > 0
    for lane, (mine, mk, mode) in enumerate(zip(by_lane, traces, ac.MODES, strict=True)):
        # one zero (the reference) per lane and at least one more tick; the same scale in all
        zero = [t for t, v in mine if v == 0]
        assert len(zero) == 1 and len(mine) >= 2, lane
        assert all(np.isclose(t - zero[0], v * per_unit, atol=1e-9) for t, v in mine), lane
        read = (np.array(mk["y"]) - zero[0]) / per_unit  # the trace, read off the axis
        assert np.allclose(read, deviations(mode, chunk, noise, m, seed), atol=2e-3), mode
    # and two tick labels never meet (11 pt apart: a 9 pt label with room)
    for _, layout in figure_checks.layouts(lanes):
        _, Y, _ = figure_checks.maps(layout)
        assert np.diff(np.sort(Y(layout["y"]["ticks"]))).min() >= 11


def test_readouts_are_few_named_and_hold_one_quantity_each():
    """The desk: seven rows of slash-separated triples ("5 / 10 / 15", "21% / 14% / 3.5%"), a
    two-column wall on a phone. Now four readouts, each label naming its mode and what it
    counts; no value is a list to be matched against an order in the label. Plans and tracking
    error moved onto panel a's lanes, the jumps stay on panel b's bars."""
    for case in CASES:
        readouts = ac.compute(**case)["readouts"]
        assert [r["label"] for r in readouts] == [
            "single-step: steps to make up the bump", "chunked: steps to make up the bump",
            "ensembled: steps to make up the bump", "ensembled: weight of the newest prediction"]
        for r in readouts:
            assert "/" not in r["label"] + r["text"], r


# ---- the eighth graphics desk: panel c's axis, the caption at rest -----------------------------

def slowest_half_recovery():
    """The most steps any mode takes to make up half the bump, over every k and every m the
    sliders offer (the step-by-step runs agree with ``reaction``: tests above)."""
    slider = next(p for p in ac.PARAMS if p.name == "m")
    ms = np.round(np.arange(slider.min, slider.max + slider.step / 2, slider.step), 2)
    return max(max(int(n) for n in ac.reaction(ac.bump_effects(k, m))[0])
               for k in range(1, ac.MAX_K + 1) for m in ms)


def test_panel_c_fits_its_axis_to_the_slowest_recovery_the_controls_reach():
    """The desk: panel c's axis ran 0 to 85 steps with its key in the plot's top quarter, while
    the three series lay between 5 and 20 at the defaults and reached about 45 at most: three
    quarters of the plot empty. No rescaling on a seed, noise or m; the larger of its two axes
    (for long chunks) tops just above the slowest half recovery any control reaches, the dot
    there shown whole, and the key above the plot, covering none of it, in the same place on
    either axis."""
    from . import figure_checks
    slowest = slowest_half_recovery()
    assert slowest == 49  # ensembling, chunks of 50, m ≥ 0.4
    lims, keys = set(), set()
    for chunk, noise, m, seed in [(20, 0.04, 0.01, 4), (20, 0.04, 0.01, 7), (1, 0.0, 0.0, 0),
                                  (9, 0.04, 0.01, 4), (37, 0.1, 0.0, 3),
                                  (50, 0.1, 0.5, 2**31 - 1), (50, 0.0, 0.4, 1)]:
        scene = ac.compute(chunk=chunk, noise=noise, m=m, seed=seed)
        recovery = scene["panels"][2]
        lims.add((tuple(recovery["y"]["lim"]), tuple(recovery["y"]["ticks"])))
        assert figure_checks.clipped(scene) == [], (chunk, m)
        for variant, layout in figure_checks.layouts(recovery):
            legend = layout["legend"]
            assert legend["place"] == "above"
            # its rows and places the same at every k (the chunked entry's name changes)
            keys.add((variant, tuple((e["x"], e["y"]) for e in legend["entries"]),
                      tuple(layout["margin"].values())))
    assert len(keys) == len({v for v, *_ in keys})
    (low, high), shown = max(lims)
    assert low == 0 and slowest < high <= 1.1 * slowest
    assert max(shown) <= high and max(shown) >= slowest


def test_the_caption_says_what_panel_a_draws_at_rest_and_what_play_adds():
    """The desk: the caption promised "orange dots: the rest of the chunk the arm has committed
    to", drawn only while Play runs, and left out the dots drawn at rest (where half the bump is
    made up, named only in the x axis's title). The caption's (a) first names what the still
    figure draws, then what Play adds; both read off the scene at the placed values."""
    from . import chapter
    scene = ac.compute(**chapter.placed("action_chunking", "diffusion.md"))
    lanes, still = scene["panels"][0], scene["frames"]["still"]
    points = [mk for mk in lanes["marks"] if mk["kind"] == "points"]
    at_rest = {mk["color"] for mk in points if mk.get("frame") in (None, still)}
    playing = {mk["color"] for mk in points if mk.get("frame") not in (None, still)}
    assert at_rest == {"ink"} and "orange" in playing  # half-way dots; the chunk ahead
    caption = chapter.caption("action_chunking", "diffusion.md")
    a = caption[caption.index("(a)"):caption.index("(b)")]
    rest, _, play = a.partition("Play")
    assert play, "the caption's (a) says what Play adds"
    assert re.search(r"\bdot\b[^;]*\bhalf the bump\b", rest), rest
    assert "orange" not in rest and "orange dots" in play


# ---- the ninth graphics desk: panel c's empty top, (a)'s ticks against a label ----------------

def recovery_share(scene):
    """How much of panel c's y axis its drawn series span (lowest to highest), and where the
    highest sits, as shares of the axis."""
    recovery = scene["panels"][2]
    ys = np.concatenate([np.asarray(mk["y"], float) for mk in recovery["marks"]
                         if mk["kind"] in ("line", "points") and len(mk["y"])])
    low, high = recovery["y"]["lim"]
    return (ys.max() - ys.min()) / (high - low), (ys.max() - low) / (high - low)


def test_panel_c_uses_its_plot_at_the_defaults_and_every_guided_step():
    """The desk: (c)'s axis ran 0-50 while at the defaults (k = 20, m = 0.01) the three series
    lay between 5 and 19, about 60% of the plot empty. At the placed values and at every guided
    step the series span more than half the axis and reach its top quarter."""
    from . import chapter
    settings = [chapter.placed("action_chunking", "diffusion.md")]
    settings += [p for key, p in chapter.steps("diffusion.md") if key == "action_chunking"]
    assert len(settings) == 5
    for params in settings:
        span, top = recovery_share(ac.compute(**{**dict(CASES[0]), **params}))
        assert span > 0.5 and top > 0.75, (params, span, top)


@pytest.mark.parametrize("chunk", [1, 2, 20, 21, 22, 37, 50])
def test_panel_c_keeps_one_axis_while_m_noise_or_seed_move(chunk):
    """Stable enough to compare: dragging m (or the noise, or a new run) never rescales (c); it
    holds every m's recovery at this k whole; over all of k there are only two axes, their
    ticks round steps."""
    from . import figure_checks
    axes = set()
    for m, noise, seed in [(0.0, 0.04, 4), (0.01, 0.0, 7), (0.25, 0.1, 1), (0.4, 0.04, 4),
                           (0.5, 0.1, 2**31 - 1)]:
        scene = ac.compute(chunk=chunk, noise=noise, m=m, seed=seed)
        axes.add((tuple(scene["panels"][2]["y"]["lim"]), tuple(scene["panels"][2]["y"]["ticks"])))
        assert figure_checks.clipped(scene) == [], (chunk, m)
    assert len(axes) == 1, axes
    tops = {ac.compute(chunk=k, noise=0.04, m=0.01, seed=4)["panels"][2]["y"]["lim"][1]
            for k in range(1, ac.MAX_K + 1)}
    assert len(tops) == 2, tops


def label_clearance(scene):
    """For panel (a) in each layout: the least vertical distance in points from a lane label's
    top up to a chunk-start tick or a piece of the bump's rule above it (over the label's x
    extent)."""
    from . import figure_checks
    lanes = scene["panels"][0]
    least = {}
    for variant, layout in figure_checks.layouts(lanes):
        X, Y, _ = figure_checks.maps(layout)
        ends = []  # (x, lower end's y in points) of every tick and rule piece
        for mk in lanes["marks"]:
            if mk["kind"] == "segments":
                x, y = X(mk["x"]), Y(mk["y"])
                ends += [(xa, max(ya, yb)) for xa, ya, yb in zip(x[0::2], y[0::2], y[1::2],
                                                                  strict=True)]
        gaps = [y0 - y for _, (x0, y0, x1, _) in figure_checks.text_boxes(lanes, layout)
                for x, y in ends if x0 <= x <= x1 and y <= y0 + 1]
        least[variant] = min(gaps)
    return least


@pytest.mark.parametrize("chunk,noise,seed", [(20, 0.04, 4), (2, 0.04, 1), (50, 0.1, 1),
                                              (5, 0.0, 4), (20, 0.1, 1)])
def test_chunk_ticks_and_the_bump_rule_keep_clear_of_the_next_lanes_label(chunk, noise, seed):
    """The desk: the chunk-start ticks (green) sat just above the "ensembled, m = ..." label and
    the bump's rule at t = 75 ran down to it. A clear gap, in both layouts."""
    for variant, gap in label_clearance(ac.compute(chunk=chunk, noise=noise, m=0.01,
                                                   seed=seed)).items():
        assert gap >= 4, (variant, gap)


# ---- the tenth graphics desk: the pinned caption took 58% of a 1280 × 800 screen ---------------

CAPTION_LINE = 50  # characters in a line of the pinned caption's column at 1280 (measured: 10
# lines for the 510 characters of "Figure 2." and the tenth desk's caption)


def test_the_pinned_caption_leaves_half_the_screen_to_read_the_steps_in():
    """The tenth desk, at 1280 × 800: controls and a 10-line pinned caption ended at 461 px, 58%
    of the screen, and steps 0 and 5 ran past its bottom. Pinned under the controls (142 px), the
    caption is at most 6 lines, so the two end above half the screen; the steps carry the
    lesson, the caption keeps what the figure cannot say (which colour is which mode, what each
    panel draws), every panel named by its letter."""
    from . import chapter
    caption = chapter.caption("action_chunking", "diffusion.md").replace("*", "")
    lines = math.ceil(len("Figure 2. " + caption) / CAPTION_LINE)
    assert lines <= 6, (lines, caption)
    for mode, colour in (("Single-step", "red"), ("chunks", "green"), ("ensembling", "blue")):
        assert re.search(rf"{mode}[^()]*\({colour}\)", caption), mode


@pytest.mark.parametrize("chunk,m", [(1, 0.0), (20, 0.2), (50, 0.5)])
def test_the_lanes_labels_start_clear_of_the_y_axis(chunk, m):
    """The eleventh desk: panel (a)'s strip labels ("single-step: 150 plans, RMS 0.052") started
    on the y axis line at both widths. Each now starts at least 6 points right of the axis, in
    the wide layout and the phone's, and stays inside the panel."""
    from . import figure_checks
    scene = ac.compute(chunk=chunk, noise=0.04, m=m, seed=1)
    lanes = scene["panels"][0]
    for variant, layout in figure_checks.layouts(lanes):
        _, _, (left, _, right, _) = figure_checks.maps(layout)
        boxes = [box for label, box in figure_checks.text_boxes(lanes, layout)
                 if "plans, RMS" in label]
        assert len(boxes) == 3
        for x0, _, x1, _ in boxes:
            assert x0 - left >= 6, (variant, x0 - left)
            assert x1 <= right, variant


# ---- the thirteenth desk: a light pinned block -------------------------------------------------

# px from the top of a 1280 x 800 screen where the pinned caption ends (368 before)
PINNED_BOTTOM = 344


@pytest.mark.browser
def test_the_pinned_controls_and_caption_leave_the_steps_most_of_a_desktop_screen(
        browser, sites, pyodide_files):
    """The thirteenth desk: at 1280 x 800 the figure's controls and caption stay pinned at the top
    while its steps scroll under them, and the steps are read in what is left; action_chunking's
    block ended at 368 px. The caption now says what is drawn and what to look for, and ends by
    344 px (a longer caption later fails here)."""
    from .pinned import pinned_bottom
    bottom = pinned_bottom(browser, sites, pyodide_files, "diffusion.html", "action_chunking")
    assert 0 < bottom <= PINNED_BOTTOM + 4, f"pinned block ends at {bottom:.0f} px"
