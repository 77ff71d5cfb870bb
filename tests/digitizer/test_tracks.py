"""Tracks of both passes are joined into curves; duplicate curves are dropped, except a
bundle's curve told apart only at the frame edge."""

import numpy as np

from graphq.digitizer.tracks import (
    TracedCurve,
    drop_duplicates,
    drop_redundant,
    drop_spliced,
    join_passes,
)
from tests.digitizer.curves import traced_curve as _curve

_SHAPE = (100, 200)
_ROW = 50.0
# A curve must leave the kept ones for 40 columns, or for 10 from the frame's left edge.
_MIN_OWN, _MIN_EDGE = 40, 10


def _flat() -> TracedCurve:
    """The kept curve: flat across the whole plot, seen alone everywhere."""
    columns = np.arange(_SHAPE[1])
    return _curve(columns, np.full(columns.size, _ROW), np.ones(columns.size, dtype=np.int64))


def _fanning_in(first: int, apart: int) -> TracedCurve:
    """A curve from ``first`` to the right edge, rising onto the flat curve over its first
    ``apart`` columns (alone there) and lying on it from then on (sharing its runs)."""
    columns = np.arange(first, _SHAPE[1])
    rows = _ROW + np.maximum(0, first + apart - columns).astype(np.float64)
    shared = np.where(rows == _ROW, 2, 1)
    return _curve(columns, rows, shared)


def _kept(curve: TracedCurve) -> int:
    return len(drop_duplicates([_flat(), curve], 0.75, _SHAPE, _MIN_OWN, _MIN_EDGE))


def test_a_curve_told_apart_only_at_the_frame_edge_is_kept() -> None:
    assert _kept(_fanning_in(first=0, apart=20)) == 2


def test_a_curve_apart_only_where_it_starts_inside_the_plot_is_dropped() -> None:
    assert _kept(_fanning_in(first=60, apart=20)) == 1


def test_a_curve_apart_at_the_frame_edge_for_too_few_columns_is_dropped() -> None:
    assert _kept(_fanning_in(first=0, apart=6)) == 1


def test_a_curve_told_apart_from_just_inside_the_erased_frame_line_is_kept() -> None:
    assert _kept(_fanning_in(first=3, apart=20)) == 2


def test_a_curve_leaving_a_bundle_for_the_top_edge_is_kept() -> None:
    # The highest output curve: on the flat curve up to column 104, then steeply up to the
    # frame's top edge within 16 columns, far fewer than a curve must run apart inside.
    columns = np.arange(121)
    rows = np.where(columns < 105, _ROW, _ROW - 50.0 * (columns - 104) / 16.0)
    shared = np.where(columns < 105, 2, 1)
    assert _kept(_curve(columns, rows, shared)) == 2


def test_a_piece_kept_before_its_whole_curve_gives_way_to_it() -> None:
    # The whole curve lies on the flat one for 80 columns, then climbs away from it; it
    # divided its runs with a duplicate track all along, so the piece of it after the
    # bundle, seen alone, ranks before it.
    columns = np.arange(_SHAPE[1])
    rows = np.where(columns < 80, _ROW, _ROW - 0.25 * (columns - 80))
    whole = _curve(columns, rows, np.full(columns.size, 2, dtype=np.int64))
    after = columns >= 80
    piece = _curve(columns[after], rows[after], np.ones(int(after.sum()), dtype=np.int64))
    kept = drop_duplicates([_flat(), piece, whole], 0.75, _SHAPE, _MIN_OWN, _MIN_EDGE)
    assert len(kept) == 2 and kept[-1] is whole


def _line(start_row: float, slope: float, columns: np.ndarray, lone: bool) -> TracedCurve:
    rows = start_row + slope * (columns - 100).astype(np.float64)
    shared = np.full(columns.size, 1 if lone else 2, dtype=np.int64)
    return _curve(columns, rows, shared)


def test_a_curve_made_of_pieces_of_two_others_is_dropped() -> None:
    columns = np.arange(_SHAPE[1])
    upper = _line(30.0, 0.0, columns, lone=False)
    lower = _line(70.0, 0.0, columns, lone=False)
    spliced = _curve(columns, np.where(columns < 100, 30.0, 70.0), np.ones(columns.size, int))
    kept = drop_spliced([upper, lower, spliced], 0.75, _SHAPE[1], 20)
    assert kept == [upper, lower]


