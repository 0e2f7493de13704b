"""Cross-embodiment transfer, on the widget's own fits, averaged over draws of demonstrations, for
both mechanisms: per-robot output maps and one shared action space (RT-X)."""

import re

import numpy as np
import pytest

from visual_essay.registry import compute
from widgets import WIDGETS
from widgets import cross_embodiment as ce

from . import chapter

SEEDS = range(12)
ARMS = (0, 1, 2)
QUADRUPED = 3
MAPS, SPACE = ce.MAPS, ce.SHARED_SPACE


def mean_errors(demos, enabled, mechanism=MAPS, seeds=SEEDS):
    """Mean held-out error per robot over seeds: (own data only, shared policy)."""
    runs = [ce.errors(demos, enabled, seed, mechanism)[:2] for seed in seeds]
    return np.mean([own for own, _ in runs], 0), np.mean([shared for _, shared in runs], 0)


def test_with_output_maps_adding_related_arms_lowers_a_data_poor_arms_error_step_by_step():
    own, _ = mean_errors(6, [0])
    _, two = mean_errors(6, [0, 1])
    _, three = mean_errors(6, [0, 1, 2])
    assert three[0] < two[0] < own[0]
    own_all, _ = mean_errors(6, [])
    for robot in ARMS:
        assert three[robot] < 0.8 * own_all[robot]


@pytest.mark.parametrize("mechanism", [MAPS, SPACE])
def test_with_all_others_off_the_shared_policy_is_the_per_robot_policy(mechanism):
    for robot in range(4):
        for demos, seed in ((3, 0), (6, 1), (40, 2)):
            own, shared, _ = ce.errors(demos, [robot], seed, mechanism)
            assert np.isclose(shared[robot], own[robot], rtol=1e-9)
            assert np.all(np.isnan(np.delete(shared, robot)))


@pytest.mark.parametrize("mechanism", [MAPS, SPACE])
def test_more_demonstrations_lower_every_per_robot_error(mechanism):
    errors = [mean_errors(demos, [], mechanism)[0] for demos in (3, 6, 12, 40)]
    assert np.all(np.diff(errors, axis=0) < 0)


def test_with_output_maps_pooling_the_arms_helps_every_arm_and_the_data_poor_most():
    for demos in (3, 6, 12, 40):
        own, shared = mean_errors(demos, list(ARMS))
        assert np.all(shared[list(ARMS)] < own[list(ARMS)]), demos

    def relative_gain(demos):
        own, shared = mean_errors(demos, list(ARMS))
        return 1 - shared[0] / own[0]

    assert relative_gain(3) > relative_gain(12) > relative_gain(40) > 0


def test_each_expert_action_makes_exactly_the_expert_motion_whatever_the_joint_count():
    d = np.random.default_rng(0).uniform(-1, 1, (4, 20, 2))
    actions = ce.expert_action(d)
    moved = np.einsum("rjk,rnk->rnj", ce.MOTION, actions)
    assert np.allclose(moved, ce.expert_motion(d))
    for robot, links in enumerate(ce.LINKS):  # unused joints of shorter arms stay still
        assert np.allclose(actions[robot, :, len(links) :], 0)


def test_the_arm_jacobian_matches_finite_differences_of_the_kinematics():
    for links, home in zip(ce.LINKS, ce.HOME, strict=True):
        q = np.array(home)
        numeric = np.stack(
            [
                (ce.arm_points(links, q + 1e-6 * e)[-1] - ce.arm_points(links, q - 1e-6 * e)[-1])
                / 2e-6
                for e in np.eye(len(q))
            ],
            1,
        )
        assert np.allclose(ce.arm_jacobian(links, q), numeric, atol=1e-6)


def test_each_cameras_calibration_undoes_its_view():
    d = np.random.default_rng(1).normal(size=(4, 10, 2))
    assert np.allclose(ce.to_shared(ce.observe(d)), d)
    assert not np.allclose(ce.observe(d)[1], d[1])


def test_alternating_least_squares_never_raises_the_pooled_objective():
    rng = np.random.default_rng(5)
    observations, actions = ce.demonstrations(8, rng)
    pools = np.array([[1.0, 1.0, 1.0, 0.0]])
    phi = ce.features(ce.to_shared(observations))

    def objective(rounds):
        trunk, maps = ce.fit_policies(observations, actions, pools, rounds)
        fit = (phi @ trunk[0]) @ maps[0].transpose(0, 2, 1)
        misfit = ((fit - actions) ** 2).sum((1, 2))
        return misfit[:3].sum() + ce.RIDGE * (trunk**2).sum() + ce.RIDGE * (maps[0, :3] ** 2).sum()

    values = [objective(rounds) for rounds in range(1, 8)]
    assert np.all(np.diff(values) <= 1e-9 * values[0])
    assert values[-1] < values[0]


# ---- one shared action space (RT-X): frames not aligned across robots -------------------------


def test_in_a_shared_action_space_the_misaligned_arms_keep_their_error_as_data_grows():
    """One head must serve frames 17° apart: its error is a bias, not a lack of data."""
    _, shared = mean_errors(40, list(ARMS), SPACE)
    own, _ = mean_errors(40, [], SPACE)
    for arm in (1, 2):
        assert shared[arm] > 0.25 and shared[arm] > 1.5 * own[arm], arm


def test_in_a_shared_action_space_the_loss_comes_from_the_unaligned_frames(monkeypatch):
    aligned = ce.FRAME_TURN.copy()
    aligned[list(ARMS)] = np.eye(2)
    monkeypatch.setattr(ce, "FRAME_TURN", aligned)
    for demos in (3, 6, 12, 40):
        own, shared = mean_errors(demos, list(ARMS), SPACE)
        assert np.all(shared[list(ARMS)] < own[list(ARMS)]), demos


def test_per_robot_output_maps_beat_the_shared_action_space_for_every_pooled_arm():
    for demos in (3, 6, 12, 40):
        _, maps = mean_errors(demos, list(ARMS), MAPS)
        _, space = mean_errors(demos, list(ARMS), SPACE)
        assert np.all(maps[list(ARMS)] < space[list(ARMS)]), demos


