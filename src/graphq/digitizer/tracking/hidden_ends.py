"""A curve's end hidden under a label that stands against the frame.

Vendors label thermal-impedance and other curve families where the curves meet the frame,
the label's white background covering the curve from the frame to the label's far side
(FQA19N20's "D=0.5", "0.2", … at the left edge). The track starts past the label, and the
curve, which runs on under it to the frame, comes out short by the label's width. When the
straight line on from the curve's end runs under a label to the left or right side of the
frame, the curve is carried on along it; the carried samples are marked seen in no run. Each
carried stretch is a guess the ink cannot back (the straight line is assumed, not seen), so it
is a review reason (``low_confidence``) naming the curve and the columns, whatever the curve's
confidence: a person checks the stretch or the label's neighbourhood.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from graphq.digitizer.budget import Budget
from graphq.digitizer.tracking.scale import PlotScale
from graphq.digitizer.tracking.settings import TRACKING
from graphq.digitizer.tracking.tracks import NO_RUN, TracedCurve, end_slope, unite
from graphq.review import Review, ReviewReason


@dataclass(frozen=True)
class Carried:
    """The curves with their hidden ends carried to the frame, and a review reason per carried
    stretch, said for a person."""

    curves: list[TracedCurve]
    review: Review


def extend_under_labels(
    curves: list[TracedCurve],
    scale: PlotScale,
    under_labels: np.ndarray | None,
    budget: Budget | None = None,
) -> Carried:
    """The curves, each end whose straight continuation to the frame's left or right side
    runs under labels (``under_labels``, where text and boxes covered the plot) carried on
    to that side, with a review reason per carried end naming the curve and the columns carried.

    The continuation is the end's fitted slope; it must reach the side within the scale's
    ``max_corner`` columns (a label's width) and within the plot's rows, no longer than half
    the curve (a hidden stretch is only as believable as the curve beside it is long), and
    run under labels over ``under_label_fraction`` of its columns. An end at the frame
    already stays. Each end costs its continuation's columns, so the whole is linear in the
    curves' ends; past ``budget`` the curves stay as they are.
    """
    review = Review()
    if under_labels is None or (budget is not None and budget.spent):
        return Carried(curves, review)
    extended: list[TracedCurve] = []
    for curve in curves:
        parts = [curve]
        for at_end in (False, True):
            hidden = _hidden_stretch(curve, scale, under_labels, at_end)
            if hidden is not None:
                parts.append(hidden)
                seen = (curve.leave[-1], "end") if at_end else (curve.enter[0], "start")
                review.add(
                    ReviewReason.LOW_CONFIDENCE,
                    f"the curve over plot columns {int(curve.column[0])}–"
                    f"{int(curve.column[-1])} (its {seen[1]} at row {float(seen[0]):.0f}) was "
                    f"carried on under a label to the frame's {'right' if at_end else 'left'} "
                    f"side, over plot columns {int(hidden.column[0])}–{int(hidden.column[-1])} "
                    "where it was not seen",
                )
        extended.append(curve if len(parts) == 1 else unite(parts))
    return Carried(extended, review)


def _hidden_stretch(
    curve: TracedCurve, scale: PlotScale, under_labels: np.ndarray, at_end: bool
) -> TracedCurve | None:
    """The samples from ``curve``'s end (its last one when ``at_end``) on to the frame's
    side, or None when the label does not hide them."""
    height, width = scale.shape
    reach_px = TRACKING.frame_reach_px
    column = int(curve.column[-1] if at_end else curve.column[0])
    row = float(curve.leave[-1] if at_end else curve.enter[0])
    columns = (
        np.arange(column + 1, width, dtype=np.int64)
        if at_end
        else np.arange(0, column, dtype=np.int64)
    )
    if (
        column <= reach_px
        or column >= width - 1 - reach_px
        or columns.size > scale.max_corner
        or 2 * columns.size > curve.span
    ):
        return None
    rows = row + end_slope(curve, at_end=at_end) * (columns - column)
    if rows.min() < 0.0 or rows.max() > height - 1:
        return None
    covered = under_labels[np.round(rows).astype(np.int64), columns]
    if covered.mean() < TRACKING.under_label_fraction:
        return None
    shared_with_none = np.zeros(columns.size, dtype=np.int64)
    return TracedCurve(columns, rows, rows.copy(), shared_with_none, np.full_like(columns, NO_RUN))
