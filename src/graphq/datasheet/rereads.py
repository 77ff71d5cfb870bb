"""Words and pieces read again alone, where tesseract's reading of them among many was
doubtful.

Read in one image with many others, a short label comes out worse than alone: tesseract
fits one baseline and one size to a whole block. So the readers read everything once, then
read again, alone and at a few sizes, what came out doubtful: curve labels' values with
their units (``8.0V`` read ``80V`` or ``TOV``), and curve labels inside a frame that read as
junk or not at all. The surest reading wins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import msgspec
import numpy as np
from scipy import ndimage

from graphq.datasheet.misreads import word_box
from graphq.datasheet.tesseract import Reading, read_piece_words, read_pieces
from graphq.datasheet.words import Word

# A curve label's value with its unit ("8.0 V", "25°C"), as read right ...
_UNITS = r"(?:V|A|mA|°C|°|s|µs|us|ms|pF|nF)"
_VALUE = re.compile(r"^-?\d+(?:\.\d+)?" + _UNITS + "$")
_VALUE_CHARS = "0123456789.-VAmsµu°CpFn"
# ... and as tesseract reads small ones among others: the point dropped ("80V"), digits
# taken for letters ("TOV" for 7.0V).
_VALUE_LIKE = re.compile(r"^-?(?=[\dOTIl.]*[\dO])[\dOTIl]{1,3}[.,]?[\dO]{0,2}" + _UNITS + "$")


@dataclass(frozen=True)
class LabelRereadSettings:
    """How curve labels are read again (the region reader fills it from its own settings)."""

    # Glyphs stand this tall (px) in the pieces ...
    glyph_px: float
    # ... which are read again at these glyph heights (px), the surest kept ...
    sizes_px: tuple[float, ...]
    # ... when no taller than this many glyph heights (a line or two: a quantity over its
    # value, with sub- and superscripts) and less sure than this.
    max_glyphs: float
    sure_confidence: float
    # Pieces stand this many glyph heights apart in the image read.
    gap_glyphs: float
    timeout_s: float


def surest(readings: list[Reading], pattern: re.Pattern[str]) -> Reading | None:
    """The reading tesseract is surest of among those that match ``pattern``."""
    matching = [reading for reading in readings if pattern.match(reading[0])]
    return max(matching, key=lambda reading: reading[1]) if matching else None


def reread_values(
    words: list[Word], text: np.ndarray, sizes_px: tuple[float, ...], timeout_s: float
) -> list[Word]:
    """Curve labels' values with their unit ("8.0V", "150°C"), read again alone with only
    value characters allowed: read among many pieces, tesseract drops their points and takes
    digits for letters; alone, at a few sizes, it reads them. The surest reading that is a
    value wins over one that is not, one without the point its glyphs hold, or a less sure
    one."""
    doubtful = [i for i, word in enumerate(words) if _VALUE_LIKE.match(word.text)]
    read = read_pieces(
        text,
        [word_box(words[i]) for i in doubtful],
        sizes_px,
        chars=_VALUE_CHARS,
        timeout_s=timeout_s,
    )
    words = list(words)
    for i, readings in zip(doubtful, read, strict=True):
        value = surest(readings, _VALUE)
        if value is None or value[0] == words[i].text:
            continue
        was = words[i].text
        pointed = "." in value[0] and value[0].replace(".", "") == was
        if pointed or not _VALUE.match(was) or value[1] > words[i].confidence:
            words[i] = msgspec.structs.replace(words[i], text=value[0], confidence=value[1])
    return words


def reread_labels(
    read: list[list[Word]],
    pieces: list[np.ndarray],
    places: list[tuple[int, int]],
    inside: list[tuple[float, ...]],
    settings: LabelRereadSettings,
) -> list[list[Word]]:
    """Curve labels (short pieces inside a frame) the common reading is unsure of, read again
    alone at a few sizes: among the many pieces of one image tesseract drops a label's point
    or minus, takes digits for letters, or gives up on a short word it reads well alone. The
    surest reading (its least sure word) replaces the common one when it is surer.

    ``pieces`` are upright pieces (True = ink) with glyphs ``settings.glyph_px`` tall, each
    with its ``read`` words and its top-left ``places`` on the page image; ``inside`` are
    the frames' boxes there."""
    chosen: list[int] = []
    for k, (piece, (x0, top), words) in enumerate(zip(pieces, places, read, strict=True)):
        cx, cy = x0 + piece.shape[1] / 2, top + piece.shape[0] / 2
        short = piece.shape[0] <= settings.max_glyphs * settings.glyph_px
        framed = any(a <= cx <= c and b <= cy <= d for a, b, c, d in inside)
        if short and framed and _sureness(words) < settings.sure_confidence:
            chosen.append(k)
    factors = [size / settings.glyph_px for size in settings.sizes_px]
    scaled = [
        ndimage.zoom(pieces[k].astype(np.float32), factor, order=1) > 0.5
        for k in chosen
        for factor in factors
    ]
    gap = round(settings.gap_glyphs * max(settings.sizes_px))
    again = iter(read_piece_words(scaled, pad=gap, timeout_s=settings.timeout_s))
    mended = list(read)
    for k in chosen:
        best = read[k]
        for factor in factors:
            words = [_shrunk(w, factor) for w in next(again)]
            if _sureness(words) > _sureness(best):
                best = words
        mended[k] = best
    return mended


def _sureness(words: list[Word]) -> float:
    """How sure a piece's reading is: its least sure word's confidence; 0 for a reading with
    no digit and fewer than two letters (a dash, a speck)."""
    text = "".join(w.text for w in words)
    named = any(c.isdigit() for c in text) or sum(c.isalpha() for c in text) >= 2
    return min(w.confidence for w in words) if named else 0.0


def _shrunk(word: Word, factor: float) -> Word:
    """A word read on a piece scaled by ``factor``, back in the piece's own pixels."""
    return msgspec.structs.replace(
        word,
        x0=word.x0 / factor,
        x1=word.x1 / factor,
        top=word.top / factor,
        bottom=word.bottom / factor,
        size=word.size / factor,
    )
