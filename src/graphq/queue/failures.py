"""A step of the engine that keeps failing (a full disk, a locked database): back off, and
say so once per interval instead of once per attempt.

Without this a failing claim is retried as fast as jobs wait, each with a traceback: a full
disk then fills what little space is left with log lines.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field

from graphq.queue.backoff import retry_ceiling_s

# Waits between attempts while a step keeps failing: doubling from the first, up to the cap.
FIRST_WAIT_S = 1.0
MAX_WAIT_S = 30.0
# At most one log line per step and interval, with the count of failures since the last one.
LOG_INTERVAL_S = 60.0


@dataclass
class RepeatedFailure:
    """Consecutive failures of one engine step, and when it may next log."""

    step: str
    logger: logging.Logger
    count: int = 0
    _suppressed: int = 0
    _next_log: float = field(default=0.0)

    def failed(self, exc: BaseException) -> float:
        """Record a failure; log it if the interval allows. Returns the seconds to wait."""
        self.count += 1
        now = time.monotonic()
        if now >= self._next_log:
            more = f" ({self._suppressed} more since the last report)" if self._suppressed else ""
            self.logger.error(
                "%s failed %d time(s) in a row%s; backing off",
                self.step,
                self.count,
                more,
                exc_info=exc if self.count == 1 else None,
            )
            if self.count > 1:
                self.logger.error("%s: %s: %s", self.step, type(exc).__name__, exc)
            self._suppressed = 0
            self._next_log = now + LOG_INTERVAL_S
        else:
            self._suppressed += 1
        return retry_ceiling_s(self.count, base_s=FIRST_WAIT_S, cap_s=MAX_WAIT_S)

    def succeeded(self) -> None:
        if self.count:
            self.logger.info("%s works again after %d failure(s)", self.step, self.count)
        self.count = 0
        self._suppressed = 0
        self._next_log = 0.0
