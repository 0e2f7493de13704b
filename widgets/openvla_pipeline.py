"""OpenVLA's pipeline, with its real shapes, run by a tiny numpy model.

Models: OpenVLA (Kim et al., arXiv 2406.09246) is the Prismatic-7B vision-language model turned
into a policy: a 224×224 image is cut into 14×14-pixel patches (16 × 16 = 256 of them); two vision
encoders read the patches, DINOv2 ViT-L/14 (1024 features per patch) and SigLIP So400M (1152),
whose features are concatenated (2176); a 2-layer MLP projects each patch into Llama 2 7B's
4096-wide embedding space; the 256 visual tokens and the instruction's tokens go through the
language model, which emits 7 action tokens, taken from the 256 least-used ids at the end of its
32,000-token vocabulary; each decodes to a bin centre in [−1, 1] (bins span the 1st to 99th
percentile of each dimension in the training data).

What runs here is real arithmetic at a smaller width: the synthetic image is really patchified,
and every stage really multiplies by a weight matrix, but the widths are the real ones divided by
32 and the weights are random (seeded), so the action it produces means nothing. The figure
shows both: the real shape of each stage and the shape this scaled model computed.

Simplifies: each encoder and the language model is one random layer, not a transformer; the
vocabulary is 1,000 ids, of which the last 256 are action tokens as in OpenVLA.
"""

import numpy as np

from visual_essay import scene as S
from visual_essay.params import Choice

TITLE = "Inside OpenVLA: image and instruction to action"

IMAGE = 224
DINO, SIGLIP, LLAMA = 1024, 1152, 4096
VOCAB, ACTION_TOKENS, ACTION_DIMS = 32_000, 256, 7
SCALE = 32  # the model run here is this many times narrower
SMALL_VOCAB = 1_000
INSTRUCTIONS = ("pick up the red cup", "push the blue block left")
SCENES = ("red cup, left", "blue block, right")

PARAMS = (
    Choice("scene", SCENES, SCENES[0], label="Camera image"),
    Choice("instruction", INSTRUCTIONS, INSTRUCTIONS[0], label="Instruction"),
    Choice("patch", ("14", "16", "28"), "14", label="Patch size (pixels)"),
)


def synthetic_image(scene):
    """A 224×224×3 table-top picture: a wooden table and one coloured object."""
    y, x = np.mgrid[0:IMAGE, 0:IMAGE] / IMAGE
    img = np.stack([0.75 - 0.2 * y, 0.6 - 0.2 * y, 0.45 - 0.15 * y], -1)
    cx, cy, colour = ((0.3, 0.55, (0.85, 0.15, 0.15)) if scene == SCENES[0]
                      else (0.7, 0.6, (0.15, 0.3, 0.85)))
    inside = (np.abs(x - cx) < 0.09) & (np.abs(y - cy) < 0.12)
    img[inside] = colour
    return img


def patchify(img, patch):
    """(patches, patch·patch·3): the image cut into non-overlapping squares, row by row."""
    n = img.shape[0] // patch
    cut = img[:n * patch, :n * patch].reshape(n, patch, n, patch, 3)
    return cut.transpose(0, 2, 1, 3, 4).reshape(n * n, patch * patch * 3)


def weights(shape, seed):
    rng = np.random.default_rng(seed)
    return rng.standard_normal(shape) / np.sqrt(shape[0])


