"""Sampling log-probs equal forward log-probs for the same tokens (batched, left-padded)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from trainer.schemas import ForwardDatum, ForwardReq, SampleReq
from trainer.sampling import sample_chunks
from trainer.session import Session

TOL = 1e-4  # float32 on CPU; observed differences are ~1e-6 (padding/KV-cache reorder sums)


@pytest.mark.parametrize("temperature", [1.0, 0.7])
def test_sample_logprobs_match_forward(make_session: Callable[..., Session], temperature: float) -> None:
    s = make_session(seed=3)
    prompts = [[1, 303, 203, 566], [1, 303, 203, 566, 374, 348, 347, 59, 806], [5, 6]]  # unequal → left padding
    groups, _ = s.sample(SampleReq(prompts=prompts, n=2, max_tokens=12, temperature=temperature, stop_token_ids=[], seed=11))
    data = []
    for p, group in zip(prompts, groups):
        for c in group:
            assert len(c.ids) == 12 and c.finish_reason == "length"
            seq = p + c.ids
            data.append((len(p), c, ForwardDatum(input_ids=seq[:-1], target_ids=seq[1:])))
    res = s.forward(ForwardReq(data=[d for _, _, d in data], temperature=temperature))
    for (plen, c, _), lps in zip(data, res["logprobs"]):
        got = lps[plen - 1 :]
        assert got == pytest.approx(c.logprobs, abs=TOL)


def test_stop_token_ends_and_is_kept(make_session: Callable[..., Session]) -> None:
    s = make_session(seed=1)
    groups, _ = s.sample(SampleReq(prompts=[[1, 2, 3]], n=4, max_tokens=40, temperature=0.0))
    greedy = groups[0][0].ids
    stop = greedy[2]
    groups, _ = s.sample(SampleReq(prompts=[[1, 2, 3]], n=1, max_tokens=40, temperature=0.0, stop_token_ids=[stop]))
    c = groups[0][0]
    assert c.finish_reason == "stop" and c.ids == greedy[: greedy.index(stop) + 1]


def test_per_prompt_seeds_make_a_row_independent_of_its_batch(make_session: Callable[..., Session]) -> None:
    s = make_session(seed=2)
    a, b = [1, 303, 203, 566, 374], [5, 6, 7]
    alone, _ = s.sample(SampleReq(prompts=[a], n=2, max_tokens=16, temperature=1.0, stop_token_ids=[], seeds=[42], use_cache=False))
    mixed, _ = s.sample(SampleReq(prompts=[b, a, b], n=2, max_tokens=16, temperature=1.0, stop_token_ids=[], seeds=[7, 42, 8], use_cache=False))
    assert [c.ids for c in mixed[1]] == [c.ids for c in alone[0]]
    assert mixed[1][0].logprobs == pytest.approx(alone[0][0].logprobs, abs=TOL)
    assert mixed[0][0].ids != mixed[2][0].ids  # other seeds, other samples
    with pytest.raises(ValueError, match="seeds has length 1 but prompts has length 2"):
        SampleReq(prompts=[a, b], seeds=[1])


def test_chunks_by_hand() -> None:
    # budget 100, n = 2, max_tokens 10: rows × (longest + 10) ≤ 100.
    prompts = [[0] * 15, [0] * 15, [0] * 30, [0] * 5, [0] * 200]
    # [15, 15]: 4 rows × 25 = 100 fits; + 30: 6 × 40 = 240 no. [30]: 2 × 40; + 5: 4 × 40 = 160 no.
    # [5]: 2 × 15; + 200: 4 × 210 no. [200] alone even though 2 × 210 > 100.
    assert sample_chunks(prompts, 2, 10, 100) == [(0, 2), (2, 3), (3, 4), (4, 5)]
    assert sample_chunks(prompts, 2, 10, None) == [(0, 5)]
    assert sample_chunks([], 1, 10, 100) == [(0, 0)]


def test_chunked_sampling_equals_one_batch_with_row_seeds(make_session: Callable[..., Session]) -> None:
    prompts = [[1, 303, 203, 566, 374], [5, 6, 7], [9, 10, 11, 12], [1, 2]]
    req = SampleReq(prompts=prompts, n=2, max_tokens=12, temperature=1.0, stop_token_ids=[], seeds=[3, 4, 5, 6], use_cache=False)
    whole, _ = make_session(seed=2, sample_chunk_tokens=10_000).sample(req)
    chunked_session = make_session(seed=2, sample_chunk_tokens=40)  # 2 rows × (≤ 5 + 12) per chunk
    assert len(sample_chunks(prompts, 2, 12, 40)) == 4
    chunked, _ = chunked_session.sample(req)
    assert [[c.ids for c in g] for g in chunked] == [[c.ids for c in g] for g in whole]
    for g1, g2 in zip(chunked, whole):
        for c1, c2 in zip(g1, g2):
            assert c1.logprobs == pytest.approx(c2.logprobs, abs=TOL)
