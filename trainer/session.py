"""A training session: policy (full or LoRA), optional critic, KL reference, optimizer.

All methods run on the service's single tensor worker thread; nothing here is thread-safe.
"""

from __future__ import annotations

import copy
import time
from contextlib import nullcontext
from typing import Any

import torch
from peft import PeftModel
from torch import nn

from . import checkpoint, distributed, fsdp, losses
from .audio import AudioFrontend, cache_keys
from .audio_inputs import audio_embeds, batch_inputs_embeds, request_spans
from .errors import BadRequest as BadRequest
from .batch import Batch, Head, collate, plan, run
from .chat_format import ChatRenderer
from .kv_cache import PrefixCache
from .models import DTYPES, SeparateCritic, ValueHead, backbone, pad_token_id, wrap_lora
from .omni import frontend_for, is_audio_model
from .optim import build_optimizer
from .sampling import Completion, PrefillStats, PromptAudio, sample, sample_chunks
from .schemas import CheckpointModel, CreateSession, ForwardBackwardReq, ForwardDatum, ForwardReq, LossIn, SampleReq


# Padded tokens per model call in forward/forward_backward on a CPU (batch.py): larger calls are
# slower per token there (on the tiny preset 16 × 600 tokens ran at half the rate of 4 × 600).
# Elsewhere one call takes the whole batch.
CPU_CHUNK_TOKENS = 4096


def _logp_head(temperature: float, entropy: bool = False) -> Head:
    def head(out: Any, targets: torch.Tensor) -> dict[str, torch.Tensor]:
        logits = out.logits.float() / temperature
        logp_all = torch.log_softmax(logits, dim=-1).expand(len(targets), -1, -1)
        res = {"logp": logp_all.gather(-1, targets[..., None]).squeeze(-1)}
        if entropy:
            res["entropy"] = losses.entropy_from_logits(logits).expand(len(targets), -1)
        return res

    return head


