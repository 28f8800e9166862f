"""The denoising training loop shared by the recipes.

Unlike diffusers' train_dreambooth.py, which pairs every instance image with
one `--instance_prompt`, each example here carries its own caption: that is
what lets SID (one selectively informative description per reference image)
disentangle the identifier from what else is in each picture.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from diffusers import DDPMScheduler, StableDiffusionPipeline

from ..errors import ConfigError
from ..progress import Reporter
from ..protocol import TrainingConfig
from .common import Example, LatentCache, OnStep, Precision, StepInfo, StepInputs, encode_text


@dataclass
class LoopConfig:
    steps: int  # optimizer steps, as diffusers' max_train_steps
    batch_size: int
    resolution: int
    seed: int
    # None: no clipping (diffusers' textual_inversion.py clips nothing; its
    # DreamBooth, Custom Diffusion and LoRA scripts clip at 1.0).
    max_grad_norm: float | None = 1.0
    gradient_accumulation_steps: int = 1


def loop_config(config: TrainingConfig, max_grad_norm: float | None = 1.0) -> LoopConfig:
    return LoopConfig(
        steps=config.steps,
        batch_size=config.batch_size,
        resolution=config.resolution,
        seed=config.seed,
        max_grad_norm=max_grad_norm,
        gradient_accumulation_steps=config.gradient_accumulation_steps,
    )


def _batches(n: int, batch_size: int, generator: torch.Generator) -> Iterator[list[int]]:
    """Endless batches of indices; every epoch is a fresh shuffle, so each
    image (and its caption) is seen equally often."""
    order: list[int] = []
    while True:
        batch = []
        while len(batch) < batch_size:
            if not order:
                order = torch.randperm(n, generator=generator).tolist()
            batch.append(order.pop())
        yield batch


def training_loop(
    pipeline: StableDiffusionPipeline,
    params: list[torch.nn.Parameter],
    optimizer: torch.optim.Optimizer,
    examples: list[Example],
    cfg: LoopConfig,
    precision: Precision,
    reporter: Reporter,
    *,
    class_examples: list[Example] | None = None,
    prior_loss_weight: float = 1.0,
    sum_instance_channels: bool = False,
    on_step: OnStep | None = None,
    before_step: Callable[[], None] | None = None,
    after_step: Callable[[], None] | None = None,
) -> list[float]:
    """Run `cfg.steps` optimizer steps and return the loss of each (the mean
    over its accumulated micro-batches).

    With `class_examples`, every micro-batch also denoises as many class
    images (captioned with the class prompt) and adds their loss times
    `prior_loss_weight`: DreamBooth's prior preservation.
    `sum_instance_channels` sums the instance loss over latent channels
    instead of averaging it (Custom Diffusion's masked loss). `before_step` runs
    between backward and clipping (Custom Diffusion zeroes gradients there),
    `after_step` after the update (Textual Inversion restores rows there)."""
    device = pipeline.unet.device
    # 1. Training uses DDPM's forward process whatever sampler the model ships
    #    with; its config carries prediction_type (epsilon for SD 2.1-base,
    #    v_prediction for SD 2.1-768).
    noise_scheduler = DDPMScheduler.from_config(pipeline.scheduler.config)
    prediction_type = noise_scheduler.config.prediction_type
    if prediction_type not in ("epsilon", "v_prediction"):
        raise ConfigError(f"unsupported prediction_type {prediction_type!r}")

    # 2. Encode every image once (the VAE is frozen).
    instance_latents = LatentCache(pipeline, [e.image for e in examples], cfg.resolution, precision)
    class_latents = None
    if class_examples:
        class_latents = LatentCache(pipeline, [e.image for e in class_examples], cfg.resolution, precision)

    # 3. One CPU generator drives data order, latent sampling, noise and
    #    timesteps, so a seed reproduces a run on any device.
    generator = torch.Generator("cpu").manual_seed(cfg.seed)
    instance_batches = _batches(len(examples), cfg.batch_size, generator)
    class_batches = _batches(len(class_examples), cfg.batch_size, generator) if class_examples else None

    accumulate = cfg.gradient_accumulation_steps
    losses: list[float] = []
    for step in range(1, cfg.steps + 1):
        reporter.check()  # step boundary: cancellation, lease loss and SIGTERM land here
        step_loss, inputs = 0.0, []
        for _ in range(accumulate):
            # 4. The batch: instance images with their own captions, then
            #    (prior preservation) as many class images with the class prompt.
            idx = next(instance_batches)
            captions = [examples[i].caption for i in idx]
            latents = instance_latents.sample(idx, generator)
            if class_batches is not None:
                cidx = next(class_batches)
                captions = captions + [class_examples[i].caption for i in cidx]
                latents = torch.cat([latents, class_latents.sample(cidx, generator)])

            # 5. Forward diffusion at a random timestep, then predict the
            #    noise (or velocity) back.
            noise = torch.randn(latents.shape, generator=generator).to(device)
            timesteps = torch.randint(
                0, noise_scheduler.config.num_train_timesteps, (latents.shape[0],), generator=generator
            ).to(device)
            inputs.append(StepInputs(latents, noise, timesteps, captions))
            loss = denoising_loss(
                pipeline,
                noise_scheduler,
                inputs[-1],
                precision,
                class_batches is not None,
                prior_loss_weight,
                sum_instance_channels,
            )
            if not torch.isfinite(loss):
                raise ConfigError(
                    f"loss became {loss.item()} at step {step}: lower the learning rate or use mixed_precision=no"
                )

            # 6. Backward; accumulated micro-batches each count 1/accumulate,
            #    as accelerate's gradient accumulation does.
            scaled = loss / accumulate
            if precision.scaler is not None:
                precision.scaler.scale(scaled).backward()
            else:
                scaled.backward()
            step_loss += loss.item() / accumulate

        # 7. Update (GradScaler only for fp16).
        scaler = precision.scaler
        if scaler is not None:
            scaler.unscale_(optimizer)
        if before_step is not None:
            before_step()
        if cfg.max_grad_norm is not None:
            torch.nn.utils.clip_grad_norm_(params, cfg.max_grad_norm)
        if scaler is not None:
            scaler.step(optimizer)
            scaler.update()
        else:
            optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        if after_step is not None:
            after_step()

        losses.append(step_loss)
        if on_step is not None:
            n_instance = cfg.batch_size
            on_step(
                StepInfo(
                    step=step,
                    total=cfg.steps,
                    loss=step_loss,
                    captions=[c for x in inputs for c in x.captions[:n_instance]],
                    inputs=inputs,
                )
            )
        reporter.report("training", step / cfg.steps, f"step {step}/{cfg.steps}, loss {losses[-1]:.4f}")
    return losses


def denoising_loss(
    pipeline: StableDiffusionPipeline,
    noise_scheduler: DDPMScheduler,
    batch: StepInputs,
    precision: Precision,
    with_prior: bool,
    prior_loss_weight: float,
    sum_instance_channels: bool = False,
) -> torch.Tensor:
    """MSE between the UNet's prediction and its target, in fp32; with prior
    preservation the second half of the batch is the class part."""
    noisy = noise_scheduler.add_noise(batch.latents, batch.noise, batch.timesteps)
    if noise_scheduler.config.prediction_type == "epsilon":
        target = batch.noise
    else:
        target = noise_scheduler.get_velocity(batch.latents, batch.noise, batch.timesteps)
    with precision.autocast():
        hidden = encode_text(pipeline, batch.captions)
        pred = pipeline.unet(noisy, batch.timesteps, hidden).sample
    pred, target = pred.float(), target.float()
    if with_prior:
        pred, pred_prior = pred.chunk(2)
        target, target_prior = target.chunk(2)
    if sum_instance_channels:
        loss = F.mse_loss(pred, target, reduction="none").sum(dim=1).mean()
    else:
        loss = F.mse_loss(pred, target)
    if with_prior:
        loss = loss + prior_loss_weight * F.mse_loss(pred_prior, target_prior)
    return loss
