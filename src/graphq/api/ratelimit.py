"""Token buckets: per key for mutating requests, per client address for requests without a
valid key.

The buckets live in the process: graphq is one process per database (SQLite), so that is the
whole truth. Keys are bounded by the key table; addresses are not, so once there are more than
``max_buckets`` buckets, those that have refilled (and so hold no history) are dropped.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field


@dataclass
class _Bucket:
    tokens: float
    updated: float


@dataclass
class RateLimiter:
    """``per_minute`` sustained, ``burst`` at once; ``check`` returns seconds to wait, or 0."""

    per_minute: int
    burst: int
    max_buckets: int = 10_000
    _buckets: dict[str, _Bucket] = field(default_factory=dict)

    def check(self, key: str) -> int:
        """Spend a token if there is one; the wait is 0 when one was spent."""
        bucket = self._refilled(key)
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            return 0
        return self._wait(bucket)

    def waiting(self, key: str) -> int:
        """Seconds until ``key`` has a token, spending none (0 when it has one now)."""
        bucket = self._buckets.get(key)
        if bucket is None:
            return 0
        bucket = self._refilled(key)
        return 0 if bucket.tokens >= 1.0 else self._wait(bucket)

    def _refilled(self, key: str) -> _Bucket:
        now = time.monotonic()
        if key not in self._buckets and len(self._buckets) >= self.max_buckets:
            self._drop_full(now)
        bucket = self._buckets.setdefault(key, _Bucket(float(self.burst), now))
        bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.updated) * self._rate_per_s)
        bucket.updated = now
        return bucket

    def _drop_full(self, now: float) -> None:
        full = [
            key
            for key, bucket in self._buckets.items()
            if bucket.tokens + (now - bucket.updated) * self._rate_per_s >= self.burst
        ]
        for key in full:
            del self._buckets[key]

    def _wait(self, bucket: _Bucket) -> int:
        return max(1, math.ceil((1.0 - bucket.tokens) / self._rate_per_s))

    @property
    def _rate_per_s(self) -> float:
        return self.per_minute / 60.0
