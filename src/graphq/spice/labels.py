"""Curve conditions and unit prefixes from the text printed on datasheet graphs.

Labels arrive as the digitizer read them or as a user typed them: ``"VGS = 10 V"``,
``"V<sub>GS</sub>=4.5V"``, ``"Tj = 150 °C"``, ``"C_iss"``, ``"Cᵢₛₛ"``, ``"−3 V"``. Everything
here normalises that text first (lower case, no markup, no subscripts, ASCII minus).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

_SUBSCRIPTS = str.maketrans(
    {
        "ᵢ": "i",
        "ₛ": "s",
        "ₒ": "o",
        "ᵣ": "r",
        "ₐ": "a",
        "ₑ": "e",
        "ₜ": "t",
        "ⱼ": "j",
        "ᴅ": "d",
        "ɢ": "g",
        "ꜱ": "s",
        "−": "-",
        "–": "-",
        "μ": "µ",
    }
)
_MARKUP = re.compile(r"</?\s*(sub|sup)\s*>|[_{}]")
_NUMBER = r"([-+]?\d+(?:[.,]\d+)?(?:e[-+]?\d+)?)"

# Quantity name as printed (after normalising) → condition key.
_QUANTITIES = {
    "vgs": "vgs",
    "vds": "vds",
    "vsd": "vds",
    "id": "id",
    "tj": "temperature",
    "tc": "temperature",
    "ta": "temperature",
    "t": "temperature",
}
# Keys of a ``conditions`` mapping the datasheet reader gives (as printed) → condition key;
# ``tp`` is the measuring pulse's width in s ("250 µs pulse test").
_MAPPING_KEYS = {**_QUANTITIES, "f": "frequency", "freq": "frequency", "tp": "pulse"}
_CONDITION = re.compile(r"\b(vgs|vds|vsd|id|tj|tc|ta|t)\s*[=:]\s*" + _NUMBER)
_TEMPERATURE = re.compile(_NUMBER + r"\s*(?:°|º|deg)\s*c\b")
# A label that is nothing but a temperature whose degree sign the reader lost ("-55C",
# "150 C"): on a curve, a number in C is no other quantity.
_BARE_CELSIUS = re.compile(_NUMBER + r"\s*c")
_VOLTAGE = re.compile(_NUMBER + r"\s*v\b")

SI_PREFIXES = {
    "f": 1e-15,
    "p": 1e-12,
    "n": 1e-9,
    "u": 1e-6,
    "µ": 1e-6,
    "m": 1e-3,
    "k": 1e3,
    "M": 1e6,
}
_BASE_UNITS = ("F", "A", "V", "Ω", "OHM", "S", "W", "C")


def normalise(label: str) -> str:
    """Lower-case ASCII-ish text without markup, subscripts or spaces around ``=``."""
    text = _MARKUP.sub("", label.translate(_SUBSCRIPTS)).lower()
    return re.sub(r"\s+", " ", text).strip()


def _number(text: str) -> float:
    return float(text.replace(",", "."))


def parse_conditions(label: str) -> dict[str, float]:
    """Every ``NAME = value`` condition in ``label`` plus a bare temperature (``150 °C``, or
    ``-55C`` alone).

    Keys are ``vgs``, ``vds``, ``id`` (A as printed) and ``temperature`` (°C).
    """
    text = normalise(label)
    found: dict[str, float] = {}
    for name, value in _CONDITION.findall(text):
        found.setdefault(_QUANTITIES[name], _number(value))
    if "temperature" not in found:
        match = _TEMPERATURE.search(text) or _BARE_CELSIUS.fullmatch(text)
        if match:
            found["temperature"] = _number(match.group(1))
    return found


def conditions_from_mapping(mapping: Mapping[str, object] | None) -> dict[str, float]:
    """The conditions of a ``{"VGS": -10.0, "Tj": 25.0, "f": 1e6}`` mapping (keys as printed,
    values as numbers or numeric text) under the keys :func:`parse_conditions` uses, plus
    ``frequency`` (Hz). Keys or values it cannot read are left out, not guessed."""
    found: dict[str, float] = {}
    for key, value in (mapping or {}).items():
        name = _MAPPING_KEYS.get(normalise(str(key)).replace(" ", ""))
        if name is None or isinstance(value, bool):
            continue
        if isinstance(value, int | float):
            found[name] = float(value)
            continue
        match = re.fullmatch(r"\s*" + _NUMBER + r"\s*\S*\s*", normalise(str(value)))
        if match:
            found[name] = _number(match.group(1))
    return found


_CURRENT = re.compile(r"\bid\s*[=:]\s*" + _NUMBER + r"\s*([munµ]?)a\b")
_THRESHOLD = re.compile(r"vgs\s*\((?:th|off)\)|v\s*\(?th\)?\b|vgs\s*(?:th|off)\b|threshold")


def drain_current(label: str) -> float | None:
    """The ``ID = <number> <unit>`` condition of ``label`` in A (``"ID = 120mA"`` → 0.12)."""
    match = _CURRENT.search(normalise(label))
    if match is None:
        return None
    prefix = match.group(2)
    return _number(match.group(1)) * (SI_PREFIXES[prefix] if prefix else 1.0)


def names_threshold(label: str) -> bool:
    """True when ``label`` names the gate threshold (``VGS(th)``, ``VGS(OFF)``, ``Vth``)."""
    return _THRESHOLD.search(normalise(label)) is not None


def bare_voltage(label: str) -> float | None:
    """The first ``<number> V`` in ``label`` (``"10 V"``, ``"-3V"``), if any."""
    match = _VOLTAGE.search(normalise(label))
    return _number(match.group(1)) if match else None


def is_placeholder(label: str) -> bool:
    """True for the name the digitizer gives a curve nobody labelled (``curve 3``): its
    number counts curves from the top and says nothing about the curve's condition."""
    return re.fullmatch(r"curve ?\d+", normalise(label)) is not None


