"""Tracks spliced from pieces of curves crossing at one point are undone."""

import numpy as np

from graphq.digitizer.tracking.scale import PlotScale
from graphq.digitizer.tracking.spliced import drop_spliced
from graphq.digitizer.tracking.tracks import TracedCurve
from tests.digitizer.curves import straight_curve as _line
from tests.digitizer.curves import traced_curve as _curve

_SHAPE = (100, 200)
_ROW = 50.0
# Lines a pixel wide (a curve within 0.75 px of another lies on it); own parts 20 columns
# long.
_SCALE = PlotScale(1.0, None, _SHAPE[1], _SHAPE[0])


def test_a_curve_made_of_pieces_of_two_others_is_dropped() -> None:
    columns = np.arange(_SHAPE[1])
    upper = _line(30.0, 0.0, columns, lone=False)
    lower = _line(70.0, 0.0, columns, lone=False)
    spliced = _curve(columns, np.where(columns < 100, 30.0, 70.0), np.ones(columns.size, int))
    kept = drop_spliced([upper, lower, spliced], _SCALE)
    assert kept == [upper, lower]


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
    kept = drop_spliced([falling, rising, head, tail], _SCALE)
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
    kept = drop_spliced([falling, rising, head, tail], _SCALE)
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
    kept = drop_spliced([falling, rising, head, tail], _SCALE)
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
    kept = drop_spliced([upper, lower, along], _SCALE)
    assert len(kept) == 3


def test_stray_tracks_at_two_meeting_points_apart_are_joined_in_one_round() -> None:
    # The crossing above, once at row 25 and once, shifted 50 rows down, at row 75: the
    # joins there touch no curve of the other one.
    columns = np.arange(_SHAPE[1])
    lone = np.ones(columns.size, dtype=np.int64)
    curves, middles = [], []
    for row in (25.0, 75.0):
        falling = _line(row, 0.1, columns, lone=True)
        rising = _line(row, -0.1, columns, lone=True)
        middle = _line(row, 0.01, columns, lone=True)
        head = _curve(columns, np.where(columns < 100, middle.middle, falling.middle), lone)
        tail = _curve(columns, np.where(columns < 100, rising.middle, middle.middle), lone)
        curves += [falling, rising, head, tail]
        middles.append(middle.middle)
    kept = drop_spliced(curves, _SCALE)
    assert len(kept) == 6
    for joined, middle in zip(kept[-2:], middles, strict=True):
        np.testing.assert_allclose(joined.middle, middle)
