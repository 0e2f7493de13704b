"""FAST's claims (arXiv 2501.09747), checked on the widget's real DCT, rounding and trained BPE,
with the per-step 256-bin tokens of RT-2 / OpenVLA beside them."""

import itertools

import numpy as np
import pytest

from visual_essay.params import resolve
from visual_essay.registry import compute
from widgets import WIDGETS
from widgets import fast_tokens as ft

SEEDS = range(12)
FREQS = (5, 10, 20, 50, 100)


def chunk(seed, freq):
    return ft.reader_chunk(seed, freq)


def reference_dct(x):
    """Orthonormal DCT-II through an FFT of the mirrored signal (independent of dct_matrix)."""
    n = len(x)
    spectrum = np.fft.fft(np.concatenate([x, x[::-1]]))[:n]
    k = np.arange(n)
    out = 0.5 * np.real(np.exp(-1j * np.pi * k / (2 * n)) * spectrum)
    return out * np.where(k == 0, np.sqrt(1.0 / n), np.sqrt(2.0 / n))


def reference_encode(symbols, merges):
    """BPE the slow, obvious way: apply every merge in rank order, left to right."""
    seq = list(symbols)
    for r, (a, b) in enumerate(merges):
        out, i = [], 0
        while i < len(seq):
            if i + 1 < len(seq) and seq[i] == a and seq[i + 1] == b:
                out.append(ft.BASE + r)
                i += 2
            else:
                out.append(seq[i])
                i += 1
        seq = out
    return seq


def fast_count(seed, freq, scale):
    symbols = ft.symbols_of(ft.quantised_coefficients(chunk(seed, freq), scale))
    return len(ft.tokenizer()[2].encode(symbols))


# ---- the machinery is what it says --------------------------------------------------------------


@pytest.mark.parametrize("n", [5, 16, 50, 100])
def test_the_dct_matrix_is_the_orthonormal_dct_ii(n):
    d = ft.dct_matrix(n)
    assert np.allclose(d @ d.T, np.eye(n), atol=1e-12)
    x = np.random.default_rng(n).standard_normal(n)
    assert np.allclose(d @ x, reference_dct(x), atol=1e-10)


def test_the_vocabulary_is_1024_tokens_as_in_the_paper():
    merges = ft.trained_tokenizer()["merges"]
    assert ft.BASE == 511 and len(merges) == 513 and ft.BASE + len(merges) == ft.VOCAB == 1024
    for r, (a, b) in enumerate(merges):  # a merge only uses symbols or earlier merges
        assert 0 <= a < ft.BASE + r and 0 <= b < ft.BASE + r


def test_the_shipped_merges_are_what_training_on_the_corpus_at_the_default_scale_gives():
    p, freqs = ft.corpus()
    assert sorted(set(freqs.tolist())) == list(ft.FREQS)  # a mix of every slider frequency
    sequences = [
        ft.symbols_of(
            ft.quantised_coefficients(
                ft.normalise(ft.sample_chunks(ft.one(p, i), f)[0], *ft.tokenizer()[:2]), 10
            )
        )
        for i, f in enumerate(freqs)
    ]
    assert ft.train_bpe(sequences, 513) == ft.trained_tokenizer()["merges"]


def test_normalisation_maps_the_corpus_1st_and_99th_percentiles_to_minus_one_and_one():
    p, freqs = ft.corpus()
    pooled = np.concatenate([ft.sample_chunks(ft.one(p, i), f)[0] for i, f in enumerate(freqs)], 1)
    z = ft.normalise(pooled, *ft.tokenizer()[:2])
    assert np.allclose(np.quantile(z, 0.01, axis=1), -1) and np.allclose(
        np.quantile(z, 0.99, axis=1), 1
    )


def test_flattening_puts_every_dimensions_coefficient_zero_first():
    q = ft.quantised_coefficients(chunk(3, 50), 10)
    symbols = ft.symbols_of(q)
    assert symbols[: ft.DIMS] == (q[0] + ft.LIMIT).tolist()
    assert symbols[ft.DIMS : 2 * ft.DIMS] == (q[1] + ft.LIMIT).tolist()
    # low frequencies first: the high-frequency tail of a smooth chunk is mostly zero
    assert np.mean(q[-20:] == 0) > 0.8 and np.mean(q[:3] == 0) < 0.5


def test_the_heap_encoder_gives_the_same_tokens_as_applying_merges_in_rank_order():
    for seed, freq, scale in [(0, 50, 10), (5, 100, 20), (9, 5, 1), (2, 35, 7)]:
        symbols = ft.symbols_of(ft.quantised_coefficients(chunk(seed, freq), scale))
        merges = ft.trained_tokenizer()["merges"]
        assert ft.tokenizer()[2].encode(symbols) == reference_encode(symbols, merges)


