"""Test conditions in label and note text: "VGS = 10 V", "125 °C", "f = 1 MHz", "250 µs pulse".

Values are in the unit's base (V, A, °C, Hz, s, Ω). A temperature printed alone is the
junction temperature (Tj), as datasheets print it beside curves, unless the graph's other
labels name it ambient or case temperature (:func:`printed_temperature`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from graphq.digitizer.labels.naming import parse_value
from graphq.review import ReviewNote, ReviewReason

_PREFIX = {"p": 1e-12, "n": 1e-9, "u": 1e-6, "µ": 1e-6, "μ": 1e-6, "m": 1e-3, "k": 1e3,
           "M": 1e6, "": 1.0}  # fmt: skip
_NUMBER = r"([-−+]?\d+(?:[.,]\d+)?)"
_UNIT = r"\s*([pnuµμmkM]?)(V|A|°C|ºC|oC|˚C|Hz|s|W|Ω|ohm)?"
_ASSIGNMENT = re.compile(r"([A-Za-zθΘ][A-Za-z0-9θ()/]{0,9})\s*=\s*" + _NUMBER + _UNIT)
_TEMPERATURE = re.compile(_NUMBER + r"\s*(?:°|º|˚|o)\s*C\b")
_PULSE = re.compile(_NUMBER + r"\s*([pnuµμm]?)s\s+pulse", re.IGNORECASE)
_NAMES = {"TJ": "Tj", "TC": "Tc", "TA": "Ta", "TCASE": "Tc", "F": "f"}
# The temperatures a label may name: junction, case, ambient.
_TEMPERATURES = ("Tj", "Tc", "Ta")
# A voltage whose symbol's subscript OCR read as marks, its "=" often lost with it: the
# "1. VDS = 40V" of a small note box read as "1.V,, 40V". Stored as ``V``: the graph says
# which voltage it is (:func:`name_unread_voltage`).
_UNREAD_VOLTAGE = re.compile(r"(?<![A-Za-z])V[,.'’`_]{1,3}\s*=?\s*" + _NUMBER + r"\s*V")
# The voltage a graph's notes state where its x axis is the other one: a transfer graph
# (x: VGS) is measured at a VDS, a capacitance graph (x: VDS) at a VGS.
_NOTE_VOLTAGE = {"transfer": "VDS", "capacitance": "VGS"}


def parse_conditions(
    text: str, *, lone_temperature: bool = True, temperature: str = "Tj"
) -> dict[str, float]:
    """Every condition the text states. ``lone_temperature`` reads a temperature printed
    alone ("125 °C") as ``temperature``: true for a curve's own label, false for text that
    bound to no curve (there a lone value is an unread curve label, not the graph's
    condition)."""
    found: dict[str, float] = {}
    for match in _ASSIGNMENT.finditer(text):
        name, number, prefix, _unit = match.groups()
        found[_NAMES.get(name.upper(), name)] = _number(number) * _PREFIX[prefix]
    if lone_temperature and not any(name.startswith("T") for name in found):
        match_temperature = _TEMPERATURE.search(text)
        if match_temperature and "=" not in text[: match_temperature.start()]:
            found[temperature] = _number(match_temperature.group(1))
    pulse = _PULSE.search(text)
    if pulse:
        found["tp"] = _number(pulse.group(1)) * _PREFIX[pulse.group(2).lower()]
    unread = _UNREAD_VOLTAGE.search(text)
    if unread and not any(name.startswith("V") for name in found):
        found["V"] = _number(unread.group(1))
    return found


def name_unread_voltage(conditions: dict[str, float], graph_type: str) -> dict[str, float]:
    """``conditions`` with a voltage of unread symbol (``V``) named where the graph leaves
    one choice (a transfer graph's note voltage is its VDS); dropped where it does not."""
    if "V" not in conditions:
        return conditions
    named = {k: v for k, v in conditions.items() if k != "V"}
    name = _NOTE_VOLTAGE.get(graph_type)
    if name is not None and name not in named:
        named[name] = conditions["V"]
    return named


def printed_temperature(labels: Iterable[str]) -> tuple[str, list[ReviewNote]]:
    """The temperature a graph's curve labels name ("TA = -55 °C" → ``Ta``) when they name
    one only, else Tj: the "25 °C" printed beside "TA = -55 °C" is the same ambient
    temperature, and one graph's curves must carry one key. Labels naming two (TC and TA)
    leave a bare temperature's meaning open: Tj is then an assumption, and a review note says
    so."""
    named = {
        name
        for label in labels
        for name in parse_conditions(label, lone_temperature=False)
        if name in _TEMPERATURES
    }
    if len(named) == 1:
        return named.pop(), []
    if not named:
        return "Tj", []
    note = ReviewNote(
        ReviewReason.CONDITION_ASSUMED,
        f"curve labels name {' and '.join(sorted(named))}: bare temperatures taken as Tj",
    )
    return "Tj", [note]


def parse_label(text: str, *, temperature: str = "Tj") -> tuple[float | None, dict[str, float]]:
    """A curve label's value and conditions: "VGS = 10 V" → (10, {"VGS": 10}); "125 °C" →
    (125, {"Tj": 125}), or {``temperature``: 125} where the graph's labels name another
    (:func:`printed_temperature`); "Ciss" → (None, {})."""
    conditions = parse_conditions(text, temperature=temperature)
    if len(conditions) == 1:
        return next(iter(conditions.values())), conditions
    return parse_value(text), conditions


def bare_value(text: str) -> tuple[float, str] | None:
    """A label that is only a value with a unit ("0.5V", "-1.0 V"): (value, unit)."""
    match = re.fullmatch(_NUMBER + _UNIT, text.strip())
    if match is None or match.group(3) is None:
        return None
    return _number(match.group(1)) * _PREFIX[match.group(2)], match.group(3)


def _number(text: str) -> float:
    return float(text.replace("−", "-").replace(",", "."))
