"""OpenVLA's pipeline, with its real shapes, run by a tiny numpy model.

Models: OpenVLA (Kim et al., arXiv 2406.09246) is the Prismatic-7B vision-language model turned
into a policy: a 224×224 image is cut into 14×14-pixel patches (16 × 16 = 256 of them; both
encoders are /14 models, so 14 pixels is the only patch size); two vision encoders read the
patches, DINOv2 ViT-L/14 (1024 features per patch) and SigLIP So400M/14 (1152), whose features are
concatenated (2176); a 2-layer MLP projects each patch into Llama 2 7B's 4096-wide embedding
space. The 256 visual tokens and the prompt go through the language model. The prompt is OpenVLA's
template from its released code, "In: What action should the robot take to {instruction}?\\nOut:";
Llama's SentencePiece tokenizer splits it into subword tokens, more of them than it has words (we
have no Llama tokenizer here, so the figure counts the prompt in words and says so). The model
emits 7 action tokens, taken from the 256 least-used ids at the end of Llama's 32,000-token
vocabulary: OpenVLA overwrites those tokens because Llama reserves only 100 special tokens, too
few for 256 bins. Each token decodes to a bin of one action dimension (bins span the 1st to 99th
percentile of that dimension in the training data, normalised to [−1, 1]). The decoding here
follows the paper's 256 bins, as the rest of the essay does (the bins figure, RT-2's tokenizer):
256 equal bins on [−1, 1], bin k (k = 0 … 255 from −1 up) written as id 31,999 − k, the last 256
ids counted down from the end, and decoded to its centre, −1 + (k + ½) · 2/256.

What runs here is real arithmetic at a smaller width: the synthetic image is really patchified,
and every stage really multiplies by a weight matrix, but the widths are the real ones divided by
32 and the weights are random (seeded), so the action it produces means nothing. The figure
shows both: the real shape of each stage and the shape this scaled model computed.

Simplifies: each encoder is one random layer, not a transformer; the language model is one
random layer that reads the visual tokens and the prompt (each max-pooled over its tokens and
layer-normalised), the token it just emitted and the output position, in place of 32 layers of
attention; the scaled model's "tokenizer" gives each whitespace-separated word of the prompt
one id (a stand-in for Llama's subword tokenizer, and labelled as words); the vocabulary is 1,000
ids, of which the last 256 are action tokens as in OpenVLA.

Speed: the image half of the pipeline does not depend on the instruction, so each camera image's
256 visual tokens (and its picture) are computed once, at import; a control change runs the
language model's 7 steps.
"""

import numpy as np

from visual_essay import scene as S
from visual_essay.params import Choice

from .bins import bin_centre

TITLE = "Inside OpenVLA: image and instruction to action"

IMAGE, PATCH = 224, 14  # OpenVLA's input size; the patch size of both /14 encoders
DINO, SIGLIP, LLAMA = 1024, 1152, 4096
VOCAB, ACTION_TOKENS, ACTION_DIMS = 32_000, 256, 7
SCALE = 32  # the model run here is this many times narrower
SMALL_VOCAB = 1_000
PROMPT = "In: What action should the robot take to {}?\nOut:"  # OpenVLA's released template
INSTRUCTIONS = ("pick up the red cup", "push the blue block left")
SCENES = ("red cup, left", "blue block, right")

PARAMS = (
    Choice("scene", SCENES, SCENES[0], label="Camera image"),
    Choice("instruction", INSTRUCTIONS, INSTRUCTIONS[0], label="Instruction"),
)


def prompt(instruction):
    """The text OpenVLA's language model reads, around the instruction."""
    return PROMPT.format(instruction)


def words(text):
    """Whitespace-separated words: what the figure counts (Llama's tokenizer makes more tokens)."""
    return text.split()


def synthetic_image(scene):
    """A 224×224×3 table-top picture: a wooden table and one coloured object."""
    y, x = np.mgrid[0:IMAGE, 0:IMAGE] / IMAGE
    img = np.stack([0.75 - 0.2 * y, 0.6 - 0.2 * y, 0.45 - 0.15 * y], -1)
    cx, cy, colour = ((0.3, 0.55, (0.85, 0.15, 0.15)) if scene == SCENES[0]
                      else (0.7, 0.6, (0.15, 0.3, 0.85)))
    inside = (np.abs(x - cx) < 0.09) & (np.abs(y - cy) < 0.12)
    img[inside] = colour
    return img


