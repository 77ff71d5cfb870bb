"""The numbers printed beside a frame's bottom and left edges, read by OCR: where each stands
and what it says.

Only the two bands where tick labels stand are looked at: below the frame (x) and left of it
(y). Their rules (the frame, tick marks, grid lines running out) are taken out as the page
reader does (:func:`graphq.datasheet.text_mask.without_rules`), the glyphs left are gathered into
words, and every word is read alone, at a few glyph heights, with only number characters
allowed, in one tesseract run (:func:`graphq.datasheet.tesseract.read_piece_words`): a tick
label is a word or two of digits, which tesseract reads best alone and at a glyph size it
knows. Each word is read from its grey ink, its contrast stretched: a blurred or 72 dpi label
thresholded loses its strokes. A power of ten's raised exponent, read into its base
("103"), is split off by the page reader's own step
(:func:`graphq.datasheet.ocr_numbers.split_exponents`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
from scipy import ndimage

from graphq.datasheet.misreads import restore_decimal_points
from graphq.datasheet.numbers import parse_number
from graphq.datasheet.ocr_numbers import split_exponents
from graphq.datasheet.ocr_settings import OcrSettings
from graphq.datasheet.rereads import surest
from graphq.datasheet.tesseract import Box, Reading, read_piece_words
from graphq.datasheet.text_mask import glyph_clusters, without_rules
from graphq.datasheet.words import Word

# What a tick label may be: a signed decimal number, thousands grouped by commas or not.
_TICK_LABEL = re.compile(r"^-?(\d{1,3}(,\d{3})+|\d+)?([.,]\d+)?$")
_TICK_CHARS = "0123456789.,-"


@dataclass(frozen=True)
class TickLabelSettings:
    ocr: OcrSettings = field(default_factory=OcrSettings)
    # Tick labels below the frame stand within this many glyph heights of its bottom edge
    # (outward ticks and padding put them ~0.3–1.5 heights away); the axis title, further
    # down, stays out of the band ...
    x_reach_glyphs: float = 3.0
    # ... and those left of it within this many (five digits and a minus, and the gap).
    y_reach_glyphs: float = 8.0
    # The bands run this many glyph heights past the frame's ends: the outermost labels
    # stand centred on the corners.
    overhang_glyphs: float = 3.0
    # The bands reach this many px over the frame's edge, to take in its line.
    edge_px: int = 2
    # Glyphs of one label stand at most this many glyph heights apart.
    word_gap: float = 0.6
    # A label is a line of glyphs from this to this many glyph heights tall (a lone dot or
    # a tick's stub is smaller, two labels run together taller) ...
    min_height: float = 0.6
    max_height: float = 1.6
    # ... and at most this many glyph heights wide.
    max_width: float = 8.0
    # Each label is read at these glyph heights (px) and the surest number kept: tesseract's
    # reading of a short word swings with its size.
    sizes_px: tuple[float, ...] = (24.0, 32.0)
    # Readings less sure than this are no label (a glyph of the axis title, a speck).
    min_confidence: float = 0.4


TICK_LABELS = TickLabelSettings()


def read_tick_labels(
    ink: np.ndarray,
    plot_area: list[float],
    glyph_px: float,
    settings: TickLabelSettings = TICK_LABELS,
    wanted: tuple[bool, bool] = (True, True),
) -> tuple[list[Word], list[Word]]:
    """The numbers below the frame and those left of it, as words in image pixels (``size``
    the glyph height), for :func:`graphq.datasheet.axes.tick_label_positions` to place;
    only the axes ``wanted`` (x, y) are read (tesseract's time grows with the glyphs it
    reads), the other's list left empty.

    A word below the frame is centred along it (the outermost on its corners), so the y
    axis's lowest label, beside the corner, is no x label; and the other way round."""
    height, width = ink.shape
    x0, y0, x1, y1 = plot_area
    over = settings.overhang_glyphs * glyph_px
    half = 0.5 * glyph_px
    # Each band takes in the frame's edge: the tick marks touching it are taken out with it
    # (:func:`without_rules`), not read as a label's minus or dash.
    edge = settings.edge_px
    bands = (
        (y1 - edge, y1 + settings.x_reach_glyphs * glyph_px + 1, x0 - over, x1 + over),
        (y0 - over, y1 + over, x0 - settings.y_reach_glyphs * glyph_px - 1, x0 + edge + 1),
    )
    spans = ((x0 - half, x1 + half, 0), (y0 - half, y1 + half, 1))
    grey = np.zeros_like(ink)
    text = np.zeros(ink.shape, dtype=bool)
    found: list[list[Box]] = []
    for (top_f, bottom_f, left_f, right_f), (low, high, along), read in zip(
        bands, spans, wanted, strict=True
    ):
        top, bottom = max(0, round(top_f)), min(height, round(bottom_f))
        left, right = max(0, round(left_f)), min(width, round(right_f))
        found.append([])
        if bottom - top < 2 or right - left < 2:
            continue
        band = ink[top:bottom, left:right]
        glyphs = without_rules(band, glyph_px, settings.ocr)
        text[top:bottom, left:right] |= glyphs
        grey[top:bottom, left:right] = np.where(_fringed(glyphs), band, 0.0)
        if not read:
            continue
        for rows, cols in _label_boxes(glyphs, glyph_px, settings):
            box = (left + cols.start, top + rows.start, left + cols.stop, top + rows.stop)
            centre = (box[along] + box[along + 2]) / 2
            if low <= centre <= high:
                found[-1].append(box)
    boxes = found[0] + found[1]
    words = _words(boxes, _read_boxes(grey, boxes, settings), settings)
    below = [w for w, box in words if box in found[0]]
    beside = [w for w, box in words if box in found[1]]
    return _mended(below, text, settings), _mended(beside, text, settings)


