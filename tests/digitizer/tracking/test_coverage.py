"""Where curves lie: the pixels near their ink, and whether a curve lies on another."""

import numpy as np

from graphq.digitizer.tracking.coverage import lies_on, near_ink, neighbours, overlaps
from graphq.digitizer.tracking.tracks import TracedCurve
from tests.digitizer.curves import traced_curve


def test_the_pixels_near_a_curves_ink_are_those_within_reach_of_it() -> None:
    columns = np.arange(10, 30)
    near = near_ink((40, 40), [traced_curve(columns, np.full(20, 20.0))], reach=2)
    assert near[18:23, 10:30].all()
    assert near[20, 8] and near[20, 31]
    assert not near[17, 20] and not near[23, 20] and not near[20, 7]


def test_a_curve_lies_on_another_only_where_it_runs_within_tolerance_of_its_rows() -> None:
    columns = np.arange(50)
    flat = traced_curve(columns, np.full(50, 20.0))
    rising = traced_curve(columns, 30.0 - 0.4 * columns)
    np.testing.assert_array_equal(np.flatnonzero(lies_on(rising, flat, 1.0)), np.arange(23, 28))


def test_a_curve_lies_on_a_steep_stretch_anywhere_between_its_rows_but_not_past_its_ends() -> None:
    # The steep stretch covers rows 10..14, 14..18, ... per column; a flat curve at row 16
    # lies on it in the one column whose rows take it in, and nowhere past its columns.
    steep = TracedCurve(
        np.arange(20, 30),
        10.0 + 4.0 * np.arange(10),
        14.0 + 4.0 * np.arange(10),
        np.ones(10, dtype=np.int64),
        np.arange(10),
    )
    flat = traced_curve(np.arange(40), np.full(40, 16.0))
    np.testing.assert_array_equal(np.flatnonzero(lies_on(flat, steep, 0.5)), [21])


def test_curves_are_neighbours_only_where_they_come_within_touching_distance() -> None:
    columns = np.arange(100)
    flat = traced_curve(columns, np.full(100, 50.0))
    crossing = traced_curve(columns, 10.0 + 0.8 * columns)
    # Dashed: seen only up to column 40 and from 60 on, crossing the flat one in the gap.
    dashed = traced_curve(columns, 90.0 - 0.8 * columns).part((columns < 40) | (columns >= 60))
    far = traced_curve(columns, np.full(100, 5.0))
    near = neighbours([flat, crossing, dashed, far], 1.0, 100)
    assert near[0] == {1, 2}
    assert 3 not in near[1] and near[3] == set()


def test_where_curves_lie_on_each_other_is_found_as_one_curve_against_another_finds_it() -> None:
    # A flat curve, one crossing it, a steep one whose tall samples cover many rows, a
    # short piece on the flat one, and one far from all of them.
    columns = np.arange(60)
    flat = traced_curve(columns, np.full(60, 30.0))
    crossing = traced_curve(columns, 5.0 + 0.9 * columns)
    steep = TracedCurve(
        columns[20:30],
        10.0 + 4.0 * np.arange(10),
        14.0 + 4.0 * np.arange(10),
        np.ones(10, dtype=np.int64),
        np.arange(10),
    )
    piece = traced_curve(columns[10:40], np.full(30, 30.5))
    far = traced_curve(columns, np.full(60, 90.0))
    curves = [flat, crossing, steep, piece, far]
    lying = overlaps(curves, 1.0)
    everyone = np.ones(len(curves), dtype=bool)
    for index, curve in enumerate(curves):
        on_each = {k: lies_on(curve, other, 1.0) for k, other in enumerate(curves) if k != index}
        np.testing.assert_array_equal(
            lying.covered(index, everyone), np.logical_or.reduce(list(on_each.values()))
        )
        for other, on in lying.on_each(index).items():
            np.testing.assert_array_equal(on, on_each[other])
        assert set(lying.on_each(index)) == {k for k, on in on_each.items() if on.any()}
    assert lying.touching(4) == set()
    assert lying.touching(3) == {0, 1, 2}
    alive = everyone.copy()
    alive[0] = False
    on_alive = [lies_on(piece, curves[k], 1.0) for k in (1, 2, 4)]
    np.testing.assert_array_equal(lying.covered(3, alive), np.logical_or.reduce(on_alive))
    assert lying.covered(3, everyone).sum() > lying.covered(3, alive).sum()


def test_a_curve_dividing_a_run_with_another_lies_on_it_where_they_divided_it() -> None:
    columns = np.arange(20)
    rows = np.full(20, 30.0)
    runs = columns * 1000
    shared = np.where(columns < 10, 2, 1)
    upper = TracedCurve(columns, rows, rows, shared, runs)
    lower = TracedCurve(columns, rows + 4.0, rows + 4.0, shared, np.where(columns < 10, runs, -1))
    lying = overlaps([upper, lower], 1.0, divided=True)
    np.testing.assert_array_equal(lying.covered(0, np.ones(2, dtype=bool)), columns < 10)
