"""FAST against per-step bins: a real DCT + BPE action tokenizer, trained when the site is built.

Models: FAST (Pertsch et al., arXiv 2501.09747). Per-step tokens, one 256-bin token per action
dimension per control step as in RT-2 (arXiv 2307.15818) and OpenVLA (arXiv 2406.09246), grow as
dimensions × steps, and at high control rates consecutive tokens of a dimension are nearly
identical, so next-token training learns to copy the previous token. FAST instead: normalise each
dimension (its 1st and 99th percentiles over the training corpus map to −1 and 1) → a DCT of each
dimension over the chunk → multiply by a scale (10 in the paper) and round → flatten low
frequencies first (every dimension's coefficient 0, then every dimension's coefficient 1, …) →
byte-pair encoding (a vocabulary of 1024 in the paper).

Everything here is built for real, in numpy: a corpus of 400 synthetic one-second chunks of 7
action dimensions (6 arm dimensions, each a sum of three low-frequency sinusoids saturated by a
tanh as joint limits would, and a gripper that may switch once, with a 50 ms logistic ramp); an
orthonormal DCT-II matrix; rounding; the low-frequency-first flattening; a byte-pair encoder whose
merges are learned on the corpus's rounded-coefficient sequences. The base alphabet is every
integer coefficient in [−255, 255] (511 symbols) and training adds 513 merges, a vocabulary of
1024 as in the paper. A chunk is encoded with those merges (lowest-rank pair first, as BPE
does), decoded back (undo the merges → coefficients → inverse DCT) and compared with the
original; the same chunk is also cut into 256 uniform bins per dimension over the same normalised
range (clipped outside it, as OpenVLA's 1st–99th percentile bins are). Errors are RMS, in percent
of each dimension's 1st-to-99th-percentile range, for both.

Training runs once, at build time (``visual_essay.prepared.at_build``), at the default scale
(10), on chunks sampled at a mix of the slider's frequencies (5 to 100 Hz, 20 chunks each): a
tokenizer for one essay slider must serve every rate on it, as FAST+ (trained on about a million
chunks from many robots) serves many. Trained at one low rate only, the merges never see the long
runs of zero coefficients that fast sampling produces, and high-rate chunks then take many more
tokens. The mean token counts of 16 held-out chunks at every scale and frequency on the sliders,
and their share of repeated bin tokens at every frequency, are also computed at build time; the
reader's browser encodes only the chunk on screen.

Simplifies: synthetic smooth trajectories, not robot data; one arm (the paper's 700 → 53 example
is a 14-dimensional, two-arm chunk); the new chunk of each seed is drawn from the corpus's
distribution but never from the corpus itself (a different random stream).
"""

import functools
import heapq

import numpy as np

from visual_essay import scene as S
from visual_essay.params import Seed, Slider, Value
from visual_essay.prepared import at_build

TITLE = "FAST: compressing an action chunk before a language model predicts it"

DIMS = 7
DIM_NAMES = ("x", "y", "z", "roll", "pitch", "yaw", "gripper")
CHUNK_S = 1.0  # every chunk lasts one second; a higher rate means more steps
FREQS = tuple(range(5, 101, 5))  # the frequency slider's values, in Hz
SCALES = tuple(range(1, 21))  # the scale slider's values
# Panel a's error axis, log10 of % of the range: 0.02% to 25%, wider than any step's error at
# any setting of the sliders (0.07% to 16% over seeds 0, 1, 7, 123 and the largest).
ERROR_LIM = (-1.7, 1.4)
DEFAULT_SCALE = 10  # the paper's
BINS = 256  # per-step tokens: RT-2's and OpenVLA's bins per dimension
LIMIT = 255  # rounded coefficients live in [-LIMIT, LIMIT]: the base alphabet
BASE = 2 * LIMIT + 1
VOCAB = 1024  # the paper's BPE vocabulary
CORPUS_PER_FREQ = 20  # 20 chunks at each of the 20 slider frequencies: 400 chunks
HELD_OUT = 16
GRIPPER_RAMP_S = 0.05  # logistic time constant of a gripper switch

