"""Turning a traced pixel path into the points a client gets.

Gaps the tracker bridged are filled with a smooth cubic, so a curve is one continuous line,
as the eye reads it. A curve is sampled evenly along its length, not per column, so a
near-vertical drop keeps as many points as a flat stretch of the same length; the points
are then listed in x order (stable, so a vertical stretch keeps its top-to-bottom or
bottom-to-top order).
"""

from __future__ import annotations

import numpy as np

from graphq.digitizer.axes.calibration import PlotCalibration
from graphq.digitizer.tracking.tracks import TracedCurve

# A sample target this close to the path's end (as a share of the spacing) is the end itself:
# far above float rounding (1e-15), far below any spacing a client sees.
END_TOLERANCE = 1e-9


def pixel_path(curve: TracedCurve, origin_x: float, origin_y: float) -> np.ndarray:
    """(N, 2) image-pixel polyline: each column contributes its entry and exit rows, and
    every bridged gap its cubic through the tangents on either side."""
    columns, enter, leave = _fill_gaps(curve)
    xs = np.repeat(columns, 2) + origin_x
    ys = np.column_stack((enter, leave)).ravel() + origin_y
    path = np.column_stack((xs, ys))
    # Drop the repeated point of every flat column (entry == exit).
    keep = np.ones(len(path), dtype=bool)
    keep[1:] = np.any(np.abs(np.diff(path, axis=0)) > 1e-9, axis=1)
    return path[keep]


def _fill_gaps(curve: TracedCurve) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Columns and rows with the columns the tracker bridged (a dash gap, an erased grid
    crossing, a label hiding the curve) filled by a cubic Hermite curve that leaves one side
    and meets the other along their own tangents."""
    columns = curve.column.astype(np.float64)
    enter, leave = curve.enter.astype(np.float64), curve.leave.astype(np.float64)
    gaps = np.flatnonzero(np.diff(curve.column) > 1)
    if gaps.size == 0:
        return columns, enter, leave
    parts_c, parts_e, parts_l = [columns], [enter], [leave]
    for index in gaps.tolist():
        c0, c1 = columns[index], columns[index + 1]
        y0, y1 = leave[index], enter[index + 1]
        m0 = _tangent(columns, (enter + leave) / 2, index, -1)
        m1 = _tangent(columns, (enter + leave) / 2, index + 1, 1)
        inner = np.arange(c0 + 1, c1)
        t = (inner - c0) / (c1 - c0)
        span = c1 - c0
        rows = (
            (2 * t**3 - 3 * t**2 + 1) * y0
            + (t**3 - 2 * t**2 + t) * span * m0
            + (-2 * t**3 + 3 * t**2) * y1
            + (t**3 - t**2) * span * m1
        )
        parts_c.append(inner)
        parts_e.append(rows)
        parts_l.append(rows)
    all_columns = np.concatenate(parts_c)
    order = np.argsort(all_columns, kind="stable")
    return (
        all_columns[order],
        np.concatenate(parts_e)[order],
        np.concatenate(parts_l)[order],
    )


def _tangent(columns: np.ndarray, rows: np.ndarray, index: int, direction: int) -> float:
    """Slope (rows per column) of the stretch of up to 10 samples from ``index`` outwards."""
    part = slice(max(0, index - 9), index + 1) if direction < 0 else slice(index, index + 10)
    xs, ys = columns[part], rows[part]
    if xs.size < 3 or np.ptp(xs) == 0:
        return 0.0
    return float(np.polyfit(xs, ys, 1)[0])


def resample_path(path: np.ndarray, spacing_px: float) -> np.ndarray:
    """Points every ``spacing_px`` along the polyline, ends included."""
    if len(path) < 2:
        return path.copy()
    steps = np.hypot(*np.diff(path, axis=0).T)
    distance = np.concatenate(([0.0], np.cumsum(steps)))
    targets = np.arange(0.0, distance[-1], spacing_px)
    # A length that is a float multiple of the spacing can leave a last step a rounding error
    # short of the end: that target is the end point, not a second copy of it.
    targets = targets[targets < distance[-1] - END_TOLERANCE * spacing_px]
    targets = np.append(targets, distance[-1])
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
    if len(values) > 1 and values[-1, 0] < values[0, 0]:
        # A reversed x axis: the path runs right to left in values, so its vertical
        # stretches must be turned with it, or the stable sort lists them backwards.
        values = values[::-1]
    order = np.argsort(values[:, 0], kind="stable")
    return values[order]
