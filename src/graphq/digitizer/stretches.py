"""Where a 1-D boolean mask holds, as stretches: the grid's erasing and the tracker's junction
search both walk a mask's unbroken runs of True, and find them the same way."""

from __future__ import annotations

import numpy as np


def true_stretches(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where each unbroken stretch of True in a 1-D boolean mask starts, and where it stops
    (one past its end). A view, not a copy, turns the mask to numbers: the grid's erasing
    asks this thousands of times."""
    edges = np.diff(np.concatenate(([0], mask.view(np.int8), [0])))
    return np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