@pytest.mark.parametrize("freq", [5, 20, 50, 100])
@pytest.mark.parametrize("scale", [1, 10, 20])
def test_encode_then_decode_is_lossless_on_the_rounded_coefficients(freq, scale):
    for seed in SEEDS:
        q = ft.quantised_coefficients(chunk(seed, freq), scale)
        tokens = ft.tokenizer()[2].encode(ft.symbols_of(q))
        assert len(tokens) < q.size
        assert np.array_equal(ft.coefficients_of(ft.tokenizer()[2].decode(tokens), freq), q)


def test_only_rounding_loses_information():
    z = chunk(1, 50)
    exact = ft.dct_matrix(50) @ z.T  # unrounded coefficients invert exactly
    assert np.allclose((ft.dct_matrix(50).T @ exact).T, z, atol=1e-12)
    m = ft.measure(z, 10)
    rounding_only = ft.reconstruct(ft.quantised_coefficients(z, 10), 10)
    assert np.array_equal(m["fast"], rounding_only)  # BPE adds no error on top


def test_coefficients_never_reach_the_alphabets_limit_on_the_sliders():
    # |coefficient| <= sqrt(steps) * max|z| (each DCT row has unit norm); the arm's tanh keeps
    # its raw values inside (-1, 1) and the gripper's inside [0, 1]
    raw_range = np.array([[-1.0, 1.0]] * (ft.DIMS - 1) + [[0.0, 1.0]])
    worst = np.max(np.abs(ft.normalise(raw_range, *ft.tokenizer()[:2])))
    assert np.sqrt(max(ft.FREQS)) * worst * max(ft.SCALES) < ft.LIMIT


def test_a_readers_chunk_comes_from_the_corpus_distribution_but_never_from_the_corpus():
    p, _ = ft.corpus()
    for seed in range(20):
        mine = ft.draw_chunks(np.random.default_rng(seed), 1)
        assert not np.any(np.all(np.isclose(p["freq"], mine["freq"]), axis=(1, 2)))
    assert ft.CORPUS_STREAM.spawn_key != ft.HELD_OUT_STREAM.spawn_key


# ---- the paper's claims --------------------------------------------------------------------------


def test_fast_tokens_per_chunk_grow_far_slower_with_frequency_than_bins():
    fast = {f: np.mean([fast_count(s, f, 10) for s in SEEDS]) for f in FREQS}
    bins = {f: ft.DIMS * f for f in FREQS}  # one token per dimension per step
    assert bins[100] / bins[10] == 10
    assert fast[100] / fast[10] < 2.5  # twenty times the steps, not even 2.5 times the tokens
    assert all(fast[f] < fast[g] * 1.2 for f, g in itertools.pairwise(FREQS))
    assert fast[100] < bins[100] / 10


def test_at_50_hz_a_one_arm_chunk_takes_about_thirty_fast_tokens_as_in_the_paper():
    mean = ft.held_out_token_counts()["mean"][ft.SCALES.index(10)][ft.FREQS.index(50)]
    assert 20 <= mean <= 50  # the paper: about 30 per arm per chunk (53 for two arms, 14 dims)
    assert ft.DIMS * 50 / mean > 7


def test_the_share_of_repeated_consecutive_bin_tokens_rises_with_frequency():
    shares = [np.mean([ft.measure(chunk(s, f), 10)["repeat_share"] for s in SEEDS]) for f in FREQS]
    assert all(a < b for a, b in itertools.pairwise(shares)), shares
    arm = [
        np.mean([ft.measure(chunk(s, f), 10)["repeat_share_arm"] for s in SEEDS]) for f in (5, 100)
    ]
    assert arm[0] < 0.05 and arm[1] > 0.2


def test_reconstruction_error_falls_as_the_scale_rises_while_the_token_count_rises():
    scales = (1, 2, 5, 10, 20)
    errors = [np.mean([ft.measure(chunk(s, 50), k)["fast_error"] for s in SEEDS]) for k in scales]
    counts = [np.mean([fast_count(s, 50, k) for s in SEEDS]) for k in scales]
    assert all(a > b for a, b in itertools.pairwise(errors)), errors
    assert all(a < b for a, b in itertools.pairwise(counts)), counts


def test_training_on_a_mix_of_rates_serves_high_rates_better_than_training_at_5_hz_only():
    p, freqs = ft.corpus()
    slow = [
        ft.symbols_of(
            ft.quantised_coefficients(
                ft.normalise(ft.sample_chunks(ft.one(p, i), 5)[0], *ft.tokenizer()[:2]), 10
            )
        )
        for i in range(len(freqs))
    ]
    slow_bpe = ft.Tokenizer(ft.train_bpe(slow, 513))
    held = ft.normalise(ft.sample_chunks(ft.held_out_chunks(), 100), *ft.tokenizer()[:2])
    mixed = np.mean(
        [len(ft.tokenizer()[2].encode(ft.symbols_of(ft.quantised_coefficients(z, 10))))
         for z in held]
    )
    only_slow = np.mean(
        [len(slow_bpe.encode(ft.symbols_of(ft.quantised_coefficients(z, 10)))) for z in held]
    )
    assert only_slow > 2 * mixed  # the 5 Hz merges never saw long runs of zeros


