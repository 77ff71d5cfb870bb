"""Exponential backoff with full jitter: spreads retries so failures don't return in step."""

from __future__ import annotations

import random


def retry_ceiling_s(attempt: int, *, base_s: float, cap_s: float) -> float:
    """The longest wait before retry number ``attempt`` (1 for the first retry)."""
    return min(cap_s, base_s * 2 ** max(attempt - 1, 0))


def retry_delay_s(
    attempt: int, *, base_s: float, cap_s: float, rng: random.Random | None = None
) -> float:
    """Full jitter: uniform in [0, ceiling], so retries of many jobs spread out."""
    return (rng or random).uniform(0.0, retry_ceiling_s(attempt, base_s=base_s, cap_s=cap_s))
