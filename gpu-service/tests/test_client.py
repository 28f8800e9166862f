"""The HTTP client against the fake app: auth, retries, 409, blob hashes."""

import hashlib
import uuid

import httpx
import pytest

from conftest import make_reference, png
from fake_app import FakeApp
from sid_gpu.client import AppClient, RetriesExhausted
from sid_gpu.errors import AppError, LeaseLost, ProtocolError
from sid_gpu.protocol import HeartbeatRequest


def client(app: FakeApp, token: str = "test-token", **kwargs) -> AppClient:
    return AppClient(app.url, token, backoff_seconds=0.01, max_backoff_seconds=0.05, **kwargs)


def test_claim_returns_none_then_a_job():
    with FakeApp() as app:
        c = client(app)
        assert c.claim("w", ["dreambooth_run"], wait_seconds=1) is None
        job_id = app.add_job({"x": 1})
        job = c.claim("w", ["dreambooth_run"], wait_seconds=1)
        assert str(job.id) == job_id and job.payload == {"x": 1}


def test_retries_5xx_with_backoff_then_succeeds():
    delays = []
    with FakeApp() as app:
        c = client(app, sleep=delays.append)
        app.fail_next = 2
        assert c.claim("w", ["dreambooth_run"], wait_seconds=0) is None
        assert [s for _, _, s in app.log] == [503, 503, 204]
        assert len(delays) == 2 and delays[1] > delays[0] * 0.9  # exponential (with jitter)
        app.fail_next = 10
        with pytest.raises(RetriesExhausted):
            client(app, max_retries=2).claim("w", ["dreambooth_run"], wait_seconds=0)


def test_connection_errors_are_retried_then_reported():
    delays = []
    c = AppClient("http://127.0.0.1:9", "t", max_retries=3, sleep=delays.append)  # port 9: nothing listens
    with pytest.raises(RetriesExhausted, match="ConnectError"):
        c.claim("w", ["dreambooth_run"], wait_seconds=0)
    assert len(delays) == 3


def test_bad_token_is_an_app_error_not_retried():
    with FakeApp() as app:
        with pytest.raises(AppError, match="401"):
            client(app, token="wrong").claim("w", ["dreambooth_run"], wait_seconds=0)
        assert len(app.log) == 1


def test_409_is_lease_lost():
    with FakeApp() as app:
        app.add_job({})
        c = client(app)
        job = c.claim("w", ["dreambooth_run"], wait_seconds=0)
        stale = HeartbeatRequest(lease_id=uuid.uuid4(), stage="training", progress=0.1, message="")
        with pytest.raises(LeaseLost):
            c.heartbeat(str(job.id), stale)
        good = HeartbeatRequest(lease_id=job.lease_id, stage="training", progress=0.1, message="step 1")
        assert c.heartbeat(str(job.id), good).cancel is False


def test_blobs_are_checked_by_sha256_both_ways():
    image = png(make_reference(0)[0])
    with FakeApp() as app:
        sha = app.add_blob(image)
        c = client(app)
        assert c.get_blob(sha) == image
        wrong = hashlib.sha256(b"other").hexdigest()
        app.blobs[wrong] = image  # the app serves bytes that do not match the name
        with pytest.raises(ProtocolError, match="arrived with sha256"):
            c.get_blob(wrong)
        # Absolute URLs are fine on the app's own origin, refused elsewhere
        # (the request would carry the worker token).
        assert c.get_blob(sha, f"{app.url}/api/worker/blobs/{sha}") == image
        with pytest.raises(ProtocolError, match="not on the app's host"):
            c.get_blob(sha, f"http://example.org/api/worker/blobs/{sha}")

        app.add_job({})
        job = c.claim("w", ["dreambooth_run"], wait_seconds=0)
        new = png(make_reference(1)[0])
        assert c.put_blob(new, "image/png", str(job.id), str(job.lease_id)) == hashlib.sha256(new).hexdigest()
        # A repeat upload is a no-op (200), not an error.
        c.put_blob(new, "image/png", str(job.id), str(job.lease_id))
        assert [s for m, _, s in app.log if m == "PUT"] == [201, 200]
        with pytest.raises(LeaseLost):
            c.put_blob(new, "image/png", str(job.id), str(uuid.uuid4()))


def test_malformed_answers_are_protocol_errors():
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"job": {"id": "nope"}})

    c = AppClient("http://app", "t", transport=httpx.MockTransport(handler))
    with pytest.raises(ProtocolError, match="unexpected response body"):
        c.claim("w", ["dreambooth_run"], wait_seconds=0)
