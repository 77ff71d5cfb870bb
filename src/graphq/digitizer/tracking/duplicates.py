"""Dropping curves that repeat others.

A curve whose columns lie almost all on a better curve is a duplicate (a second track on
one curve, a leader arrow running into its curve). Once all curves are known, one lying on
the others together (a track crossing over from one curve to another) is a duplicate too.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from graphq.digitizer.budget import Budget
from graphq.digitizer.tracking.coverage import (
    Overlaps,
    lies_on,
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
    tolerance_px, shape = scale.on_curve_px, scale.shape
    min_edge_columns = scale.min_edge_own if fanning else scale.columns
    reach = max(1, round(tolerance_px))

    def duplicate(curve: TracedCurve, taken: np.ndarray) -> bool:
        covered = on_taken(curve, taken, reach)

        def hosts(sample: int) -> list[TracedCurve]:
            at = curve.part(slice(sample, sample + 1))
            return [k for k in kept if lies_on(at, k, tolerance_px)[0]]

        return _is_duplicate(curve, covered, scale, reach, hosts) and (
            _own_edge_columns(curve, covered, shape, reach) < min_edge_columns
        )

    taken = taken_plane(shape, reach)
    kept: list[TracedCurve] = []
    for curve in ranked:
        if duplicate(curve, taken):
            if budget is not None and budget.spent:
                continue
            fraction = TRACKING.duplicate_fraction
            on = [lies_on(k, curve, tolerance_px).mean() >= fraction for k in kept]
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
    tolerance_px, shape = scale.on_curve_px, scale.shape
    min_edge_columns = scale.min_edge_own
    lying = overlaps(curves, tolerance_px)
    copy_px = tolerance_px + TRACKING.copy_line_widths * scale.line_width_px
    beside = overlaps(curves, copy_px)
    reach = max(1, round(tolerance_px))
    alive = np.ones(len(curves), dtype=bool)
    for index in sorted(range(len(curves)), key=lambda i: _evidence(curves[i])):
        if budget is not None and budget.spent:
            break
        curve = curves[index]
        covered = lying.covered(index, alive)

        def hosts(sample: int, index: int = index) -> list[TracedCurve]:
            return [curves[o] for o, on in lying.on_each(index).items() if alive[o] and on[sample]]

        duplicate = _is_duplicate(curve, covered, scale, reach, hosts) and (
            _own_edge_columns(curve, covered, shape, reach) < min_edge_columns
        )
        if duplicate or _runs_beside(curve, curves, lying, beside, index, alive):
            alive[index] = False
    return [curve for index, curve in enumerate(curves) if alive[index]]


def _runs_beside(
    curve: TracedCurve,
    curves: list[TracedCurve],
    lying: Overlaps,
    beside: Overlaps,
    index: int,
    alive: np.ndarray,
) -> bool:
    """Whether the curve runs beside one other curve, no shorter, nearly all along
    (``beside``: within ``copy_line_widths`` of touching it) but mostly a stroke apart from
    it (``lying``: touching it): a second track along the far edge of a thick stroke, or a
    curve the vendor drew twice a line's width apart. Curves of a bundle run in one stroke
    with each other (thermal-impedance curves at short pulses), and apart where their
    parameters differ."""
    touching = lying.on_each(index)
    for other, on in beside.on_each(index).items():
        if not alive[other] or curves[other].span < curve.span:
            continue
        touches = float(touching[other].mean()) if other in touching else 0.0
        if on.mean() >= TRACKING.copy_fraction and touches <= TRACKING.max_copy_touching:
            return True
    return False


def _evidence(curve: TracedCurve) -> float:
    """How surely a track is a curve of its own: its lone columns, and its length
    (``evidence_span_weight``)."""
    return float((curve.shared == 1).sum() + TRACKING.evidence_span_weight * curve.span)


def _is_duplicate(
    curve: TracedCurve,
    covered: np.ndarray,
    scale: PlotScale,
    reach: int,
    hosts: Callable[[int], list[TracedCurve]],
) -> bool:
    """Whether a curve whose columns lie on kept curves where ``covered`` adds nothing: it
    leaves them for too few columns, or lies on them mostly and leaves them only in its middle
    (bounced at a crossing) or at an end inside the plot, veering off as a copy does into a
    label's text or along its pointer: rising or falling there no more than a label's line,
    while a curve it lay on (``hosts``: those it lies on at a sample) runs on past that end.
    A curve fanning out of a bundle runs on to the frame, climbs or falls away from it, or
    ends with the curves of its family."""
    min_own_columns = scale.min_own
    if covered.mean() >= TRACKING.duplicate_fraction or (~covered).sum() < min_own_columns:
        return True
    if covered.mean() < TRACKING.duplicate_inside_fraction:
        return False
    head, tail = int(np.argmax(covered)), int(np.argmax(covered[::-1]))
    first, last = _ends_on_frame(curve, scale.shape, reach)
    if (head >= min_own_columns and first) or (tail >= min_own_columns and last):
        return False
    # Without a measured glyph height no end is taken for a label's.
    veer_px = TRACKING.max_veer_glyphs * scale.text_px if scale.text_px else -1.0
    past = scale.min_edge_own
    start, stop = int(curve.column[0]), int(curve.column[-1])
    if head >= min_own_columns and not (
        float(np.ptp(curve.middle[:head])) <= veer_px
        and any(int(h.column[0]) <= start - past for h in hosts(head))
    ):
        return False
    departure = curve.column.size - tail - 1
    return tail < min_own_columns or (
        float(np.ptp(curve.middle[departure + 1 :])) <= veer_px
        and any(int(h.column[-1]) >= stop + past for h in hosts(departure))
    )


def _ends_on_frame(curve: TracedCurve, shape: tuple[int, int], reach: int) -> tuple[bool, bool]:
    """Whether the curve's first and last ends lie on the frame (any side)."""
    height, width = shape
    edge = max(reach, TRACKING.edge_reach_px)

    def on_frame(column: int, row: float) -> bool:
        return min(column, width - 1 - column, row, height - 1 - row) <= edge

    return (
        on_frame(int(curve.column[0]), float(curve.enter[0])),
        on_frame(int(curve.column[-1]), float(curve.leave[-1])),
    )


def _own_edge_columns(
    curve: TracedCurve, covered: np.ndarray, shape: tuple[int, int], reach: int
) -> int:
    """Columns the curve runs apart from kept curves from an end on the frame (any side)."""
    first, last = _ends_on_frame(curve, shape, reach)
    own = 0
    if first:
        own = int(np.argmax(covered)) if covered.any() else covered.size
    if last:
        tail = covered[::-1]
        own = max(own, int(np.argmax(tail)) if tail.any() else tail.size)
    return own
