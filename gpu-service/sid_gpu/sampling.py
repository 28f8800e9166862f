"""Sampling: DDIM, classifier-free guidance, one seed per image.

The paper samples every method with DDIM, 50 steps, guidance 7.5 (Sec. C.2).
Images are generated one per call with their own CPU torch.Generator: the
initial noise of (prompt, seed) is then the same whatever else is in the
job, whatever the batch size and on any device, so a retried job or a
second method sampled with the same seeds starts from identical noise.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import torch
from diffusers import DDIMScheduler, StableDiffusionPipeline
from PIL import Image

from .attention import CrossAttentionRecorder, overlay, token_indices
from .progress import Reporter
from .protocol import RunPayload

log = logging.getLogger(__name__)


def use_ddim(pipeline: StableDiffusionPipeline) -> StableDiffusionPipeline:
    """Swap in DDIM, keeping the model's beta schedule and prediction type."""
    if not isinstance(pipeline.scheduler, DDIMScheduler):
        pipeline.scheduler = DDIMScheduler.from_config(pipeline.scheduler.config)
    pipeline.set_progress_bar_config(disable=True)
    return pipeline


def generate(
    pipeline: StableDiffusionPipeline,
    prompt: str,
    seed: int,
    *,
    num_inference_steps: int,
    guidance_scale: float,
    negative_prompt: str | None = None,
    resolution: int | None = None,
    reporter: Reporter | None = None,
) -> Image.Image:
    """One image for (prompt, seed). `reporter.check()` runs after every
    denoising step, so a cancel or SIGTERM stops mid-image."""

    def on_step_end(pipe: Any, step: int, timestep: Any, callback_kwargs: dict) -> dict:
        if reporter is not None:
            reporter.check()
        return callback_kwargs

    generator = torch.Generator("cpu").manual_seed(seed)
    out = pipeline(
        prompt=prompt,
        negative_prompt=negative_prompt,
        num_inference_steps=num_inference_steps,
        guidance_scale=guidance_scale,
        height=resolution,
        width=resolution,
        generator=generator,
        output_type="pil",
        callback_on_step_end=on_step_end,
    )
    return out.images[0]


@dataclass
class Sample:
    prompt: str
    prompt_without_identifier: str
    seed: int
    image: Image.Image
    attention: Image.Image | None  # heatmap overlay of the identifier's attention


def sample_all(pipeline: StableDiffusionPipeline, payload: RunPayload, reporter: Reporter) -> list[Sample]:
    """Every (prompt, seed) of the payload at the training resolution, with
    the identifier's attention map when asked for and the prompt has [v]."""
    cfg, resolution = payload.sampling, payload.training.resolution
    use_ddim(pipeline)
    options = dict(
        num_inference_steps=cfg.num_inference_steps,
        guidance_scale=cfg.guidance_scale,
        negative_prompt=cfg.negative_prompt,
        resolution=resolution,
        reporter=reporter,
    )
    latent_size = (resolution // pipeline.vae_scale_factor,) * 2
    total = len(cfg.prompts) * len(cfg.seeds)
    samples: list[Sample] = []
    for p in cfg.prompts:
        indices = []
        if payload.attention_maps:
            indices = token_indices(pipeline.tokenizer, p.prompt, payload.subject.identifier)
            if not indices:
                log.info("no attention map for %r: it does not contain the identifier", p.prompt)
        recorder = CrossAttentionRecorder(pipeline.unet, indices, latent_size) if indices else None
        for seed in cfg.seeds:
            attention = None
            if recorder is not None:
                recorder.reset()
                with recorder:
                    image = generate(pipeline, p.prompt, seed, **options)
                attention = overlay(image, recorder.average_map())
            else:
                image = generate(pipeline, p.prompt, seed, **options)
            samples.append(Sample(p.prompt, p.prompt_without_identifier, seed, image, attention))
            reporter.report("sampling", len(samples) / total, f"image {len(samples)}/{total}")
    return samples
