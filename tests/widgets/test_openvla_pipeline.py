"""OpenVLA's shape arithmetic, and the scaled pipeline that really computes it."""

import numpy as np
import pytest

from widgets import openvla_pipeline as ov


def test_a_224_pixel_image_with_14_pixel_patches_gives_256_patches():
    patches = ov.patchify(ov.synthetic_image(ov.SCENES[0]), 14)
    assert patches.shape == (256, 14 * 14 * 3)


def test_patchify_keeps_every_pixel_in_order():
    img = np.random.default_rng(0).random((28, 28, 3))
    patches = ov.patchify(img, 14)
    assert np.array_equal(patches[1].reshape(14, 14, 3), img[:14, 14:28])
    assert np.array_equal(patches[2].reshape(14, 14, 3), img[14:28, :14])


def test_the_two_encoders_concatenate_to_2176_features():
    assert ov.DINO + ov.SIGLIP == 2176
    shapes = dict(ov.real_shapes(14, 5))
    assert shapes["concat"] == "256×2176" and shapes["projector"] == "256×4096"
    assert shapes["Llama 2"] == "261×4096"


@pytest.mark.parametrize("patch", [14, 16, 28])
def test_the_scaled_model_computes_the_shapes_the_diagram_claims(patch):
    out = ov.run_pipeline(ov.synthetic_image(ov.SCENES[1]), ov.INSTRUCTIONS[1], patch)
    n = (224 // patch) ** 2
    assert out["patches"].shape == (n, patch * patch * 3)
    assert out["dino"].shape == (n, ov.DINO // ov.SCALE)
    assert out["siglip"].shape == (n, ov.SIGLIP // ov.SCALE)
    assert out["fused"].shape == (n, (ov.DINO + ov.SIGLIP) // ov.SCALE)
    assert out["projected"].shape == (n, ov.LLAMA // ov.SCALE)
    words = len(ov.INSTRUCTIONS[1].split())
    assert out["sequence"].shape == (n + words + 7, ov.LLAMA // ov.SCALE)


def test_exactly_seven_action_tokens_all_among_the_last_256_ids():
    for scene in ov.SCENES:
        ids = ov.run_pipeline(ov.synthetic_image(scene), ov.INSTRUCTIONS[0], 14)["ids"]
        assert len(ids) == 7
        assert np.all(ids >= ov.SMALL_VOCAB - 256) and np.all(ids < ov.SMALL_VOCAB)
        action = ov.decode(ids)
        assert np.all(np.abs(action) <= 1)


def test_decoding_counts_bins_down_from_the_end_of_the_vocabulary():
    assert ov.decode([ov.SMALL_VOCAB - 1])[0] == pytest.approx(-1 + 1 / 256)
    assert ov.decode([ov.SMALL_VOCAB - 256])[0] == pytest.approx(1 - 1 / 256)


def test_the_image_and_the_instruction_both_change_the_action():
    a = ov.run_pipeline(ov.synthetic_image(ov.SCENES[0]), ov.INSTRUCTIONS[0], 14)["ids"]
    b = ov.run_pipeline(ov.synthetic_image(ov.SCENES[1]), ov.INSTRUCTIONS[0], 14)["ids"]
    c = ov.run_pipeline(ov.synthetic_image(ov.SCENES[0]), ov.INSTRUCTIONS[1], 14)["ids"]
    assert not np.array_equal(a, b) and not np.array_equal(a, c)
