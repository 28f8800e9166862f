"""Pieces every training recipe shares: data, precision, optimizer, results.

Kept apart from the recipes so that dreambooth.py, textual_inversion.py,
custom_diffusion.py, svdiff.py and lora.py read as what they are: a choice
of trainable parameters and hyperparameters around one loop (loop.py).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch
from diffusers import StableDiffusionPipeline
from PIL import Image

from ..errors import ConfigError
from ..progress import NullReporter, Reporter
from ..protocol import TrainingConfig
from .class_images import class_images

log = logging.getLogger(__name__)


@dataclass
class Example:
    """One training image with its own caption (the SID of that image)."""

    image: Image.Image
    caption: str


@dataclass
class StepInputs:
    """What one micro-batch denoised: clean latents, the noise added, the
    timesteps, and every caption tokenized (instance ones, then class ones)."""

    latents: torch.Tensor
    noise: torch.Tensor
    timesteps: torch.Tensor
    captions: list[str]


@dataclass
class StepInfo:
    step: int  # 1-based
    total: int
    loss: float
    captions: list[str]  # the instance captions tokenized in this step, in batch order
    inputs: list[StepInputs] = field(default_factory=list)  # one per accumulated micro-batch


OnStep = Callable[[StepInfo], None]


@dataclass
class TrainSpec:
    """Everything a recipe's `train(pipeline, spec)` needs besides the model."""

    examples: list[Example]
    config: TrainingConfig
    identifier: str  # [v]
    class_noun: str
    reporter: Reporter = field(default_factory=NullReporter)
    cache_dir: Path | None = None  # where class images are kept between runs
    class_image_steps: int = 50  # DDIM steps per class image
    on_step: OnStep | None = None


@dataclass
class TrainResult:
    pipeline: StableDiffusionPipeline
    losses: list[float]
    seconds: float
    notes: list[str] = field(default_factory=list)  # e.g. "8-bit Adam unavailable, used AdamW"

    @property
    def final_loss(self) -> float | None:
        return self.losses[-1] if self.losses else None

    def save(self, path: str | Path) -> None:
        self.pipeline.save_pretrained(path)


class Timer:
    def __enter__(self) -> Timer:
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc) -> None:
        self.seconds = time.perf_counter() - self.start


# --- precision ---------------------------------------------------------------------


@dataclass
class Precision:
    """Mixed precision the plain-PyTorch way: trainable weights stay fp32,
    forward passes run under autocast, fp16 gets a GradScaler. (accelerate's
    Accelerator keeps process-wide state, awkward in a worker that runs many
    jobs with different settings in one process.)"""

    mode: str
    device: torch.device
    weight_dtype: torch.dtype
    scaler: torch.amp.GradScaler | None

    def cast_frozen(self, module: torch.nn.Module) -> None:
        """Frozen modules only run forward passes: keep them in the compute
        dtype to save memory (a no-op without mixed precision)."""
        module.requires_grad_(False)
        if self.weight_dtype != torch.float32:
            module.to(dtype=self.weight_dtype)

    def autocast(self) -> AbstractContextManager:
        if self.mode == "no":
            return nullcontext()
        return torch.autocast(self.device.type, dtype=self.weight_dtype)


def precision_for(mode: str, device: torch.device) -> Precision:
    if mode == "fp16" and device.type != "cuda":
        raise ConfigError("mixed_precision=fp16 needs a CUDA device; use bf16 or no on this worker")
    dtype = {"no": torch.float32, "fp16": torch.float16, "bf16": torch.bfloat16}[mode]
    scaler = torch.amp.GradScaler("cuda") if mode == "fp16" else None
    return Precision(mode, device, dtype, scaler)


# --- data --------------------------------------------------------------------------