def test_the_shipped_held_out_counts_match_a_fresh_encoding():
    held = ft.held_out_chunks()
    for scale, freq in [(10, 50), (1, 5), (20, 100), (7, 35)]:
        counts = [
            len(ft.tokenizer()[2].encode(ft.symbols_of(ft.quantised_coefficients(z, scale))))
            for z in ft.normalise(ft.sample_chunks(held, freq), *ft.tokenizer()[:2])
        ]
        si, fi = ft.SCALES.index(scale), ft.FREQS.index(freq)
        assert ft.held_out_token_counts()["mean"][si][fi] == pytest.approx(np.mean(counts))
        assert ft.held_out_token_counts()["min"][si][fi] == min(counts)
        assert ft.held_out_token_counts()["max"][si][fi] == max(counts)


# ---- what the figure says is what was computed ---------------------------------------------------


@pytest.mark.parametrize(
    "freq,scale,seed",
    [(50, 10, 7), (5, 1, 0), (100, 20, 3), (5, 20, 11), (100, 1, 2**31 - 1), (35, 4, 99)],
)
def test_alt_text_and_readouts_state_an_independent_recomputation(freq, scale, seed):
    scene = ft.compute(freq, scale, seed)
    z = chunk(seed, freq)
    coeffs = np.stack([reference_dct(row) for row in z], 1)  # (steps, dims)
    q = np.clip(np.rint(coeffs * scale), -ft.LIMIT, ft.LIMIT).astype(int)
    n_fast = len(reference_encode((q.ravel() + ft.LIMIT).tolist(),
                                  ft.trained_tokenizer()["merges"]))
    n_bins = 7 * freq
    inverse = np.linalg.solve(ft.dct_matrix(freq), q / scale)  # D is orthonormal: solve = D.T @
    fast_err = np.sqrt(np.mean((inverse.T - z) ** 2)) / 2 * 100
    idx = np.clip(np.floor((z + 1) * 128), 0, 255)
    bin_err = np.sqrt(np.mean(((idx + 0.5) / 128 - 1 - z) ** 2)) / 2 * 100
    repeat = np.mean(idx[:, 1:] == idx[:, :-1])

    readouts = {r["label"]: r["text"] for r in scene["readouts"]}
    assert readouts["FAST tokens"] == f"{n_fast}"
    assert readouts["bin tokens"] == f"{n_bins}"
    assert readouts["compression"] == f"{n_bins / n_fast:.1f}×"
    assert readouts["FAST error (RMS)"] == f"{fast_err:.2f}% of range"
    assert readouts["bins error (RMS)"] == f"{bin_err:.2f}% of range"
    assert readouts["repeated bin tokens"] == f"{repeat:.0%}"
    alt = scene["alt"]
    assert (
        f"{freq} Hz chunk of 7 action dimensions takes {n_fast} FAST tokens at scale {scale} "
        f"and {n_bins} per-step bin tokens" in alt
    )
    assert f"FAST's RMS error is {fast_err:.2f}%" in alt and f"bins' {bin_err:.2f}%" in alt
    assert alt.count(f"{repeat:.0%} of this chunk's consecutive bin tokens repeat") == 1


def test_the_near_panel_is_cumulative_and_its_first_bar_is_the_repeat_share():
    for freq, seed in ((5, 7), (50, 7), (100, 3)):
        scene = ft.compute(freq, 10, seed)
        z = chunk(seed, freq)
        idx = np.clip(np.floor((z + 1) * 128), 0, 255)
        moved = np.abs(np.diff(idx, axis=1))
        expected = [np.mean(moved <= k) for k in (0, 1, 3, 7)]
        bars = [m for m in scene["panels"][2]["marks"] if m["kind"] == "polygon"]
        heights = [max(b["y"]) for b in bars]
        assert heights == pytest.approx(expected, abs=1e-5)
        assert all(a <= b for a, b in itertools.pairwise(heights))  # within 0 ⊆ within 1 ⊆ …
        labels = [m["s"] for m in scene["panels"][2]["marks"] if m["kind"] == "text"]
        assert labels == [f"{v:.0%}" for v in expected]
        readouts = {r["label"]: r["text"] for r in scene["readouts"]}
        assert readouts["repeated bin tokens"] == labels[0]
        assert readouts["within 7 bins"] == labels[-1]
        assert f"and {labels[-1]} are within 7 of 256 bins of it" in scene["alt"]


def test_the_near_panels_axis_is_filled_by_its_data_at_high_rates():
    """The review: a repeat-share axis ran to 100% for bars under 30%. The cumulative bars use it:
    at 100 Hz nearly every token is within 7 bins of the previous one."""
    scene = ft.compute(100, 10, 7)
    top = scene["panels"][2]["y"]["lim"][1]
    heights = [max(m["y"]) for m in scene["panels"][2]["marks"] if m["kind"] == "polygon"]
    assert heights[-1] > 0.85 * top


