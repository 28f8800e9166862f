"""One `dreambooth_run` job, end to end.

    references -> train (method) -> sample prompts x seeds (+ attention maps)
               -> metrics (Eqs. 1-3) -> upload PNGs -> the `complete` body

The worker (worker.py) owns the lease, heartbeats and error reporting; this
module only needs somewhere to fetch and put blobs and a Reporter.
"""

from __future__ import annotations

import io
import time
from typing import Protocol

import torch
from PIL import Image, UnidentifiedImageError

from .errors import ConfigError
from .evaluation import evaluate
from .methods import custom_diffusion, dreambooth, lora, svdiff, textual_inversion
from .methods.common import Example, TrainSpec
from .models import free_memory, load_pipeline, resolve_model
from .progress import Reporter
from .protocol import CompleteRequest, RunPayload, SampleResult, SamplingSummary, TrainingSummary
from .sampling import sample_all
from .settings import Settings

METHODS = {
    "dreambooth": dreambooth.train,
    "textual_inversion": textual_inversion.train,
    "custom_diffusion": custom_diffusion.train,
    "svdiff": svdiff.train,
    "lora": lora.train,
}


class Blobs(Protocol):
    def get(self, sha256: str, url: str | None = None) -> bytes: ...

    def put(self, data: bytes, content_type: str) -> str: ...


def decode_image(data: bytes, what: str) -> Image.Image:
    try:
        with Image.open(io.BytesIO(data)) as im:
            im.load()
            return im.copy()
    except (UnidentifiedImageError, OSError) as exc:
        raise ConfigError(f"{what} is not a readable image: {exc}") from exc


def png_bytes(image: Image.Image) -> bytes:
    # PIL writes no timestamps, so the same pixels always give the same bytes
    # and the same sha256: a retried job re-uploads identical blobs.
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    return buf.getvalue()


def run_job(
    payload: RunPayload, lease_id: str, blobs: Blobs, reporter: Reporter, settings: Settings
) -> CompleteRequest:
    # 1. Reference images (the client checks each sha256) and, when the
    #    metrics use them, their masks.
    reporter.report("training", 0.0, "fetching reference images")
    examples, masks = [], []
    for i, ref in enumerate(payload.reference_images):
        examples.append(Example(decode_image(blobs.get(ref.sha256, ref.url), f"reference image {i}"), ref.caption))
        if payload.metrics.enabled and payload.metrics.segmentation == "uploaded_masks":
            masks.append(decode_image(blobs.get(ref.mask_sha256), f"mask of reference image {i}"))

    # 2. The base model, from local files only.
    reporter.report("training", 0.0, f"loading {payload.training.model}")
    model_path = resolve_model(payload.training.model, settings.model_dir)
    pipeline = load_pipeline(model_path, settings.device)

    # 3. Train.
    spec = TrainSpec(
        examples=examples,
        config=payload.training,
        identifier=payload.subject.identifier,
        class_noun=payload.subject.class_noun,
        reporter=reporter,
        cache_dir=settings.cache_dir,
        class_image_steps=settings.class_image_steps,
    )
    result = METHODS[payload.method](pipeline, spec)
    training = TrainingSummary(
        steps=len(result.losses), final_loss=result.final_loss, seconds=result.seconds, losses=result.losses
    )

    # 4. Sample every prompt x seed.
    started = time.perf_counter()
    with torch.no_grad():
        samples = sample_all(result.pipeline, payload, reporter)
    sampling_seconds = time.perf_counter() - started

    # 5. Free the trained model before loading the metric models.
    del pipeline, result
    free_memory()

    # 6. Metrics.
    per_sample, run_metrics = None, None
    if payload.metrics.enabled:
        per_sample, run_metrics = evaluate(payload, [e.image for e in examples], masks, samples, reporter, settings)

    # 7. Upload pictures, then describe them.
    results = []
    for i, s in enumerate(samples):
        reporter.check()
        sha = blobs.put(png_bytes(s.image), "image/png")
        attention_sha = blobs.put(png_bytes(s.attention), "image/png") if s.attention is not None else None
        results.append(
            SampleResult(
                prompt=s.prompt,
                seed=s.seed,
                sha256=sha,
                metrics=per_sample[i] if per_sample is not None else None,
                attention_map_sha256=attention_sha,
            )
        )
        reporter.report("uploading", (i + 1) / len(samples), f"uploaded {i + 1}/{len(samples)}")

    return CompleteRequest(
        lease_id=lease_id,
        samples=results,
        run_metrics=run_metrics,
        training=training,
        sampling=SamplingSummary(seconds=sampling_seconds, images=len(samples)),
    )
