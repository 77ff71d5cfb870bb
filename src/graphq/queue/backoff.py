"""Exponential backoff with full jitter: spreads retries so failures don't return in step."""

from __future__ import annotations

import random


def retry_delay_s(
    attempt: int, *, base_s: float, cap_s: float, rng: random.Random | None = None
) -> float:
    """Delay before retry number ``attempt`` (1 for the first retry): uniform in [0, ceiling]."""
    ceiling = min(cap_s, base_s * 2 ** max(attempt - 1, 0))
    return (rng or random).uniform(0.0, ceiling)