def _mended(words: list[Word], text: np.ndarray, settings: TickLabelSettings) -> list[Word]:
    """Numbers as printed, where the glyphs' geometry tells: a power of ten's raised exponent
    split off ("103" as 10 and a raised 3, joined as 10^3 by the axis reader), a decimal
    point tesseract dropped put back."""
    return restore_decimal_points(split_exponents(words, text, settings.ocr), text)


def _words(
    boxes: list[Box], readings: list[list[Reading]], settings: TickLabelSettings
) -> list[tuple[Word, Box]]:
    """The boxes that read as numbers, as words, each with its box."""
    words = []
    for box, read in zip(boxes, readings, strict=True):
        best = surest(read, _TICK_LABEL)
        if best is None or best[1] < settings.min_confidence or parse_number(best[0]) is None:
            continue
        left, top, right, bottom = box
        word = Word(
            text=best[0],
            x0=float(left),
            top=float(top),
            x1=float(right),
            bottom=float(bottom),
            size=float(bottom - top),
            source="ocr",
            confidence=best[1],
        )
        words.append((word, box))
    return words


def _read_boxes(
    grey: np.ndarray, boxes: list[Box], settings: TickLabelSettings
) -> list[list[Reading]]:
    """Per box, its readings (text, confidence) at each of the settings' sizes, all from one
    tesseract run."""
    pieces = []
    for left, top, right, bottom in boxes:
        crop = grey[top:bottom, left:right]
        crop = crop / max(float(crop.max()), 1e-6)
        for size in settings.sizes_px:
            zoomed = ndimage.zoom(crop, size / max(1, crop.shape[0]), order=1)
            pieces.append(np.clip(zoomed, 0.0, 1.0))
    pad = round(max(settings.sizes_px))
    found = read_piece_words(pieces, pad=pad, chars=_TICK_CHARS, timeout_s=settings.ocr.timeout_s)
    read: list[Reading] = []
    for words in found:
        ordered = sorted(words, key=lambda w: w.x0)
        confidence = min((w.confidence for w in ordered), default=0.0)
        read.append(("".join(w.text for w in ordered), confidence))
    count = len(settings.sizes_px)
    return [read[k : k + count] for k in range(0, len(read), count)]


def _fringed(text: np.ndarray) -> np.ndarray:
    """The text mask grown by a pixel: anti-aliased strokes' pale edges read with them."""
    return ndimage.binary_dilation(text, iterations=1)


def _label_boxes(
    text: np.ndarray, glyph_px: float, settings: TickLabelSettings
) -> list[tuple[slice, slice]]:
    """Boxes of the words the glyphs of ``text`` make, that are a tick label's size."""
    _, found = glyph_clusters(text, max(1, round(settings.word_gap * glyph_px)))
    boxes = []
    for box in found:
        if box is None:
            continue
        tall, wide = box[0].stop - box[0].start, box[1].stop - box[1].start
        if (
            settings.min_height * glyph_px <= tall <= settings.max_height * glyph_px
            and wide <= settings.max_width * glyph_px
        ):
            boxes.append(box)
    return boxes