# Independent random streams (numpy SeedSequence spawn keys): the corpus and the held-out chunks
# can never coincide with a reader's chunk, which is drawn from default_rng(seed).
CORPUS_STREAM = np.random.SeedSequence(2501_09747, spawn_key=(1,))
HELD_OUT_STREAM = np.random.SeedSequence(2501_09747, spawn_key=(2,))

PARAMS = (
    Slider("freq", 5, 100, step=5, default=50, label="Control frequency", unit="Hz"),
    Slider("scale", 1, 20, step=1, default=DEFAULT_SCALE, label="Rounding scale"),
    Seed("seed", 7, label="New chunk"),
)

VALUES = (
    Value(
        "repeats", "the share of this chunk's bin tokens that repeat the previous one", format=".0%"
    ),
    Value("held_repeats", "the same share over the held-out chunks", format=".0%"),
    Value("held_repeats_100", "the same share over the held-out chunks at 100 Hz", format=".0%"),
    Value("within", "the share of bin tokens within 7 bins of the previous one", format=".0%"),
    Value("fast_growth", "how many times the held-out FAST count grows from 5 to 100 Hz"),
    Value("fast_low", "the held-out mean FAST count at 5 Hz", format=".1f"),
    Value("fast_high", "the held-out mean FAST count at 100 Hz", format=".1f"),
    Value("bins_growth", "how many times the bin count grows from 5 to 100 Hz"),
    # errors as shares of the range (rms_percent / 100), so that they read "0.75%"
    Value("fast_error", "FAST's RMS error on this chunk, of the range", format=".2%"),
    Value("bins_error", "256 bins' RMS error on this chunk, of the range", format=".2%"),
    Value(
        "fast_error_5", "FAST's RMS error on this chunk drawn at 5 Hz, of the range", format=".2%"
    ),
)


# ---- the chunks ----------------------------------------------------------------------------------


def draw_chunks(rng, count):
    """Random parameters of ``count`` smooth one-second action chunks."""
    freq = rng.uniform(0.1, 1.0, (count, DIMS - 1, 3))  # Hz: slow, human-teleoperation motion
    return {
        "freq": freq,
        "amp": rng.normal(0.0, 1.0, (count, DIMS - 1, 3)) / (1 + 2 * freq),
        "phase": rng.uniform(0, 2 * np.pi, (count, DIMS - 1, 3)),
        "offset": rng.normal(0.0, 0.5, (count, DIMS - 1)),
        "switch_at": rng.uniform(0.1, 0.9, count),
        "closed_first": rng.integers(0, 2, count).astype(float),
        "switches": (rng.random(count) < 0.5).astype(float),
    }


def sample_chunks(p, freq, steps=None):
    """The chunks sampled at ``freq`` Hz: (count, DIMS, steps), ``steps`` = one second's worth."""
    steps = int(round(freq * CHUNK_S)) if steps is None else steps
    t = np.arange(steps) / freq
    waves = p["amp"][..., None] * np.sin(
        2 * np.pi * p["freq"][..., None] * t + p["phase"][..., None]
    )
    arm = np.tanh(p["offset"][..., None] + waves.sum(-2))
    ramp = 1 / (1 + np.exp(-(t[None] - p["switch_at"][:, None]) / GRIPPER_RAMP_S))
    closed = p["closed_first"][:, None]
    gripper = closed + p["switches"][:, None] * (1 - 2 * closed) * ramp
    return np.concatenate([arm, gripper[:, None]], 1)


def corpus():
    """The training chunks: (params, frequency of each chunk)."""
    rng = np.random.default_rng(CORPUS_STREAM)
    count = CORPUS_PER_FREQ * len(FREQS)
    return draw_chunks(rng, count), np.repeat(FREQS, CORPUS_PER_FREQ)


def one(p, i):
    return {k: v[i : i + 1] for k, v in p.items()}


# ---- normalisation, DCT, rounding ----------------------------------------------------------------

