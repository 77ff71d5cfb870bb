"""Where curves lie: the pixels near their ink, and per column the rows they cover.

Stages judging whether a curve repeats others ask it in the plane (a fragment of a steep
stretch lies on it even where the rows of one column differ) or per column, widened by a
tolerance (:func:`band`).
"""

from __future__ import annotations

import numpy as np

from graphq.digitizer.tracks import TracedCurve

# Per plot column: lowest and highest row a curve covers, and its run.
Band = tuple[np.ndarray, np.ndarray, np.ndarray]
# Curves up to this many places apart in a column's order by row are tried as neighbours.
_NEIGHBOUR_STEPS = 6


def near_ink(shape: tuple[int, int], curves: list[TracedCurve], reach: int) -> np.ndarray:
    """Per pixel of a plane of ``shape``, whether it lies within ``reach`` px of the ink of
    one of ``curves``."""
    height, width = shape
    return taken_plane(shape, reach, curves)[reach : reach + height, reach : reach + width]


def taken_plane(
    shape: tuple[int, int], reach: int, curves: list[TracedCurve] | None = None
) -> np.ndarray:
    """The plane of ``shape`` padded by ``reach``, with ``curves`` marked."""
    height, width = shape
    taken = np.zeros((height + 2 * reach + 1, width + 2 * reach + 1), dtype=bool)
    for curve in curves or []:
        mark(taken, curve, reach)
    return taken


def mark(taken: np.ndarray, curve: TracedCurve, reach: int) -> None:
    """Mark, in place, the pixels within ``reach`` of the curve's ink."""
    height = taken.shape[0] - 2 * reach - 1
    low = np.floor(np.minimum(curve.enter, curve.leave)).astype(np.int64)
    high = np.ceil(np.maximum(curve.enter, curve.leave)).astype(np.int64)
    for column, top, bottom in zip(curve.column.tolist(), low.tolist(), high.tolist(), strict=True):
        first, last = max(top, -reach), min(bottom, height + reach)
        taken[first : last + 2 * reach + 1, column : column + 2 * reach + 1] = True


def on_taken(curve: TracedCurve, taken: np.ndarray, reach: int) -> np.ndarray:
    """Per sample, whether the curve lies on the marked pixels."""
    height = taken.shape[0] - 2 * reach - 1
    rows = np.clip(np.round(curve.middle).astype(np.int64), -reach, height + reach)
    return taken[rows + reach, curve.column + reach]


def band(curve: TracedCurve, tolerance_px: float, width: int) -> Band:
    """Per plot column, the rows a curve's ink covers, widened by ``tolerance_px``, and its
    run; empty (low above high, run -1) where the curve has no sample."""
    low = np.full(width, np.inf)
    high = np.full(width, -np.inf)
    run = np.full(width, -1, dtype=np.int64)
    low[curve.column] = np.minimum(curve.enter, curve.leave) - tolerance_px
    high[curve.column] = np.maximum(curve.enter, curve.leave) + tolerance_px
    run[curve.column] = curve.run
    return low, high, run


def covered_by(
    curve: TracedCurve, bands: list[Band], others: set[int], divided: bool = False
) -> np.ndarray:
    """Per sample, whether the curve lies on one of ``others``: inside its band, or (with
    ``divided``) on a run it divided with it, as two tracks splitting one thick line do a
    line's width apart."""
    covered = np.zeros(curve.column.size, dtype=bool)
    shares = curve.shared > 1 if divided else np.zeros(curve.column.size, dtype=bool)
    for other in others:
        low, high, run = bands[other]
        covered |= (low[curve.column] <= curve.middle) & (curve.middle <= high[curve.column])
        covered |= shares & (run[curve.column] == curve.run)
    return covered


def neighbours(curves: list[TracedCurve], touch_px: float, columns: int) -> list[set[int]]:
    """Per curve, the curves that come within ``touch_px`` of it in some column (rows taken
    across each curve's dash gaps too): the only ones it can touch, found with one sort per
    column instead of a test of every pair."""
    rows = np.full((len(curves), columns), np.nan)
    for index, curve in enumerate(curves):
        span = np.arange(curve.column[0], curve.column[-1] + 1)
        rows[index, span] = np.interp(span, curve.column, curve.middle)
    order = np.argsort(rows, axis=0)
    ranked = np.take_along_axis(rows, order, axis=0)
    near: list[set[int]] = [set() for _ in curves]
    # Curves a few places apart in a column's order can still touch (a bundle); further
    # apart, the ones between them touch both.
    for step in range(1, min(len(curves), _NEIGHBOUR_STEPS + 1)):
        close = np.abs(ranked[step:] - ranked[:-step]) <= touch_px
        codes = np.unique(order[step:][close] * len(curves) + order[:-step][close])
        for first, second in zip(*np.divmod(codes, len(curves)), strict=True):
            near[int(first)].add(int(second))
            near[int(second)].add(int(first))
    return near
