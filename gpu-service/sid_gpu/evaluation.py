"""The metrics stage of a job: segment references, embed, score (metrics.py)."""

from __future__ import annotations

import logging

import numpy as np
import torch
from PIL import Image

from .errors import ConfigError
from .metrics import ClipEmbedder, SampleScores, mean_scores, score_samples
from .models import free_memory, resolve_model
from .progress import Reporter
from .protocol import RunPayload, SampleMetrics
from .sampling import Sample
from .segmentation import GroundedSam, mask_to_array, segments
from .settings import Settings

log = logging.getLogger(__name__)


def reference_masks(
    payload: RunPayload, references: list[Image.Image], uploaded: list[Image.Image], settings: Settings
) -> list[np.ndarray | None]:
    """One boolean mask per reference image (None: Grounded-SAM found no subject)."""
    if payload.metrics.segmentation == "uploaded_masks":
        return [mask_to_array(m, ref.size) for ref, m in zip(references, uploaded, strict=True)]
    segmenter = GroundedSam(
        resolve_model(settings.grounding_model, settings.model_dir),
        resolve_model(settings.sam_model, settings.model_dir),
        settings.device,
    )
    masks = [segmenter.mask(ref, payload.subject.class_noun) for ref in references]
    del segmenter
    free_memory()
    return masks


def evaluate(
    payload: RunPayload,
    references: list[Image.Image],
    uploaded_masks: list[Image.Image],
    samples: list[Sample],
    reporter: Reporter,
    settings: Settings,
) -> tuple[list[SampleMetrics], SampleMetrics]:
    """Per-sample metrics and their mean over the run."""
    reporter.report("metrics", 0.0, "segmenting reference images")
    subject_segs: list[Image.Image] = []
    other_segs: list[Image.Image] = []
    if payload.metrics.segmentation != "none":
        for i, (ref, mask) in enumerate(
            zip(references, reference_masks(payload, references, uploaded_masks, settings), strict=True)
        ):
            reporter.check()
            if mask is None:
                log.warning(
                    "no %r found in reference image %d: left out of the subject measures", payload.subject.class_noun, i
                )
                continue
            subject, other = segments(ref, mask)
            subject_segs.append(subject)
            other_segs.append(other)
        if not subject_segs:
            raise ConfigError(f"segmentation found no {payload.subject.class_noun!r} in any reference image")

    reporter.report("metrics", 0.3, "CLIP embeddings")
    embedder = ClipEmbedder(resolve_model(payload.metrics.clip_model, settings.model_dir), settings.device)
    with torch.no_grad():
        generated = embedder.images([s.image for s in samples])
        # Eq. 3 scores each image against its prompt with [v] removed: CLIP
        # does not know the identifier.
        texts = embedder.texts([s.prompt_without_identifier for s in samples])
        subject = embedder.images(subject_segs) if subject_segs else None
        other = embedder.images(other_segs) if other_segs else None
    scores = score_samples(generated, texts, subject, other)
    reporter.report("metrics", 1.0, "metrics done")

    def to_message(s: SampleScores) -> SampleMetrics:
        return SampleMetrics.model_validate(s, from_attributes=True)

    return [to_message(s) for s in scores], to_message(mean_scores(scores))
