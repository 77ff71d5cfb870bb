"""Removing grid lines (and the frame) from the plot's ink.

A grid line is a row or column of ink that runs most of the plot's width or height, solid,
dashed or dotted. Where a curve crosses it, the curve is usually darker than the grid, so a
pixel is kept when it is clearly darker than that line's own typical ink; a curve as dark as
the grid loses one line-width there, which the tracker bridges like a dash gap.
"""

from __future__ import annotations

import numpy as np

from graphq.digitizer.frame import LINE_INK_THRESHOLD
from graphq.digitizer.lines import Line, find_lines

# A grid line spans at least this fraction of the plot.
MIN_GRID_FRACTION = 0.5
# A pixel on a grid line survives when its ink exceeds the line's median ink by this much.
CURVE_OVER_GRID = 0.25
# Percentile of a grid row's ink taken as the line's own level.
_LEVEL_PERCENTILE = 75


def remove_grid(ink: np.ndarray) -> tuple[np.ndarray, list[Line], list[Line]]:
    """Ink with grid and frame lines erased, plus the horizontal and vertical lines found."""
    height, width = ink.shape
    mask = ink > LINE_INK_THRESHOLD
    gap_px = max(3, round(0.015 * max(width, height)))
    horizontal = find_lines(ink, mask, min_length=MIN_GRID_FRACTION * width, gap_px=gap_px)
    vertical = find_lines(ink.T, mask.T, min_length=MIN_GRID_FRACTION * height, gap_px=gap_px)
    cleaned = ink.copy()
    _erase(cleaned, ink, horizontal)
    _erase(cleaned.T, ink.T, vertical)
    return cleaned, horizontal, vertical


def _erase(cleaned: np.ndarray, ink: np.ndarray, lines: list[Line]) -> None:
    """Erase each horizontal band of ``lines`` in place (pass transposes for vertical).

    Each row of a band has its own level (the core of an anti-aliased line is darker than
    its fringe); the level is an upper percentile of the row's ink so dashes fade in and out
    under it, yet a curve running along the line for a while does not set it.
    """
    rows = cleaned.shape[0]
    for line in lines:
        # One row either side takes the anti-aliased fringe of a line between two rows.
        for row in range(max(0, line.first - 1), min(rows, line.last + 2)):
            values = ink[row, line.start : line.end]
            inked = values[values > LINE_INK_THRESHOLD]
            if inked.size < 0.25 * values.size:
                continue
            level = float(np.percentile(inked, _LEVEL_PERCENTILE))
            target = cleaned[row]
            target[target < level + CURVE_OVER_GRID] = 0.0
