"""The junction-to-case thermal resistance a datasheet's tables print (RθJC, Rth(j-c)).

The SPICE fit may explain drooping output curves by self-heating, up to the part's
Rth(j-c); the value stands in a table row ("Thermal Resistance, Junction-to-Case … 0.66
°C/W", "Maximum Junction-to-Case RθJC 2 3 °C/W", "Rth(j-c) 1.1 K/W") or a graph's note
("RθJC = 3 °C/W"). A row is taken only with its unit on it: a sentence about the
junction-to-case resistance is no reading of it. Where a row gives typical and maximum, the
maximum is read (the fit needs the most heating the part allows), and where several rows
or pages give one, the largest.

Words come from the page's text layer, or from OCR where the text layer is unusable (only
the first pages: thermal tables stand with the ratings). The OCR reads only the bands of
the page its table rules span, once, in one upright pass: the graph reader's whole-page OCR
(turned titles, glyph-by-glyph rereads) costs 15 s a page, and a table needs none of it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import msgspec
import numpy as np

from graphq.datasheet.content import PageContent, read_pages
from graphq.datasheet.ocr import scale_word
from graphq.datasheet.ocr_settings import DEFAULT_SETTINGS
from graphq.datasheet.page_images import POINTS_PER_INCH, render_page
from graphq.datasheet.rules import find_rules
from graphq.datasheet.tesseract import UNIFORM_BLOCK, read_mask
from graphq.datasheet.text_mask import text_for_ocr
from graphq.datasheet.words import Word, WordSource
from graphq.digitizer.preprocessing.ink import darkness
from graphq.errors import GraphqError

# (x0, top, x1, bottom) in points from the page's top-left corner.
Region = tuple[float, float, float, float]


@dataclass(frozen=True)
class ThermalSettings:
    # Rows: words whose centres lie within this fraction of a glyph height of each other.
    row_tolerance: float = 0.5
    # A number printed smaller than this fraction of its row's key is a footnote mark.
    footnote_size: float = 0.8
    # Power devices' Rth(j-c) lie between a few hundredths (press-packs, large modules)
    # and a few hundred K/W (small-signal packages); a value outside is a misread.
    lowest_k_per_w: float = 0.01
    highest_k_per_w: float = 1000.0
    # Pages without a text layer that are read by OCR, from the first: the ratings'
    # tables stand on the first two pages of the datasheets graphq has seen.
    ocr_pages: int = 2
    # Where a table is on such a page: the band of its rules, lines as long as this
    # fraction of the page's width ...
    table_rule_width: float = 0.3
    # ... each within this many points of the next (rows are 10–20 pt apart, a section's
    # title adds one more row; a page's frame stands further off) ...
    table_rule_gap_pt: float = 40.0
    # ... at least this many of them (a frame's edge or a title's underline is no table),
    # widened by this much above and below (a heading row over the first rule).
    table_min_rules: int = 3
    table_margin_pt: float = 14.0
    # Tables are read at this resolution, in one upright tesseract pass as a block of lines
    # (no turned titles, no rereads of single glyphs: a table's 7–9 pt text is read whole
    # at 300 dpi, and read as lines its lone unit letters keep their confidence).
    table_dpi: int = 300


THERMAL = ThermalSettings()


class ThermalResistance(msgspec.Struct, frozen=True, rename="camel"):
    """A junction-to-case thermal resistance read from a page: the value (K/W, which is
    °C/W), the page it stands on, the row as read and whether the words came from OCR."""

    k_per_w: float
    page: int
    text: str
    source: WordSource

    def describe(self) -> str:
        via = "OCR of " if self.source == "ocr" else ""
        return f'{via}page {self.page}: "{self.text}"'


# Hyphens as fonts map them: ASCII, Unicode hyphens and dashes, the minus sign.
_DASH = "\u2010\u2011\u2012\u2013\u2014\u2212-"
# "Junction-to-Case", "junction to case", "Junction-Case"; the symbols RθJC, RthJC, Rth(j-c),
# Rth j-c, RqJC (θ in a Symbol font without a Unicode map) and Rth(j-mb) (NXP's mounting
# base, its case).
_KEY = re.compile(
    rf"junction[\s{_DASH}]*(?:to[\s{_DASH}]*)?case"
    rf"|\br\s*(?:θ|th|q|ϴ)\s*\(?\s*j\s*[{_DASH}]?\s*(?:c|mb)\b\)?",
    re.IGNORECASE,
)
# The degree sign as fonts map it (°, º, ˚, a raised o, an unmapped "_"), or none (K/W).
_UNIT = re.compile(r"(?:°|º|˚|o|_)?\s*[CK]\s*/\s*W\b", re.IGNORECASE)
# OCR loses the "/W" of a table's last column now and then: a row read by OCR that ends in
# a lone "°C" word is taken as °C/W (prose ends a sentence; a table cell stands alone).
_LOST_PER_WATT = {"°C", "ºC", "˚C"}
# A value: a number standing alone or glued to its unit ("3°C/W"), after an "=" or space.
_NUMBER = re.compile(
    rf"(?<![\w.,/{_DASH}])(\d+(?:[.,]\d+)?)(?=\s|$|°|º|˚|_|[CK]\s*/\s*W)", re.IGNORECASE
)


def table_rows(words: list[Word], settings: ThermalSettings = THERMAL) -> list[list[Word]]:
    """Upright words grouped into rows (words level with each other), each left to right:
    a table's rows, whichever the table (:mod:`graphq.datasheet.electrical` reads them too)."""
    rows: list[list[Word]] = []
    for word in sorted((w for w in words if w.upright), key=lambda w: w.centre[1]):
        row = rows[-1] if rows else None
        if row is not None:
            first = row[0]
            reach = settings.row_tolerance * max(first.bottom - first.top, word.bottom - word.top)
            if abs(word.centre[1] - first.centre[1]) <= reach:
                row.append(word)
                continue
        rows.append([word])
    return [sorted(row, key=lambda w: w.x0) for row in rows]


