"""A traced curve turned into client points: bridged gaps filled smoothly, points spaced
evenly along the curve, calibrated and listed in x order."""

import numpy as np
import pytest

from graphq.digitizer.axes.calibration import AxisMap, PlotCalibration
from graphq.digitizer.tracking.resample import curve_points, pixel_path, resample_path
from graphq.digitizer.tracking.tracks import TracedCurve
from tests.digitizer.curves import traced_curve


def _steep_curve() -> TracedCurve:
    """Flat at row 10 over columns 0..2, dropping from row 10 to 20 in column 3, flat after."""
    columns = np.arange(6)
    enter = np.array([10.0, 10.0, 10.0, 10.0, 20.0, 20.0])
    leave = np.array([10.0, 10.0, 10.0, 20.0, 20.0, 20.0])
    ones = np.ones(6, dtype=np.int64)
    return TracedCurve(columns, enter, leave, ones, columns)


def test_a_flat_column_gives_one_point_and_a_steep_one_its_entry_and_exit() -> None:
    path = pixel_path(_steep_curve(), 0.0, 0.0)
    np.testing.assert_allclose(
        path, [[0, 10], [1, 10], [2, 10], [3, 10], [3, 20], [4, 20], [5, 20]]
    )


def test_the_pixel_path_is_moved_by_the_plots_origin_in_the_image() -> None:
    path = pixel_path(traced_curve(np.arange(3), np.full(3, 5.0)), 100.0, 40.0)
    np.testing.assert_allclose(path, [[100, 45], [101, 45], [102, 45]])


def test_a_gap_in_a_straight_curve_is_filled_along_the_same_straight_line() -> None:
    columns = np.concatenate((np.arange(0, 20), np.arange(30, 50)))
    rows = 5.0 + 0.5 * columns
    path = pixel_path(traced_curve(columns, rows), 0.0, 0.0)
    np.testing.assert_allclose(path[:, 0], np.arange(50))
    np.testing.assert_allclose(path[:, 1], 5.0 + 0.5 * np.arange(50), atol=1e-9)


def test_a_gap_between_two_levels_is_bridged_by_a_smooth_step_leaving_and_meeting_them_flat() -> (
    None
):
    columns = np.concatenate((np.arange(0, 20), np.arange(30, 50)))
    rows = np.where(columns < 20, 10.0, 30.0)
    path = pixel_path(traced_curve(columns, rows), 0.0, 0.0)
    bridge = path[20:29, 1]
    assert np.all(np.diff(bridge) > 0)
    t = (24 - 19) / (30 - 19)  # column 24, between the last seen column 19 and the next, 30
    assert path[24, 1] == pytest.approx(10.0 + 20.0 * (3 * t**2 - 2 * t**3))
    # Flat where it leaves and meets the levels: its first and last steps are the smallest.
    steps = np.diff(path[19:31, 1])
    assert steps[0] < steps[5] and steps[-1] < steps[5]


def test_a_gap_after_a_steep_column_is_bridged_from_where_the_curve_left_it() -> None:
    columns = np.concatenate((np.arange(0, 20), np.arange(30, 50)))
    enter = np.where(columns < 19, 10.0, 20.0)
    leave = np.where(columns < 19, 10.0, 20.0)
    enter[19], leave[19] = 10.0, 20.0  # drops from row 10 to row 20 in its last column
    ones = np.ones(columns.size, dtype=np.int64)
    path = pixel_path(TracedCurve(columns, enter, leave, ones, columns), 0.0, 0.0)
    bridge = path[np.isin(path[:, 0], np.arange(20, 30)), 1]
    assert bridge.size == 10
    assert np.all(np.abs(bridge - 20.0) < 1.0)


