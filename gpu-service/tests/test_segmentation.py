"""Grounded-SAM (GroundingDINO + SAM through transformers) on tiny random models."""

import numpy as np
import torch

from conftest import make_payload, make_reference
from fake_app import FakeApp
from sid_gpu.segmentation import GroundedSam
from sid_gpu.tiny_models import GROUNDING_NAME, SAM_NAME
from test_worker import run_worker


def test_grounded_sam_gives_a_box_and_a_mask_of_the_image_size(model_dir):
    segmenter = GroundedSam(model_dir / GROUNDING_NAME, model_dir / SAM_NAME, torch.device("cpu"), box_threshold=0.0)
    image, _ = make_reference(0)
    box = segmenter.box(image, "dog")
    assert box is not None and len(box) == 4
    x0, y0, x1, y1 = box
    assert 0 <= x0 <= x1 <= image.width + 1e-3 and 0 <= y0 <= y1 <= image.height + 1e-3
    mask = segmenter.mask(image, "dog")
    assert mask is None or (mask.shape == (image.height, image.width) and mask.dtype == np.bool_)


def test_a_job_with_grounded_sam_segmentation(model_dir, tmp_path):
    with FakeApp() as app:
        payload = make_payload(
            app.add_blob,
            n_images=2,
            attention_maps=False,
            metrics={"segmentation": "grounded_sam"},
            training={"prior_preservation": False},
        )
        for ref in payload["reference_images"]:
            ref["mask_sha256"] = None  # not needed: the worker segments itself
        job_id = app.add_job(payload)
        run_worker(app, model_dir, tmp_path)
        # Random weights segment something or nothing; either way the job ends
        # cleanly: with both subject measures, or failed for good saying so.
        if job_id in app.completed:
            metrics = app.completed[job_id]["run_metrics"]
            assert metrics["subject_alignment"] is not None and metrics["non_subject_disentanglement"] is not None
        else:
            assert app.failed[job_id]["retryable"] is False
            assert "found no 'dog'" in app.failed[job_id]["error"]
