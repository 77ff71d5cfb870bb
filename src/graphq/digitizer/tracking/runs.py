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
    _sums_down(ink, weights)
    moments = np.zeros((height + 1, width), dtype=np.float64)
    _sums_down(ink * np.arange(height, dtype=np.float64)[:, None], moments)
    mass = weights[stop, column].astype(np.float64) - weights[top, column]
    centroid = (moments[stop, column] - moments[top, column]) / np.maximum(mass, 1e-9)
    offsets = np.searchsorted(column, np.arange(width + 1))
    return ColumnRuns(column, top, stop - 1, centroid, mass, offsets)


def _sums_down(values: np.ndarray, sums: np.ndarray) -> None:
    """``sums[k + 1]`` = the sum of ``values``' first ``k + 1`` rows, column by column: what
    ``np.cumsum(values, axis=0)`` gives, added in the same order, a row at a time (a cumsum
    down the columns strides the image's width at every step, several times slower)."""
    if len(values):
        sums[1] = values[0]
    for row in range(1, len(values)):
        np.add(sums[row], values[row], out=sums[row + 1])


def single_line_width(runs: ColumnRuns) -> float:
    """Typical height of a run that is one flat curve: the line width in pixels."""
    heights = runs.height
    flat = heights[heights <= 12]
    return float(np.median(flat)) if flat.size else 2.0
