"""Undoing tracks spliced from pieces of other curves where several curves cross at one point.

Where several curves cross at one point (transfer curves at their temperature-compensation
point) a track spliced from pieces of two others is dropped, and a curve told apart only on
one side of the point is joined to the one told apart only on the other.
"""

from __future__ import annotations

import bisect

import numpy as np

from graphq.digitizer.budget import Budget
from graphq.digitizer.tracking.coverage import Overlaps, overlaps
from graphq.digitizer.tracking.scale import PlotScale
from graphq.digitizer.tracking.settings import TRACKING
from graphq.digitizer.tracking.tracks import TracedCurve, end_slope, join_at


def drop_spliced(
    curves: list[TracedCurve], scale: PlotScale, budget: Budget | None = None
) -> list[TracedCurve]:
    """Undo tracks spliced from pieces of other curves where several curves cross at one
    point (transfer curves at their temperature-compensation point).

    Two tracks may leave such a point on the same branch while another comes in: one
    track then repeats a piece of each of its neighbours and is dropped (worst first);
    or one curve is told apart only before the point (then lies on another) and another
    only after it, and their own parts are one curve. A track that strayed onto a thick
    curve divides that curve's runs with it, a line's width off it: it lies on it all the
    same (for joining only; curves of a bundle divide runs at length too, and are kept).
    Past ``budget`` the curves are returned as judged so far.
    """
    if budget is not None and budget.spent:
        return list(curves)
    tolerance_px, min_part_columns = scale.on_curve_px, scale.min_own
    curves = list(curves)
    lying = overlaps(curves, tolerance_px)
    ranked = sorted(range(len(curves)), key=lambda i: float((curves[i].shared == 1).sum()))
    alive = np.ones(len(curves), dtype=bool)
    for index in ranked:
        if budget is not None and budget.spent:
            break
        on = {other: at for other, at in lying.on_each(index).items() if alive[other]}
        if _is_spliced(curves[index].column.size, on):
            alive[index] = False
    curves = [curve for index, curve in enumerate(curves) if alive[index]]
    while not (budget is not None and budget.spent):
        lying = overlaps(curves, tolerance_px, divided=True)
        everyone = np.ones(len(curves), dtype=bool)
        covered = [lying.covered(index, everyone) for index in range(len(curves))]
        ends = [
            _own_then_covered(c, m, min_part_columns) for c, m in zip(curves, covered, strict=True)
        ]
        starts = [
            _own_then_covered(c, ~m, min_part_columns) for c, m in zip(curves, covered, strict=True)
        ]
        # Curves meeting at a shallow angle run together for a while before and after the
        # point: the stray tracks leave their own curves that far apart.
        pairs = _splice_pairs(curves, ends, starts, tolerance_px, 2 * min_part_columns, lying)
        if not pairs:
            return curves
        joined = [join_at(curves[i], curves[j], cut) for i, j, cut in pairs]
        used = {k for i, j, _ in pairs for k in (i, j)}
        curves = [c for k, c in enumerate(curves) if k not in used] + joined
    return curves


def _is_spliced(n: int, covered: dict[int, np.ndarray]) -> bool:
    """Whether a curve of ``n`` samples lies on one other curve up to a column and on
    another one after it, each of them apart from it on the other side (unlike curves
    merging into a bundle); ``covered`` says where it lies on each curve it touches.

    Only pairs of curves that together cover enough of it are tried, each curve's running
    counts taken once: a hatched plot's hundred tracks cost a hundred arrays, not a million.
    """
    need = TRACKING.duplicate_fraction * n
    counts = {other: int(on.sum()) for other, on in covered.items()}
    most = max(counts.values(), default=0)
    candidates = [other for other in covered if counts[other] and counts[other] + most >= need]
    # Samples covered before each split (prefix) and from it on (suffix).
    prefix = {o: np.concatenate(([0], np.cumsum(covered[o]))) for o in candidates}
    suffix = {o: counts[o] - prefix[o] for o in candidates}
    for first in candidates:
        for second in candidates:
            if first == second or counts[first] + counts[second] < need:
                continue
            score = prefix[first] + suffix[second]
            split = int(np.argmax(score))
            if not (score[split] >= need and 0 < split < n):
                continue
            # before[split:].mean() and after[:split].mean()
            if suffix[first][split] <= 0.5 * (n - split) and prefix[second][split] <= 0.5 * split:
                return True
    return False


def _own_then_covered(curve: TracedCurve, covered: np.ndarray, min_columns: int) -> int | None:
    """The column where a curve, its own before, goes on lying on other curves; None unless
    both parts are long and clear."""
    n = covered.size
    split = np.arange(n + 1)
    own_before = np.concatenate(([0], np.cumsum(~covered)))
    on = np.concatenate(([0], np.cumsum(covered)))
    on_after = on[-1] - on
    clear = (
        (split >= min_columns)
        & (n - split >= min_columns)
        & (own_before >= TRACKING.splice_part_fraction * split)
        & (on_after >= TRACKING.splice_part_fraction * (n - split))
    )
    if not clear.any():
        return None
    best = int(np.argmax(np.where(clear, own_before + on_after, -1)))
    return int(curve.column[best - 1])


def _splice_pairs(
    curves: list[TracedCurve],
    ends: list[int | None],
    starts: list[int | None],
    tolerance_px: float,
    max_gap_columns: int,
    lying: Overlaps,
) -> list[tuple[int, int, int]]:
    """Curves whose own part ends where another's own part starts, meets it there and goes
    on at its slope, each with the column between the two parts where they are cut and
    joined: of several, the one whose slope it continues best, every curve in one pair at
    most. Only starts within ``max_gap_columns`` of an end are tried (one sort of them).

    A curve lying on a joined one (or one it lies on) waits for the next round: the join
    takes the stray pieces away that made it look own-then-covered."""
    opening = sorted((start, j) for j, start in enumerate(starts) if start is not None)
    opened = [start for start, _ in opening]
    found: list[tuple[float, int, int, int]] = []
    for i, end in enumerate(ends):
        if end is None:
            continue
        first = bisect.bisect_left(opened, end - max_gap_columns)
        last = bisect.bisect_right(opened, end + max_gap_columns)
        for start, j in opening[first:last]:
            if i == j:
                continue
            head, tail = curves[i], curves[j]
            at_end = int(np.searchsorted(head.column, end))
            at_start = int(np.searchsorted(tail.column, start))
            meet_px = (
                TRACKING.splice_meet_tolerances * tolerance_px
                + TRACKING.splice_meet_rows_per_column * abs(start - end)
            )
            if abs(head.middle[at_end] - tail.middle[at_start]) > meet_px:
                continue
            head_part = head.part(slice(0, at_end + 1))
            tail_part = tail.part(slice(at_start, None))
            cost = abs(end_slope(head_part, at_end=True) - end_slope(tail_part, at_end=False))
            found.append((cost, i, j, (end + start) // 2))
    pairs: list[tuple[int, int, int]] = []
    waiting: set[int] = set()
    for _, i, j, cut in sorted(found):
        if i not in waiting and j not in waiting:
            pairs.append((i, j, cut))
            waiting |= {i, j} | lying.touching(i) | lying.touching(j)
    return pairs