def test_in_a_shared_action_space_the_quadruped_hurts_arms_a_and_c_but_helps_arm_b_from_9_demos():
    """Its +34° body frame pulls the head's average frame toward arm B's +17°."""
    for demos in (3, 6, 12, 40):
        _, arms_only = mean_errors(demos, list(ARMS), SPACE)
        _, everyone = mean_errors(demos, [0, 1, 2, 3], SPACE)
        assert everyone[0] > arms_only[0] and everyone[2] > arms_only[2], demos
        if demos >= 9:
            assert everyone[1] < arms_only[1], demos


def test_the_shared_action_space_fit_is_ridge_regression_on_the_stacked_pool():
    """An independent fit: stack the pooled robots' rows and solve ridge directly."""
    rng = np.random.default_rng(4)
    observations, actions = ce.demonstrations(7, rng)
    pool = [0, 2, 3]
    phi = ce.features(ce.to_shared(observations))
    rows, targets = [], []
    for r in pool:
        rows.append(phi[r])
        hand = actions[r] @ ce.MOTION[r].T  # the hand's displacement in the shared frame
        targets.append(hand @ ce.rotation(ce.OWN_FRAME[r]))  # … in the robot's own frame
    x, y = np.vstack(rows), np.vstack(targets)
    head = np.linalg.solve(x.T @ x + ce.RIDGE * np.eye(ce.FEATURES), x.T @ y)
    fitted = ce.fit_shared_space(observations, actions, ce.pool_rows(pool))[4]
    assert np.allclose(fitted, head)


# ---- what the figure says is what was computed ------------------------------------------------

CASES = [
    dict(mechanism=MAPS, demos=6, arm_a=True, arm_b=True, arm_c=True, quadruped=False, seed=3),
    dict(mechanism=SPACE, demos=6, arm_a=True, arm_b=True, arm_c=True, quadruped=True, seed=3),
    dict(mechanism=MAPS, demos=3, arm_a=False, arm_b=True, arm_c=False, quadruped=True, seed=0),
    dict(
        mechanism=SPACE,
        demos=40,
        arm_a=False,
        arm_b=False,
        arm_c=False,
        quadruped=False,
        seed=2**31 - 1,
    ),
    dict(mechanism=SPACE, demos=3, arm_a=False, arm_b=False, arm_c=False, quadruped=True, seed=5),
]


@pytest.mark.parametrize("case", CASES)
def test_alt_text_and_readouts_state_the_recomputed_errors(case):
    scene = ce.compute(**case)
    alt = scene["alt"]
    readouts = {r["label"]: r["text"] for r in scene["readouts"]}
    flags = [case[k] for k in ("arm_a", "arm_b", "arm_c", "quadruped")]
    enabled = [r for r, on in enumerate(flags) if on]
    own, shared, _ = ce.errors(case["demos"], enabled, case["seed"], case["mechanism"])

    def pct(x):
        return f"{100 * x:.0f}%"

    assert alt.startswith(f"Mechanism: {case['mechanism']}")
    for r, name in enumerate(ce.ROBOTS):
        assert readouts[f"{name}: own / shared"] == f"{pct(own[r])} / " + (
            pct(shared[r]) if flags[r] else "off"
        )
        if flags[r]:
            assert f"{name} {pct(own[r])} → {pct(shared[r])}" in alt
    if enabled:
        helped = sum(shared[r] < own[r] for r in enabled)
        assert f"lowers it for {helped} of the {len(enabled)} pooled robots" in alt
    else:
        assert "held-out error from each robot's own data is" in alt
    arms = [r for r in enabled if r < 3]
    shown = {r: "off" for r in range(3)}
    if arms:
        with_q = ce.errors(case["demos"], sorted(set(arms) | {3}), case["seed"], case["mechanism"])[
            1
        ]
        without_q = ce.errors(case["demos"], arms, case["seed"], case["mechanism"])[1]
        for r in arms:
            change = 100 * (with_q[r] - without_q[r])
            shown[r] = "0.0" if abs(change) < 0.05 else f"{change:+.1f}".replace("-", "\u2212")
            assert re.search(re.escape(f"{ce.ROBOTS[r]} {shown[r]}") + "(,| percentage)", alt)
        worse = sum(with_q[r] > without_q[r] for r in arms)
        assert f"({worse} of {len(arms)} worse)" in alt
    # arms A, B and C in that order, "off" for an arm not pooled
    assert readouts[ce.ARMS_CHANGE] == " / ".join(shown[r] for r in range(3))
    assert readouts["shared pool"].startswith(f"{case['demos'] * len(enabled)} demos")


# ---- the chapter's sentences, over many draws of the demonstrations ----------------------------
# The reviewers redrew the demonstrations and found "worse for everyone from 4 demonstrations"
# true of the old 12-seed average only. Every claim below is checked over SAMPLE draws, with fits
# confirmed against a plain, unbatched refit (independent_errors), and the chapter's numbers are
# the sample's, rounded as printed.

PAGE = "generalists.md"
SAMPLE = range(400)  # the draws the chapter's "averages over 400 draws" are taken over
EVERYONE = [0, 1, 2, 3]


def independent_errors(mechanism, demos, pool, seed):
    """Held-out error of each robot under one fit on ``pool``, refitted from the demonstrations
    without the widget's batched fitting: a plain loop over robots, the trunk's normal equations
    written with a Kronecker product, and the held-out targets drawn afresh."""
    observations, actions = ce.demonstrations(demos, np.random.default_rng(seed))
    phi = ce.features(ce.to_shared(observations))
    p = ce.FEATURES
    if mechanism == SPACE:
        rows = [phi[r] for r in pool]
        targets = [actions[r] @ ce.MOTION[r].T @ ce.rotation(ce.OWN_FRAME[r]) for r in pool]
        x, y = np.vstack(rows), np.vstack(targets)
        head = np.linalg.solve(x.T @ x + ce.RIDGE * np.eye(p), x.T @ y)
        policy = [head @ ce.rotation(ce.OWN_FRAME[r]).T for r in range(4)]  # own frame -> motion
    else:
        trunk = np.zeros((p, 2))
        trunk[len(ce.CENTRES) : len(ce.CENTRES) + 2] = np.eye(2)

        def output_maps(trunk):
            maps = []
            for r in range(4):
                z = phi[r] @ trunk
                maps.append(np.linalg.solve(z.T @ z + ce.RIDGE * np.eye(2), z.T @ actions[r]).T)
            return maps

        for _ in range(ce.ROUNDS):
            maps = output_maps(trunk)
            normal = sum(np.kron(maps[r].T @ maps[r], phi[r].T @ phi[r]) for r in pool)
            rhs = sum(phi[r].T @ actions[r] @ maps[r] for r in pool)
            vec = np.linalg.solve(normal + ce.RIDGE * np.eye(2 * p), rhs.reshape(-1, order="F"))
            trunk = vec.reshape(p, 2, order="F")
        maps = output_maps(trunk)
        policy = [trunk @ maps[r].T @ ce.MOTION[r].T for r in range(4)]
    d = np.random.default_rng(20231013).uniform(-ce.REACH, ce.REACH, (4, ce.HELD_OUT, 2))
    expert = ce.expert_motion(d)
    errors = []
    for r in range(4):
        moved = ce.features(d[r]) @ policy[r]
        errors.append(
            np.sqrt(((moved - expert[r]) ** 2).sum(-1).mean())
            / np.sqrt((expert[r] ** 2).sum(-1).mean())
        )
    return np.array(errors)


