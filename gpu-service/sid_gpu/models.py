"""Resolve a model name from a job payload to a local directory.

Research GPUs usually have no internet, and a job must never trigger a
multi-gigabyte download it did not announce. So names are looked up, in
order, as:
  1. `<model_dir>/<name>` (e.g. /models/stabilityai/stable-diffusion-2-1-base)
  2. an absolute path
  3. the local Hugging Face cache, with local_files_only=True
and anything else is a `ConfigError` telling the admin how to pre-download it.
"""

from __future__ import annotations

import gc
from pathlib import Path

import torch
from diffusers import StableDiffusionPipeline
from huggingface_hub import snapshot_download
from huggingface_hub.errors import LocalEntryNotFoundError

from .errors import ConfigError


def resolve_model(name: str, model_dir: str | Path | None = None, cache_dir: str | Path | None = None) -> Path:
    if model_dir is not None:
        candidate = Path(model_dir) / name
        if candidate.is_dir():
            return candidate
    path = Path(name)
    if path.is_absolute():
        if path.is_dir():
            return path
        raise ConfigError(f"model path {name} does not exist on this worker")
    try:
        return Path(snapshot_download(repo_id=name, local_files_only=True, cache_dir=cache_dir))
    except (LocalEntryNotFoundError, ValueError) as exc:
        where = f"{model_dir}/{name} nor " if model_dir is not None else ""
        raise ConfigError(
            f"model {name!r} is not available offline on this worker: found neither {where}"
            f"a copy in the Hugging Face cache. Pre-download it on a machine with internet "
            f"(hf download {name}) and copy the cache, or pass --model-dir."
        ) from exc


def load_pipeline(path: str | Path, device: torch.device) -> StableDiffusionPipeline:
    """A Stable Diffusion pipeline in fp32 (training keeps fp32 master weights;
    mixed precision is applied by autocast). No safety checker: these are
    research samples of ordinary subjects, and its false positives (black
    squares) would silently corrupt a study."""
    pipeline = StableDiffusionPipeline.from_pretrained(
        path, local_files_only=True, safety_checker=None, requires_safety_checker=False
    )
    pipeline.set_progress_bar_config(disable=True)
    return pipeline.to(device)


def free_memory() -> None:
    """Give memory held by dropped models (and tracebacks) back, so the next
    stage or job starts with the whole GPU."""
    gc.collect()
    if torch.cuda.is_available():
        torch.cuda.empty_cache()
