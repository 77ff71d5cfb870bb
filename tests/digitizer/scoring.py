"""Matching digitized curves to the generator's truth, in display units (0..1 per axis)."""

from __future__ import annotations

import numpy as np

from graphq.digitizer.types import Axes, DigitizeResult


def to_display(points: np.ndarray, axes: Axes) -> np.ndarray:
    out = np.empty((len(points), 2))
    for index, axis in enumerate((axes.x, axes.y)):
        values = points[:, index]
        lo, hi = axis.min, axis.max
        if axis.scale == "log":
            values = np.log10(np.clip(values, 1e-300, None))
            lo, hi = np.log10(lo), np.log10(hi)
        out[:, index] = (values - lo) / (hi - lo)
    return out


def best_match(truth: np.ndarray, result: DigitizeResult, axes: Axes) -> tuple[float, float]:
    """(median |Δy| as a fraction of the span, x-coverage) of the best extracted curve."""
    shown = truth[(truth[:, 0] >= 0) & (truth[:, 0] <= 1) & (truth[:, 1] >= 0) & (truth[:, 1] <= 1)]
    best = (np.inf, 0.0)
    for curve in result.curves:
        found = to_display(np.asarray(curve.points), axes)
        order = np.argsort(found[:, 0])
        found = found[order]
        inside = (shown[:, 0] >= found[0, 0]) & (shown[:, 0] <= found[-1, 0])
        if inside.sum() < 2:
            continue
        error = np.abs(np.interp(shown[inside, 0], found[:, 0], found[:, 1]) - shown[inside, 1])
        extent = np.ptp(shown[:, 0]) or 1.0
        coverage = float(np.ptp(shown[inside, 0]) / extent)
        median = float(np.median(error))
        if median < best[0]:
            best = (median, coverage)
    return best
