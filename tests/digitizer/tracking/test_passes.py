"""Both passes' tracks are joined into curves, and a plot is tracked both ways."""

import numpy as np

from graphq.digitizer.tracking.passes import join_passes, track_both_ways
from graphq.digitizer.tracking.runs import column_runs
from graphq.digitizer.tracking.scale import PlotScale
from graphq.digitizer.tracking.tracks import TracedCurve

_SHAPE = (100, 200)
_ROW = 50.0


def test_a_backward_track_where_two_curves_run_together_does_not_make_one_curve_of_them() -> None:
    # Two curves 20 px apart on the left, a pixel apart on the right half (each its own
    # run, as curves merging at long pulse widths). A backward track started on the right
    # takes one run of the upper curve, then the lower's: it agrees with either forward
    # track alone, but the two forward tracks disagree on the left.
    columns = np.arange(_SHAPE[1])
    lone = np.ones(columns.size, dtype=np.int64)
    upper_rows = np.full(columns.size, _ROW)
    lower_rows = _ROW + 1 + np.maximum(0, 100 - columns) * 0.2
    upper = TracedCurve(columns, upper_rows, upper_rows, lone, columns)
    lower = TracedCurve(columns, lower_rows, lower_rows, lone, columns + _SHAPE[1])
    right = columns[100:]
    rows = np.where(right == 100, _ROW, lower_rows[100:])
    runs = np.where(right == 100, right, right + _SHAPE[1])
    tie = TracedCurve(right, rows, rows, lone[100:], runs)
    curves = join_passes([upper, lower], [tie], tolerance_px=2.0)
    assert len(curves) == 2
    left_rows = sorted(float(curve.middle[curve.column == 50][0]) for curve in curves)
    assert left_rows == [_ROW, lower_rows[50]]


def test_curves_running_together_on_the_left_are_told_apart_all_along() -> None:
    # Two lines in one run on the left half, 30 px apart at the right edge: only the pass
    # walking into the bundle (right to left) divides the run between two tracks.
    ink = np.zeros(_SHAPE, dtype=np.float32)
    columns = np.arange(_SHAPE[1])
    upper = np.full(columns.size, _ROW)
    lower = _ROW + 1 + np.maximum(0, columns - 100) * 0.3
    for rows in (upper, lower):
        ink[np.round(rows).astype(int), columns] = 1.0
    curves = track_both_ways(column_runs(ink, 0.5), PlotScale(1.0, None, _SHAPE[1], _SHAPE[0]))
    whole = [c for c in curves if c.span >= 0.95 * _SHAPE[1]]
    assert len(whole) == 2
    at_end = sorted(float(c.middle[-1]) for c in whole)
    np.testing.assert_allclose(at_end, [_ROW, lower[-1]], atol=1.0)
