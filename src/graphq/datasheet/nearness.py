"""How text stands to the curves around it: beside one (inline), at a curve's end right of
the frame, or beside a family with nothing beyond it.

Every measure works on each curve's *own* stretches: where curves run together (a safe
operating area's regions share their RDS(on) and VDS limits; a curve drawn twice over
itself), the shared stretch names none of them, so a label beside it is beside none. A curve
with no stretch of its own (a duplicate) is measured whole.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.spatial import cKDTree

from graphq.datasheet.textlines import TextLine

Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class NearnessSettings:
    # Inline text stands within this many of its heights of its curve ...
    inline_reach_em: float = 1.6
    # ... and the next curve is at least this much further away (its heights), or this
    # factor further: otherwise the text could name either.
    min_margin_em: float = 0.5
    min_ratio: float = 1.8
    # A curve-end label's middle lies within this many of its heights of the curve's end.
    end_reach_em: float = 1.0
    # A label beside a curve with nothing beyond it is at most this fraction of the frame's
    # diagonal from the curve.
    beside_reach: float = 0.2
    # Curves closer than this (points) run together there: the stretch is shared. Two
    # strokes drawn over each other lie within a stroke width; separate curves, even where
    # they bunch up, are drawn a little further apart to stay readable.
    shared_pt: float = 0.8


def own_stretches(curves: list[np.ndarray], settings: NearnessSettings) -> list[np.ndarray]:
    """Each curve's points (densified to 1 pt) that no other curve runs along.

    A straight segment of the drawing that runs along another curve for most of its length
    is shared as a whole: the common VDS limit a safe operating area's regions drop down
    is one line, though the longest region's drop starts higher than the others'."""
    dense = [_resampled(points) for points in curves]
    own = []
    for k, (points, segment) in enumerate(dense):
        others = [d for j, (d, _) in enumerate(dense) if j != k]
        if not others:
            own.append(points)
            continue
        near, _ = cKDTree(np.vstack(others)).query(points, distance_upper_bound=settings.shared_pt)
        shared = np.isfinite(near)
        count = np.bincount(segment, minlength=len(curves[k]))
        mostly = np.bincount(segment, weights=shared, minlength=len(curves[k])) > 0.5 * count
        mine = points[~(shared | mostly[segment])]
        own.append(mine if len(mine) else points)
    return own


def box_distance(line: TextLine, points: np.ndarray) -> float:
    dx = np.maximum(np.maximum(line.x0 - points[:, 0], 0), points[:, 0] - line.x1)
    dy = np.maximum(np.maximum(line.top - points[:, 1], 0), points[:, 1] - line.bottom)
    return float(np.hypot(dx, dy).min())


def distances(line: TextLine, dense: list[np.ndarray]) -> np.ndarray:
    return np.array([box_distance(line, points) for points in dense])


def inline(line: TextLine, gaps: np.ndarray, settings: NearnessSettings) -> int | None:
    """The curve right beside the text, clearly nearer it than any other."""
    best = int(np.argmin(gaps))
    if gaps[best] > settings.inline_reach_em * line.size:
        return None
    return best if _clear(gaps, best, line.size, settings) else None


def curve_end(
    line: TextLine, dense: list[np.ndarray], gaps: np.ndarray, box: Box, settings: NearnessSettings
) -> int | None:
    """A label starting just right of where one curve ends, level with that end: right of
    the frame where curves run to its edge (often stacked in a column), or inside it where
    they stop short (a safe operating area's pulse lines end at the VDS limit)."""
    x1 = box[2]
    ends = np.full(len(dense), np.inf)
    for k, points in enumerate(dense):
        if line.x0 >= x1 - 1:
            at_end = points[points[:, 0] >= x1 - 1.5]
        else:
            last = float(points[:, 0].max())
            reach = settings.end_reach_em * line.size
            before_text = last - 1.0 <= line.x0 <= last + 1.5 * reach
            at_end = points[points[:, 0] >= last - 1.0] if before_text else points[:0]
        if at_end.size:
            ends[k] = float(np.abs(at_end[:, 1] - line.centre[1]).min())
    best = int(np.argmin(ends))
    if ends[best] > settings.end_reach_em * line.size:
        return None
    if line.x0 < x1 - 1 and gaps[best] > float(gaps.min()) + settings.min_margin_em * line.size:
        return None  # inside the frame another curve runs nearer the text than that end
    # Heights alone: a second end within the text's own height is as level with it, however
    # much nearer the first is.
    second = float(np.partition(ends, 1)[1]) if len(ends) > 1 else np.inf
    return best if second - ends[best] >= settings.min_margin_em * line.size else None


def beside(
    line: TextLine,
    dense: list[np.ndarray],
    gaps: np.ndarray,
    box: Box,
    settings: NearnessSettings,
) -> int | None:
    """The nearest curve, when it is the first one met along the label's row or column and
    no curve lies on the label's other side."""
    best = int(np.argmin(gaps))
    reach = settings.beside_reach * float(np.hypot(box[2] - box[0], box[3] - box[1]))
    if gaps[best] > reach:
        return None
    row = [(p[:, 0], (p[:, 1] >= line.top) & (p[:, 1] <= line.bottom)) for p in dense]
    column = [(p[:, 1], (p[:, 0] >= line.x0) & (p[:, 0] <= line.x1)) for p in dense]
    for band, low, high in ((row, line.x0, line.x1), (column, line.top, line.bottom)):
        before = np.array([np.any(inside & (along < low)) for along, inside in band])
        after = np.array([np.any(inside & (along > high)) for along, inside in band])
        for side, other in ((before, after), (after, before)):
            margin = settings.min_margin_em * line.size
            if side[best] and not other.any() and _first_met(band, best, side, low, high, margin):
                return best
    return None


def densify(points: np.ndarray, spacing: float = 1.0) -> np.ndarray:
    """The polyline with a point every ``spacing`` points along it."""
    return _resampled(points, spacing)[0]


def _resampled(points: np.ndarray, spacing: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """:func:`densify`'s points, and the index of the drawn segment each lies on."""
    steps = np.hypot(*np.diff(points, axis=0).T)
    distance = np.concatenate(([0.0], np.cumsum(steps)))
    targets = np.arange(0.0, distance[-1] + spacing, spacing)
    dense = np.column_stack(
        (np.interp(targets, distance, points[:, 0]), np.interp(targets, distance, points[:, 1]))
    )
    segment = np.clip(np.searchsorted(distance, targets, side="right") - 1, 0, len(points) - 1)
    return dense, segment


def _clear(gaps: np.ndarray, best: int, size: float, settings: NearnessSettings) -> bool:
    """Whether curve ``best`` is clearly the nearest: by a margin or a ratio."""
    others = np.delete(gaps, best)
    if others.size == 0:
        return True
    nearest, second = float(gaps[best]), float(others.min())
    return second - nearest >= settings.min_margin_em * size or second >= settings.min_ratio * max(
        nearest, 0.5
    )


def _first_met(
    band: list[tuple[np.ndarray, np.ndarray]],
    best: int,
    side: np.ndarray,
    low: float,
    high: float,
    margin: float,
) -> bool:
    """Whether curve ``best`` is the first one met going out from the label on its side,
    clearly (by ``margin`` points) before the next."""
    gaps = []
    for along, inside in band:
        hits = along[inside]
        gap = np.minimum(np.abs(hits - low), np.abs(hits - high)) if hits.size else np.array([])
        gaps.append(float(gap.min()) if gap.size else np.inf)
    met = sorted((gaps[k], k) for k in np.flatnonzero(side))
    return met[0][1] == best and (len(met) == 1 or met[1][0] - met[0][0] >= margin)
