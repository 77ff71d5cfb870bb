"""A symbol's subscript read on its own: ``C_iss``, ``V_GS``, ``R_DS(on)``.

Datasheet labels name quantities by a capital and a subscript set smaller and lower
(``Ciss``, ``VGS``). Read as one word, tesseract's line model fits the capital's baseline and
makes junk of the small glyphs after it (``C_iss`` comes out ``C..``, ``V_GS`` ``Vos``). So a
short word whose first glyph is a capital and whose other glyphs all stand smaller and lower
is split there: the capital keeps what tesseract read for it, and the subscript is read
alone, scaled to glyph size, as a smaller word after it; text lines glue it back without a
space, as the text layer gives it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import msgspec
import numpy as np
from scipy import ndimage

from graphq.datasheet.misreads import word_box
from graphq.datasheet.tesseract import Box, read_pieces
from graphq.datasheet.words import Word

# A word to split: a capital and at most a few more characters as tesseract read them.
_SYMBOL = re.compile(r"^[A-Z]\S{0,5}$")
# What a subscript reads as: letters, digits and brackets ("iss", "GS", "DS(on)").
_SUBSCRIPT = re.compile(r"^[A-Za-z0-9()]{1,8}$")


@dataclass(frozen=True)
class SubscriptSettings:
    # A subscript's glyphs are at most this fraction of the capital's height ...
    max_height: float = 0.8
    # ... and end below its baseline by this fraction of its height at least, or start
    # below its middle.
    min_drop: float = 0.1
    # Glyphs no larger than this fraction of the capital's height are dots (an i's, a point).
    max_dot: float = 0.2
    # Pieces are read at these heights (px): tesseract's reading of a few small glyphs alone
    # swings with their size, so the surest is kept.
    piece_px: tuple[float, ...] = (24.0, 32.0, 44.0)
    timeout_s: float = 120.0


def may_be_symbol(text: str) -> bool:
    """Whether ``text`` may be a symbol whose subscript was read as junk (``C..``, ``Vos``)."""
    return bool(_SYMBOL.match(text))


def split_subscripts(
    words: list[Word], text: np.ndarray, settings: SubscriptSettings | None = None
) -> list[Word]:
    """``words`` (pixels of ``text``, True = ink) with each symbol whose subscript was read
    as junk split into its capital and its subscript read alone."""
    chosen = settings or SubscriptSettings()
    splits: dict[int, tuple[Box, Box]] = {}
    for i, word in enumerate(words):
        if word.upright and _SYMBOL.match(word.text):
            found = _subscript(word, text, chosen)
            if found is not None:
                splits[i] = found
    read = read_pieces(
        text,
        [boxes[1] for boxes in splits.values()],
        chosen.piece_px,
        timeout_s=chosen.timeout_s,
    )
    readings = dict(zip(splits, read, strict=True))
    result = []
    for i, word in enumerate(words):
        sure = [r for r in readings.get(i, []) if _SUBSCRIPT.match(r[0])]
        if not sure:
            result.append(word)
            continue
        subscript, confidence = max(sure, key=lambda r: r[1])
        (bx0, btop, bx1, bbottom), (sx0, stop, sx1, sbottom) = splits[i]
        # The reading alone vouches for the split, however unsure the junk reading was.
        base = msgspec.structs.replace(
            word,
            text=word.text[0],
            x0=bx0,
            top=btop,
            x1=bx1,
            bottom=bbottom,
            size=bbottom - btop,
            confidence=confidence,
        )
        small = msgspec.structs.replace(
            word,
            text=subscript,
            x0=sx0,
            top=stop,
            x1=sx1,
            bottom=sbottom,
            size=sbottom - stop,
            confidence=confidence,
        )
        result += [base, small]
    return result


def _subscript(word: Word, text: np.ndarray, settings: SubscriptSettings) -> tuple[Box, Box] | None:
    """The boxes (pixels) of the word's capital and of its subscript, when every glyph after
    the first stands smaller and lower than it."""
    left, top, right, bottom = word_box(word)
    # OCR may box a word partly or wholly outside the image it read (noise at an edge).
    left, top = max(left, 0), max(top, 0)
    right, bottom = min(right, text.shape[1]), min(bottom, text.shape[0])
    if right <= left or bottom <= top:
        return None
    labels, _ = ndimage.label(text[top:bottom, left:right], structure=np.ones((3, 3), bool))
    boxes = sorted(
        (b for b in ndimage.find_objects(labels) if b is not None), key=lambda b: b[1].start
    )
    if len(boxes) < 2:
        return None
    first, rest = boxes[0], boxes[1:]
    height = first[0].stop - first[0].start
    middle = (first[0].start + first[0].stop) / 2
    for box in rest:
        tall, wide = box[0].stop - box[0].start, box[1].stop - box[1].start
        if max(tall, wide) <= settings.max_dot * height:
            continue  # an i's dot, a point: lower or not, part of the subscript
        lower = box[0].stop - first[0].stop >= settings.min_drop * height or box[0].start > middle
        if tall > settings.max_height * height or not lower or box[1].start < first[1].stop - 1:
            return None
    base = (
        left + first[1].start,
        top + first[0].start,
        left + first[1].stop,
        top + first[0].stop,
    )
    subscript = (
        left + min(b[1].start for b in rest),
        top + min(b[0].start for b in rest),
        left + max(b[1].stop for b in rest),
        top + max(b[0].stop for b in rest),
    )
    return base, subscript
