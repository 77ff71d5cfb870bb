"""Curves drawn on top of each other: one stroke thicker than a line, all along.

Thermal-impedance curves for small duty cycles, or output curves at low drain voltage, can
lie within a line width of each other over the whole plot. No column then shows them apart,
and the tracker follows one stroke; but that stroke carries the ink of all of them. A stroke's
width is its ink per column over its darkness (anti-aliasing keeps that sum exact where run
heights are whole pixels). When the caller says how many curves the graph has and fewer were
found, the strokes much wider than the plot's typical curve along most of their length are
read as several curves, spread evenly across them.

Over part of their length, curves told apart elsewhere run in one stroke too (output
curves fanning out of the origin, steep ones blurred together there): a curve whose track
ends on another curve inside the plot runs on along that one to where it ends.
"""

from __future__ import annotations

import numpy as np

from graphq.digitizer.budget import Budget
from graphq.digitizer.tracking.coverage import lies_on
from graphq.digitizer.tracking.runs import ColumnRuns
from graphq.digitizer.tracking.scale import PlotScale
from graphq.digitizer.tracking.settings import TRACKING
from graphq.digitizer.tracking.tracks import NO_RUN, TracedCurve, end_slope, join_at


def split_merged(
    curves: list[TracedCurve], runs: ColumnRuns, peak: np.ndarray, missing: int
) -> list[TracedCurve]:
    """The curves, with the widest strokes read as several curves, ``missing`` more in all.

    ``peak`` is the darkest ink near each pixel, the stroke's darkness. A stroke's width
    alone is no proof (vendors draw some curves bolder), so this only runs when the caller
    said how many curves there are and fewer were told apart.
    """
    if missing <= 0:
        return curves
    widths = [_stroke_widths(curve, runs, peak) for curve in curves]
    for index, curve in enumerate(curves):
        widths[index][_beside_another(curve, curves, widths[index])] = np.nan
    measured = [w[~np.isnan(w)] for w in widths]
    if sum(w.size for w in measured) == 0:
        return curves
    typical = float(np.median(np.concatenate(measured)))
    extra = [0] * len(curves)
    ratios = [
        float(np.median(seen / typical))
        if seen.size >= TRACKING.min_stroke_columns
        and np.mean(seen / typical >= TRACKING.wider) >= TRACKING.wide_fraction
        else 0.0
        for seen in measured
    ]
    for index in sorted(range(len(curves)), key=lambda i: -ratios[i]):
        if missing == 0 or ratios[index] == 0.0:
            break
        held = min(
            TRACKING.max_curves_per_stroke, 1 + int(np.floor(ratios[index] - (TRACKING.wider - 1)))
        )
        extra[index] = min(missing, held - 1)
        missing -= extra[index]
    result: list[TracedCurve] = []
    for curve, width, more in zip(curves, widths, extra, strict=True):
        result.extend(_spread(curve, width, typical, 1 + more) if more else [curve])
    return result


def _stroke_widths(curve: TracedCurve, runs: ColumnRuns, peak: np.ndarray) -> np.ndarray:
    """Per column, the stroke's width in px where the curve runs alone and flat in one of
    ``runs``, else NaN: a pale curve's samples are of runs traced at a lower floor."""
    steps = np.abs(np.gradient(curve.middle, curve.column)) if curve.column.size > 1 else 0.0
    usable = (curve.shared == 1) & (np.abs(curve.leave - curve.enter) < TRACKING.flat_step_px)
    usable &= (steps < TRACKING.flat_step_px) & (curve.run != NO_RUN)
    rows = np.clip(np.round(curve.middle).astype(np.int64), 0, peak.shape[0] - 1)
    darkness = np.maximum(peak[rows[usable], curve.column[usable]], 1e-6)
    widths = np.full(curve.column.size, np.nan)
    widths[usable] = runs.mass[curve.run[usable]] / darkness
    return widths


def _beside_another(curve: TracedCurve, curves: list[TracedCurve], width: np.ndarray) -> np.ndarray:
    """Per column, whether another curve found runs within the stroke's width of this one:
    the stroke is then wide with a curve that was told apart, not with hidden ones."""
    beside = np.zeros(curve.column.size, dtype=bool)
    reach = np.nan_to_num(width, nan=0.0) + 1.0
    for other in curves:
        if other is curve:
            continue
        # Across the columns it bridged too: a curve hidden in the stroke is seen nowhere.
        within = (curve.column >= other.column[0]) & (curve.column <= other.column[-1])
        rows = np.interp(curve.column, other.column, other.middle)
        beside |= within & (np.abs(curve.middle - rows) <= reach)
    return beside


