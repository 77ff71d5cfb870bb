"""A curve's end hooked away from the bundle it comes out of.

Where curves run together in one stroke (transfer curves below their temperature-compensation
point, thermal-impedance curves at long pulses), the track of a curve told apart only past the
bundle often takes, in its last few columns before it, a run of a grid line's remnant, a
label's stroke or a stray: its end hooks away across a few columns, off the curve it joins.
Cut back to where it leaves the bundle, the end lies on that curve, and
:func:`graphq.digitizer.tracking.merged.extend_into_bundles` carries it on along it.
"""

from __future__ import annotations

import numpy as np

from graphq.digitizer.budget import Budget
from graphq.digitizer.tracking.scale import PlotScale
from graphq.digitizer.tracking.settings import TRACKING
from graphq.digitizer.tracking.tracks import TracedCurve, end_slope


def unhook(
    curves: list[TracedCurve], scale: PlotScale, budget: Budget | None = None
) -> list[TracedCurve]:
    """The curves, each end that hooks away from another curve running on beyond it cut back
    to where it lies on that curve.

    A hook is at most the scale's ``max_gap`` columns (a track's coast) and departs from the
    line of the curve's end by more than a steep stretch's height; the end without it must
    lie within that height (square to the curve) of another curve, inside the plot, that
    runs on past the hook. An end already on such a curve stays. Each end is tested against
    the curves spanning its column only; past ``budget`` the curves not yet looked at stay.
    """
    firsts = np.array([int(c.column[0]) for c in curves], dtype=np.int64)
    lasts = np.array([int(c.column[-1]) for c in curves], dtype=np.int64)
    result = []
    for index, curve in enumerate(curves):
        if budget is None or not budget.spent:
            others = (firsts, lasts, curves, index)
            curve = _unhooked(curve, others, scale, at_start=True)
            curve = _unhooked(curve, others, scale, at_start=False)
        result.append(curve)
    return result


def _unhooked(
    curve: TracedCurve,
    others: tuple[np.ndarray, np.ndarray, list[TracedCurve], int],
    scale: PlotScale,
    at_start: bool,
) -> TracedCurve:
    """``curve`` with the hook at one end cut off, when cutting it puts the end on a curve
    running on beyond it."""
    hook, reach_px = scale.max_gap, scale.steep_height_px
    size = curve.column.size
    if size < 3 * hook:
        return curve
    for cut in range(hook + 1):
        body = curve.part(slice(cut, None) if at_start else slice(None, size - cut))
        if cut and not _departs(curve, body, cut, at_start, reach_px):
            continue
        if _on_a_host(body, curve, others, scale, at_start):
            return body
        if cut == 0 and _ends_at_frame(body, scale, at_start):
            return curve
    return curve


def _departs(
    curve: TracedCurve, body: TracedCurve, cut: int, at_start: bool, reach_px: float
) -> bool:
    """Whether the ``cut`` samples beyond ``body``'s end stray from its end's line by more
    than ``reach_px``."""
    hook = slice(0, cut) if at_start else slice(curve.column.size - cut, None)
    end = 0 if at_start else -1
    slope = end_slope(body, at_end=not at_start)
    steps = curve.column[hook] - body.column[end]
    predicted = body.middle[end] + slope * steps
    strays = np.maximum(
        np.abs(curve.enter[hook] - predicted), np.abs(curve.leave[hook] - predicted)
    )
    return bool(strays.max() > reach_px)


def _ends_at_frame(curve: TracedCurve, scale: PlotScale, at_start: bool) -> bool:
    height, width = scale.shape
    end = 0 if at_start else -1
    column, row = int(curve.column[end]), float(curve.middle[end])
    return min(column, width - 1 - column, row, height - 1 - row) <= TRACKING.frame_reach_px


def _on_a_host(
    body: TracedCurve,
    curve: TracedCurve,
    others: tuple[np.ndarray, np.ndarray, list[TracedCurve], int],
    scale: PlotScale,
    at_start: bool,
) -> bool:
    """Whether ``body``'s end lies inside the plot, within a steep stretch's height (square
    to the curve) of another curve running on beyond the end of ``curve``, hook and all."""
    if _ends_at_frame(body, scale, at_start):
        return False
    firsts, lasts, curves, index = others
    end = 0 if at_start else -1
    column = int(body.column[end])
    hooked = int(curve.column[end])
    beyond = firsts < hooked if at_start else lasts > hooked
    candidates = np.flatnonzero(beyond & (firsts <= column) & (lasts >= column))
    top = float(min(body.enter[end], body.leave[end]))
    bottom = float(max(body.enter[end], body.leave[end]))
    slope = end_slope(body, at_end=not at_start)
    reach_rows = scale.steep_height_px * float(np.hypot(1.0, slope))
    for other_index in candidates.tolist():
        if other_index == index:
            continue
        other = curves[other_index]
        low = float(np.interp(column, other.column, np.minimum(other.enter, other.leave)))
        high = float(np.interp(column, other.column, np.maximum(other.enter, other.leave)))
        if max(low - bottom, top - high, 0.0) <= reach_rows:
            return True
    return False
