"""Mapping between pixel coordinates and axis values.

An axis is linear in *display* units: the value itself on a linear axis, its base-10
logarithm on a log axis. Two reference points fix the map: the plot frame edges with the axis
range (the usual case), or two calibration ticks when the frame is not the range.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from graphq.digitizer.types import Axis, Calibration, CalibrationPoint, GraphMeta
from graphq.errors import GraphqError


def _invalid(message: str) -> GraphqError:
    return GraphqError("INVALID_PARAMETERS", message)


@dataclass(frozen=True)
class AxisMap:
    """Affine map from a pixel coordinate to a display value (log10 on a log axis)."""

    pixel_a: float
    display_a: float
    pixel_b: float
    display_b: float
    log: bool

    def to_display(self, value: np.ndarray) -> np.ndarray:
        return np.log10(value) if self.log else np.asarray(value, dtype=np.float64)

    def from_display(self, display: np.ndarray) -> np.ndarray:
        return np.power(10.0, display) if self.log else display

    def pixel_to_value(self, pixel: np.ndarray) -> np.ndarray:
        fraction = (np.asarray(pixel, dtype=np.float64) - self.pixel_a) / (
            self.pixel_b - self.pixel_a
        )
        return self.from_display(self.display_a + fraction * (self.display_b - self.display_a))

    def value_to_pixel(self, value: np.ndarray) -> np.ndarray:
        display = self.to_display(np.asarray(value, dtype=np.float64))
        fraction = (display - self.display_a) / (self.display_b - self.display_a)
        return self.pixel_a + fraction * (self.pixel_b - self.pixel_a)


@dataclass(frozen=True)
class PlotCalibration:
    """Both axis maps of one graph; y pixels grow downwards, y values upwards."""

    x: AxisMap
    y: AxisMap

    def pixels_to_values(self, xy_pixel: np.ndarray) -> np.ndarray:
        """(N, 2) pixel coordinates → (N, 2) axis values."""
        return np.column_stack(
            (self.x.pixel_to_value(xy_pixel[:, 0]), self.y.pixel_to_value(xy_pixel[:, 1]))
        )

    def values_to_pixels(self, xy_value: np.ndarray) -> np.ndarray:
        return np.column_stack(
            (self.x.value_to_pixel(xy_value[:, 0]), self.y.value_to_pixel(xy_value[:, 1]))
        )


def validate_axis(name: str, axis: Axis) -> None:
    """Reject ranges that cannot be mapped: empty, reversed into nothing, or log of ≤ 0."""
    if not (math.isfinite(axis.min) and math.isfinite(axis.max)):
        raise _invalid(f"{name} axis range must be finite, got {axis.min}..{axis.max}")
    if axis.min == axis.max:
        raise _invalid(f"{name} axis range is empty ({axis.min}..{axis.max})")
    if axis.scale == "log" and (axis.min <= 0 or axis.max <= 0):
        raise _invalid(
            f"{name} axis is logarithmic, so both bounds must be positive "
            f"(got {axis.min}..{axis.max})"
        )


def validate_plot_area(plot_area: list[float], width: int, height: int) -> None:
    if len(plot_area) != 4 or not all(math.isfinite(v) for v in plot_area):
        raise _invalid("plotArea must be four finite numbers [x0, y0, x1, y1]")
    x0, y0, x1, y1 = plot_area
    if not (x1 - x0 >= 4 and y1 - y0 >= 4):
        raise _invalid(f"plotArea {plot_area} is empty or inverted (need x0 < x1 and y0 < y1)")
    if x0 < -1 or y0 < -1 or x1 > width + 1 or y1 > height + 1:
        raise _invalid(f"plotArea {plot_area} lies outside the {width} × {height} image")


def axis_map_from_points(name: str, points: list[CalibrationPoint], axis: Axis) -> AxisMap:
    """The map through two calibration ticks; refused unless they are two distinct ticks."""
    if len(points) != 2:
        raise _invalid(f"calibration needs exactly two {name} points, got {len(points)}")
    a, b = points
    log = axis.scale == "log"
    if log and (a.value <= 0 or b.value <= 0):
        raise _invalid(f"{name} calibration values must be positive on a log axis")
    if a.pixel == b.pixel or a.value == b.value:
        raise _invalid(f"{name} calibration points must differ in pixel and in value")
    display = (math.log10(a.value), math.log10(b.value)) if log else (a.value, b.value)
    return AxisMap(a.pixel, display[0], b.pixel, display[1], log)


def _map_from_frame(axis: Axis, pixel_min: float, pixel_max: float) -> AxisMap:
    log = axis.scale == "log"
    lo, hi = (math.log10(axis.min), math.log10(axis.max)) if log else (axis.min, axis.max)
    return AxisMap(pixel_min, lo, pixel_max, hi, log)


def build_calibration(
    meta: GraphMeta, plot_area: list[float], calibration: Calibration | None = None
) -> PlotCalibration:
    """Axis maps from the frame box (x0 = x.min, y1 = y.min) or from calibration ticks."""
    x0, y0, x1, y1 = plot_area
    chosen = calibration if calibration is not None else meta.calibration
    if chosen is not None:
        return PlotCalibration(
            axis_map_from_points("x", chosen.x, meta.axes.x),
            axis_map_from_points("y", chosen.y, meta.axes.y),
        )
    return PlotCalibration(
        _map_from_frame(meta.axes.x, x0, x1), _map_from_frame(meta.axes.y, y1, y0)
    )
