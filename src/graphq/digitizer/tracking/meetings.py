"""Where three or more curves of a family that all cross at one point meet (transfer curves at
their temperature-compensation point), pairs are not enough: the tracks leave the point in
any order, and two may follow one curve in while another curve's piece is lost. There the
pieces on either side are collected, a lost one taken from all the tracks found, and paired
again: by their looks, or in the reverse order, as lines through one point leave it.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import linear_sum_assignment

from graphq.digitizer.budget import Budget
from graphq.digitizer.tracking.looks import all_seen, look, unlike
from graphq.digitizer.tracking.scale import PlotScale
from graphq.digitizer.tracking.settings import TRACKING
from graphq.digitizer.tracking.tracks import TracedCurve, join_at


def untangle_meeting(
    curves: list[TracedCurve],
    pool: list[TracedCurve],
    scale: PlotScale,
    image: np.ndarray,
    budget: Budget | None = None,
) -> list[TracedCurve]:
    """Re-pair the pieces of curves that meet at one point (three or more of them, or two
    and one's piece lost), taking a piece no curve kept from ``pool`` (every track found).

    Where several curves cross at one point (transfer curves at their temperature-
    compensation point) the tracks leave it in any order: some bounce, two may follow one
    curve in and another curve's piece is lost. Each side of the point holds one piece of
    every curve; curves drawn differently keep their looks, curves drawn alike leave the
    point in the reverse order they entered it, as lines through one point do. Past
    ``budget`` the curves are returned as they are. Curves touch within the scale's
    ``gate_px``.
    """
    touch_px, plot_columns = scale.gate_px, scale.columns
    for group, start, stop in _meetings(curves, touch_px, plot_columns):
        if budget is not None and budget.spent:
            break
        members = [curves[i] for i in group]
        others = [curve for i, curve in enumerate(curves) if i not in group]
        sides = ((0, start - 1), start), ((stop + 1, plot_columns - 1), stop)
        found = [len(_pieces(members, [], others, touch_px, *side, needed=0)) for side in sides]
        # A curve's piece lost on one side is looked for among all tracks.
        needed = max(found)
        # Two curves with all their pieces are a crossing of two (:func:`uncross`).
        if len(group) == 2 and min(found) == needed:
            continue
        heads, tails = (_pieces(members, pool, others, touch_px, *side, needed) for side in sides)
        if len(heads) >= 2 and len(heads) == needed and len(tails) == needed:
            middle = (start + stop) // 2
            pairs = _pair_pieces(heads, tails, start, stop, image)
            return others + [join_at(heads[i], tails[j], middle) for i, j in pairs]
    return curves


def _meetings(
    curves: list[TracedCurve], touch_px: float, plot_columns: int
) -> list[tuple[list[int], int, int]]:
    """Where curves touch in a chain, each within ``touch_px`` of the next: the curves and
    the first and last column of each short stretch they do so over (a bundle runs together
    at length), most curves first, then longest."""
    if len(curves) < 2:
        return []
    rows = np.full((len(curves), plot_columns), np.nan)
    for index, curve in enumerate(curves):
        span = np.arange(curve.column[0], curve.column[-1] + 1)
        # Across dash gaps too: a dashed curve meets the others where its ink is missing.
        rows[index, span] = np.interp(span, curve.column, curve.middle)
    chains: dict[frozenset[int], list[int]] = {}
    for column in range(plot_columns):
        present = np.flatnonzero(~np.isnan(rows[:, column]))
        if present.size < 2:
            continue
        order = present[np.argsort(rows[present, column])]
        apart = np.flatnonzero(np.diff(rows[order, column]) > touch_px) + 1
        for chain in np.split(order, apart):
            if chain.size >= 2:
                chains.setdefault(frozenset(chain.tolist()), []).append(column)
    found = []
    for group in chains:
        columns = np.unique([c for other, seen in chains.items() if group <= other for c in seen])
        first = max(int(curves[i].column[0]) for i in group)
        last = min(int(curves[i].column[-1]) for i in group)
        # Touches this few columns apart are one stretch.
        for stretch in np.split(columns, np.flatnonzero(np.diff(columns) > TRACKING.touch_gap) + 1):
            start, stop = int(stretch[0]), int(stretch[-1])
            if stretch.size < TRACKING.min_meeting_columns:
                continue
            if stop - start <= TRACKING.max_crossing_touch_fraction * plot_columns:
                found.append((sorted(group), start, stop))
            # Tracks together from where they start may follow one curve up to the point
            # where another meets it: the stretch's other end.
            from_start, to_end = (
                start <= first + TRACKING.touch_gap,
                stop >= last - TRACKING.touch_gap,
            )
            if from_start != to_end:
                point = stop if from_start else start
                found.append((sorted(group), point, point))
    return sorted(found, key=lambda m: (-len(m[0]), m[1] - m[2]))


def _pieces(
    members: list[TracedCurve],
    pool: list[TracedCurve],
    others: list[TracedCurve],
    touch_px: float,
    columns: tuple[int, int],
    meeting_column: int,
    needed: int,
) -> list[TracedCurve]:
    """The curves (members first, longest first) whose parts between ``columns`` are pieces
    of different curves; a track from ``pool`` adds one, while fewer than ``needed`` are
    found, when its piece reaches the meeting point and lies on no curve found."""
    first, last = columns

    def part(curve: TracedCurve) -> np.ndarray:
        return (curve.column >= first) & (curve.column <= last)

    kept: list[TracedCurve] = []
    for curve in sorted(members, key=lambda c: -part(c).sum()):
        if part(curve).sum() >= TRACKING.slope_window and not any(
            _same_piece(curve, other, part(curve), touch_px) for other in kept
        ):
            kept.append(curve)
    for curve in sorted(pool, key=lambda c: -part(c).sum()):
        if len(kept) >= needed:
            break
        inside = part(curve)
        if inside.sum() < TRACKING.slope_window:
            continue
        reach = np.abs(curve.column[inside] - meeting_column).min()
        if reach <= TRACKING.slope_window and not any(
            _same_piece(curve, other, inside, touch_px) for other in kept + others
        ):
            kept.append(curve)
    return kept


def _same_piece(
    curve: TracedCurve, other: TracedCurve, inside: np.ndarray, touch_px: float
) -> bool:
    """Whether the ``inside`` part of a curve lies on another curve (a copy of its piece):
    within its rows in the plane (on a steep stretch a curve covers many rows of a column),
    or on the runs it took (two tracks dividing one steep stroke sit a stroke apart)."""
    columns = curve.column[inside]
    common = (columns >= other.column[0]) & (columns <= other.column[-1])
    if common.sum() < TRACKING.duplicate_piece * columns.size:
        return False
    columns = columns[common]
    low = np.interp(columns, other.column, np.minimum(other.enter, other.leave))
    high = np.interp(columns, other.column, np.maximum(other.enter, other.leave))
    rows = curve.middle[inside][common]
    at = np.minimum(np.searchsorted(other.column, columns), other.column.size - 1)
    same_run = (other.column[at] == columns) & (other.run[at] == curve.run[inside][common])
    close = same_run | ((rows >= low - touch_px) & (rows <= high + touch_px))
    return bool(close.mean() >= TRACKING.duplicate_piece)


def _pair_pieces(
    heads: list[TracedCurve],
    tails: list[TracedCurve],
    start: int,
    stop: int,
    image: np.ndarray,
) -> list[tuple[int, int]]:
    """Which tail goes on from which head: the pairing that keeps the pieces' looks when it
    is clearly better than the reverse order, else the reverse order."""
    head_rows = [_mean_row(curve, start - TRACKING.order_window, start - 1) for curve in heads]
    tail_rows = [_mean_row(curve, stop + 1, stop + TRACKING.order_window) for curve in tails]
    top_down = np.argsort(head_rows)
    bottom_up = np.argsort(tail_rows)[::-1]
    reverse = {int(h): int(t) for h, t in zip(top_down, bottom_up, strict=True)}
    head_looks = all_seen([look(c, image, start - TRACKING.look_window, start - 1) for c in heads])
    tail_looks = all_seen([look(c, image, stop + 1, stop + TRACKING.look_window) for c in tails])
    if head_looks is not None and tail_looks is not None:
        cost = np.array([[unlike(h, t) for t in tail_looks] for h in head_looks])
        rows, columns = linear_sum_assignment(cost)
        best = float(cost[rows, columns].sum())
        if best + 1.0 <= sum(cost[h, t] for h, t in reverse.items()):
            return list(zip(rows.tolist(), columns.tolist(), strict=True))
    return sorted(reverse.items())


def _mean_row(curve: TracedCurve, first: int, last: int) -> float:
    """The curve's mean row between two columns (its nearest row where it has none)."""
    inside = (curve.column >= first) & (curve.column <= last)
    if inside.any():
        return float(curve.middle[inside].mean())
    nearest = np.argmin(np.abs(curve.column - (first + last) / 2))
    return float(curve.middle[nearest])
