"""DreamBooth (Ruiz et al. 2023) with one caption per reference image.

The paper's setup (Sec. C.2): stable-diffusion-2-1-base, batch size 1, 1000
steps, the CLIP text encoder trained together with the UNet, prior
preservation. What makes it "DreamBooth + SID" is only the data: each
`Example` carries its own description instead of "a [v] [class]".

    result = train(pipeline, TrainSpec(examples, payload.training, "sks", "dog"))
    result.pipeline  # fine-tuned, ready for sampling.generate
    result.save(dir) # a normal diffusers folder
"""

from __future__ import annotations

import torch
from diffusers import StableDiffusionPipeline

from ..models import free_memory
from .common import (
    Timer,
    TrainResult,
    TrainSpec,
    effective_learning_rate,
    make_optimizer,
    precision_for,
    prior_examples,
)
from .loop import loop_config, training_loop


def train(pipeline: StableDiffusionPipeline, spec: TrainSpec) -> TrainResult:
    # DreamBooth needs no special handling of [v]: it is learned from the
    # captions, through the fine-tuned UNet and text encoder.
    config, reporter = spec.config, spec.reporter
    precision = precision_for(config.mixed_precision, pipeline.unet.device)
    notes: list[str] = []

    # 1. Prior preservation: class images from the base model, made before
    #    any weight changes.
    class_examples = prior_examples(pipeline, spec, precision)

    with Timer() as timer:
        # 2. What trains: the whole UNet, and the text encoder unless turned
        #    off. The VAE stays frozen; frozen parts may run in half precision.
        unet, text_encoder = pipeline.unet, pipeline.text_encoder
        precision.cast_frozen(pipeline.vae)
        unet.requires_grad_(True).train()
        params = list(unet.parameters())
        if config.train_text_encoder:
            text_encoder.requires_grad_(True).train()
            params += list(text_encoder.parameters())
        else:
            precision.cast_frozen(text_encoder)

        # 3. Memory savers. SDPA attention is diffusers' default already.
        if config.gradient_checkpointing:
            unet.enable_gradient_checkpointing()
            if config.train_text_encoder:
                text_encoder.activation_checkpointing_enable()

        # 4. Optimizer (8-bit AdamW when asked for and bitsandbytes exists).
        optimizer = make_optimizer(params, effective_learning_rate(config), config.use_8bit_adam, notes)

        # 5. The loop.
        losses = training_loop(
            pipeline,
            params,
            optimizer,
            spec.examples,
            loop_config(config),
            precision,
            reporter,
            class_examples=class_examples,
            prior_loss_weight=config.prior_loss_weight,
            on_step=spec.on_step,
        )

        # 6. Back to inference mode; free optimizer state before sampling.
        del optimizer, params
        finish_training(pipeline, precision.weight_dtype)
    return TrainResult(pipeline=pipeline, losses=losses, seconds=timer.seconds, notes=notes)


def finish_training(pipeline: StableDiffusionPipeline, dtype: torch.dtype) -> None:
    """Freeze everything, switch to eval, and cast to the training's weight
    dtype so that sampling runs in the same precision the run trained in."""
    for module in (pipeline.unet, pipeline.text_encoder, pipeline.vae):
        module.requires_grad_(False).eval()
    if pipeline.unet.is_gradient_checkpointing:
        pipeline.unet.disable_gradient_checkpointing()
    if pipeline.text_encoder.is_activation_checkpointing:
        pipeline.text_encoder.activation_checkpointing_disable()
    if dtype != torch.float32:
        pipeline.to(dtype=dtype)
    free_memory()
