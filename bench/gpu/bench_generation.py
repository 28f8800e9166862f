"""Training steps/s, images/s and peak memory of every method sid-gpu offers,
next to the same work done the plain diffusers way, on stable-diffusion-2-1-base.

For each method in the worker's registry (sid_gpu.jobs.METHODS, so methods
added there appear here), in one process and on one device:
  - ours:      the method's `train` (the worker's training loop), then
               sid_gpu.sampling.generate with the trained model
  - diffusers: the same step as diffusers' example script for that method
               (plain_diffusers.py; "-" where none is written yet), and a
               plain StableDiffusionPipeline call with DDIM on the same
               trained model
The model is the real architecture with random weights (sid_gpu.sd21_base,
nothing downloaded), or --model, a local folder (e.g. the real weights).

Paper settings (Sec. C.2): 512 px, batch 1 (DreamBooth adds one class image
per step: prior preservation), text encoder trained, DDIM 50, guidance 7.5.
Without a GPU the defaults shrink the work so it finishes in minutes; every
line of the output then says REDUCED, and the study estimate says what it
is extrapolated from.

    # a GPU, the paper's settings at full size
    gpu-service/.venv/bin/python bench/gpu/bench_generation.py --json bench-gpu.json
    # CPU: quarter-width model at 256 px, 10 DDIM steps (the defaults without CUDA)
    gpu-service/.venv/bin/python bench/gpu/bench_generation.py
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import torch
from PIL import Image

sys.path.insert(0, str(Path(__file__).parent))

import plain_diffusers  # noqa: E402
from scale import PeakMemory, sampling_flops, training_flops  # noqa: E402

from sid_gpu.jobs import METHODS  # noqa: E402
from sid_gpu.methods.common import Example, TrainSpec  # noqa: E402
from sid_gpu.models import free_memory, load_pipeline  # noqa: E402
from sid_gpu.protocol import TrainingConfig  # noqa: E402
from sid_gpu.sampling import generate, use_ddim  # noqa: E402
from sid_gpu.sd21_base import build_sd21_base, build_unet  # noqa: E402

IDENTIFIER, CLASS_NOUN = "sks", "dog"
CAPTION = "a sks dog sitting on a red couch"
CLASS_PROMPT = "a dog"
PROMPT = "a sks dog in the snow"
PAPER = {"resolution": 512, "inference_steps": 50, "train_steps": 1000, "subjects": 15, "prompts": 25, "seeds": 20}


def noise_images(n: int, resolution: int, seed: int) -> list[Image.Image]:
    rng = np.random.default_rng(seed)
    return [Image.fromarray(rng.integers(0, 255, (resolution, resolution, 3), dtype=np.uint8)) for _ in range(n)]


def training_config(args, setup: plain_diffusers.Setup) -> TrainingConfig:
    """The paper's DreamBooth settings; each method uses what applies to it
    (Textual Inversion, e.g., ignores the prior and the text encoder flag)."""
    return TrainingConfig(
        model=str(setup.model),
        steps=setup.warmup + setup.steps,
        learning_rate=2e-6,
        learning_rate_1d=1e-6,  # SVDiff's norm-layer shifts (the app's default for it)
        lora_rank=4,  # LoRA (the app's default); other methods ignore these two
        batch_size=1,
        resolution=setup.resolution,
        train_text_encoder=True,
        prior_preservation=True,
        prior_loss_weight=1.0,
        num_class_images=2,  # generated with 1 DDIM step each: the prior's cost per step, not its quality
        class_prompt=CLASS_PROMPT,
        seed=0,
        mixed_precision=setup.mixed_precision,
        gradient_checkpointing=False,
        use_8bit_adam=False,
    )


def ours_training(name: str, args, setup: plain_diffusers.Setup):
    pipeline = load_pipeline(setup.model, setup.device)
    marks: list[float] = []

    def on_step(info) -> None:
        plain_diffusers.sync(setup.device)
        marks.append(time.perf_counter())

    examples = [Example(im, CAPTION) for im in noise_images(3, setup.resolution, 0)]
    spec = TrainSpec(examples, training_config(args, setup), IDENTIFIER, CLASS_NOUN, on_step=on_step)
    spec.class_image_steps = 1
    result = METHODS[name](pipeline, spec)
    rate = setup.steps / (marks[-1] - marks[setup.warmup - 1])
    return rate, result


def ours_sampling(pipeline, setup: plain_diffusers.Setup, steps: int, images: int) -> float:
    use_ddim(pipeline)
    options = {"num_inference_steps": steps, "guidance_scale": 7.5, "resolution": setup.resolution}
    with torch.no_grad():
        generate(pipeline, PROMPT, 0, **options)
        plain_diffusers.sync(setup.device)
        start = time.perf_counter()
        for seed in range(1, images + 1):
            generate(pipeline, PROMPT, seed, **options)
        plain_diffusers.sync(setup.device)
    return images / (time.perf_counter() - start)


def measure(memory: PeakMemory, fn, what: str = ""):
    if what:
        print(f"... {what}", file=sys.stderr, flush=True)
    free_memory()
    memory.reset()
    value = fn()
    return value, memory.peak_gib()


def bench_method(name: str, args, setup: plain_diffusers.Setup, memory: PeakMemory) -> dict:
    (train_rate, result), train_peak = measure(
        memory, lambda: ours_training(name, args, setup), f"{name}: ours, training"
    )
    pipeline, notes = result.pipeline, result.notes
    del result
    row = {"ours": {"train_steps_per_s": train_rate, "train_peak_gib": train_peak, "notes": notes}}
    row["ours"]["images_per_s"], row["ours"]["sample_peak_gib"] = measure(
        memory, lambda: ours_sampling(pipeline, setup, args.inference_steps, args.images), f"{name}: ours, sampling"
    )
    plain = row["diffusers"] = {}
    plain["images_per_s"], plain["sample_peak_gib"] = measure(
        memory,
        lambda: plain_diffusers.sampling(pipeline, setup, PROMPT, args.inference_steps, args.images),
        f"{name}: diffusers, sampling",
    )
    del pipeline
    trainer = plain_diffusers.PLAIN_TRAINERS.get(name)
    if trainer is not None:
        instance, class_images = noise_images(3, setup.resolution, 0), noise_images(2, setup.resolution, 1)
        plain["train_steps_per_s"], plain["train_peak_gib"] = measure(
            memory, lambda: trainer(setup, instance, class_images), f"{name}: diffusers, training"
        )
    free_memory()
    return row


def calibrate(args, device: torch.device) -> dict:
    """Time one UNet call of the paper's sampler (batch 2 at 64x64 latents) on
    the full-size UNet, and the same call on the measured model, so the FLOP
    scaling is checked against a real full-size measurement on this machine."""
    print("... calibration: one full-size UNet call", file=sys.stderr, flush=True)
    out = {}
    for label, width, resolution in (("full", 1.0, PAPER["resolution"]), ("measured", args.width, args.resolution)):
        torch.manual_seed(0)
        unet = build_unet(width).to(device).eval()
        side = resolution // 8
        x = torch.randn(2, 4, side, side, device=device)
        h = torch.randn(2, 77, unet.config.cross_attention_dim, device=device)
        t = torch.tensor([500, 500], device=device)
        with torch.no_grad():
            unet(x[:, :, :8, :8], t, h)  # warm-up at a tiny size
            plain_diffusers.sync(device)
            start = time.perf_counter()
            unet(x, t, h)
            plain_diffusers.sync(device)
        out[label] = time.perf_counter() - start
        del unet
        free_memory()
    measured_ratio = out["full"] / out["measured"]
    flop_ratio = sampling_flops(1.0, PAPER["resolution"], 1) / sampling_flops(args.width, args.resolution, 1)
    return {"unet_call_s": out, "time_ratio": measured_ratio, "flop_ratio": flop_ratio}


def study_estimate(results: dict, args, calibration: dict | None) -> dict:
    """Wall time of the paper's study on this device: 15 subjects x every
    method x {baseline, SID} runs, each 1,000 training steps and 25 prompts
    x 20 seeds sampled at 50 DDIM steps. Class images for the prior are left
    out (cached per class and shared by runs)."""
    train_scale = training_flops(1.0, PAPER["resolution"]) / training_flops(args.width, args.resolution)
    sample_scale = sampling_flops(1.0, PAPER["resolution"], PAPER["inference_steps"]) / sampling_flops(
        args.width, args.resolution, args.inference_steps
    )
    # FLOPs say how much more work the paper's size is; the calibration says
    # how much faster this machine does big work than small work.
    efficiency = calibration["time_ratio"] / calibration["flop_ratio"] if calibration else 1.0
    runs = 2 * PAPER["subjects"]
    per_method, total = {}, 0.0
    for name, r in results.items():
        step_s = train_scale * efficiency / r["ours"]["train_steps_per_s"]
        image_s = sample_scale * efficiency / r["ours"]["images_per_s"]
        run_s = PAPER["train_steps"] * step_s + PAPER["prompts"] * PAPER["seeds"] * image_s
        per_method[name] = {"step_s": step_s, "image_s": image_s, "run_h": run_s / 3600, "runs": runs}
        total += runs * run_s
    return {
        "train_scale": train_scale,
        "sample_scale": sample_scale,
        "efficiency": efficiency,
        "per_method": per_method,
        "total_h": total / 3600,
    }


def defaults(args) -> bool:
    """Fill unset options: the paper's settings on a GPU, a reduced run on CPU.
    Returns True when the run is reduced."""
    gpu = args.device.type == "cuda"
    args.width = args.width or (1.0 if gpu else 0.25)
    args.resolution = args.resolution or (512 if gpu else 256)
    args.inference_steps = args.inference_steps or (50 if gpu else 10)
    args.train_steps = args.train_steps or (10 if gpu else 1)
    args.warmup = args.warmup or (2 if gpu else 1)
    args.images = args.images or (3 if gpu else 1)
    return (args.width, args.resolution, args.inference_steps) != (1.0, PAPER["resolution"], PAPER["inference_steps"])


def report(results: dict, args, device_name: str, reduced: bool, memory: PeakMemory, estimate: dict, calibration):
    tag = "REDUCED " if reduced else ""
    model = args.model or f"random stable-diffusion-2-1-base architecture, width x{args.width}"
    print(f"{tag}model: {model}")
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"load average (1, 5, 15 min) at the end: {load} on {os.cpu_count()} CPUs")
    print(
        f"{tag}device: {device_name}; {args.resolution} px, batch 1 (+1 class image for the prior), "
        f"DDIM {args.inference_steps} steps, CFG 7.5, mixed precision {args.mixed_precision}; "
        f"{args.train_steps} timed steps after {args.warmup} warm-up, {args.images} timed images after 1"
    )
    if reduced:
        print(
            "REDUCED: not the paper's settings (512 px, full width, DDIM 50); figures below are for this "
            "reduced model and are NOT the paper's cost. Run on a GPU for those."
        )
    head = f"{'method':20}{'side':11}{'train steps/s':>14}{'peak GiB':>10}{'images/s':>11}{'peak GiB':>10}"
    print(f"\n{head}    peak = {memory.what} during that phase")
    f = lambda v, spec: "-" if v is None else format(v, spec)  # noqa: E731
    for name, r in results.items():
        for side in ("ours", "diffusers"):
            s = r[side]
            print(
                f"{name:20}{side:11}{f(s.get('train_steps_per_s'), '.4f'):>14}{f(s.get('train_peak_gib'), '.2f'):>10}"
                f"{f(s.get('images_per_s'), '.4f'):>11}{f(s.get('sample_peak_gib'), '.2f'):>10}"
            )
        for note in r["ours"]["notes"]:
            print(f"{'':20}note: {note}")
    if calibration:
        c = calibration
        print(
            f"\ncalibration: one full-size UNet call (batch 2, 64x64 latents) took {c['unet_call_s']['full']:.2f} s, "
            f"the measured model's {c['unet_call_s']['measured']:.3f} s: x{c['time_ratio']:.1f} in time for "
            f"x{c['flop_ratio']:.1f} in FLOPs"
        )
    e = estimate
    scaled_by = f"efficiency x{e['efficiency']:.2f} from the calibration" if calibration else "no calibration"
    source = (
        f"EXTRAPOLATED from the {tag.strip().lower() or 'measured'} run above by FLOPs (x{e['train_scale']:.1f} per "
        f"training step, x{e['sample_scale']:.1f} per image, {scaled_by})"
        if reduced
        else "from the measured rates above"
    )
    print(f"\nPaper's study on {device_name}, {source}:")
    for name, m in e["per_method"].items():
        print(
            f"  {name:20} {m['step_s']:.2f} s/step, {m['image_s']:.1f} s/image -> {m['run_h']:.1f} h per run "
            f"x {m['runs']} runs (15 subjects x baseline/SID)"
        )
    print(f"  total: {e['total_h']:.0f} h = {e['total_h'] / 24:.1f} days on one {device_name} (class images excluded)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", type=Path, help="local Stable Diffusion folder (default: random sd-2.1-base)")
    parser.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    parser.add_argument("--width", type=float, help="channel scale of the random model (1 = real; CPU default 0.25)")
    parser.add_argument("--resolution", type=int, help="pixels (default 512; 256 on CPU)")
    parser.add_argument("--inference-steps", type=int, help="DDIM steps (default 50; 10 on CPU)")
    parser.add_argument("--train-steps", type=int, help="timed training steps per method (default 10; 1 on CPU)")
    parser.add_argument("--warmup", type=int, help="untimed first training steps (default 2; 1 on CPU)")
    parser.add_argument("--images", type=int, help="timed images per side and method (default 3; 1 on CPU)")
    parser.add_argument("--mixed-precision", choices=["no", "fp16", "bf16"], default="no")
    parser.add_argument("--methods", nargs="*", help=f"subset of {list(METHODS)}")
    parser.add_argument("--no-calibrate", action="store_true", help="skip the full-size UNet timing")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    args.device = torch.device(args.device)
    reduced = defaults(args)
    if args.model is not None and args.width != 1.0:
        parser.error("--width applies to the random model only")
    names = args.methods or list(METHODS)
    memory = PeakMemory(args.device)
    device_name = (
        torch.cuda.get_device_name(args.device)
        if args.device.type == "cuda"
        else f"CPU ({platform.processor() or platform.machine()}, {torch.get_num_threads()} threads)"
    )

    with tempfile.TemporaryDirectory() as tmp:
        model = args.model or build_sd21_base(Path(tmp) / "sd21-base", width=args.width)
        setup = plain_diffusers.Setup(
            model=str(model),
            device=args.device,
            resolution=args.resolution,
            mixed_precision=args.mixed_precision,
            steps=args.train_steps,
            warmup=args.warmup,
            caption=CAPTION,
            class_prompt=CLASS_PROMPT,
            identifier=IDENTIFIER,
            class_noun=CLASS_NOUN,
        )
        results = {}
        for name in names:
            results[name] = bench_method(name, args, setup, memory)
    calibration = None if (not reduced or args.no_calibrate or args.model) else calibrate(args, args.device)
    estimate = study_estimate(results, args, calibration)
    report(results, args, device_name, reduced, memory, estimate, calibration)
    if args.json:
        config = {k: str(v) for k, v in vars(args).items()}
        payload = {"config": config, "reduced": reduced, "device": device_name, "memory": memory.what}
        payload.update(methods=results, calibration=calibration, estimate=estimate)
        args.json.write_text(json.dumps(payload, indent=2))


if __name__ == "__main__":
    main()
