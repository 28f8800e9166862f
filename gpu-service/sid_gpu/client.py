"""HTTP client for the app's worker API (docs/WORKER_API.md).

Workers only make outbound requests, often over flaky links from a cluster
to the app, so every call retries connection errors, 429 and 5xx answers
with exponential backoff and jitter. Retrying is safe for every endpoint:
claim at worst leases a job we never see (its lease expires and it goes back
to the queue), heartbeats just extend a lease, blob uploads are keyed by
their sha256 and `complete`/`fail` are idempotent on the app's side.

A 409 means the lease is gone; it is raised as `LeaseLost` so the worker can
drop the job without reporting anything.
"""

from __future__ import annotations

import hashlib
import logging
import random
import time
from collections.abc import Callable
from typing import TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from . import __version__
from .errors import AppError, LeaseLost, ProtocolError
from .protocol import (
    ClaimRequest,
    ClaimResponse,
    CompleteRequest,
    FailRequest,
    FailResponse,
    HeartbeatRequest,
    HeartbeatResponse,
    JobEnvelope,
    OkResponse,
)

log = logging.getLogger(__name__)
M = TypeVar("M", bound=BaseModel)


class RetriesExhausted(Exception):
    """The app stayed unreachable (or kept answering 5xx) through every retry."""


def _error_message(resp: httpx.Response) -> str:
    try:
        return str(resp.json().get("error", resp.text))
    except ValueError:
        return resp.text[:500]


class AppClient:
    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        max_retries: int = 5,
        backoff_seconds: float = 1.0,
        max_backoff_seconds: float = 30.0,
        timeout_seconds: float = 60.0,
        sleep: Callable[[float], None] = time.sleep,
        transport: httpx.BaseTransport | None = None,
    ):
        self.max_retries = max_retries
        self.backoff_seconds = backoff_seconds
        self.max_backoff_seconds = max_backoff_seconds
        self._sleep = sleep
        self._http = httpx.Client(
            base_url=base_url.rstrip("/"),
            headers={"Authorization": f"Bearer {token}", "User-Agent": f"sid-gpu/{__version__}"},
            timeout=timeout_seconds,
            transport=transport,
        )

    def close(self) -> None:
        self._http.close()

    # --- transport ----------------------------------------------------------

    def _request(self, method: str, url: str, **kwargs) -> httpx.Response:
        for attempt in range(self.max_retries + 1):
            try:
                resp = self._http.request(method, url, **kwargs)
                if resp.status_code < 500 and resp.status_code != 429:
                    return resp
                problem = f"{resp.status_code} {_error_message(resp)}"
            except httpx.TransportError as exc:
                problem = f"{type(exc).__name__}: {exc}"
            if attempt == self.max_retries:
                break
            # Full backoff with jitter so a fleet of workers does not hammer a
            # recovering app in lockstep.
            delay = min(self.max_backoff_seconds, self.backoff_seconds * 2**attempt)
            delay *= 0.5 + random.random() / 2
            log.warning("%s %s failed (%s); retry %d in %.1fs", method, url, problem, attempt + 1, delay)
            self._sleep(delay)
        raise RetriesExhausted(f"{method} {url}: {problem}")

    @staticmethod
    def _expect(resp: httpx.Response, *statuses: int) -> httpx.Response:
        if resp.status_code == 409:
            raise LeaseLost(_error_message(resp))
        if resp.status_code not in statuses:
            raise AppError(resp.status_code, _error_message(resp))
        return resp

    @staticmethod
    def _parse(model: type[M], resp: httpx.Response) -> M:
        try:
            return model.model_validate_json(resp.content)
        except ValidationError as exc:
            raise ProtocolError(f"{resp.request.url.path}: unexpected response body: {exc}") from exc

    def _post(self, url: str, body: BaseModel, answer: type[M], **kwargs) -> M:
        resp = self._request("POST", url, json=body.model_dump(mode="json"), **kwargs)
        return self._parse(answer, self._expect(resp, 200))

    # --- endpoints ----------------------------------------------------------

    def claim(self, worker_name: str, kinds: list[str], wait_seconds: int = 20) -> JobEnvelope | None:
        body = ClaimRequest(worker_name=worker_name, kinds=kinds, wait_seconds=wait_seconds)
        # The app holds the request for up to wait_seconds: read longer than that.
        timeout = httpx.Timeout(30.0, read=wait_seconds + 30.0)
        resp = self._request("POST", "/api/worker/claim", json=body.model_dump(mode="json"), timeout=timeout)
        if resp.status_code == 204:
            return None
        return self._parse(ClaimResponse, self._expect(resp, 200)).job

    def heartbeat(self, job_id: str, body: HeartbeatRequest) -> HeartbeatResponse:
        return self._post(f"/api/worker/jobs/{job_id}/heartbeat", body, HeartbeatResponse)

    def complete(self, job_id: str, body: CompleteRequest) -> OkResponse:
        return self._post(f"/api/worker/jobs/{job_id}/complete", body, OkResponse)

    def fail(self, job_id: str, body: FailRequest) -> FailResponse:
        return self._post(f"/api/worker/jobs/{job_id}/fail", body, FailResponse)

    def get_blob(self, sha256: str, url: str | None = None) -> bytes:
        url = url or f"/api/worker/blobs/{sha256}"
        target = httpx.URL(url)
        if target.is_absolute_url and (target.scheme, target.host, target.port) != (
            self._http.base_url.scheme,
            self._http.base_url.host,
            self._http.base_url.port,
        ):
            # Every request carries the worker token: never send it elsewhere.
            raise ProtocolError(f"blob URL {url} is not on the app's host")
        resp = self._expect(self._request("GET", url), 200)
        actual = hashlib.sha256(resp.content).hexdigest()
        if actual != sha256:
            raise ProtocolError(f"blob {sha256} arrived with sha256 {actual}")
        return resp.content

    def put_blob(self, data: bytes, content_type: str, job_id: str, lease_id: str) -> str:
        sha256 = hashlib.sha256(data).hexdigest()
        headers = {"Content-Type": content_type, "X-Job-Id": job_id, "X-Lease-Id": lease_id}
        self._expect(self._request("PUT", f"/api/worker/blobs/{sha256}", content=data, headers=headers), 200, 201)
        return sha256
