"""OCR of the parts of a vector page the reader uses, for pages whose text layer is unusable.

A vector datasheet whose fonts carry no Unicode map (CID glyphs) draws tick labels, titles
and captions as text only OCR can read. Reading the whole page at the resolution a 4 pt tick
label needs costs 10–30 s; the reader needs only the regions around each frame (tick labels
below and left, axis titles, a figure title above, the caption below) and the text inside
the frames (curve labels, notes). So, in the order :func:`region_words` runs them:

0. where the page draws its text as text objects (glyphs without a Unicode map), its vector
   paths are taken off before rendering: frames, grids, curves and arrows no longer run
   through the labels, and nothing needs erasing;
1. the page is rendered at a low probe resolution, and inside the regions the clusters of
   glyph-sized ink are found: each a word or a line of words, upright, or a title running
   up the page (turned); their median height is the size the text is set in;
2. the page is rendered again at the resolution that makes those glyphs the height
   tesseract's model reads best (a vector page is sharper rendered large than zoomed), and
   each cluster is cut out of it with the rules and ticks near it erased;
3. every cluster is read in one tesseract run, each on a line of its own, and its words are
   placed back on the page;
4. curve labels inside a frame that reading left doubtful are read again alone, at a few
   sizes (:func:`graphq.datasheet.rereads.reread_labels`);
5. raised exponents, doubtful numbers and values with units are read again, subscripts
   split off and read alone, and misreads mended, as for whole pages
   (:mod:`graphq.datasheet.ocr_numbers`, :mod:`graphq.datasheet.subscripts`,
   :mod:`graphq.datasheet.misreads`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import msgspec
import numpy as np
import pypdfium2 as pdfium
from scipy import ndimage

from graphq.datasheet.misreads import (
    mend_subscripts,
    mend_units,
    restore_decimal_points,
    word_box,
)
from graphq.datasheet.ocr import scale_word
from graphq.datasheet.ocr_numbers import reread_numbers, split_exponents
from graphq.datasheet.ocr_settings import OcrSettings
from graphq.datasheet.page_images import POINTS_PER_INCH, open_page
from graphq.datasheet.rereads import LabelRereadSettings, reread_labels, reread_values
from graphq.datasheet.subscripts import may_be_symbol, split_subscripts
from graphq.datasheet.tesseract import Box, read_piece_words
from graphq.datasheet.text_clusters import TextClusterSettings, text_clusters
from graphq.datasheet.text_mask import glyph_height, without_rules
from graphq.datasheet.text_only import keep_text_only
from graphq.datasheet.words import Word

# (x0, top, x1, bottom) in PDF points from the page's top-left corner.
Region = tuple[float, float, float, float]


@dataclass(frozen=True)
class RegionSettings:
    """Where the reader's text lies around a frame, and how clusters of glyphs are found."""

    ocr: OcrSettings = field(default_factory=OcrSettings)
    # What counts as a glyph and a line of them at the probe resolution.
    clusters: TextClusterSettings = field(default_factory=TextClusterSettings)
    # Clusters are found at this resolution: 4 pt text's glyphs stand ~11 px, enough to tell
    # them from rules and curves, on a page of 4 Mpx. (At 150 dpi the anti-aliased tops of
    # a line of 4 pt lowercase run as one pale line, and are erased as a rule.)
    probe_dpi: float = 200.0
    # Rules are runs this many glyph heights long at the probe's coarse pixels: there the
    # anti-aliased edge of a word of small lowercase runs pale but unbroken, ~5 glyphs long.
    probe_rule_glyphs: float = 6.0
    # Clusters are read at the resolution that makes glyphs OcrSettings.glyph_px tall, within
    # these bounds: below, a scan's own pixels are the limit; above, 2 pt text is no label.
    min_dpi: float = 150.0
    max_dpi: float = 600.0
    # Strips around a frame (points) the reader takes words from: the y tick labels and the
    # turned y title to the left ...
    left_pt: float = 60.0
    # ... the x tick labels, the x title and a caption of up to three lines below ...
    below_pt: float = 80.0
    # ... a figure title and the top y label's upper half above ...
    above_pt: float = 30.0
    # ... and the last x label's right half and labels at curve ends to the right.
    right_pt: float = 25.0
    # Pieces stand this many glyph heights apart in the composite tesseract reads ...
    piece_gap_glyphs: float = 1.5
    # ... side by side in rows this many glyph heights wide (0: one piece a row). Rows save
    # ~20 % of tesseract's time but cost accuracy: pieces side by side share a baseline fit
    # (on FQA19N20, 7 of 9 axes right instead of 9 of 11).
    row_glyphs: float = 0.0
    # A curve label read again alone is no taller than this many glyph heights: a line or
    # two (a quantity over its value), with sub- and superscripts.
    label_max_glyphs: float = 4.0
    # A word less tall than this many glyph heights is a speck read as a letter (an i's dot,
    # a point alone), no word.
    min_word_glyphs: float = 0.3


