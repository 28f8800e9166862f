"""A test double of the SID Studio app: a real http.server on 127.0.0.1
speaking docs/WORKER_API.md, recording what the worker sends.

It enforces the rules a worker could break: bearer token, body schemas,
lease ids, blob hashes and image validity, "every sha256 uploaded for
that job before complete". Knobs: `cancel` (heartbeats answer cancel=true), `lease_lost`
(heartbeats answer 409), `fail_next` (answer 503 to the next N requests).
"""

from __future__ import annotations

import hashlib
import io
import json
import threading
import time
import uuid
from collections import deque
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from PIL import Image
from pydantic import BaseModel, ValidationError

from sid_gpu.protocol import ClaimRequest, CompleteRequest, FailRequest, HeartbeatRequest


class FakeApp:
    def __init__(self, token: str = "test-token"):
        self.token = token
        self.queue: deque[dict] = deque()
        self.leases: dict[str, str] = {}  # job id -> lease id
        self.blobs: dict[str, bytes] = {}
        self.uploaded: list[str] = []
        # Like the app: a complete may only name images uploaded for that job.
        self.job_uploads: dict[str, set[str]] = {}
        self.heartbeats: list[dict] = []
        self.completed: dict[str, dict] = {}
        self.failed: dict[str, dict] = {}
        self.log: list[tuple[str, str, int]] = []  # (method, path, status)
        self.cancel = False
        self.lease_lost = False
        self.fail_next = 0
        self.on_heartbeat = None  # callable(body) for tests that act mid-job
        self.lock = threading.Lock()
        app = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep pytest output clean
                pass

            def do_GET(self):
                app._dispatch(self, "GET")

            def do_POST(self):
                app._dispatch(self, "POST")

            def do_PUT(self):
                app._dispatch(self, "PUT")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FakeApp:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    # --- test set-up -----------------------------------------------------------

    def add_blob(self, data: bytes) -> str:
        sha = hashlib.sha256(data).hexdigest()
        self.blobs[sha] = data
        return sha

    def add_job(self, payload: dict, lease_seconds: int = 2, kind: str = "dreambooth_run") -> str:
        job_id = str(uuid.uuid4())
        self.queue.append({"id": job_id, "kind": kind, "lease_seconds": lease_seconds, "payload": payload})
        return job_id

    def paths(self, method: str | None = None) -> list[str]:
        return [p for m, p, _ in self.log if method is None or m == method]

    # --- protocol --------------------------------------------------------------------

    def _dispatch(self, h: BaseHTTPRequestHandler, method: str) -> None:
        body = h.rfile.read(int(h.headers.get("Content-Length") or 0))
        with self.lock:
            if self.fail_next > 0:
                self.fail_next -= 1
                status, answer = 503, {"error": "try again"}
            elif h.headers.get("Authorization") != f"Bearer {self.token}":
                status, answer = 401, {"error": "bad token"}
            else:
                status, answer = self._route(method, h.path, h.headers, body)
            self.log.append((method, h.path, status))
        h.send_response(status)
        if isinstance(answer, bytes):
            h.send_header("Content-Type", "application/octet-stream")
            h.send_header("Content-Length", str(len(answer)))
            h.end_headers()
            h.wfile.write(answer)
        elif answer is None:
            h.send_header("Content-Length", "0")
            h.end_headers()
        else:
            data = json.dumps(answer).encode()
            h.send_header("Content-Type", "application/json")
            h.send_header("Content-Length", str(len(data)))
            h.end_headers()
            h.wfile.write(data)

    @staticmethod
    def _parse(model: type[BaseModel], body: bytes):
        return model.model_validate_json(body)

    def _route(self, method: str, path: str, headers, body: bytes):
        parts = path.strip("/").split("/")  # api, worker, ...
        try:
            if method == "POST" and parts[2:] == ["claim"]:
                return self._claim(self._parse(ClaimRequest, body))
            if method in ("GET", "PUT") and parts[2] == "blobs":
                return self._blob(method, parts[3], headers, body)
            if method == "POST" and parts[2] == "jobs":
                job_id, action = parts[3], parts[4]
                model = {"heartbeat": HeartbeatRequest, "complete": CompleteRequest, "fail": FailRequest}[action]
                return self._job(job_id, action, self._parse(model, body))
        except ValidationError as exc:
            return 400, {"error": str(exc)}
        return 404, {"error": "not found"}

    def _claim(self, req: ClaimRequest):
        if not self.queue:
            # Hold the long poll briefly (tests need no 20-second waits).
            self.lock.release()
            time.sleep(min(req.wait_seconds, 0.2))
            self.lock.acquire()
        if not self.queue:
            return 204, None
        job = self.queue.popleft()
        lease = str(uuid.uuid4())
        self.leases[job["id"]] = lease
        return 200, {"job": {**job, "lease_id": lease, "attempt": 1}}

    def _job(self, job_id: str, action: str, req):
        if self.leases.get(job_id) != str(req.lease_id):
            return 409, {"error": "lease lost"}
        if action == "heartbeat":
            self.heartbeats.append(req.model_dump(mode="json"))
            if self.on_heartbeat is not None:
                self.on_heartbeat(req)
            if self.lease_lost:
                return 409, {"error": "lease lost"}
            expires = (datetime.now(timezone.utc) + timedelta(seconds=30)).isoformat()
            return 200, {"cancel": self.cancel, "lease_expires_at": expires}
        if action == "complete":
            mine = self.job_uploads.get(job_id, set())
            missing = [s.sha256 for s in req.samples if s.sha256 not in mine]
            missing += [s.attention_map_sha256 for s in req.samples if s.attention_map_sha256 not in (None, *mine)]
            if missing:
                return 400, {"error": f"not uploaded: {missing}"}
            self.completed[job_id] = req.model_dump(mode="json")
            return 200, {"ok": True}
        self.failed[job_id] = req.model_dump(mode="json")
        state = "cancelled" if req.cancelled else "queued" if req.retryable else "failed"
        return 200, {"ok": True, "state": state}

    def _blob(self, method: str, sha: str, headers, body: bytes):
        if method == "GET":
            return (200, self.blobs[sha]) if sha in self.blobs else (404, {"error": "no such blob"})
        if self.leases.get(headers.get("X-Job-Id")) != headers.get("X-Lease-Id"):
            return 409, {"error": "lease lost"}
        if hashlib.sha256(body).hexdigest() != sha:
            return 400, {"error": "sha256 mismatch"}
        try:
            Image.open(io.BytesIO(body)).verify()
        except Exception:
            return 400, {"error": "not an image"}
        self.uploaded.append(sha)
        self.job_uploads.setdefault(headers.get("X-Job-Id"), set()).add(sha)
        if sha in self.blobs:
            return 200, None
        self.blobs[sha] = body
        return 201, None
