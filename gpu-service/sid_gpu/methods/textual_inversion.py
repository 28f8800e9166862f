"""Textual Inversion (Gal et al. 2023) with one caption per reference image.

Only one thing trains: the input embedding of the identifier [v], added to
the tokenizer as a new token and initialised from the class noun. UNet, VAE
and the rest of the text encoder stay frozen, so SID captions can only help
by keeping background and nearby objects out of that single vector.
Prior preservation is not part of the method and is ignored.
"""

from __future__ import annotations

import logging

import torch
from diffusers import StableDiffusionPipeline
from tokenizers import AddedToken

from ..errors import ConfigError
from .common import Timer, TrainResult, TrainSpec, make_optimizer, precision_for
from .dreambooth import finish_training
from .loop import LoopConfig, training_loop

log = logging.getLogger(__name__)


def add_identifier_token(pipeline: StableDiffusionPipeline, identifier: str, class_noun: str) -> int:
    """Give [v] its own token id, initialised from the class noun's embedding."""
    tokenizer, text_encoder = pipeline.tokenizer, pipeline.text_encoder
    # single_word: an added token otherwise matches inside other words ("sks" in "desks"),
    # and those words would train [v]'s embedding.
    tokenizer.add_tokens(AddedToken(identifier, single_word=True))
    ids = tokenizer(identifier, add_special_tokens=False).input_ids
    if len(ids) != 1:
        raise ConfigError(f"identifier {identifier!r} does not map to one token ({ids})")
    init_ids = tokenizer(class_noun, add_special_tokens=False).input_ids
    text_encoder.resize_token_embeddings(len(tokenizer))
    embeddings = text_encoder.get_input_embeddings().weight
    with torch.no_grad():
        embeddings[ids[0]] = embeddings[init_ids].mean(dim=0)
    return ids[0]


def train(pipeline: StableDiffusionPipeline, spec: TrainSpec) -> TrainResult:
    config = spec.config
    device = pipeline.unet.device
    precision = precision_for(config.mixed_precision, device)
    notes = []
    if config.prior_preservation:
        notes.append("textual_inversion ignores prior_preservation")
    if config.train_text_encoder:
        notes.append("textual_inversion trains only the identifier embedding, not the text encoder")
    for note in notes:
        log.info(note)

    with Timer() as timer:
        # 1. A new token for [v].
        token_id = add_identifier_token(pipeline, spec.identifier, spec.class_noun)

        # 2. Freeze everything but the token embedding table; frozen UNet and
        #    VAE may run in half precision.
        text_encoder = pipeline.text_encoder
        precision.cast_frozen(pipeline.unet)
        precision.cast_frozen(pipeline.vae)
        text_encoder.requires_grad_(False)
        embeddings = text_encoder.get_input_embeddings().weight
        embeddings.requires_grad_(True)
        text_encoder.train()
        if config.gradient_checkpointing:
            pipeline.unet.train()
            pipeline.unet.enable_gradient_checkpointing()
            text_encoder.activation_checkpointing_enable()

        # 3. The optimizer sees the whole table (it is one tensor); after each
        #    step every row but [v]'s is put back, so weight decay and Adam
        #    cannot drift the rest of the vocabulary.
        original = embeddings.detach().clone()
        keep = torch.ones(len(original), dtype=torch.bool, device=original.device)
        keep[token_id] = False

        def restore_other_rows() -> None:
            with torch.no_grad():
                embeddings[keep] = original[keep]

        optimizer = make_optimizer([embeddings], config.learning_rate, config.use_8bit_adam, notes)

        # 4. The loop, without class images.
        loop_cfg = LoopConfig(config.steps, config.batch_size, config.resolution, config.seed)
        losses = training_loop(
            pipeline,
            [embeddings],
            optimizer,
            spec.examples,
            loop_cfg,
            precision,
            spec.reporter,
            on_step=spec.on_step,
            after_step=restore_other_rows,
        )
        del optimizer
        finish_training(pipeline, precision.weight_dtype)
    return TrainResult(pipeline=pipeline, losses=losses, seconds=timer.seconds, notes=notes)
