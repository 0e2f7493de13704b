"""What a chunk costs to decode: each design's passes and time follow from its paper's measured
numbers, and the figure states exactly what those give."""

import re

import pytest

from widgets import decode_cost as dc

FACTS = {  # facts.md, "Continuous actions, 2024–2026" and OpenVLA (and OFT's released LIBERO chunk)
    "openvla_rate": 6.0, "openvla_tokens": 7, "fast_chunk": 0.750, "fast_tokens": 30,
    "oft_throughput": 109.7, "oft_chunk": 8, "pi0_chunk": 0.073, "pi0_action_passes": 0.027,
    "pi0_steps": 10,
}


def test_every_measured_number_is_the_papers_and_cites_its_arxiv_id():
    assert {k: v[0] for k, v in dc.MEASURED.items()} == FACTS
    for key, (value, unit, what, hardware, source) in dc.MEASURED.items():
        assert re.fullmatch(r"arXiv \d{4}\.\d{5}", source), key
        assert unit and what
    assert dc.MEASURED["openvla_rate"][3] == "one RTX 4090"
    assert dc.MEASURED["oft_throughput"][3] == "A100"
    assert dc.MEASURED["pi0_chunk"][3] == "RTX 4090"


def test_the_derived_per_pass_times_follow_from_the_measured_numbers():
    assert dc.BIN_PASS_S == pytest.approx(1 / 6 / 7)  # ≈ 23.8 ms per OpenVLA token
    assert dc.FAST_TOKEN_S == pytest.approx(0.750 / 30)  # 25 ms per FAST token
    assert dc.PARALLEL_PASS_S == pytest.approx(8 / 109.7)  # ≈ 72.9 ms per OFT chunk
    assert dc.FLOW_PREFIX_S == pytest.approx(0.073 - 0.027)


def test_each_formula_reproduces_its_papers_measurement_at_the_papers_configuration():
    assert dc.decode_seconds("bins", 1, 6) == pytest.approx(1 / 6)  # OpenVLA: one action, ~6 Hz
    for rate in (10, 20, 50, 100):  # π0-FAST: ~750 ms for a one-second chunk, any rate
        assert dc.decode_seconds("FAST", rate, rate) == pytest.approx(0.750)
        assert dc.passes("FAST", rate, rate) == 30
    assert 8 / dc.decode_seconds("parallel", 8, 50) == pytest.approx(109.7)  # OFT throughput
    assert dc.decode_seconds("flow", 50, 50) == pytest.approx(0.073)  # π0 on an RTX 4090
    for d in dc.DESIGNS:
        for rate in (10, 50, 100):
            k = dc.MEASURED_AT[d](rate)
            assert 1 <= k <= 100


@pytest.mark.parametrize("rate", [10, 50, 100])
def test_parallel_decoding_costs_one_forward_pass_per_chunk_whatever_its_length(rate):
    assert {dc.passes("parallel", k, rate) for k in range(1, 101)} == {1}
    assert len({dc.decode_seconds("parallel", k, rate) for k in range(1, 101)}) == 1


@pytest.mark.parametrize("rate", [10, 50, 100])
def test_autoregressive_bins_cost_dims_times_steps_passes(rate):
    for k in (1, 8, 50, 100):
        assert dc.passes("bins", k, rate) == 7 * k
        assert dc.decode_seconds("bins", k, rate) == pytest.approx(7 * k / 6 / 7)


def test_fast_tokens_follow_the_chunks_duration_not_its_number_of_steps():
    assert dc.passes("FAST", 50, 50) == dc.passes("FAST", 100, 100) == 30  # one second each
    assert dc.passes("FAST", 100, 50) == 60  # two seconds
    assert dc.passes("FAST", 1, 100) == 1  # never fewer than one token


def test_the_flow_head_is_one_observation_pass_and_ten_flow_steps():
    assert dc.passes("flow", 50, 50) == 11
    assert dc.FLOW_PREFIX_S + dc.measured("pi0_action_passes") == pytest.approx(0.073)


