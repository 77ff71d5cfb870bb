"""Joining the fragments of one curve across the gaps between them.

A label, a long dash gap or a grid crossing cuts a curve into fragments. Two fragments are
one curve when each one's end extrapolates onto the other, the jump no longer than the
pieces on either side make believable. Behind a label the curve may bend: the gap is
believable however long, and a steady bend or a piece levelling off onto the other's end
joins them. Fragments a leader arrow's head split overlap where each track turned into a
barb and are joined without the overlap; a bend hidden under a label is bridged where the
tangents of the fragments on either side meet in the gap.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from graphq.digitizer.tracks import TracedCurve, end_slope, unite

# Fragments overlapping at their ends each keep at least this many columns to be linked.
_MIN_LINKED_COLUMNS = 10
# A gap runs under a label when this fraction of its straight line does.
_UNDER_LABEL_FRACTION = 0.5


def link_fragments(
    curves: list[TracedCurve],
    max_gap_columns: int,
    tolerance_px: float,
    max_overlap_columns: int,
    under_labels: np.ndarray | None = None,
    min_piece_columns: int = 0,
) -> list[TracedCurve]:
    """Join a curve's fragments across gaps their ends' tangents agree on.

    Fragments whose ends overlap by up to ``max_overlap_columns`` are joined without the
    overlap when their tangents before it agree: a leader arrow's head splits the curve it
    points at, one track turning into each barb. A gap under a label (``under_labels``,
    where text and boxes covered the plot) between pieces at least ``min_piece_columns``
    long is believable however long it is next to them, and the curve may bend behind the
    label (a label sits on a curve's knee as often as not): :func:`_cost_under_label`
    judges it.
    """
    curves = sorted(curves, key=lambda c: int(c.column[0]))
    ends = [_Ends.of(c) for c in curves]
    while True:
        best: tuple[float, int, int, TracedCurve, TracedCurve] | None = None
        for i, j in itertools.permutations(range(len(curves)), 2):
            head, tail = curves[i], curves[j]
            left, right = ends[i], ends[j]
            gap = right.first - left.last
            if gap < 1 - max_overlap_columns:
                continue
            if gap < 1:
                head = head.part(head.column < right.first)
                tail = tail.part(tail.column > left.last)
                if min(head.column.size, tail.column.size) < _MIN_LINKED_COLUMNS:
                    continue
                left, right = _Ends.of(head), _Ends.of(tail)
                gap = right.first - left.last
            if gap > max_gap_columns:
                continue
            # A jump is only as believable as the pieces on either side are long.
            reach = min(max_gap_columns, 2 * min(left.span, right.span))
            hidden = (
                under_labels is not None
                and min(left.span, right.span) >= min_piece_columns
                and _under_label(left, right, under_labels)
            )
            if gap > reach and not hidden:
                continue
            miss_forward = abs(left.last_row + left.slope_out * gap - right.first_row)
            miss_backward = abs(right.first_row - right.slope_in * gap - left.last_row)
            allowed = tolerance_px + 0.05 * gap
            cost = max(miss_forward, miss_backward)
            if hidden and (gap > reach or cost > allowed):
                cost = _cost_under_label(left, right, miss_forward, miss_backward, allowed)
            if cost <= allowed and (best is None or cost < best[0]):
                best = (cost, i, j, head, tail)
        if best is None:
            return curves
        _, i, j, head, tail = best
        joined = unite([head, tail])
        keep = [k for k in range(len(curves)) if k not in (i, j)]
        curves = [curves[k] for k in keep] + [joined]
        ends = [ends[k] for k in keep] + [_Ends.of(joined)]


def link_corners(
    curves: list[TracedCurve], max_gap_columns: int, shape: tuple[int, int], reach_px: float
) -> list[TracedCurve]:
    """Join fragments whose ends' tangents meet inside the gap between them: a bend of one
    curve hidden under a label (the knee of a gate-charge curve where its plateau ends).

    Only ends inside the plot qualify, away from the frame where curves leave it, and only
    across a gap no other curve runs through near the bend's path (the label hid nothing
    else); of several fragments an end could turn to, the one whose tangent meets it nearest
    to the gap's middle wins.
    """
    height, width = shape
    curves = sorted(curves, key=lambda c: int(c.column[0]))

    def inside(column: int, row: float) -> bool:
        return reach_px < column < width - 1 - reach_px and reach_px < row < height - 1 - reach_px

    while True:
        ends = [_Ends.of(c) for c in curves]
        best: tuple[float, int, int] | None = None
        for i, left in enumerate(ends):
            if not inside(left.last, left.last_row):
                continue
            for j, right in enumerate(ends):
                gap = right.first - left.last
                reach = min(max_gap_columns, 2 * min(left.span, right.span))
                if j == i or not 1 <= gap <= reach or not inside(right.first, right.first_row):
                    continue
                corner = _corner(left, right)
                if corner is None or not 0.0 <= corner[1] <= height - 1:
                    continue
                others = [c for k, c in enumerate(curves) if k not in (i, j)]
                cost = abs((corner[0] - left.last) / gap - 0.5)
                if (best is None or cost < best[0]) and _path_clear(
                    left, right, corner, others, reach_px
                ):
                    best = (cost, i, j)
        if best is None:
            return curves
        _, i, j = best
        joined = unite([curves[i], curves[j]])
        curves = [c for k, c in enumerate(curves) if k not in (i, j)] + [joined]
        curves.sort(key=lambda c: int(c.column[0]))


def _corner(left: _Ends, right: _Ends) -> tuple[float, float] | None:
    """Column and row where the tangents out of ``left`` and into ``right`` cross, when
    they cross in the gap between them."""
    bend = left.slope_out - right.slope_in
    if bend == 0.0:
        return None
    gap = right.first - left.last
    along = (right.first_row - left.last_row - right.slope_in * gap) / bend
    if not 0.0 <= along <= gap:
        return None
    return left.last + along, left.last_row + left.slope_out * along


def _path_clear(
    left: _Ends,
    right: _Ends,
    corner: tuple[float, float],
    others: list[TracedCurve],
    reach_px: float,
) -> bool:
    """Whether no other curve runs within ``reach_px`` of the bend's two straight legs."""
    legs_x = np.array([left.last, corner[0], right.first], dtype=np.float64)
    legs_y = np.array([left.last_row, corner[1], right.first_row])
    for other in others:
        within = (other.column > left.last) & (other.column < right.first)
        if not within.any():
            continue
        rows = np.interp(other.column[within], legs_x, legs_y)
        if np.any(np.abs(other.middle[within] - rows) <= reach_px):
            return False
    return True


