"""Per-key token buckets for mutating requests.

The buckets live in the process: graphq is one process per database (SQLite), so that is the
whole truth. Only authenticated keys get a bucket, so their number is bounded by the key table.
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
    _buckets: dict[str, _Bucket] = field(default_factory=dict)

    def check(self, key: str) -> int:
        now = time.monotonic()
        rate_per_s = self.per_minute / 60.0
        bucket = self._buckets.setdefault(key, _Bucket(float(self.burst), now))
        bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.updated) * rate_per_s)
        bucket.updated = now
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            return 0
        return max(1, math.ceil((1.0 - bucket.tokens) / rate_per_s))
