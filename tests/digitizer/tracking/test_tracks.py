"""A traced curve: a track turned left to right, united, cut and joined, its end slopes."""

import numpy as np

from graphq.digitizer.tracking.track_state import Sample, Track
from graphq.digitizer.tracking.tracks import end_slope, join_at, seen_columns, to_curve, unite
from tests.digitizer.curves import traced_curve


def test_a_track_walked_right_to_left_is_turned_left_to_right_with_its_ends_swapped() -> None:
    track = Track(y=0.0, slope=0.0, column=0)
    track.samples = [Sample(10, 5.0, 6.0, 1, 1), Sample(9, 7.0, 8.0, 2, 1)]
    curve = to_curve(track)
    np.testing.assert_array_equal(curve.column, [9, 10])
    np.testing.assert_allclose(curve.enter, [8.0, 6.0])
    np.testing.assert_allclose(curve.leave, [7.0, 5.0])


def test_united_pieces_keep_per_column_the_sample_of_the_most_divided_run() -> None:
    columns = np.arange(10)
    alone = traced_curve(columns, np.full(10, 20.0))
    divided = traced_curve(columns[5:], np.full(5, 22.0), np.full(5, 2))
    united = unite([alone, divided])
    np.testing.assert_array_equal(united.column, columns)
    np.testing.assert_allclose(united.middle, [20.0] * 5 + [22.0] * 5)


def test_a_curve_joined_at_a_column_is_the_head_up_to_it_and_the_tail_after_it() -> None:
    columns = np.arange(20)
    head = traced_curve(columns, np.full(20, 10.0))
    tail = traced_curve(columns, np.full(20, 30.0))
    joined = join_at(head, tail, 9)
    np.testing.assert_array_equal(joined.column, columns)
    np.testing.assert_allclose(joined.middle, [10.0] * 10 + [30.0] * 10)


def test_an_end_slope_follows_the_last_straight_stretch_of_a_bending_curve() -> None:
    columns = np.arange(200)
    rows = np.where(columns < 150, 50.0, 50.0 + 0.5 * (columns - 150))
    curve = traced_curve(columns, rows)
    assert abs(end_slope(curve, at_end=True) - 0.5) < 0.05
    assert abs(end_slope(curve, at_end=False)) < 1e-9


def test_the_gaps_between_a_dotted_curves_dots_count_as_seen_up_to_the_dot_gap() -> None:
    dots = traced_curve(np.arange(0, 40, 3), np.full(14, 5.0))
    assert seen_columns(dots, dot_gap_px=2) == 40
    assert seen_columns(dots, dot_gap_px=1) == 14


def test_a_gap_over_a_band_of_erased_grid_lines_counts_as_seen_and_others_do_not() -> None:
    """On a grid as dark as the curve, crowded at a log decade's end, the curve is seen only
    between the lines: a gap the erased grid columns fill (but for a dot gap) counts; a gap
    mostly over blank plot does not, however many erased columns lie in it, nor does the
    narrow gap a lone line leaves."""
    columns = np.concatenate((np.arange(0, 10), np.arange(20, 30), np.arange(50, 60)))
    columns = np.concatenate((columns, np.arange(64, 70)))
    curve = traced_curve(columns, np.full(columns.size, 5.0))
    erased = np.zeros(70, dtype=bool)
    erased[11:20] = True  # the first gap: a fused band of grid lines, but for one column
    erased[32:42] = True  # the second gap: half of it
    erased[60:64] = True  # the third gap: one line and its fringe
    assert seen_columns(curve, dot_gap_px=2) == 36
    assert seen_columns(curve, dot_gap_px=2, erased=erased) == 36 + 10


def test_a_gap_is_explained_by_exactly_the_erased_columns_between_its_seen_ends() -> None:
    """The columns counted are those strictly between the two seen columns: erasure on the
    seen columns themselves explains nothing, and one unexplained column past the dot gap
    leaves the gap unseen."""
    columns = np.concatenate((np.arange(0, 10), np.arange(30, 40)))
    curve = traced_curve(columns, np.full(columns.size, 5.0))
    gap = 20  # columns 10..29
    erased = np.zeros(40, dtype=bool)
    erased[9:28] = True  # 10..27 of the gap and seen column 9: two gap columns left
    assert seen_columns(curve, dot_gap_px=2, erased=erased) == columns.size + gap
    erased[9:27] = True
    erased[27] = False  # three gap columns left, one more than the dot gap
    erased[30] = True  # a seen column erased too: it makes up for nothing
    assert seen_columns(curve, dot_gap_px=2, erased=erased) == columns.size


def _dashed(dash: int, gaps: list[int]) -> np.ndarray:
    """The columns of a dashed line: dashes ``dash`` columns long, apart by ``gaps``."""
    starts = np.cumsum([0] + [dash + gap for gap in gaps])
    return np.concatenate([np.arange(start, start + dash) for start in starts])


def test_the_gaps_of_a_regular_dash_pattern_count_as_seen_however_long() -> None:
    """An SOA's dashed limit line leaves gaps twice as long as its dashes: seen only in its
    dashes, it would fall short of the seen-columns test; its rhythm says it is one line."""
    columns = _dashed(8, [16, 15, 17, 16, 16])
    curve = traced_curve(columns, 100.0 - 0.5 * columns)
    assert seen_columns(curve, dot_gap_px=2) == columns.size
    assert seen_columns(curve, dot_gap_px=2, dashed=True) == curve.span


def test_gaps_without_a_rhythm_count_for_nothing_as_dashes() -> None:
    """Too few gaps, or gaps of all lengths (fragments bridged across blank plot), are no dash
    pattern."""
    few = _dashed(8, [16, 16, 16])
    uneven = _dashed(8, [16, 40, 5, 30, 9, 60])
    for columns in (few, uneven):
        curve = traced_curve(columns, 100.0 - 0.5 * columns)
        assert seen_columns(curve, dot_gap_px=2, dashed=True) == columns.size
