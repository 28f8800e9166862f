"""The worker loop end to end against a real HTTP test double of the app."""

import io
import threading

import numpy as np
import pytest
import torch
from PIL import Image

from conftest import make_payload
from fake_app import FakeApp
from sid_gpu.client import AppClient
from sid_gpu.settings import Settings
from sid_gpu.worker import Worker


def run_worker(app: FakeApp, model_dir, tmp_path, **kwargs) -> Worker:
    client = AppClient(app.url, app.token, backoff_seconds=0.01, max_backoff_seconds=0.05)
    settings = Settings(device=torch.device("cpu"), model_dir=model_dir, cache_dir=tmp_path, class_image_steps=2)
    worker = Worker(client, settings, "test-worker", once=True, wait_seconds=1, **kwargs)
    worker.serve()
    return worker


def test_claims_heartbeats_uploads_and_completes(model_dir, tmp_path):
    with FakeApp() as app:
        job_id = app.add_job(make_payload(app.add_blob))
        run_worker(app, model_dir, tmp_path)

        assert job_id in app.completed and not app.failed
        body = app.completed[job_id]
        # Heartbeats (samples of the job's state every lease/4 seconds) moved
        # through the stages in order: preparation is reported as training at
        # progress 0, then class images, training, sampling, metrics, uploads.
        stages = [h["stage"] for h in app.heartbeats]
        transitions = [s for i, s in enumerate(stages) if i == 0 or stages[i - 1] != s]
        expected = iter(["training", "class_images", "training", "sampling", "metrics", "uploading"])
        assert all(stage in expected for stage in transitions), transitions
        assert all(0 <= h["progress"] <= 1 for h in app.heartbeats)

        # One sample per (prompt, seed), uploaded as PNGs, with attention maps
        # and the three metrics.
        assert [(s["prompt"], s["seed"]) for s in body["samples"]] == [
            ("a sks dog in the snow", 0),
            ("a sks dog in the snow", 1),
        ]
        for s in body["samples"]:
            assert Image.open(io.BytesIO(app.blobs[s["sha256"]])).format == "PNG"
            assert s["attention_map_sha256"] in app.blobs
            assert set(s["metrics"]) == {"subject_alignment", "non_subject_disentanglement", "text_alignment"}
            assert all(np.isfinite(v) for v in s["metrics"].values())
        run = body["run_metrics"]
        assert run["text_alignment"] == pytest.approx(
            np.mean([s["metrics"]["text_alignment"] for s in body["samples"]])
        )
        assert body["training"]["steps"] == 2 and len(body["training"]["losses"]) == 2
        assert body["sampling"]["images"] == 2
        # Uploads happened before complete and carried the job's lease.
        assert app.paths("PUT") and app.log[-1][1].endswith("/complete")


def test_segmentation_none_gives_only_text_alignment(model_dir, tmp_path):
    with FakeApp() as app:
        payload = make_payload(
            app.add_blob,
            n_images=1,
            attention_maps=False,
            metrics={"segmentation": "none"},
            training={"prior_preservation": False},
        )
        job_id = app.add_job(payload)
        run_worker(app, model_dir, tmp_path)
        sample = app.completed[job_id]["samples"][0]
        assert sample["metrics"]["subject_alignment"] is None
        assert sample["metrics"]["non_subject_disentanglement"] is None
        assert sample["attention_map_sha256"] is None


def test_cancel_via_heartbeat_stops_the_job(model_dir, tmp_path):
    with FakeApp() as app:
        app.cancel = True
        job_id = app.add_job(make_payload(app.add_blob, training={"steps": 10_000, "prior_preservation": False}))
        run_worker(app, model_dir, tmp_path)
        assert job_id not in app.completed
        assert app.failed[job_id]["cancelled"] is True and app.failed[job_id]["retryable"] is False
        assert not app.paths("PUT")


def test_lease_lost_aborts_without_reporting(model_dir, tmp_path):
    with FakeApp() as app:
        app.lease_lost = True
        job_id = app.add_job(make_payload(app.add_blob, training={"steps": 10_000, "prior_preservation": False}))
        run_worker(app, model_dir, tmp_path)
        assert job_id not in app.completed and job_id not in app.failed
        assert not [p for p in app.paths("POST") if p.endswith(("/complete", "/fail"))]


def test_shutdown_finishes_the_step_and_fails_retryable(model_dir, tmp_path):
    with FakeApp() as app:
        job_id = app.add_job(make_payload(app.add_blob, training={"steps": 10_000, "prior_preservation": False}))
        holder = {}

        def on_heartbeat(body):  # what SIGTERM's handler does, once training runs
            if body.stage == "training" and body.progress > 0:
                holder["worker"].request_shutdown()

        app.on_heartbeat = on_heartbeat
        client = AppClient(app.url, app.token)
        settings = Settings(model_dir=model_dir, cache_dir=tmp_path)
        holder["worker"] = Worker(client, settings, "w", wait_seconds=1)
        thread = threading.Thread(target=holder["worker"].serve)
        thread.start()
        thread.join(timeout=120)
        assert not thread.is_alive()
        assert app.failed[job_id]["retryable"] is True and app.failed[job_id]["cancelled"] is False


@pytest.mark.parametrize(
    "kind, payload_change, message",
    [
        ("render_video", {}, "does not run jobs of kind 'render_video'"),
        ("dreambooth_run", {"method": "dalle"}, "invalid job"),
        ("dreambooth_run", {"training": {"model": "org/not-downloaded"}}, "not available offline"),
    ],
)
def test_bad_jobs_fail_without_retry(model_dir, tmp_path, kind, payload_change, message):
    with FakeApp() as app:
        job_id = app.add_job(make_payload(app.add_blob, n_images=1, **payload_change), kind=kind)
        run_worker(app, model_dir, tmp_path)
        assert app.failed[job_id]["retryable"] is False
        assert message in app.failed[job_id]["error"]


def test_unexpected_errors_fail_retryable(model_dir, tmp_path):
    def broken(*args):
        raise RuntimeError("CUDA out of memory (simulated)")

    with FakeApp() as app:
        job_id = app.add_job(make_payload(app.add_blob, n_images=1))
        run_worker(app, model_dir, tmp_path, run=broken)
        assert app.failed[job_id]["retryable"] is True
        assert "CUDA out of memory (simulated)" in app.failed[job_id]["error"]
