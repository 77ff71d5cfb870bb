"""Words read by OCR, for pages and images that carry no usable text layer.

Datasheet graphs are hard on a general OCR engine (:mod:`graphq.datasheet.tesseract`) in a
few ways, and each has its stage here, in the order :func:`image_words` runs them:

- Tick labels are a few small words scattered around a frame. The image is scaled so a glyph
  stands about :attr:`OcrSettings.glyph_px` tall, and tesseract looks for sparse text.
- A tick mark beside a label reads as a character (``-2`` and its tick read ``-24``), and a
  frame or grid line through a word ruins it. Rules (runs of ink several glyphs long) are
  erased before reading, and so are the thin strokes that touched them: the ticks
  (:mod:`graphq.datasheet.text_mask`).
- A power of ten's exponent (``10⁻¹``) is a raised, smaller word that tesseract merges into
  its base (``10-14``). A number whose last glyphs stand raised is split there and both parts
  are read again on their own, so the exponent comes out as a smaller word above the base's
  middle, as the text layer gives it (:mod:`graphq.datasheet.ocr_numbers`).
- Axis titles run up the page; they are read from the image turned a quarter turn and come
  out with ``upright=False``.
- Sparse reading skips some lone short labels (a ``0`` at the origin) and cuts others short
  (``-10`` as ``-1``): glyphs no word covers are read alone, with the word beside them
  (:mod:`graphq.datasheet.missed_glyphs`).
- Numbers tesseract is unsure of are read again alone, with only number characters allowed;
  so are curve labels' values with their units ("8.0V" read "80V" or "TOV" among others)
  (:mod:`graphq.datasheet.ocr_numbers`, :mod:`graphq.datasheet.rereads`).
- Misreads the glyphs' geometry can tell (a dropped decimal point, Ω as ``Q``, a merged
  subscript) are mended (:mod:`graphq.datasheet.misreads`).
"""

from __future__ import annotations

import msgspec
import numpy as np

from graphq.datasheet.misreads import mend_subscripts, mend_units, restore_decimal_points
from graphq.datasheet.missed_glyphs import with_missed
from graphq.datasheet.ocr_numbers import reread_numbers, split_exponents
from graphq.datasheet.ocr_settings import DEFAULT_SETTINGS, OcrSettings
from graphq.datasheet.page_images import POINTS_PER_INCH, render_page
from graphq.datasheet.rereads import reread_values
from graphq.datasheet.tesseract import SPARSE_TEXT, read_mask
from graphq.datasheet.text_mask import text_for_ocr
from graphq.datasheet.words import Word
from graphq.digitizer.preprocessing.ink import darkness


def page_words(
    pdf: bytes, page_number: int, *, dpi: int | None = None, settings: OcrSettings | None = None
) -> list[Word]:
    """OCR words of one page (``page_number`` 1-based), in PDF points from the page's
    top-left corner."""
    settings = settings or DEFAULT_SETTINGS
    dpi = dpi or settings.page_dpi
    pixels = render_page(pdf, page_number, dpi)
    return [scale_word(w, POINTS_PER_INCH / dpi) for w in image_words(pixels, settings=settings)]


def image_words(
    pixels: np.ndarray, *, text_px: float | None = None, settings: OcrSettings | None = None
) -> list[Word]:
    """OCR words of an RGB (H × W × 3) or grey (H × W) uint8 image, in its pixel coordinates.

    ``text_px`` is the height of the text's glyphs when the caller knows it (the tick
    labels' height beside a frame); otherwise it is measured over the whole image, where
    the dashes of many dashed curves can outnumber the glyphs.
    """
    settings = settings or DEFAULT_SETTINGS
    ink = darkness(pixels) if pixels.ndim == 3 else 1.0 - np.asarray(pixels, np.float64) / 255.0
    prepared = text_for_ocr(ink, settings, text_px)
    if prepared is None:
        return []
    text, scale, glyph_px = prepared
    found = read_mask(
        text, SPARSE_TEXT, min_confidence=settings.min_confidence, timeout_s=settings.timeout_s
    )
    turned = _turned_words(text, settings)
    upright = [w for w in found if not any(_overlap(w, t) for t in turned)]
    upright = with_missed(text, upright, turned, glyph_px, settings)
    upright = split_exponents(upright, text, settings)
    upright = reread_numbers(upright, text, settings)
    upright = reread_values(upright, text, settings.piece_px, settings.timeout_s)
    upright = restore_decimal_points(upright, text)
    upright = mend_subscripts(mend_units(upright), text)
    return [scale_word(word, 1.0 / scale) for word in upright + turned]


def _turned_words(text: np.ndarray, settings: OcrSettings) -> list[Word]:
    """Words running up the page (axis titles), read from the image turned a quarter turn
    clockwise and mapped back."""
    height = text.shape[0]
    words = []
    for word in read_mask(
        np.rot90(text, -1),
        SPARSE_TEXT,
        min_confidence=settings.min_turned_confidence,
        timeout_s=settings.timeout_s,
    ):
        if sum(ch.isalnum() for ch in word.text) < settings.min_turned_chars:
            continue
        # np.rot90(…, -1) puts the original row r, column c at row c, column H-1-r.
        words.append(
            msgspec.structs.replace(
                word,
                x0=word.top,
                x1=word.bottom,
                top=height - word.x1,
                bottom=height - word.x0,
                upright=False,
            )
        )
    return words


def _overlap(a: Word, b: Word) -> bool:
    return a.x0 < b.x1 and b.x0 < a.x1 and a.top < b.bottom and b.top < a.bottom


def scale_word(word: Word, factor: float) -> Word:
    """``word`` with its box and size multiplied by ``factor`` (pixels to points)."""
    return msgspec.structs.replace(
        word,
        x0=word.x0 * factor,
        top=word.top * factor,
        x1=word.x1 * factor,
        bottom=word.bottom * factor,
        size=word.size * factor,
    )
