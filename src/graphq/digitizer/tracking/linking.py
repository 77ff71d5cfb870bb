"""Joining the fragments of one curve across the gaps between them.

A label, a long dash gap or a grid crossing cuts a curve into fragments. Two fragments are
one curve when each one's end extrapolates onto the other, the jump no longer than the
pieces on either side make believable. Behind a label the curve may bend: the gap is
believable however long, and a steady bend or a piece levelling off onto the other's end
joins them. Columns where grid removal erased a vertical line do not count in a gap's length:
a dense grid at low resolution, its lines fused into bands, cuts a curve into pieces shorter
than the bands between them, and the curve runs straight on across each. Fragments a leader
arrow's head split overlap where each track turned into a barb and are joined without the
overlap. A bend hidden under a label is bridged by
:mod:`graphq.digitizer.tracking.corners`.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable

import numpy as np

from graphq.digitizer.budget import Budget
from graphq.digitizer.tracking.ends import Ends, insert_sorted, sorted_by
from graphq.digitizer.tracking.scale import PlotScale
from graphq.digitizer.tracking.settings import TRACKING
from graphq.digitizer.tracking.tracks import TracedCurve, unite


def link_fragments(
    curves: list[TracedCurve],
    scale: PlotScale,
    under_labels: np.ndarray | None = None,
    budget: Budget | None = None,
    grid_columns: np.ndarray | None = None,
) -> list[TracedCurve]:
    """Join a curve's fragments across gaps (up to the scale's ``max_link`` columns) their
    ends' tangents agree on, within its ``gate_px``. ``grid_columns`` marks the columns
    whose vertical grid line was erased: a gap's columns there do not count against the
    pieces' lengths.

    Fragments whose ends overlap by up to ``max_gap`` columns are joined without the
    overlap when their tangents before it agree: a leader arrow's head splits the curve it
    points at, one track turning into each barb. A gap under a label (``under_labels``,
    where text and boxes covered the plot) between pieces at least ``min_own`` columns
    long is believable however long it is next to them, and the curve may bend behind the
    label (a label sits on a curve's knee as often as not): :func:`_cost_under_label`
    judges it.

    The cheapest join is made first. A pair's cost depends on its two fragments only, so
    each pair is judged once, when its younger fragment appears, and only against the
    fragments starting within reach of its end, all at once: thousands of specks cost
    thousands of small array operations, not millions of comparisons. Past ``budget`` the
    fragments are returned as joined so far.
    """
    if budget is not None and budget.spent:
        return list(curves)
    linker = _Linker(scale.max_link, scale.gate_px, scale.max_gap, under_labels, scale.min_own)
    if grid_columns is not None:
        linker.seen = np.concatenate(([0], np.cumsum(~grid_columns)))
    linker.add_all(sorted(curves, key=lambda c: int(c.column[0])))
    for index in range(len(linker.curves)):
        if budget is not None and budget.spent:
            break
        linker.pair_as_head(index)
    while linker.queue and not (budget is not None and budget.spent):
        _, i, j, head, tail = heapq.heappop(linker.queue)
        if i in linker.alive and j in linker.alive:
            joined = linker.join(i, j, unite([head, tail]))
            linker.pair_as_head(joined)
            linker.pair_as_tail(joined)
    return [linker.curves[i] for i in sorted(linker.alive)]


class _Linker:
    """The fragments, their ends as arrays, and the joins waiting, cheapest first."""

    def __init__(
        self,
        max_gap: int,
        tolerance_px: float,
        max_overlap: int,
        under_labels: np.ndarray | None,
        min_piece: int,
    ) -> None:
        self.max_gap, self.tolerance_px, self.max_overlap = max_gap, tolerance_px, max_overlap
        self.under_labels, self.min_piece = under_labels, min_piece
        self.curves: list[TracedCurve] = []
        self.ends: list[Ends] = []
        self.alive: set[int] = set()
        self.living = np.zeros(0, dtype=bool)
        self.queue: list[tuple[float, int, int, TracedCurve, TracedCurve]] = []
        # Every fragment's first and last column, sorted, with the fragment's index.
        self.by_first = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))
        self.by_last = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))
        self.table = np.zeros((0, 7))
        # Per column, how many columns before it were not erased grid: gaps are measured in
        # these (None: every column counts).
        self.seen: np.ndarray | None = None

    def seen_gap(self, last: np.ndarray | int, first: np.ndarray | int) -> np.ndarray:
        """Columns strictly between ``last`` and ``first`` that grid removal left alone."""
        gap = np.asarray(first) - np.asarray(last) - 1
        if self.seen is None:
            return gap + 1
        top = self.seen.size - 1
        low = np.clip(np.asarray(last) + 1, 0, top)
        high = np.clip(np.asarray(first), 0, top)
        return np.where(gap > 0, self.seen[high] - self.seen[low] + 1, gap + 1)

    def _column_past(self, column: int, seen: int, forward: bool) -> int:
        """The column ``seen`` columns past ``column`` not counting erased grid ones."""
        if self.seen is None:
            return column + seen if forward else column - seen
        top = self.seen.size - 1
        if forward:
            start = self.seen[min(max(column + 1, 0), top)]
            return int(np.searchsorted(self.seen, start + seen, side="right")) - 1
        end = self.seen[min(max(column, 0), top)]
        return int(np.searchsorted(self.seen, end - seen, side="left"))

    def add_all(self, curves: list[TracedCurve]) -> None:
        """Add the first fragments, their column indexes sorted once."""
        for curve in curves:
            self.curves.append(curve)
            self.ends.append(Ends.of(curve))
        count = len(curves)
        self.alive = set(range(count))
        self.living = np.ones(count, dtype=bool)
        self.table = np.array([ends.row() for ends in self.ends]).reshape(count, 7)
        self.by_first = sorted_by([ends.first for ends in self.ends])
        self.by_last = sorted_by([ends.last for ends in self.ends])

    def add(self, curve: TracedCurve) -> int:
        index = len(self.curves)
        ends = Ends.of(curve)
        self.curves.append(curve)
        self.ends.append(ends)
        self.alive.add(index)
        if index >= self.table.shape[0]:
            self.table = np.resize(self.table, (2 * index + 8, 7))
            self.living = np.resize(self.living, 2 * index + 8)
        self.table[index] = ends.row()
        self.living[index] = True
        self.by_first = insert_sorted(self.by_first, ends.first, index)
        self.by_last = insert_sorted(self.by_last, ends.last, index)
        return index

    def join(self, i: int, j: int, joined: TracedCurve) -> int:
        self.alive -= {i, j}
        self.living[[i, j]] = False
        return self.add(joined)

    def _reach(self, index: int) -> int:
        """The longest gap a fragment may be joined across: twice its span (a jump is only
        as believable as the pieces beside it are long), unless a label may hide it."""
        span = self.ends[index].span
        if self.under_labels is not None and span >= self.min_piece:
            return self.max_gap
        return min(self.max_gap, 2 * span)

    def pair_as_head(self, i: int) -> None:
        last = self.ends[i].last
        keys, ids = self.by_first
        low = int(np.searchsorted(keys, last + 1 - self.max_overlap, side="left"))
        far = min(last + self.max_gap, self._column_past(last, self._reach(i), forward=True))
        high = int(np.searchsorted(keys, far, side="right"))
        tails = ids[low:high]
        tails = tails[self.living[tails] & (tails != i)]
        self._judge(np.full(tails.size, i), tails)

    def pair_as_tail(self, j: int) -> None:
        first = self.ends[j].first
        keys, ids = self.by_last
        far = max(first - self.max_gap, self._column_past(first, self._reach(j), forward=False))
        low = int(np.searchsorted(keys, far, side="left"))
        high = int(np.searchsorted(keys, first + self.max_overlap - 1, side="right"))
        heads = ids[low:high]
        heads = heads[self.living[heads] & (heads != j)]
        self._judge(heads, np.full(heads.size, j))

    def _judge(self, heads: np.ndarray, tails: np.ndarray) -> None:
        """Queue the joins of the pairs ``heads[k]``, ``tails[k]`` that :func:`_join_cost`
        accepts, after a test on all of them at once that lets through every pair it could
        accept."""
        if not heads.size:
            return
        left, right = self.table[heads], self.table[tails]
        gap = right[:, 0] - left[:, 1]
        # Overlapping ends are trimmed to where the other starts; each keeps at most the
        # columns between the two starts (or ends).
        overlapping = (
            (gap < 1)
            & (right[:, 0] - left[:, 0] >= TRACKING.min_linked_columns)
            & (right[:, 1] - left[:, 1] >= TRACKING.min_linked_columns)
        )
        allowed = self.tolerance_px + 0.05 * gap
        miss_forward = np.abs(left[:, 4] + left[:, 6] * gap - right[:, 3])
        miss_backward = np.abs(right[:, 3] - right[:, 5] * gap - left[:, 4])
        reach = np.minimum(self.max_gap, 2 * np.minimum(left[:, 2], right[:, 2]))
        seen = self.seen_gap(left[:, 1].astype(np.int64), right[:, 0].astype(np.int64))
        plain = (
            (gap <= self.max_gap)
            & (seen <= reach)
            & (np.maximum(miss_forward, miss_backward) <= allowed)
        )
        hideable = np.zeros(heads.size, dtype=bool)
        if self.under_labels is not None:
            bend = np.abs(right[:, 3] - left[:, 4] - 0.5 * (left[:, 6] + right[:, 5]) * gap)
            forward = np.where(np.abs(left[:, 6] * gap) <= allowed, miss_forward, np.inf)
            backward = np.where(np.abs(right[:, 5] * gap) <= allowed, miss_backward, np.inf)
            long_enough = np.minimum(left[:, 2], right[:, 2]) >= self.min_piece
            hideable = long_enough & (np.minimum.reduce([bend, forward, backward]) <= allowed)
        for k in np.flatnonzero(overlapping | plain | hideable).tolist():
            i, j = int(heads[k]), int(tails[k])
            judged = _join_cost(
                self.curves[i],
                self.curves[j],
                self.ends[i],
                self.ends[j],
                self.max_gap,
                self.tolerance_px,
                self.max_overlap,
                self.under_labels,
                self.min_piece,
                self.seen_gap,
            )
            if judged is not None:
                cost, head, tail = judged
                heapq.heappush(self.queue, (cost, i, j, head, tail))


def _join_cost(
    head: TracedCurve,
    tail: TracedCurve,
    left: Ends,
    right: Ends,
    max_gap_columns: int,
    tolerance_px: float,
    max_overlap_columns: int,
    under_labels: np.ndarray | None,
    min_piece_columns: int,
    seen_gap: Callable[[int, int], np.ndarray],
) -> tuple[float, TracedCurve, TracedCurve] | None:
    """How far ``head``'s end and ``tail``'s start miss each other across their gap, with the
    parts of them that are joined; None when they are not one curve. ``seen_gap`` counts a
    gap's columns that grid removal left alone."""
    gap = right.first - left.last
    if gap < 1 - max_overlap_columns:
        return None
    if gap < 1:
        head = head.part(head.column < right.first)
        tail = tail.part(tail.column > left.last)
        if min(head.column.size, tail.column.size) < TRACKING.min_linked_columns:
            return None
        left, right = Ends.of(head), Ends.of(tail)
        gap = right.first - left.last
    if gap > max_gap_columns:
        return None
    # A jump is only as believable as the pieces on either side are long.
    reach = min(max_gap_columns, 2 * min(left.span, right.span))
    hidden = (
        under_labels is not None
        and min(left.span, right.span) >= min_piece_columns
        and _under_label(left, right, under_labels)
    )
    seen = int(seen_gap(left.last, right.first))
    if seen > reach and not hidden:
        return None
    miss_forward = abs(left.last_row + left.slope_out * gap - right.first_row)
    miss_backward = abs(right.first_row - right.slope_in * gap - left.last_row)
    allowed = tolerance_px + 0.05 * gap
    cost = max(miss_forward, miss_backward)
    if hidden and (seen > reach or cost > allowed):
        cost = _cost_under_label(left, right, miss_forward, miss_backward, allowed)
    return (cost, head, tail) if cost <= allowed else None


def _under_label(left: Ends, right: Ends, under_labels: np.ndarray) -> bool:
    """Whether the straight line across the gap runs under a label for most of it."""
    columns = np.arange(left.last + 1, right.first)
    if columns.size == 0:
        return False
    rows = np.interp(columns, [left.last, right.first], [left.last_row, right.first_row])
    rows = np.clip(np.round(rows).astype(np.int64), 0, under_labels.shape[0] - 1)
    return bool(under_labels[rows, columns].mean() >= TRACKING.under_label_fraction)


def _cost_under_label(
    left: Ends, right: Ends, miss_forward: float, miss_backward: float, allowed: float
) -> float:
    """How far a curve bending behind a label misses the other piece's end: at a steady
    bend both tangents average to the line across the gap; where it levels off behind the
    label (a knee), the level piece's tangent, moving little across the gap, meets the
    bending piece's end. A tangent moving far across a long gap meets some other curve's
    end as easily (another label beside this one)."""
    gap = right.first - left.last
    bend = abs(right.first_row - left.last_row - 0.5 * (left.slope_out + right.slope_in) * gap)
    forward = miss_forward if abs(left.slope_out * gap) <= allowed else np.inf
    backward = miss_backward if abs(right.slope_in * gap) <= allowed else np.inf
    return float(min(bend, forward, backward))
