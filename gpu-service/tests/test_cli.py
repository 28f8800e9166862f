"""The `sid-gpu` command: token handling and a real SIGTERM mid-job."""

import os
import signal
import subprocess
import sys
import time

from conftest import make_payload
from fake_app import FakeApp
from sid_gpu.cli import main

SID_GPU = [sys.executable, "-m", "sid_gpu.cli"]


def test_missing_token_is_a_usage_error(monkeypatch, capsys):
    monkeypatch.delenv("SID_WORKER_TOKEN", raising=False)
    assert main(["worker", "--app-url", "http://127.0.0.1:9"]) == 2
    assert "SID_WORKER_TOKEN" in capsys.readouterr().err


def test_sigterm_finishes_the_step_reports_retryable_and_exits(model_dir, tmp_path):
    with FakeApp() as app:
        job_id = app.add_job(
            make_payload(app.add_blob, n_images=1, training={"steps": 100_000, "prior_preservation": False})
        )
        # The token comes from the environment; one thread as in conftest.
        env = {**os.environ, "SID_WORKER_TOKEN": app.token, "OMP_NUM_THREADS": "1"}
        proc = subprocess.Popen(
            [
                *SID_GPU,
                "worker",
                "--app-url",
                app.url,
                "--model-dir",
                str(model_dir),
                "--device",
                "cpu",
                "--cache-dir",
                str(tmp_path),
                "--wait-seconds",
                "1",
                "--once",
            ],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            deadline = time.monotonic() + 120
            while not any(h["stage"] == "training" and h["progress"] > 0 for h in app.heartbeats):
                assert proc.poll() is None and time.monotonic() < deadline, "worker never started training"
                time.sleep(0.2)
            proc.send_signal(signal.SIGTERM)
            output, _ = proc.communicate(timeout=60)
        finally:
            if proc.poll() is None:
                proc.kill()
        assert proc.returncode == 0, output
        assert app.failed[job_id]["retryable"] is True
        assert "shut down" in app.failed[job_id]["error"]
        assert "finishing the current step" in output
