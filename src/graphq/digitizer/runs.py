"""Column runs: the vertical stretches of curve ink in each pixel column.

Every later stage reasons about runs rather than pixels: a run is one curve crossing the
column, several curves touching there, or one steep stretch of a curve. Its ink-weighted
centroid gives the sub-pixel centre line of a lone curve.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class ColumnRuns:
    """All runs of a plot, sorted by column then by top.

    Run ``i`` lies in column ``column[i]`` from row ``top[i]`` to ``bottom[i]`` inclusive;
    the runs of column ``c`` are ``offsets[c]:offsets[c + 1]``.
    """

    column: np.ndarray
    top: np.ndarray
    bottom: np.ndarray
    centroid: np.ndarray
    mass: np.ndarray
    offsets: np.ndarray

    @property
    def height(self) -> np.ndarray:
        return self.bottom - self.top + 1

    def in_column(self, column: int) -> range:
        return range(int(self.offsets[column]), int(self.offsets[column + 1]))


def column_runs(ink: np.ndarray, threshold: float | np.ndarray) -> ColumnRuns:
    """Runs of ``ink > threshold`` per column, with ink-weighted centroids."""
    height, width = ink.shape
    mask = (ink > threshold).T
    padded = np.zeros((width, height + 2), dtype=np.int8)
    padded[:, 1:-1] = mask
    edges = np.diff(padded, axis=1)
    column, top = np.nonzero(edges == 1)
    _, stop = np.nonzero(edges == -1)
    weights = np.zeros((width, height + 1), dtype=np.float64)
    weights[:, 1:] = np.cumsum(ink.T, axis=1)
    moments = np.zeros((width, height + 1), dtype=np.float64)
    moments[:, 1:] = np.cumsum(ink.T * np.arange(height, dtype=np.float64), axis=1)
    mass = weights[column, stop] - weights[column, top]
    centroid = (moments[column, stop] - moments[column, top]) / np.maximum(mass, 1e-9)
    offsets = np.searchsorted(column, np.arange(width + 1))
    return ColumnRuns(column, top, stop - 1, centroid, mass, offsets)


def single_line_width(runs: ColumnRuns) -> float:
    """Typical height of a run that is one flat curve: the line width in pixels."""
    heights = runs.height
    flat = heights[heights <= 12]
    return float(np.median(flat)) if flat.size else 2.0
