"""The worker loop: claim -> run (heartbeating) -> complete, or fail.

Threads: the job runs in the calling thread; a heartbeat thread renews the
lease every lease_seconds/4 with the job's latest stage and progress. The two
meet in `JobContext`: the heartbeat thread sets `cancelled` (the app answered
cancel=true) or `lease_lost` (409), and the job sees them at its next step
boundary through `check()`, like a SIGTERM (`shutdown`).

How a job ends (docs/WORKER_API.md):
    finished            -> complete
    cancelled by admin  -> fail {cancelled: true}
    lease lost (409)    -> nothing: the job already belongs to someone else
    SIGTERM             -> fail {retryable: true}
    ConfigError / bad payload / unknown kind -> fail {retryable: false}
    any other exception -> fail {retryable: true}
"""

from __future__ import annotations

import logging
import threading
import time
import traceback
from collections.abc import Callable

from pydantic import ValidationError

from .client import AppClient, RetriesExhausted
from .errors import AppError, ConfigError, JobCancelled, LeaseLost, ProtocolError, ShutdownRequested
from .jobs import run_job
from .models import free_memory
from .protocol import FailRequest, HeartbeatRequest, JobEnvelope, RunPayload, Stage
from .settings import Settings

log = logging.getLogger(__name__)

KINDS = ["dreambooth_run"]


class JobContext:
    """State of the running job, shared with the heartbeat thread; the
    Reporter that training and sampling talk to."""

    def __init__(self, job: JobEnvelope, shutdown: threading.Event):
        self.job = job
        self.shutdown = shutdown
        self.cancelled = threading.Event()
        self.lease_lost = threading.Event()
        self._lock = threading.Lock()
        self._state: tuple[Stage, float, str] = ("training", 0.0, "starting")

    def report(self, stage: Stage, progress: float, message: str) -> None:
        with self._lock:
            self._state = (stage, min(max(progress, 0.0), 1.0), message[:500])

    def heartbeat_body(self) -> HeartbeatRequest:
        with self._lock:
            stage, progress, message = self._state
        return HeartbeatRequest(lease_id=self.job.lease_id, stage=stage, progress=progress, message=message)

    def check(self) -> None:
        if self.lease_lost.is_set():
            raise LeaseLost("lease lost")
        if self.cancelled.is_set():
            raise JobCancelled("cancelled by an admin")
        if self.shutdown.is_set():
            raise ShutdownRequested("worker is shutting down")


class Heartbeater:
    def __init__(self, client: AppClient, ctx: JobContext):
        self.client, self.ctx = client, ctx
        # Four beats per lease: one lost or slow request does not lose it.
        self.interval = max(0.2, ctx.job.lease_seconds / 4)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"heartbeat-{ctx.job.id}", daemon=True)

    def __enter__(self) -> Heartbeater:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                answer = self.client.heartbeat(str(self.ctx.job.id), self.ctx.heartbeat_body())
                if answer.cancel:
                    self.ctx.cancelled.set()
            except LeaseLost:
                self.ctx.lease_lost.set()
                return
            except Exception as exc:  # keep beating: the lease may still be alive
                log.warning("heartbeat failed: %s", exc)
            self._stop.wait(self.interval)


class ClientBlobs:
    """jobs.Blobs over the app client, with this job's lease on uploads."""

    def __init__(self, client: AppClient, job: JobEnvelope):
        self.client, self.job = client, job

    def get(self, sha256: str, url: str | None = None) -> bytes:
        return self.client.get_blob(sha256, url)

    def put(self, data: bytes, content_type: str) -> str:
        return self.client.put_blob(data, content_type, str(self.job.id), str(self.job.lease_id))


class Worker:
    def __init__(
        self,
        client: AppClient,
        settings: Settings,
        name: str,
        *,
        once: bool = False,
        wait_seconds: int = 20,
        idle_exit_seconds: float | None = None,
        run: Callable = run_job,
    ):
        self.client, self.settings, self.name = client, settings, name
        self.once, self.wait_seconds, self.idle_exit_seconds = once, wait_seconds, idle_exit_seconds
        self.run = run
        self.shutdown = threading.Event()

    def request_shutdown(self) -> None:
        self.shutdown.set()

    def serve(self) -> int:
        """Claim and run jobs until shutdown (or one job with `once`, or
        `idle_exit_seconds` without work). Returns the number of jobs handled."""
        handled, idle_since = 0, time.monotonic()
        while not self.shutdown.is_set():
            try:
                job = self.client.claim(self.name, KINDS, self.wait_seconds)
            except (RetriesExhausted, AppError, ProtocolError) as exc:
                # The app is down or misconfigured: keep waiting, it may come back.
                log.error("claim failed: %s", exc)
                self.shutdown.wait(self.client.max_backoff_seconds)
                continue
            if job is None:
                if self.idle_exit_seconds is not None and time.monotonic() - idle_since > self.idle_exit_seconds:
                    log.info("idle for %.0fs, exiting", self.idle_exit_seconds)
                    break
                continue
            self.handle(job)
            handled, idle_since = handled + 1, time.monotonic()
            if self.once:
                break
        return handled

    def handle(self, job: JobEnvelope) -> None:
        log.info("job %s (%s, attempt %d) leased", job.id, job.kind, job.attempt)
        ctx = JobContext(job, self.shutdown)
        try:
            if job.kind not in KINDS:
                raise ConfigError(f"this worker does not run jobs of kind {job.kind!r}")
            payload = RunPayload.model_validate(job.payload)
        except (ConfigError, ValidationError) as exc:
            self._fail(job, f"invalid job: {exc}", retryable=False)
            return
        try:
            with Heartbeater(self.client, ctx):
                body = self.run(payload, str(job.lease_id), ClientBlobs(self.client, job), ctx, self.settings)
                ctx.check()  # a cancel that arrived during the last step still wins
            self.client.complete(str(job.id), body)
            log.info("job %s completed: %d samples", job.id, len(body.samples))
        except LeaseLost:
            log.warning("job %s: lease lost, dropping it without reporting", job.id)
        except JobCancelled:
            self._fail(job, "cancelled by an admin", retryable=False, cancelled=True)
        except ShutdownRequested:
            self._fail(job, "worker shut down during the job", retryable=True)
        except ConfigError as exc:
            self._fail(job, str(exc), retryable=False)
        except Exception as exc:
            log.exception("job %s failed", job.id)
            tail = "".join(traceback.format_exception(exc)[-3:])
            self._fail(job, f"{type(exc).__name__}: {exc}\n{tail}", retryable=True)
        finally:
            free_memory()  # tracebacks hold tensors too

    def _fail(self, job: JobEnvelope, error: str, *, retryable: bool, cancelled: bool = False) -> None:
        body = FailRequest(lease_id=job.lease_id, error=error, retryable=retryable, cancelled=cancelled)
        try:
            answer = self.client.fail(str(job.id), body)
            log.info("job %s reported failed (%s): %s", job.id, answer.state, error.splitlines()[0])
        except LeaseLost:
            log.warning("job %s: lease lost before the failure could be reported", job.id)
        except Exception as exc:
            log.error("job %s: could not report failure: %s", job.id, exc)
