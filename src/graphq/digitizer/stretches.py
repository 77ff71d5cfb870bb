"""Where a 1-D boolean mask holds, as stretches: the grid's erasing and the tracker's junction
search both walk a mask's unbroken runs of True, and find them the same way."""

from __future__ import annotations

import numpy as np


def true_stretches(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where each unbroken stretch of True in a 1-D boolean mask starts, and where it stops
    (one past its end). One comparison of neighbours, one search: the grid's erasing asks
    this thousands of times."""
    padded = np.zeros(mask.size + 2, dtype=bool)
    padded[1:-1] = mask
    # Stretches start and stop in turn: the changes between neighbours alternate.
    changes = np.flatnonzero(padded[1:] != padded[:-1])
    return changes[0::2], changes[1::2]
