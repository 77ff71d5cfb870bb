"""The junction-to-case thermal resistance a datasheet's tables print (RθJC, Rth(j-c)).

The SPICE fit may explain drooping output curves by self-heating, up to the part's
Rth(j-c); the value stands in a table row ("Thermal Resistance, Junction-to-Case … 0.66
°C/W", "Maximum Junction-to-Case RθJC 2 3 °C/W", "Rth(j-c) 1.1 K/W") or a graph's note
("RθJC = 3 °C/W"). A row is taken only with its unit on it: a sentence about the
junction-to-case resistance is no reading of it. Where a row gives typical and maximum, the
maximum is read (the fit needs the most heating the part allows), and where several rows
or pages give one, the largest.

Words come from the page's text layer, or from OCR of the page where the text layer is
unusable (only the first pages: thermal tables stand with the ratings, and OCR of a page
takes seconds).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import msgspec

from graphq.datasheet.content import read_pages
from graphq.datasheet.words import Word, WordSource


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
            read.append((page.number, ocr_words(pdf, page.number)))
    return read


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


def ocr_words(pdf: bytes, page_number: int) -> list[Word]:
    try:
        from graphq.datasheet.ocr import page_words

        return page_words(pdf, page_number)
    except Exception:  # OCR is an external engine: without it the page is simply unread
        return []