_DRAWS = {}


def draws(mechanism, demos):
    """Per draw in SAMPLE, each robot's held-out error (draws × 4): own data only, in the pool of
    the three arms, and in the pool of all four."""
    key = (mechanism, demos)
    if key not in _DRAWS:
        rows = ce.pool_rows(EVERYONE, [list(ARMS)])  # each robot alone, all four, the arms
        err = np.array(
            [ce.held_out_errors(ce.policy_motion(mechanism, demos, rows, seed)) for seed in SAMPLE]
        )
        _DRAWS[key] = (err[:, range(4), range(4)], err[:, 5], err[:, 4])
    return _DRAWS[key]


def pct(x):
    return f"{100 * x:.0f}%"


@pytest.mark.parametrize("mechanism", [MAPS, SPACE])
def test_the_batched_fits_are_the_plain_refits(mechanism):
    for demos, seed in ((3, 0), (6, 3), (40, 11)):
        err = ce.held_out_errors(
            ce.policy_motion(mechanism, demos, ce.pool_rows(EVERYONE, [list(ARMS)]), seed)
        )
        for r in range(4):
            assert np.isclose(err[r, r], independent_errors(mechanism, demos, [r], seed)[r])
        assert np.allclose(err[4], independent_errors(mechanism, demos, EVERYONE, seed))
        assert np.allclose(
            err[5][list(ARMS)], independent_errors(mechanism, demos, list(ARMS), seed)[list(ARMS)]
        )


def test_pooling_the_arms_through_output_maps_halves_arm_as_error_at_3_and_a_quarter_at_40():
    text = chapter.rendered(PAGE)
    for demos in (3, 6, 12, 40):
        own, arms, _ = draws(MAPS, demos)
        assert np.all(arms[:, list(ARMS)].mean(0) < own[:, list(ARMS)].mean(0)), demos
    own, arms, _ = draws(MAPS, 3)
    assert 0.4 < 1 - arms[:, 0].mean() / own[:, 0].mean() < 0.6  # "about half"
    assert (
        f"arm A's error falls on average by about half, from {pct(own[:, 0].mean())} to "
        f"{pct(arms[:, 0].mean())} of the motion" in text
    )
    own, arms, _ = draws(MAPS, 40)
    assert 0.2 < 1 - arms[:, 0].mean() / own[:, 0].mean() < 0.33  # "about a quarter"
    assert (
        f"With 40 it falls on average by about a quarter, from {pct(own[:, 0].mean())} to "
        f"{pct(arms[:, 0].mean())}: gains are largest where data is scarce" in text
    )


def test_the_quadruped_makes_the_arms_worse_from_about_6_demonstrations_and_either_way_below():
    """The chapter: from about 6 demonstrations per robot on, adding the quadruped raises each
    arm's error by 3 to 4 points on average, in about three draws of four at 6 and nearly every
    draw at 40; with 3 or 4 demonstrations the change is small and goes either way."""
    arms = list(ARMS)
    share_at_6 = None
    for demos in (6, 8, 12, 40):
        _, pooled, everyone = draws(MAPS, demos)
        change = everyone[:, arms] - pooled[:, arms]
        assert np.all((2.5 < 100 * change.mean(0)) & (100 * change.mean(0) < 4.5)), demos
        share = (change > 0).mean(0)
        if demos == 6:
            share_at_6 = share
            assert np.all((0.7 <= share) & (share <= 0.8))  # about three draws of four
        assert np.all(share >= share_at_6 - 0.02), demos  # and no fewer with more data
    assert np.all((change > 0).mean(0) >= 0.99)  # at 40: nearly every draw
    for demos in (3, 4):
        _, pooled, everyone = draws(MAPS, demos)
        change = everyone[:, arms] - pooled[:, arms]
        assert np.all(np.abs(100 * change.mean(0)) < 2.5), demos  # small
        share = (change > 0).mean(0)
        assert np.all((0.3 <= share) & (share <= 0.65)), demos  # either way
    text = chapter.rendered(PAGE)

    def said(demos):
        _, pooled, everyone = draws(MAPS, demos)
        change = 100 * (everyone[:, arms] - pooled[:, arms]).mean(0)
        words = [f"{c:.1f}" for c in (change.min(), change.max())]  # one decimal, as the readout
        words = [w.replace("-", "\u2212") for w in words]
        worse = [f"{x:.0%}" for x in sorted((everyone[:, arms] > pooled[:, arms]).mean(0))[::2]]
        return (words[0] if words[0] == words[1] else " to ".join(words)) + " points", (
            worse[0] if worse[0] == worse[1] else " to ".join(worse)
        ) + " of the draws"

    change, worse = said(6)
    assert (
        f"adding the quadruped raises each arm's error: at 6, by {change} on average, in about "
        f"three draws of four ({worse}); the readouts give the draw on screen."
    ) in re.sub(r"\s+", " ", text)
    change, worse = said(40)
    assert (
        f"At 40, averaged over the {ce.DRAWS} draws, the rise is {change}, in nearly every "
        f"draw ({worse})"
    ) in text
    change, worse = said(3)
    assert (
        f"With 3 or 4 demonstrations the change is small and goes either way (at 3, {change} "
        f"on average; worse in {worse})"
    ) in text
    # The summary after the guide (the caption, pinned over the steps, only keys the figure).
    assert (
        "from about six demonstrations per robot on, the shared trunk serves the arms worse "
        "than the arms-only pool in most draws" in re.sub(r"\s+", " ", text)
    )  # pooled: the arms-only pool