@pytest.mark.parametrize("seed", [0, 7, 99])
def test_the_near_panels_axis_is_the_same_0_to_100_percent_at_every_rate(seed):
    """A share axis that shrank to its bars (0-25% at 5 Hz) made a 21% bar look like 84% (the
    third graphics desk): the axis runs to 100% at every rate, and every bar's label has room."""
    for freq in ft.FREQS:
        near = ft.compute(freq, 10, seed)["panels"][2]
        top = near["y"]["lim"][1]
        assert near["y"]["ticks"][-1] == 1 and near["y"]["ticklabels"][-1] == "100%", freq
        labels = [m for m in near["marks"] if m["kind"] == "text"]
        assert all(m["y"] < top for m in labels)


@pytest.mark.parametrize("freq,scale,seed", [(50, 1, 0), (5, 1, 7), (100, 20, 2**31 - 1)])
def test_the_token_count_dots_show_whole_and_the_legend_sits_above_the_plot(freq, scale, seed):
    """The review: panel b's legend covered the frequency's guide line; at scale 1 the dot of
    a few FAST tokens was cut by the axis."""
    from . import figure_checks

    scene = ft.compute(freq, scale, seed)
    assert figure_checks.clipped(scene) == []
    for _, layout in figure_checks.layouts(scene["panels"][1]):
        assert layout["legend"]["box"][3] <= layout["margin"]["top"]


def test_the_caption_names_the_panels_by_letter():
    from . import chapter, figure_checks

    scene = ft.compute(**chapter.placed("fast_tokens"))
    assert figure_checks.caption_problems(chapter.caption("fast_tokens"), scene) == []


def test_the_held_out_repeat_share_is_recounted_over_the_held_out_chunks():
    for freq in (5, 50, 100):
        held = ft.held_out_chunks()
        zs = ft.normalise(ft.sample_chunks(held, freq), *ft.tokenizer()[:2])
        idx = np.clip(np.floor((zs + 1) * 128), 0, 255)
        share = np.mean(idx[..., 1:] == idx[..., :-1])
        scene = ft.compute(freq, 10, 7)
        readouts = {r["label"]: r["text"] for r in scene["readouts"]}
        assert readouts["repeated, 16 held-out chunks"] == f"{share:.0%}"
        assert f"{share:.0%} over the 16 held-out chunks" in scene["alt"]


def mean_reference_tokens(held, freq, scale):
    """The held-out chunks' mean FAST token count at ``freq``, by the reference encoder."""
    return np.mean([
        len(reference_encode(ft.symbols_of(ft.quantised_coefficients(z, scale)),
                             ft.trained_tokenizer()["merges"]))
        for z in ft.normalise(ft.sample_chunks(held, freq), *ft.tokenizer()[:2])
    ])


@pytest.mark.parametrize("scale", [1, 10, 20])
def test_the_alt_text_states_how_much_each_token_count_grows_from_5_to_100_hz(scale):
    held = ft.held_out_chunks()
    mean = {f: mean_reference_tokens(held, f, scale) for f in (5, 100)}
    alt = ft.compute(50, scale, 7)["alt"]
    assert (
        f"grows {mean[100] / mean[5]:.1f}× (from {mean[5]:.1f} to {mean[100]:.1f} tokens), "
        f"the bins' 20× (from 35 to 700)"
    ) in alt
    assert 1.8 < mean[100] / mean[5] < 2.5  # about twice, where bins grow twenty times


def test_scenes_stay_small():
    import json

    for freq, scale in [(100, 20), (100, 1), (5, 1)]:
        assert len(json.dumps(ft.compute(freq, scale, 5))) < 40_000


# ---- the chapter's sentences about this figure ---------------------------------------------------


def independent_values(freq, scale, seed):
    """What the chapter's sentences quote, recomputed here: the DCT through an FFT, BPE by
    applying merges in rank order, bins by their formula."""

    def fast_error(f):
        z = chunk(seed, f)
        coeffs = np.stack([reference_dct(row) for row in z], 1)
        q = np.clip(np.rint(coeffs * scale), -ft.LIMIT, ft.LIMIT)
        inverse = np.linalg.solve(ft.dct_matrix(f), q / scale)
        return np.sqrt(np.mean((inverse.T - z) ** 2)) / 2

    def bins(z):
        return np.clip(np.floor((z + 1) * 128), 0, 255)

    z = chunk(seed, freq)
    idx = bins(z)
    moved = np.abs(np.diff(idx, axis=1))
    held = ft.held_out_chunks()

    def held_repeats(f):
        idx = bins(ft.normalise(ft.sample_chunks(held, f), *ft.tokenizer()[:2]))
        return np.mean(idx[..., 1:] == idx[..., :-1])

    mean = {f: mean_reference_tokens(held, f, scale) for f in (5, 100)}
    bin_error = np.sqrt(np.mean(((idx + 0.5) / 128 - 1 - z) ** 2)) / 2
    return {
        "repeats": f"{np.mean(moved == 0):.0%}",
        "held_repeats": f"{held_repeats(freq):.0%}",
        "held_repeats_100": f"{held_repeats(100):.0%}",
        "within": f"{np.mean(moved <= 7):.0%}",
        "fast_growth": f"{mean[100] / mean[5]:.1f}×",
        "fast_low": f"{mean[5]:.1f}",
        "fast_high": f"{mean[100]:.1f}",
        "bins_growth": "20×",
        "fast_error": f"{fast_error(freq):.2%}",
        "bins_error": f"{bin_error:.2%}",
        "fast_error_5": f"{fast_error(5):.2%}",
    }


