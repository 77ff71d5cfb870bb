"""Numbers among OCR words made right: a power of ten's raised exponent, which tesseract
merges into its base (``10-14`` for 10⁻¹), split off as a smaller word; numbers tesseract is
unsure of, or led by a sign it took for another mark, read again alone with only number
characters allowed."""

from __future__ import annotations

import re

import msgspec
import numpy as np
from scipy import ndimage

from graphq.datasheet.misreads import word_box
from graphq.datasheet.ocr_settings import OcrSettings
from graphq.datasheet.rereads import surest
from graphq.datasheet.tesseract import Box, Reading, read_pieces
from graphq.datasheet.words import Word

# Characters a number (a tick label or an exponent) is made of.
_NUMBER_CHARS = "0123456789.,-+Ee"
_NUMBER = re.compile(r"^[-+]?(\d+[.,]?\d*|[.,]\d+)([Ee][-+]?\d+)?$")
_EXPONENT = re.compile(r"^[-+]?\d{1,2}$")
# A minus sign read as another mark before a number.
_ODD_SIGN = re.compile(r"^[~=_»«*“”\"'][\d.,]+$")


def split_exponents(words: list[Word], text: np.ndarray, settings: OcrSettings) -> list[Word]:
    """Each number whose last glyphs stand raised, as a base word and a smaller exponent.

    Only numbers are split: a raised degree sign inside ``25°C`` has a glyph after it on the
    baseline, and a letter word is never a power of ten.
    """
    raised = {i: _raised_end(w, text, settings) for i, w in enumerate(words)}
    splits = {i: boxes for i, boxes in raised.items() if boxes is not None}
    pieces = [box for boxes in splits.values() for box in boxes]
    read = iter(
        read_pieces(
            text, pieces, settings.piece_px, chars=_NUMBER_CHARS, timeout_s=settings.timeout_s
        )
    )
    result = []
    for i, word in enumerate(words):
        if i not in splits:
            result.append(word)
            continue
        base, exponent = surest(next(read), _NUMBER), surest(next(read), _EXPONENT)
        if base is None or exponent is None:
            result.append(word)
            continue
        base_box, raised_box = splits[i]
        result += [_boxed(word, base[0], base_box), _boxed(word, exponent[0], raised_box)]
    return result


def _raised_end(word: Word, text: np.ndarray, settings: OcrSettings) -> tuple[Box, Box] | None:
    """The boxes of a number's base and of the raised glyphs that end it, if any."""
    if not word.text[:1].isdigit():
        return None
    left, top, right, bottom = word_box(word)
    labels, count = ndimage.label(text[top:bottom, left:right], structure=np.ones((3, 3), bool))
    boxes = [box for box in ndimage.find_objects(labels) if box is not None]
    if count < 2:
        return None
    base_bottom = max(box[0].stop for box in boxes)
    on_base = [box for box in boxes if box[0].stop >= base_bottom - 0.15 * (bottom - top)]
    base_top = min(box[0].start for box in on_base)
    raised_line = base_top + settings.superscript_bottom * (base_bottom - base_top)
    raised = [box for box in boxes if box[0].stop <= raised_line]
    if not raised or min(b[1].start for b in raised) < max(b[1].stop for b in on_base) - 1:
        return None
    return _union(on_base, top, left), _union(raised, top, left)


def reread_numbers(words: list[Word], text: np.ndarray, settings: OcrSettings) -> list[Word]:
    """Numbers tesseract was unsure of, read again alone with only number characters
    allowed; the surer reading wins.

    Also read again, whatever their confidence: a number led by a sign tesseract took for
    another mark (``~16``, ``=10``); when no reading is a number, the word is dropped rather
    than kept as a misread.
    """
    doubtful = [
        i
        for i, word in enumerate(words)
        if (_NUMBER.match(word.text) and word.confidence < settings.sure_confidence)
        or _ODD_SIGN.match(word.text)
    ]
    read = read_pieces(
        text,
        [word_box(words[i]) for i in doubtful],
        settings.piece_px,
        chars=_NUMBER_CHARS,
        timeout_s=settings.timeout_s,
    )
    words = list(words)
    misread = set()
    for i, readings in zip(doubtful, read, strict=True):
        number = surest(readings, _NUMBER)
        odd = _ODD_SIGN.match(words[i].text) is not None
        if number is not None and (odd or number[1] > words[i].confidence):
            words[i] = msgspec.structs.replace(words[i], text=number[0], confidence=number[1])
        elif odd:
            misread.add(i)
    return [word for i, word in enumerate(words) if i not in misread]


def read_as_text_or_number(
    text: np.ndarray, boxes: list[Box], settings: OcrSettings
) -> list[Reading]:
    """Each piece read freely and as a number; the number wins when tesseract is at least
    as sure of it (a lone ``0`` read freely comes out as ``o`` or ``ie)``, doubtfully)."""
    free = read_pieces(text, boxes, settings.piece_px, timeout_s=settings.timeout_s)
    numbers = read_pieces(
        text, boxes, settings.piece_px, chars=_NUMBER_CHARS, timeout_s=settings.timeout_s
    )
    readings = []
    for free_readings, number_readings in zip(free, numbers, strict=True):
        reading = max(free_readings, key=lambda r: r[1])
        number = surest(number_readings, _NUMBER)
        readings.append(number if number is not None and number[1] >= reading[1] else reading)
    return readings


def _boxed(word: Word, text: str, box: Box) -> Word:
    x0, top, x1, bottom = box
    return msgspec.structs.replace(
        word, text=text, x0=x0, top=top, x1=x1, bottom=bottom, size=bottom - top
    )


def _union(boxes: list[tuple[slice, slice]], top: int, left: int) -> Box:
    return (
        left + min(b[1].start for b in boxes),
        top + min(b[0].start for b in boxes),
        left + max(b[1].stop for b in boxes),
        top + max(b[0].stop for b in boxes),
    )
