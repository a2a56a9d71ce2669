"""The prefix KV cache: same samples and log-probs as a full prefill, LRU budget, invalidation."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import torch

from trainer import checkpoint
from trainer.kv_cache import PrefixCache
from trainer.schemas import ChatMessageIn, ForwardBackwardReq, ForwardDatum, ForwardReq, SampleReq
from trainer.session import Session

TOL = 1e-4  # float32 on CPU; cached vs full prefill differ by summation order only (~1e-6 seen)


def _msg(role: str, content: str) -> ChatMessageIn:
    return ChatMessageIn(role=role, content=content)  # type: ignore[arg-type]


def _conversation(s: Session, temperature: float, use_cache: bool, seed: int) -> list[tuple[list[int], list[int], list[float], dict[str, float]]]:
    """Three turns; each prompt = previous prompt + its completion + a tool result and generation prompt."""
    r = s.renderer
    prompt = r.render([_msg("system", "You are a retail agent."), _msg("user", "Cancel order #W1234567 please.")], generation_prompt=True).ids
    turns = []
    for k in range(3):
        groups, m = s.sample(SampleReq(prompts=[prompt], max_tokens=10, temperature=temperature, seed=seed + k, use_cache=use_cache))
        c = groups[0][0]
        turns.append((prompt, c.ids, c.logprobs, m))
        delta = r.render([_msg("tool", f'{{"status": "pending", "turn": {k}}}')], generation_prompt=True, continuation=True).ids
        prompt = prompt + c.ids + delta
    return turns


def test_three_turns_with_cache_equal_full_prefill(make_session: Callable[..., Session]) -> None:
    cached = _conversation(make_session(seed=3), 0.0, use_cache=True, seed=0)
    full = _conversation(make_session(seed=3), 0.0, use_cache=False, seed=0)
    for k, ((p, ids, lps, m), (p0, ids0, lps0, m0)) in enumerate(zip(cached, full)):
        assert p == p0 and ids == ids0
        assert lps == pytest.approx(lps0, abs=TOL)
        assert m0["perf/cached_tokens"] == 0 and m0["perf/prefill_tokens"] == len(p)
        if k == 0:
            assert m["perf/cached_tokens"] == 0
        else:
            prev_prompt, prev_ids = cached[k - 1][0], cached[k - 1][1]
            # Everything fed last turn is reused: its prompt and all but the last sampled token.
            assert m["perf/cached_tokens"] == len(prev_prompt) + len(prev_ids) - 1
            assert m["perf/prefill_tokens"] == len(p) - m["perf/cached_tokens"]


def test_cached_sample_logprobs_match_forward(make_session: Callable[..., Session]) -> None:
    s = make_session(seed=5)
    turns = _conversation(s, 1.0, use_cache=True, seed=7)
    assert turns[2][3]["perf/cached_tokens"] > 0
    data = [ForwardDatum(input_ids=(p + ids)[:-1], target_ids=(p + ids)[1:]) for p, ids, _, _ in turns]
    res = s.forward(ForwardReq(data=data))
    for (p, _, lps, _), got in zip(turns, res["logprobs"]):
        assert got[len(p) - 1 :] == pytest.approx(lps, abs=TOL)


def test_batch_mixes_hits_misses_and_lengths(make_session: Callable[..., Session]) -> None:
    s = make_session(seed=2)
    base_a = [1, 303, 203, 566, 374, 348, 347, 59, 806, 639, 600, 2, 203]
    base_b = [1, 297, 203, 40]
    seeds, _ = s.sample(SampleReq(prompts=[base_a, base_b], max_tokens=6, temperature=0.0))
    a = base_a + seeds[0][0].ids + [203, 41]  # extends entry A: 18 cached, 2 new
    b = base_b + seeds[1][0].ids + [42, 43, 44, 45, 46, 47, 48]  # extends entry B: 9 cached, 8 new
    c = [5, 6, 7]  # no hit
    d = base_a[:6] + [90, 91, 92]  # shares 6 leading ids with entry A, then diverges
    prompts = [a, b, c, d]
    got, m = s.sample(SampleReq(prompts=prompts, n=2, max_tokens=8, temperature=0.0, stop_token_ids=[]))
    assert m["perf/cached_tokens"] == 18 + 9 + 0 + 6
    assert m["perf/prefill_tokens"] == sum(len(p) for p in prompts) - m["perf/cached_tokens"]
    want, _ = s.sample(SampleReq(prompts=prompts, n=2, max_tokens=8, temperature=0.0, stop_token_ids=[], use_cache=False))
    for g, w in zip(got, want):
        for x, y in zip(g, w):
            assert x.ids == y.ids and x.logprobs == pytest.approx(y.logprobs, abs=TOL)
    # Sampled at T = 1 from the mixed cache, the log-probs still equal forward's.
    s.kv_cache.clear()
    s.sample(SampleReq(prompts=[base_a, base_b], max_tokens=6, temperature=0.0))
    hot, m = s.sample(SampleReq(prompts=prompts, n=2, max_tokens=8, temperature=1.0, stop_token_ids=[], seed=4))
    assert m["perf/cached_tokens"] == 18 + 9 + 0 + 6  # the same greedy seeds: the same entries
    rows = [(p, c) for p, g in zip(prompts, hot) for c in g]
    res = s.forward(ForwardReq(data=[ForwardDatum(input_ids=(p + c.ids)[:-1], target_ids=(p + c.ids)[1:]) for p, c in rows]))
    for (p, c), lps in zip(rows, res["logprobs"]):
        assert lps[len(p) - 1 :] == pytest.approx(c.logprobs, abs=TOL)


def _kv(n: int) -> list[tuple[torch.Tensor, torch.Tensor]]:
    return [(torch.full((1, n, 2), float(n)), torch.zeros(1, n, 2))]


def test_lru_budget_by_hand() -> None:
    c = PrefixCache(budget_tokens=10)
    c.put([1, 2, 3, 4], _kv(4))
    c.put([5, 6, 7, 8], _kv(4))
    assert c.tokens == 8
    assert c.lookup([1, 2, 3, 4, 9]).length == 4  # touches [1 2 3 4]: [5 6 7 8] is now the oldest
    c.put([9, 10, 11], _kv(3))  # 8 + 3 > 10: evicts [5 6 7 8]
    assert c.tokens == 7 and c.lookup([5, 6, 7, 8, 1]).length == 0
    assert c.lookup([1, 2, 3]).length == 2  # at most len − 1: the last prompt token is fed
    assert c.lookup([1, 2, 7, 7]).length == 2  # a common prefix, not only a whole entry
    c.put([1, 2, 3, 4, 5, 6], _kv(6))  # extends [1 2 3 4], which is dropped as redundant
    assert c.tokens == 9 and len(c.entries) == 2
    c.put([9, 10], _kv(2))  # a prefix of an entry adds nothing
    assert c.tokens == 9 and len(c.entries) == 2
    c.put(list(range(100, 111)), _kv(11))  # longer than the whole budget: not stored
    assert c.tokens == 9
    assert c.clear() == (2, 9) and c.tokens == 0 and not c.entries


def test_budget_is_never_exceeded_while_sampling(make_session: Callable[..., Session]) -> None:
    s = make_session(kv_cache_tokens=40)
    g = torch.Generator().manual_seed(0)
    for i in range(12):
        prompts = [torch.randint(5, s.vocab, (int(n),), generator=g).tolist() for n in torch.randint(3, 20, (3,), generator=g)]
        s.sample(SampleReq(prompts=prompts, max_tokens=6, temperature=1.0, seed=i))
        assert 0 < s.kv_cache.tokens <= 40
        assert s.kv_cache.tokens == sum(len(e.ids) for e in s.kv_cache.entries.values())


def test_weight_changes_invalidate(make_session: Callable[..., Session], tmp_path: Path) -> None:
    s = make_session(optimizer={"lr": 1e-2})
    prompt = [1, 303, 203, 566, 374]
    (g,), _ = s.sample(SampleReq(prompts=[prompt], max_tokens=4, temperature=0.0))
    nxt = prompt + g[0].ids + [203]
    assert s.sample(SampleReq(prompts=[nxt], max_tokens=4, temperature=0.0))[1]["perf/cached_tokens"] > 0
    s.forward_backward(ForwardBackwardReq(data=[ForwardDatum(input_ids=nxt[:-1], target_ids=nxt[1:])]))
    s.optim_step(None)
    assert s.kv_cache.tokens == 0
    assert s.sample(SampleReq(prompts=[nxt], max_tokens=4, temperature=0.0))[1]["perf/cached_tokens"] == 0
    checkpoint.save(s, str(tmp_path / "ck"), with_optimizer=False)
    assert s.sample(SampleReq(prompts=[nxt + [5]], max_tokens=4, temperature=0.0))[1]["perf/cached_tokens"] > 0
    checkpoint.load(s, str(tmp_path / "ck"), with_optimizer=False)
    assert s.sample(SampleReq(prompts=[nxt + [5]], max_tokens=4, temperature=0.0))[1]["perf/cached_tokens"] == 0


def test_disabled_cache_stores_nothing(make_session: Callable[..., Session]) -> None:
    s = make_session(kv_cache_tokens=0)
    s.sample(SampleReq(prompts=[[1, 2, 3]], max_tokens=4, temperature=0.0))
    m = s.sample(SampleReq(prompts=[[1, 2, 3, 4]], max_tokens=4, temperature=0.0))[1]
    assert m["perf/cached_tokens"] == 0 and s.kv_cache.tokens == 0