def test_the_quadruped_is_as_often_helped_as_hurt_at_3_and_worse_off_pooled_from_about_6():
    own, _, everyone = draws(MAPS, 3)
    assert 0.4 <= (everyone[:, 3] > own[:, 3]).mean() <= 0.6
    for demos in (6, 8, 12, 40):
        own, _, everyone = draws(MAPS, demos)
        assert (everyone[:, 3] > own[:, 3]).mean() > 0.9, demos  # more than nine draws of ten
        assert 0.4 < everyone[:, 3].mean() < 0.55, demos  # near half the motion
    text = chapter.rendered(PAGE)
    worse_40 = (everyone[:, 3] > own[:, 3]).mean()
    assert (
        f"The quadruped itself is worse off than alone in {worse_40:.0%} of the draws, and its "
        f"error falls no lower than about half the motion however much data there is "
        f"({pct(everyone[:, 3].mean())}, against {pct(own[:, 3].mean())} alone)"
    ) in text
    own, _, everyone = draws(MAPS, 3)
    assert (
        f"and at 3 the quadruped is about as often helped as hurt by the pool (worse off in "
        f"{(everyone[:, 3] > own[:, 3]).mean():.0%} of the draws)"
    ) in text
    assert "worse off than alone in more than nine draws of ten" in text
    assert "and the quadruped worse than its own policy does" in re.sub(r"\s+", " ", text)


def test_one_shared_action_space_helps_every_arm_at_3_and_costs_arms_b_and_c_from_about_5():
    own, pooled, _ = draws(SPACE, 3)
    assert np.all(pooled[:, list(ARMS)].mean(0) < own[:, list(ARMS)].mean(0))
    text = chapter.rendered(PAGE)
    assert (
        f"at 3 demonstrations arm B's error falls from {pct(own[:, 1].mean())} to "
        f"{pct(pooled[:, 1].mean())}" in text
    )
    for demos in (5, 6, 8, 12, 40):
        own, pooled, _ = draws(SPACE, demos)
        for arm in (1, 2):  # the arms turned ±17° from the pool's mean frame
            assert pooled[:, arm].mean() > own[:, arm].mean(), (demos, arm)
    own, pooled, _ = draws(SPACE, 40)
    assert pooled[:, 1].mean() > 3 * own[:, 1].mean()  # more data does not remove the loss
    assert (
        f"(at 40 demonstrations arm B's error is {pct(pooled[:, 1].mean())} pooled, "
        f"{pct(own[:, 1].mean())} alone)" in text
    )
    assert np.degrees(ce.OWN_FRAME[1]) == pytest.approx(-np.degrees(ce.OWN_FRAME[2]))
    assert f"({np.degrees(ce.OWN_FRAME[1]):.0f}° either way)" in text
    assert "the numbers the figure computes over 400 draws of the demonstrations" in text
    assert len(SAMPLE) == ce.DRAWS == 400 and list(SAMPLE) == list(range(ce.DRAWS))


def test_the_guide_sets_the_figure_to_what_each_step_describes():
    walked = [
        (p["mechanism"], p["demos"], p["quadruped"])
        for key, p in chapter.steps(PAGE)
        if key == "cross_embodiment"
    ]
    assert walked == [
        (MAPS, 3, False),  # the lesson's two sides, then the first (one step was 230 px tall)
        (MAPS, 3, False),
        (MAPS, 40, False),
        (MAPS, 6, True),
        (MAPS, 40, True),
        (MAPS, 3, True),
    ]
    source = chapter.prose(PAGE)
    for name in (
        "draws",
        "a_own",
        "a_arms",
        "quad_change",
        "quad_worse",
        "q_worse",
        "q_all",
        "q_own",
        "space_b_own_at_3",
        "space_b_arms_at_3",
        "space_b_arms_at_40",
        "space_b_own_at_40",
    ):
        assert "{=cross_embodiment." + name + "}" in source, name


@pytest.mark.parametrize("mechanism,demos", [(MAPS, 3), (MAPS, 40), (SPACE, 5), (MAPS, 17)])
def test_the_build_s_summary_of_many_draws_is_the_plain_per_draw_refit(mechanism, demos):
    """The values come from a table the build computes once, fitting all 400 draws in one batch;
    the plain fits, one draw at a time, give the same numbers."""
    own, arms, everyone = draws(mechanism, demos)
    summary = ce.draw_summaries()[mechanism][demos - 3]
    assert np.allclose(summary["own"], own.mean(0), atol=1e-9)
    assert np.allclose(summary["arms"], arms[:, list(ARMS)].mean(0), atol=1e-9)
    assert np.allclose(summary["all"], everyone.mean(0), atol=1e-9)
    assert np.allclose(
        summary["quad_worse"], (everyone[:, list(ARMS)] > arms[:, list(ARMS)]).mean(0)
    )
    assert summary["quad_self_worse"] == (everyone[:, 3] > own[:, 3]).mean()


def _toggles(**off):
    on = {"arm_a": True, "arm_b": True, "arm_c": True, "quadruped": False}
    return {**on, **off}


@pytest.mark.parametrize(
    "off", [{}, {"arm_a": False}, {"arm_a": False, "arm_b": False}, {"quadruped": True}]
)
def test_the_legend_swatches_keep_their_colours_whichever_robots_are_pooled(off):
    """The review: the "shared policy" swatch took the first pooled robot's colour, blue, and
    turned orange when arm A was switched off, while the shared bars were blue, orange or
    purple. One colour per policy, in the legend, the bars and the paths."""
    scene = ce.compute(ce.MAPS, 6, seed=3, **_toggles(**off))
    bars, robots = scene["panels"]
    legend = {m["label"]: m["color"] for m in bars["marks"] if m.get("label")}
    assert legend == {"own data only": "gray", "shared policy": "blue"}
    shared = [m for m in bars["marks"] if m["kind"] == "polygon" and m["color"] == "blue"]
    enabled = [k for k, on in _toggles(**off).items() if on]
    assert len(shared) == len(enabled)
    assert {m["color"] for m in bars["marks"] if m["kind"] == "polygon"} == {"gray", "blue"}
    paths = [m for m in robots["marks"] if m["kind"] == "line" and m["color"] == ce.SHARED]
    assert len(paths) == len(enabled)
    legend = {m["label"]: m["color"] for m in robots["marks"] if m.get("label")}
    assert legend == {"expert": ce.EXPERT, "own data only": ce.OWN_PATH, "shared policy": "blue"}


