"""Mapping between pixel coordinates and axis values.

An axis is linear in *display* units: the value itself on a linear axis, its base-10
logarithm on a log axis. Two reference points fix the map: the plot frame edges with the axis
range (the usual case), or two calibration ticks when the frame is not the range. Some vendor
graphs were drawn by hand, their tick labels unevenly spaced: their curves were drawn against
those ticks, so such an axis maps piecewise, linearly between neighbouring labelled ticks
(:class:`KnotMap`, made by :mod:`graphq.digitizer.axes.tick_calibration`).
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
class KnotMap:
    """A map linear in display units between knots (pixel, display value), and beyond the
    outer knots along the outer segments: an axis whose labelled ticks stand unevenly."""

    pixels: tuple[float, ...]
    displays: tuple[float, ...]
    log: bool

    def __post_init__(self) -> None:
        steps = np.diff(self.pixels), np.diff(self.displays)
        if len(self.pixels) < 2 or len(self.pixels) != len(self.displays):
            raise ValueError("a knot map needs two knots or more, each a pixel and a value")
        if not (np.all(steps[0] > 0) or np.all(steps[0] < 0)) or not (
            np.all(steps[1] > 0) or np.all(steps[1] < 0)
        ):
            raise ValueError("a knot map's pixels and values must each run one way")

    def pixel_to_value(self, pixel: np.ndarray) -> np.ndarray:
        display = _through_knots(np.asarray(pixel, np.float64), self.pixels, self.displays)
        return np.power(10.0, display) if self.log else display

    def value_to_pixel(self, value: np.ndarray) -> np.ndarray:
        value = np.asarray(value, dtype=np.float64)
        display = np.log10(value) if self.log else value
        return _through_knots(display, self.displays, self.pixels)


def _through_knots(
    at: np.ndarray, knots_from: tuple[float, ...], knots_to: tuple[float, ...]
) -> np.ndarray:
    """Piecewise-linear interpolation through the knots, run on past the outer ones."""
    order = np.argsort(knots_from)
    xp, fp = np.asarray(knots_from)[order], np.asarray(knots_to)[order]
    inside = np.interp(at, xp, fp)
    below = fp[0] + (at - xp[0]) * (fp[1] - fp[0]) / (xp[1] - xp[0])
    above = fp[-1] + (at - xp[-1]) * (fp[-1] - fp[-2]) / (xp[-1] - xp[-2])
    return np.where(at < xp[0], below, np.where(at > xp[-1], above, inside))


@dataclass(frozen=True)
class PlotCalibration:
    """Both axis maps of one graph; y pixels grow downwards, y values upwards."""

    x: AxisMap | KnotMap
    y: AxisMap | KnotMap

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


def map_from_frame(axis: Axis, pixel_min: float, pixel_max: float) -> AxisMap:
    """The map that puts the axis range on the frame edges (``pixel_min`` at ``axis.min``)."""
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
    return PlotCalibration(map_from_frame(meta.axes.x, x0, x1), map_from_frame(meta.axes.y, y1, y0))
