"""Lines of text read from a raster plot: its glyph clusters cut into lines, each read from
the image's own grey ink (anti-aliased strokes matter to OCR) scaled so a glyph stands the
height tesseract reads best, all in one tesseract run; word boxes set right, symbols'
subscripts read alone, and the misreads a curve label's text makes mended
(:mod:`graphq.digitizer.labels.misreads`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import msgspec
import numpy as np
from scipy import ndimage

from graphq.datasheet.conditions import parse_label
from graphq.datasheet.misreads import mend_subscripts, mend_units, restore_decimal_points
from graphq.datasheet.ocr import scale_word
from graphq.datasheet.ocr_settings import OcrSettings
from graphq.datasheet.subscripts import split_subscripts
from graphq.datasheet.tesseract import read_piece_words
from graphq.datasheet.text_mask import glyph_clusters
from graphq.datasheet.textlines import TextLine, text_lines
from graphq.datasheet.words import Word
from graphq.digitizer.labels.misreads import mend_label, mend_saturation_pair, named_by_pair
from graphq.digitizer.labels.naming import capacitance


@dataclass(frozen=True)
class LineSettings:
    """How the plot's glyphs are gathered into lines, read and filtered."""

    ocr: OcrSettings = field(default_factory=OcrSettings)
    # Glyphs of one line stand at most this many glyph heights apart (a word space) ...
    word_gap: float = 0.7
    # ... and overlap or stand this close across the line (an i's dot, a subscript).
    line_join: float = 0.2
    # Rows of a cluster with less ink than this many glyph heights' worth of px are the gap
    # between two of its lines (a stray stroke's pixels aside).
    row_gap_ink: float = 0.15
    # Strokes shorter than this many glyph heights are dots (TextClusterSettings.min_stroke):
    # a decimal point, an i's dot or a dotted grid's. They chain no glyphs into a cluster (a
    # dense dotted grid would make one of thousands of dots, costly and read as "eee") but
    # are read with the cluster they stand in.
    min_stroke: float = 0.3
    # A line holds a glyph at least this many glyph heights tall (a lone dot is no text) ...
    min_glyph: float = 0.6
    # ... and rows this many glyph heights apart, one side shorter than that, are one line
    # the grid lines erased across it cut (two stacked lines each stand a glyph tall).
    erased_gap: float = 0.3
    # ... as long as the line they make is at most this many glyph heights tall (a pointer
    # hanging from a label is not part of it).
    max_line: float = 1.5
    # A capital or a digit stands this fraction of its font's size.
    cap_fraction: float = 0.7
    # Pixels this many px round a line's glyphs are read with it (anti-aliased fringes).
    fringe_px: int = 1
    # A read line needs this many letters or digits and this OCR confidence: shorter or
    # less sure readings are curve wiggles read as "/", "é", "it".
    min_chars: int = 2
    # ... or, with no digit, this many letters: two letters are as often a curve's stray
    # piece read as "rd" or "it" as a label.
    min_letters: int = 3
    min_confidence: float = 0.5
    # Words are kept down to this confidence, for the lines that state a value.
    min_word_confidence: float = 0.0
    # A minus sign tesseract dropped ("– 25°C" read "25°C", the sign set a space apart or
    # read alone): a level stroke ending within this many glyph heights left of a number,
    # this long (a hyphen's to a dash's length: a legend sample is longer) and at most this
    # thick, level with the digits' middle (this fraction of their height from their top).
    minus_reach: float = 1.5
    minus_length: tuple[float, float] = (0.25, 1.0)
    minus_thickness: float = 0.3
    minus_level: tuple[float, float] = (0.3, 0.8)


DEFAULT_LINES = LineSettings()
# A quantity's symbol with its bracketed state ("VBE(sat)", "VCE (sat)", "RDS(on)"): its
# subscript stands below its capital, and tesseract, reading both as one line, is unsure of
# the whole however well it read it; no curve wiggle or grid speck reads in that form.
_QUALIFIED_SYMBOL = re.compile(r"[A-Z][A-Za-z]{1,3}\s?\((?i:sat|on|off|th)\)")
# A word that is a value and its unit with marks after it ("25°C.", "10V,"): a speck beside
# the label read with it, which would hide that the word is a label of its own (two labels
# set side by side, each by its curve, are then read as one line).
_SPECKED_VALUE = re.compile(r"([-+−]?\d+(?:[.,]\d+)?(?:V|mA|A|W|°C))[.,:;'`‘’]+")


