"""The ``legacy`` method: colour mask and column averaging, kept for comparison.

Every dark (or requested-colour) pixel inside the frame counts; each column's mean row is one
point. It knows nothing of grids, text or several curves, which is what the ``standard``
method is measured against.
"""

from __future__ import annotations

import numpy as np

from graphq.digitizer.axes.calibration import PlotCalibration
from graphq.digitizer.preprocessing.colors import colour_mask
from graphq.digitizer.preprocessing.ink import darkness
from graphq.digitizer.types import Curve, DigitizeResult, GraphMeta
from graphq.errors import GraphqError

# A pixel is curve ink for the legacy mask when it is at least this dark.
_LEGACY_INK = 0.5


def digitize_legacy(
    image: np.ndarray, meta: GraphMeta, plot_area: list[float], calibration: PlotCalibration
) -> DigitizeResult:
    x0, y0, x1, y1 = (round(v) for v in plot_area)
    # Stay two pixels inside the frame so its own lines do not count.
    crop = image[y0 + 2 : y1 - 1, x0 + 2 : x1 - 1]
    mask: np.ndarray
    if meta.colors:
        mask = np.zeros(crop.shape[:2], dtype=bool)
        for colour in meta.colors:
            mask |= colour_mask(crop, colour)
    else:
        mask = darkness(crop) > _LEGACY_INK
    counts = mask.sum(axis=0)
    columns = np.flatnonzero(counts)
    if columns.size == 0:
        raise GraphqError("NO_CURVES_FOUND", "no curve pixels inside the plot frame")
    rows = np.arange(mask.shape[0], dtype=np.float64)[:, None]
    mean_rows = (mask * rows).sum(axis=0)[columns] / counts[columns]
    pixels = np.column_stack((columns + x0 + 2.0, mean_rows + y0 + 2.0))
    points = calibration.pixels_to_values(pixels)
    label = meta.labels[0] if meta.labels else "curve 1"
    curve = Curve(
        label=label,
        value=None,
        color=(meta.colors or ["#000000"])[0],
        points=points.tolist(),
        confidence=0.5,
    )
    return DigitizeResult(
        plot_area=plot_area,
        curves=[curve],
        warnings=["legacy method: one averaged curve per column"],
    )
