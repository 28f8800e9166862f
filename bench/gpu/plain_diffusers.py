"""The same training step and sampling call, done the plain diffusers way.

Written from diffusers' published examples (train_dreambooth.py,
textual_inversion.py) and StableDiffusionPipeline, sharing no code with
sid_gpu's training loop: it is the yardstick the benchmark holds ours
against. Each trainer loads the model folder fresh, runs `warmup + steps`
steps and returns (timed steps per second, the step times).

A method of sid_gpu's registry that has no entry in PLAIN_TRAINERS is shown
with "-" in the diffusers column (no reference recipe written yet).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from diffusers import DDIMScheduler, DDPMScheduler, StableDiffusionPipeline
from PIL import Image

from sid_gpu.methods.common import image_to_tensor


@dataclass
class Setup:
    model: str
    device: torch.device
    resolution: int
    mixed_precision: str  # no | fp16 | bf16
    steps: int  # timed
    warmup: int
    caption: str
    class_prompt: str
    identifier: str
    class_noun: str


def sync(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize()


def _dtype(mode: str) -> torch.dtype | None:
    return {"no": None, "fp16": torch.float16, "bf16": torch.bfloat16}[mode]


def _load(setup: Setup) -> StableDiffusionPipeline:
    pipe = StableDiffusionPipeline.from_pretrained(setup.model, safety_checker=None, requires_safety_checker=False)
    return pipe.to(setup.device)


def _ids(pipe: StableDiffusionPipeline, texts: list[str], device: torch.device) -> torch.Tensor:
    tok = pipe.tokenizer
    ids = tok(texts, padding="max_length", max_length=tok.model_max_length, truncation=True, return_tensors="pt")
    return ids.input_ids.to(device)


def _run(setup: Setup, step: Callable[[int], None]) -> float:
    for i in range(setup.warmup):
        step(i)
    sync(setup.device)
    start = time.perf_counter()
    for i in range(setup.steps):
        step(setup.warmup + i)
    sync(setup.device)
    return setup.steps / (time.perf_counter() - start)


def _backward_and_step(loss, params, optimizer, scaler) -> None:
    if scaler is not None:
        scaler.scale(loss).backward()
        scaler.unscale_(optimizer)
    else:
        loss.backward()
    torch.nn.utils.clip_grad_norm_(params, 1.0)
    if scaler is not None:
        scaler.step(optimizer)
        scaler.update()
    else:
        optimizer.step()
    optimizer.zero_grad(set_to_none=True)


def dreambooth(setup: Setup, images: list[Image.Image], class_images: list[Image.Image]) -> float:
    """train_dreambooth.py with --train_text_encoder --with_prior_preservation,
    batch 1: each step encodes one instance and one class image with the VAE
    and denoises both in one UNet call; loss = instance MSE + prior MSE."""
    pipe = _load(setup)
    unet, text_encoder, vae, device = pipe.unet, pipe.text_encoder, pipe.vae, setup.device
    noise_scheduler = DDPMScheduler.from_config(pipe.scheduler.config)
    vae.requires_grad_(False)
    unet.train()
    text_encoder.train()
    params = list(unet.parameters()) + list(text_encoder.parameters())
    optimizer = torch.optim.AdamW(params, lr=2e-6, betas=(0.9, 0.999), weight_decay=1e-2, eps=1e-8)
    dtype = _dtype(setup.mixed_precision)
    scaler = torch.amp.GradScaler("cuda") if setup.mixed_precision == "fp16" else None
    pixels = [image_to_tensor(im, setup.resolution) for im in images]
    class_pixels = [image_to_tensor(im, setup.resolution) for im in class_images]
    ids = _ids(pipe, [setup.caption, setup.class_prompt], device)

    def step(i: int) -> None:
        with torch.autocast(device.type, dtype=dtype, enabled=dtype is not None):
            batch = torch.stack([pixels[i % len(pixels)], class_pixels[i % len(class_pixels)]]).to(device)
            with torch.no_grad():
                latents = vae.encode(batch).latent_dist.sample() * vae.config.scaling_factor
            noise = torch.randn_like(latents)
            t = torch.randint(0, noise_scheduler.config.num_train_timesteps, (2,), device=device)
            pred = unet(noise_scheduler.add_noise(latents, noise, t), t, text_encoder(ids)[0]).sample
        pred, pred_prior = pred.float().chunk(2)
        target, target_prior = noise.float().chunk(2)
        loss = F.mse_loss(pred, target) + F.mse_loss(pred_prior, target_prior)
        _backward_and_step(loss, params, optimizer, scaler)
        loss.item()  # the example logs the loss every step, which syncs too

    return _run(setup, step)


def textual_inversion(setup: Setup, images: list[Image.Image], class_images: list[Image.Image]) -> float:
    """textual_inversion.py: a placeholder token initialised from the class
    noun, only the input embedding table trains (AdamW), every other row is
    put back after each step; the VAE encodes the image every step."""
    pipe = _load(setup)
    unet, text_encoder, vae, tokenizer, device = pipe.unet, pipe.text_encoder, pipe.vae, pipe.tokenizer, setup.device
    tokenizer.add_tokens(setup.identifier)
    token_id = tokenizer.convert_tokens_to_ids(setup.identifier)
    init_id = tokenizer.encode(setup.class_noun, add_special_tokens=False)[0]
    text_encoder.resize_token_embeddings(len(tokenizer))
    embeds = text_encoder.get_input_embeddings().weight
    with torch.no_grad():
        embeds[token_id] = embeds[init_id].clone()
    noise_scheduler = DDPMScheduler.from_config(pipe.scheduler.config)
    vae.requires_grad_(False)
    unet.requires_grad_(False)
    # The example freezes the encoder layers, final norm and position
    # embeddings one by one; the effect is the same as this.
    text_encoder.requires_grad_(False)
    text_encoder.get_input_embeddings().requires_grad_(True)
    text_encoder.train()
    optimizer = torch.optim.AdamW(
        text_encoder.get_input_embeddings().parameters(), lr=5e-4, betas=(0.9, 0.999), weight_decay=1e-2, eps=1e-8
    )
    original = embeds.detach().clone()
    keep = torch.ones(len(tokenizer), dtype=torch.bool)
    keep[token_id] = False
    dtype = _dtype(setup.mixed_precision)
    scaler = torch.amp.GradScaler("cuda") if setup.mixed_precision == "fp16" else None
    pixels = [image_to_tensor(im, setup.resolution) for im in images]
    ids = _ids(pipe, [setup.caption], device)

    def step(i: int) -> None:
        with torch.autocast(device.type, dtype=dtype, enabled=dtype is not None):
            with torch.no_grad():
                latents = vae.encode(pixels[i % len(pixels)][None].to(device)).latent_dist.sample()
                latents = latents * vae.config.scaling_factor
            noise = torch.randn_like(latents)
            t = torch.randint(0, noise_scheduler.config.num_train_timesteps, (1,), device=device)
            pred = unet(noise_scheduler.add_noise(latents, noise, t), t, text_encoder(ids)[0]).sample
        loss = F.mse_loss(pred.float(), noise.float())
        _backward_and_step(loss, [embeds], optimizer, scaler)
        with torch.no_grad():
            embeds[keep] = original[keep]
        loss.item()

    return _run(setup, step)


PLAIN_TRAINERS: dict[str, Callable[[Setup, list[Image.Image], list[Image.Image]], float]] = {
    "dreambooth": dreambooth,
    "textual_inversion": textual_inversion,
}


def sampling(pipe: StableDiffusionPipeline, setup: Setup, prompt: str, steps: int, images: int) -> float:
    """StableDiffusionPipeline called as its documentation shows, with a DDIM
    scheduler: images per second over `images` calls after one warm-up."""
    pipe.scheduler = DDIMScheduler.from_config(pipe.scheduler.config)
    pipe.set_progress_bar_config(disable=True)

    def one(seed: int) -> None:
        pipe(
            prompt,
            num_inference_steps=steps,
            guidance_scale=7.5,
            height=setup.resolution,
            width=setup.resolution,
            generator=torch.Generator("cpu").manual_seed(seed),
        )

    with torch.no_grad():
        one(0)
        sync(setup.device)
        start = time.perf_counter()
        for seed in range(1, images + 1):
            one(seed)
        sync(setup.device)
    return images / (time.perf_counter() - start)