def test_the_key_over_the_robots_is_one_row_of_the_legend():
    """The review: in the narrow layout "— expert", "— own data only" and "— shared" overlapped.
    In both layouts (the phone's a phone's column wide) the legend, placed by the layout above
    the plot, keeps the three entries on one row (the grader: own data only dashed)."""
    from visual_essay.layout import NARROW_WIDTH

    panel = ce.compute(ce.MAPS, 6, seed=3, **_toggles())["panels"][1]
    assert panel["narrow"]["size"][0] <= NARROW_WIDTH
    for legend in (panel["legend"], panel["narrow"]["legend"]):
        assert legend["place"] == "above"
        labels = [e["label"] for e in legend["entries"]]
        assert labels == ["expert", "own data only", "shared policy"]
        assert len({e["y"] for e in legend["entries"]}) == 1
    own = [
        m
        for m in panel["marks"]
        if m["kind"] == "line" and m["color"] == ce.OWN_PATH and len(m["x"]) > ce.MAX_JOINTS + 1
    ]  # the paths, not an arm switched off
    assert len(own) == 4 and all(m["dash"] for m in own)


@pytest.mark.parametrize("mechanism", [ce.MAPS, ce.SHARED_SPACE])
def test_each_robots_label_fits_its_cell(mechanism):
    """The labels over the 2 x 2 grid of robots stay within their cell (2 units wide) and the
    panel, the frame's angle included in the shared action space."""
    from visual_essay.layout import text_width

    panel = ce.compute(mechanism, 6, seed=3, **_toggles())["panels"][1]
    lo, hi = panel["x"]["lim"]
    per_unit = (panel["size"][0] * 72 - panel["margin"]["left"] - panel["margin"]["right"]) / (
        hi - lo
    )
    labels = [m for m in panel["marks"] if m["kind"] == "text" and ": " in m["s"]]
    assert len(labels) == 4
    for m in labels:
        width = text_width(m["s"], m["size"], m["bold"]) / per_unit
        assert m["x"] + width < min(hi, m["x"] + 1.9), m["s"]


def test_a_change_that_rounds_to_zero_reads_0_0_without_a_sign():
    """The reviewer saw "arm A -0.0 points"."""
    assert [ce._points(c) for c in (-0.0004, 0.0004, 0.003, -0.003, 0.02, -0.02)] == [
        "0.0",
        "0.0",
        "+0.3",
        "\u22120.3",
        "+2.0",
        "\u22122.0",
    ]


def test_the_arms_changes_read_at_one_precision_with_a_true_minus_sign():
    """The eighth graphics desk: "with the quadruped, arms' error: arm A +3, arm B -0.3, arm C -1
    points" (whole points beside tenths, a hyphen for the minus). Every change, in the readout,
    the alt text and the chapter's value, has one decimal and a minus sign (U+2212), at the
    defaults, the desk's setting and each control's ends."""
    number = r"(?:[+\u2212]\d+\.\d|0\.0)"  # signed, one decimal; 0.0 unsigned
    cases = [
        {},
        {"quadruped": True},
        {"demos": 3, "quadruped": True},
        {"demos": 40, "mechanism": SPACE, "quadruped": True},
        {"demos": 10, "arm_a": False},
    ]
    cases += [{"seed": seed, "quadruped": True} for seed in (0, 1, 2, 5, 9)]
    for case in cases:
        scene = compute("cross_embodiment", case, WIDGETS)
        (said,) = [r["text"] for r in scene["readouts"] if r["label"] == ce.ARMS_CHANGE]
        arms = said.split(" / ")
        assert len(arms) == 3 and all(re.fullmatch(f"{number}|off", a) for a in arms), (case, said)
        changes = re.search(r"errors change by (.*) percentage points", scene["alt"]).group(1)
        pooled = [f"{ce.ROBOTS[r]} {a}" for r, a in enumerate(arms) if a != "off"]
        assert changes == ", ".join(pooled), case
        span = scene["values"]["quad_change"]
        assert re.fullmatch(r"(?:\u2212?\d+\.\d)(?: to \u2212?\d+\.\d)? points", span), span
        for text in (said, scene["alt"], span):
            assert not re.search(r"(?<![\w])-\d", text), (case, text)  # no hyphen for a minus
    # the desk's setting: arm B and arm C lose error with the quadruped at 3 demonstrations
    scene = compute("cross_embodiment", {"demos": 3, "quadruped": True}, WIDGETS)
    assert "\u2212" in next(r["text"] for r in scene["readouts"] if r["label"] == ce.ARMS_CHANGE)
    frames = [
        m["s"]
        for m in compute("cross_embodiment", {"mechanism": SPACE}, WIDGETS)["panels"][1]["marks"]
        if m["kind"] == "text" and "frame" in m["s"]
    ]
    assert any("\u2212" in f for f in frames) and not any("-" in f for f in frames)


def _bar_axis(**change):
    panel = compute("cross_embodiment", change, WIDGETS)["panels"][0]
    bars = [max(m["y"]) for m in panel["marks"] if m["kind"] == "polygon"]
    return (tuple(panel["y"]["lim"]), tuple(panel["y"]["ticks"])), max(bars)


def test_the_error_axis_is_the_same_in_every_state_the_controls_reach():
    """The eleventh graphics desk: (a)'s axis ran 0–100 with three arms and 0–125 once the
    quadruped joined (errors up to 93), so bars could not be compared across that touch. One
    axis, limit and ticks, at every option and each control's ends (the seed's, and the seeds
    "new demonstrations" cycles through), every bar under it with room for its value; not padded
    far past the tallest bar the controls reach."""
    default, _ = _bar_axis()
    seed = ce.PARAMS[2]
    changes = [{}, {"quadruped": True}, {"arm_a": False, "arm_b": False, "arm_c": False}]
    changes += [{p.name: end} for p in ce.PARAMS[1:2] for end in p.ends()]
    changes += [{"seed": s} for s in seed.table_values(seed.default) + list(seed.ends())]
    changes += [{p.name: not p.default} for p in ce.PARAMS[3:]]
    # the tallest bar the controls reach (arm B or C, pooled with the quadruped, at seed 0)
    changes += [{"seed": 0, "arm_a": False, "quadruped": True}]
    tallest = 0.0
    for mechanism in (MAPS, SPACE):
        for demos in (3, 4, 40):
            for change in changes:
                state = {"mechanism": mechanism, "demos": demos, **change}
                axis, highest = _bar_axis(**state)
                assert axis == default, state
                assert highest * 1.05 < axis[0][1], state
                tallest = max(tallest, highest)
    (_, top), ticks = default
    assert tallest > 100 and top < 1.2 * tallest  # errors pass 100% (worse than standing still)
    assert ticks[0] == 0 and top - 25 < ticks[-1] <= top and np.all(np.diff(ticks) == 25)


