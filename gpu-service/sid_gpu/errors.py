"""Exceptions that decide how a job ends.

The worker maps them to the protocol: `LeaseLost` drops the job silently,
`JobCancelled` reports `cancelled: true`, `ShutdownRequested` and ordinary
exceptions report a retryable failure, and `ConfigError` reports a final one
(running the same payload again would fail the same way).
"""


class ConfigError(Exception):
    """The job cannot succeed as specified: invalid payload, missing model,
    unreadable reference image, settings this machine cannot honour."""


class LeaseLost(Exception):
    """The app answered 409: the lease expired or belongs to another worker."""


class JobCancelled(Exception):
    """An admin cancelled the job (a heartbeat answered cancel=true)."""


class ShutdownRequested(Exception):
    """The worker got SIGTERM/SIGINT and stops at the next step boundary."""


class AppError(Exception):
    """The app refused a request with a 4xx other than 409 (not retried)."""

    def __init__(self, status: int, message: str):
        super().__init__(f"app answered {status}: {message}")
        self.status = status


class ProtocolError(Exception):
    """The app sent a body that does not match docs/WORKER_API.md."""
