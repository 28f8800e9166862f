"""Pydantic models of every message in docs/WORKER_API.md.

The app validates with zod on its side; these models are the worker's half of
that contract. Every model forbids unknown fields, so a typo or a protocol
drift on either side fails loudly instead of being silently ignored.

A claimed job is parsed in two steps: first the envelope (`JobEnvelope`,
whose payload is left as a dict), then the payload for its kind. That way a
job with a bad payload can still be reported with `fail` (it has an id and a
lease), instead of being dropped and retried forever by lease expiry.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Sha256 = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
FiniteFloat = Annotated[float, Field(allow_inf_nan=False)]
JobKind = Literal["dreambooth_run"]
# The training recipes (sid_gpu/methods/); each runs with or without SID
# captions, which is only a matter of the reference captions sent.
MethodName = Literal["dreambooth", "textual_inversion", "custom_diffusion", "svdiff", "lora"]
Stage = Literal["class_images", "training", "sampling", "metrics", "uploading"]


class Message(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --- claim -------------------------------------------------------------------


class ClaimRequest(Message):
    worker_name: str = Field(min_length=1, max_length=200)
    kinds: list[JobKind] = Field(min_length=1)
    wait_seconds: int = Field(ge=0, le=30)


class JobEnvelope(Message):
    id: UUID
    kind: str
    lease_id: UUID
    lease_seconds: int = Field(ge=1)
    attempt: int = Field(ge=1)
    payload: dict[str, Any]


class ClaimResponse(Message):
    job: JobEnvelope


# --- dreambooth_run payload ----------------------------------------------------


class Subject(Message):
    id: UUID
    name: str = Field(min_length=1)
    class_noun: str = Field(min_length=1)
    # One whitespace-free word: it is matched as a token in captions.
    identifier: str = Field(pattern=r"^\S+$")
    kind: Literal["object", "live", "style"]


class ReferenceImage(Message):
    sha256: Sha256
    url: str = Field(min_length=1)
    caption: str = Field(min_length=1)
    mask_sha256: Sha256 | None = None


class TrainingConfig(Message):
    """The settings of one run. The app fills the method's hyperparameters
    (steps, learning rate, batch, accumulation, prior, text encoder, rank...)
    from that method's own defaults, so every run carries its own values."""

    model: str = Field(min_length=1)
    steps: int = Field(ge=1, le=100_000)
    learning_rate: FiniteFloat = Field(gt=0, le=1)
    batch_size: int = Field(ge=1, le=64)
    gradient_accumulation_steps: int = Field(1, ge=1, le=64)
    # diffusers' --scale_lr: learning_rate x batch x accumulation (x2 for
    # Custom Diffusion with prior preservation), see methods/common.py.
    scale_lr: bool = False
    # Only for `svdiff`: the learning rate of the norm layers' spectral shifts.
    learning_rate_1d: FiniteFloat | None = Field(None, gt=0, le=1)
    # Only for `lora`: the rank of the LoRA update (lora_alpha = rank, as diffusers).
    lora_rank: int | None = Field(None, ge=1, le=256)
    resolution: int = Field(ge=8, le=2048, multiple_of=8)
    train_text_encoder: bool
    prior_preservation: bool
    prior_loss_weight: FiniteFloat = Field(ge=0)
    num_class_images: int = Field(ge=0, le=10_000)
    class_prompt: str
    seed: int = Field(ge=0, lt=2**63)
    mixed_precision: Literal["no", "fp16", "bf16"]
    gradient_checkpointing: bool
    use_8bit_adam: bool

    @model_validator(mode="after")
    def _prior_needs_class_images(self) -> TrainingConfig:
        if self.prior_preservation and (self.num_class_images < 1 or not self.class_prompt.strip()):
            raise ValueError("prior_preservation needs num_class_images >= 1 and a class_prompt")
        return self


class SamplingPrompt(Message):
    prompt: str = Field(min_length=1)
    prompt_without_identifier: str = Field(min_length=1)