_DCT = {}


def dct_matrix(n):
    """The orthonormal DCT-II matrix D (n × n): coefficients = D @ signal, signal = D.T @ coeffs."""
    if n not in _DCT:
        k = np.arange(n)[:, None]
        d = np.sqrt(2.0 / n) * np.cos(np.pi * k * (2 * np.arange(n)[None] + 1) / (2 * n))
        d[0] /= np.sqrt(2.0)
        _DCT[n] = d
    return _DCT[n]


def normalise(x, low, high):
    """Each dimension's [1st, 99th] percentile → [−1, 1] (x: (..., DIMS, steps))."""
    low, high = np.asarray(low)[:, None], np.asarray(high)[:, None]
    return 2 * (x - low) / (high - low) - 1


def quantised_coefficients(z, scale):
    """Rounded DCT coefficients of a normalised chunk z (DIMS, steps), as a (steps, DIMS) int
    array: row k holds every dimension's coefficient k, so ``.ravel()`` is low frequencies
    first."""
    coeffs = dct_matrix(z.shape[-1]) @ z.T
    return np.clip(np.rint(coeffs * scale), -LIMIT, LIMIT).astype(int)


def reconstruct(q, scale):
    """Undo rounding's scale and the DCT: (steps, DIMS) integers → normalised chunk (DIMS,
    steps)."""
    return (dct_matrix(q.shape[0]).T @ (q / scale)).T


def bin_tokens(z):
    """Per-step tokens: 256 uniform bins over [−1, 1] per dimension (values outside are
    clipped)."""
    return np.clip(np.floor((z + 1) / 2 * BINS), 0, BINS - 1).astype(int)


def bin_values(tokens):
    return (tokens + 0.5) * (2.0 / BINS) - 1


# ---- byte-pair encoding --------------------------------------------------------------------------


def train_bpe(sequences, merges):
    """Learn ``merges`` BPE merges on integer sequences of symbols in [0, BASE): each round merges
    the most frequent adjacent pair everywhere (left to right, so a run "a a a" gives "aa a").
    Returns the merges as [left, right] pairs; merge r makes token BASE + r."""
    size = BASE + merges
    s = np.concatenate([np.append(np.asarray(q), -1) for q in sequences])  # -1 separates
    learned = []
    for r in range(merges):
        a, b = s[:-1], s[1:]
        valid = (a >= 0) & (b >= 0)
        counts = np.bincount(a[valid].astype(np.intp) * size + b[valid])
        best = int(counts.argmax())
        if counts[best] < 2:
            break
        left, right = divmod(best, size)
        s = _merge_everywhere(s, left, right, BASE + r)
        learned.append([left, right])
    return learned


def _merge_everywhere(s, left, right, token):
    at = np.flatnonzero((s[:-1] == left) & (s[1:] == right))
    if left == right and at.size:  # in a run, merge non-overlapping pairs from its start
        run_start = np.maximum.accumulate(np.where(np.r_[True, np.diff(at) != 1], at, 0))
        at = at[(at - run_start) % 2 == 0]
    s = s.copy()
    s[at] = token
    return np.delete(s, at + 1)


