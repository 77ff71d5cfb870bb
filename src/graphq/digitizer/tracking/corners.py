"""Bridging a curve's bend hidden under a label: fragments whose ends' tangents meet inside
the gap between them (the knee of a gate-charge curve where its plateau ends)."""

from __future__ import annotations

import heapq

import numpy as np

from graphq.digitizer.budget import Budget
from graphq.digitizer.tracking.ends import Ends, insert_sorted, sorted_by
from graphq.digitizer.tracking.scale import PlotScale
from graphq.digitizer.tracking.settings import TRACKING
from graphq.digitizer.tracking.tracks import TracedCurve, unite


def link_corners(
    curves: list[TracedCurve], scale: PlotScale, budget: Budget | None = None
) -> list[TracedCurve]:
    """Join fragments whose ends' tangents meet inside the gap between them: a bend of one
    curve hidden under a label (the knee of a gate-charge curve where its plateau ends).

    Only ends inside the plot qualify, away from the frame where curves leave it, and only
    across a gap no other curve runs through near the bend's path (the label hid nothing
    else); of several fragments an end could turn to, the one whose tangent meets it nearest
    to the gap's middle wins. Each pair is judged once, when its younger fragment appears,
    each end against the fragments starting (or ending) within its reach only; past
    ``budget`` the fragments are returned as joined so far.
    """
    if budget is not None and budget.spent:
        return list(curves)
    height, width = scale.shape
    max_gap_columns, reach_px = scale.max_corner, TRACKING.frame_reach_px
    curves = list(curves)
    ends = [Ends.of(c) for c in curves]
    alive = set(range(len(curves)))
    by_first = sorted_by([e.first for e in ends])
    by_last = sorted_by([e.last for e in ends])
    queue: list[tuple[float, int, int]] = []

    def inside(column: int, row: float) -> bool:
        return reach_px < column < width - 1 - reach_px and reach_px < row < height - 1 - reach_px

    def judge(i: int, j: int) -> None:
        left, right = ends[i], ends[j]
        gap = right.first - left.last
        reach = min(max_gap_columns, 2 * min(left.span, right.span))
        if i == j or not 1 <= gap <= reach:
            return
        if not (inside(left.last, left.last_row) and inside(right.first, right.first_row)):
            return
        corner = _corner(left, right)
        if corner is not None and 0.0 <= corner[1] <= height - 1:
            heapq.heappush(queue, (abs((corner[0] - left.last) / gap - 0.5), i, j))

    def pair(k: int) -> None:
        """Queue the corners of fragment ``k`` as the head and as the tail of one."""
        keys, ids = by_first
        low = int(np.searchsorted(keys, ends[k].last + 1, side="left"))
        high = int(np.searchsorted(keys, ends[k].last + max_gap_columns, side="right"))
        for j in ids[low:high].tolist():
            if j in alive:
                judge(k, j)
        keys, ids = by_last
        low = int(np.searchsorted(keys, ends[k].first - max_gap_columns, side="left"))
        high = int(np.searchsorted(keys, ends[k].first - 1, side="right"))
        for i in ids[low:high].tolist():
            if i in alive:
                judge(i, k)

    for k in range(len(curves)):
        if budget is not None and budget.spent:
            break
        pair(k)
    # Cheapest first. A pair's cost is its own; whether its path is clear is asked when it
    # comes up (joining other fragments only unites their samples, so a clear path stays
    # clear until then).
    while queue and not (budget is not None and budget.spent):
        _, i, j = heapq.heappop(queue)
        if i not in alive or j not in alive:
            continue
        left, right = ends[i], ends[j]
        corner = _corner(left, right)
        others = [
            curves[k]
            for k in alive
            if k not in (i, j) and ends[k].last > left.last and ends[k].first < right.first
        ]
        if corner is None or not _path_clear(left, right, corner, others, reach_px):
            continue
        curves.append(unite([curves[i], curves[j]]))
        ends.append(Ends.of(curves[-1]))
        alive -= {i, j}
        k = len(curves) - 1
        alive.add(k)
        by_first = insert_sorted(by_first, ends[k].first, k)
        by_last = insert_sorted(by_last, ends[k].last, k)
        pair(k)
    return sorted((curves[k] for k in alive), key=lambda c: int(c.column[0]))


def _corner(left: Ends, right: Ends) -> tuple[float, float] | None:
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
    left: Ends,
    right: Ends,
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