class SamplingConfig(Message):
    prompts: list[SamplingPrompt] = Field(min_length=1)
    seeds: list[Annotated[int, Field(ge=0, lt=2**63)]] = Field(min_length=1)
    num_inference_steps: int = Field(ge=1, le=1000)
    guidance_scale: FiniteFloat = Field(ge=0, le=50)
    negative_prompt: str | None = None

    @model_validator(mode="after")
    def _unique(self) -> SamplingConfig:
        # The app stores one sample per (run, prompt, seed): duplicates would collide.
        if len({p.prompt for p in self.prompts}) != len(self.prompts):
            raise ValueError("sampling prompts must be unique")
        if len(set(self.seeds)) != len(self.seeds):
            raise ValueError("sampling seeds must be unique")
        return self


class MetricsConfig(Message):
    enabled: bool
    clip_model: str = Field(min_length=1)
    segmentation: Literal["uploaded_masks", "grounded_sam", "none"]


def contains_word(text: str, word: str) -> bool:
    return re.search(rf"(?<!\S){re.escape(word)}(?!\S)", text) is not None


class RunPayload(Message):
    run_id: UUID
    method: MethodName
    description_case: Literal[1, 2, 3, 4]
    subject: Subject
    reference_images: list[ReferenceImage] = Field(min_length=1)
    training: TrainingConfig
    sampling: SamplingConfig
    metrics: MetricsConfig
    attention_maps: bool

    @model_validator(mode="after")
    def _consistent(self) -> RunPayload:
        training = self.training
        for field_name, owner in (("learning_rate_1d", "svdiff"), ("lora_rank", "lora")):
            given = getattr(training, field_name) is not None
            if given != (self.method == owner):
                need = "needs" if self.method == owner else "must not carry"
                raise ValueError(f"method {self.method!r} {need} training.{field_name}")
        ident = self.subject.identifier
        for i, ref in enumerate(self.reference_images):
            # Every description case keeps "[v] [class]": a caption without the
            # identifier would train nothing into it.
            if not contains_word(ref.caption, ident):
                raise ValueError(f"reference_images[{i}].caption does not contain the identifier {ident!r}")
        for p in self.sampling.prompts:
            if contains_word(p.prompt_without_identifier, ident):
                raise ValueError(f"prompt_without_identifier still contains {ident!r}: {p.prompt_without_identifier!r}")
        if self.metrics.enabled and self.metrics.segmentation == "uploaded_masks":
            missing = [i for i, r in enumerate(self.reference_images) if r.mask_sha256 is None]
            if missing:
                raise ValueError(f"segmentation=uploaded_masks but reference_images {missing} have no mask_sha256")
        return self


# --- heartbeat -----------------------------------------------------------------


class HeartbeatRequest(Message):
    lease_id: UUID
    stage: Stage
    progress: FiniteFloat = Field(ge=0, le=1)
    message: str = Field(max_length=500)


class HeartbeatResponse(Message):
    cancel: bool
    lease_expires_at: datetime


# --- complete / fail -------------------------------------------------------------


class SampleMetrics(Message):
    # Null when the job's segmentation is "none": without subject segments only
    # text alignment can be measured.
    subject_alignment: FiniteFloat | None
    non_subject_disentanglement: FiniteFloat | None
    text_alignment: FiniteFloat


class SampleResult(Message):
    prompt: str
    seed: int
    sha256: Sha256
    metrics: SampleMetrics | None
    attention_map_sha256: Sha256 | None


class TrainingSummary(Message):
    steps: int = Field(ge=0)
    final_loss: FiniteFloat | None
    seconds: FiniteFloat = Field(ge=0)
    losses: list[FiniteFloat]


class SamplingSummary(Message):
    seconds: FiniteFloat = Field(ge=0)
    images: int = Field(ge=0)


class CompleteRequest(Message):
    lease_id: UUID
    samples: list[SampleResult]
    run_metrics: SampleMetrics | None
    training: TrainingSummary
    sampling: SamplingSummary


class OkResponse(Message):
    ok: Literal[True]


class FailRequest(Message):
    lease_id: UUID
    error: str = Field(min_length=1, max_length=4000)
    retryable: bool
    cancelled: bool

    @field_validator("error", mode="before")
    @classmethod
    def _clip(cls, v: Any) -> Any:
        # A traceback can be long; the app only needs its head and tail.
        if isinstance(v, str) and len(v) > 4000:
            return v[:1990] + "\n...\n" + v[-1990:]
        return v


class FailResponse(Message):
    ok: Literal[True]
    state: Literal["queued", "failed", "cancelled"]


class ErrorBody(Message):
    error: str