def image_to_tensor(image: Image.Image, resolution: int) -> torch.Tensor:
    """Resize the shorter side to `resolution`, center-crop a square, scale to
    [-1, 1]: the preprocessing of diffusers' train_dreambooth.py."""
    image = image.convert("RGB")
    scale = resolution / min(image.size)
    w, h = max(resolution, round(image.width * scale)), max(resolution, round(image.height * scale))
    image = image.resize((w, h), Image.Resampling.BILINEAR)
    left, top = (w - resolution) // 2, (h - resolution) // 2
    image = image.crop((left, top, left + resolution, top + resolution))
    array = np.asarray(image, dtype=np.float32) / 127.5 - 1.0
    return torch.from_numpy(array).permute(2, 0, 1)


class LatentCache:
    """Encode every training image once with the frozen VAE and keep the
    posterior's mean and std; sampling a fresh latent per step from them is
    what re-encoding each step would do, without the VAE forward pass."""

    def __init__(
        self, pipeline: StableDiffusionPipeline, images: list[Image.Image], resolution: int, precision: Precision
    ):
        vae = pipeline.vae
        pixels = torch.stack([image_to_tensor(im, resolution) for im in images])
        means, stds = [], []
        with torch.no_grad(), precision.autocast():
            for chunk in pixels.split(4):
                dist = vae.encode(chunk.to(vae.device, vae.dtype)).latent_dist
                means.append(dist.mean.float())
                stds.append(dist.std.float())
        self.mean, self.std = torch.cat(means), torch.cat(stds)
        self.scaling_factor = vae.config.scaling_factor

    def sample(self, indices: list[int], generator: torch.Generator) -> torch.Tensor:
        mean, std = self.mean[indices], self.std[indices]
        eps = torch.randn(mean.shape, generator=generator).to(mean.device)
        return (mean + std * eps) * self.scaling_factor


def prior_examples(pipeline: StableDiffusionPipeline, spec: TrainSpec, precision: Precision) -> list[Example] | None:
    """Prior preservation's class images, from the base model before any
    weight changes (None when the run does not preserve the prior)."""
    config = spec.config
    if not config.prior_preservation:
        return None
    with torch.no_grad(), precision.autocast():
        images = class_images(
            pipeline,
            config.class_prompt,
            config.num_class_images,
            config.resolution,
            spec.reporter,
            cache_dir=spec.cache_dir,
            num_inference_steps=spec.class_image_steps,
        )
    return [Example(im, config.class_prompt) for im in images]


def encode_text(pipeline: StableDiffusionPipeline, captions: list[str]) -> torch.Tensor:
    tokenizer = pipeline.tokenizer
    ids = tokenizer(
        captions, padding="max_length", max_length=tokenizer.model_max_length, truncation=True, return_tensors="pt"
    ).input_ids
    return pipeline.text_encoder(ids.to(pipeline.text_encoder.device))[0]


# --- optimizer ---------------------------------------------------------------------


def effective_learning_rate(config: TrainingConfig, prior_doubles: bool = False) -> float:
    """`scale_lr` as diffusers' examples apply it (one process): times the
    batch size and the gradient accumulation steps, and for Custom Diffusion
    with prior preservation times 2 more (its batch holds both halves)."""
    lr = config.learning_rate
    if config.scale_lr:
        lr *= config.batch_size * config.gradient_accumulation_steps
        if prior_doubles and config.prior_preservation:
            lr *= 2.0
    return lr


def make_optimizer(
    params: list[torch.nn.Parameter] | list[dict],
    learning_rate: float,
    use_8bit_adam: bool,
    notes: list[str],
) -> torch.optim.Optimizer:
    """AdamW with the Adam settings every diffusers example defaults to;
    `params` may be parameter groups with their own `lr` (SVDiff)."""
    kwargs = dict(lr=learning_rate, betas=(0.9, 0.999), weight_decay=1e-2, eps=1e-8)
    if use_8bit_adam:
        try:
            import bitsandbytes as bnb

            return bnb.optim.AdamW8bit(params, **kwargs)
        except ImportError:
            note = "use_8bit_adam requested but bitsandbytes is not installed: using torch AdamW"
            log.warning(note)
            notes.append(note)
    return torch.optim.AdamW(params, **kwargs)
