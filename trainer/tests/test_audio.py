"""Audio-capable policies (trainer/audio.py, trainer/omni.py) on the tiny random Qwen2.5-Omni thinker:
rendering spoken turns, token-in/token-out with audio in the prompt, masks, the prefix cache keyed by
audio, the frozen encoder, LoRA, checkpoints. WAVs are synthesised here (no espeak-ng needed)."""

from __future__ import annotations

import wave
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch

from trainer import checkpoint
from trainer.audio import output_tokens
from trainer.schemas import ChatMessageIn, CreateSession, ForwardBackwardReq, ForwardDatum, ForwardReq, LossIn, SampleReq
from trainer.session import BadRequest, Session


def _wav(path: Path, seconds: float, freq: float, rate: int = 16000, seed: int = 0) -> str:
    t = np.arange(int(seconds * rate)) / rate
    x = 0.3 * np.sin(2 * np.pi * freq * t) * (1 + 0.5 * np.sin(2 * np.pi * 3 * t)) + 0.02 * np.random.RandomState(seed).randn(len(t))
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes((np.clip(x, -1, 1) * 32767).astype("<i2").tobytes())
    return str(path)


@pytest.fixture(scope="module")
def wavs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    d = tmp_path_factory.mktemp("wavs")
    return {
        "a": _wav(d / "a.wav", 0.9, 220.0),
        "b": _wav(d / "b.wav", 0.9, 330.0, seed=1),  # as long as a: the same placeholder ids
        "c": _wav(d / "c.wav", 0.5, 440.0, seed=2),
        "8k": _wav(d / "8k.wav", 0.5, 440.0, rate=8000),
    }


def _omni(**kw: Any) -> Session:
    return Session("o", CreateSession.model_validate({"model": {"preset": "tiny-omni"}, **kw}))


@pytest.fixture(scope="module")
def omni() -> Session:
    return _omni()


def _msgs(*turns: tuple[str, str | None, str]) -> list[ChatMessageIn]:
    """(role, audio path or None, text) → messages."""
    return [ChatMessageIn(role=r, content=t, audio={"path": a} if a else None) for r, a, t in turns]  # type: ignore[arg-type]


def _spans(r: Any) -> list[dict[str, Any]]:
    return [{"at": a.at, "path": a.path} for a in r.audio]


# ---- rendering --------------------------------------------------------------------------------


