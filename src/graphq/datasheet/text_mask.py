"""The text mask tesseract reads: ink scaled until its glyphs stand the size tesseract reads
best, with rules (frames, grid lines) and the tick marks that touched them erased, since a
tick beside a label reads as a character and a line through a word ruins it. Also how big
an image's glyphs are, and how its glyphs gather into words."""

from __future__ import annotations

import numpy as np
from scipy import ndimage

from graphq.datasheet.ocr_settings import OcrSettings


def text_for_ocr(
    ink: np.ndarray, settings: OcrSettings, text_px: float | None = None
) -> tuple[np.ndarray, float, float] | None:
    """The text mask tesseract reads from darkness ``ink``: upscaled until its glyphs are
    ``settings.glyph_px`` tall, with ruled lines taken out. Returns (mask, upscale, glyph
    height in the mask); None where no glyph-like ink is found."""
    glyph = text_px or glyph_height(ink > settings.ink_threshold)
    if glyph is None:
        return None
    scale = min(settings.max_upscale, max(1.0, settings.glyph_px / glyph))
    if scale > 1.0:
        ink = ndimage.zoom(ink, scale, order=1)
    return without_rules(ink, glyph * scale, settings), scale, glyph * scale


def glyph_clusters(
    text: np.ndarray, gap_px: int, side_px: int = 0
) -> tuple[np.ndarray, list[tuple[slice, slice] | None]]:
    """The glyphs of ``text`` (True = ink) gathered into words: glyphs at most ``gap_px``
    apart along a line, and ``side_px`` across it (an i's dot, a subscript), are one. The
    clusters' labels (0 off the glyphs) and their boxes (None for a label not used)."""
    widened = ndimage.maximum_filter(text.view(np.uint8), size=(2 * side_px + 1, 2 * gap_px + 1))
    clusters, _ = ndimage.label(widened)
    clusters[~text] = 0
    return clusters, ndimage.find_objects(clusters)


def glyph_height(text: np.ndarray) -> float | None:
    """Median height (px) of glyph-like components: the size the image's text is set in.

    A glyph is at least 5 px tall, no wider than 1.5 heights and no narrower than a fifth of
    one (a tick or a vertical dash is), and fills a fifth of its box at least (the thin
    diagonal dash of a curve does not).
    """
    labels, count = ndimage.label(text, structure=np.ones((3, 3), bool))
    if count == 0:
        return None
    fill = ndimage.sum_labels(text, labels, np.arange(1, count + 1))
    heights = []
    for box, pixels in zip(ndimage.find_objects(labels), fill, strict=True):
        if box is None:
            continue
        tall, wide = box[0].stop - box[0].start, box[1].stop - box[1].start
        glyph_like = 0.2 * tall <= wide <= 1.5 * tall and pixels >= 0.2 * tall * wide
        if glyph_like and 5 <= tall <= 0.5 * text.shape[0]:
            heights.append(tall)
    return float(np.median(heights)) if len(heights) >= 3 else None


def without_rules(ink: np.ndarray, glyph_px: float, settings: OcrSettings) -> np.ndarray:
    """The text mask of ``ink`` with long straight runs erased, and the thin strokes that
    touched them. Rules are looked for in paler ink than text: a light-grey frame carries
    dark tick marks."""
    text = ink > settings.ink_threshold
    lines = ink > settings.rule_ink
    length = max(3, round(settings.rule_glyphs * glyph_px))
    rules = _long_runs(lines, length, axis=1) | _long_runs(lines, length, axis=0)
    kept = text & ~rules
    labels, count = ndimage.label(kept, structure=np.ones((3, 3), bool))
    if count == 0:
        return kept
    near_rules = ndimage.maximum_filter(rules.view(np.uint8), size=3).astype(bool)
    touching = np.zeros(count + 1, bool)
    touching[np.unique(labels[near_rules & kept])] = True
    thin = np.zeros(count + 1, bool)
    for index, box in enumerate(ndimage.find_objects(labels), start=1):
        if box is not None:
            tall, wide = box[0].stop - box[0].start, box[1].stop - box[1].start
            thin[index] = min(tall, wide) <= settings.tick_thickness * glyph_px
    thin[0] = False
    kept[(touching & thin)[labels]] = False
    return kept


def _long_runs(mask: np.ndarray, length: int, axis: int) -> np.ndarray:
    """Pixels on straight runs of at least ``length`` along ``axis`` (a 1-D opening; running
    min/max filters cost the same whatever the length)."""
    shrunk = ndimage.minimum_filter1d(mask.view(np.uint8), length, axis=axis, mode="constant")
    return ndimage.maximum_filter1d(shrunk, length, axis=axis, mode="constant").astype(bool)