@pytest.mark.parametrize("freq,scale,seed", [(50, 10, 7), (5, 1, 0), (100, 20, 3), (35, 4, 99)])
def test_the_values_sentences_quote_are_an_independent_recomputation(freq, scale, seed):
    values = compute("fast_tokens", {"freq": freq, "scale": scale, "seed": seed}, WIDGETS)
    assert values["values"] == independent_values(freq, scale, seed)


def test_the_chapter_quotes_the_figure_and_reads_what_it_computes_at_its_placed_values():
    from . import chapter

    values = chapter.values(ft, "fast_tokens")
    freq, scale, seed = values["freq"], values["scale"], values["seed"]
    assert freq == 50 and scale == ft.DEFAULT_SCALE
    source = chapter.prose()
    for bound in (
        "In the figure's {=fast_tokens.freq} chunk, {=fast_tokens.repeats} of "
        "consecutive bin tokens",
        "({=fast_tokens.held_repeats} over 16 held-out chunks; "
        "{=fast_tokens.held_repeats_100} over them at 100 Hz) and "
        "{=fast_tokens.within} are within 7",
        "mean grows {=fast_tokens.fast_growth} from 5 to 100 Hz (from "
        "{=fast_tokens.fast_low} to {=fast_tokens.fast_high} tokens), while bin tokens "
        "grow {=fast_tokens.bins_growth}",
        "at scale {=fast_tokens.scale} this chunk's FAST error is "
        "{=fast_tokens.fast_error} of the range, against {=fast_tokens.bins_error} for "
        "256 bins, and {=fast_tokens.fast_error_5} at 5 Hz",
    ):
        assert bound in source, bound
    text = chapter.rendered()
    v = independent_values(freq, scale, seed)
    assert (
        f"In the figure's 50 Hz chunk, {v['repeats']} of consecutive bin tokens repeat the "
        f"previous one exactly ({v['held_repeats']} over 16 held-out chunks; "
        f"{v['held_repeats_100']} over them at 100 Hz) and {v['within']} are within 7 of the "
        f"256 bins of it."
    ) in text
    assert (
        f"mean grows {v['fast_growth']} from 5 to 100 Hz (from {v['fast_low']} to "
        f"{v['fast_high']} tokens), while bin tokens grow 20×"
    ) in text
    assert (
        f"at scale 10 this chunk's FAST error is {v['fast_error']} of the range, against "
        f"{v['bins_error']} for 256 bins, and {v['fast_error_5']} at 5 Hz"
    ) in text


def test_the_sentences_hold_at_every_scale_and_frequency_a_reader_reaches():
    """The sentences follow the figure's sliders: FAST's held-out count never stays flat (it grows
    about twice from 5 to 100 Hz at every scale), and rounding always costs precision (FAST's
    error above the bins')."""
    for scale in ft.SCALES:
        mean = ft.held_out_token_counts()["mean"][ft.SCALES.index(scale)]
        assert 1.8 < mean[-1] / mean[0] < 2.5, scale
        for freq in (5, 50, 100):
            m = ft.measure(ft.reader_chunk(7, freq), scale)
            assert m["fast_error"] > m["bin_error"], (scale, freq)


def test_the_chapter_no_longer_overstates_repeats_flatness_or_precision():
    from . import chapter

    text = chapter.prose() + " " + chapter.caption("fast_tokens")
    for wrong in (
        "mostly repeat",
        "barely grow",
        "under 1% of the range",
        "(left)",
        "(middle)",
        "(right)",
    ):
        assert wrong not in text, wrong


def test_no_text_of_the_counts_panel_runs_over_its_dots():
    """The graphics desk saw '67 FAST tokens' run under this chunk's dot at 100 Hz on a phone:
    no text of panel b, in either layout, overlaps a dot (its disc, as the renderers draw it)."""
    from . import figure_checks

    for freq in (5, 30, 55, 80, 95, 100):
        for scale in (1, 10, 20):
            panel = ft.compute(freq, scale, 7)["panels"][1]
            for variant, layout in figure_checks.layouts(panel):
                X, Y, _ = figure_checks.maps(layout)
                dots = [
                    (float(X(x)), float(Y(y)), min(max(m["size"], 2.5), 4.5))
                    for m in panel["marks"]
                    if m["kind"] == "points"
                    for x, y in zip(m["x"], m["y"], strict=True)
                ]
                for s, (x0, y0, x1, y1) in figure_checks.text_boxes(panel, layout):
                    for cx, cy, r in dots:
                        assert not (x0 - r < cx < x1 + r and y0 - r < cy < y1 + r), (
                            freq,
                            scale,
                            variant,
                            s,
                        )