# The scaled model's fixed random weights, made once (the encoders' depend on the patch size).
ENCODERS = {p: (weights((p * p * 3, DINO // SCALE), 1), weights((p * p * 3, SIGLIP // SCALE), 2))
            for p in (14, 16, 28)}
PROJECTOR = (weights(((DINO + SIGLIP) // SCALE, LLAMA // SCALE), 3),
             weights((LLAMA // SCALE, LLAMA // SCALE), 4))
EMBED = weights((SMALL_VOCAB, LLAMA // SCALE), 5)
POSITION = weights((ACTION_DIMS, LLAMA // SCALE), 7)
HEAD = weights((LLAMA // SCALE, SMALL_VOCAB), 6)


def tokenize(instruction):
    """Word ids in the small vocabulary (a stand-in for Llama's tokenizer)."""
    return np.array([sum(map(ord, w)) % (SMALL_VOCAB - ACTION_TOKENS) for w in instruction.split()])


def run_pipeline(img, instruction, patch):
    """Every stage's output, computed at width / SCALE, plus the 7 action token ids."""
    patches = patchify(img, patch)
    w_dino, w_siglip = ENCODERS[patch]
    dino = np.tanh(patches @ w_dino)
    siglip = np.tanh(patches @ w_siglip)
    fused = np.concatenate([dino, siglip], 1)
    visual = np.maximum(fused @ PROJECTOR[0], 0) @ PROJECTOR[1]  # the 2-layer MLP
    sequence = np.concatenate([visual, EMBED[tokenize(instruction)]])
    ids = []
    words = len(tokenize(instruction))
    for step in range(ACTION_DIMS):  # autoregressive: each emitted token joins the sequence
        # A one-layer stand-in for attention: what the image says, what the words say, and
        # what was just emitted, at this output position.
        context = sequence[:len(visual)].mean(0) + sequence[len(visual):len(visual) + words].mean(0)
        state = np.tanh(context + sequence[-1] + POSITION[step])
        logits = state @ HEAD
        logits[:-ACTION_TOKENS] = -np.inf  # only action tokens may be emitted
        ids.append(int(np.argmax(logits)))
        sequence = np.vstack([sequence, EMBED[ids[-1]]])
    return {"patches": patches, "dino": dino, "siglip": siglip, "fused": fused,
            "projected": visual, "sequence": sequence, "ids": np.array(ids)}


def decode(ids, vocab=SMALL_VOCAB):
    """Action token id -> bin (counted down from the last id) -> bin centre in [-1, 1]."""
    bins = vocab - 1 - np.asarray(ids)
    return -1 + (bins + 0.5) * 2 / ACTION_TOKENS


def real_shapes(patch, words):
    n = (IMAGE // patch) ** 2
    return [("image", f"{IMAGE}×{IMAGE}×3"), ("patches", f"{n}×{patch * patch * 3}"),
            ("DINOv2", f"{n}×{DINO}"), ("SigLIP", f"{n}×{SIGLIP}"),
            ("concat", f"{n}×{DINO + SIGLIP}"), ("projector", f"{n}×{LLAMA}"),
            ("Llama 2", f"{n + words}×{LLAMA}"), ("7 tokens", "ids 31744–31999")]


def compute(scene, instruction, patch):
    patch = int(patch)
    img = synthetic_image(scene)
    out = run_pipeline(img, instruction, patch)
    words = len(instruction.split())
    action = decode(out["ids"])
    computed = [f"{IMAGE}×{IMAGE}×3", "×".join(map(str, out["patches"].shape)),
                "×".join(map(str, out["dino"].shape)), "×".join(map(str, out["siglip"].shape)),
                "×".join(map(str, out["fused"].shape)), "×".join(map(str, out["projected"].shape)),
                "×".join(map(str, out["sequence"][:-ACTION_DIMS].shape)),
                " ".join(map(str, out["ids"]))]
    colours = ["gray", "gray", "blue", "purple", "teal", "orange", "red", "green"]
    # Two rows, the flow snaking right then left, so the diagram stays legible on a phone.
    positions = [(0, 2.2), (1, 2.2), (2, 2.7), (2, 1.7), (3, 2.2), (3, 0.5), (2, 0.5), (1, 0.5)]
    marks = []
    for (name, real), small, colour, (cx, cy) in zip(real_shapes(patch, words), computed,
                                                     colours, positions):
        h = 0.42
        marks += [S.rect(cx + 0.05, cy - h, cx + 0.95, cy + h, color=colour, opacity=0.16,
                         stroke=colour),
                  S.text(cx + 0.5, cy + 0.22, name, size=7.5, bold=True),
                  S.text(cx + 0.5, cy - 0.02, real, size=6.5),
                  S.text(cx + 0.5, cy - 0.24, small if len(small) < 14 else small[:13] + "…",
                         color="muted", size=6)]
    for (x0, y0, x1, y1) in [(0.95, 2.2, 1.05, 2.2), (1.95, 2.3, 2.05, 2.6), (1.95, 2.1, 2.05, 1.8),
                             (2.95, 2.6, 3.05, 2.3), (2.95, 1.8, 3.05, 2.1),
                             (3.5, 1.78, 3.5, 0.92), (3.05, 0.5, 2.95, 0.5),
                             (2.05, 0.5, 1.95, 0.5)]:
        marks.append(S.arrow(x0, y0, x1, y1, color="muted", width=1))
    marks.append(S.text(2.0, -0.2, "bold: stage · black: OpenVLA's real shape · grey: computed "
                                   "here at 1/32 width", color="muted", size=6.5))
    diagram = S.panel(marks, title="the pipeline, stage by stage", size=(4.6, 3.2),
                      x=S.axis(lim=(0, 4), hidden=True), y=S.axis(lim=(-0.4, 3.2), hidden=True))

    small = img[::8, ::8]  # 28×28 cells: enough to see the scene
    lum = small @ [0.3, 0.59, 0.11]
    n = IMAGE // patch
    grid = np.arange(n + 1) * patch
    picture = S.panel([
        S.heatmap(lum[::-1], extent=(0, IMAGE, 0, IMAGE), ramp="teal"),
        S.segments(grid, np.zeros_like(grid), grid, np.full_like(grid, IMAGE), color="ink",
                   width=0.4, opacity=0.5),
        S.segments(np.zeros_like(grid), grid, np.full_like(grid, IMAGE), grid, color="ink",
                   width=0.4, opacity=0.5),
    ], title=f"{n}×{n} = {n * n} patches of {patch} px", size=(2.4, 2.5), equal=True,
        x=S.axis(lim=(0, IMAGE), hidden=True), y=S.axis(lim=(0, IMAGE), hidden=True))

    labels = ("Δx", "Δy", "Δz", "roll", "pitch", "yaw", "grip")
    bars = S.panel([
        S.line([-0.5, 6.5], [0, 0], color="gray", width=0.8),
        S.segments(np.arange(7), np.zeros(7), np.arange(7), action, color="green", width=6),
    ], title="decoded action (random weights)", size=(3.4, 2.5),
        x=S.axis(lim=(-0.6, 6.6), ticks=list(range(7)), ticklabels=list(labels)),
        y=S.axis("bin centre", lim=(-1.05, 1.05), ticks=[-1, 0, 1]))

    real_ids = VOCAB - 1 - (SMALL_VOCAB - 1 - out["ids"])
    return S.scene(
        [diagram, picture, bars],
        alt=(f"A {IMAGE}-pixel image cut into {patch}-pixel patches gives {n * n} patches; "
             f"DINOv2 ({DINO}) and SigLIP ({SIGLIP}) features concatenate to {DINO + SIGLIP} per "
             f"patch, projected to Llama 2's {LLAMA}; {n * n} visual plus {words} instruction "
             f"tokens enter the language model, which emits 7 action tokens that decode to "
             f"values in [-1, 1]."),
        readouts=[
            S.readout("patches", n * n),
            S.readout("features per patch", f"{DINO} + {SIGLIP} = {DINO + SIGLIP}"),
            S.readout("tokens into Llama 2", f"{n * n} + {words}"),
            S.readout("action token ids (as in OpenVLA)", " ".join(map(str, real_ids))),
            S.readout("action", " ".join(f"{a:+.2f}" for a in action)),
        ],
    )
