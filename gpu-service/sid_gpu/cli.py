"""`sid-gpu` command line.

sid-gpu worker --app-url https://studio.example.org --token $TOKEN [--model-dir /models]
               [--name NAME] [--once] [--device cpu|cuda] ...
sid-gpu tiny-models DIR   # toy random-weight models under the default names
sid-gpu train DATASET.zip --model PATH --out DIR --class-noun dog [--identifier sks] [--steps N]
              # train from the app's dataset export (images + metadata.jsonl), no app needed
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import socket
import sys
from pathlib import Path

import torch

from . import __version__
from .settings import Settings  # light: neither imports huggingface_hub


def _default_name() -> str:
    # Slurm array tasks on one node must not share a name.
    task = os.environ.get("SLURM_ARRAY_TASK_ID") or os.environ.get("SLURM_PROCID")
    return f"{socket.gethostname()}/{task or os.getpid()}"


def _parser(defaults: Settings) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sid-gpu", description="SID Studio GPU worker")
    parser.add_argument("--version", action="version", version=f"sid-gpu {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    w = sub.add_parser("worker", help="claim and run jobs from the app")
    w.add_argument("--app-url", required=True, help="base URL of the SID Studio app")
    w.add_argument(
        "--token", default=os.environ.get("SID_WORKER_TOKEN"), help="worker token (default: $SID_WORKER_TOKEN)"
    )
    w.add_argument("--model-dir", type=Path, help="folder with models stored as <dir>/<org>/<name>")
    w.add_argument("--name", default=_default_name(), help="worker name shown in the app")
    w.add_argument("--once", action="store_true", help="exit after one job")
    w.add_argument(
        "--idle-exit",
        type=float,
        metavar="SECONDS",
        help="exit after this long without a job (frees a batch allocation)",
    )
    w.add_argument("--device", choices=["cpu", "cuda"], help="default: cuda when available")
    w.add_argument(
        "--cache-dir",
        type=Path,
        default=Path.home() / ".cache" / "sid-gpu",
        help="where generated class images are kept between runs",
    )
    w.add_argument(
        "--class-image-steps",
        type=int,
        default=defaults.class_image_steps,
        help="DDIM steps per class image (default: %(default)s)",
    )
    w.add_argument(
        "--grounding-model",
        default=defaults.grounding_model,
        help="GroundingDINO model for segmentation=grounded_sam (default: %(default)s)",
    )
    w.add_argument(
        "--sam-model", default=defaults.sam_model, help="SAM model for segmentation=grounded_sam (default: %(default)s)"
    )
    w.add_argument("--wait-seconds", type=int, default=20, help="long-poll time of a claim (max 30)")
    w.add_argument("--log-level", default="INFO")

    tr = sub.add_parser("train", help="train from a dataset ZIP exported by the app (no app needed)")
    tr.add_argument("dataset", type=Path, help="the ZIP: images plus metadata.jsonl")
    tr.add_argument("--model", required=True, help="Stable Diffusion folder (diffusers layout)")
    tr.add_argument("--out", type=Path, required=True, help="where the trained pipeline is saved")
    tr.add_argument("--class-noun", required=True)
    tr.add_argument("--identifier", default="sks")
    tr.add_argument("--method", choices=["dreambooth", "textual_inversion"], default="dreambooth")
    tr.add_argument("--steps", type=int, default=1000, help="default: %(default)s, as in the paper (C.2)")
    tr.add_argument("--learning-rate", type=float, default=5e-6)
    tr.add_argument("--resolution", type=int, default=512)
    tr.add_argument("--seed", type=int, default=0)
    tr.add_argument("--device", choices=["cpu", "cuda"], help="default: cuda when available")

    t = sub.add_parser("tiny-models", help="write tiny random-weight SD and CLIP models (for testing without weights)")
    t.add_argument("dir", type=Path)
    return parser


def run_worker(args: argparse.Namespace) -> int:
    if not args.token:
        print("sid-gpu: no token: pass --token or set SID_WORKER_TOKEN", file=sys.stderr)
        return 2
    logging.basicConfig(level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    from .client import AppClient
    from .worker import Worker

    device = args.device or ("cuda" if torch.cuda.is_available() else "cpu")
    if device == "cuda" and not torch.cuda.is_available():
        print("sid-gpu: --device cuda but no CUDA device is visible", file=sys.stderr)
        return 2
    settings = Settings(
        device=torch.device(device),
        model_dir=args.model_dir,
        cache_dir=args.cache_dir,
        class_image_steps=args.class_image_steps,
        grounding_model=args.grounding_model,
        sam_model=args.sam_model,
    )
    client = AppClient(args.app_url, args.token)
    worker = Worker(
        client, settings, args.name, once=args.once, wait_seconds=args.wait_seconds, idle_exit_seconds=args.idle_exit
    )

    def on_signal(signum: int, frame: object) -> None:
        if worker.shutdown.is_set():
            raise SystemExit(128 + signum)  # a second signal: stop now
        logging.getLogger(__name__).warning("signal %d: finishing the current step, then exiting", signum)
        worker.request_shutdown()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    logging.getLogger(__name__).info("worker %s on %s polling %s", args.name, device, args.app_url)
    try:
        worker.serve()
    finally:
        client.close()
    return 0


def run_train(args: argparse.Namespace) -> int:
    from .dataset import read_dataset_zip
    from .errors import ConfigError
    from .methods import dreambooth, textual_inversion
    from .methods.common import TrainSpec
    from .models import load_pipeline
    from .protocol import TrainingConfig

    logging.basicConfig(level="INFO", format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    device = torch.device(args.device or ("cuda" if torch.cuda.is_available() else "cpu"))
    try:
        examples = read_dataset_zip(args.dataset)
        config = TrainingConfig(
            model=str(args.model),
            steps=args.steps,
            learning_rate=args.learning_rate,
            batch_size=1,
            resolution=args.resolution,
            train_text_encoder=args.method == "dreambooth",
            prior_preservation=False,
            prior_loss_weight=1.0,
            num_class_images=0,
            class_prompt=f"a {args.class_noun}",
            seed=args.seed,
            mixed_precision="no",
            gradient_checkpointing=False,
            use_8bit_adam=False,
        )
        recipe = dreambooth if args.method == "dreambooth" else textual_inversion
        spec = TrainSpec(examples, config, args.identifier, args.class_noun)
        result = recipe.train(load_pipeline(args.model, device), spec)
    except ConfigError as e:
        print(f"sid-gpu: {e}", file=sys.stderr)
        return 2
    result.save(args.out)
    print(f"trained {args.method} on {len(examples)} images, {config.steps} steps, final loss {result.final_loss}")
    print(f"saved to {args.out}")
    return 0


def main(argv: list[str] | None = None) -> int:
    # Set before huggingface_hub/transformers are imported (below, lazily;
    # they read these once): nothing this command runs ever fetches a model.
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    args = _parser(Settings()).parse_args(argv)
    if args.command == "worker":
        return run_worker(args)
    if args.command == "train":
        return run_train(args)
    from .tiny_models import write_tiny_models

    for name, path in write_tiny_models(args.dir).items():
        print(f"{name} -> {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
