"""Undoing tracks spliced from pieces of other curves where several curves cross at one point.

Where several curves cross at one point (transfer curves at their temperature-compensation
point) a track spliced from pieces of two others is dropped, and a curve told apart only on
one side of the point is joined to the one told apart only on the other.
"""

from __future__ import annotations

import numpy as np

from graphq.digitizer.budget import Budget
from graphq.digitizer.coverage import Band, band, covered_by
from graphq.digitizer.scale import PlotScale
from graphq.digitizer.tracking_settings import TRACKING
from graphq.digitizer.tracks import TracedCurve, end_slope, join_at


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
    tolerance_px, width, min_part_columns = scale.on_curve_px, scale.columns, scale.min_own
    curves = list(curves)
    bands = [band(curve, tolerance_px, width) for curve in curves]
    ranked = sorted(range(len(curves)), key=lambda i: float((curves[i].shared == 1).sum()))
    alive = set(range(len(curves)))
    for index in ranked:
        if budget is not None and budget.spent:
            break
        if _is_spliced(curves[index], bands, alive - {index}):
            alive.discard(index)
    curves = [curve for index, curve in enumerate(curves) if index in alive]
    while not (budget is not None and budget.spent):
        bands = [band(curve, tolerance_px, width) for curve in curves]
        others = [set(range(len(curves))) - {i} for i in range(len(curves))]
        covered = [
            covered_by(c, bands, rest, divided=True) for c, rest in zip(curves, others, strict=True)
        ]
        ends = [
            _own_then_covered(c, m, min_part_columns) for c, m in zip(curves, covered, strict=True)
        ]
        starts = [
            _own_then_covered(c, ~m, min_part_columns) for c, m in zip(curves, covered, strict=True)
        ]
        # Curves meeting at a shallow angle run together for a while before and after the
        # point: the stray tracks leave their own curves that far apart.
        pair = _splice_pair(curves, ends, starts, tolerance_px, 2 * min_part_columns)
        if pair is None:
            return curves
        i, j, cut = pair
        joined = join_at(curves[i], curves[j], cut)
        curves = [c for k, c in enumerate(curves) if k not in (i, j)] + [joined]
    return curves


def _is_spliced(curve: TracedCurve, bands: list[Band], others: set[int]) -> bool:
    """Whether a curve lies on one other curve up to a column and on another one after it,
    each of them apart from it on the other side (unlike curves merging into a bundle).

    Only pairs of curves that together cover enough of it are tried, each curve's running
    counts taken once: a hatched plot's hundred tracks cost a hundred arrays, not a million.
    """
    n = curve.column.size
    need = TRACKING.duplicate_fraction * n
    covered = {other: covered_by(curve, bands, {other}) for other in others}
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


def _splice_pair(
    curves: list[TracedCurve],
    ends: list[int | None],
    starts: list[int | None],
    tolerance_px: float,
    max_gap_columns: int,
) -> tuple[int, int, int] | None:
    """The curve whose own part ends where another's own part starts, meets it there and
    goes on at its slope (of several, the one whose slope it continues best), and the column
    between the two parts where they are cut and joined."""
    best: tuple[float, int, int, int] | None = None
    for i, end in enumerate(ends):
        for j, start in enumerate(starts):
            if i == j or end is None or start is None or abs(start - end) > max_gap_columns:
                continue
            head, tail = curves[i], curves[j]
            at_end = int(np.searchsorted(head.column, end))
            at_start = int(np.searchsorted(tail.column, start))
            gap = abs(start - end)
            if abs(head.middle[at_end] - tail.middle[at_start]) > 4 * tolerance_px + gap:
                continue
            head_part = head.part(slice(0, at_end + 1))
            tail_part = tail.part(slice(at_start, None))
            cost = abs(end_slope(head_part, at_end=True) - end_slope(tail_part, at_end=False))
            if best is None or cost < best[0]:
                best = (cost, i, j, (end + start) // 2)
    return None if best is None else best[1:]
