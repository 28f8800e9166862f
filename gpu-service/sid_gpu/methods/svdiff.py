"""SVDiff (Han et al. 2023) with one caption per reference image.

Every weight matrix W = U diag(S) V^T of the UNet (and of the text encoder
when `train_text_encoder`) is frozen in its singular vectors; only a shift
of its singular values trains: W' = U diag(ReLU(S + delta)) V^T, delta
starting at zero. Convolution kernels are reshaped to (out, in*kh*kw); the
weight vector of a normalization layer is a 1 x C matrix whose one singular
value (its norm) shifts with its own, much smaller learning rate.

The paper used the third-party svdiff-pytorch (mkshing, 0.2.0), whose
training script pins diffusers 0.14 and swaps in copies of diffusers' model
classes. We write the spectral shift as a torch parametrization on today's
diffusers modules instead: the same W', and after training it is folded
back into plain weights, so sampling and saving see an ordinary pipeline.
Defaults follow svdiff-pytorch's README example (learning rate 1e-3, 1e-6
for the 1-D shifts, batch 1, prior preservation with 200 class images, text
encoder shifts trained) with the SID paper's 1000 steps.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from diffusers import StableDiffusionPipeline
from torch.nn.utils import parametrize

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

SHIFTED = (torch.nn.Linear, torch.nn.Conv2d, torch.nn.Embedding)
NORMS = (torch.nn.GroupNorm, torch.nn.LayerNorm)


class SpectralShift(torch.nn.Module):
    """W' = U diag(ReLU(S + delta)) V^T for a frozen W, reshaped back to W's shape."""

    def __init__(self, weight: torch.Tensor):
        super().__init__()
        matrix = weight.detach().float()
        matrix = matrix.reshape(weight.shape[0], -1) if weight.ndim > 1 else matrix.unsqueeze(0)
        u, s, vh = torch.linalg.svd(matrix, full_matrices=False)
        self.register_buffer("u", u)
        self.register_buffer("s", s)
        self.register_buffer("vh", vh)
        self.delta = torch.nn.Parameter(torch.zeros_like(s))
        self.shape = weight.shape

    def forward(self, original: torch.Tensor) -> torch.Tensor:
        shifted = (self.u * F.relu(self.s + self.delta)) @ self.vh
        return shifted.reshape(self.shape).to(original.dtype)


def add_spectral_shifts(model: torch.nn.Module) -> tuple[list[torch.nn.Parameter], list[torch.nn.Parameter]]:
    """Parametrize every matrix and norm weight of `model`; return the
    shifts of matrices and of norm weights (the 1-D ones)."""
    matrices, vectors = [], []
    for module in list(model.modules()):
        if not isinstance(module, SHIFTED + NORMS) or getattr(module, "weight", None) is None:
            continue
        shift = SpectralShift(module.weight)
        parametrize.register_parametrization(module, "weight", shift)
        module.parametrizations.weight.original.requires_grad_(False)
        (vectors if isinstance(module, NORMS) else matrices).append(shift.delta)
    return matrices, vectors


def fold_spectral_shifts(model: torch.nn.Module) -> None:
    """Replace each parametrization by the plain weight it computes."""
    for module in list(model.modules()):
        if parametrize.is_parametrized(module, "weight"):
            parametrize.remove_parametrizations(module, "weight", leave_parametrized=True)


def train(pipeline: StableDiffusionPipeline, spec: TrainSpec) -> TrainResult:
    config, reporter = spec.config, spec.reporter
    precision = precision_for(config.mixed_precision, pipeline.unet.device)
    notes: list[str] = []

    # 1. Prior preservation: class images from the base model.
    class_examples = prior_examples(pipeline, spec, precision)

    with Timer() as timer:
        # 2. Freeze everything, then give the UNet (and the text encoder)
        #    their spectral shifts, which are the only trainable tensors.
        unet, text_encoder = pipeline.unet, pipeline.text_encoder
        precision.cast_frozen(pipeline.vae)
        unet.requires_grad_(False)
        text_encoder.requires_grad_(False)
        matrices, vectors = add_spectral_shifts(unet)
        unet.train()
        if config.train_text_encoder:
            te_matrices, te_vectors = add_spectral_shifts(text_encoder)
            matrices, vectors = matrices + te_matrices, vectors + te_vectors
            text_encoder.train()
        if config.gradient_checkpointing:
            unet.enable_gradient_checkpointing()

        # 3. Two learning rates, as svdiff-pytorch: matrices and 1-D weights.
        lr = effective_learning_rate(config)
        groups = [{"params": matrices}, {"params": vectors, "lr": config.learning_rate_1d}]
        optimizer = make_optimizer(groups, lr, config.use_8bit_adam, notes)

        # 4. The loop (clipping at 1.0 over every shift).
        losses = training_loop(
            pipeline,
            matrices + vectors,
            optimizer,
            spec.examples,
            loop_config(config),
            precision,
            reporter,
            class_examples=class_examples,
            prior_loss_weight=config.prior_loss_weight,
            on_step=spec.on_step,
        )

        # 5. Fold the shifts into plain weights for sampling.
        del optimizer
        if unet.is_gradient_checkpointing:
            unet.disable_gradient_checkpointing()
        with torch.no_grad():
            fold_spectral_shifts(unet)
            fold_spectral_shifts(text_encoder)
        finish_training(pipeline, precision.weight_dtype)
    return TrainResult(pipeline=pipeline, losses=losses, seconds=timer.seconds, notes=notes)
