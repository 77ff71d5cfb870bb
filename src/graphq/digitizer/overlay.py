"""Drawing extracted curves over the source image, to check a result by eye."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image, ImageDraw

from graphq.digitizer.calibration import build_calibration
from graphq.digitizer.types import DigitizeResult, GraphMeta

# Distinct, colour-blind-safe hues (Okabe–Ito, then Tableau) for up to 14 curves; more cycle.
PALETTE = (
    "#E69F00",
    "#56B4E9",
    "#009E73",
    "#D55E00",
    "#CC79A7",
    "#0072B2",
    "#F0E442",
    "#1F77B4",
    "#FF7F0E",
    "#2CA02C",
    "#D62728",
    "#9467BD",
    "#8C564B",
    "#17BECF",
)
_FRAME_COLOUR = "#FF00FF"


def render_overlay(image: np.ndarray, result: DigitizeResult, meta: GraphMeta) -> bytes:
    """PNG bytes: the image faded, the plot frame in magenta, each curve in its own colour.

    ``meta`` supplies the axes that map the curves' axis units back to pixels.
    """
    faded = (255 - (255 - image[:, :, :3].astype(np.float32)) * 0.45).astype(np.uint8)
    canvas = Image.fromarray(faded, "RGB")
    draw = ImageDraw.Draw(canvas)
    width = max(1, round(max(canvas.size) / 600))
    x0, y0, x1, y1 = result.plot_area
    draw.rectangle((x0, y0, x1, y1), outline=_FRAME_COLOUR, width=1)
    calibration = build_calibration(meta, result.plot_area)
    for index, curve in enumerate(result.curves):
        if not curve.points:
            continue
        pixels = calibration.values_to_pixels(np.asarray(curve.points, dtype=np.float64))
        finite = pixels[np.all(np.isfinite(pixels), axis=1)]
        colour = PALETTE[index % len(PALETTE)]
        coordinates = [(float(x), float(y)) for x, y in finite]
        if len(coordinates) > 1:
            draw.line(coordinates, fill=colour, width=width)
        for x, y in coordinates[:: max(1, len(coordinates) // 40)]:
            draw.ellipse(
                (x - width - 1, y - width - 1, x + width + 1, y + width + 1), outline=colour
            )
    buffer = io.BytesIO()
    canvas.save(buffer, "PNG")
    return buffer.getvalue()