def panel_a_series(scene):
    """Panel a and its labelled marks by the label's first words ("bins" is the clipped steps'),
    with "all bins": the bins' error at every step, clipped or not, in time order."""
    panel = scene["panels"][0]
    series = {m["label"].split(",")[0]: m for m in panel["marks"] if m.get("label")}
    x = np.concatenate([series["256 bins"]["x"], series["bins"]["x"]])
    y = np.concatenate([series["256 bins"]["y"], series["bins"]["y"]])
    series["all bins"] = {"x": np.sort(x).tolist(), "y": y[np.argsort(x)].tolist()}
    return panel, series


def step_errors(freq, scale, seed):
    """Decoded − original at each step, RMS over the 7 dims, in % of the range: FAST's through
    the FFT DCT and a solve, the bins' by their formula (independent of the widget)."""
    z = chunk(seed, freq)
    coeffs = np.stack([reference_dct(row) for row in z], 1)
    q = np.clip(np.rint(coeffs * scale), -ft.LIMIT, ft.LIMIT)
    fast = np.linalg.solve(ft.dct_matrix(freq), q / scale).T
    bins = (np.clip(np.floor((z + 1) * 128), 0, 255) + 0.5) / 128 - 1
    return (
        np.sqrt(np.mean((fast - z) ** 2, axis=0)) * 50,
        np.sqrt(np.mean((bins - z) ** 2, axis=0)) * 50,
    )


@pytest.mark.parametrize(
    "freq,scale,seed",
    [(50, 10, 7), (5, 1, 0), (100, 20, 3), (35, 4, 99), (50, 10, 23764), (100, 1, 31683)],
)
def test_panel_a_draws_both_reconstructions_errors_apart_on_a_labelled_axis(freq, scale, seed):
    """The graphics desk: panel (a) drew the chunk with its bin and FAST reconstructions, which
    lay on it exactly at the default scale (errors of 0.1-1% of the range), and had no y axis.
    It now draws each reconstruction's error at every step (RMS over the 7 dims) on a y axis in
    % of the range, log scale, with both series apart: the bins' under half a bin (but where
    they clip a value past the range), FAST's above. (The sixth desk: on an axis fitted to each
    setting the curve looked the same at every scale; the frame is now fixed.)
    Their RMS over the chunk is the readouts'."""
    scene = ft.compute(freq, scale, seed)
    panel, series = panel_a_series(scene)
    fast, bins = step_errors(freq, scale, seed)
    y = panel["y"]
    assert not y.get("hidden") and y["label"] == "RMS error (% of range, log scale)"
    assert y["lim"] == pytest.approx(ft.ERROR_LIM) and y["ticklabels"] == ["0.1", "1", "10"]
    assert y["ticks"] == [-1, 0, 1]
    low, high = (10**v for v in y["lim"])
    assert low < min(fast.min(), bins.min()) and max(fast.max(), bins.max()) < high  # no clipping
    assert series["FAST"]["y"] == pytest.approx(np.log10(fast), rel=1e-4, abs=1e-5)
    assert series["all bins"]["y"] == pytest.approx(np.log10(bins), rel=1e-4, abs=1e-5)
    assert series["half a bin"]["y"] == pytest.approx([np.log10(100 / 256 / 2)], rel=1e-5)
    inside = np.abs(chunk(seed, freq)).max(axis=0) <= 1  # steps the bins need not clip
    assert np.all(bins[inside] <= 100 / 256 / 2 + 1e-9)
    # apart at a size the eye sees: FAST's mean error a twentieth of the plot (some 9 pt) or
    # more above the bins' (at scale 20 FAST errs about twice as much as the bins: 0.3 decades)
    span = y["lim"][1] - y["lim"][0]
    assert np.mean(np.log10(fast)) - np.mean(np.log10(bins)) > 0.05 * span
    readouts = {r["label"]: r["text"] for r in scene["readouts"]}
    assert readouts["FAST error (RMS)"] == f"{np.sqrt(np.mean(fast**2)):.2f}% of range"
    assert readouts["bins error (RMS)"] == f"{np.sqrt(np.mean(bins**2)):.2f}% of range"


def test_panel_a_says_how_many_of_the_chunks_dimensions_it_draws():
    """The graphics desks: its title said "7 dims" over three curves (the fifth); then the
    curves it drew lay on one another (the sixth). Its curves now pool every dimension of the
    chunk, and the title says so."""
    for freq in (5, 50, 100):
        scene = ft.compute(**{**resolve(ft.PARAMS, {}), "freq": freq})
        panel, series = panel_a_series(scene)
        z, m = chunk(7, freq), ft.measure(chunk(7, freq), ft.DEFAULT_SCALE)
        pooled = np.sqrt(np.mean((m["fast"] - z) ** 2, axis=0)) * 50
        assert len(z) == ft.DIMS
        assert series["FAST"]["y"] == pytest.approx(np.log10(pooled), rel=1e-4, abs=1e-5)
        assert panel["title"] == f"one chunk's error, RMS of {len(z)} dims", panel["title"]