def test_points_are_spaced_evenly_along_the_path_with_both_ends_kept() -> None:
    path = np.array([[0.0, 0.0], [3.0, 4.0], [3.0, 9.0]])  # 5 px, then 5 px straight down
    points = resample_path(path, 2.0)
    # At 0, 2, 4, 6 and 8 px along it, and its end at 10 px.
    np.testing.assert_allclose(
        points, [[0.0, 0.0], [1.2, 1.6], [2.4, 3.2], [3.0, 5.0], [3.0, 7.0], [3.0, 9.0]]
    )


def test_a_vertical_drop_keeps_as_many_points_as_a_flat_stretch_as_long() -> None:
    flat = resample_path(np.array([[0.0, 0.0], [20.0, 0.0]]), 2.0)
    drop = resample_path(np.array([[0.0, 0.0], [0.0, 20.0]]), 2.0)
    assert len(flat) == len(drop) == 11


def test_a_path_of_one_point_is_returned_as_it_is() -> None:
    path = np.array([[4.0, 2.0]])
    points = resample_path(path, 1.0)
    np.testing.assert_array_equal(points, path)
    assert points is not path


def test_a_length_that_is_a_multiple_of_the_spacing_gives_no_doubled_end_point() -> None:
    points = resample_path(np.array([[0.0, 0.0], [6.9, 0.0]]), 0.3)
    assert np.diff(points[:, 0]).min() > 1e-6


def _calibration() -> PlotCalibration:
    """x = pixel / 10; y = 0 at pixel row 100, rising by 1 per 10 rows upwards."""
    return PlotCalibration(
        AxisMap(0.0, 0.0, 10.0, 1.0, False), AxisMap(100.0, 0.0, 0.0, 10.0, False)
    )


def test_curve_points_are_in_axis_units_measured_from_the_plots_origin() -> None:
    curve = traced_curve(np.arange(0, 11), np.full(11, 50.0))
    points = curve_points(curve, (10.0, 20.0), _calibration(), 5.0)
    np.testing.assert_allclose(points, [[1.0, 3.0], [1.5, 3.0], [2.0, 3.0]])


@pytest.mark.parametrize("downwards", [True, False], ids=["falling", "rising"])
def test_curve_points_are_listed_in_x_order_keeping_a_drops_direction(downwards: bool) -> None:
    # Flat, then a drop (or rise) of 200 rows in column 3, then flat again.
    columns = np.arange(6)
    enter = np.array([10.0, 10.0, 10.0, 10.0, 210.0, 210.0])
    leave = np.array([10.0, 10.0, 10.0, 210.0, 210.0, 210.0])
    if not downwards:
        enter, leave = 220.0 - enter, 220.0 - leave
    ones = np.ones(6, dtype=np.int64)
    curve = TracedCurve(columns, enter, leave, ones, columns)
    points = curve_points(curve, (0.0, 0.0), _calibration(), 1.0)
    assert np.all(np.diff(points[:, 0]) >= 0)
    drop = points[np.isclose(points[:, 0], 0.3)][:, 1]
    assert drop.size == 201
    ends = (9.0, -11.0) if downwards else (-11.0, 9.0)
    np.testing.assert_allclose(drop, np.linspace(*ends, drop.size))


def test_on_a_reversed_x_axis_a_drop_is_listed_so_the_line_does_not_zig_zag() -> None:
    columns = np.arange(6)
    enter = np.array([10.0, 10.0, 10.0, 10.0, 30.0, 30.0])
    leave = np.array([10.0, 10.0, 10.0, 30.0, 30.0, 30.0])
    curve = TracedCurve(columns, enter, leave, np.ones(6, dtype=np.int64), columns)
    # x = 1 at pixel column 0, falling to 0 at column 10.
    reversed_x = PlotCalibration(AxisMap(0.0, 1.0, 10.0, 0.0, False), _calibration().y)
    points = curve_points(curve, (0.0, 0.0), reversed_x, 2.0)
    # Read in x order the curve rises from 7 to 9, without jumping back down.
    assert np.all(np.diff(points[:, 1]) >= 0)
