"""Throughput of sid-gpu's training and sampling next to plain diffusers.

Runs the SAME model and settings through
  - ours:      sid_gpu.methods.dreambooth.train and sid_gpu.sampling.generate
  - diffusers: a train_dreambooth.py-style step written out below (UNet + text
               encoder, AdamW, MSE on the noise) and StableDiffusionPipeline
               with a DDIM scheduler
and prints training steps/s, images/s and the ratio ours/diffusers. The
first steps and image of each side are warm-up and not timed.

    # tiny random-weight model on CPU (default; numbers only show overhead)
    gpu-service/.venv/bin/python bench/gpu/bench_generation.py
    # a real model on a GPU
    gpu-service/.venv/bin/python bench/gpu/bench_generation.py --model /models/stabilityai/stable-diffusion-2-1-base \
        --device cuda --resolution 512 --train-steps 30 --images 6 --inference-steps 50 --mixed-precision fp16
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from diffusers import DDIMScheduler, DDPMScheduler, StableDiffusionPipeline
from PIL import Image

from sid_gpu.methods import dreambooth
from sid_gpu.methods.common import Example, TrainSpec, image_to_tensor
from sid_gpu.models import load_pipeline
from sid_gpu.protocol import TrainingConfig
from sid_gpu.sampling import generate, use_ddim
from sid_gpu.tiny_models import TINY_RESOLUTION, build_tiny_sd

CAPTION = "a sks dog sitting on a red couch"
PROMPT = "a sks dog in the snow"
WARMUP_STEPS = 2


def sync(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize()


def reference_images(n: int, resolution: int) -> list[Image.Image]:
    rng = np.random.default_rng(0)
    return [Image.fromarray(rng.integers(0, 255, (resolution, resolution, 3), dtype=np.uint8)) for _ in range(n)]


def training_config(args: argparse.Namespace) -> TrainingConfig:
    return TrainingConfig(
        model=str(args.model),
        steps=args.train_steps + WARMUP_STEPS,
        learning_rate=5e-6,
        batch_size=1,
        resolution=args.resolution,
        train_text_encoder=True,
        prior_preservation=False,
        prior_loss_weight=1.0,
        num_class_images=0,
        class_prompt="",
        seed=0,
        mixed_precision=args.mixed_precision,
        gradient_checkpointing=False,
        use_8bit_adam=False,
    )


# --- ours ------------------------------------------------------------------------


def ours_training(args, device) -> float:
    pipeline = load_pipeline(args.model, device)
    marks: list[float] = []

    def on_step(info) -> None:
        sync(device)
        marks.append(time.perf_counter())

    examples = [Example(im, CAPTION) for im in reference_images(3, args.resolution)]
    dreambooth.train(pipeline, TrainSpec(examples, training_config(args), "sks", "dog", on_step=on_step))
    return args.train_steps / (marks[-1] - marks[WARMUP_STEPS - 1])


def ours_sampling(args, device) -> float:
    pipeline = use_ddim(load_pipeline(args.model, device))
    if args.mixed_precision != "no":
        pipeline.to(dtype=torch.float16 if args.mixed_precision == "fp16" else torch.bfloat16)
    options = {"num_inference_steps": args.inference_steps, "guidance_scale": 7.5, "resolution": args.resolution}
    with torch.no_grad():
        generate(pipeline, PROMPT, 0, **options)  # warm-up
        sync(device)
        start = time.perf_counter()
        for seed in range(1, args.images + 1):
            generate(pipeline, PROMPT, seed, **options)
        sync(device)
    return args.images / (time.perf_counter() - start)


# --- diffusers, as its examples do it ----------------------------------------------------


def diffusers_training(args, device) -> float:
    pipe = StableDiffusionPipeline.from_pretrained(args.model, safety_checker=None, requires_safety_checker=False)
    pipe.to(device)
    unet, text_encoder, vae, tokenizer = pipe.unet, pipe.text_encoder, pipe.vae, pipe.tokenizer
    noise_scheduler = DDPMScheduler.from_config(pipe.scheduler.config)
    vae.requires_grad_(False)
    unet.train()
    text_encoder.train()
    params = list(unet.parameters()) + list(text_encoder.parameters())
    optimizer = torch.optim.AdamW(params, lr=5e-6, betas=(0.9, 0.999), weight_decay=1e-2, eps=1e-8)
    dtype = {"no": None, "fp16": torch.float16, "bf16": torch.bfloat16}[args.mixed_precision]
    scaler = torch.amp.GradScaler("cuda") if args.mixed_precision == "fp16" else None
    pixels = torch.stack([image_to_tensor(im, args.resolution) for im in reference_images(3, args.resolution)])
    ids = tokenizer(
        CAPTION, padding="max_length", max_length=tokenizer.model_max_length, truncation=True, return_tensors="pt"
    ).input_ids.to(device)
    start = 0.0
    for step in range(args.train_steps + WARMUP_STEPS):
        if step == WARMUP_STEPS:
            sync(device)
            start = time.perf_counter()
        with torch.autocast(device.type, dtype=dtype, enabled=dtype is not None):
            with torch.no_grad():
                batch = pixels[step % len(pixels)][None].to(device)
                latents = vae.encode(batch).latent_dist.sample() * vae.config.scaling_factor
            noise = torch.randn_like(latents)
            t = torch.randint(0, noise_scheduler.config.num_train_timesteps, (1,), device=device)
            noisy = noise_scheduler.add_noise(latents, noise, t)
            pred = unet(noisy, t, text_encoder(ids)[0]).sample
        target = (
            noise
            if noise_scheduler.config.prediction_type == "epsilon"
            else noise_scheduler.get_velocity(latents, noise, t)
        )
        loss = F.mse_loss(pred.float(), target.float())
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
        loss.item()  # train_dreambooth.py logs the loss every step, which syncs too
    sync(device)
    return args.train_steps / (time.perf_counter() - start)


def diffusers_sampling(args, device) -> float:
    dtype = {"no": torch.float32, "fp16": torch.float16, "bf16": torch.bfloat16}[args.mixed_precision]
    pipe = StableDiffusionPipeline.from_pretrained(
        args.model, torch_dtype=dtype, safety_checker=None, requires_safety_checker=False
    ).to(device)
    pipe.scheduler = DDIMScheduler.from_config(pipe.scheduler.config)
    pipe.set_progress_bar_config(disable=True)

    def one(seed: int) -> None:
        pipe(
            PROMPT,
            num_inference_steps=args.inference_steps,
            guidance_scale=7.5,
            height=args.resolution,
            width=args.resolution,
            generator=torch.Generator("cpu").manual_seed(seed),
        )

    one(0)
    sync(device)
    start = time.perf_counter()
    for seed in range(1, args.images + 1):
        one(seed)
    sync(device)
    return args.images / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", type=Path, help="local Stable Diffusion folder (default: a tiny random one)")
    parser.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    parser.add_argument("--resolution", type=int)
    parser.add_argument("--train-steps", type=int, default=10, help="timed steps (after 2 warm-up steps)")
    parser.add_argument("--images", type=int, default=4, help="timed images (after 1 warm-up image)")
    parser.add_argument("--inference-steps", type=int, default=10)
    parser.add_argument("--mixed-precision", choices=["no", "fp16", "bf16"], default="no")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    device = torch.device(args.device)

    with tempfile.TemporaryDirectory() as tmp:
        if args.model is None:
            args.model = build_tiny_sd(Path(tmp) / "tiny-sd")
            args.resolution = args.resolution or TINY_RESOLUTION
        args.resolution = args.resolution or 512
        torch.manual_seed(0)
        results = {
            "train_steps_per_s": {"ours": ours_training(args, device), "diffusers": diffusers_training(args, device)},
            "images_per_s": {"ours": ours_sampling(args, device), "diffusers": diffusers_sampling(args, device)},
        }

    name = torch.cuda.get_device_name(device) if device.type == "cuda" else "cpu"
    print(
        f"model={args.model} device={name} resolution={args.resolution} mixed_precision={args.mixed_precision} "
        f"train_steps={args.train_steps} images={args.images} inference_steps={args.inference_steps}"
    )
    print(f"{'':18}{'ours':>10}{'diffusers':>12}{'ours/diffusers':>16}")
    for metric, r in results.items():
        r["ratio"] = r["ours"] / r["diffusers"]
        print(f"{metric:18}{r['ours']:>10.3f}{r['diffusers']:>12.3f}{r['ratio']:>16.3f}")
    if args.json:
        args.json.write_text(json.dumps({"config": {k: str(v) for k, v in vars(args).items()}, **results}, indent=2))


if __name__ == "__main__":
    main()