def test_a_coarser_scale_draws_fasts_error_higher_in_the_same_frame():
    """The sixth graphics desk: panel a's axis was fitted to each setting (its top 7.5 at scale
    1, 0.75 at scale 20), so the curve looked the same at every scale and only the ticks
    changed. In one frame, the caption's "raise the scale: FAST reconstructs more closely" shows
    as the curve moving down."""
    coarse, fine = (panel_a_series(ft.compute(50, scale, 7)) for scale in (1, 20))
    assert coarse[0]["y"] == fine[0]["y"]
    span = coarse[0]["y"]["lim"][1] - coarse[0]["y"]["lim"][0]
    drop = np.mean(coarse[1]["FAST"]["y"]) - np.mean(fine[1]["FAST"]["y"])
    assert drop > 0.2 * span, drop / span


# Seeds where the chunk leaves the normalised range (the 4th and 5th chunks "New chunk" draws from
# the figure's seed 7, and 5, 8, 28 among the first 30) and seeds where it stays inside (7, 0, 3).
CLIPPING_SEEDS = (23764, 31683, 5, 8, 28)


def clipped_steps(z):
    """Steps where some dimension lies past [-1, 1], whose bin token is clipped to an end bin."""
    return np.any((z < -1) | (z > 1), axis=0)


def test_every_bins_error_above_half_a_bin_is_at_a_clipped_step():
    """The graphics desk saw bins dots above the dashed "half a bin" line after "New chunk"; the
    code said that happens where a value is clipped past the range. Checked over many chunks at
    both ends of the frequency slider (the scale does not touch the bins): no step inside the
    range errs by more than half a bin, and the steps above it are all clipped ones."""
    half = 100 / 256 / 2
    above_total = 0
    for seed in [*range(60), *ft.PARAMS[2].table_values(7), 2**31 - 1]:
        for freq in (ft.FREQS[0], ft.FREQS[-1]):
            _, bins = step_errors(freq, ft.DEFAULT_SCALE, seed)
            clipped = clipped_steps(chunk(seed, freq))
            assert np.all(bins[~clipped] <= half + 1e-12), (seed, freq)
            above_total += int(np.sum(bins > half))
    assert above_total > 0  # and it does happen on the chunks a reader draws


@pytest.mark.parametrize("seed", [7, 0, 3, *CLIPPING_SEEDS])
@pytest.mark.parametrize("freq", [ft.FREQS[0], 50, ft.FREQS[-1]])
@pytest.mark.parametrize("scale", [ft.SCALES[0], ft.SCALES[-1]])
def test_panel_a_marks_the_steps_the_bins_clip_and_says_how_many(seed, freq, scale):
    """The graphics desk: after "New chunk", bins dots sat above the "half a bin" line, which the
    legend presented as their bound, with no word why. The steps where a value is clipped past the
    range now have their own marker (an orange triangle, not the bins' red dots) and legend entry;
    every bins dot is within half a bin; a readout and the alt text count the clipped steps."""
    scene = ft.compute(freq, scale, seed)
    panel, series = panel_a_series(scene)
    z = chunk(seed, freq)
    clipped = clipped_steps(z)
    _, bins = step_errors(freq, scale, seed)
    t = np.arange(freq) / freq
    dots, marked = series["256 bins"], series["bins"]
    n = int(clipped.sum())
    assert marked["label"] == f"bins, clipped at the range's end: {n} of {freq}"
    assert marked["shape"] != dots["shape"] and marked["color"] != dots["color"]
    assert dots["x"] == pytest.approx(t[~clipped]) and marked["x"] == pytest.approx(t[clipped])
    assert marked["y"] == pytest.approx(np.log10(bins[clipped]), rel=1e-4, abs=1e-5)
    assert all(y <= series["half a bin"]["y"][0] + 1e-9 for y in dots["y"])
    n, above = int(clipped.sum()), bins > 100 / 256 / 2
    readouts = {r["label"]: r["text"] for r in scene["readouts"]}
    assert readouts["steps the bins clip"] == f"{n} of {freq}"
    if n:
        assert (
            f"At {n} of its {freq} steps a value lies past the range's end and the bins clip it; "
            f"their error exceeds half a bin at {np.sum(above & clipped)} of those steps and at "
            f"{np.sum(above & ~clipped)} others."
        ) in scene["alt"]
    else:
        assert (
            f"No value lies past the range's end, and the bins' error exceeds half a bin at "
            f"{np.sum(above)} of the {freq} steps."
        ) in scene["alt"]
    if freq > ft.FREQS[0]:  # (five steps may miss the stretch past the range)
        assert (n > 0) == (seed in CLIPPING_SEEDS), n  # both cases are checked


