"""Words read by OCR, for pages and images that carry no usable text layer.

Datasheet graphs are hard on a general OCR engine (:mod:`graphq.datasheet.tesseract`) in a
few ways, and each has its stage here, in the order :func:`image_words` runs them:

- Tick labels are a few small words scattered around a frame. The image is scaled so a glyph
  stands about :attr:`OcrSettings.glyph_px` tall, and tesseract looks for sparse text.
- A tick mark beside a label reads as a character (``-2`` and its tick read ``-24``), and a
  frame or grid line through a word ruins it. Rules (runs of ink several glyphs long) are
  erased before reading, and so are the thin strokes that touched them: the ticks.
- A power of ten's exponent (``10⁻¹``) is a raised, smaller word that tesseract merges into
  its base (``10-14``). A number whose last glyphs stand raised is split there and both parts
  are read again on their own, so the exponent comes out as a smaller word above the base's
  middle, as the text layer gives it.
- Axis titles run up the page; they are read from the image turned a quarter turn and come
  out with ``upright=False``.
- Sparse reading skips some lone short labels (a ``0`` at the origin) and cuts others short
  (``-10`` as ``-1``): glyphs no word covers are read alone, with the word beside them.
- Numbers tesseract is unsure of are read again alone, with only number characters allowed;
  so are curve labels' values with their units ("8.0V" read "80V" or "TOV" among others).
- Misreads the glyphs' geometry can tell (a dropped decimal point, Ω as ``Q``, a merged
  subscript) are mended (:mod:`graphq.datasheet.misreads`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import msgspec
import numpy as np
import pypdfium2 as pdfium
from scipy import ndimage

from graphq.datasheet.misreads import mend_subscripts, mend_units, restore_decimal_points, word_box
from graphq.datasheet.rereads import reread_values, surest
from graphq.datasheet.tesseract import SPARSE_TEXT, Box, Reading, read_mask, read_pieces
from graphq.datasheet.words import Word
from graphq.digitizer.preprocessing.ink import darkness
from graphq.errors import GraphqError

POINTS_PER_INCH = 72.0
# Characters a number (a tick label or an exponent) is made of.
_NUMBER_CHARS = "0123456789.,-+Ee"
_NUMBER = re.compile(r"^[-+]?(\d+[.,]?\d*|[.,]\d+)([Ee][-+]?\d+)?$")
_EXPONENT = re.compile(r"^[-+]?\d{1,2}$")
# A minus sign read as another mark before a number.
_ODD_SIGN = re.compile(r"^[~=_»«*“”\"'][\d.,]+$")


@dataclass(frozen=True)
class OcrSettings:
    """How an image is prepared for tesseract and how its answer is filtered."""

    # Pages are rendered at this resolution: a 7 pt tick label's digits are then ~20 px tall.
    page_dpi: int = 300
    # Tesseract's model reads best when a capital or a digit is about this tall (px) ...
    glyph_px: float = 24.0
    # ... so small text is scaled up by at most this factor (a blurry thumbnail gains nothing
    # beyond), and large text is never scaled down.
    max_upscale: float = 4.0
    # Ink darker than this is text (0 white paper .. 1 black).
    ink_threshold: float = 0.4
    # A straight run of ink this many glyph heights long is a rule (frame, grid), no glyph;
    # rules count from this paler ink (a light-grey grid).
    rule_ink: float = 0.15
    rule_glyphs: float = 2.2
    # A stroke that touched a rule and is at most this fraction of a glyph thick is a tick.
    tick_thickness: float = 0.25
    # Words tesseract is less sure of than this (0..1) are noise: specks, hatching, curves.
    min_confidence: float = 0.4
    # Pieces read alone (exponents, doubtful numbers, missed glyphs) are scaled to each of
    # these heights (px) and the surest reading is kept: tesseract's reading of one or two
    # glyphs alone swings with their size.
    piece_px: tuple[float, ...] = (24.0, 30.0, 36.0, 44.0)
    # Numbers it is less sure of than this are read again on their own.
    sure_confidence: float = 0.85
    # An exponent's bottom stands above this fraction of its base's height, from the top.
    superscript_bottom: float = 0.62
    # Turned text (axis titles) is kept when it has this many letters or digits and
    # tesseract is this sure of it: upright labels read sideways give short, doubtful junk.
    min_turned_chars: int = 2
    min_turned_confidence: float = 0.75
    # Glyphs no word covers are read when one is at least this many glyph heights tall (a
    # lone minus sign or a speck is no word) and none is taller or wider than the other ...
    min_glyph: float = 0.5
    max_glyph: float = 2.0
    # ... joined into one word across gaps of up to this many glyph heights.
    word_gap: float = 0.6
    # Seconds one tesseract run may take before the page is given up.
    timeout_s: float = 120.0


DEFAULT_SETTINGS = OcrSettings()


def page_words(
    pdf: bytes, page_number: int, *, dpi: int | None = None, settings: OcrSettings | None = None
) -> list[Word]:
    """OCR words of one page (``page_number`` 1-based), in PDF points from the page's
    top-left corner."""
    settings = settings or DEFAULT_SETTINGS
    dpi = dpi or settings.page_dpi
    pixels = render_page(pdf, page_number, dpi)
    return [scale_word(w, POINTS_PER_INCH / dpi) for w in image_words(pixels, settings=settings)]


def render_page(pdf: bytes, page_number: int, dpi: float) -> np.ndarray:
    """One page (1-based) as RGB pixels (H × W × 3 uint8) at ``dpi``."""
    with open_page(pdf, page_number) as page:
        bitmap = page.render(scale=dpi / POINTS_PER_INCH)
        return np.asarray(bitmap.to_pil().convert("RGB"))


@contextmanager
def open_page(pdf: bytes, page_number: int) -> Iterator[pdfium.PdfPage]:
    """One page (1-based) of the PDF, open while the block runs."""
    try:
        document = pdfium.PdfDocument(pdf)
    except pdfium.PdfiumError as exc:
        raise GraphqError("INVALID_PDF", f"the file cannot be read as a PDF: {exc}") from exc
    try:
        if not 1 <= page_number <= len(document):
            raise GraphqError(
                "INVALID_PARAMETERS",
                f"page {page_number} is not in a {len(document)}-page PDF",
            )
        yield document[page_number - 1]
    finally:
        document.close()


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
    upright = _with_missed(text, upright, turned, glyph_px, settings)
    upright = split_exponents(upright, text, settings)
    upright = reread_numbers(upright, text, settings)
    upright = reread_values(upright, text, settings.piece_px, settings.timeout_s)
    upright = restore_decimal_points(upright, text)
    upright = mend_subscripts(mend_units(upright), text)
    return [scale_word(word, 1.0 / scale) for word in upright + turned]


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


def _with_missed(
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
    read = _read_as_text_or_number(text, boxes, settings)
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


def _read_as_text_or_number(
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


def _word_beside(box: Box, words: list[Word], reach: int) -> int | None:
    """The upright word on ``box``'s text line within ``reach`` px of it, if any."""
    x0, top, x1, bottom = box
    for i, word in enumerate(words):
        same_line = min(bottom, word.bottom) - max(top, word.top) > 0.5 * (bottom - top)
        near = word.x0 - reach <= x1 and x0 <= word.x1 + reach
        if word.upright and same_line and near:
            return i
    return None


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


def _merged(a: Box, b: Box) -> Box:
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))


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