def test_at_50_hz_with_50_action_chunks_the_flow_head_keeps_up_and_per_step_bins_do_not():
    run, rows = dc.plan(50, 50, 0.5)  # π0's setting: 25 of 50 actions executed, 0.5 s
    assert run == pytest.approx(0.5)
    assert rows["flow"]["keeps_up"] and rows["parallel"]["keeps_up"]
    assert not rows["bins"]["keeps_up"] and rows["bins"]["decode"] > 8  # 350 passes: ≈ 8.3 s
    assert not rows["FAST"]["keeps_up"]  # 750 ms > 500 ms
    assert rows["flow"]["interval"] == pytest.approx(0.5)
    assert rows["bins"]["interval"] == pytest.approx(350 / 6 / 7)
    # executing the whole one-second chunk, FAST's 750 ms fits
    assert dc.plan(50, 50, 1.0)[1]["FAST"]["keeps_up"]


def test_keeping_up_means_decoding_no_slower_than_the_executed_part_lasts():
    for rate in (10, 35, 100):
        for k in (1, 9, 50, 100):
            for share in (0.1, 0.5, 1.0):
                run, rows = dc.plan(rate, k, share)
                n = max(1, min(k, round(share * k)))
                assert run == pytest.approx(n / rate)
                for r in rows.values():
                    assert r["keeps_up"] == (r["decode"] <= run)
                    assert r["interval"] == pytest.approx(max(run, r["decode"]))
                    assert r["wait"] == pytest.approx(max(0.0, r["decode"] - run))


def duration(text):
    value, unit = re.fullmatch(r"([\d.]+) (ms|s)", text).groups()
    return float(value) / (1000 if unit == "ms" else 1)


@pytest.mark.parametrize("rate,chunk,share", [(50, 50, 0.5), (10, 1, 0.1), (100, 100, 1.0),
                                              (20, 16, 0.5), (100, 8, 0.25), (10, 100, 1.0)])
def test_every_displayed_number_traces_to_the_cited_records(rate, chunk, share):
    scene = dc.compute(rate, chunk, share)
    n = max(1, min(chunk, round(share * chunk)))
    run = n / rate
    expect = {  # recomputed here from FACTS alone
        "bins": (7 * chunk, 7 * chunk / FACTS["openvla_rate"] / FACTS["openvla_tokens"]),
        "FAST": (max(1, round(30 * chunk / rate)),
                 max(1, round(30 * chunk / rate)) * FACTS["fast_chunk"] / FACTS["fast_tokens"]),
        "parallel": (1, FACTS["oft_chunk"] / FACTS["oft_throughput"]),
        "flow": (1 + FACTS["pi0_steps"], FACTS["pi0_chunk"]),
    }
    readouts = {r["label"]: r["text"] for r in scene["readouts"]}
    assert duration(readouts["executed part lasts"]) == pytest.approx(run, rel=0.03)
    texts = [m["s"] for m in scene["panels"][0]["marks"] if m["kind"] == "text"]
    for d, (passes, seconds) in expect.items():
        shown, interval = readouts[dc.NAMES[d]].split(" → re-plans every ")
        assert duration(shown) == pytest.approx(seconds, rel=0.03)
        assert duration(interval) == pytest.approx(max(run, seconds), rel=0.03)
        label = f"{shown}, {passes} pass" + ("" if passes == 1 else "es")
        assert label in texts
        verdict = "keeps up" if seconds <= run else None
        assert (verdict in texts) if verdict else any(t.startswith("robot waits") for t in texts)
        assert f"{dc.NAMES[d]} ({shown}, {passes} pass" in scene["alt"]
    ok = [d for d, (_, s) in expect.items() if s <= run]
    for d in ok:
        part = scene["alt"].split(";")[0]
        assert dc.NAMES[d] in part and "keep" in part
    if len(ok) < 4:
        assert "behind" in scene["alt"].split(";")[-1]
        for d in set(expect) - set(ok):
            assert dc.NAMES[d] in scene["alt"].split(";")[-1]


def test_the_passes_panel_marks_the_current_chunk_on_each_designs_curve():
    scene = dc.compute(50, 30, 0.5)
    marks = scene["panels"][1]["marks"]
    current = [m for m in marks if m["kind"] == "points" and m["color"] == "ink"][0]
    assert current["x"] == [30] * 4
    assert [round(10 ** y) for y in current["y"]] == [210, 18, 1, 11]
