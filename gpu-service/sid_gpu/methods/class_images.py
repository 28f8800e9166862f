"""Class images for DreamBooth's prior preservation, generated and cached.

The payload carries no class images, so they come from the base model itself
(as in diffusers' train_dreambooth.py): `num_class_images` samples of
`class_prompt`. They depend only on (base model, prompt, resolution, steps),
not on the subject, and generating 200 of them costs minutes, so they are
kept on disk and reused by every later run of the same class.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from pathlib import Path

from diffusers import StableDiffusionPipeline
from PIL import Image

from ..progress import Reporter
from ..sampling import generate, use_ddim

CLASS_IMAGE_GUIDANCE = 7.5


def _cache_key(pipeline: StableDiffusionPipeline, prompt: str, resolution: int, steps: int) -> str:
    ident = {
        "model": str(pipeline.name_or_path),
        "prompt": prompt,
        "resolution": resolution,
        "steps": steps,
        "guidance": CLASS_IMAGE_GUIDANCE,
    }
    return hashlib.sha256(json.dumps(ident, sort_keys=True).encode()).hexdigest()[:16]


def class_images(
    pipeline: StableDiffusionPipeline,
    prompt: str,
    count: int,
    resolution: int,
    reporter: Reporter,
    *,
    cache_dir: Path | None,
    num_inference_steps: int = 50,
) -> list[Image.Image]:
    """Return `count` images of `prompt`. Image i always uses seed i, so a
    cache filled in part (a job cancelled half-way) is completed consistently."""
    folder = None
    if cache_dir is not None:
        folder = Path(cache_dir) / "class_images" / _cache_key(pipeline, prompt, resolution, num_inference_steps)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "prompt.txt").write_text(prompt)
    use_ddim(pipeline)
    images: list[Image.Image] = []
    for i in range(count):
        reporter.check()
        path = folder / f"{i:05d}.png" if folder is not None else None
        if path is not None and path.exists():
            with Image.open(path) as im:
                images.append(im.convert("RGB"))
        else:
            image = generate(
                pipeline,
                prompt,
                seed=i,
                num_inference_steps=num_inference_steps,
                guidance_scale=CLASS_IMAGE_GUIDANCE,
                resolution=resolution,
                reporter=reporter,
            )
            if path is not None:
                # Write then rename: a worker killed mid-write leaves no half
                # PNG, and workers sharing the cache never write one file.
                tmp = path.with_name(f"{path.name}.{uuid.uuid4().hex}.tmp")
                image.save(tmp, format="PNG")
                tmp.replace(path)
            images.append(image)
        reporter.report("class_images", (i + 1) / count, f"class image {i + 1}/{count} ({prompt!r})")
    return images