def test_a_bar_past_the_axis_is_cut_at_its_top_and_still_reads_its_value(monkeypatch):
    """A seed no control reaches (typed in a URL) may draw a bar past the axis: it is cut under
    the axis's top, and its printed value is the error computed."""
    monkeypatch.setattr(ce, "highest_error", lambda: 0.3)
    scene = ce.compute(MAPS, 3, True, True, True, False, 3)
    panel = scene["panels"][0]
    bars = [m for m in panel["marks"] if m["kind"] == "polygon"]
    assert max(max(m["y"]) for m in bars) <= 30 < panel["y"]["lim"][1]
    own = ce.errors(3, [0, 1, 2], 3)[0]
    values = [m["s"] for m in panel["marks"] if m["kind"] == "text" and m["s"].isdigit()]
    assert f"{100 * own[0]:.0f}" == values[0] and 100 * own[0] > 30


# ---- the sixth graphics desk: panel b's legend, and the quadruped's label ---------------------


def look(mark):
    return mark["kind"], mark["color"], mark["width"], mark["opacity"], mark["dash"]


def steps(mark):
    """A path's points, from its start (the cell's offset removed)."""
    return np.c_[mark["x"], mark["y"]] - (mark["x"][0], mark["y"][0])


@pytest.mark.parametrize(
    "case",
    [
        dict(mechanism=MAPS, demos=6, seed=3, **_toggles(quadruped=True)),
        dict(mechanism=SPACE, demos=3, seed=0, **_toggles(arm_a=False)),
    ],
)
def test_panel_bs_legend_shows_each_policys_path_as_it_is_drawn(case):
    """The sixth graphics desk: the key printed "— expert" as dark-teal words, while the expert's
    path is drawn as a wide pale-teal band (width 4, opacity 0.45); expert and shared told apart
    mainly by hue. The legend is the layout's, its swatches drawn from the paths themselves, and
    the expert's band is more than twice as wide as the policies' lines, and paler."""
    panel = ce.compute(**case)["panels"][1]
    labelled = {m["label"]: m for m in panel["marks"] if m.get("label")}
    assert list(labelled) == ["expert", "own data only", "shared policy"]
    assert [e["label"] for e in panel["legend"]["entries"]] == list(labelled)
    # the expert's paths, found by their shape: each robot's rollout under the expert
    enabled = [r for r, k in enumerate(("arm_a", "arm_b", "arm_c", "quadruped")) if case[k]]
    paths = ce.rollout(ce.errors(case["demos"], enabled, case["seed"], case["mechanism"])[2])
    lines = [m for m in panel["marks"] if m["kind"] == "line" and len(m["x"]) == paths.shape[2]]
    expert = [
        m
        for m in lines
        if any(
            np.allclose(steps(m), paths[r, 0] - paths[r, 0, 0], atol=1e-4)
            for r in range(len(ce.ROBOTS))
        )
    ]
    assert len(expert) == len(ce.ROBOTS)
    assert {look(m) for m in expert} == {look(labelled["expert"])}
    for name, colour in (("own data only", ce.OWN_PATH), ("shared policy", ce.SHARED)):
        drawn = [m for m in lines if m["color"] == colour]
        assert drawn and {look(m) for m in drawn} == {look(labelled[name])}, name
    # both renderers draw a line's swatch at most 3 points wide: no wider, the swatch is the path
    assert all(m["width"] <= 3 for m in labelled.values())
    band, own, shared = (labelled[n] for n in ("expert", "own data only", "shared policy"))
    assert band["width"] >= 2 * shared["width"] and band["opacity"] < shared["opacity"]
    assert own["dash"] and not shared["dash"] and not band["dash"]


# (demos, arms pooled, quadruped pooled, seed) and what its shared path does, from its end: the
# default draw with the quadruped pooled ends 0.16 m from the target and 0.46 m from where the
# expert stops (the old label read "stops short"); at 4 demonstrations, seed 0, 0.50 and 0.12;
# pooled alone at 3, 1.50 and 1.01, neither.
QUADRUPED_CASES = [
    (6, True, True, 3, "shared overruns"),
    (4, True, True, 0, "shared stops short"),
    (3, False, True, 3, "shared strays"),
    (40, True, True, 3, "shared overruns"),
    (6, True, False, 3, "expert stops short"),
    (3, False, False, 3, "expert stops short"),
]


@pytest.mark.parametrize("demos,arms,quadruped,seed,outcome", QUADRUPED_CASES)
def test_the_quadrupeds_label_says_what_its_shared_path_does(demos, arms, quadruped, seed, outcome):
    """The sixth graphics desk: with the quadruped pooled, its label read "quadruped: stops short"
    while its shared path ran toward the target. The label follows the path's end: nearer the
    target than where the expert stops, it overruns; farther than STOP_SHORT from both, it
    strays; not pooled, no shared path is drawn and the expert stops short."""
    from visual_essay.layout import text_width

    panel = ce.compute(MAPS, demos, arms, arms, arms, quadruped, seed)["panels"][1]
    label = next(
        m for m in panel["marks"] if m["kind"] == "text" and m["s"].startswith("quadruped: ")
    )
    enabled = [0, 1, 2] * arms + [3] * quadruped
    path = ce.rollout(ce.errors(demos, enabled, seed, MAPS)[2])[3]
    target = ce.START[3] + ce.DISPLAY_TARGETS[3]
    stop = path[0, -1]
    assert abs(np.linalg.norm(target - stop) - ce.STOP_SHORT) < 0.01  # the expert stops short
    if quadruped:
        to_target, to_stop = (np.linalg.norm(path[2, -1] - p) for p in (target, stop))
        said = (
            "shared strays"
            if min(to_target, to_stop) > ce.STOP_SHORT
            else "shared overruns"
            if to_target < to_stop
            else "shared stops short"
        )
        assert said == outcome, (to_target, to_stop)
    assert label["s"] == f"quadruped: {outcome}"
    lo, hi = panel["x"]["lim"]
    per_unit = (panel["size"][0] * 72 - panel["margin"]["left"] - panel["margin"]["right"]) / (
        hi - lo
    )
    assert label["x"] + text_width(label["s"], label["size"], label["bold"]) / per_unit < hi


