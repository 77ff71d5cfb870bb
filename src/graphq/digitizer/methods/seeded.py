"""A curve a person pointed at: traced through the ink between a few clicks along it.

Between two consecutive clicks, each column's prediction is the straight line from the last
traced row to the next click; the column run of curve ink nearest to it within a gate is
taken (its ink-weighted centroid), otherwise the trace coasts on the prediction. A stretch
where the ink was missing in most columns is drawn straight between the clicks and the
result says so with a review reason, rather than passing guessed ink off as traced.
"""

from __future__ import annotations

import itertools

import numpy as np

from graphq.digitizer.axes.calibration import build_calibration
from graphq.digitizer.preprocessing.ink import curve_threshold, darkness
from graphq.digitizer.tracking.runs import ColumnRuns, column_runs
from graphq.digitizer.types import Curve, GraphMeta
from graphq.review import Review, ReviewReason

# Ink below this darkness is paper or a faint grid line, not a curve.
_INK_FLOOR = 0.25
# A run is the curve's continuation within this many px of the prediction, or this share of
# the image height (a click lands a few px off a thin line; steep stretches move fast).
_GATE_PX = 4.0
_GATE_FRACTION = 0.02
# A stretch between clicks is drawn straight when ink was found in fewer of its columns.
_MIN_FOUND_FRACTION = 0.5
# The colour an added curve is drawn in on the overlay.
_ADDED_COLOUR = "#d6006e"


def trace_between_clicks(
    image: np.ndarray,
    clicks: list[list[float]],
    meta: GraphMeta,
    plot_area: list[float],
    label: str,
) -> tuple[Curve, Review]:
    """The curve through ``clicks`` (image pixels, at least two, any order along x) in the
    units of ``meta``'s axes, and the doubts about it."""
    ink = darkness(image)
    runs = column_runs(ink, curve_threshold(ink, _INK_FLOOR))
    gate = max(_GATE_PX, _GATE_FRACTION * ink.shape[0])
    ordered = sorted((float(x), float(y)) for x, y in clicks)
    review = Review()
    columns: list[int] = []
    rows: list[float] = []
    found_total = 0
    for (xa, ya), (xb, yb) in itertools.pairwise(ordered):
        stretch = list(range(round(xa), round(xb) + 1))
        traced, found = _follow(runs, stretch, ya, yb, gate)
        if len(stretch) > 1 and found < _MIN_FOUND_FRACTION * len(stretch):
            traced = [float(y) for y in np.interp(stretch, [xa, xb], [ya, yb])]
            found = 0
            review.add(
                ReviewReason.LOW_CONFIDENCE,
                f"curve {label!r}: no ink followed from x={xa:.0f} to x={xb:.0f} px; "
                "drawn straight between the clicks",
            )
        found_total += found
        skip = 1 if columns and stretch and columns[-1] == stretch[0] else 0
        columns.extend(stretch[skip:])
        rows.extend(traced[skip:])
    pixels = np.column_stack((np.asarray(columns, dtype=np.float64), np.asarray(rows)))
    values = build_calibration(meta, plot_area).pixels_to_values(pixels)
    confidence = found_total / max(len(columns), 1)
    curve = Curve(
        label=label,
        value=None,
        color=_ADDED_COLOUR,
        points=[[float(x), float(y)] for x, y in values],
        confidence=round(min(confidence, 1.0), 3),
    )
    return curve, review


def _follow(
    runs: ColumnRuns, stretch: list[int], y_from: float, y_to: float, gate: float
) -> tuple[list[float], int]:
    """Rows along ``stretch`` from ``y_from`` heading for ``y_to``, and how many were ink."""
    traced: list[float] = []
    found = 0
    row = y_from
    for step, column in enumerate(stretch):
        remaining = len(stretch) - step
        predicted = row + (y_to - row) / remaining
        on_ink = _nearest_run(runs, column, predicted, gate)
        found += on_ink is not None
        row = on_ink if on_ink is not None else predicted
        traced.append(row)
    return traced, found


def _nearest_run(runs: ColumnRuns, column: int, predicted: float, gate: float) -> float | None:
    """The centroid row of the column's run nearest to ``predicted``, within ``gate``."""
    if column < 0 or column >= runs.offsets.size - 1:
        return None
    best: float | None = None
    best_distance = gate
    for index in runs.in_column(column):
        top, bottom = float(runs.top[index]), float(runs.bottom[index])
        distance = max(top - predicted, predicted - bottom, 0.0)
        if distance <= best_distance:
            best, best_distance = float(runs.centroid[index]), distance
    return best
