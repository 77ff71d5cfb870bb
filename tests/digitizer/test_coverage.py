"""Where curves lie: the pixels near their ink, and whether another curve lies in their band."""

import numpy as np

from graphq.digitizer.coverage import band, covered_by, near_ink, neighbours
from tests.digitizer.curves import traced_curve


def test_the_pixels_near_a_curves_ink_are_those_within_reach_of_it() -> None:
    columns = np.arange(10, 30)
    near = near_ink((40, 40), [traced_curve(columns, np.full(20, 20.0))], reach=2)
    assert near[18:23, 10:30].all()
    assert near[20, 8] and near[20, 31]
    assert not near[17, 20] and not near[23, 20] and not near[20, 7]


def test_a_curve_lies_on_another_only_where_it_runs_in_that_ones_band() -> None:
    columns = np.arange(50)
    flat = traced_curve(columns, np.full(50, 20.0))
    rising = traced_curve(columns, 30.0 - 0.4 * columns)
    covered = covered_by(rising, [band(flat, 1.0, 60)], {0})
    np.testing.assert_array_equal(np.flatnonzero(covered), np.arange(23, 28))


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