def _row_value(row: list[Word], settings: ThermalSettings) -> tuple[float, str] | None:
    """The largest value after the row's junction-to-case key, where its unit is on the row;
    with the row's text."""
    text = " ".join(w.text for w in row)
    key = _KEY.search(text)
    if key is None:
        return None
    lost_unit = row[-1].source == "ocr" and row[-1].text in _LOST_PER_WATT
    if _UNIT.search(text, key.end()) is None and not lost_unit:
        return None
    # The row's own text size (its median word): a symbol's tall glyph does not set it.
    text_size = sorted(w.size for w in row)[len(row) // 2]
    # Character offsets of each word in the joined text, to drop footnote marks by size.
    starts, offset = [], 0
    for word in row:
        starts.append(offset)
        offset += len(word.text) + 1
    values = []
    for match in _NUMBER.finditer(text, key.end()):
        index = max(i for i, s in enumerate(starts) if s <= match.start())
        if row[index].size < settings.footnote_size * text_size:
            continue
        value = float(match.group(1).replace(",", "."))
        if settings.lowest_k_per_w <= value <= settings.highest_k_per_w:
            values.append(value)
    return (max(values), text) if values else None


def junction_to_case(
    words: list[Word], page: int, settings: ThermalSettings = THERMAL
) -> ThermalResistance | None:
    """The largest junction-to-case thermal resistance the page's ``words`` print, or None."""
    found = [
        reading for row in table_rows(words, settings) if (reading := _row_value(row, settings))
    ]
    if not found:
        return None
    value, text = max(found, key=lambda r: r[0])
    ocr = any(w.source == "ocr" for w in words)
    return ThermalResistance(value, page, text, "ocr" if ocr else "text")


def table_pages(pdf: bytes, settings: ThermalSettings = THERMAL) -> list[tuple[int, list[Word]]]:
    """Each page's words where its tables can be read: the text layer, or OCR on the first
    :attr:`ThermalSettings.ocr_pages` pages where the text layer is unusable. Read once,
    these serve every table reader (Rth(j-c) here, the electrical characteristics)."""
    _, pages = read_pages(pdf)
    read: list[tuple[int, list[Word]]] = []
    for page in pages:
        if page.text_usable:
            read.append((page.number, page.words))
        elif page.number <= settings.ocr_pages:
            runs = table_rule_runs(page, settings)
            regions = table_regions(page, runs, settings)
            words = table_ocr_words(pdf, page.number, regions, settings)
            read.append((page.number, in_ruled_rows(words, runs)))
    return read


def table_rule_runs(page: PageContent, settings: ThermalSettings = THERMAL) -> list[np.ndarray]:
    """The page's tables as runs of long horizontal rules (rows y, x0, x1 in points, top
    to bottom), each rule near the next, with enough rules to be a table."""
    rules = find_rules(page.strokes).horizontal
    long = rules[rules[:, 2] - rules[:, 1] >= settings.table_rule_width * page.width]
    long = long[np.argsort(long[:, 0])]
    runs: list[np.ndarray] = []
    start = 0
    for index in range(1, len(long) + 1):
        if index == len(long) or long[index, 0] - long[index - 1, 0] > settings.table_rule_gap_pt:
            runs.append(long[start:index])
            start = index
    return [run for run in runs if len(run) >= settings.table_min_rules]


def table_regions(
    page: PageContent, runs: list[np.ndarray], settings: ThermalSettings = THERMAL
) -> list[Region]:
    """The bands (x0, top, x1, bottom in points) of the page the tables' rule ``runs`` span;
    the whole page where there are none."""
    margin = settings.table_margin_pt
    regions = [
        (
            float(run[:, 1].min()),
            max(float(run[:, 0].min()) - margin, 0.0),
            float(run[:, 2].max()),
            min(float(run[:, 0].max()) + margin, page.height),
        )
        for run in runs
    ]
    return regions or [(0.0, 0.0, page.width, page.height)]


def in_ruled_rows(words: list[Word], runs: list[np.ndarray]) -> list[Word]:
    """``words`` with each one between two consecutive rules of a run set level with that
    row's middle: a ruled row whose cells wrap onto two lines (a parameter's name beside
    its values) is one row of the table, as :func:`table_rows` then reads it."""
    bands = [(a, b) for run in runs for a, b in zip(run[:-1, 0], run[1:, 0], strict=True)]
    placed = []
    for word in words:
        centre = word.centre[1]
        band = next(((a, b) for a, b in bands if a <= centre <= b), None)
        if band is None:
            placed.append(word)
            continue
        shift = (band[0] + band[1]) / 2 - centre
        placed.append(
            msgspec.structs.replace(word, top=word.top + shift, bottom=word.bottom + shift)
        )
    return placed


def table_ocr_words(
    pdf: bytes, page_number: int, regions: list[Region], settings: ThermalSettings = THERMAL
) -> list[Word]:
    """OCR words of ``regions`` of one page (1-based), in points from the page's top-left
    corner: the page rendered once, each region read in one upright pass; none where
    tesseract is missing or fails."""
    pixels = render_page(pdf, page_number, settings.table_dpi)
    ocr = DEFAULT_SETTINGS
    per_point = settings.table_dpi / POINTS_PER_INCH
    words: list[Word] = []
    for x0, top, x1, bottom in regions:
        left, upper = round(x0 * per_point), round(top * per_point)
        ink = darkness(pixels[upper : round(bottom * per_point), left : round(x1 * per_point)])
        prepared = text_for_ocr(ink, ocr)
        if prepared is None:
            continue
        text, scale, _ = prepared
        try:
            found = read_mask(
                text, UNIFORM_BLOCK, min_confidence=ocr.min_confidence, timeout_s=ocr.timeout_s
            )
        except GraphqError:  # no tesseract, or it failed: the region is simply unread
            continue
        factor = 1.0 / (scale * per_point)
        words += [_shifted(scale_word(w, factor), x0, top) for w in found]
    return words


def _shifted(word: Word, x0: float, top: float) -> Word:
    """A word of a region, in points from the region's corner, onto the page."""
    return msgspec.structs.replace(
        word, x0=x0 + word.x0, x1=x0 + word.x1, top=top + word.top, bottom=top + word.bottom
    )


def read_junction_to_case(
    pdf: bytes,
    settings: ThermalSettings = THERMAL,
    pages: list[tuple[int, list[Word]]] | None = None,
) -> ThermalResistance | None:
    """The datasheet's Rth(j-c): the largest any page gives (of ``pages`` when they were
    read already, else of :func:`table_pages`). None where no page gives one (or no OCR is
    installed for a page that needs it)."""
    readings = [
        reading
        for number, words in (pages if pages is not None else table_pages(pdf, settings))
        if (reading := junction_to_case(words, number, settings)) is not None
    ]
    return max(readings, key=lambda r: r.k_per_w, default=None)
