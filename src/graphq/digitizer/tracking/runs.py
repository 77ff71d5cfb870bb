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
    # Edges and sums down each column of the image as it lies (no transposed copies); the
    # runs are then put in column order.
    padded = np.zeros((height + 2, width), dtype=np.int8)
    padded[1:-1] = ink > threshold
    edges = np.diff(padded, axis=0)
    top, column = np.nonzero(edges == 1)
    stop, stop_column = np.nonzero(edges == -1)
    # Down one column runs start and stop in turn, so both sorted by column pair up.
    by_column = np.lexsort((top, column))
    column, top = column[by_column], top[by_column]
    stop = stop[np.lexsort((stop, stop_column))]
    weights = np.zeros((height + 1, width), dtype=ink.dtype)
    np.cumsum(ink, axis=0, out=weights[1:])
    moments = np.zeros((height + 1, width), dtype=np.float64)
    np.cumsum(ink * np.arange(height, dtype=np.float64)[:, None], axis=0, out=moments[1:])
    mass = weights[stop, column].astype(np.float64) - weights[top, column]
    centroid = (moments[stop, column] - moments[top, column]) / np.maximum(mass, 1e-9)
    offsets = np.searchsorted(column, np.arange(width + 1))
    return ColumnRuns(column, top, stop - 1, centroid, mass, offsets)


def single_line_width(runs: ColumnRuns) -> float:
    """Typical height of a run that is one flat curve: the line width in pixels."""
    heights = runs.height
    flat = heights[heights <= 12]
    return float(np.median(flat)) if flat.size else 2.0