def _spread(curve: TracedCurve, width: np.ndarray, typical: float, count: int) -> list[TracedCurve]:
    """``count`` curves evenly across the stroke where it was measured wide, else on it."""
    wide = ~np.isnan(width)
    half = np.where(wide, np.maximum(width - typical, 0.0) / 2.0, 0.0)
    shared = np.where(wide, count, curve.shared)
    copies = []
    for offset in np.linspace(-1.0, 1.0, count):
        enter = curve.enter + offset * half
        leave = curve.leave + offset * half
        copies.append(TracedCurve(curve.column, enter, leave, shared, curve.run))
    return copies


def extend_into_bundles(
    curves: list[TracedCurve], scale: PlotScale, budget: Budget | None = None
) -> list[TracedCurve]:
    """Each curve that ends inside the plot on another curve going on beyond it, carried on
    along that one; a curve that is then a copy of the one it was carried along is dropped.

    The end's stroke may be as far (square to the curve) from the other curve's as a steep
    stretch's height, as strokes blurred into one run are. An end that reaches the frame is
    where the curve leaves the plot, and stays. Starts are carried leftmost host first and
    ends rightmost first, so a curve leaving a bundle whose host leaves it too goes on along
    the host's own carried part (transfer curves fanning out of one stroke one by one), and
    the bundle's own piece, carried on along one of them, becomes that one's copy. Past
    ``budget`` the curves not yet looked at stay as they are.
    """
    reach_px, shape, frame_px = scale.steep_height_px, scale.shape, TRACKING.frame_reach_px
    extended = list(curves)
    hosts: dict[int, int] = {}
    firsts = np.array([int(c.column[0]) for c in curves], dtype=np.int64)
    lasts = np.array([int(c.column[-1]) for c in curves], dtype=np.int64)
    for at_start in (True, False):
        order = np.argsort(firsts if at_start else -lasts, kind="stable").tolist()
        for index in order:
            if budget is not None and budget.spent:
                break
            curve = extended[index]
            column = int(curve.column[0] if at_start else curve.column[-1])
            beyond = (firsts < column) if at_start else (lasts > column)
            # Only curves running on past the end can carry it: one interval test each.
            candidates = np.flatnonzero(beyond & (firsts <= column) & (lasts >= column))
            host = _host(
                curve,
                [(int(i), extended[int(i)]) for i in candidates if int(i) != index],
                at_start,
                reach_px,
                shape,
                frame_px,
            )
            if host is not None:
                extended[index] = _carried_on(curve, extended[host], at_start)
                firsts[index], lasts[index] = extended[index].column[[0, -1]]
                hosts[index] = host
    copies: set[int] = set()
    for index, host in hosts.items():
        if host not in copies and _copy_of(extended[index], extended[host], scale.on_curve_px):
            copies.add(index)
    return [curve for index, curve in enumerate(extended) if index not in copies]


def _copy_of(curve: TracedCurve, other: TracedCurve, tolerance_px: float) -> bool:
    """Whether ``curve`` lies on ``other`` over nearly all of its columns and is no longer."""
    covered = lies_on(curve, other, tolerance_px)
    return curve.span <= other.span and bool(covered.mean() >= TRACKING.duplicate_fraction)


def _host(
    curve: TracedCurve,
    others: list[tuple[int, TracedCurve]],
    at_start: bool,
    reach_px: float,
    shape: tuple[int, int],
    frame_px: int,
) -> int | None:
    """Of ``others`` (each running on beyond ``curve``'s end), the index of the one nearest
    to that end, within ``reach_px``."""
    height, width = shape
    end = 0 if at_start else -1
    column = int(curve.column[end])
    row = float(curve.enter[0] if at_start else curve.leave[-1])
    if min(column, width - 1 - column, row, height - 1 - row) <= frame_px:
        return None
    # The end's whole stroke, which a steep end draws down its column; strokes as close
    # square to a steep curve are further apart down the column.
    top = float(min(curve.enter[end], curve.leave[end]))
    bottom = float(max(curve.enter[end], curve.leave[end]))
    reach_rows = reach_px * float(np.hypot(1.0, end_slope(curve, at_end=not at_start)))
    best: tuple[float, int] | None = None
    for index, other in others:
        low = float(np.interp(column, other.column, np.minimum(other.enter, other.leave)))
        high = float(np.interp(column, other.column, np.maximum(other.enter, other.leave)))
        distance = max(low - bottom, top - high, 0.0)
        if distance <= reach_rows and (best is None or distance < best[0]):
            best = (distance, index)
    return None if best is None else best[1]


def _carried_on(curve: TracedCurve, host: TracedCurve, at_start: bool) -> TracedCurve:
    """``curve`` with ``host``'s samples beyond its end, as shared with it."""
    if at_start:
        first = int(curve.column[0])
        joined = join_at(host, curve, first - 1)
        inside = joined.column < first
    else:
        last = int(curve.column[-1])
        joined = join_at(curve, host, last)
        inside = joined.column > last
    shared = np.where(inside, np.maximum(joined.shared, 2), joined.shared)
    return TracedCurve(joined.column, joined.enter, joined.leave, shared, joined.run)