class Tokenizer:
    """BPE encode/decode over a list of merges (pure Python: the adjacent pairs in one bucket per
    merge rank, the buckets taken lowest rank first, each pair merged once; fast enough for a
    700-symbol chunk in the browser)."""

    def __init__(self, merges):
        self.size = BASE + len(merges)
        self.rank = {a * self.size + b: r for r, (a, b) in enumerate(merges)}
        expansion = [[i] for i in range(BASE)]
        for a, b in merges:
            expansion.append(expansion[a] + expansion[b])
        self.expansion = expansion

    def encode(self, symbols):
        """Token ids of a sequence of symbols (integers in [0, BASE)).

        Merge r only joins symbols and earlier merges' tokens, so every pair a merge creates has
        a higher rank than the merge: the pairs of rank r are all known before rank r's turn.
        Taking the ranks in increasing order (a heap of the ranks present) and each rank's pairs
        left to right therefore merges the pairs in the order of a heap of (rank, position),
        with one heap entry per rank instead of per pair."""
        rank, size = self.rank, self.size
        tok = list(symbols)
        n = len(tok)
        nxt = list(range(1, n + 1))
        prv = list(range(-1, n - 1))
        at_rank = {}  # rank -> the positions of the pairs of that rank (some stale by its turn)
        ranks = []  # a heap of the ranks in at_rank
        pop, push = heapq.heappop, heapq.heappush

        def add(r, i):  # the pair at i, of rank r (None: no merge joins it)
            if r is None:
                return
            if r not in at_rank:
                at_rank[r] = []
                push(ranks, r)
            at_rank[r].append(i)

        pairs = map(rank.get, [a * size + b for a, b in zip(tok, tok[1:], strict=False)])
        for i, r in enumerate(pairs):
            add(r, i)
        while ranks:
            r = pop(ranks)
            positions = at_rank.pop(r)
            positions.sort()  # left to right: in a run "a a a", "aa a"
            new = BASE + r
            for i in positions:
                left = tok[i]
                j = nxt[i]
                if left < 0 or j >= n or rank.get(left * size + tok[j]) != r:
                    continue  # stale: one of the pair was merged away since
                tok[i], tok[j] = new, -1
                k = nxt[j]
                nxt[i] = k
                # the new token's pairs with its neighbours, for a later rank's turn
                if k < n:
                    prv[k] = i
                    add(rank.get(new * size + tok[k]), i)
                p = prv[i]
                if p >= 0:
                    add(rank.get(tok[p] * size + new), p)
        return [t for t in tok if t >= 0]

    def decode(self, tokens):
        """The symbols the tokens stand for."""
        expansion = self.expansion
        return [s for t in tokens for s in expansion[t]]


def symbols_of(q):
    """Rounded coefficients (steps, DIMS) → the flattened, low-frequency-first symbol list."""
    return (q.ravel() + LIMIT).tolist()


def coefficients_of(symbols, steps):
    return (np.asarray(symbols, dtype=int) - LIMIT).reshape(steps, DIMS)


# ---- computed once, when the site is built -------------------------------------------------------


@at_build
def trained_tokenizer():
    """Normalisation percentiles and BPE merges learned on the corpus (at the default scale)."""
    p, freqs = corpus()
    chunks = [sample_chunks(one(p, i), f)[0] for i, f in enumerate(freqs)]
    pooled = np.concatenate(chunks, axis=1)
    low = np.quantile(pooled, 0.01, axis=1)
    high = np.quantile(pooled, 0.99, axis=1)
    sequences = [
        symbols_of(quantised_coefficients(normalise(x, low, high), DEFAULT_SCALE)) for x in chunks
    ]
    return {
        "low": low.tolist(),
        "high": high.tolist(),
        "merges": train_bpe(sequences, VOCAB - BASE),
    }


@functools.cache
def tokenizer():
    """The trained tokenizer as the figure uses it: the normalisation's low and high percentiles
    (arrays) and the BPE. Made when first needed, not at import: a build on several cores trains
    it beside the figures that do not need it."""
    trained = trained_tokenizer()
    return np.array(trained["low"]), np.array(trained["high"]), Tokenizer(trained["merges"])


def held_out_chunks():
    return draw_chunks(np.random.default_rng(HELD_OUT_STREAM), HELD_OUT)


def fast_token_count(z, scale):
    return len(tokenizer()[2].encode(symbols_of(quantised_coefficients(z, scale))))


@at_build
def held_out_token_counts():
    """FAST tokens per chunk of the held-out chunks: mean, min and max for every (scale,
    frequency) on the sliders, as [scale index][frequency index]."""
    p = held_out_chunks()
    table = {"mean": [], "min": [], "max": []}
    low, high, _ = tokenizer()
    normalised = {f: normalise(sample_chunks(p, f), low, high) for f in FREQS}
    for scale in SCALES:
        rows = np.array([[fast_token_count(z, scale) for z in normalised[f]] for f in FREQS])
        table["mean"].append(rows.mean(1).tolist())
        table["min"].append(rows.min(1).tolist())
        table["max"].append(rows.max(1).tolist())
    return table