def test_a_spoken_turn_renders_its_placeholders_then_its_transcript(omni: Session, wavs: dict[str, str]) -> None:
    fe = omni.audio
    assert fe is not None and (fe.bos, fe.token, fe.eos) == (1024, 1025, 1026)
    r = omni.renderer.render(_msgs(("system", None, "Be helpful."), ("user", wavs["a"], "cancel it")), generation_prompt=True)
    n = output_tokens(int(0.9 * 16000) // 160)
    assert [(a.tokens, a.path) for a in r.audio] == [(n, wavs["a"])] and n == 22
    at = r.audio[0].at
    assert r.ids[at - 1] == fe.bos and r.ids[at : at + n] == [fe.token] * n and r.ids[at + n] == fe.eos
    assert omni.renderer.decode(r.ids[at + n + 1 :]).startswith("cancel it<|im_end|>")
    assert r.mask == [0] * len(r.ids)  # user audio is never trained on
    # Without a transcript the turn is the audio alone.
    bare = omni.renderer.render(_msgs(("user", wavs["a"], "")))
    assert bare.ids[bare.audio[0].at + n + 1] == omni.renderer.im_end


def test_spoken_deltas_append_exactly(omni: Session, wavs: dict[str, str]) -> None:
    msgs = _msgs(("system", None, "Be helpful."), ("user", wavs["a"], ""), ("assistant", None, "Which order?"), ("user", wavs["c"], ""))
    whole = omni.renderer.render(msgs, generation_prompt=True)
    head = omni.renderer.render(msgs[:3])
    tail = omni.renderer.render(msgs[3:], generation_prompt=True, continuation=True)
    assert whole.ids == head.ids + tail.ids
    assert [a.at for a in whole.audio] == [head.audio[0].at, len(head.ids) + tail.audio[0].at]


def test_audio_errors_name_the_field(make_session: Any, omni: Session, wavs: dict[str, str], tmp_path: Path) -> None:
    text_only = make_session()
    with pytest.raises(ValueError, match=r"messages\[1\]\.audio: this session's model takes no audio"):
        text_only.renderer.render(_msgs(("system", None, "x"), ("user", wavs["a"], "")))
    with pytest.raises(ValueError, match=r"messages\[0\]\.audio: .*8k.wav is sampled at 8000 Hz"):
        omni.renderer.render(_msgs(("user", wavs["8k"], "")))
    with pytest.raises(ValueError, match=r"messages\[0\]\.audio: .* does not exist"):
        omni.renderer.render(_msgs(("user", str(tmp_path / "nope.wav"), "")))
    with pytest.raises(ValueError, match="has sha256 .* not 0{64}"):
        omni.renderer.render([ChatMessageIn(role="user", content="", audio={"path": wavs["a"], "sha256": "0" * 64})])  # type: ignore[arg-type]
    with pytest.raises(BadRequest, match="no audio"):
        text_only.sample(SampleReq(prompts=[[1, 2, 3]], audio=[[{"at": 0, "path": wavs["a"]}]]))


# ---- token-in/token-out ------------------------------------------------------------------------


def test_sample_logprobs_equal_forward_logprobs_with_audio_in_the_prompt(wavs: dict[str, str]) -> None:
    s = _omni(seed=3)
    turn0 = s.renderer.render(_msgs(("system", None, "Be helpful."), ("user", wavs["a"], "")), generation_prompt=True)
    text = s.renderer.render(_msgs(("system", None, "Be helpful."), ("user", None, "cancel my order")), generation_prompt=True)
    out, _ = s.sample(SampleReq(prompts=[turn0.ids, text.ids], audio=[_spans(turn0), []], max_tokens=12, seeds=[1, 2]))
    c0, c1 = out[0][0], out[1][0]
    # Turn 1: the completion, a spoken reply, a new prompt: prefilled from the cache up to the new audio.
    delta = s.renderer.render(_msgs(("user", wavs["c"], "")), generation_prompt=True, continuation=True)
    close = [] if c0.finish_reason == "stop" else [s.renderer.im_end]
    prompt1 = turn0.ids + c0.ids + close + delta.ids
    spans1 = _spans(turn0) + [{"at": len(prompt1) - len(delta.ids) + a.at, "path": a.path} for a in delta.audio]
    out1, m1 = s.sample(SampleReq(prompts=[prompt1], audio=[spans1], max_tokens=12, seed=5))
    assert m1["perf/cached_tokens"] == len(turn0.ids) + len(c0.ids) - 1
    c2 = out1[0][0]
    data = [
        ForwardDatum(input_ids=(seq := turn0.ids + c0.ids)[:-1], target_ids=seq[1:], audio=_spans(turn0)),  # type: ignore[arg-type]
        ForwardDatum(input_ids=(seq := text.ids + c1.ids)[:-1], target_ids=seq[1:]),
        ForwardDatum(input_ids=(seq := prompt1 + c2.ids)[:-1], target_ids=seq[1:], audio=spans1),  # type: ignore[arg-type]
    ]
    fwd = s.forward(ForwardReq(data=data))["logprobs"]
    for lp, prompt, c in zip(fwd, [turn0.ids, text.ids, prompt1], [c0, c1, c2]):
        assert len(c.ids) > 0
        assert np.allclose(lp[len(prompt) - 1 :], c.logprobs, atol=1e-4), (lp[len(prompt) - 1 :], c.logprobs)
    # The same prompt without the cache samples the same tokens.
    fresh, _ = s.sample(SampleReq(prompts=[prompt1], audio=[spans1], max_tokens=12, seed=5, use_cache=False))
    assert fresh[0][0].ids == c2.ids


def test_the_prefix_cache_never_serves_one_utterance_for_another(wavs: dict[str, str]) -> None:
    s = _omni(seed=4)
    ra = s.renderer.render(_msgs(("system", None, "Be helpful."), ("user", wavs["a"], "")), generation_prompt=True)
    rb = s.renderer.render(_msgs(("system", None, "Be helpful."), ("user", wavs["b"], "")), generation_prompt=True)
    assert ra.ids == rb.ids  # same length: the ids alone cannot tell the two apart
    s.sample(SampleReq(prompts=[ra.ids], audio=[_spans(ra)], max_tokens=4, temperature=0))
    got, m = s.sample(SampleReq(prompts=[rb.ids], audio=[_spans(rb)], max_tokens=4, temperature=0))
    assert m["perf/cached_tokens"] == rb.audio[0].at  # the cache stops where the audio differs
    ref, _ = s.sample(SampleReq(prompts=[rb.ids], audio=[_spans(rb)], max_tokens=4, temperature=0, use_cache=False))
    assert got[0][0].ids == ref[0][0].ids and np.allclose(got[0][0].logprobs, ref[0][0].logprobs, atol=1e-5)
    # And the audio matters: the two utterances give different next-token distributions.
    fa = s.forward(ForwardReq(data=[ForwardDatum(input_ids=ra.ids, target_ids=ra.ids[1:] + [0], audio=_spans(ra))]))["logprobs"][0]  # type: ignore[arg-type]
    fb = s.forward(ForwardReq(data=[ForwardDatum(input_ids=rb.ids, target_ids=rb.ids[1:] + [0], audio=_spans(rb))]))["logprobs"][0]  # type: ignore[arg-type]
    at = ra.audio[0].at
    assert fa[:at] == pytest.approx(fb[:at], abs=1e-6) and not np.allclose(fa[at:], fb[at:], atol=1e-4)


def test_a_batch_shares_a_prefix_only_up_to_differing_audio(omni: Session, wavs: dict[str, str]) -> None:
    from trainer.batch import plan, shared_prefix

    sys = "You are the store's agent. Be brief and helpful, and verify the customer first. " * 2
    ra = omni.renderer.render(_msgs(("system", None, sys), ("user", wavs["a"], "")), generation_prompt=True)
    rb = omni.renderer.render(_msgs(("system", None, sys), ("user", wavs["b"], "")), generation_prompt=True)
    data = [ForwardDatum(input_ids=r.ids, target_ids=r.ids[1:] + [0], audio=_spans(r)) for r in (ra, rb)]  # type: ignore[arg-type]
    b = omni._collate(ForwardReq(data=data))
    assert shared_prefix(b) == ra.audio[0].at and plan(b, None).prefix == ra.audio[0].at
    one = [omni.forward(ForwardReq(data=[d]))["logprobs"][0] for d in data]
    both = omni.forward(ForwardReq(data=data))["logprobs"]
    assert all(np.allclose(x, y, atol=1e-5) for x, y in zip(one, both))


# ---- training -----------------------------------------------------------------------------------


def _episode(s: Session, wavs: dict[str, str]) -> tuple[list[int], list[float], list[dict[str, Any]]]:
    """system · spoken user turn · agent reply · typed user turn · agent reply, with its loss mask."""
    msgs = _msgs(
        ("system", None, "Be helpful."),
        ("user", wavs["a"], ""),
        ("assistant", None, "Which order?"),
        ("user", None, "order 12, please"),
        ("assistant", None, "Done."),
    )
    r = s.renderer.render(msgs)
    return r.ids, [float(x) for x in r.mask], _spans(r)


def _grads(s: Session) -> list[torch.Tensor]:
    return [p.grad.clone() if p.grad is not None else torch.zeros_like(p) for p in s.trainable()]


def test_forward_backward_with_an_audio_and_a_text_turn(wavs: dict[str, str]) -> None:
    s = _omni(seed=5)
    ids, mask, spans = _episode(s, wavs)
    assert sum(mask) > 0 and s.audio is not None and s.audio.token in ids
    n = len(ids) - 1
    w = mask[1:]

    def datum(targets: list[int]) -> ForwardDatum:
        return ForwardDatum(input_ids=ids[:-1], target_ids=targets, weights=w, advantages=[1.0] * n, old_logprobs=[-6.0] * n, audio=spans)  # type: ignore[arg-type]

    m = s.forward_backward(ForwardBackwardReq(data=[datum(ids[1:])], loss=LossIn(kind="ppo")))
    assert np.isfinite(m["loss/total"]) and m["grad_norm/accumulated"] > 0
    before = _grads(s)
    tower = s.policy.audio_tower
    assert all(p.grad is None and not p.requires_grad for p in tower.parameters())  # frozen by default
    assert s.policy.model.embed_tokens.weight.grad is not None
    s.optimizer.zero_grad(set_to_none=True)
    # Targets where the weight is 0 (system, both user turns, the audio) do not matter.
    perturbed = [t if w[i] > 0 else (t + 7) % s.vocab for i, t in enumerate(ids[1:])]
    assert perturbed != ids[1:]
    s.forward_backward(ForwardBackwardReq(data=[datum(perturbed)], loss=LossIn(kind="ppo")))
    assert all(torch.equal(a, b) for a, b in zip(before, _grads(s)))
    # The step moves the decoder, not the encoder.
    tower_before = [p.clone() for p in tower.parameters()]
    emb_before = s.policy.model.embed_tokens.weight.clone()
    s.optim_step(None)
    assert all(torch.equal(a, b) for a, b in zip(tower_before, tower.parameters()))
    assert not torch.equal(emb_before, s.policy.model.embed_tokens.weight)


def test_audio_spans_must_match_the_placeholders(omni: Session, wavs: dict[str, str]) -> None:
    ids, _, spans = _episode(omni, wavs)
    n = len(ids) - 1
    with pytest.raises(BadRequest, match=r"data\[0\]\.audio\[0\]: the span .* does not cover its whole run of placeholder ids"):
        omni.forward(ForwardReq(data=[ForwardDatum(input_ids=ids[:-1], target_ids=ids[1:], audio=[{"at": spans[0]["at"], "path": wavs["c"]}])]))  # type: ignore[list-item]
    with pytest.raises(BadRequest, match=r"data\[0\]\.audio\[0\]: ids .* are not all the audio placeholder"):
        omni.forward(ForwardReq(data=[ForwardDatum(input_ids=ids[:-1], target_ids=ids[1:], audio=[{"at": spans[0]["at"] - 1, "path": wavs["a"]}])]))  # type: ignore[list-item]
    with pytest.raises(BadRequest, match=r"data\[0\]\.audio\[0\]: .* run past the sequence"):
        omni.forward(ForwardReq(data=[ForwardDatum(input_ids=ids[:30], target_ids=ids[1:31], audio=spans)]))  # type: ignore[arg-type]
    assert n > 30


def test_a_trainable_encoder_gets_gradients(wavs: dict[str, str]) -> None:
    s = _omni(train_audio_tower=True)
    ids, mask, spans = _episode(s, wavs)
    s.forward_backward(ForwardBackwardReq(data=[ForwardDatum(input_ids=ids[:-1], target_ids=ids[1:], weights=mask[1:], audio=spans)]))  # type: ignore[arg-type]
    assert any(p.grad is not None and float(p.grad.abs().sum()) > 0 for p in s.policy.audio_tower.parameters())
    with pytest.raises(BadRequest, match="train_audio_tower: not with LoRA"):
        _omni(train_audio_tower=True, lora={"rank": 4})
    with pytest.raises(BadRequest, match="'separate' is not available for audio models"):
        _omni(critic="separate")


def test_lora_adapts_the_decoder_only_and_checkpoints_round_trip(wavs: dict[str, str], tmp_path: Path) -> None:
    s = _omni(lora={"rank": 4, "alpha": 8}, seed=6, critic="shared", optimizer={"lr": 1e-2})
    names = [n for n, p in s.policy.named_parameters() if p.requires_grad]
    assert names and all(".model.layers." in n and "lora_" in n for n in names)
    ids, mask, spans = _episode(s, wavs)
    d = ForwardDatum(input_ids=ids[:-1], target_ids=ids[1:], weights=mask[1:], audio=spans)  # type: ignore[arg-type]
    s.forward_backward(ForwardBackwardReq(data=[d]))
    s.optim_step(None)
    lp = s.forward(ForwardReq(data=[d]))["logprobs"][0]
    checkpoint.save(s, str(tmp_path / "lora"), True)
    again = Session("o2", CreateSession.model_validate({"model": {"checkpoint": str(tmp_path / "lora")}, "lora": {"rank": 4, "alpha": 8}, "critic": "shared"}))
    assert np.allclose(again.forward(ForwardReq(data=[d]))["logprobs"][0], lp, atol=1e-5)

    full = _omni(seed=7)
    full.forward_backward(ForwardBackwardReq(data=[d]))
    full.optim_step(None)
    lp_full = full.forward(ForwardReq(data=[d]))["logprobs"][0]
    checkpoint.save(full, str(tmp_path / "full"), True)
    assert (tmp_path / "full" / "model" / "preprocessor_config.json").exists()
    reloaded = Session("o3", CreateSession.model_validate({"model": {"checkpoint": str(tmp_path / "full")}}))
    assert reloaded.audio is not None
    assert np.allclose(reloaded.forward(ForwardReq(data=[d]))["logprobs"][0], lp_full, atol=1e-5)
