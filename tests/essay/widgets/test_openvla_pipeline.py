"""OpenVLA's shape arithmetic, the scaled pipeline that really computes it, and the figure's
sentences checked against an independent recomputation."""

import inspect
import itertools
import re

import numpy as np
import pytest

from visual_essay.params import true_minus
from widgets import openvla_pipeline as ov

CASES = list(itertools.product(ov.SCENES, ov.INSTRUCTIONS))
TEMPLATE = "In: What action should the robot take to {}?\nOut:"  # OpenVLA's released code


def readouts(scene):
    return {r["label"]: r["text"] for r in scene["readouts"]}


def fresh(scene, instruction):
    """The whole pipeline recomputed from the image, without the widget's import-time cache."""
    return ov.run_pipeline(ov.synthetic_image(scene), TEMPLATE.format(instruction))


# ---- patches: the /14 encoders allow one patch size --------------------------------------------

def test_no_patch_size_other_than_14_pixels_is_offered():
    names = [p.name for p in ov.PARAMS]
    assert names == ["scene", "instruction"]
    assert set(inspect.signature(ov.compute).parameters) == {"scene", "instruction"}
    for p in ov.PARAMS:  # no control offers pixel sizes at all
        assert not any(re.fullmatch(r"\d+", str(c)) for c in p.choices)
        assert "patch" not in p.label.lower()
    assert ov.PATCH == 14 and ov.IMAGE == 224


def test_a_224_pixel_image_with_14_pixel_patches_gives_256_patches():
    patches = ov.patchify(ov.synthetic_image(ov.SCENES[0]), 14)
    assert patches.shape == (256, 14 * 14 * 3)


def test_patchify_keeps_every_pixel_in_order():
    img = np.random.default_rng(0).random((28, 28, 3))
    patches = ov.patchify(img, 14)
    assert np.array_equal(patches[1].reshape(14, 14, 3), img[:14, 14:28])
    assert np.array_equal(patches[2].reshape(14, 14, 3), img[14:28, :14])


@pytest.mark.parametrize("scene,instruction", CASES)
def test_every_figure_shows_256_visual_tokens_from_14_pixel_patches(scene, instruction):
    out = ov.compute(scene, instruction)
    assert readouts(out)["visual tokens (patches)"] == "256"
    assert out["panels"][1]["title"] == "16×16 = 256 patches of 14 px"
    assert "cut into 14-pixel patches gives 256 patches" in out["alt"]
    grid = next(m for m in out["panels"][1]["marks"] if m["kind"] == "segments")["x"][::2]
    # (the first segments: the vertical grid lines)
    assert np.allclose(np.diff(grid), 14) and len(grid) == 17


# ---- the real shapes and the scaled model -----------------------------------------------------

def test_the_two_encoders_concatenate_to_2176_features_projected_to_4096():
    assert ov.DINO + ov.SIGLIP == 2176
    shapes = dict(ov.real_shapes())
    assert shapes["concat"] == "256×2176" and shapes["projector"] == "256×4096"
    assert shapes["7 token ids"] == "31744–31999"


def test_the_diagram_never_states_a_number_of_llama_tokens_it_did_not_compute():
    shapes = dict(ov.real_shapes())
    assert shapes["Llama 2"] == "(256+P)×4096"  # P: the prompt in subword tokens, unknown here
    assert shapes["prompt"] == "P tokens"
    key = [m["s"] for m in ov.compute(ov.SCENES[0], ov.INSTRUCTIONS[0])["panels"][0]["marks"]
           if m["kind"] == "text"]
    assert list(ov.NOTES[(0, 0.3)]) == [s for s in key if s in ov.NOTES[(0, 0.3)]]
    assert "Llama's subwords" in ov.NOTES[(0, 0.3)]