def test_a_track_crossing_over_from_one_curve_to_another_is_dropped_once_both_are_known() -> None:
    # The track follows the upper curve, runs down a leader arrow over 20 columns and follows
    # the lower curve; it was seen alone where the curves shared runs with it, so it ranks
    # first and each curve leaves it for long enough to be kept after it.
    columns = np.arange(_SHAPE[1])
    upper = _line(30.0, 0.0, columns, lone=False)
    lower = _line(70.0, 0.0, columns, lone=False)
    rows = np.clip(30.0 + 2.0 * (columns - 90), 30.0, 70.0)
    across = _curve(columns, rows, np.ones(columns.size, dtype=np.int64))
    curves = [upper, lower, across]
    assert len(drop_duplicates(curves, 0.75, _SHAPE, _MIN_OWN, _MIN_EDGE)) == 3
    assert drop_redundant(curves, 0.75, _SHAPE, _MIN_OWN, _MIN_EDGE) == [upper, lower]


def test_a_curve_told_apart_only_before_a_crossing_is_joined_to_one_told_apart_after() -> None:
    # Three curves cross at (100, 50); the middle one's track joins the falling curve
    # after the crossing, and another track comes in on the rising curve before it.
    columns = np.arange(_SHAPE[1])
    falling = _line(50.0, 0.4, columns, lone=True)
    rising = _line(50.0, -0.3, columns, lone=True)
    middle = _line(50.0, 0.05, columns, lone=True)
    head = _curve(
        columns,
        np.concatenate((middle.middle[:100], falling.middle[100:])),
        np.ones(columns.size, dtype=np.int64),
    )
    tail = _curve(
        columns,
        np.concatenate((rising.middle[:100], middle.middle[100:])),
        np.ones(columns.size, dtype=np.int64),
    )
    kept = drop_spliced([falling, rising, head, tail], 0.75, _SHAPE[1], 20)
    assert len(kept) == 3
    joined = kept[-1]
    np.testing.assert_array_equal(joined.column, columns)
    np.testing.assert_allclose(joined.middle, middle.middle)


def test_a_curve_dividing_another_ones_line_after_a_crossing_is_joined_to_its_other_half() -> None:
    # As above, but each stray track shares a thick line's run with the curve it strays
    # onto, the run divided between them a line's width apart: it lies on that curve.
    columns = np.arange(_SHAPE[1])
    falling = _line(50.0, 0.4, columns, lone=True)
    rising = _line(50.0, -0.3, columns, lone=True)
    middle = _line(50.0, 0.05, columns, lone=True)
    after, before = columns >= 100, columns < 100
    lone = np.ones(columns.size, dtype=np.int64)

    def beside(curve: TracedCurve, part: np.ndarray, own: TracedCurve) -> TracedCurve:
        rows = np.where(part, curve.middle + 3.0, own.middle)
        runs = np.where(part, curve.run, own.run)
        return TracedCurve(columns, rows, rows, np.where(part, 2, lone), runs)

    head = beside(falling, after, middle)
    tail = beside(rising, before, middle)
    kept = drop_spliced([falling, rising, head, tail], 0.75, _SHAPE[1], 20)
    assert len(kept) == 3
    np.testing.assert_allclose(kept[-1].middle, middle.middle)


def test_curve_pieces_told_apart_well_before_and_after_a_shallow_crossing_are_joined() -> None:
    # The stray tracks leave the middle curve 10 columns before the crossing and 20 after
    # it, where the curves still run within a line's width of each other.
    columns = np.arange(_SHAPE[1])
    falling = _line(50.0, 0.15, columns, lone=True)
    rising = _line(50.0, -0.1, columns, lone=True)
    middle = _line(50.0, 0.0, columns, lone=True)
    lone = np.ones(columns.size, dtype=np.int64)
    head = _curve(columns, np.where(columns < 90, middle.middle, falling.middle), lone)
    tail = _curve(columns, np.where(columns < 120, rising.middle, middle.middle), lone)
    kept = drop_spliced([falling, rising, head, tail], 0.75, _SHAPE[1], 20)
    assert len(kept) == 3
    np.testing.assert_allclose(kept[-1].middle, middle.middle, atol=2.0)


def test_a_curve_on_one_bundle_curve_then_on_another_where_they_merge_is_kept() -> None:
    # Curves merging into a bundle on the right: the one lying on the lower curve, and on
    # the upper where the lower one joins it, is not spliced at a crossing.
    columns = np.arange(_SHAPE[1])
    upper = _line(30.0, 0.0, columns, lone=True)
    lower = _curve(
        columns, 30.0 + np.maximum(0, 100 - columns) * 0.4, np.ones(columns.size, dtype=int)
    )
    along = _curve(columns, lower.middle.copy(), np.full(columns.size, 2, dtype=np.int64))
    kept = drop_spliced([upper, lower, along], 0.75, _SHAPE[1], 20)
    assert len(kept) == 3


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
