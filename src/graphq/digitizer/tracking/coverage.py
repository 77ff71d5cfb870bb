"""Where curves lie: the pixels near their ink, and per column the rows they cover.

Stages judging whether a curve repeats others ask it in the plane (a fragment of a steep
stretch lies on it even where the rows of one column differ) or per column, within a
tolerance of the rows the other curve covers: of one curve (:func:`lies_on`), or of every
curve against all the others at once, with one sort of their samples (:func:`overlaps`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from graphq.digitizer.tracking.tracks import TracedCurve

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


def lies_on(curve: TracedCurve, other: TracedCurve, tolerance_px: float) -> np.ndarray:
    """Per sample of ``curve``, whether it lies on ``other``: in a column ``other`` has a sample
    in, within ``tolerance_px`` of the rows its ink covers there (all of a steep stretch's
    rows, so a fragment of it lies on it even where the two centres differ). One search of
    ``other``'s columns; :func:`overlaps` asks the same of every pair of curves at once."""
    at = np.clip(np.searchsorted(other.column, curve.column), 0, other.column.size - 1)
    low = np.minimum(other.enter, other.leave)[at] - tolerance_px
    high = np.maximum(other.enter, other.leave)[at] + tolerance_px
    return (other.column[at] == curve.column) & (low <= curve.middle) & (curve.middle <= high)


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


@dataclass(frozen=True)
class Overlaps:
    """Every place a curve's sample lies on another curve (as :func:`lies_on` tests it),
    or, with ``divided``, on a run the two divided, as two tracks splitting one thick line do
    a line's width apart.

    Found with one sort of all samples, so judging every curve against all the others costs
    the samples plus the places they overlap, not a test of every pair of curves.
    """

    sizes: list[int]
    curve: np.ndarray
    sample: np.ndarray
    other: np.ndarray

    def covered(self, index: int, alive: np.ndarray) -> np.ndarray:
        """Per sample of curve ``index``, whether it lies on a curve ``alive`` marks."""
        first, last = np.searchsorted(self.curve, [index, index + 1])
        others = self.other[first:last]
        covered = np.zeros(self.sizes[index], dtype=bool)
        covered[self.sample[first:last][alive[others]]] = True
        return covered

    def touching(self, index: int) -> set[int]:
        """The curves curve ``index`` lies on, or that lie on it."""
        first, last = np.searchsorted(self.curve, [index, index + 1])
        lies_on = self.other[first:last].tolist()
        return set(lies_on) | set(self.curve[self.other == index].tolist())

    def on_each(self, index: int) -> dict[int, np.ndarray]:
        """Per other curve curve ``index`` lies on somewhere, where it does."""
        first, last = np.searchsorted(self.curve, [index, index + 1])
        samples, others = self.sample[first:last], self.other[first:last]
        found: dict[int, np.ndarray] = {}
        for other in np.unique(others).tolist():
            on = np.zeros(self.sizes[index], dtype=bool)
            on[samples[others == other]] = True
            found[other] = on
        return found


def overlaps(curves: list[TracedCurve], tolerance_px: float, divided: bool = False) -> Overlaps:
    """Where each curve's samples lie on the other curves (see :class:`Overlaps`)."""
    sizes = [curve.column.size for curve in curves]
    if not curves:
        empty = np.empty(0, dtype=np.int64)
        return Overlaps(sizes, empty, empty, empty)
    owner = np.repeat(np.arange(len(curves)), sizes)
    sample = np.concatenate([np.arange(size) for size in sizes])
    column = np.concatenate([curve.column for curve in curves]).astype(np.int64)
    low = np.concatenate([np.minimum(c.enter, c.leave) for c in curves]) - tolerance_px
    high = np.concatenate([np.maximum(c.enter, c.leave) for c in curves]) + tolerance_px
    middle = np.concatenate([curve.middle for curve in curves])
    # One key orders the bands by column, then by their low end.
    origin, stride = float(low.min()), float(high.max() - low.min()) + 1.0
    key = column * stride + (low - origin)
    order = np.argsort(key, kind="stable")
    keys = key[order]
    tallest = np.zeros(int(column.max()) + 1)
    np.maximum.at(tallest, column, high - low)
    # A band holding a sample starts at most the column's tallest band above it.
    at = column * stride + (middle - origin)
    queries, entries = _ranges(
        np.searchsorted(keys, at - tallest[column], "left"), np.searchsorted(keys, at, "right")
    )
    entries = order[entries]
    keep = (
        (column[entries] == column[queries])
        & (high[entries] >= middle[queries])
        & (owner[entries] != owner[queries])
    )
    found_q, found_e = [queries[keep]], [entries[keep]]
    if divided:
        run = np.concatenate([curve.run for curve in curves])
        shared = np.concatenate([curve.shared for curve in curves])
        by_run = np.argsort(run, kind="stable")
        runs = run[by_run]
        queries, entries = _ranges(
            np.searchsorted(runs, run, "left"), np.searchsorted(runs, run, "right")
        )
        entries = by_run[entries]
        keep = (shared[queries] > 1) & (run[queries] >= 0) & (owner[entries] != owner[queries])
        found_q.append(queries[keep])
        found_e.append(entries[keep])
    query, entry = np.concatenate(found_q), np.concatenate(found_e)
    ranked = np.argsort(owner[query], kind="stable")
    query, entry = query[ranked], entry[ranked]
    return Overlaps(sizes, owner[query], sample[query], owner[entry])


def _ranges(starts: np.ndarray, stops: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every (query, position) pair with position in the query's ``starts``..``stops``."""
    counts = np.maximum(stops - starts, 0)
    queries = np.repeat(np.arange(starts.size), counts)
    offsets = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
    return queries, np.repeat(starts, counts) + offsets