@pytest.mark.parametrize("scene,instruction", CASES)
def test_the_scaled_model_computes_the_shapes_the_diagram_claims(scene, instruction):
    out = fresh(scene, instruction)
    assert out["patches"].shape == (256, 14 * 14 * 3)
    assert out["dino"].shape == (256, ov.DINO // ov.SCALE)
    assert out["siglip"].shape == (256, ov.SIGLIP // ov.SCALE)
    assert out["fused"].shape == (256, (ov.DINO + ov.SIGLIP) // ov.SCALE)
    assert out["projected"].shape == (256, ov.LLAMA // ov.SCALE)
    n_words = len(TEMPLATE.format(instruction).split())
    assert out["sequence"].shape == (256 + n_words + 7, ov.LLAMA // ov.SCALE)
    grey = [m["s"][1:-1] for m in ov.compute(scene, instruction)["panels"][0]["marks"]
            if m["kind"] == "text" and m["s"].startswith("[") and m["s"].endswith("]")]
    assert grey[:7] == ["224×224×3", "256×588", "256×32", "256×36", "256×68", "256×128",
                        f"(256+{n_words})×128"]
    assert grey[7] == f"{n_words} words"  # the scaled model gives each word one id


@pytest.mark.parametrize("scene,instruction", CASES)
def test_the_toys_llama_input_is_p_as_the_note_defines_it_for_the_toy(scene, instruction):
    """The facts review (item 3): the Llama 2 box read "(256+P)×4096 [270×128]" beside the note
    "P: the prompt's length in Llama subword tokens", but 270 = 256 + 14 words. Now the note
    defines P for OpenVLA (Llama's subwords) and, in brackets as every scaled number is, for the
    toy (its words), and the toy's line writes its P as the real line does: (256+P)×width, P
    being the prompt's word count the prompt box and the readout give."""
    out = ov.compute(scene, instruction)
    texts = [m["s"] for m in out["panels"][0]["marks"] if m["kind"] == "text"]
    note = " ".join(ov.NOTES[(0, 0.3)])
    assert "Llama's subwords" in note and "[here, in words]" in note
    assert all(line in texts for line in ov.NOTES[(0, 0.3)])
    n_words = len(TEMPLATE.format(instruction).split())
    real = dict(ov.real_shapes())["Llama 2"]
    toy = texts[texts.index(real) + 1]
    match = re.fullmatch(r"\[\((\d+)\+(\d+)\)×(\d+)\]", toy)
    assert match, toy
    assert (int(match[1]), int(match[2])) == (256, n_words)
    assert f"[{n_words} words]" in texts  # the prompt box: the same P, counted in words
    readouts = {r["label"]: r["text"] for r in out["readouts"]}
    assert f"{n_words} words" in readouts.values()


def test_the_picture_draws_the_object_where_and_in_the_colour_the_image_has_it():
    for scene, colour in zip(ov.SCENES, ("red", "blue"), strict=True):
        img = ov.synthetic_image(scene)
        table = np.isclose(img[..., 0] - img[..., 1], 0.15)
        rows, cols = np.nonzero(~table)
        box = ov.compute(scene, ov.INSTRUCTIONS[0])["panels"][1]["marks"][1]
        assert box["color"] == colour
        assert min(box["x"]) == cols.min() and max(box["x"]) == cols.max() + 1
        assert max(box["y"]) == 224 - rows.min() and min(box["y"]) == 224 - rows.max() - 1


def test_the_cached_image_half_is_the_fresh_computation():
    for scene in ov.SCENES:
        again = ov.encode_image(ov.synthetic_image(scene))
        for key, value in again.items():
            assert np.array_equal(ov.ENCODED[scene][key], value), (scene, key)


# ---- the prompt: OpenVLA's template, counted in words and labelled so ---------------------------

@pytest.mark.parametrize("instruction", ov.INSTRUCTIONS)
def test_the_prompt_is_openvlas_template_around_the_instruction(instruction):
    expected = f"In: What action should the robot take to {instruction}?\nOut:"
    assert ov.prompt(instruction) == expected
    for scene in ov.SCENES:
        out = ov.compute(scene, instruction)
        # the review: a literal "\nOut:" was printed; the line break is shown as one. The
        # template and its instruction apart: the longer prompt wrapped to one more line.
        shown = readouts(out)
        assert shown["prompt"] == "In: What action should the robot take to …? ↵ Out:"
        assert shown[ov.INSTRUCTION_LABEL] == instruction
        assert shown["prompt"].replace("…", shown[ov.INSTRUCTION_LABEL]) == expected.replace(
            "\n", " ↵ ")
        assert f'the prompt "In: What action should the robot take to {instruction}?", then ' \
               f'"Out:" on a new line' in out["alt"]
        assert "\\n" not in out["alt"] + " ".join(readouts(out).values())


@pytest.mark.parametrize("scene,instruction", CASES)
def test_the_prompt_count_is_words_of_the_whole_prompt_and_its_label_says_so(scene, instruction):
    out = ov.compute(scene, instruction)
    counted = len(re.findall(r"\S+", TEMPLATE.format(instruction)))
    assert counted == 9 + len(instruction.split())  # the template's 9 words are included
    [(label, text)] = [(k, v) for k, v in readouts(out).items() if k.startswith("prompt length")]
    assert text == f"{counted} words"
    assert "words" in label and "subword tokens" in label
    assert f"({counted} words, which Llama's tokenizer splits into more subword tokens)" in \
        out["alt"]


def test_no_readout_or_sentence_calls_a_word_count_a_token_count():
    for scene, instruction in CASES:
        out = ov.compute(scene, instruction)
        for label, text in readouts(out).items():
            assert "tokens into" not in label
            if re.fullmatch(r"\d+ words", text) is None and "words" not in label:
                continue
            assert "words" in text and "words" in label
        n_words = len(TEMPLATE.format(instruction).split())
        assert not re.search(rf"\b{n_words} (instruction |prompt )?tokens", out["alt"])
        assert not re.search(rf"\b{256 + n_words}\b", out["alt"])  # no "visual + words" total


def test_the_word_ids_are_one_per_word_and_never_action_ids():
    for instruction in ov.INSTRUCTIONS:
        ids = ov.tokenize(ov.prompt(instruction))
        assert len(ids) == len(ov.prompt(instruction).split())
        assert np.all(ids < ov.SMALL_VOCAB - ov.ACTION_TOKENS)


# ---- action tokens and their decoding ---------------------------------------------------------

def test_exactly_seven_action_tokens_all_among_the_last_256_ids():
    for scene, instruction in CASES:
        ids = fresh(scene, instruction)["ids"]
        assert len(ids) == 7
        assert np.all(ids >= ov.SMALL_VOCAB - 256) and np.all(ids < ov.SMALL_VOCAB)
        assert np.all(np.abs(ov.decode(ids)) < 1)


def test_decoding_uses_the_papers_256_bins_as_the_rest_of_the_essay_does():
    """The review: the figure decoded with 255 centres (a claim about released code that the
    facts sheet does not hold) while the text said 256 bins. Now both say 256, as RT-2's
    tokenizer figure does: id 31,999 − k is bin k, decoded to its centre."""
    from widgets import rt2_tokens as rt2
    k = np.arange(256)
    assert len(set(ov.decode(ov.SMALL_VOCAB - 1 - k))) == 256
    assert np.allclose(ov.decode(ov.SMALL_VOCAB - 1 - k), -1 + (k + 0.5) * 2 / 256)
    assert ov.decode([ov.SMALL_VOCAB - 1])[0] == pytest.approx(-1 + 1 / 256)
    assert ov.decode([ov.SMALL_VOCAB - 256])[0] == pytest.approx(1 - 1 / 256)
    # the same id ↔ bin map as the RT-2/OpenVLA tokenizer figure, counted from Llama's 32,000
    assert np.array_equal(rt2.openvla_token_ids(k), 32_000 - 1 - k)
    # round trip: a value's bin, written as an id and decoded, lands within half a bin
    values = np.random.default_rng(0).uniform(-1, 1, 1000)
    bins = np.minimum(np.floor((values + 1) * 128), 255).astype(int)
    assert np.all(np.abs(ov.decode(ov.SMALL_VOCAB - 1 - bins) - values) <= 1 / 256 + 1e-12)
    with pytest.raises(ValueError, match="not action token ids"):
        ov.decode([ov.SMALL_VOCAB - 257])


@pytest.mark.parametrize("scene,instruction", CASES)
def test_alt_text_and_readouts_state_the_ids_and_action_computed(scene, instruction):
    out = ov.compute(scene, instruction)
    ids = fresh(scene, instruction)["ids"]
    real = [32_000 - (ov.SMALL_VOCAB - int(i)) for i in ids]
    assert all(31744 <= r <= 31999 for r in real)
    action = [-1 + (ov.SMALL_VOCAB - 1 - int(i) + 0.5) * 2 / 256 for i in ids]  # bin centres
    shown = [f"{round(a, 2) + 0.0:+.2f}" for a in action]  # −0.004 reads +0.00, never −0.00
    r = readouts(out)
    assert r["action token ids (as in OpenVLA)"] == " ".join(map(str, real))
    assert r["action"] == true_minus(" ".join(shown))
    assert true_minus(f"emits 7 action tokens, ids {', '.join(map(str, real))}, decoded to "
                      f"{', '.join(shown)}") in out["alt"]
    bars = out["panels"][2]["marks"][1]["y"][1::2]
    assert np.allclose(bars, action, atol=1e-5)


def test_the_image_and_the_instruction_both_change_the_action():
    actions = {tuple(fresh(scene, instruction)["ids"]) for scene, instruction in CASES}
    assert len(actions) == len(CASES)  # every image and instruction pair emits its own tokens


def test_the_docstring_keeps_the_checked_facts():
    doc = ov.__doc__
    for fact in ("arXiv 2406.09246", "DINOv2 ViT-L/14", "SigLIP So400M", "(2176)", "4096",
                 "256 least-used ids", "32,000", "reserves only 100 special tokens",
                 "What action should the robot take to {instruction}?"):
        assert fact in doc, fact


@pytest.mark.parametrize("scene,instruction", CASES)
def test_the_diagram_is_one_layout_for_every_width_and_every_label_fits_its_box(scene, instruction):
    """The review: the grey sub-labels showed at 8 px on a desktop and 6 px on a phone, "14
    words, 1 id each" ran into its box's border, and in the narrow layout the 80-character key
    left the panel. The diagram is a phone's column wide (no second layout), its texts at 8 pt
    or more, and each label fits inside its box; each key line inside the panel."""
    from visual_essay.layout import NARROW_WIDTH, text_width
    diagram = ov.compute(scene, instruction)["panels"][0]
    assert diagram["size"][0] <= NARROW_WIDTH and diagram["narrow"] is None
    plot = diagram["size"][0] * 72 - diagram["margin"]["left"] - diagram["margin"]["right"]
    per_unit = plot / (diagram["x"]["lim"][1] - diagram["x"]["lim"][0])
    boxes = [m for m in diagram["marks"] if m["kind"] == "polygon"]
    texts = [m for m in diagram["marks"] if m["kind"] == "text"]
    assert min(m["size"] for m in texts) >= 8
    for t in texts:
        width = text_width(t["s"], t["size"], t["bold"])
        box = next((b for b in boxes if min(b["x"]) < t["x"] < max(b["x"]) and
                    min(b["y"]) < t["y"] < max(b["y"])), None)
        room = (max(box["x"]) - min(box["x"])) * per_unit - 4 if box else plot
        assert width <= room, (t["s"], width, room)


def test_no_label_is_grey_on_a_tinted_box():
    """The graphics desk measured grey 8 pt labels on the boxes' tints at 7-8 px capitals: every
    text of the diagram is ink, at 8.5 pt or more (11.3 px at the panel's size); what was told
    apart by grey is now told apart by brackets, and the key says so."""
    marks = ov.compute("red cup, left", "pick up the red cup")["panels"][0]["marks"]
    texts = [m for m in marks if m["kind"] == "text"]
    assert {m["color"] for m in texts} == {"ink"}
    assert min(m["size"] for m in texts) >= 8.5
    assert [m["s"] for m in texts if m["s"] in ov.KEY] == ["stage", "in OpenVLA",
                                                            "[here, 1/32 wide]"]


@pytest.mark.parametrize("scene, instruction", CASES)
def test_the_token_ids_box_gives_their_range_whole_and_every_bar_shows_even_at_zero(scene,
                                                                                   instruction):
    """The fifth graphics desk: the box cut its ids short ("[771 758 887 …]", the readouts list
    them), and a value of 0 drew no bar at all (Δz = +0.00 with the blue block looked missing)."""
    figure = ov.compute(scene, instruction)
    diagram, _, bars = figure["panels"]
    texts = [m["s"] for m in diagram["marks"] if m["kind"] == "text"]
    low, high = ov.SMALL_VOCAB - ov.ACTION_TOKENS, ov.SMALL_VOCAB - 1
    assert f"[7 of {low}–{high}]" in texts and not any("…" in s for s in texts)
    ids = ov.generate(ov.ENCODED[scene]["projected"], ov.prompt(instruction))["ids"]
    assert all(low <= i <= high for i in ids)
    action = ov.decode(ids)
    caps = [m for m in bars["marks"] if m["kind"] == "segments" and m["width"] < 6]
    [cap] = caps
    # segments interleave their ends: x = [start, end, start, end, ...]
    for k, value in enumerate(action):  # a cap across each bar, at its value, however small
        assert cap["x"][2 * k] < k < cap["x"][2 * k + 1]
        assert cap["y"][2 * k] == cap["y"][2 * k + 1] == pytest.approx(value, abs=1e-5)


# ---- the layout: one height for the row, a key in the grid, (b) keyed ---------------------------

def phone_height(panel):
    """A panel's height in inches as a phone shows it: its narrow panel's, when it has one."""
    return (panel["narrow"] or panel)["size"][1]


@pytest.mark.parametrize("scene,instruction", CASES)
def test_no_panel_floats_in_the_row_it_shares_on_a_wide_screen(scene, instruction):
    """The ninth graphics desk: at 1280 px (b) and (c) were 240 px tall in a 422 px row set by
    (a), 43% of their boxes empty below them. Side by side (on a wide screen, in whatever rows
    the page wraps them), each panel fills most of any row's height: every panel is at least 90%
    as tall as the tallest."""
    heights = [p["size"][1] for p in ov.compute(scene, instruction)["panels"]]
    assert len(heights) == 3
    assert min(heights) >= 0.9 * max(heights), heights


@pytest.mark.parametrize("scene,instruction", CASES)
def test_the_diagrams_key_and_notes_are_cells_of_its_grid_not_a_block_of_prose(scene,
                                                                               instruction):
    """The ninth graphics desk: a five-line centred notes block under (a) ("bold: stage · plain:
    …", "P: …", "[in brackets]: …") was a legend set in prose. Every text of the diagram now sits
    in one of its 3 × 4 cells, at most three lines to a cell as each stage has, and the key is a
    cell drawn as a stage is (dashed)."""
    diagram = ov.compute(scene, instruction)["panels"][0]
    cells = {}
    for t in (m for m in diagram["marks"] if m["kind"] == "text"):
        col, row = int(t["x"]), round((t["y"] - 0.3) / 1.1)
        assert 0 <= col < 3 and 0 <= row < 4, t["s"]
        assert abs(t["y"] - (0.3 + 1.1 * row)) < ov.BOX_H, t["s"]
        cells.setdefault((col, row), []).append(t["s"])
    assert max(len(lines) for lines in cells.values()) == 3
    assert len(cells) == 12  # nine stages, the key and two notes: the grid is full
    assert cells[(2, 3)] == list(ov.KEY)
    dashed = [m for m in diagram["marks"] if m["kind"] == "line" and m["dash"]]
    assert len(dashed) == 1 and set(dashed[0]["x"]) == {2.05, 2.95}


@pytest.mark.parametrize("scene", ov.SCENES)
def test_b_keys_the_objects_patches_by_their_colour(scene):
    """The ninth graphics desk: (b) had no key for its red patches (the cup). Below the picture
    a swatch of the object's colour names it: "red patches: the cup"."""
    picture = ov.compute(scene, ov.INSTRUCTIONS[0])["panels"][1]
    _, colour = ov.object_box(ov.synthetic_image(scene))
    name = scene.split(",")[0].split()[-1]
    [label] = [m for m in picture["marks"] if m["kind"] == "text"]
    assert label["s"] == f"{colour} patches: the {name}"
    swatches = [m for m in picture["marks"] if m["kind"] == "polygon" and m["color"] == colour
                and max(m["y"]) < 0]  # below the picture, beside its label
    assert len(swatches) == 1 and max(swatches[0]["x"]) < label["x"]
    assert min(picture["y"]["lim"]) < label["y"] < 0  # in the panel, below the picture


def test_on_a_phone_the_stacked_panels_are_shorter_than_they_were():
    """The ninth graphics desk: 1503 px tall on a phone. Without the five lines of notes the
    diagram is 3.2 in, not 4.4, and (c) has a phone panel as short as it was: the three panels
    stack to under 9 in (they were 9.4: 4.4 + 2.5 + 2.5)."""
    panels = ov.compute(ov.SCENES[0], ov.INSTRUCTIONS[0])["panels"]
    assert sum(phone_height(p) for p in panels) < 9


def test_the_instruction_readout_reads_on_its_own_and_names_the_templates_gap():
    """The eleventh graphics desk (7.2): "… its instruction" was cryptic until one saw that the
    "…" in the prompt readout stands for it. Its label starts with what it is, and names the
    "…" it fills in the prompt's template, shown in the readout before it."""
    out = ov.compute(ov.SCENES[0], ov.INSTRUCTIONS[0])
    labels = [r["label"] for r in out["readouts"]]
    shown = readouts(out)
    [label] = [k for k, v in shown.items() if v == ov.INSTRUCTIONS[0]]
    assert label.startswith("instruction") and "…" in label and "prompt" in label
    assert "…" in shown["prompt"] and labels.index("prompt") < labels.index(label)


def test_on_a_phone_the_figure_is_shorter_than_the_eleventh_desk_saw():
    """The eleventh graphics desk (item 10): 1499 px tall on a 390 px phone (1473 measured here
    in Chromium). Where it went: panels 851 px, readouts 288, caption 161, controls 65. Cut:
    (c) stacks shorter on a phone (its text keeps its size: a narrow panel is drawn at the
    phone's scale; (b), a phone's width already, keeps the height it shares with (a) on a
    desktop); the prompt-length label, 4 lines in a phone's half-row cell, is at most
    2; the caption no longer repeats in typed numbers what the readouts and the diagram show
    computed (its only number is the count of action tokens the figure emits)."""
    from visual_essay.layout import text_width

    from . import chapter

    out = ov.compute(ov.SCENES[0], ov.INSTRUCTIONS[0])
    assert sum(phone_height(p) for p in out["panels"]) <= 3.2 + 3.2 + 2.0
    cell = (390 - 2 * 13 - 14) / 2  # a phone's half row of readouts, in px, as measured
    for label in readouts(out):
        lines = text_width(label, 0.72 * 20) / cell
        assert lines <= 1.8 or label in ("prompt", "action", "action token ids (as in OpenVLA)")
    caption = chapter.caption("openvla_pipeline", "generalists.md")
    assert re.findall(r"\d[\d,.]*", caption) == [str(len(out["readouts"][-1]["text"].split()))]
