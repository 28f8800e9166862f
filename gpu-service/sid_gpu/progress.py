"""How long computations report progress and learn that they must stop."""

from __future__ import annotations

from typing import Protocol


class Reporter(Protocol):
    """`report` publishes (stage, progress in [0, 1], message), which the
    worker forwards in its next heartbeat. `check` raises (JobCancelled,
    LeaseLost, ShutdownRequested) to stop at a step boundary."""

    def report(self, stage: str, progress: float, message: str) -> None: ...

    def check(self) -> None: ...


class NullReporter:
    """For library use outside a job (tests, benchmarks)."""

    def report(self, stage: str, progress: float, message: str) -> None:
        pass

    def check(self) -> None:
        pass
