"""Axis titles to a quantity symbol and a unit.

Titles come as "VDS, Drain-Source Voltage [V]", "ID (A)", "Capacitance (pF)",
"IC, COLLECTOR CURRENT (AMPS)" or "TJ, Junction Temperature [°C]". The unit is the last
bracketed group; the quantity is the leading symbol when there is one, else the symbol a
descriptive name stands for.
"""

from __future__ import annotations

import re

_UNIT_WORDS = {
    "volts": "V", "volt": "V", "v": "V", "amps": "A", "amperes": "A", "amp": "A", "a": "A",
    "milliamps": "mA", "ma": "mA", "pf": "pF", "nf": "nF", "nc": "nC", "s": "s", "sec": "s",
    "seconds": "s", "ms": "ms", "us": "µs", "µs": "µs", "ohms": "Ω", "ohm": "Ω", "mω": "mΩ",
    "mohm": "mΩ", "w": "W", "watts": "W", "siemens": "S", "s/": "S", "°c": "°C", "oc": "°C",
    "c": "°C", "° c": "°C", "ºc": "°C", "mhz": "MHz", "khz": "kHz", "hz": "Hz",
}  # fmt: skip
# Descriptive names for titles without a leading symbol.
_NAMES = (
    ("capacitance", "C"),
    ("gate charge", "Qg"),
    ("junction temperature", "Tj"),
    ("case temperature", "Tc"),
    ("temperature", "T"),
    ("drain-source voltage", "VDS"),
    ("drain to source voltage", "VDS"),
    ("gate-source voltage", "VGS"),
    ("gate to source voltage", "VGS"),
    ("drain current", "ID"),
    ("source current", "IS"),
    ("collector current", "IC"),
    ("on-resistance", "RDS(on)"),
    ("on resistance", "RDS(on)"),
    ("thermal", "Zth"),
    ("pulse", "tp"),
    ("breakdown", "BVDSS"),
)
_SYMBOL = re.compile(
    r"^\s*[-−]?([A-Za-zΘθ][A-Za-z0-9θ]{0,5}(?:\([A-Za-z]{1,4}\))?)\s*(?:[,:]|$|\s)"
)
_BRACKETS = re.compile(r"[\[(]([^\[\]()]*)[\])]\s*$")


def parse_title(title: str) -> tuple[str, str]:
    """(quantity, unit) of an axis title; empty strings where they are not printed."""
    text = " ".join(title.split())
    unit = ""
    bracket = _BRACKETS.search(text)
    if bracket:
        raw = bracket.group(1).strip()
        unit = _UNIT_WORDS.get(raw.lower(), raw)
        text = text[: bracket.start()].strip()
    lowered = text.lower()
    symbol = _SYMBOL.match(text)
    if symbol and (text[symbol.end() - 1 : symbol.end()] in ",:" or len(text) <= 10):
        word = symbol.group(1)
        # A leading plain word ("Capacitance", "Normalized") is no symbol.
        if not (word.isalpha() and word[1:].islower() and len(word) > 3):
            return word, unit
    for name, quantity in _NAMES:
        if name in lowered:
            return quantity, unit
    return "", unit