def read_lines(
    ink: np.ndarray, mask: np.ndarray, glyph: float, factor: float, settings: LineSettings
) -> list[TextLine]:
    """The lines of text of the glyphs ``mask`` (``glyph`` px tall) in ``ink``, scaled by
    ``factor`` (pixels to points), that read as text."""
    read = [
        line
        for band in _read_words(ink, mask, glyph, settings)
        for line in text_lines([scale_word(w, factor) for w in band])
    ]
    lines = [line for line in map(_mended, read) if _readable(line, settings)]
    texts = mend_saturation_pair([line.text for line in lines])
    return [replace(line, text=text) for line, text in zip(lines, texts, strict=True)]


def _read_words(
    ink: np.ndarray, mask: np.ndarray, glyph: float, settings: LineSettings
) -> list[list[Word]]:
    """OCR words of the glyph clusters of ``mask``, in image pixels, from one tesseract run,
    by band: the words of lines cut apart from one cluster (:func:`_text_rows`) stay in
    bands of their own, so that lines stacked close ("V_GS" over "0.5") are not joined
    again as a subscript and its base."""
    ocr = settings.ocr
    gap = max(1, round(settings.word_gap * glyph))
    side = max(1, round(settings.line_join * glyph))
    dots = _dots(mask, settings.min_stroke * glyph)
    groups, clusters = glyph_clusters(mask & ~dots, gap, side)
    fringe = ndimage.binary_dilation(mask, iterations=settings.fringe_px)
    scale = min(ocr.max_upscale, max(1.0, ocr.glyph_px / glyph))
    pieces, places = [], []
    height, width = ink.shape
    boxes = [
        line
        for index, box in enumerate(clusters, start=1)
        if box is not None
        for line in _text_rows((groups[box] == index) | dots[box], box, glyph, settings)
    ]
    for box in boxes:
        pad = settings.fringe_px + 1
        rows = slice(max(0, box[0].start - pad), min(height, box[0].stop + pad))
        cols = slice(max(0, box[1].start - pad), min(width, box[1].stop + pad))
        grey = np.where(fringe[rows, cols], ink[rows, cols], 0.0)
        piece = ndimage.zoom(grey, scale, order=3) if scale > 1.0 else grey
        pieces.append(np.clip(piece, 0.0, 1.0))
        places.append((cols.start, rows.start))
    if not pieces:
        return []
    # The pieces are dark ink on white: tesseract's second reading of each unsure line as
    # light text on dark reads the paper between a curve wiggle's strokes (a quarter of its
    # time, and no label read more).
    read = read_piece_words(
        pieces, pad=round(1.5 * ocr.glyph_px), timeout_s=ocr.timeout_s, invert=False
    )
    banded = _bands(boxes)
    words: list[Word] = []
    for (x, y), found, box in zip(places, read, boxes, strict=True):
        placed = [
            _tight(scale_word(_moved(w, x * scale, y * scale), 1.0 / scale), mask, box[0])
            for w in found
            if w.confidence >= settings.min_word_confidence
        ]
        placed = _signed([_unspecked(w) for w in placed], mask, glyph, settings)
        words += _sized(_unoverlapped(placed), settings)
    # Symbols whose subscript tesseract made junk of ("C_iss" as "Cc", "V_GS" as "Vos") get it
    # read alone, all in one more run; the band a word stands in is its line's.
    row_band = np.full(height, -1)
    for box, band in zip(boxes, banded, strict=True):
        row_band[box[0]] = band
    bands: dict[int, list[Word]] = {}
    for word in mend_subscripts(split_subscripts(words, mask), mask):
        middle = min(height - 1, max(0, int((word.top + word.bottom) / 2)))
        bands.setdefault(int(row_band[middle]), []).append(word)
    return [restore_decimal_points(mend_units(words), mask) for words in bands.values()]


def sized_components(
    mask: np.ndarray, keep: Callable[[np.ndarray, np.ndarray], np.ndarray]
) -> np.ndarray:
    """The components of ``mask`` (8-connected) whose box heights and widths (px, one array
    entry per component) ``keep`` accepts."""
    labels, count = ndimage.label(mask, structure=np.ones((3, 3), bool))
    boxes = ndimage.find_objects(labels)
    tall = np.array([0 if b is None else b[0].stop - b[0].start for b in boxes], np.int64)
    wide = np.array([0 if b is None else b[1].stop - b[1].start for b in boxes], np.int64)
    kept = np.zeros(count + 1, bool)
    kept[1:] = keep(tall, wide) & np.array([b is not None for b in boxes], bool)
    return kept[labels]


def _dots(mask: np.ndarray, longest: float) -> np.ndarray:
    """The components of ``mask`` shorter than ``longest`` px both ways."""
    return sized_components(mask, lambda tall, wide: np.maximum(tall, wide) < longest)