def capacitance_name(label: str) -> str | None:
    """``ciss``, ``coss`` or ``crss`` when the label names one."""
    text = normalise(label).replace(" ", "")
    for name in ("iss", "oss", "rss"):
        if name in text:
            return "c" + name
    return None


# Units written out in words, as some datasheets title their axes ("Picofarads",
# "milliamps"): prefix words and unit words to their symbols.
_PREFIX_WORDS = {"pico": "p", "nano": "n", "micro": "µ", "milli": "m", "kilo": "k", "mega": "M"}
_UNIT_WORDS = {
    "farads": "F",
    "farad": "F",
    "amperes": "A",
    "ampere": "A",
    "amps": "A",
    "amp": "A",
    "volts": "V",
    "volt": "V",
    "ohms": "Ω",
    "ohm": "Ω",
}
_WORD_UNIT = re.compile(
    r"^(" + "|".join(_PREFIX_WORDS) + r")?(" + "|".join(_UNIT_WORDS) + r")$", re.IGNORECASE
)


def _symbol(unit: str) -> str:
    """``unit`` in symbols: ``Picofarads`` → ``pF``, ``milliamps`` → ``mA``, others as given."""
    match = _WORD_UNIT.match(unit)
    if match is None:
        return unit
    prefix = _PREFIX_WORDS[match.group(1).lower()] if match.group(1) else ""
    return prefix + _UNIT_WORDS[match.group(2).lower()]


def unit_factor(unit: str) -> float:
    """The factor from ``unit`` to its SI base unit: ``pF`` → 1e-12, ``mΩ`` → 1e-3, ``A`` → 1,
    ``Picofarads`` → 1e-12.

    An empty or unknown unit counts as already in base units.
    """
    text = _symbol(unit.strip().replace("μ", "µ"))
    if not text:
        return 1.0
    for base in _BASE_UNITS:
        if text.upper().endswith(base):
            prefix = text[: len(text) - len(base)].strip()
            if prefix == "":
                return 1.0
            if prefix in SI_PREFIXES:
                return SI_PREFIXES[prefix]
            if prefix.lower() in SI_PREFIXES and prefix.lower() != "m":
                return SI_PREFIXES[prefix.lower()]
    return 1.0