class Session:
    def __init__(self, sid: str, req: CreateSession) -> None:
        self.id, self.req = sid, req
        torch.manual_seed(req.seed)
        self.device, self.dtype = torch.device(req.device), DTYPES[req.dtype]
        base, self.tok, self.origin = checkpoint.load_base(req.model, req.seed, self.device, self.dtype)
        # Audio models (trainer/omni.py, docs/speech.md): the encoder is frozen unless asked;
        # the vision encoder the thinker carries is never used.
        self.audio: AudioFrontend | None = None
        if is_audio_model(base):
            if req.critic == "separate":
                raise BadRequest("critic: 'separate' is not available for audio models (its backbone has no audio encoder); use 'shared' or 'none'")
            if req.train_audio_tower and req.lora is not None:
                raise BadRequest("train_audio_tower: not with LoRA (the adapter would not hold the encoder's weights); use full fine-tuning")
            hf_dir = self.origin.get("path")
            self.audio = frontend_for(base, self.tok, str(hf_dir) if hf_dir is not None else None)
            base.audio_tower.requires_grad_(req.train_audio_tower)
            base.visual.requires_grad_(False)
        elif req.train_audio_tower:
            raise BadRequest("train_audio_tower: this model has no audio encoder")
        self.sharded = distributed.is_distributed()
        if self.sharded and self.audio is not None:
            raise BadRequest("model: audio models run in one process only (start the service without --nproc)")
        if req.gradient_checkpointing:
            # Before the LoRA wrap and the critic's copy of the backbone, so both recompute too.
            try:
                base.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": False})
            except ValueError as e:
                raise BadRequest(f"gradient_checkpointing: {e}") from e
        self.renderer = ChatRenderer(self.tok, self.audio)
        self.pad_id = pad_token_id(base, self.tok)
        text_cfg = base.config.get_text_config()
        self.vocab = int(text_cfg.vocab_size)
        self.hidden = int(text_cfg.hidden_size)
        critic_body = copy.deepcopy(backbone(base)) if req.critic == "separate" else None
        ref_snapshot = copy.deepcopy(base) if (req.reference == "initial" and req.lora is None) else None
        self.policy: nn.Module = base
        if isinstance(req.model, CheckpointModel) and checkpoint.is_lora(req.model.checkpoint):
            self.policy = checkpoint.attach_adapter(base, req.model.checkpoint)
        elif req.lora is not None:
            self.policy = wrap_lora(base, req.lora)
        self.critic: nn.Module | None = None
        if req.critic == "shared":
            self.critic = ValueHead(self.hidden)
        elif critic_body is not None:
            self.critic = SeparateCritic(critic_body, self.hidden)
        if isinstance(req.model, CheckpointModel) and self.critic is not None:
            checkpoint.load_critic(self.critic, req.model.checkpoint)
        self.reference: nn.Module | None = ref_snapshot
        if isinstance(req.reference, CheckpointModel):
            self.reference = checkpoint.load_merged(req.reference.checkpoint, req.seed)
        for m in (self.policy, self.critic, self.reference):
            if m is not None:
                m.to(device=self.device, dtype=self.dtype)
        if self.reference is not None:
            self.reference.eval().requires_grad_(False)
        if self.sharded:  # FSDP2 over all ranks (fsdp.py); the optimizer then holds each rank's slices
            # A separate critic's body and head are called one by one (batch.run), so each is a root.
            critic = [self.critic.body, self.critic.head] if isinstance(self.critic, SeparateCritic) else [self.critic]
            for m in (self.policy, self.reference, *critic):
                if m is not None:
                    fsdp.shard(m, self.device)
        self.optimizer, self.scheduler = build_optimizer(self.trainable(), req.optimizer)
        self.step = 0
        self.generator = torch.Generator(device=self.device).manual_seed(req.seed)
        # Keys/values of what sampling fed, for reuse by later prompts that extend it. Valid only
        # for the current weights: optim_step and checkpoint.load clear it.
        self.kv_cache = PrefixCache(req.kv_cache_tokens)
        self.sample_chunk_tokens = req.sample_chunk_tokens or (32768 if self.device.type == "cpu" else None)
        # How forward/forward_backward split a batch into model calls (batch.py); not part of the
        # API, set here so that trainer/bench_fb.py can measure the alternatives.
        # Sharded, every rank makes exactly one call per model and pass: FSDP gathers each block's
        # weights once per call, so ranks making different numbers of calls would deadlock.
        # Gradient checkpointing drops the K/V a shared prefix hands to the suffix calls.
        self.chunk_tokens = CPU_CHUNK_TOKENS if self.device.type == "cpu" and not self.sharded else None
        self.share_prefix = not self.sharded and not req.gradient_checkpointing

    # ---- helpers ------------------------------------------------------------------------------

    def trainable(self) -> list[nn.Parameter]:
        params = [p for p in self.policy.parameters() if p.requires_grad]
        if self.critic is not None:
            params += list(self.critic.parameters())
        return params

    def is_lora(self) -> bool:
        return isinstance(self.policy, PeftModel)

    def check_ids(self, rows: list[list[int]], what: str) -> None:
        for i, r in enumerate(rows):
            for x in r:
                if not 0 <= x < self.vocab:
                    raise BadRequest(f"{what}[{i}] has token id {x} outside [0, {self.vocab})")

    def _collate(self, req: ForwardReq | ForwardBackwardReq, data: list[ForwardDatum] | None = None) -> Batch:
        data = req.data if data is None else data
        spans = request_spans(self.audio, [d.audio for d in data], [d.input_ids for d in data], "data")
        keys = [cache_keys(d.input_ids, s) for d, s in zip(data, spans)] if spans is not None else None
        try:
            return collate(data, self.pad_id, self.vocab, self.device, spans, keys)
        except ValueError as e:
            raise BadRequest(str(e)) from e

    def _my_shard(self, data: list[ForwardDatum]) -> tuple[list[ForwardDatum], bool]:
        """This rank's contiguous shard of the data, and whether it holds any. A rank left without
        data (fewer sequences than ranks) runs the first datum with zero weights: it must still join
        FSDP's collectives, and zero weights contribute exactly zero gradient."""
        for i, d in enumerate(data):  # every rank checks all ids: a bad id fails on all ranks alike
            for name, ids in (("input_ids", d.input_ids), ("target_ids", d.target_ids)):
                bad = [x for x in ids if not 0 <= x < self.vocab]
                if bad:
                    raise BadRequest(f"data[{i}].{name} has token id {bad[0]} outside [0, {self.vocab})")
        lo, hi = distributed.shard_range(len(data), distributed.rank(), distributed.world())
        if lo < hi:
            return data[lo:hi], True
        return [data[0].model_copy(update={"weights": [0.0] * len(data[0].input_ids)})], False

    def _inputs_embeds(self, model: nn.Module, b: Batch) -> torch.Tensor | None:
        return batch_inputs_embeds(self.audio, model, b, self.req.train_audio_tower and torch.is_grad_enabled())

    def _run(self, b: Batch, temperature: float, want_values: bool, want_entropy: bool) -> dict[str, torch.Tensor]:
        if want_values and self.critic is None:
            raise BadRequest("this session has no critic (create it with critic='shared' or 'separate')")
        p = plan(b, self.chunk_tokens, self.share_prefix)
        value_head = self.critic if want_values and isinstance(self.critic, ValueHead) else None
        logp_head = _logp_head(temperature, want_entropy)

        def policy_head(out: Any, targets: torch.Tensor) -> dict[str, torch.Tensor]:
            res = logp_head(out, targets)
            if value_head is not None:
                res["values"] = value_head(out.hidden_states[-1]).expand(len(targets), -1)
            return res

        res = run(self.policy, b, p, policy_head, inputs_embeds=self._inputs_embeds(self.policy, b), output_hidden_states=value_head is not None)
        if want_values and isinstance(self.critic, SeparateCritic):
            critic = self.critic
            res |= run(critic.body, b, p, lambda out, t: {"values": critic.head(out.last_hidden_state).expand(len(t), -1)})
        return res

    @torch.no_grad()
    def _ref_logp(self, b: Batch, temperature: float) -> torch.Tensor:
        if self.reference is not None:
            model, ctx = self.reference, nullcontext()
        elif self.is_lora() and self.req.reference == "initial":
            assert isinstance(self.policy, PeftModel)
            model, ctx = self.policy, self.policy.disable_adapter()
        else:
            raise BadRequest("kl_coef > 0 needs a reference: create the session with reference='initial' or a checkpoint")
        with ctx:
            return run(model, b, plan(b, self.chunk_tokens, self.share_prefix), _logp_head(temperature), inputs_embeds=self._inputs_embeds(model, b))["logp"]

    # ---- endpoints ----------------------------------------------------------------------------

    def sample(self, req: SampleReq) -> tuple[list[list[Completion]], dict[str, float]]:
        self.check_ids(req.prompts, "prompts")
        stop = set(req.stop_token_ids) if req.stop_token_ids is not None else {self.renderer.im_end}
        gen = self.generator if req.seed is None else torch.Generator(device=self.device).manual_seed(req.seed)
        self.policy.eval()
        cache = self.kv_cache if req.use_cache and self.kv_cache.budget > 0 else None
        t0 = time.perf_counter()
        rows = None
        if req.seeds is not None:
            # Row j of prompt p: a stream of its own, seeded by (seed_p, j).
            rows = [torch.Generator(device=self.device).manual_seed(s * 1_000_003 + j) for s in req.seeds for j in range(req.n)]
        audio = None
        spans = request_spans(self.audio, req.audio or [None] * len(req.prompts), req.prompts, "audio")
        if spans is not None:
            with torch.no_grad():
                embeds = audio_embeds(self.audio, self.policy, spans, grad=False)
            audio = PromptAudio(spans, [cache_keys(p, s) for p, s in zip(req.prompts, spans)], embeds)
        out: list[list[Completion]] = []
        stats = PrefillStats(0, 0)
        # Sharded, every rank runs this same sampling on the gathered weights (sampling.py makes
        # them agree on each token); rank 0's completions are the answer.
        with fsdp.unsharded(self.policy) if self.sharded else nullcontext():
            for lo, hi in sample_chunks(req.prompts, req.n, req.max_tokens, self.sample_chunk_tokens):
                part_audio = PromptAudio(audio.spans[lo:hi], audio.keys[lo:hi], audio.embeds) if audio is not None else None
                part, st = sample(self.policy, req.prompts[lo:hi], req.n, req.max_tokens, req.temperature, req.top_p, stop, self.pad_id, gen, cache, rows[lo * req.n : hi * req.n] if rows else None, part_audio)
                out += part
                stats = PrefillStats(stats.prefill_tokens + st.prefill_tokens, stats.cached_tokens + st.cached_tokens)
        dt = time.perf_counter() - t0
        n_tok = sum(len(c.ids) for group in out for c in group)
        return out, {
            "perf/sample_tokens": float(n_tok),
            "perf/sample_tokens_per_s": n_tok / max(dt, 1e-9),
            "perf/seconds": dt,
            "perf/prefill_tokens": float(stats.prefill_tokens),
            "perf/cached_tokens": float(stats.cached_tokens),
            "perf/kv_cache_tokens": float(self.kv_cache.tokens),
        }

    @torch.no_grad()
    def forward(self, req: ForwardReq) -> dict[str, Any]:
        if self.sharded:
            return self._forward_sharded(req)
        b = self._collate(req)
        self.policy.eval()
        if self.critic is not None:
            self.critic.eval()
        t0 = time.perf_counter()
        res = self._run(b, req.temperature, req.values, want_entropy=False)
        dt = time.perf_counter() - t0
        logprobs = [res["logp"][i, :n].tolist() for i, n in enumerate(b.lengths)]
        values = [res["values"][i, :n].tolist() for i, n in enumerate(b.lengths)] if req.values else None
        ref = self._ref_logp(b, req.temperature) if req.reference else None
        ref_logprobs = [ref[i, :n].tolist() for i, n in enumerate(b.lengths)] if ref is not None else None
        n_tok = sum(b.lengths)
        return {"logprobs": logprobs, "values": values, "ref_logprobs": ref_logprobs, "metrics": {"perf/tokens_per_s": n_tok / max(dt, 1e-9)}}

    @torch.no_grad()
    def _forward_sharded(self, req: ForwardReq) -> dict[str, Any]:
        """forward, data-parallel: each rank runs its shard, rank order restores the batch order."""
        data, mine = self._my_shard(req.data)
        b = self._collate(req, data)
        self.policy.eval()
        if self.critic is not None:
            self.critic.eval()
        t0 = time.perf_counter()
        res = self._run(b, req.temperature, req.values, want_entropy=False)
        ref = self._ref_logp(b, req.temperature) if req.reference else None
        dt = time.perf_counter() - t0
        rows = range(len(b.lengths)) if mine else range(0)

        def lists(t: torch.Tensor | None) -> list[list[float]] | None:
            return distributed.gather_lists([t[i, : b.lengths[i]].tolist() for i in rows]) if t is not None else None

        n_tok = sum(len(d.input_ids) for d in req.data)
        return {"logprobs": lists(res["logp"]), "values": lists(res.get("values")), "ref_logprobs": lists(ref), "metrics": {"perf/tokens_per_s": n_tok / max(dt, 1e-9)}}

    def forward_backward(self, req: ForwardBackwardReq) -> dict[str, float]:
        cfg = req.loss
        if self.sharded:
            data, _ = self._my_shard(req.data)
            b = self._collate(req, data)
            # The GLOBAL normaliser (every rank holds the whole request), so that the gradients
            # FSDP reduces add up to the one-process gradient.
            total_w = sum(sum(d.weights) if d.weights is not None else len(d.input_ids) for d in req.data)
            norm = torch.tensor(max(total_w, 1e-8)) if cfg.normalize == "token_mean" else torch.tensor(1.0)
        else:
            b = self._collate(req)
            norm = b.weights.sum().clamp(min=1e-8) if cfg.normalize == "token_mean" else torch.tensor(1.0)
        want_values = cfg.value_coef > 0
        self.policy.train()
        if self.critic is not None:
            self.critic.train()
        t0 = time.perf_counter()
        res = self._run(b, req.temperature, want_values, want_entropy=cfg.entropy_coef != 0)
        w = b.weights
        parts, metrics = self._loss_parts(res, b, cfg, req.temperature)
        total = sum((losses.weighted_sum(v, w) / norm for v in parts.values()), torch.zeros(()))
        # FSDP averages the gradients over ranks; each rank's share of the global sum is scaled back up.
        (total * distributed.world() if self.sharded else total).backward()
        dt = time.perf_counter() - t0
        if self.sharded:
            gnorm = fsdp.grad_norm(self.trainable())
        else:
            grads = [p.grad for p in self.trainable() if p.grad is not None]
            gnorm = torch.linalg.vector_norm(torch.stack([g.norm() for g in grads])) if grads else torch.zeros(())
        names = list(parts)
        sums = distributed.all_sum([float(losses.weighted_sum(parts[n].detach(), w) / norm) for n in names] + [float(total.detach()), float((w > 0).sum())])
        for name, v in zip(names, sums):
            metrics[f"loss/{name}"] = v
        n_tok = sum(len(d.input_ids) for d in req.data)
        metrics.update({
            "loss/total": sums[-2],
            "grad_norm/accumulated": float(gnorm),
            "tokens": sums[-1],
            "perf/tokens_per_s": n_tok / max(dt, 1e-9),
            "perf/seconds": dt,
        })
        return metrics

    def _loss_parts(
        self, res: dict[str, torch.Tensor], b: Batch, cfg: LossIn, temperature: float
    ) -> tuple[dict[str, torch.Tensor], dict[str, float]]:
        logp, w = res["logp"], b.weights
        on = (w > 0).float()
        count = on.sum().clamp(min=1)

        def mean(x: torch.Tensor) -> float:
            if not self.sharded:
                return float(losses.weighted_sum(x.detach(), on) / count)
            num, cnt = distributed.all_sum([float(losses.weighted_sum(x.detach(), on)), float(on.sum())])
            return num / max(cnt, 1.0)

        parts: dict[str, torch.Tensor] = {}
        metrics: dict[str, float] = {"logprob/mean": mean(logp)}
        if cfg.kind == "cross_entropy":
            parts["policy"] = losses.cross_entropy(logp)
        elif cfg.kind == "importance_sampling":
            parts["policy"] = losses.importance_sampling(logp, b.old_logprobs, b.advantages)
        else:
            pg, clipped, dual = losses.ppo_clip(logp, b.old_logprobs, b.advantages, cfg.clip_low, cfg.clip_high, cfg.dual_clip)
            parts["policy"] = pg
            metrics["ppo/clip_frac"] = mean(clipped)
            metrics["ppo/dual_clip_frac"] = mean(dual)
        if cfg.kind != "cross_entropy":
            metrics["ppo/approx_kl"] = mean(losses.kl_estimate(logp, b.old_logprobs, "k3"))
            ratio = torch.exp(logp - b.old_logprobs).detach()
            metrics["ppo/ratio_mean"] = mean(ratio)
            # On a fresh rollout's first minibatch this must be ~0: the sampled and the trained
            # tokens, temperature and positions agree (design.md §6).
            dev = torch.where(on > 0, (ratio - 1).abs(), torch.zeros_like(ratio))
            metrics["ppo/ratio_max_abs_dev"] = distributed.all_max(float(dev.max()) if dev.numel() else 0.0)
        if cfg.kl_coef > 0:
            kl = losses.kl_estimate(logp, self._ref_logp(b, temperature), cfg.kl_estimator)
            parts["kl"] = cfg.kl_coef * kl
            metrics[f"kl/ref_{cfg.kl_estimator}"] = mean(kl)
        if "entropy" in res:
            parts["entropy"] = -cfg.entropy_coef * res["entropy"]
            metrics["entropy"] = mean(res["entropy"])
        if "values" in res:
            vl, vclip = losses.value_loss(res["values"], b.old_values, b.returns, cfg.value_clip)
            parts["value"] = cfg.value_coef * vl
            metrics["value/clip_frac"] = mean(vclip)
            metrics["value/mean"] = mean(res["values"])
        return parts, metrics

    def optim_step(self, lr: float | None) -> dict[str, float]:
        params = self.trainable()
        clip = self.req.optimizer.grad_clip
        if self.sharded:
            gnorm: torch.Tensor | float = fsdp.clip_grads(params, clip)
        else:
            gnorm = torch.nn.utils.clip_grad_norm_(params, clip if clip is not None else float("inf"))
        if lr is not None:
            for g in self.optimizer.param_groups:
                g["lr"] = lr
        used = float(self.optimizer.param_groups[0]["lr"])
        self.optimizer.step()
        self.optimizer.zero_grad(set_to_none=True)
        self.scheduler.step()  # resets lr from the schedule, so an override lasts one step
        self.step += 1
        self.kv_cache.clear()  # cached keys/values were computed by the old weights
        if self.audio is not None and self.req.train_audio_tower:
            self.audio.clear()  # so were the encoder's cached outputs
        return {"grad_norm": float(gnorm), "lr": used, "step": float(self.step)}
