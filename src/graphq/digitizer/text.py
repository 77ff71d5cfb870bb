"""Suppressing text inside the plot: condition labels, legends, notes.

A character is a small connected component whose ink is long for its size: its pixel
count is well over what one stroke along its bounding-box diagonal would hold ("o", "e", "V"
are loops and corners). A dash or a dot of a curve is a single stroke and is kept. Strokes
that are characters too ("1", "l", "-", "=") are taken with the words they stand in: small
components beside a character, on its text line, go with it.
"""

from __future__ import annotations

import numpy as np
from scipy import ndimage

# A character's ink is at least this many strokes along its bounding-box diagonal.
_MIN_STROKES = 1.7
# Characters are no taller than this fraction of the plot height (and no more than 60 px).
_MAX_TEXT_FRACTION = 0.07
_MAX_TEXT_PX = 60


def remove_text(ink: np.ndarray, threshold: float, line_width_px: float) -> np.ndarray:
    """A copy of ``ink`` with text-like components erased."""
    height, _ = ink.shape
    mask = ink > threshold
    # Anti-aliased glyphs fall apart at a curve threshold; join their strokes first.
    labels, count = ndimage.label(ndimage.binary_dilation(mask, np.ones((2, 2), bool)))
    if count == 0:
        return ink
    labels = np.where(mask, labels, 0)
    boxes = ndimage.find_objects(labels)
    sizes = np.bincount(labels.ravel(), minlength=count + 1)[1:]
    max_text = min(_MAX_TEXT_PX, max(8.0, _MAX_TEXT_FRACTION * height))
    box_h = np.array([b[0].stop - b[0].start if b else 0 for b in boxes], dtype=np.float64)
    box_w = np.array([b[1].stop - b[1].start if b else 0 for b in boxes], dtype=np.float64)
    small = (box_h > 0) & (box_h <= max_text) & (box_w <= 2 * max_text)
    strokes = sizes / (np.hypot(box_h, box_w) * max(line_width_px, 1.0) + 1e-9)
    glyph = small & (strokes >= _MIN_STROKES) & (box_h >= 4)
    glyph |= _neighbours_on_text_lines(boxes, small, glyph)
    erase = np.concatenate(([False], glyph))[labels]
    cleaned = ink.copy()
    cleaned[erase] = 0.0
    return cleaned


def _neighbours_on_text_lines(
    boxes: list[tuple[slice, slice] | None], small: np.ndarray, glyph: np.ndarray
) -> np.ndarray:
    """Small components within one character height of a glyph, on the same text line."""
    found = np.zeros_like(glyph)
    seeds = [boxes[i] for i in np.flatnonzero(glyph)]
    if not seeds:
        return found
    seed_top = np.array([s[0].start for s in seeds])
    seed_bottom = np.array([s[0].stop for s in seeds])
    seed_left = np.array([s[1].start for s in seeds])
    seed_right = np.array([s[1].stop for s in seeds])
    seed_height = seed_bottom - seed_top
    for index in np.flatnonzero(small & ~glyph):
        box = boxes[index]
        centre_row = (box[0].start + box[0].stop) / 2.0
        same_line = (centre_row >= seed_top) & (centre_row <= seed_bottom)
        near = (box[1].start <= seed_right + seed_height) & (box[1].stop >= seed_left - seed_height)
        found[index] = bool(np.any(same_line & near))
    return found
