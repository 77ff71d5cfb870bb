"""Glyphs sparse OCR skipped (a lone ``0`` at the origin) or cut short (``-10`` read ``-1``),
found as ink no word covers and read alone, or with the word beside them."""

from __future__ import annotations

import numpy as np
from scipy import ndimage

from graphq.datasheet.misreads import word_box
from graphq.datasheet.ocr_numbers import read_as_text_or_number
from graphq.datasheet.ocr_settings import OcrSettings
from graphq.datasheet.tesseract import Box
from graphq.datasheet.text_mask import glyph_clusters
from graphq.datasheet.words import Word


def with_missed(
    text: np.ndarray, words: list[Word], turned: list[Word], glyph_px: float, settings: OcrSettings
) -> list[Word]:
    """``words`` plus the clusters of glyphs no word (nor ``turned`` word) covers, read alone.

    A cluster is a glyph with the dots and dashes beside it; one that stands beside a word
    on its line is read together with it, and the longer reading replaces the word.
    """
    labels, _ = ndimage.label(text, structure=np.ones((3, 3), bool))
    covered = np.zeros(text.shape, bool)
    for word in words + turned:
        x0, top, x1, bottom = word_box(word)
        covered[top:bottom, x0:x1] = True
    loose = np.zeros(text.shape, bool)
    seeds = np.zeros(text.shape, bool)
    largest = settings.max_glyph * glyph_px
    for index, box in enumerate(ndimage.find_objects(labels), start=1):
        if box is None or covered[box].any():
            continue
        tall, wide = box[0].stop - box[0].start, box[1].stop - box[1].start
        if tall <= largest and wide <= largest:
            loose[box] |= labels[box] == index
            if tall >= settings.min_glyph * glyph_px:
                seeds[box] |= labels[box] == index
    reach = max(1, round(settings.word_gap * glyph_px))
    clusters, clustered = glyph_clusters(loose, reach)
    boxes: list[Box] = []
    beside: list[int | None] = []
    for index, box in enumerate(clustered, start=1):
        if box is None or not (seeds[box] & (clusters[box] == index)).any():
            continue
        cluster = (box[1].start, box[0].start, box[1].stop, box[0].stop)
        neighbour = _word_beside(cluster, words, reach)
        boxes.append(cluster if neighbour is None else _merged(cluster, word_box(words[neighbour])))
        beside.append(neighbour)
    read = read_as_text_or_number(text, boxes, settings)
    replaced: set[int] = set()
    found = []
    for box, neighbour, (reading, confidence) in zip(boxes, beside, read, strict=True):
        if not reading or confidence < settings.min_confidence:
            continue
        if neighbour is not None:
            if len(reading) <= len(words[neighbour].text):
                continue
            replaced.add(neighbour)
        x0, top, x1, bottom = box
        found.append(Word(reading, x0, top, x1, bottom, bottom - top, True, "ocr", confidence))
    return [w for i, w in enumerate(words) if i not in replaced] + found


def _word_beside(box: Box, words: list[Word], reach: int) -> int | None:
    """The upright word on ``box``'s text line within ``reach`` px of it, if any."""
    x0, top, x1, bottom = box
    for i, word in enumerate(words):
        same_line = min(bottom, word.bottom) - max(top, word.top) > 0.5 * (bottom - top)
        near = word.x0 - reach <= x1 and x0 <= word.x1 + reach
        if word.upright and same_line and near:
            return i
    return None


def _merged(a: Box, b: Box) -> Box:
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))