def _under_label(left: _Ends, right: _Ends, under_labels: np.ndarray) -> bool:
    """Whether the straight line across the gap runs under a label for most of it."""
    columns = np.arange(left.last + 1, right.first)
    if columns.size == 0:
        return False
    rows = np.interp(columns, [left.last, right.first], [left.last_row, right.first_row])
    rows = np.clip(np.round(rows).astype(np.int64), 0, under_labels.shape[0] - 1)
    return bool(under_labels[rows, columns].mean() >= _UNDER_LABEL_FRACTION)


def _cost_under_label(
    left: _Ends, right: _Ends, miss_forward: float, miss_backward: float, allowed: float
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


@dataclass(frozen=True)
class _Ends:
    """What linking needs of a curve: where and how steeply it starts and stops."""

    first: int
    last: int
    span: int
    first_row: float
    last_row: float
    slope_in: float
    slope_out: float

    @classmethod
    def of(cls, curve: TracedCurve) -> _Ends:
        return cls(
            first=int(curve.column[0]),
            last=int(curve.column[-1]),
            span=curve.span,
            first_row=float(curve.enter[0]),
            last_row=float(curve.leave[-1]),
            slope_in=end_slope(curve, at_end=False),
            slope_out=end_slope(curve, at_end=True),
        )
