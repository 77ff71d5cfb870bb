"""Dropping curves that repeat others.

A curve whose columns lie almost all on a better curve is a duplicate (a second track on
one curve, a leader arrow running into its curve). Once all curves are known, one lying on
the others together (a track crossing over from one curve to another) is a duplicate too.
"""

from __future__ import annotations

import numpy as np

from graphq.digitizer.budget import Budget
from graphq.digitizer.tracking.coverage import (
    band,
    covered_by,
    mark,
    on_taken,
    overlaps,
    taken_plane,
)
from graphq.digitizer.tracking.scale import PlotScale
from graphq.digitizer.tracking.settings import TRACKING
from graphq.digitizer.tracking.tracks import TracedCurve


def drop_duplicates(
    curves: list[TracedCurve],
    scale: PlotScale,
    longest_first: bool = False,
    budget: Budget | None = None,
    fanning: bool = True,
) -> list[TracedCurve]:
    """Keep curves best first; drop one that lies on the kept ones almost everywhere, leaves
    them for fewer than the scale's ``min_own`` columns (a leader arrow running into its
    curve), or mostly lies on them and leaves them only in its middle (bounced at a
    crossing).

    A curve that leaves them for ``min_edge_own`` columns at an end on the frame is kept all
    the same (unless not ``fanning``): it is one curve of a bundle, told apart only where the
    bundle fans out at the left or right edge (thermal-impedance curves at short pulses), or
    where a steep curve leaves it for the top or bottom edge (the highest output curve); an
    arrow starts at its label, inside the plot.

    Best is the most lone evidence; ``longest_first`` ranks by span instead, which drops a
    piece of a curve (cut off by a leader arrow) that was kept before the whole curve. A
    kept piece also gives way to a longer curve lying on it which would be kept without it:
    the whole curve shares its runs with the bundle it comes out of, its piece apart from
    the bundle is seen alone and ranks first.

    "On" is measured in the plane, not per column: a fragment of a steep stretch lies on it
    even where the rows of the same column differ. Past ``budget`` the curves not yet
    judged, the worst ones, are left out (every curve is still judged against the kept
    ones, a cheap test, so that a stopped image does not keep hundreds of copies).
    """
    if longest_first:
        ranked = sorted(curves, key=lambda c: -c.span)
    else:
        ranked = sorted(curves, key=lambda c: -_evidence(c))
    tolerance_px, shape, min_own_columns = scale.on_curve_px, scale.shape, scale.min_own
    min_edge_columns = scale.min_edge_own if fanning else scale.columns
    reach = max(1, round(tolerance_px))

    def duplicate(curve: TracedCurve, taken: np.ndarray) -> bool:
        covered = on_taken(curve, taken, reach)
        return _is_duplicate(covered, min_own_columns) and (
            _own_edge_columns(curve, covered, shape, reach) < min_edge_columns
        )

    taken = taken_plane(shape, reach)
    kept: list[TracedCurve] = []
    for curve in ranked:
        if duplicate(curve, taken):
            if budget is not None and budget.spent:
                continue
            bands = [band(curve, tolerance_px, shape[1])]
            on = [covered_by(k, bands, {0}).mean() >= TRACKING.duplicate_fraction for k in kept]
            pieces = [k for k, piece in zip(kept, on, strict=True) if piece]
            rest = [k for k, piece in zip(kept, on, strict=True) if not piece]
            if not pieces or max(k.span for k in pieces) >= curve.span:
                continue
            without = taken_plane(shape, reach, rest)
            if duplicate(curve, without):
                continue
            kept, taken = rest, without
        kept.append(curve)
        mark(taken, curve, reach)
    return kept


def drop_redundant(
    curves: list[TracedCurve], scale: PlotScale, budget: Budget | None = None
) -> list[TracedCurve]:
    """Drop, worst first, a curve that lies on the others together as :func:`drop_duplicates`
    judges a curve on the better ones.

    A track that follows one curve, crosses over along a leader arrow or a bounce, and
    follows another may have more lone evidence than either curve (they share runs with it
    where it was the better-placed track), so it is kept before them and only shows up as
    a duplicate once both are known. Where curves lie on each other is found once, by
    :func:`graphq.digitizer.tracking.coverage.overlaps`: the cost grows with the samples and their
    overlaps, not with the square of the curves. Past ``budget`` the curves not yet judged
    are kept.
    """
    if budget is not None and budget.spent:
        return list(curves)
    tolerance_px, shape, min_own_columns = scale.on_curve_px, scale.shape, scale.min_own
    min_edge_columns = scale.min_edge_own
    lying = overlaps(curves, tolerance_px)
    reach = max(1, round(tolerance_px))
    alive = np.ones(len(curves), dtype=bool)
    for index in sorted(range(len(curves)), key=lambda i: _evidence(curves[i])):
        if budget is not None and budget.spent:
            break
        curve = curves[index]
        covered = lying.covered(index, alive)
        if _is_duplicate(covered, min_own_columns) and (
            _own_edge_columns(curve, covered, shape, reach) < min_edge_columns
        ):
            alive[index] = False
    return [curve for index, curve in enumerate(curves) if alive[index]]


def _evidence(curve: TracedCurve) -> float:
    """How surely a track is a curve of its own: its lone columns, and its length."""
    return float((curve.shared == 1).sum() + 0.5 * curve.span)


def _is_duplicate(covered: np.ndarray, min_own_columns: int) -> bool:
    """Whether a curve whose columns lie on kept curves where ``covered`` adds nothing."""
    if covered.mean() >= TRACKING.duplicate_fraction or (~covered).sum() < min_own_columns:
        return True
    leaves_at_end = not covered[:min_own_columns].any() or not covered[-min_own_columns:].any()
    return bool(covered.mean() >= TRACKING.duplicate_inside_fraction and not leaves_at_end)


def _own_edge_columns(
    curve: TracedCurve, covered: np.ndarray, shape: tuple[int, int], reach: int
) -> int:
    """Columns the curve runs apart from kept curves from an end on the frame (any side)."""
    height, width = shape
    edge = max(reach, TRACKING.edge_reach_px)

    def on_frame(column: int, row: float) -> bool:
        return min(column, width - 1 - column, row, height - 1 - row) <= edge

    own = 0
    if on_frame(int(curve.column[0]), float(curve.enter[0])):
        own = int(np.argmax(covered)) if covered.any() else covered.size
    if on_frame(int(curve.column[-1]), float(curve.leave[-1])):
        tail = covered[::-1]
        own = max(own, int(np.argmax(tail)) if tail.any() else tail.size)
    return own
