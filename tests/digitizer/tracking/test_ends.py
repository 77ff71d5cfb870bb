"""A fragment's ends: where and how steeply it starts and stops; column indexes kept sorted."""

import numpy as np

from graphq.digitizer.tracking.ends import Ends, insert_sorted, sorted_by
from tests.digitizer.curves import traced_curve


def test_a_fragments_ends_hold_its_first_and_last_rows_and_their_slopes() -> None:
    columns = np.arange(20, 80)
    ends = Ends.of(traced_curve(columns, 10.0 + 0.5 * (columns - 20)))
    assert (ends.first, ends.last, ends.span) == (20, 79, 60)
    assert (ends.first_row, ends.last_row) == (10.0, 39.5)
    assert abs(ends.slope_in - 0.5) < 1e-9 and abs(ends.slope_out - 0.5) < 1e-9


def test_a_column_index_stays_sorted_as_fragments_are_added() -> None:
    keys, ids = insert_sorted(sorted_by([30, 10, 20]), 15, 3)
    np.testing.assert_array_equal(keys, [10, 15, 20, 30])
    np.testing.assert_array_equal(ids, [1, 3, 2, 0])
