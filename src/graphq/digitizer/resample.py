"""Turning a traced pixel path into the points a client gets.

A curve is sampled evenly along its length, not per column, so a near-vertical drop keeps as
many points as a flat stretch of the same length; the points are then listed in x order
(stable, so a vertical stretch keeps its top-to-bottom or bottom-to-top order).
"""

from __future__ import annotations

import numpy as np

from graphq.digitizer.calibration import PlotCalibration
from graphq.digitizer.tracks import TracedCurve


def pixel_path(curve: TracedCurve, origin_x: float, origin_y: float) -> np.ndarray:
    """(N, 2) image-pixel polyline: each column contributes its entry and exit rows."""
    xs = np.repeat(curve.column.astype(np.float64), 2) + origin_x
    ys = np.column_stack((curve.enter, curve.leave)).ravel() + origin_y
    path = np.column_stack((xs, ys))
    # Drop the repeated point of every flat column (entry == exit).
    keep = np.ones(len(path), dtype=bool)
    keep[1:] = np.any(np.abs(np.diff(path, axis=0)) > 1e-9, axis=1)
    return path[keep]


def resample_path(path: np.ndarray, spacing_px: float) -> np.ndarray:
    """Points every ``spacing_px`` along the polyline, ends included.

    Gaps wider than a few spacings (a bridged dash or label) are not filled: the points on
    either side are kept and the straight chord between them is not sampled.
    """
    if len(path) < 2:
        return path.copy()
    steps = np.hypot(*np.diff(path, axis=0).T)
    distance = np.concatenate(([0.0], np.cumsum(steps)))
    targets = np.arange(0.0, distance[-1], spacing_px)
    targets = np.append(targets, distance[-1])
    # Leave bridged gaps empty: drop targets on segments much longer than a column step.
    segment = np.clip(np.searchsorted(distance, targets, side="right") - 1, 0, len(steps) - 1)
    on_long = (steps[segment] > 4.0 * max(spacing_px, 1.0)) & (
        np.abs(np.diff(path[:, 0]))[segment] > 1.5
    )
    targets = np.concatenate((targets[~on_long], distance[np.unique(segment[on_long])]))
    targets.sort()
    x = np.interp(targets, distance, path[:, 0])
    y = np.interp(targets, distance, path[:, 1])
    return np.column_stack((x, y))


def curve_points(
    curve: TracedCurve,
    origin: tuple[float, float],
    calibration: PlotCalibration,
    spacing_px: float,
) -> np.ndarray:
    """(N, 2) axis-unit points sorted by x."""
    pixels = resample_path(pixel_path(curve, *origin), spacing_px)
    values = calibration.pixels_to_values(pixels)
    order = np.argsort(values[:, 0], kind="stable")
    return values[order]