# ---- the ninth graphics desk -------------------------------------------------------------------

# A readout value that fits one line of a phone's readout cell (two to a row): measured with the
# engine's stylesheet in Chromium at 390 px, a value of 19 bold characters ("+12.3 / +7.4 / +8.8",
# "160 demos, 4 robots") kept to one line; the old "arm A +12.3, arm B +7.4, arm C +8.8 points"
# took 3 lines or 2 by value.
PHONE_VALUE = 21


def test_on_a_phone_no_readout_wraps_or_comes_and_goes_on_touch():
    """The ninth desk, at 390: the readout "with the quadruped, arms' error" wrapped to 3 lines or
    to 2 by value, and the figure's height jumped by 20 px on a touch of Demonstrations, an arm or
    New demonstrations. The same readouts at every setting of those controls and the quadruped
    (none dropped when no arm is pooled: the arms then read "off"), each value short enough for
    one line of a phone's readout cell."""
    from . import steady

    grid = {
        "demos": (3, 4, 6, 40),
        "seed": (0, 3, 7),
        "arm_a": (True, False),
        "arm_b": (True, False),
        "quadruped": (False, True),
    }
    assert steady.differing(ce, grid) == []
    for mechanism in (MAPS, SPACE):
        for demos, seed in ((3, 0), (3, 5), (6, 3), (40, 3), (40, 11)):
            for flags in ((1, 1, 1, 1), (1, 0, 1, 1), (0, 0, 0, 1), (0, 0, 0, 0), (1, 1, 1, 0)):
                scene = ce.compute(mechanism, demos, *map(bool, flags), seed)
                for r in scene["readouts"]:
                    assert len(r["text"]) <= PHONE_VALUE, (r["label"], r["text"])


def test_the_robot_checkboxes_come_together_after_the_data_controls():
    """The ninth desk, at 1280: "arm A (2 joints)" sat beside the demonstrations slider and the
    other robots wrapped below, seven controls in 160 px of the pinned column. The controls run:
    how the policy is shared; the demonstrations and New demonstrations (the data); then the four
    robots together, named as panel (b) names them (its labels give the joints), short enough
    for one row."""
    kinds = [(type(p).__name__, p.name) for p in ce.PARAMS]
    assert kinds == [
        ("Choice", "mechanism"),
        ("Slider", "demos"),
        ("Seed", "seed"),
        ("Toggle", "arm_a"),
        ("Toggle", "arm_b"),
        ("Toggle", "arm_c"),
        ("Toggle", "quadruped"),
    ]
    toggles = [p.label for p in ce.PARAMS if type(p).__name__ == "Toggle"]
    assert toggles == list(ce.ROBOTS)
    panel = ce.compute(MAPS, 6, seed=3, **_toggles())["panels"][1]
    said = [m["s"] for m in panel["marks"] if m["kind"] == "text"]
    for name, links in zip(ce.ROBOTS, ce.LINKS, strict=False):  # the arms: their joints in (b)
        assert f"{name}: {len(links)} joints" in said