# ---- one chunk, measured -------------------------------------------------------------------------


def measure(z, scale):
    """Everything the figure states about a normalised chunk z (DIMS, steps)."""
    steps = z.shape[1]
    q = quantised_coefficients(z, scale)
    bpe = tokenizer()[2]
    tokens = bpe.encode(symbols_of(q))
    decoded = coefficients_of(bpe.decode(tokens), steps)
    fast = reconstruct(decoded, scale)
    bins = bin_tokens(z)
    repeats = bins[:, 1:] == bins[:, :-1]
    return {
        "steps": steps,
        "q": q,
        "tokens": tokens,
        "decoded": decoded,
        "fast": fast,
        "bins": bins,
        "bin_decoded": bin_values(bins),
        "fast_error": rms_percent(fast - z),
        "bin_error": rms_percent(bin_values(bins) - z),
        "repeat_share": float(repeats.mean()) if steps > 1 else 0.0,
        "repeat_share_arm": float(repeats[:-1].mean()) if steps > 1 else 0.0,
        "repeat_share_gripper": float(repeats[-1].mean()) if steps > 1 else 0.0,
        "steps_between": np.abs(np.diff(bins, axis=1)),
        # steps where some dimension lies past the range, so that its bin token is clipped to
        # the end bin: the only steps where the bins can err by more than half a bin
        "clipped": np.any(np.abs(z) > 1, axis=0),
    }


def rms_percent(error):
    """RMS of an error in normalised units, as a percentage of the [1st, 99th] percentile range
    (2 normalised units)."""
    return float(np.sqrt(np.mean(error**2)) / 2 * 100)


def step_rms_percent(error):
    """The RMS of an error (DIMS, steps) over the dimensions at each step, in % of the range:
    its quadratic mean over the steps is rms_percent(error)."""
    return np.sqrt(np.mean(error**2, axis=0)) / 2 * 100


@functools.lru_cache(maxsize=8)
def reader_chunk_params(seed):
    """The parameters of the reader's chunk: drawn once per seed (not on every move of a slider),
    and only read."""
    return draw_chunks(np.random.default_rng(seed), 1)


def reader_chunk(seed, freq):
    """The reader's chunk (DIMS, steps), normalised."""
    return normalise(sample_chunks(reader_chunk_params(seed), freq)[0], *tokenizer()[:2])


@functools.lru_cache(maxsize=64)
def fast_error_at_lowest_freq(seed, scale):
    """FAST's RMS error on the reader's chunk drawn at the slider's lowest frequency: it does not
    depend on the frequency slider, so moving that slider reuses it."""
    return measure(reader_chunk(seed, FREQS[0]), scale)["fast_error"]


WITHIN = (0, 1, 3, 7)  # the near panel: tokens at most this many bins from the previous one
WITHIN_LABELS = ("same", "±1", "±3", "±7")


def within_shares(steps_between):
    """The share of consecutive bin tokens at most k bins from the previous token of their
    dimension, for each k in WITHIN (cumulative: the first is the exact repeats)."""
    flat = np.asarray(steps_between).ravel()
    return [float(np.mean(flat <= k)) if flat.size else 0.0 for k in WITHIN]


def held_out_repeat_share(freq):
    """The share of exactly repeated consecutive bin tokens, over all the held-out chunks at
    ``freq`` Hz (bins only; held_out_repeat_shares keeps it for every slider frequency)."""
    bins = bin_tokens(normalise(sample_chunks(held_out_chunks(), freq), *tokenizer()[:2]))
    return float(np.mean(bins[..., 1:] == bins[..., :-1]))


@at_build
def held_out_repeat_shares():
    """held_out_repeat_share at every frequency on the slider, as [frequency index]: made at
    build time with the token counts, not anew on every call (0.6 ms of each in the browser)."""
    return [held_out_repeat_share(f) for f in FREQS]


