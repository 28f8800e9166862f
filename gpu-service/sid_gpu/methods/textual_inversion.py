"""Textual Inversion (Gal et al. 2023) with one caption per reference image.

Only one thing trains: the input embedding of the identifier [v], added to
the tokenizer as a new token and initialised from the class noun (the
recipe's --initializer_token). UNet, VAE and the rest of the text encoder
stay frozen, so SID captions can only help by keeping background and nearby
objects out of that single vector.

The recipe is diffusers' examples/textual_inversion/textual_inversion.py:
AdamW over the embedding table, every row but the new token's put back
after each step, no gradient clipping, --scale_lr. Its defaults (learning
rate 5e-4 scaled by batch x accumulation 4, 3,000 steps) come from the
app's method registry, not from DreamBooth's. Prior preservation is not part
of the method and is ignored.
"""

from __future__ import annotations

import logging

import torch
from diffusers import StableDiffusionPipeline
from tokenizers import AddedToken

from ..errors import ConfigError
from .common import Timer, TrainResult, TrainSpec, effective_learning_rate, make_optimizer, precision_for
from .dreambooth import finish_training
from .loop import loop_config, training_loop

log = logging.getLogger(__name__)


def add_identifier_token(pipeline: StableDiffusionPipeline, identifier: str, init_word: str) -> int:
    """Give [v] its own token id, its embedding initialised from `init_word`'s
    (the mean of its tokens' embeddings when it has several)."""
    tokenizer, text_encoder = pipeline.tokenizer, pipeline.text_encoder
    # Tokenized before [v] is added, so init_word may be [v]'s own spelling.
    init_ids = tokenizer(init_word, add_special_tokens=False).input_ids
    # single_word: an added token otherwise matches inside other words ("sks" in "desks"),
    # and those words would train [v]'s embedding.
    tokenizer.add_tokens(AddedToken(identifier, single_word=True))
    ids = tokenizer(identifier, add_special_tokens=False).input_ids
    if len(ids) != 1:
        raise ConfigError(f"identifier {identifier!r} does not map to one token ({ids})")
    text_encoder.resize_token_embeddings(len(tokenizer), mean_resizing=False)
    embeddings = text_encoder.get_input_embeddings().weight
    with torch.no_grad():
        embeddings[ids[0]] = embeddings[init_ids].mean(dim=0)
    return ids[0]


def train(pipeline: StableDiffusionPipeline, spec: TrainSpec) -> TrainResult:
    config = spec.config
    precision = precision_for(config.mixed_precision, pipeline.unet.device)
    notes = []
    if config.prior_preservation:
        notes.append("textual_inversion ignores prior_preservation")
    if config.train_text_encoder:
        notes.append("textual_inversion trains only the identifier embedding, not the text encoder")
    for note in notes:
        log.info(note)

    with Timer() as timer:
        # 1. A new token for [v], initialised from the class noun.
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

        optimizer = make_optimizer([embeddings], effective_learning_rate(config), config.use_8bit_adam, notes)

        # 4. The loop, without class images and without clipping.
        losses = training_loop(
            pipeline,
            [embeddings],
            optimizer,
            spec.examples,
            loop_config(config, max_grad_norm=None),
            precision,
            spec.reporter,
            on_step=spec.on_step,
            after_step=restore_other_rows,
        )
        del optimizer
        finish_training(pipeline, precision.weight_dtype)
    return TrainResult(pipeline=pipeline, losses=losses, seconds=timer.seconds, notes=notes)
