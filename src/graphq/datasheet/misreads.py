"""OCR misreads mended from what the glyphs' geometry and their place tell.

Tesseract's reading of datasheet labels goes wrong in a few ways no confidence flags, and
each is mended here only where the page shows what was meant:

- a decimal point set tight between digits is dropped (``0.8`` read ``08``): a dot on the
  baseline between two digits goes back in;
- Ohms come out as ``Q`` (``[Q]``): only where a unit stands (bracketed, after a number);
- a current's subscript merges into its symbol (``I_D`` read ``In``): only where the glyph
  after the ``I`` hangs below its baseline.

One it cannot mend: a thin minus before a curve label goes unread (``−55 °C`` read ``55°C``)
and nothing on the page tells which was printed, so such a label is only pointed out
(:func:`unsigned_cold_temperatures`) for a person to check.
"""

from __future__ import annotations

import re

import msgspec
import numpy as np
from scipy import ndimage

from graphq.datasheet.conditions import parse_conditions
from graphq.datasheet.tesseract import Box
from graphq.datasheet.words import Word

# A whole number, alone or with its unit ("55V" for 5.5 V, a curve label).
_WHOLE_NUMBER = re.compile(r"^(-?)(\d{2,})((?:V|A|mA|s|ms|µs|us)?)$")
# A decimal point is no taller nor wider than this fraction of its digits' height.
_DOT_SIZE = 0.25
# Ohms (Ω) read as Q: in brackets, with an SI prefix or none, or after a number.
_BRACKETED_OHMS = re.compile(r"[\[(][mkMµu]?Q[\])]")
_NUMBER_OHMS = re.compile(r"(?<=\d)[mkM]?Q$")
# A subscript after an I (I_D, I_S, I_C, I_F) as tesseract reads it: a small D comes out n,
# p or o; a small S, C or F comes out lowercase.
_SUBSCRIPT_MISREADS = {"n": "D", "p": "D", "o": "D", "D": "D", "s": "S", "S": "S",
                       "c": "C", "C": "C", "f": "F", "F": "F"}  # fmt: skip
# A subscript ends below its base's baseline by this fraction of the base's height at least.
_SUBSCRIPT_DROP = 0.15
# Cold temperatures parts are rated at (°C): −40 (industrial, automotive), −55 (power,
# military), −65 (storage). Read without a minus they are ordinary warm temperatures, so OCR
# reading one of these values may have dropped its sign.
_COLD_RATINGS_C = (40.0, 55.0, 65.0)


def restore_decimal_points(words: list[Word], text: np.ndarray) -> list[Word]:
    """Numbers read without the decimal point their box holds (``0.8`` read ``08``): a dot
    on the baseline between two digits goes back where it stands.

    Tesseract drops a point set tight between digits, surely. Only a whole number (with its
    unit) whose tall glyphs are one per character is mended, so each glyph is known to be
    its digit.
    """
    mended = []
    for word in words:
        mended.append(word)
        number = _WHOLE_NUMBER.match(word.text)
        if not number:
            continue
        left, top, right, bottom = word_box(word)
        if right <= left or bottom <= top:
            continue  # a word squeezed to no box has no glyphs to look at
        labels, _ = ndimage.label(text[top:bottom, left:right], structure=np.ones((3, 3), bool))
        boxes = [box for box in ndimage.find_objects(labels) if box is not None]
        if not boxes:
            continue
        base = max(box[0].stop for box in boxes)
        tall = max(box[0].stop - box[0].start for box in boxes)
        digits = sorted(b[1].start for b in boxes if b[0].stop - b[0].start >= 0.6 * tall)
        # A point may come in fragments where the piece it was cut from ends; it sits on the
        # baseline (a condensed "1"'s flag, cut off its stem, is as small but high up).
        small = [
            b
            for b in boxes
            if b[0].stop - b[0].start <= _DOT_SIZE * tall
            and b[1].stop - b[1].start <= _DOT_SIZE * tall
            and b[0].stop >= base - _DOT_SIZE * tall
        ]
        sign = len(number.group(1))
        if not small or len(digits) != len(word.text) - sign:
            continue
        dot_x0, dot_x1 = min(b[1].start for b in small), max(b[1].stop for b in small)
        dot_top = min(b[0].start for b in small)
        if dot_x1 - dot_x0 > _DOT_SIZE * tall or dot_top < base - 2 * _DOT_SIZE * tall:
            continue
        dots = [(dot_x0 + dot_x1) / 2]
        after = sum(start < dots[0] for start in digits)
        if 0 < after < len(number.group(2)):
            at = after + sign
            mended[-1] = msgspec.structs.replace(word, text=word.text[:at] + "." + word.text[at:])
    return mended


def unsigned_cold_temperatures(labels: list[str]) -> list[str]:
    """The labels that read a temperature a part is usually rated at cold, without its
    minus ("55°C"): OCR may have dropped a thin minus there, so their sign is unsure."""
    return [
        label
        for label in labels
        if any(
            name.startswith("T") and value in _COLD_RATINGS_C
            for name, value in parse_conditions(label).items()
        )
    ]


def mend_units(words: list[Word]) -> list[Word]:
    """Ohms read as ``Q`` where a unit stands: bracketed (``[Q]``, ``(mQ)``) or set after a
    number (``10kQ``). A ``Q`` elsewhere is a charge (``Qg``) and stays."""
    return [
        msgspec.structs.replace(word, text=mended) if (mended := _ohms(word.text)) else word
        for word in words
    ]


def _ohms(text: str) -> str | None:
    mended = _BRACKETED_OHMS.sub(lambda m: m.group(0).replace("Q", "Ω"), text)
    mended = _NUMBER_OHMS.sub(lambda m: m.group(0)[:-1] + "Ω", mended)
    return mended if mended != text else None


def mend_subscripts(words: list[Word], text: np.ndarray) -> list[Word]:
    """A current's symbol read as one word (``I_D`` as ``In`` or ``Ip``): where the glyph
    after the ``I`` hangs below its baseline it is a subscript, and its usual misreads
    become the capital they stand for. ``In`` set on one baseline is the word "In"."""
    mended = []
    for word in words:
        letters = word.text.rstrip(",")
        subscript = _SUBSCRIPT_MISREADS.get(letters[1:]) if letters[:1] == "I" else None
        if word.upright and subscript and _hangs_below(word, text):
            word = msgspec.structs.replace(word, text="I" + subscript + word.text[len(letters) :])
        mended.append(word)
    return mended


def _hangs_below(word: Word, text: np.ndarray) -> bool:
    """Whether the word's last tall glyph ends below its first glyph's baseline by a
    subscript's drop."""
    left, top, right, bottom = word_box(word)
    labels, _ = ndimage.label(text[top:bottom, left:right], structure=np.ones((3, 3), bool))
    boxes = sorted(
        (box for box in ndimage.find_objects(labels) if box is not None), key=lambda b: b[1].start
    )
    if len(boxes) < 2:
        return False
    first, last = boxes[0], max(boxes[1:], key=lambda b: b[0].stop - b[0].start)
    height = first[0].stop - first[0].start
    return last[0].stop - first[0].stop >= _SUBSCRIPT_DROP * height


def word_box(word: Word) -> Box:
    """The word's box in whole pixels, clipped at the image's top-left."""
    return (
        max(0, int(word.x0)),
        max(0, int(word.top)),
        int(np.ceil(word.x1)),
        int(np.ceil(word.bottom)),
    )