def held_out_repeat_share_at(freq):
    """held_out_repeat_share from the build's table on the slider's values, computed afresh off
    them (a frequency set in the address)."""
    return (held_out_repeat_shares()[FREQS.index(freq)] if freq in FREQS
            else held_out_repeat_share(freq))


def growth(table, lo=FREQS[0], hi=FREQS[-1]):
    """How many times a row of held-out means grows from the lowest to the highest frequency."""
    return table[FREQS.index(hi)] / table[FREQS.index(lo)]


SHARE_TICKS = [0, 0.25, 0.5, 0.75, 1]  # the near-token panel's axis, to 100% at every frequency
# On a phone the three panels stack: each as wide as a phone's column holds and shorter than on
# a desktop (where they sit in a row, as tall as one another), so that the figure is not the
# essay's longest on a phone (1567 px at 390 wide, now 1423). Text keeps its size (8 points,
# 10.7 px, and up). (a) keeps the most height: its axis's name is the longest.
PHONE_WIDTH = S.NARROW_WIDTH
PHONE_HEIGHTS = {"chunk": 2.75, "counts": 2.4, "near": 2.35}  # inches: 7.5 in all, not 9


def panel(which, marks, size, **furniture):
    """A panel of ``size`` on a desktop and PHONE_WIDTH × its PHONE_HEIGHTS on a phone, with the
    same marks, key and axes (the title is the desktop panel's)."""
    plain = {k: v for k, v in furniture.items() if k != "title"}
    return S.panel(marks, size=size, **furniture,
                   narrow=S.panel(marks, size=(PHONE_WIDTH, PHONE_HEIGHTS[which]), **plain))