DEFAULT_REGION_SETTINGS = RegionSettings()


def frame_regions(frames_pt: list[Region], settings: RegionSettings | None = None) -> list[Region]:
    """The regions around and inside each frame where the reader looks for words."""
    chosen = settings or DEFAULT_REGION_SETTINGS
    return [
        (x0 - chosen.left_pt, y0 - chosen.above_pt, x1 + chosen.right_pt, y1 + chosen.below_pt)
        for x0, y0, x1, y1 in frames_pt
    ]


def frame_words(
    pdf: bytes,
    page_number: int,
    frames_pt: list[Region],
    settings: RegionSettings | None = None,
    *,
    outlines: bool = False,
) -> list[Word]:
    """OCR words around and inside the frames ``frames_pt`` of one page (1-based), in PDF
    points from the page's top-left corner: what the reader needs of a page whose vector
    frames are found but whose text layer is unusable, or whose numbers are ``outlines``
    (glyphs drawn as filled paths)."""
    regions = frame_regions(frames_pt, settings)
    return region_words(pdf, page_number, regions, settings, labels_pt=frames_pt, outlines=outlines)


def region_words(
    pdf: bytes,
    page_number: int,
    regions_pt: list[Region],
    settings: RegionSettings | None = None,
    *,
    labels_pt: list[Region] | None = None,
    outlines: bool = False,
) -> list[Word]:
    """OCR words of the text inside ``regions_pt`` of one page (1-based), in PDF points from
    the page's top-left corner. A word is read whole when any of its glyphs lies inside.
    The page's paths are taken off first where it draws text as text objects; where its
    text is ``outlines`` (filled paths), only its stroked paths are.

    Lines inside ``labels_pt`` (graph frames: curve labels) that the common reading is unsure
    of are read again alone (:func:`graphq.datasheet.rereads.reread_labels`)."""
    chosen = settings or DEFAULT_REGION_SETTINGS
    ocr = chosen.ocr
    if not regions_pt:
        return []
    with open_page(pdf, page_number) as page:
        keep_text_only(page, outlines=outlines)
        probe = _ink(page, chosen.probe_dpi)
        inside = _regions_mask(probe.shape, regions_pt, chosen.probe_dpi / POINTS_PER_INCH)
        probe = np.where(inside, probe, 0.0)
        glyph = glyph_height(probe > ocr.ink_threshold)
        if glyph is None:
            return []
        text = without_rules(probe, glyph, replace(ocr, rule_glyphs=chosen.probe_rule_glyphs))
        clusters = text_clusters(text, glyph, ocr, chosen.clusters)
        if not clusters:
            return []
        dpi = float(
            np.clip(chosen.probe_dpi * ocr.glyph_px / glyph, chosen.min_dpi, chosen.max_dpi)
        )
        sharp = _grey(page, dpi) < round(255 * (1.0 - ocr.ink_threshold))
    factor = dpi / chosen.probe_dpi
    # Rules and ticks, widened by a probe pixel to cover their anti-aliased edges.
    erased = ndimage.binary_dilation((probe > ocr.ink_threshold) & ~text)
    sheet = np.zeros(sharp.shape, bool)
    pieces, offsets = [], []
    for cluster in clusters:
        x0, top, x1, bottom = _scaled(cluster.box, factor, sharp.shape)
        rows = np.minimum((np.arange(top, bottom) / factor).astype(int), text.shape[0] - 1)
        cols = np.minimum((np.arange(x0, x1) / factor).astype(int), text.shape[1] - 1)
        probe_rows = np.ix_(rows, cols)
        local = np.ix_(rows - cluster.box[1], cols - cluster.box[0])
        own = cluster.reach[local] & ~erased[probe_rows]
        piece = sharp[top:bottom, x0:x1] & own
        sheet[top:bottom, x0:x1] |= piece
        pieces.append(np.rot90(piece, -1) if cluster.turned else piece)
        offsets.append((x0, top, piece.shape[0]))
    gap = round(chosen.piece_gap_glyphs * ocr.glyph_px)
    row = round(chosen.row_glyphs * ocr.glyph_px)
    read = read_piece_words(pieces, pad=gap, row_px=row, timeout_s=ocr.timeout_s)
    if labels_pt:
        to_px = dpi / POINTS_PER_INCH
        frames_px = [tuple(v * to_px for v in region) for region in labels_pt]
        upright_pieces = [k for k, cluster in enumerate(clusters) if not cluster.turned]
        again = reread_labels(
            [read[k] for k in upright_pieces],
            [pieces[k] for k in upright_pieces],
            [offsets[k][:2] for k in upright_pieces],
            frames_px,
            LabelRereadSettings(
                glyph_px=ocr.glyph_px,
                sizes_px=ocr.piece_px,
                max_glyphs=chosen.label_max_glyphs,
                sure_confidence=ocr.sure_confidence,
                gap_glyphs=chosen.piece_gap_glyphs,
                timeout_s=ocr.timeout_s,
            ),
        )
        for k, words in zip(upright_pieces, again, strict=True):
            read[k] = words
    upright, turned = [], []
    for cluster, (x0, top, height), words in zip(clusters, offsets, read, strict=True):
        if cluster.turned:
            turned += [_placed_turned(w, x0, top, height) for w in words if _sure_turned(w, ocr)]
        else:
            # A symbol with its subscript read as junk is kept however doubtful: it is
            # read again below, and dropped if still doubtful.
            upright += [
                _placed(w, x0, top)
                for w in words
                if w.confidence >= ocr.min_confidence or may_be_symbol(w.text)
            ]
    upright = split_exponents(upright, sheet, ocr)
    upright = reread_values(reread_numbers(upright, sheet, ocr), sheet, ocr.piece_px, ocr.timeout_s)
    upright = restore_decimal_points(upright, sheet)
    upright = [w for w in split_subscripts(upright, sheet) if w.confidence >= ocr.min_confidence]
    upright = mend_subscripts(mend_units(upright), sheet)
    upright = [_hugged(w, sheet) for w in upright]
    upright = [w for w in upright if w.bottom - w.top >= chosen.min_word_glyphs * ocr.glyph_px]
    return [scale_word(w, POINTS_PER_INCH / dpi) for w in upright + mend_units(turned)]


