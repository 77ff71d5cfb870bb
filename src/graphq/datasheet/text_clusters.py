"""Clusters of glyph-sized ink on a page rendered at a probe resolution: the pieces region OCR
reads, each a word or a line of words, upright, or a title running up the page (turned).

Strokes larger than a glyph (curves, arrows, boxes) join no cluster, dots join none but
belong to the one they stand in, and a cluster of dashes and dots only (a dotted grid) is no
text. Kept apart from the OCR itself so that what counts as text can be read and tested on
its own.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import ndimage

from graphq.datasheet.ocr_settings import OcrSettings
from graphq.datasheet.tesseract import Box
from graphq.datasheet.text_mask import glyph_clusters


@dataclass(frozen=True)
class TextClusterSettings:
    """What makes a stroke a glyph, and glyphs one line, in glyph heights."""

    # Glyphs on one line overlap or stand this many glyph heights apart across it at most
    # (an i's dot, a subscript); wider gaps are the next line.
    line_join: float = 0.15
    # A turned cluster is at least this many glyph heights long and this many times as
    # long as it is wide, and no more than this fraction of its length is gaps wider than
    # a letter's (word gaps are 5–10 %, the gaps between stacked upright lines ~30 %).
    turned_min_glyphs: float = 2.5
    turned_aspect: float = 1.5
    turned_max_gaps: float = 0.2
    # Gaps up to this many glyph heights are between letters, and count as no gap.
    letter_gap: float = 0.3
    # A turned title's words stand up to this many glyph heights apart along the page.
    turned_gap: float = 1.0
    # A stroke this thin (glyph heights) and this many times as long as thick is a dash:
    # a minus sign joins a cluster but makes none; one a glyph long or more is a grid's.
    dash_thickness: float = 0.2
    dash_aspect: float = 4.0
    # Glyphs that touch make one stroke up to a word long, but no thicker than
    # OcrSettings.max_glyph; a longer stroke is a curve's.
    max_run: float = 8.0
    # A glyph fills this fraction of its box at least; a curve's slanted stretch does not.
    min_fill: float = 0.15
    # Strokes shorter than this (glyph heights) are dots: a decimal point, a dotted grid.
    min_stroke: float = 0.3
    # Ink within this many glyph heights of a cluster's own glyphs is read with it: thin
    # strokes (an exponent's minus sign) the probe rendered too pale to see.
    reach_glyphs: float = 0.3


@dataclass(frozen=True)
class TextCluster:
    box: Box  # probe pixels, with a margin of TextClusterSettings.reach_glyphs
    # The cluster's glyphs in ``box``, widened by the margin: what is read with it.
    reach: np.ndarray
    turned: bool


def text_clusters(
    text: np.ndarray, glyph: float, ocr: OcrSettings, settings: TextClusterSettings
) -> list[TextCluster]:
    """Clusters of glyph-sized ink in the mask ``text`` (rules already taken off), whose
    glyphs stand ``glyph`` px tall (``ocr`` says how large a glyph may be and how far apart
    words stand): titles running up the page first, then upright lines."""
    labels, _ = ndimage.label(text, structure=np.ones((3, 3), bool))
    largest = ocr.max_glyph * glyph
    # Strokes that may join a cluster: not dots (a dotted grid would chain clusters into
    # one; a decimal point needs no chaining, its digits stand close) ...
    joining = np.zeros(text.shape, bool)
    # ... and strokes that make one: glyphs, not dashes.
    seeds = np.zeros(text.shape, bool)
    # Dots and glyph-long strokes join no cluster, but belong to the one they stand in: a
    # decimal point set a letter space from its digits ("0 . 5"), an l or an i.
    inner = np.zeros(text.shape, bool)
    for index, box in enumerate(ndimage.find_objects(labels), start=1):
        if box is None:
            continue
        tall, wide = box[0].stop - box[0].start, box[1].stop - box[1].start
        thin, long = min(tall, wide), max(tall, wide)
        dash = thin <= settings.dash_thickness * glyph and long >= settings.dash_aspect * thin
        if thin > largest or long > settings.max_run * glyph:
            continue  # a curve, an arrow, a box
        if long < settings.min_stroke * glyph or (dash and long >= glyph):
            if long <= largest:
                inner[box] |= labels[box] == index
            continue
        own = labels[box] == index
        joining[box] |= own
        filled = np.count_nonzero(own) >= settings.min_fill * tall * wide
        if long >= ocr.min_glyph * glyph and not dash and filled:
            seeds[box] |= own
    gap = max(1, round(ocr.word_gap * glyph))
    reach = max(1, round(settings.reach_glyphs * glyph))
    side = max(1, round(settings.line_join * glyph))
    found: list[TextCluster] = []
    # Turned titles first, joined along the page only: an upright label beside a title
    # would make it a block.
    along = max(1, round(settings.turned_gap * glyph))
    groups, boxes = glyph_clusters(joining, gap_px=0, side_px=along)
    for index, box in enumerate(boxes, start=1):
        if box is None:
            continue
        members = groups[box] == index
        if (members & seeds[box]).any() and _is_turned(members, glyph, settings):
            found.append(_widened(groups, index, box, reach, turned=True))
            joining[box] &= ~members
    groups, boxes = glyph_clusters(joining, gap_px=gap, side_px=side)
    for index, box in enumerate(boxes, start=1):
        if box is not None and (seeds[box] & (groups[box] == index)).any():
            found.append(_widened(groups, index, box, reach, turned=False, inner=inner))
    return found


def _widened(
    groups: np.ndarray,
    index: int,
    box: tuple[slice, slice],
    reach: int,
    turned: bool,
    inner: np.ndarray | None = None,
) -> TextCluster:
    """The cluster labelled ``index`` in ``groups``, found in ``box``, with the ``inner``
    strokes inside its box, widened by ``reach`` px."""
    height, width = groups.shape
    top, left = max(0, box[0].start - reach), max(0, box[1].start - reach)
    bottom, right = min(height, box[0].stop + reach), min(width, box[1].stop + reach)
    own = groups[top:bottom, left:right] == index
    if inner is not None:
        own[box[0].start - top : box[0].stop - top, box[1].start - left : box[1].stop - left] |= (
            inner[box]
        )
    return TextCluster(
        (left, top, right, bottom), ndimage.binary_dilation(own, iterations=reach), turned
    )


def _is_turned(members: np.ndarray, glyph: float, settings: TextClusterSettings) -> bool:
    """Whether a cluster is a line running up the page: long, narrow, and inked along its
    length but for the gaps between words. (Upright lines stacked close, a "Top … Bottom"
    list, leave a gap between every two lines.)"""
    tall, wide = members.shape
    long_enough = (
        tall >= settings.turned_min_glyphs * glyph and tall >= settings.turned_aspect * wide
    )
    if not long_enough:
        return False
    inked = np.concatenate(([True], members.any(axis=1), [True])).view(np.int8)
    starts, stops = np.flatnonzero(np.diff(inked) == -1), np.flatnonzero(np.diff(inked) == 1)
    gaps = stops - starts
    wide_gaps = gaps[gaps > settings.letter_gap * glyph].sum()
    return wide_gaps <= settings.turned_max_gaps * tall