def compute(freq, scale, seed):
    z = reader_chunk(seed, freq)
    m = measure(z, scale)
    steps = m["steps"]
    n_fast, n_bins = len(m["tokens"]), DIMS * steps
    ratio = n_bins / n_fast
    t = np.arange(steps) / freq

    # 1. what each reconstruction gets wrong, step by step: decoded − original, RMS over the
    # chunk's dimensions, in % of the range (the readouts' measure, over the whole chunk). Drawn
    # over the chunk itself, both reconstructions lay on the original (FAST's error is about 1%
    # of the range, the bins' under 0.2%) and the panel showed one line.
    fast_step = step_rms_percent(m["fast"] - z)
    bins_step = step_rms_percent(m["bin_decoded"] - z)
    half_bin = 100 / BINS / 2  # the bins' bound, but where a value is clipped past the range
    # A clipped value errs by as much as it overshoots the range: those steps get a marker of
    # their own (shape and colour), so no bins dot sits above the half-bin line unexplained. The
    # mark is there even when empty: the legend, and so the figure's height, stays the same
    # whatever chunk "New chunk" draws.
    clipped = m["clipped"]
    n_clipped = int(clipped.sum())
    above = bins_step > half_bin
    n_above_clipped, n_above_other = int((above & clipped).sum()), int((above & ~clipped).sum())
    # One frame at every setting, on a log scale (errors from under 0.1% to over 10% of the
    # range): a coarser or finer scale moves FAST's curve, not the axis under it.
    lo, hi = ERROR_LIM
    log_error = lambda e: np.log10(np.clip(e, 10**lo, 10**hi))  # noqa: E731
    # The frame is the same at every scale (fitted to each, the curve looked the same at all of
    # them), so its top is where the coarsest scale's error reaches: at a finer scale that part
    # would be empty. FAST's error at the coarsest scale is drawn there, pale and named, for this
    # same chunk: where the rounding slider can take the curve.
    coarsest = SCALES[0]
    if scale != coarsest:
        coarse_step = step_rms_percent(reconstruct(quantised_coefficients(z, coarsest), coarsest)
                                       - z)
        peak = int(np.argmax(coarse_step))
        coarse = [
            S.line(t, log_error(coarse_step), color="teal", width=1.0, opacity=0.4),
            S.text(t[peak], float(log_error(coarse_step[peak])), f"FAST at scale {coarsest}",
                   size=8.5, color="teal", beside=("above", "below", "above right",
                                                  "above left"), gap=4),
        ]
    else:
        coarse = []
    chunk = panel(
        "chunk",
        [
            *coarse,
            S.line(t, log_error(fast_step), color="teal", width=1.6, label="FAST"),
            S.points(
                t[~clipped],
                log_error(bins_step[~clipped]),
                color="red",  # the bins' colour in (b) and (c) too
                size=1.2 if steps > 40 else 1.8,
                label="256 bins",
            ),
            S.hline(np.log10(half_bin), color="gray", dash=True, label="half a bin"),
            # larger than the dots: a triangle as small as they are reads as a dot
            S.points(
                t[clipped],
                log_error(bins_step[clipped]),
                color="orange",
                size=2.2 if steps > 40 else 2.8,
                shape="triangle",
                # the count in the entry, as in the readout: at 0 the key says no triangle is
                # drawn, yet keeps its entry (a touch must not change the key's rows)
                label=f"bins, clipped at the range's end: {n_clipped} of {steps}",
            ),
        ],
        title=f"one chunk's error, RMS of {DIMS} dims",
        size=(3.1, 3.0),
        legend="above",  # the error reaches the plot's top corners
        x=S.axis("time (s)", lim=(-0.03, 1.03), ticks=[0, 0.5, 1]),
        y=S.axis(
            "RMS error (% of range, log scale)",
            lim=ERROR_LIM,
            ticks=[-1, 0, 1],
            ticklabels=["0.1", "1", "10"],
        ),
    )

    # 2. tokens per chunk across frequencies
    freqs = np.array(FREQS, dtype=float)
    si = SCALES.index(scale)
    counts_at = held_out_token_counts()
    mean = np.array(counts_at["mean"][si])
    lo, hi = np.array(counts_at["min"][si]), np.array(counts_at["max"][si])
    top = DIMS * max(FREQS) * 1.08
    counts = panel(
        "counts",
        [
            S.line(
                freqs,
                DIMS * freqs * CHUNK_S,
                color="red",
                width=2,
                dash=True,
                label="bins: 7 × steps",
            ),  # dashed: red and teal are alike in grey
            S.area(freqs, lo, hi, color="teal", opacity=0.25),
            S.line(
                freqs, mean, color="teal", width=2, label=f"FAST, scale {scale} ({HELD_OUT} chunks)"
            ),
            S.segments([freq], [0], [freq], [top], color="gray", width=1, opacity=0.7),
            S.points([freq], [n_bins], color="ink", size=4.5),  # as the key's "this chunk"
            # the counts are the readouts: written beside the dots, they ran under the FAST dot at
            # 100 Hz on a phone, and the frequency's guide line runs wherever the dots are
            S.points([freq], [n_fast], color="ink", size=4.5, label="this chunk"),
        ],
        title="tokens per 1-s chunk",
        size=(3.0, 3.0),
        legend="above",  # the frequency's guide line crosses the plot's full height
        x=S.axis("control frequency (Hz)", lim=(0, 105), ticks=[5, 25, 50, 75, 100]),
        # padded below 0: a dot of a few tokens shows whole
        y=S.axis("tokens", lim=(-0.04 * top, top), ticks=[0, 200, 400, 600]),
    )

    # 3. how close each bin token stays to the previous one of its dimension (cumulative)
    share = within_shares(m["steps_between"])
    xs = np.arange(len(WITHIN))
    bars = [
        S.rect(
            x - 0.36,
            0,
            x + 0.36,
            v,
            color="red" if x == 0 else "gray",
            opacity=0.85 if x == 0 else 0.6,
        )
        for x, v in zip(xs, share, strict=True)
    ]
    # Shares on an axis to 100% at every frequency: one that shrank to the bars (0–25% at 5 Hz)
    # made a 21% bar look like 84%.
    top, ticks = 1.0, SHARE_TICKS
    bars += [
        S.text(x, v + 0.02 * top, f"{v:.0%}", size=8, valign="bottom")
        for x, v in zip(xs, share, strict=True)
    ]
    near = panel(
        "near",
        bars,
        title=f"near the previous token, {freq} Hz",
        size=(2.9, 3.0),
        x=S.axis(
            "within this many of 256 bins",
            lim=(-0.6, len(xs) - 0.4),
            ticks=list(xs),
            ticklabels=list(WITHIN_LABELS),
        ),
        y=S.axis(
            "share of bin tokens",
            lim=(0, 1.1 * top),
            ticks=ticks,
            ticklabels=["0"] + [f"{t:.0%}" for t in ticks[1:]],
        ),
    )

    held = held_out_repeat_share_at(freq)
    fast_growth, bins_growth = growth(mean), FREQS[-1] / FREQS[0]
    values = {
        "repeats": m["repeat_share"],
        "held_repeats": held,
        "held_repeats_100": held_out_repeat_share_at(FREQS[-1]),
        "within": share[-1],
        "fast_growth": f"{fast_growth:.1f}×",
        "fast_low": mean[0],
        "fast_high": mean[-1],
        "bins_growth": f"{bins_growth:.0f}×",
        "fast_error": m["fast_error"] / 100,
        "bins_error": m["bin_error"] / 100,
        "fast_error_5": fast_error_at_lowest_freq(seed, scale) / 100,  # the same chunk, at 5 Hz
    }
    if n_clipped:
        clipping = (
            f"At {n_clipped} of its {steps} steps a value lies past the range's end and the bins "
            f"clip it; their error exceeds half a bin at {n_above_clipped} of those steps and at "
            f"{n_above_other} others. "
        )
    else:
        clipping = (
            f"No value lies past the range's end, and the bins' error exceeds half a bin at "
            f"{n_above_other} of the {steps} steps. "
        )
    return S.scene(
        [chunk, counts, near],
        alt=(
            f"A 1-second, {freq} Hz chunk of {DIMS} action dimensions takes {n_fast} FAST tokens "
            f"at scale {scale} and {n_bins} per-step bin tokens ({ratio:.1f}× as many); "
            f"decoded, FAST's RMS error is {m['fast_error']:.2f}% of the range and the bins' "
            f"{m['bin_error']:.2f}%. {clipping}From {FREQS[0]} to {FREQS[-1]} Hz, the mean FAST "
            f"count of {HELD_OUT} held-out chunks grows {fast_growth:.1f}× (from {mean[0]:.1f} to "
            f"{mean[-1]:.1f} tokens), the bins' {bins_growth:.0f}× (from {DIMS * FREQS[0]} to "
            f"{DIMS * FREQS[-1]}). {m['repeat_share']:.0%} of this chunk's consecutive bin tokens "
            f"repeat the previous token of their dimension ({m['repeat_share_arm']:.0%} on the "
            f"arm, {m['repeat_share_gripper']:.0%} on the gripper; {held:.0%} over the "
            f"{HELD_OUT} held-out chunks), and {share[-1]:.0%} are within {WITHIN[-1]} of 256 "
            f"bins of it."
        ),
        readouts=[
            S.readout("FAST tokens", n_fast),
            S.readout("bin tokens", n_bins),
            S.readout("compression", f"{ratio:.1f}×"),
            S.readout("FAST error (RMS)", f"{m['fast_error']:.2f}% of range"),
            S.readout("bins error (RMS)", f"{m['bin_error']:.2f}% of range"),
            S.readout("steps the bins clip", f"{n_clipped} of {steps}"),
            S.readout("repeated bin tokens", f"{m['repeat_share']:.0%}"),
            S.readout(f"repeated, {HELD_OUT} held-out chunks", f"{held:.0%}"),
            S.readout(f"within {WITHIN[-1]} bins", f"{share[-1]:.0%}"),
        ],
        values=values,
    )
