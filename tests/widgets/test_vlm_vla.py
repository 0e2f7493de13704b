"""One fitted model, one greedy token loop: the output mask alone turns answers into actions."""

import numpy as np
import pytest

from widgets import vlm_vla as vv


@pytest.mark.parametrize("instruction", vv.INSTRUCTIONS)
def test_text_mode_answers_in_words_from_the_corpus(instruction):
    tokens = vv.generate(instruction, "text")
    assert " ".join(tokens) == vv.CORPUS[instruction][0]
    assert not any(t.startswith("<a") for t in tokens)


@pytest.mark.parametrize("instruction", vv.INSTRUCTIONS)
def test_action_mode_emits_only_action_tokens_that_decode_within_half_a_bin(instruction):
    tokens = vv.generate(instruction, "actions")
    assert len(tokens) == 12 and all(t.startswith("<a") for t in tokens)
    decoded = vv.detokenize(tokens)
    truth = np.array(vv.CORPUS[instruction][1], dtype=float)
    half_bin = np.array([vv.STEP, vv.STEP, vv.STEP, 1.0]) / vv.BINS
    assert np.all(np.abs(decoded - truth) <= half_bin + 1e-12)


def test_both_modes_use_the_same_fitted_model():
    # The mask is the only difference: unmasked, the first token is a word or an action token
    # by the counts alone, and each mode's first token is the best allowed one.
    ins = vv.INSTRUCTIONS.index("open the drawer")
    first = vv.COUNTS[ins, len(vv.VOCAB), 0]
    best_word = vv.VOCAB[int(np.argmax(np.where(~vv.IS_ACTION, first, -1)))]
    best_action = vv.VOCAB[int(np.argmax(np.where(vv.IS_ACTION, first, -1)))]
    assert vv.generate("open the drawer", "text")[0] == best_word
    assert vv.generate("open the drawer", "actions")[0] == best_action


def test_the_decoded_path_is_the_sum_of_the_decoded_steps():
    scene = vv.compute("actions", "pick up the red cup")
    offset = next(r["text"] for r in scene["readouts"] if r["label"].startswith("final"))
    steps = vv.detokenize(vv.generate("pick up the red cup", "actions"))
    x, y, z = steps[:, :3].sum(0)
    assert offset == f"({x:+.2f}, {y:+.2f}, {z:+.2f}) m"
