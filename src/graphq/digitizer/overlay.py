"""Drawing extracted curves over the source image, to check a result by eye."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from graphq.digitizer.preprocessing.ink import darkness
from graphq.digitizer.preprocessing.text import text_height_px
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
_REVIEW_COLOUR = "#C00000"
# The legend's text height: this fraction of the image's longer side, within these bounds (px),
# readable on a 300 px thumbnail and a 3000 px scan alike.
_LEGEND_TEXT_FRACTION = 0.018
_LEGEND_TEXT_PX = (10, 28)


def render_overlay(image: np.ndarray, result: DigitizeResult, meta: GraphMeta) -> bytes:
    """PNG bytes: the image faded, the plot frame in magenta, each curve in its own colour,
    and below the image a legend naming each curve's label (and, when the result needs
    review, why).

    ``meta`` supplies the axes that map the curves' axis units back to pixels.
    """
    faded = (255 - (255 - image[:, :, :3].astype(np.float32)) * 0.45).astype(np.uint8)
    canvas = Image.fromarray(faded, "RGB")
    draw = ImageDraw.Draw(canvas)
    width = max(1, round(max(canvas.size) / 600))
    x0, y0, x1, y1 = result.plot_area
    draw.rectangle((x0, y0, x1, y1), outline=_FRAME_COLOUR, width=1)
    # The axes as the digitizer mapped them: by their tick labels where these stand unevenly.
    # Imported here: the tick labels are placed by the datasheet reader, which imports the
    # digitizer.
    from graphq.digitizer.axes.tick_calibration import calibrate_by_ticks

    ink = darkness(image)
    text_px = text_height_px(ink, result.plot_area)
    calibration = calibrate_by_ticks(ink, meta, result.plot_area, text_px).calibration
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
    _with_legend(canvas, result, width).save(buffer, "PNG")
    return buffer.getvalue()


def _with_legend(canvas: Image.Image, result: DigitizeResult, line_px: int) -> Image.Image:
    """The overlay with a legend strip below it, hiding nothing: a swatch and the label of
    each curve, then, in red, the codes of the review's reasons."""
    low, high = _LEGEND_TEXT_PX
    text_px = int(np.clip(round(_LEGEND_TEXT_FRACTION * max(canvas.size)), low, high))
    font = ImageFont.load_default(size=text_px)
    rows: list[tuple[str, str]] = [
        (curve.label, PALETTE[index % len(PALETTE)]) for index, curve in enumerate(result.curves)
    ]
    if result.review.needs_review:
        codes = ", ".join(dict.fromkeys(str(note.code) for note in result.review.reasons))
        rows.append((f"needs review: {codes}", _REVIEW_COLOUR))
    pad = max(2, text_px // 3)
    swatch = 2 * text_px
    width, height = canvas.size
    # Entries flow left to right and wrap at the image's width.
    measure = ImageDraw.Draw(canvas)
    places: list[tuple[int, int]] = []
    x, y = pad, height + pad
    for text, _ in rows:
        entry = round(swatch + pad + measure.textlength(text, font=font)) + 3 * pad
        if x > pad and x + entry > width:
            x, y = pad, y + text_px + pad
        places.append((x, y))
        x += entry
    framed = Image.new("RGB", (width, y + text_px + 2 * pad), "#FFFFFF")
    framed.paste(canvas, (0, 0))
    draw = ImageDraw.Draw(framed)
    for (text, colour), (left, top) in zip(rows, places, strict=True):
        if colour == _REVIEW_COLOUR:
            draw.text((left, top), text, fill=colour, font=font)
            continue
        middle = top + text_px / 2
        draw.line((left, middle, left + swatch, middle), fill=colour, width=max(2, line_px))
        draw.text((left + swatch + pad, top), text, fill="#000000", font=font)
    return framed
