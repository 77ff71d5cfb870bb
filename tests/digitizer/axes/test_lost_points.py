"""Tick labels read without their decimal point, and the readings that put it back."""

from __future__ import annotations

from graphq.digitizer.axes.lost_points import readings, with_point_put_back


def test_a_whole_number_may_have_lost_a_point_between_any_two_of_its_digits() -> None:
    assert with_point_put_back(25.0) == [2.5]
    assert with_point_put_back(100.0) == [10.0, 1.0]
    assert with_point_put_back(-15.0) == [-1.5]


def test_a_single_digit_or_a_number_with_a_point_has_none_to_lose() -> None:
    assert with_point_put_back(5.0) == []
    assert with_point_put_back(2.5) == []


def test_a_decade_label_read_twice_as_10_reads_1_where_the_labels_then_rise() -> None:
    """0.1, "1.0" read 10, 10, 100 along a log axis 0.1..100."""
    labels = [(100.0, 0.1), (230.0, 10.0), (315.0, 10.0), (520.0, 100.0)]
    found = readings(labels, 0.1, 100.0, True, 1.0)
    assert found[0].labels == [(100.0, 0.1), (230.0, 1.0), (315.0, 10.0), (520.0, 100.0)]
    assert found[0].mended == [(10.0, 1.0)] and found[0].changes == 1


def test_a_label_outside_the_range_takes_the_point_that_brings_it_in_at_no_cost() -> None:
    """A y axis 0..3 (pixels run up) whose "2.5" read 25."""
    labels = [(400.0, 0.0), (300.0, 1.0), (200.0, 2.0), (150.0, 25.0), (100.0, 3.0)]
    found = readings(labels, 0.0, 3.0, False, -1.0)
    assert found[0].changes == 0
    assert [v for _, v in found[0].labels] == [0.0, 1.0, 2.0, 2.5, 3.0]


def test_a_label_no_point_brings_into_the_range_is_left_out() -> None:
    labels = [(100.0, 0.0), (200.0, 1.0), (250.0, 7.0), (300.0, 2.0), (400.0, 30.0)]
    found = readings(labels, 0.0, 3.0, False, 1.0)
    assert [v for _, v in found[0].labels] == [0.0, 1.0, 2.0, 3.0]


def test_labels_all_scaled_alike_are_no_lost_points_but_a_range_in_other_units() -> None:
    """30, 35, …, 65 along an axis given as 3..6.5: nothing read as printed pins the scale."""
    labels = [(100.0 + 50 * k, 30.0 + 5 * k) for k in range(8)]
    assert readings(labels, 3.0, 6.5, False, 1.0) == []


def test_two_labels_at_one_pixel_are_told_apart_by_their_place_in_the_reading() -> None:
    """Two labels read at one pixel (a stray glyph beside a label): which of them was mended
    is told by its place in the reading, not by its pixel."""
    labels = [(100.0, 0.1), (230.0, 10.0), (230.0, 20.0), (520.0, 100.0)]
    found = readings(labels, 0.1, 100.0, True, 1.0)
    assert found[0].mended == [(10.0, 1.0)] and found[0].changes == 1


def test_an_axis_with_more_labels_than_a_tick_axis_carries_is_not_searched() -> None:
    """0, 0.1, …, 1.6 with "1.0" read 10: put back with 16 labels, left as read with 17."""
    values = [round(0.1 * k, 1) if k != 10 else 10.0 for k in range(17)]
    labels = [(float(10 * k), v) for k, v in enumerate(values)]
    assert readings(labels[:16], 0.0, 2.0, False, 1.0)[0].mended == [(10.0, 1.0)]
    assert readings(labels, 0.0, 2.0, False, 1.0) == []