def _bands(boxes: list[tuple[slice, slice]]) -> list[int]:
    """Per line box, its band: boxes whose rows overlap, directly or through others, share
    one; lines cut apart by :func:`_text_rows` do not overlap, so stand in bands apart
    unless another box spans both."""
    order = sorted(range(len(boxes)), key=lambda k: boxes[k][0].start)
    band = [0] * len(boxes)
    current, reach = -1, -1
    for k in order:
        rows = boxes[k][0]
        if rows.start >= reach:
            current += 1
        reach = max(reach, rows.stop) if rows.start < reach else rows.stop
        band[k] = current
    return band


def _text_rows(
    own: np.ndarray, box: tuple[slice, slice], glyph: float, settings: LineSettings
) -> list[tuple[slice, slice]]:
    """The cluster ``own`` (in ``box``) cut into its lines of text at the rows nearly free of
    ink: a stray stroke (a curve's end, a pointer) can join two stacked lines into one
    cluster, which tesseract would read with words of both lines mixed. Runs of rows too
    short to be a line, a few rows apart and together no taller than a line, are one line
    cut by the grid lines erased across it."""
    rows = own.sum(axis=1)
    inked = np.concatenate(([False], rows > settings.row_gap_ink * glyph, [False])).view(np.int8)
    starts, stops = np.flatnonzero(np.diff(inked) == 1), np.flatnonzero(np.diff(inked) == -1)
    runs: list[list[int]] = []
    for start, stop in zip(starts.tolist(), stops.tolist(), strict=True):
        if (
            runs
            and start - runs[-1][1] <= settings.erased_gap * glyph
            and min(stop - start, runs[-1][1] - runs[-1][0]) < settings.min_glyph * glyph
            and stop - runs[-1][0] <= settings.max_line * glyph
        ):
            runs[-1][1] = stop
        else:
            runs.append([start, stop])
    lines = []
    for start, stop in runs:
        if stop - start < settings.min_glyph * glyph:
            continue
        cols = np.flatnonzero(own[start:stop].any(axis=0))
        lines.append(
            (
                slice(box[0].start + int(start), box[0].start + int(stop)),
                slice(box[1].start + int(cols[0]), box[1].start + int(cols[-1]) + 1),
            )
        )
    return lines


def _signed(
    words: list[Word], mask: np.ndarray, glyph: float, settings: LineSettings
) -> list[Word]:
    """The words of one piece with the minus sign before its number put back where the
    glyphs show one that tesseract did not read, or read as a sign word of its own ("=" for
    a dash set apart): one level stroke, with no other stroke over or under it (an "=" has
    two), left of a line that starts with a number (see :class:`LineSettings`)."""
    ordered = sorted(words, key=lambda w: w.x0)
    lead = next((k for k, w in enumerate(ordered) if _has_alnum(w)), None)
    if lead is None or not ordered[lead].text[:1].isdigit():
        return words
    number = ordered[lead]
    height = number.bottom - number.top
    x1 = int(number.x0)
    x0 = max(0, x1 - round(settings.minus_reach * glyph))
    top, bottom = max(0, int(number.top - height / 2)), int(np.ceil(number.bottom + height / 2))
    window = mask[top:bottom, x0:x1]
    pieces, _ = ndimage.label(window, structure=np.ones((3, 3), bool))
    shortest, longest = (glyph * k for k in settings.minus_length)
    low, high = (number.top + height * k for k in settings.minus_level)
    found = [box for box in ndimage.find_objects(pieces) if box is not None]
    strokes = [
        (rows, cols)
        for rows, cols in found
        if cols.start > 0
        and rows.start > 0
        and rows.stop < window.shape[0]
        and shortest <= cols.stop - cols.start <= longest
        and rows.stop - rows.start <= max(1.0, settings.minus_thickness * glyph)
        and low <= top + (rows.start + rows.stop) / 2 <= high
    ]
    if len(strokes) != 1:
        return words
    rows, cols = strokes[0]
    if any(c.start < cols.stop and cols.start < c.stop for r, c in found if r != rows):
        return words
    signed = msgspec.structs.replace(number, text="-" + number.text, x0=float(x0 + cols.start))
    return [signed, *ordered[lead + 1 :]]


def _unspecked(word: Word) -> Word:
    """The word without the speck marks after its unit (:data:`_SPECKED_VALUE`)."""
    specked = _SPECKED_VALUE.fullmatch(word.text)
    return msgspec.structs.replace(word, text=specked.group(1)) if specked else word


def _moved(word: Word, dx: float, dy: float) -> Word:
    return msgspec.structs.replace(
        word, x0=word.x0 + dx, x1=word.x1 + dx, top=word.top + dy, bottom=word.bottom + dy
    )