def _luminance(hex_colour, opacity=1.0):
    """WCAG relative luminance of a palette colour laid on white at ``opacity``."""
    rgb = np.array([int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)]) / 255
    rgb = opacity * rgb + (1 - opacity)
    linear = np.where(rgb <= 0.03928, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    return float(linear @ [0.2126, 0.7152, 0.0722])


def test_the_own_data_path_stands_out_from_the_experts_band():
    """The ninth desk: the grey dashed "own data only" path was hard to find where it ran along
    the teal expert band (light grey on pale teal, contrast 1.2 : 1). Drawn in a darker grey, its
    dashes show on the band at 2 : 1 or more, and on the page; its bars in (a) keep their grey."""
    from visual_essay.scene import PALETTE

    panel = ce.compute(MAPS, 6, seed=3, **_toggles(quadruped=True))["panels"][1]
    looks = {m["label"]: m for m in panel["marks"] if m.get("label")}
    own, band = looks["own data only"], looks["expert"]
    under = _luminance(PALETTE[band["color"]], band["opacity"])
    over = _luminance(PALETTE[own["color"]], own["opacity"])
    assert (max(under, over) + 0.05) / (min(under, over) + 0.05) >= 2
    assert own["dash"] and (1 + 0.05) / (over + 0.05) >= 3  # on white, where it leaves the band


def test_the_experts_band_stands_apart_from_every_other_mark_under_every_vision():
    """The eleventh graphics desk: the pale expert path was the weakest of the three path styles
    under colour-blind simulation, near the quadruped's pale body (protan) and the shared line
    (tritan): CIEDE2000 15 and 18 as drawn. As drawn now (colour and opacity read from the
    marks), the band differs from the shared line, the own-data path and a pooled robot's body by
    22 or more, and from the page by 19 or more, under typical vision and the three simulated
    ones, in the light and the dark palette."""
    from visual_essay.testing import VISIONS, colour_difference, palettes

    panel = ce.compute(MAPS, 6, seed=3, **_toggles(quadruped=True))["panels"][1]
    looks = {m["label"]: m for m in panel["marks"] if m.get("label")}
    band = looks["expert"]
    # the robots' pale bodies: the arms' links and the quadruped's body
    bodies = [m for m in panel["marks"] if m["color"] == ce.BODY and m.get("opacity", 1) < 1]
    assert {m["kind"] for m in bodies} == {"line", "polygon"}
    others = [looks["shared policy"], looks["own data only"], *bodies]
    for palette, page in palettes().values():
        for vision in (None, *VISIONS):

            def apart(other, band=band, palette=palette, page=page, vision=vision):
                return colour_difference(
                    palette[band["color"]],
                    palette[other["color"]],
                    background=page,
                    vision=vision,
                    opacity=(band["opacity"], other["opacity"]),
                )

            assert min(apart(m) for m in others) >= 22, (vision, page)
            assert apart({"color": "ink", "opacity": 0.0}) >= 19, (vision, page)


def test_the_step_at_40_says_its_numbers_are_averages_and_the_readout_this_draw():
    """The ninth desk, at 1280, step 4: the step quoted "by 3.2 to 3.8 points" beside a readout
    showing "+4.1, +4.7, +3.0", two sets of numbers with nothing at the point of reading to say
    which is which. The step says it averages over the draws before its numbers, and names the
    readout, by its label as the figure shows it, as the one draw on screen; the step at 3 says
    "on average" too. The number of draws is bound."""
    source = re.sub(r"\s+", " ", chapter.prose(PAGE))
    assert (
        "At 40, averaged over the {=cross_embodiment.draws} draws, the rise is "
        "{=cross_embodiment.quad_change}"
    ) in source
    assert f"the readout *{ce.ARMS_CHANGE}* is the one draw on screen" in source
    assert "(at 3, {=cross_embodiment.quad_change} on average;" in source
    scene = compute("cross_embodiment", {"demos": 40, "quadruped": True}, WIDGETS)
    assert ce.ARMS_CHANGE in [r["label"] for r in scene["readouts"]]
    assert scene["values"]["draws"] == str(ce.DRAWS)


# ---- the tenth graphics desk: the pinned controls and caption took 64% of a 1280 × 800 screen --

CAPTION_LINE = 50  # characters in a line of the pinned caption's column at 1280 (measured: 12
# lines for the 610 characters of "Figure 2." and the tenth desk's caption)


def test_the_pinned_caption_leaves_half_the_screen_to_read_the_steps_in():
    """The tenth desk, at 1280 × 800: the three rows of controls (147 px) and a 12-line pinned
    caption ended at 510 px, 64% of the screen, and four of five steps ran past its bottom. The
    caption is at most 4 lines, so the two end above half the screen: it keys the figure (which
    bar is which policy, what (b) draws) and leaves the lesson to the steps and the prose."""
    caption = chapter.caption("cross_embodiment", PAGE).replace("*", "")
    lines = -(-len("Figure 2. " + caption) // CAPTION_LINE)
    assert lines <= 4, (lines, caption)
    assert "(a)" in caption and "(b)" in caption
    assert "shared policy (blue)" in caption and "(grey)" in caption


# ---- the tenth graphics desk: (b)'s sketches small and indented, the path over the quadruped ----


def test_the_quadrupeds_label_says_whose_path_stops_short():
    """The facts review (item 7): "quadruped: stops short", greyed when the quadruped is not
    pooled, read as a failure; stopping half a metre short is its expert's skill. Every label of
    the quadruped names the path it speaks of: the expert's, or the shared policy's."""
    for demos, arms, quadruped, seed, _ in QUADRUPED_CASES:
        panel = ce.compute(MAPS, demos, arms, arms, arms, quadruped, seed)["panels"][1]
        label = next(
            m["s"] for m in panel["marks"] if m["kind"] == "text" and m["s"].startswith("quadruped")
        )
        assert re.fullmatch(r"quadruped: (expert|shared) \w+( short)?", label), label
        if not quadruped:  # no shared path is drawn: the label speaks of the expert's
            assert label == "quadruped: expert stops short"


def _inside(polygon_x, polygon_y, x, y):
    """Whether the points (x, y) lie inside a convex polygon, its corners in order."""
    px, py = np.asarray(polygon_x), np.asarray(polygon_y)
    ex, ey = np.roll(px, -1) - px, np.roll(py, -1) - py
    cross = ex[:, None] * (np.asarray(y)[None] - py[:, None]) - ey[:, None] * (
        np.asarray(x)[None] - px[:, None]
    )
    return np.all(cross > 0, 0) | np.all(cross < 0, 0)


@pytest.mark.parametrize("quadruped", [True, False])
def test_no_path_runs_over_the_quadrupeds_body(quadruped):
    """The tenth desk: in the quadruped's sketch the expert's teal path ran over its grey body
    (the paths started at the body's centre). The body is drawn behind the point its paths start
    from: no point of the expert's path, nor of the policies' at the figure's draws, lies on it."""
    for demos, seed in ((6, 3), (40, 3), (3, 0)):
        panel = ce.compute(MAPS, demos, True, True, True, quadruped, seed)["panels"][1]
        body = next(m for m in panel["marks"] if m["kind"] == "polygon" and m["opacity"] < 1)
        paths = [
            m
            for m in panel["marks"]
            if m["kind"] == "line" and len(m["x"]) > ce.MAX_JOINTS + 1 and min(m["x"]) > 1.2
            and max(m["y"]) < -0.2
        ]  # the paths in the quadruped's cell, the lower right
        assert len(paths) == (3 if quadruped else 2)
        for path in paths:
            x, y = np.asarray(path["x"], float), np.asarray(path["y"], float)
            # the band's half width (1.5 pt) at the panel's scale keeps clear of the body too
            assert not _inside(body["x"], body["y"], x, y).any(), (demos, seed, path["color"])


def _plot_scale(panel):
    """Points per metre of an equal-aspect panel's plot."""
    (x0, x1), (y0, y1) = panel["x"]["lim"], panel["y"]["lim"]
    margin = panel["margin"]
    width = panel["size"][0] * 72 - margin["left"] - margin["right"]
    height = panel["size"][1] * 72 - margin["top"] - margin["bottom"]
    return min(width / (x1 - x0), height / (y1 - y0))


def test_the_stacked_panels_share_their_left_edge_and_the_sketches_grow_on_a_desktop():
    """The tenth desk, at 1280: (b), a phone's column wide (317 px at x = 275), sat indented under
    the 432 px (a) at x = 217, and its robot sketches were about 70-80 px each. (b) is now as wide
    as (a) (the page centres both: one left edge) and taller, its robots drawn a sixth larger;
    (a) is a little shorter, so that the two panels together grow by less than the 45 px the
    folded figure had to spare under a 1280 x 800 screen (measured: 691 px, 736 px of room). On a
    phone (b) keeps its phone-sized panel, its sketches as large as before."""
    from visual_essay.layout import NARROW_WIDTH

    bars, robots = ce.compute(MAPS, 6, seed=3, **_toggles(quadruped=True))["panels"]
    assert robots["size"][0] == bars["size"][0]
    narrow = robots["narrow"]
    assert narrow["size"][0] <= NARROW_WIDTH
    assert _plot_scale(robots) >= 7 / 6 * _plot_scale(narrow)
    old_height = 2.35 + 2.95  # inches: the panels the desk measured
    grown = (bars["size"][1] + robots["size"][1] - old_height) * 96  # CSS px at 1280
    assert grown <= 45 - 15, grown  # and room to spare when a step is reached