def patchify(img, patch=PATCH):
    """(patches, patch·patch·3): the image cut into non-overlapping squares, row by row."""
    n = img.shape[0] // patch
    cut = img[:n * patch, :n * patch].reshape(n, patch, n, patch, 3)
    return cut.transpose(0, 2, 1, 3, 4).reshape(n * n, patch * patch * 3)


def weights(shape, seed):
    rng = np.random.default_rng(seed)
    return rng.standard_normal(shape) / np.sqrt(shape[0])


# The scaled model's fixed random weights, made once.
ENCODERS = (weights((PATCH * PATCH * 3, DINO // SCALE), 1),
            weights((PATCH * PATCH * 3, SIGLIP // SCALE), 2))
PROJECTOR = (weights(((DINO + SIGLIP) // SCALE, LLAMA // SCALE), 3),
             weights((LLAMA // SCALE, LLAMA // SCALE), 4))
EMBED = weights((SMALL_VOCAB, LLAMA // SCALE), 5)
POSITION = weights((ACTION_DIMS, LLAMA // SCALE), 7)
HEAD = weights((LLAMA // SCALE, SMALL_VOCAB), 6)


def tokenize(text):
    """One id per word of ``text`` in the small vocabulary, never an action id (a stand-in for
    Llama's subword tokenizer, which would give more ids than words)."""
    return np.array([sum(map(ord, w)) % (SMALL_VOCAB - ACTION_TOKENS) for w in words(text)])


def encode_image(img):
    """The image half: patches, both encoders, their concatenation and the 2-layer MLP."""
    patches = patchify(img)
    dino = np.tanh(patches @ ENCODERS[0])
    siglip = np.tanh(patches @ ENCODERS[1])
    fused = np.concatenate([dino, siglip], 1)
    visual = np.maximum(fused @ PROJECTOR[0], 0) @ PROJECTOR[1]
    return {"patches": patches, "dino": dino, "siglip": siglip, "fused": fused,
            "projected": visual}


def _norm(v):
    """Layer normalisation (no gain or bias)."""
    return (v - v.mean(-1, keepdims=True)) / v.std(-1, keepdims=True)


def generate(visual, text):
    """The language half: visual tokens and the prompt's word ids in, 7 action token ids out,
    one at a time (each emitted token is fed back in)."""
    prompt_ids = tokenize(text)
    embedded = EMBED[prompt_ids]
    sequence = np.concatenate([visual, embedded])
    # A one-layer stand-in for attention: what the image says and what the words say (each
    # max-pooled over its tokens and normalised, fixed), plus the token just emitted (at first,
    # the prompt's last word) and the output position.
    context = _norm(visual.max(0)) + _norm(embedded.max(0))
    inputs = _norm(np.concatenate([embedded[-1:], POSITION]))
    ids = []
    for step in range(ACTION_DIMS):
        logits = np.tanh(context + inputs[0] + inputs[1 + step]) @ HEAD[:, -ACTION_TOKENS:]
        ids.append(SMALL_VOCAB - ACTION_TOKENS + int(np.argmax(logits)))  # action ids only
        inputs[0] = _norm(EMBED[ids[-1]])
    sequence = np.concatenate([sequence, EMBED[ids]])
    return {"prompt_ids": prompt_ids, "sequence": sequence, "ids": np.array(ids)}


def run_pipeline(img, text):
    """Every stage's output, computed at width / SCALE, plus the 7 action token ids."""
    out = encode_image(img)
    out.update(generate(out["projected"], text))
    return out


BIN_CENTRES = bin_centre(np.arange(ACTION_TOKENS), ACTION_TOKENS)  # 256 bins on [−1, 1]


def decode(ids, vocab=SMALL_VOCAB):
    """Action token id -> bin index counted down from the end of the vocabulary (the last id is
    bin 0) -> that bin's centre."""
    index = vocab - 1 - np.asarray(ids)
    if np.any((index < 0) | (index >= ACTION_TOKENS)):
        raise ValueError(f"not action token ids (the last {ACTION_TOKENS} of {vocab}): {ids}")
    return BIN_CENTRES[index]


def real_shapes():
    """Each stage's shape in OpenVLA. P is the prompt's length in Llama subword tokens, which
    we cannot compute offline."""
    n = (IMAGE // PATCH) ** 2
    return [("image", f"{IMAGE}×{IMAGE}×3"), ("patches", f"{n}×{PATCH * PATCH * 3}"),
            ("DINOv2", f"{n}×{DINO}"), ("SigLIP", f"{n}×{SIGLIP}"),
            ("concat", f"{n}×{DINO + SIGLIP}"), ("projector", f"{n}×{LLAMA}"),
            ("Llama 2", f"({n}+P)×{LLAMA}"), ("prompt", "P tokens"),
            ("7 token ids", f"{VOCAB - ACTION_TOKENS}–{VOCAB - 1}")]


# Per camera image, once: the image half of the pipeline and the picture of the patch grid.
IMAGES = {scene: synthetic_image(scene) for scene in SCENES}
ENCODED = {scene: encode_image(IMAGES[scene]) for scene in SCENES}


def object_box(img):
    """The object's pixels (the table's red minus green is 0.15 everywhere, an object's is not):
    its bounding box in picture coordinates (y up) and its colour's name."""
    rows, cols = np.nonzero(_object(img))
    r, _, b = img[rows[0], cols[0]]
    return (cols.min(), IMAGE - 1 - rows.max(), cols.max() + 1, IMAGE - rows.min()), \
        ("red" if r > b else "blue")


def _object(img):
    return np.abs(img[..., 0] - img[..., 1] - 0.15) > 0.05


def _picture(img):
    """The table's brightness, the object in its colour, and the 16×16 patch grid."""
    small = img[::8, ::8]  # 28×28 cells: enough to see the table
    lum = small @ [0.3, 0.59, 0.11]
    lum = np.where(_object(small), lum[:, :1], lum)  # the table under the object (it varies by row)
    grid = np.arange(IMAGE // PATCH + 1) * PATCH
    (x0, y0, x1, y1), colour = object_box(img)
    return [S.heatmap(lum[::-1], extent=(0, IMAGE, 0, IMAGE), ramp="teal"),
            S.rect(x0, y0, x1, y1, color=colour, opacity=0.9),
            S.segments(grid, np.zeros_like(grid), grid, np.full_like(grid, IMAGE), color="ink",
                       width=0.4, opacity=0.5),
            S.segments(np.zeros_like(grid), grid, np.full_like(grid, IMAGE), grid, color="ink",
                       width=0.4, opacity=0.5)]


PICTURES = {scene: _picture(IMAGES[scene]) for scene in SCENES}


def _shape(a):
    return "×".join(map(str, a.shape))


def _sequence_shape(sequence, n_visual):
    """The language model's input as OpenVLA's line writes it, (256+P)×width, with the scaled
    model's own P: the rows past the visual tokens (the prompt's words, one id each)."""
    rows, width = sequence.shape
    return f"({n_visual}+{rows - n_visual})×{width}"


BOX_H = 0.42  # half a box's height, in rows of the diagram
LINE = 0.23  # between a box's three lines, in rows
TEXT = 8.5  # points: every label of the diagram, in ink
# Inches: the three panels' height, one for the row they share on a wide screen, so that none
# floats in a row taller than itself (the diagram's four rows of boxes set it).
HEIGHT = 3.2
PHONE_BARS = 2.0  # inches: (c) stacked on a phone (the figure was 1473 px tall there)
KEY_ROOM = 30  # (b)'s room below the picture for its key, in pixels of the image
# The diagram's key, in the grid's empty top-right cell, its three lines as every box's three.
KEY_CELL = (2, 3.6)
KEY = ("stage", "in OpenVLA", "[here, 1/32 wide]")
# Notes in the grid's other empty cells, beside what they explain: P under the prompt's box,
# the scaled ids' offset from OpenVLA's above the ids' box. P is a number of tokens: Llama's
# subwords in OpenVLA, the prompt's words in the scaled model (one id a word, in brackets as
# every scaled number is), so that its "[(256+14)×128]" is P's definition at work (the facts
# review: 270 = 256 + 14 words read against "P: ... subword tokens").
NOTES = {
    (0, 0.3): ("P: prompt length in", "Llama's subwords", "[here, in words]"),
    (2, 1.4): (f"[ids] + {VOCAB - SMALL_VOCAB:,}", "= OpenVLA's ids"),
}


INSTRUCTION_LABEL = "instruction (the\u00a0… in the prompt)"  # "the …" kept on one line
LENGTH_LABEL = "prompt length (words, not subword tokens)"


def object_name(scene):
    """The object of a camera image's name: "red cup, left" -> "cup"."""
    return scene.split(",")[0].split()[-1]


def compute(scene, instruction):
    text = prompt(instruction)
    out = dict(ENCODED[scene])
    out.update(generate(out["projected"], text))
    n_visual = out["projected"].shape[0]
    n_words = len(out["prompt_ids"])
    action = decode(out["ids"])
    # the ids' range here, as the line above gives OpenVLA's: seven numbers do not fit the box
    # (the readouts list them)
    ids = f"{len(out['ids'])} of {SMALL_VOCAB - ACTION_TOKENS}–{SMALL_VOCAB - 1}"
    computed = [f"{IMAGE}×{IMAGE}×3", _shape(out["patches"]), _shape(out["dino"]),
                _shape(out["siglip"]), _shape(out["fused"]), _shape(out["projected"]),
                _sequence_shape(out["sequence"][:-ACTION_DIMS], n_visual), f"{n_words} words",
                ids]
    colours = ["gray", "gray", "blue", "purple", "teal", "orange", "red", "gold", "green"]
    # Three columns, one layout for every width (the panel is a phone's column wide): the image
    # half flows down through the encoders on either side of their concatenation, the prompt
    # joins the language model from the side.
    positions = [(0, 3.6), (1, 3.6), (0, 2.5), (2, 2.5), (1, 2.5), (1, 1.4), (1, 0.3), (0, 1.4),
                 (2, 0.3)]
    marks = []
    for (name, real), small, colour, (cx, cy) in zip(real_shapes(), computed, colours, positions,
                                                     strict=True):
        marks += [S.rect(cx + 0.05, cy - BOX_H, cx + 0.95, cy + BOX_H, color=colour,
                         opacity=0.16, stroke=colour),
                  S.text(cx + 0.5, cy + LINE, name, size=TEXT, bold=True),
                  S.text(cx + 0.5, cy, real, size=TEXT),
                  # ink, in brackets: grey 8 pt on the box's tint was hard to read
                  S.text(cx + 0.5, cy - LINE, f"[{small}]", size=TEXT)]
    for (x0, y0, x1, y1) in [(0.95, 3.6, 1.05, 3.6),  # image → patches
                             (1.3, 3.18, 0.75, 2.92), (1.7, 3.18, 2.25, 2.92),  # → encoders
                             (0.95, 2.5, 1.05, 2.5), (2.05, 2.5, 1.95, 2.5),  # → concat
                             (1.5, 2.08, 1.5, 1.82), (1.5, 0.98, 1.5, 0.72),  # → projector → Llama
                             (0.75, 0.98, 1.15, 0.72),  # prompt → Llama
                             (1.95, 0.3, 2.05, 0.3)]:  # Llama → action tokens
        marks.append(S.arrow(x0, y0, x1, y1, color="muted", width=1))
    # The key is a cell of the grid, drawn as a stage box is (dashed: it is not a stage), in the
    # top right corner the pipeline leaves empty; the notes on P and on the ids sit beside the
    # boxes they explain, in the grid's two other empty cells.
    kx, ky = KEY_CELL
    x0, x1, y0, y1 = kx + 0.05, kx + 0.95, ky - BOX_H, ky + BOX_H
    marks += [S.line([x0, x1, x1, x0, x0], [y0, y0, y1, y1, y0], color="muted", width=1,
                     dash=True),
              *[S.text(kx + 0.5, ky + LINE * (1 - i), line, size=TEXT, bold=i == 0)
                for i, line in enumerate(KEY)]]
    for (cx, cy), lines in NOTES.items():
        marks += [S.text(cx + 0.5, cy + LINE * ((len(lines) - 1) / 2 - i), line, size=TEXT)
                  for i, line in enumerate(lines)]
    diagram = S.panel(marks, title="the pipeline, stage by stage", size=(S.NARROW_WIDTH, HEIGHT),
                      x=S.axis(lim=(0, 3), hidden=True), y=S.axis(lim=(-0.2, 4.1), hidden=True))

    n = IMAGE // PATCH
    _, colour = object_box(IMAGES[scene])
    named = [
        S.rect(0, -KEY_ROOM * 0.78, 14, -KEY_ROOM * 0.22, color=colour, opacity=0.9),
        S.text(22, -KEY_ROOM / 2, f"{colour} patches: the {object_name(scene)}", size=TEXT,
               anchor="start"),
    ]
    picture = S.panel(PICTURES[scene] + named,
                      title=f"{n}×{n} = {n_visual} patches of {PATCH} px",
                      size=(2.6, HEIGHT), equal=True, x=S.axis(lim=(0, IMAGE), hidden=True),
                      y=S.axis(lim=(-KEY_ROOM, IMAGE), hidden=True))

    labels = ("Δx", "Δy", "Δz", "roll", "pitch", "yaw", "grip")
    bar_marks = [
        S.line([-0.5, 6.5], [0, 0], color="gray", width=0.8),
        S.segments(np.arange(7), np.zeros(7), np.arange(7), action, color="green", width=6),
        # a cap across each bar's end: a value of 0 shows too (its bar has no length)
        S.segments(np.arange(7) - 0.2, action, np.arange(7) + 0.2, action, color="green",
                   width=1.5),
    ]
    axes = dict(x=S.axis(lim=(-0.6, 6.6), ticks=list(range(7)), ticklabels=list(labels)),
                y=S.axis("bin centre", lim=(-1.05, 1.05), ticks=[-1, 0, 1]))
    # as tall as (a) beside it; stacked on a phone, as short as it reads
    bars = S.panel(bar_marks, title="decoded action (random weights)", size=(3.4, HEIGHT),
                   narrow=S.panel(bar_marks, size=(S.NARROW_WIDTH, PHONE_BARS), **axes), **axes)

    real_ids = VOCAB - (SMALL_VOCAB - out["ids"])  # the same bins, counted from 32,000
    # The template, its line break shown as one, and the instruction it wraps apart: a prompt
    # longer by a few words wrapped to one more line and moved the page under the reader.
    template = PROMPT.format("…").replace("\n", " ↵ ")
    shown_action = [f"{a:+.2f}" for a in np.round(action, 2) + 0.0]  # no "-0.00"
    return S.scene(
        [diagram, picture, bars],
        alt=(f"A {IMAGE}-pixel image cut into {PATCH}-pixel patches gives {n_visual} patches; "
             f"DINOv2 ({DINO}) and SigLIP ({SIGLIP}) features concatenate to {DINO + SIGLIP} per "
             f"patch, projected to Llama 2's {LLAMA}. The {n_visual} visual tokens and the prompt "
             f"\"{text.splitlines()[0]}\", then \"{text.splitlines()[1]}\" on a new line "
             f"({n_words} words, which Llama's tokenizer splits into more "
             f"subword tokens) enter the language model, which emits {len(out['ids'])} action "
             f"tokens, ids {', '.join(map(str, real_ids))}, decoded to "
             f"{', '.join(shown_action)} (random weights: meaningless values)."),
        readouts=[
            S.readout("visual tokens (patches)", n_visual),
            S.readout("features per patch", f"{DINO} + {SIGLIP} = {DINO + SIGLIP}"),
            S.readout("prompt", template),
            # short: on a phone a 4-line label made its row 101 px tall (the diagram's note on P
            # says the rest, Llama's subwords against the words counted here)
            S.readout(LENGTH_LABEL, f"{n_words} words"),
            # named so that it reads on its own, and says what the template's "…" stands for;
            # after the length, so the room its longer instruction keeps ends the row at 1280
            # (before it, a hole of 49 px: the thirteenth desk's holes)
            S.readout(INSTRUCTION_LABEL, instruction),
            S.readout("action token ids (as in OpenVLA)", " ".join(map(str, real_ids))),
            S.readout("action", " ".join(shown_action)),
        ],
    )