def _unoverlapped(words: list[Word]) -> list[Word]:
    """Words of one piece whose boxes reach over the next word on their line cut short at
    it: tesseract sometimes boxes a word as far as the line's end; and signs given their
    line's height."""
    ordered = sorted(words, key=lambda w: w.x0)
    cut: list[Word] = []
    for k, word in enumerate(ordered):
        after = [
            w.x0
            for w in ordered[k + 1 :]
            if w.x0 > word.x0 and min(w.bottom, word.bottom) > max(w.top, word.top)
        ]
        if after and min(after) < word.x1:
            word = msgspec.structs.replace(word, x1=min(after) - 1.0)
        lettered = [w for w in (*cut[::-1], *ordered[k + 1 :]) if _has_alnum(w)]
        if lettered and not _has_alnum(word):
            # A sign ("=", "-") is as tall as its line, not its own short stroke: the word's
            # before it, or, leading its line ("- 25°C"), the word's after it.
            word = msgspec.structs.replace(word, top=lettered[0].top, bottom=lettered[0].bottom)
        cut.append(word)
    return cut


def _has_alnum(word: Word) -> bool:
    return any(ch.isalnum() for ch in word.text)


def _sized(words: list[Word], settings: LineSettings) -> list[Word]:
    """The words of one piece (a line or a stacked block, set in one font) sized as the
    binder expects a text layer's words: by the font's size, which a capital's or a digit's
    height is :attr:`ReadingSettings.cap_fraction` of, not by each word's own ink. The median
    word's height: a piece may hold two lines, and a word boxed over both."""
    if not words:
        return words
    heights = [w.bottom - w.top for w in words if any(ch.isalnum() for ch in w.text)]
    size = float(np.median(heights or [w.bottom - w.top for w in words])) / settings.cap_fraction
    return [msgspec.structs.replace(w, size=size) for w in words]


def _tight(word: Word, mask: np.ndarray, line: slice) -> Word:
    """The word's box shrunk to the glyphs inside it and within the rows of the ``line`` it
    was read from: tesseract boxes an "=" or a "-" as tall as a line, which would keep it off
    its line and swell the line's size, and a word of a stacked label ("V_GS" over "0.5")
    grown into the next line's glyphs would join the two into one line."""
    x0, top = max(0, int(word.x0)), max(line.start, int(word.top))
    inside = mask[top : min(line.stop, int(np.ceil(word.bottom))), x0 : int(np.ceil(word.x1))]
    rows = np.flatnonzero(inside.any(axis=1))
    sliver = rows.size == 0 or rows[-1] + 1 - rows[0] < (line.stop - line.start) / 2
    if sliver and any(ch.isalnum() for ch in word.text):
        # Tesseract boxed the word off its glyphs (on a stray stroke over them): the line's
        # rows under its columns are where it was read.
        top = line.start
        rows = np.flatnonzero(mask[line, x0 : int(np.ceil(word.x1))].any(axis=1))
    if rows.size == 0:
        return word
    low, high = top + float(rows[0]), top + float(rows[-1] + 1)
    return msgspec.structs.replace(word, top=low, bottom=high, size=high - low)


def _readable(line: TextLine, settings: LineSettings) -> bool:
    """Whether the line reads as text: enough letters and digits, read surely; or, however
    unsure tesseract is (a subscript it cannot place costs a whole line's confidence), a
    value a label states ("T= 25°C"), a capacitance's name ("Crss") or a symbol with its state
    ("VBE(sat)"): forms no curve wiggle or grid speck reads as."""
    digits = any(ch.isdigit() for ch in line.text)
    if sum(ch.isalnum() for ch in line.text) < (
        settings.min_chars if digits else settings.min_letters
    ):
        return False
    if min(w.confidence for w in line.words) >= settings.min_confidence:
        return True
    if parse_label(line.text)[0] is not None or capacitance(line.text) is not None:
        return True
    return bool(_QUALIFIED_SYMBOL.fullmatch(line.text))


def unsure_name(line: TextLine, settings: LineSettings) -> str | None:
    """What tesseract read, when the line is a capacitance's name mended from a reading it was
    unsure of ("Cos" taken as "Coss"): as often another name misread ("C_ISS" at 72 dpi read
    "Cos") as its own; or a saturation voltage named only as the other of its graph's pair
    ("VE(sat)" taken as "VCE(sat)"), a guess however sure tesseract was; None otherwise."""
    read = "".join(word.text for word in line.words)
    if named_by_pair(line.text, read):
        return read
    unsure = min(word.confidence for word in line.words) < settings.min_confidence
    if not unsure or capacitance(line.text) is None or capacitance(read) is not None:
        return None
    return read


def _mended(line: TextLine) -> TextLine:
    return replace(line, text=mend_label(line.text))