def test_panel_a_keeps_one_legend_whether_or_not_the_chunk_is_clipped():
    """The clipped steps' legend entry stays when a chunk has none, so "New chunk" never changes
    the legend's rows (nor the figure's height). The eleventh desk: the key listed the triangle
    while the readout said 0 of 50 steps clip, a key entry for a mark not drawn. The entry now
    says how many steps it marks, the readout's count: "0 of 50" when none is drawn. Its place
    is the same at both ends of the frequency slider, with and without clipped steps."""
    from . import figure_checks

    legends = []
    for freq in (ft.FREQS[0], 50, ft.FREQS[-1]):
        for seed in (7, 23764):
            scene = ft.compute(freq, ft.DEFAULT_SCALE, seed)
            panel = scene["panels"][0]
            said = {r["label"]: r["text"] for r in scene["readouts"]}["steps the bins clip"]
            drawn = next(m for m in panel["marks"] if m.get("shape") == "triangle")
            for _, layout in figure_checks.layouts(panel):
                entries = layout["legend"]["entries"]
                entry = next(e["label"] for e in entries if e["label"].startswith("bins, clip"))
                assert entry == f"bins, clipped at the range's end: {said}"
                assert entry.endswith(f": {len(drawn['x'])} of {freq}")
            legends.append([[(e["x"], e["y"]) for e in layout["legend"]["entries"]]
                            for _, layout in figure_checks.layouts(panel)])
    assert all(legend == legends[0] for legend in legends)


@pytest.mark.parametrize("scale", [2, 10, 20])
@pytest.mark.parametrize("freq", [5, 50, 100])
def test_panel_a_fills_its_fixed_frame_to_the_top_decade(freq, scale):
    """The desk: (a)'s log axis ran to 10% while the data topped out near 1.5% (the top decade
    empty). The frame stays the one every scale shares (fitted to each scale, the curve looked
    the same at all); below the coarsest scale, FAST's error at the coarsest scale is drawn for
    the same chunk, pale and named, so that the top decade shows where the slider takes the
    curve: the highest line reaches the upper half of the decade under the top tick (above
    3.2%, where the top tick is 10%)."""
    from . import chapter

    seed = chapter.values(ft, "fast_tokens")["seed"]
    panel = ft.compute(freq, scale, seed)["panels"][0]
    top_tick = max(panel["y"]["ticks"])
    lines = [m for m in panel["marks"] if m["kind"] == "line"]
    assert max(max(m["y"]) for m in lines) >= top_tick - 0.5
    coarse, _ = step_errors(freq, 1, seed)  # independent of the widget
    (pale,) = [m for m in lines if m.get("opacity", 1) < 1]
    assert pale["y"] == pytest.approx(np.log10(coarse), rel=1e-4, abs=1e-5)
    assert [m["s"] for m in panel["marks"] if m["kind"] == "text"] == ["FAST at scale 1"]


# ---- the thirteenth graphics desk: the tallest figure on a phone (1595 px at 390 × 844) ---------

DESKTOP_SIZES = [(3.1, 3.0), (3.0, 3.0), (2.9, 3.0)]  # inches: in a row, as tall as one another


@pytest.mark.parametrize("values", [{}, {"freq": 5}, {"freq": 100}, {"scale": 1},
                                    {"scale": 20}, {"seed": 0}, {"seed": 2147483647}])
def test_on_a_phone_the_stacked_panels_are_shorter_and_the_desktops_the_same(values):
    """The desk: the figure was the essay's longest on a phone (1595 px; the next 1480), its
    three panels stacked at their desktop height, 3 in each. On a phone each panel is its own,
    shorter panel (7.5 in for the three, 1.5 in, 144 px, less), as wide as the phone's column
    holds, with the same marks, key and axes, its plot still at least 80 points tall; on a
    desktop the panels are as they were."""
    from visual_essay.scene import NARROW_WIDTH

    from . import figure_checks
    scene = compute("fast_tokens", values, WIDGETS)
    panels = scene["panels"]
    assert [tuple(p["size"]) for p in panels] == DESKTOP_SIZES
    phones = [p.get("narrow") for p in panels]
    assert all(phones), "every panel has its own phone layout"
    assert all(p["size"][0] <= NARROW_WIDTH for p in phones)
    assert sum(p["size"][1] for p in phones) <= sum(h for _, h in DESKTOP_SIZES) - 1.5
    for wide, phone in zip(panels, phones, strict=True):
        assert phone["marks"] == wide["marks"]
        keys = [[e["label"] for e in (p["legend"] or {"entries": []})["entries"]]
                for p in (wide, phone)]
        assert keys[0] == keys[1]
        assert (phone["x"], phone["y"]) == (wide["x"], wide["y"])
        _, _, (_, y0, _, y1) = figure_checks.maps(phone)
        assert y1 - y0 >= 80, (wide["title"], y1 - y0)


def test_the_bins_and_fast_have_one_colour_each_in_every_panel():
    """The twelfth facts review: the bins were black dots in (a) but red in (b) and (c). Each
    method is drawn in one colour across the figure: the bins' in (a) is (b)'s bins line's, and
    FAST's in (a) is (b)'s FAST line's."""
    scene = ft.compute(50, ft.DEFAULT_SCALE, 7)
    _, series = panel_a_series(scene)
    b = {m["label"].split(":")[0].split(",")[0]: m for m in scene["panels"][1]["marks"]
         if m.get("label")}
    assert series["256 bins"]["color"] == b["bins"]["color"]
    assert series["FAST"]["color"] == b["FAST"]["color"]
