"""Curves drawn on top of each other are read from their stroke's width, when the count is
known, and a curve told apart only where it leaves a bundle runs on along it."""

import numpy as np
from scipy import ndimage

from graphq.digitizer.tracking.faint import faint_curves
from graphq.digitizer.tracking.merged import extend_into_bundles, split_merged
from graphq.digitizer.tracking.runs import column_runs
from graphq.digitizer.tracking.scale import PlotScale
from graphq.digitizer.tracking.tracker import track_pass
from graphq.digitizer.tracking.tracks import TracedCurve, to_curve
from tests.digitizer.curves import traced_curve

_WIDTH = 200
# Lines 2 px wide: an end's stroke within 7 px of another curve's lies in its bundle.
_SCALE = PlotScale(2.0, None, _WIDTH, 120)


def _traced(ink: np.ndarray) -> tuple[list[TracedCurve], np.ndarray]:
    runs = column_runs(ink, 0.5)
    curves = [to_curve(track) for track in track_pass(runs, range(_WIDTH), _SCALE)]
    return sorted(curves, key=lambda c: float(c.middle.mean())), runs


def _plot(strokes: list[tuple[int, int]]) -> np.ndarray:
    ink = np.zeros((120, _WIDTH), dtype=np.float32)
    for top, thickness in strokes:
        ink[top : top + thickness, :] = 1.0
    return ink


def test_a_stroke_twice_as_wide_as_the_others_holds_the_missing_curve() -> None:
    # Two 2 px curves 2 px apart touch into one 4 px stroke; two more curves lie alone.
    ink = _plot([(20, 2), (40, 2), (60, 4)])
    curves, runs = _traced(ink)
    peak = ndimage.maximum_filter(ink, size=5)
    split = split_merged(curves, runs, peak, missing=1)
    assert len(split) == 4
    rows = sorted(float(np.median(c.middle)) for c in split)
    np.testing.assert_allclose(rows, [20.5, 40.5, 60.5, 62.5], atol=0.3)


def test_nothing_is_split_when_no_curve_is_missing() -> None:
    ink = _plot([(20, 2), (60, 4)])
    curves, runs = _traced(ink)
    peak = ndimage.maximum_filter(ink, size=5)
    assert split_merged(curves, runs, peak, missing=0) == curves


def test_strokes_as_wide_as_the_plots_typical_curve_are_not_split() -> None:
    # Every curve is drawn bold: none is wider than the typical one, so none hides another.
    ink = _plot([(20, 4), (60, 4), (90, 4)])
    curves, runs = _traced(ink)
    peak = ndimage.maximum_filter(ink, size=5)
    assert len(split_merged(curves, runs, peak, missing=2)) == 3


def test_a_pale_curve_traced_in_more_runs_than_the_main_pass_found_is_left_whole() -> None:
    # A short dark curve (60 runs in the main pass) and a pale one across the whole plot,
    # which the pale pass traces in runs of its own, numbered past the main pass's.
    ink = _plot([])
    ink[20:22, :60] = 1.0
    columns = np.arange(_WIDTH)
    pale_rows = 30 + 60 / (1 + np.exp(-(columns - 100) / 15.0))
    ink[np.round(pale_rows).astype(int), columns] = 0.12
    dark, runs = _traced(ink)
    curves = faint_curves(ink, ([], []), dark, _SCALE)
    assert len(curves) == 2 and runs.mass.size == 60
    peak = ndimage.maximum_filter(ink, size=5)
    assert split_merged(curves, runs, peak, missing=1) == curves


def test_a_curve_leaving_a_bundle_runs_on_along_it_to_the_frame() -> None:
    # Output curves from the origin: the steeper one is told apart only from column 60,
    # where it leaves the other one's stroke.
    columns = np.arange(_WIDTH)
    host = traced_curve(columns, 110.0 - 0.3 * columns)
    apart = columns[60:]
    leaving = traced_curve(apart, 110.0 - 18.0 - 0.6 * (apart - 60))
    _, extended = extend_into_bundles([host, leaving], _SCALE)
    np.testing.assert_array_equal(extended.column, columns)
    np.testing.assert_allclose(extended.middle[:60], host.middle[:60])
    assert (extended.shared[:60] == 2).all() and (extended.shared[60:] == 1).all()


def test_a_steep_curve_leaving_a_steep_bundle_runs_on_along_it() -> None:
    # Both rise 3 and 4 rows per column: 2 px apart square to them where the steeper one
    # is told apart, but 6 rows apart down the column.
    host = traced_curve(np.arange(40), 119.0 - 3.0 * np.arange(40))
    apart = np.arange(20, 45)
    leaving = traced_curve(apart, 65.0 - 4.0 * (apart - 20))
    _, extended = extend_into_bundles([host, leaving], _SCALE)
    assert extended.column[0] == 0


def test_a_curve_ending_on_the_frame_or_away_from_others_is_left_as_it_is() -> None:
    # A curve rising from the bottom edge right beside a curve running along it, and one
    # starting inside the plot far from any other.
    columns = np.arange(_WIDTH)
    along_bottom = traced_curve(columns, np.full(_WIDTH, 116.0))
    from_edge = traced_curve(columns[60:], 117.0 - 0.5 * (columns[60:] - 60))
    alone = traced_curve(columns[60:], np.full(140, 20.0))
    curves = [along_bottom, from_edge, alone]
    assert extend_into_bundles(curves, _SCALE) == curves


def test_curves_fanning_out_of_a_bundle_one_by_one_all_run_on_along_it() -> None:
    # Transfer curves: one stroke from the left edge to column 60, tracked as a piece of its
    # own; the first curve leaves it there, the second leaves the first at column 90, the
    # third leaves the second at column 120. Each is carried on along the one it left, back
    # to the edge, and the stroke's piece, carried on along the first, is its copy.
    columns = np.arange(_WIDTH)
    shared = 110.0 - 0.3 * columns
    first = np.where(columns < 60, shared, shared[60] - 0.9 * (columns - 60))
    second = np.where(columns < 90, first, first[90] - 0.5 * (columns - 90))
    third = np.where(columns < 120, second, second[120] - 0.2 * (columns - 120))
    piece = traced_curve(columns[:62], shared[:62])
    leaving = [
        traced_curve(columns[start:], rows[start:])
        for start, rows in ((58, first), (88, second), (118, third))
    ]
    extended = extend_into_bundles([piece, *leaving], _SCALE)
    assert len(extended) == 3
    for curve, rows in zip(extended, (first, second, third), strict=True):
        np.testing.assert_array_equal(curve.column, columns)
        np.testing.assert_allclose(curve.middle, rows, atol=1.0)
