"""Shared fixtures: tiny random-weight models built in code, reference images
with masks, and a builder for valid `dreambooth_run` payloads.

Nothing is downloaded: the models are built by sid_gpu.tiny_models (the
architectures of Stable Diffusion and CLIP at toy sizes, a CLIP tokenizer
from a vocab.json + merges.txt written on the spot) and saved with
save_pretrained like real model folders.
"""

from __future__ import annotations

import copy
import hashlib
import io
import os
import uuid
from pathlib import Path

# The tests must never reach a hub, whatever the environment says.
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"

import numpy as np
import pytest
import torch
from PIL import Image

from sid_gpu.models import load_pipeline
from sid_gpu.tiny_models import CLIP_NAME, SD_NAME, TINY_RESOLUTION, build_tiny_sd, write_tiny_models

# One thread: the tensors are tiny, and on a small shared machine OpenMP's
# spinning threads slow the suite down several times under load.
torch.set_num_threads(1)


@pytest.fixture(scope="session")
def model_dir(tmp_path_factory) -> Path:
    """Tiny SD and CLIP stored under the default names, as for --model-dir."""
    root = tmp_path_factory.mktemp("models")
    write_tiny_models(root)
    return root


@pytest.fixture(scope="session")
def sd_path(model_dir) -> Path:
    return model_dir / SD_NAME


@pytest.fixture(scope="session")
def clip_path(model_dir) -> Path:
    return model_dir / CLIP_NAME


@pytest.fixture(scope="session")
def sd_v_path(tmp_path_factory) -> Path:
    """The same toy with a v-prediction scheduler (like SD 2.1-768)."""
    return build_tiny_sd(tmp_path_factory.mktemp("sd-v") / "sd", prediction_type="v_prediction")


@pytest.fixture
def pipeline(sd_path):
    return load_pipeline(sd_path, torch.device("cpu"))


def make_reference(seed: int, size: tuple[int, int] = (40, 48)) -> tuple[Image.Image, Image.Image]:
    """A noise picture with a bright 'subject' rectangle, and its mask."""
    rng = np.random.default_rng(seed)
    w, h = size
    pixels = rng.integers(0, 120, (h, w, 3), dtype=np.uint8)
    mask = np.zeros((h, w), dtype=np.uint8)
    mask[10 + seed : 30, 8 : 24 + seed] = 255
    pixels[mask > 0] = (230, 200, 40)
    return Image.fromarray(pixels), Image.fromarray(mask)


def png(image: Image.Image) -> bytes:
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    return buf.getvalue()


CAPTIONS = [
    "a sks dog sitting on a red couch",
    "a sks dog in the snow with a blue hat",
    "a sks dog on the beach",
]

BASE_PAYLOAD = {
    "run_id": str(uuid.UUID(int=1)),
    "method": "dreambooth",
    "description_case": 3,
    "subject": {"id": str(uuid.UUID(int=2)), "name": "dog6", "class_noun": "dog", "identifier": "sks", "kind": "live"},
    "reference_images": [],
    "training": {
        "model": SD_NAME,
        "steps": 2,
        "learning_rate": 1e-4,
        "batch_size": 1,
        "resolution": TINY_RESOLUTION,
        "train_text_encoder": True,
        "prior_preservation": True,
        "prior_loss_weight": 1.0,
        "num_class_images": 1,
        "class_prompt": "a dog",
        "seed": 0,
        "mixed_precision": "no",
        "gradient_checkpointing": False,
        "use_8bit_adam": False,
    },
    "sampling": {
        "prompts": [{"prompt": "a sks dog in the snow", "prompt_without_identifier": "a dog in the snow"}],
        "seeds": [0, 1],
        "num_inference_steps": 2,
        "guidance_scale": 7.5,
        "negative_prompt": None,
    },
    "metrics": {"enabled": True, "clip_model": CLIP_NAME, "segmentation": "uploaded_masks"},
    "attention_maps": True,
}


def make_payload(add_blob=None, n_images: int = 3, **overrides) -> dict:
    """A valid payload; `add_blob(bytes) -> sha256` stores the reference
    images and masks (in the fake app). `overrides` replace top-level keys or,
    for dicts, merge into them."""
    payload = copy.deepcopy(BASE_PAYLOAD)
    for i in range(n_images):
        image, mask = make_reference(i)
        image_bytes, mask_bytes = png(image), png(mask)
        store = add_blob or (lambda data: hashlib.sha256(data).hexdigest())
        sha, mask_sha = store(image_bytes), store(mask_bytes)
        payload["reference_images"].append(
            {
                "sha256": sha,
                "url": f"/api/worker/blobs/{sha}",
                "caption": CAPTIONS[i % len(CAPTIONS)],
                "mask_sha256": mask_sha,
            }
        )
    for key, value in overrides.items():
        if isinstance(value, dict) and isinstance(payload.get(key), dict):
            payload[key].update(value)
        else:
            payload[key] = value
    return payload
