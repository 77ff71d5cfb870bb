import numpy as np
import pytest

from graphq.digitizer.axes.calibration import KnotMap, build_calibration, validate_axis
from graphq.digitizer.types import Axes, Axis, Calibration, CalibrationPoint, GraphMeta
from graphq.errors import GraphqError


def _meta(x: Axis, y: Axis) -> GraphMeta:
    return GraphMeta(axes=Axes(x=x, y=y))


def test_linear_axis_maps_frame_edges_to_range() -> None:
    calibration = build_calibration(_meta(Axis(0, 10), Axis(-5, 5)), [100.0, 50.0, 600.0, 450.0])
    values = calibration.pixels_to_values(np.array([[100.0, 450.0], [600.0, 50.0], [350, 250]]))
    np.testing.assert_allclose(values, [[0, -5], [10, 5], [5, 0]])


def test_log_axis_maps_decades_linearly() -> None:
    calibration = build_calibration(
        _meta(Axis(1, 1000, scale="log"), Axis(0.01, 100, scale="log")), [0, 0, 300, 400]
    )
    values = calibration.pixels_to_values(np.array([[100.0, 300.0], [200.0, 100.0]]))
    np.testing.assert_allclose(values, [[10, 0.1], [100, 10]])


def test_pixels_round_trip_through_values() -> None:
    calibration = build_calibration(
        _meta(Axis(0.1, 100, scale="log"), Axis(0, 7)), [12.5, 8.0, 700.0, 500.0]
    )
    pixels = np.array([[20.0, 30.0], [650.25, 499.0]])
    np.testing.assert_allclose(
        calibration.values_to_pixels(calibration.pixels_to_values(pixels)), pixels
    )


def test_calibration_ticks_override_the_frame() -> None:
    ticks = Calibration(
        x=[CalibrationPoint(110, 1), CalibrationPoint(510, 5)],
        y=[CalibrationPoint(400, 0), CalibrationPoint(100, 30)],
    )
    meta = GraphMeta(axes=Axes(x=Axis(0, 10), y=Axis(0, 40)), calibration=ticks)
    calibration = build_calibration(meta, [0, 0, 600, 500])
    np.testing.assert_allclose(calibration.pixels_to_values(np.array([[310.0, 250.0]])), [[3, 15]])


@pytest.mark.parametrize(
    "axis",
    [Axis(3, 3), Axis(0, 10, scale="log"), Axis(-1, 10, scale="log"), Axis(float("nan"), 1)],
)
def test_unmappable_ranges_are_invalid_parameters(axis: Axis) -> None:
    with pytest.raises(GraphqError) as caught:
        validate_axis("y", axis)
    assert caught.value.code == "INVALID_PARAMETERS"


def test_a_knot_map_is_linear_between_its_knots_and_runs_on_past_them() -> None:
    knots = KnotMap((100.0, 230.0, 315.0, 520.0), (-1.0, 0.0, 1.0, 2.0), log=True)
    pixels = np.array([35.0, 165.0, 230.0, 417.5, 622.5])
    np.testing.assert_allclose(
        knots.pixel_to_value(pixels), [10**-1.5, 10**-0.5, 1.0, 10**1.5, 10**2.5]
    )
    np.testing.assert_allclose(knots.value_to_pixel(knots.pixel_to_value(pixels)), pixels)


def test_a_knot_map_runs_down_the_page_for_a_y_axis() -> None:
    knots = KnotMap((400.0, 330.0, 100.0), (0.0, 0.5, 2.0), log=False)
    np.testing.assert_allclose(knots.pixel_to_value(np.array([365.0, 215.0])), [0.25, 1.25])


def test_knots_out_of_order_are_refused() -> None:
    with pytest.raises(ValueError, match="run one way"):
        KnotMap((100.0, 300.0, 200.0), (0.0, 1.0, 2.0), log=False)
