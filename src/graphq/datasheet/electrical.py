"""The gate threshold and the on-resistance a datasheet's electrical-characteristics table
prints: VGS(th) (VGS(off) of a depletion part) as min … max, and RDS(on) as typical and
maximum at its stated VGS and ID.

They referee a part's graphs where two contradict each other, and check a fitted model.
A row is taken only with its key and its unit on it ("VGS(th) Gate Threshold Voltage
VDS=5V ID=250µA 3 4.1 4.5 V", "RDS(ON) - 17 25 Ω VGS = 0V, ID = 120mA"); test conditions
("VDS = 25V", "ID = 10µA") are taken out before the columns are read, and a lone dash is an
empty column. OCR splits a row whose key stands on two lines ("Rps(on) Static Drain-Source"
above "VGS=10V, ID=11.5A -- 0.12 0.15 Ω"): a key row without values borrows the next row's.
Words come from :func:`graphq.datasheet.thermal.table_pages` (text layer, or OCR).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TypeVar

import msgspec

from graphq.datasheet.thermal import THERMAL, ThermalSettings, table_pages, table_rows
from graphq.datasheet.words import Word, WordSource

T = TypeVar("T")
_DASH = "\u2010\u2011\u2012\u2013\u2014\u2212-"
# VGS(th), VGS(off), VGS(to) and OCR's misreads of the subscript (Vesith), Vas(th)), or the
# parameter's name; not its change with temperature (ΔVGS(th), "mV/°C").
_THRESHOLD = re.compile(
    r"\bV\s*[GgEeCcAa][Ss5]\s*[\(\[{]?\s*[it]?(?:th|off|to)\b"
    r"|threshold\s+voltage|(?:gate[\s-]*to[\s-]*source\s+)?(?:off|cut[\s-]*off)\s+voltage",
    re.IGNORECASE,
)
_NOT_THRESHOLD = re.compile(r"Δ|\bchange\b|coefficient|variation|mV|/\s*°|%", re.IGNORECASE)
# RDS(on), rDS(on), OCR's Rps(on), or the parameter's name.
_RDSON = re.compile(
    r"\br\s*[dp]s\s*[\(\[{]?\s*on\b|\bon[\s-]*(?:state\b|resistance)", re.IGNORECASE
)
_NOT_RDSON = re.compile(r"Δ|\bchange\b|coefficient|variation|normali[sz]ed|%", re.IGNORECASE)
# A test condition: a symbol, "=", a signed number and its unit ("VDS = 25V", "ID=10µA").
_CONDITION = re.compile(
    rf"\b([A-Za-z][\w()]{{0,6}})\s*=\s*([{_DASH}]?\d+(?:[.,]\d+)?)\s*([munµpk]?)\s*([AVΩ])?",
)
_NUMBER = re.compile(rf"^([{_DASH}]?)(\d+(?:[.,]\d+)?)$")
_EMPTY = re.compile(rf"^[{_DASH}]+$")
# Ω as fonts and OCR give it: Ω, Ohm, a Symbol-font "W", OCR's "Q"; with a milli prefix.
_OHM = re.compile(r"^(m?)(?:Ω|Ω|ohms?|W|Q)$", re.IGNORECASE)
# Tesseract reads the micro sign of "250µA" as "p", "u", "H" or "W"; no threshold or
# RDS(on) row rates a picoampere (nor "HA", "WA"), so such a unit after a number is µA.
_OCR_MICRO = re.compile(r"(\d\s*)[puHW]A\b")
# A lone underscore in an OCR'd row is a rule's remnant, no word ("VGS _ = 10V").
_OCR_LINE = re.compile(r"(?<=\s)_+(?=\s)")
_PREFIX = {"": 1.0, "m": 1e-3, "u": 1e-6, "µ": 1e-6, "n": 1e-9, "p": 1e-12, "k": 1e3}


class Threshold(msgspec.Struct, frozen=True, rename="camel"):
    """VGS(th) or VGS(off) in V, as the table's columns give it: ``low`` … ``high`` (signed,
    ``low`` ≤ ``high``) and the typical value where printed; the page and the row as read;
    the drain current it is rated at (A) and the VDS (V; None where the row says VDS = VGS
    or gives none), where the row states them: a threshold means nothing without its
    current, as the gate voltage moves a volt per few decades of it."""

    low: float
    high: float
    typical: float | None
    page: int
    text: str
    source: WordSource
    current_a: float | None = None
    vds_v: float | None = None


class ThresholdRow(msgspec.Struct, frozen=True):
    """What one VGS(th)/VGS(off) row's columns and conditions give (see :class:`Threshold`,
    which adds where the row was read)."""

    low: float
    high: float
    typical: float | None
    current_a: float | None = None
    vds_v: float | None = None


class OnResistance(msgspec.Struct, frozen=True, rename="camel"):
    """RDS(on) in Ω, typical and maximum as printed, at the stated VGS (V) and ID (A)."""

    typical: float | None
    maximum: float | None
    vgs_v: float | None
    id_a: float | None
    page: int
    text: str
    source: WordSource


class ElectricalTable(msgspec.Struct, frozen=True, rename="camel"):
    """What the electrical-characteristics table gives; empty where it gives nothing."""

    threshold: Threshold | None = None
    on_resistance: list[OnResistance] = msgspec.field(default_factory=list)

    def describe(self) -> str:
        parts = []
        if self.threshold is not None:
            t = self.threshold
            at = f" at ID = {t.current_a:g} A" if t.current_a is not None else ""
            parts.append(f"threshold {t.low:g} … {t.high:g} V{at} ({_where(t.page, t.source)})")
        for r in self.on_resistance:
            value = "/".join(f"{v:g}" for v in (r.typical, r.maximum) if v is not None)
            parts.append(f"RDS(on) {value} Ω at {_condition(r)} ({_where(r.page, r.source)})")
        return "; ".join(parts) if parts else "nothing read"


def _where(page: int, source: WordSource) -> str:
    return f"{'OCR of ' if source == 'ocr' else ''}page {page}"


def _condition(r: OnResistance) -> str:
    vgs = f"VGS = {r.vgs_v:g} V" if r.vgs_v is not None else "VGS unread"
    return vgs + (f", ID = {r.id_a:g} A" if r.id_a is not None else "")


def _number(text: str) -> float:
    return float(text.replace(",", "."))


def _columns(text: str) -> tuple[list[float | None], dict[str, float], str]:
    """The row's value columns (None for a dash), its test conditions in SI units (the
    voltage one as ``V``, the current as ``A``) and its last word."""
    conditions: dict[str, float] = {}
    for match in _CONDITION.finditer(text):
        sign = -1.0 if match.group(2)[0] in _DASH else 1.0
        value = sign * _number(match.group(2).lstrip(_DASH))
        unit = match.group(4) or ""
        if unit in ("V", "A"):
            conditions.setdefault(unit, value * _PREFIX.get(match.group(3), 1.0))
    rest = _CONDITION.sub(" ", re.sub(r"\(\s*notes?\s*[\d,\s]*\)", " ", text, flags=re.I))
    columns: list[float | None] = []
    for token in rest.split():
        number = _NUMBER.match(token)
        if number is not None:
            columns.append(
                -_number(number.group(2)) if number.group(1) else _number(number.group(2))
            )
        elif _EMPTY.match(token):
            columns.append(None)
    words = rest.split()
    return columns, conditions, words[-1] if words else ""


def threshold_in(row_text: str) -> ThresholdRow | None:
    """The VGS(th)/VGS(off) row's values where they are in V, else None; the current and
    VDS are None where the row does not state them."""
    key = _THRESHOLD.search(row_text)
    if key is None or _NOT_THRESHOLD.search(row_text):
        return None
    columns, conditions, _ = _columns(row_text[key.end() :])
    if not re.search(r"(?:^|\s)V(?:\s|$)", _CONDITION.sub(" ", row_text[key.end() :])):
        return None
    values = [v for v in columns if v is not None]
    if not values:
        return None
    typical = columns[1] if len(columns) == 3 else None
    return ThresholdRow(min(values), max(values), typical, conditions.get("A"), conditions.get("V"))


def on_resistance_in(row_text: str) -> tuple[float | None, float | None, dict[str, float]] | None:
    """(typical, maximum, conditions) of an RDS(on) row whose values are in Ω, else None."""
    key = _RDSON.search(row_text)
    if key is None or _NOT_RDSON.search(row_text):
        return None
    after = row_text[key.end() :]
    columns, conditions, _ = _columns(after)
    units = [m.group(1) for w in _CONDITION.sub(" ", after).split() if (m := _OHM.match(w))]
    if not units or not any(v is not None for v in columns):
        return None
    factor = 1e-3 if units[0].lower() == "m" else 1.0
    scaled = [v * factor if v is not None else None for v in columns[-3:]]
    # Columns are min, typ, max: RDS(on) has no minimum, so two are typ and max, one is max.
    typical = scaled[-2] if len(scaled) >= 2 else None
    return typical, scaled[-1], conditions


def electrical_table(
    pages: list[tuple[int, list[Word]]], settings: ThermalSettings = THERMAL
) -> ElectricalTable:
    """The first threshold row and every RDS(on) row the pages' words print."""
    threshold: Threshold | None = None
    ratings: list[OnResistance] = []
    for number, words in pages:
        source: WordSource = "ocr" if any(w.source == "ocr" for w in words) else "text"
        texts = [" ".join(w.text for w in row) for row in table_rows(words, settings)]
        if source == "ocr":
            texts = [_OCR_LINE.sub(" ", _OCR_MICRO.sub(r"\1µA", text)) for text in texts]
        for index, text in enumerate(texts):
            following = texts[index + 1] if index + 1 < len(texts) else ""
            found = _keyed(text, following, _THRESHOLD, threshold_in)
            if found is not None and threshold is None:
                read, row = found
                threshold = Threshold(
                    read.low,
                    read.high,
                    read.typical,
                    number,
                    row,
                    source,
                    read.current_a,
                    read.vds_v,
                )
            rating = _keyed(text, following, _RDSON, on_resistance_in)
            if rating is not None:
                (typical, maximum, conditions), row = rating
                vgs, current = conditions.get("V"), conditions.get("A")
                ratings.append(OnResistance(typical, maximum, vgs, current, number, row, source))
    return ElectricalTable(threshold, _distinct(ratings))


def _keyed(
    text: str, following: str, key: re.Pattern[str], read: Callable[[str], T | None]
) -> tuple[T, str] | None:
    """``read`` of a row holding ``key``; a key row without values (OCR split it, or the
    symbol's subscript sits a line lower) takes the next row's."""
    if key.search(text) is None:
        return None
    for candidate in (text, f"{text} {following}"):
        found = read(candidate)
        if found is not None:
            return found, candidate
    return None


def _distinct(ratings: list[OnResistance]) -> list[OnResistance]:
    """One rating per value and condition (a joined row repeats the row it borrowed)."""
    seen: set[tuple[float | None, ...]] = set()
    kept = []
    for r in ratings:
        key = (r.typical, r.maximum, r.vgs_v, r.id_a)
        if key not in seen:
            seen.add(key)
            kept.append(r)
    return kept


def read_electrical_table(
    pdf: bytes,
    settings: ThermalSettings = THERMAL,
    pages: list[tuple[int, list[Word]]] | None = None,
) -> ElectricalTable:
    """The datasheet's threshold and RDS(on) ratings (of ``pages`` when read already)."""
    return electrical_table(pages if pages is not None else table_pages(pdf, settings), settings)
