"""LoRA DreamBooth (Hu et al. 2022 on Ruiz et al. 2023), with one caption
per reference image.

The UNet is frozen; low-rank updates B·A (rank r, scale alpha/r = 1) are
added to the query, key, value and output projections of every attention
layer through peft, as diffusers' examples/dreambooth/train_dreambooth_lora.py
does (LoraConfig with r = lora_alpha = rank, Gaussian init of A, B = 0). With
`train_text_encoder`, the CLIP attention projections get LoRA too. Prior
preservation works as in DreamBooth. Defaults (from the script's README):
learning rate 1e-4, 500 steps, rank 4, batch 1, no prior, UNet only.
"""

from __future__ import annotations

import torch
from diffusers import StableDiffusionPipeline
from peft import LoraConfig, inject_adapter_in_model

from .common import (
    Timer,
    TrainResult,
    TrainSpec,
    effective_learning_rate,
    make_optimizer,
    precision_for,
    prior_examples,
)
from .dreambooth import finish_training
from .loop import loop_config, training_loop

UNET_TARGETS = ["to_k", "to_q", "to_v", "to_out.0", "add_k_proj", "add_v_proj"]
TEXT_TARGETS = ["q_proj", "k_proj", "v_proj", "out_proj"]


def lora_config(rank: int, targets: list[str]) -> LoraConfig:
    return LoraConfig(r=rank, lora_alpha=rank, init_lora_weights="gaussian", target_modules=targets)


def train(pipeline: StableDiffusionPipeline, spec: TrainSpec) -> TrainResult:
    config, reporter = spec.config, spec.reporter
    precision = precision_for(config.mixed_precision, pipeline.unet.device)
    notes: list[str] = []

    # 1. Prior preservation: class images from the base model, before LoRA.
    class_examples = prior_examples(pipeline, spec, precision)

    with Timer() as timer:
        # 2. Freeze the base weights, then add the adapters. Their Gaussian
        #    init draws from torch's global generator: seed it so a run's
        #    seed reproduces it.
        unet, text_encoder = pipeline.unet, pipeline.text_encoder
        precision.cast_frozen(pipeline.vae)
        unet.requires_grad_(False)
        text_encoder.requires_grad_(False)
        torch.manual_seed(config.seed)
        unet.add_adapter(lora_config(config.lora_rank, UNET_TARGETS))
        unet.train()
        params = [p for p in unet.parameters() if p.requires_grad]
        if config.train_text_encoder:
            # peft directly: transformers 5's add_adapter wants a newer peft
            # than PyPI has; the injected layers are the same LoRA layers.
            inject_adapter_in_model(lora_config(config.lora_rank, TEXT_TARGETS), text_encoder)
            text_encoder.train()
            params += [p for n, p in text_encoder.named_parameters() if "lora_" in n]
            for p in params:
                p.requires_grad_(True)
        if config.gradient_checkpointing:
            unet.enable_gradient_checkpointing()
            if config.train_text_encoder:
                text_encoder.activation_checkpointing_enable()

        # 3. Optimizer over the LoRA matrices only.
        optimizer = make_optimizer(params, effective_learning_rate(config), config.use_8bit_adam, notes)

        # 4. The loop.
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

        # 5. Sampling runs with the adapters in place (scale 1).
        del optimizer, params
        finish_training(pipeline, precision.weight_dtype)
    return TrainResult(pipeline=pipeline, losses=losses, seconds=timer.seconds, notes=notes)