def _hugged(word: Word, sheet: np.ndarray) -> Word:
    """The word with its box shrunk to the ink inside it: tesseract's boxes may take in the
    space after a word, and the curve stage drops strokes inside words' boxes."""
    x0, top, x1, bottom = word_box(word)
    ink = sheet[top:bottom, x0:x1]
    rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    if not len(rows):
        return word
    return msgspec.structs.replace(
        word,
        x0=float(x0 + cols[0]),
        x1=float(x0 + cols[-1] + 1),
        top=float(top + rows[0]),
        bottom=float(top + rows[-1] + 1),
        size=float(rows[-1] + 1 - rows[0]),
    )


def _ink(page: pdfium.PdfPage, dpi: float) -> np.ndarray:
    """The page's darkness (0 white .. 1 black) at ``dpi``."""
    return 1.0 - _grey(page, dpi).astype(np.float32) / 255.0


def _grey(page: pdfium.PdfPage, dpi: float) -> np.ndarray:
    """The page rendered in grey (H × W uint8) at ``dpi``."""
    grey = page.render(scale=dpi / POINTS_PER_INCH, grayscale=True).to_numpy()
    return grey.reshape(grey.shape[:2])


def _regions_mask(shape: tuple[int, ...], regions_pt: list[Region], scale: float) -> np.ndarray:
    mask = np.zeros(shape[:2], bool)
    for x0, top, x1, bottom in regions_pt:
        mask[
            max(0, int(top * scale)) : max(0, int(np.ceil(bottom * scale))),
            max(0, int(x0 * scale)) : max(0, int(np.ceil(x1 * scale))),
        ] = True
    return mask


def _scaled(box: Box, factor: float, shape: tuple[int, ...]) -> Box:
    x0, top, x1, bottom = box
    return (
        int(x0 * factor),
        int(top * factor),
        min(shape[1], int(np.ceil(x1 * factor))),
        min(shape[0], int(np.ceil(bottom * factor))),
    )


def _sure_turned(word: Word, settings: OcrSettings) -> bool:
    """A turned cluster is turned by its shape, not because a sideways reading of the page
    made sense of it: it needs no more confidence than an upright word, only letters."""
    return (
        word.confidence >= settings.min_confidence
        and sum(ch.isalnum() for ch in word.text) >= settings.min_turned_chars
    )


def _placed(word: Word, x0: int, top: int) -> Word:
    return msgspec.structs.replace(
        word, x0=word.x0 + x0, x1=word.x1 + x0, top=word.top + top, bottom=word.bottom + top
    )


def _placed_turned(word: Word, x0: int, top: int, height: int) -> Word:
    """A word read from a piece turned a quarter turn clockwise, back on the page: the
    piece's row r, column c stood at row c, column height-1-r of the turned piece."""
    return msgspec.structs.replace(
        word,
        x0=x0 + word.top,
        x1=x0 + word.bottom,
        top=top + height - word.x1,
        bottom=top + height - word.x0,
        upright=False,
    )
