"""Writing model files that ngspice and LTspice load."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping

from graphq.spice.vdmos import TNOM_C

# The order parameters appear in a card: channel, resistances, capacitances, body diode.
VDMOS_CARD_ORDER = (
    "vto",
    "kp",
    "ksubthres",
    "lambda",
    "mtriode",
    "theta",
    "rd",
    "rs",
    "cgs",
    "cgdmax",
    "cgdmin",
    "a",
    "cjo",
    "vj",
    "m",
    "is",
    "n",
    "rb",
)
_PARAMS_PER_LINE = 6


def spice_name(part: str) -> str:
    """A model name SPICE accepts: letters, digits and ``_-.``, starting with a letter."""
    cleaned = re.sub(r"[^A-Za-z0-9_.\-]+", "_", part.strip()).strip("_")
    if not cleaned:
        return "GRAPHQ_MODEL"
    return cleaned if cleaned[0].isalpha() else f"M{cleaned}"


def header(part: str, model_type: str, when: dt.date | None = None) -> str:
    day = (when or dt.date.today()).isoformat()
    return f"* {part}: {model_type} model fitted by graphq from datasheet curves, {day}"


def format_value(value: float) -> str:
    return f"{value:.6g}"


def vdmos_model_text(
    name: str, params: Mapping[str, float], *, pchan: bool, when: dt.date | None = None
) -> str:
    """A ``.lib`` file holding one ``.model NAME VDMOS(...)`` card with ``tnom=25``.

    ``params`` hold card values (``vto`` negative for an enhancement P-channel part).
    """
    model = spice_name(name)
    items = [f"{key}={format_value(params[key])}" for key in VDMOS_CARD_ORDER if key in params]
    items.append(f"tnom={format_value(TNOM_C)}")
    first = "pchan" if pchan else "nchan"
    rows = [items[i : i + _PARAMS_PER_LINE] for i in range(0, len(items), _PARAMS_PER_LINE)]
    lines = [header(name, "VDMOS", when), f".model {model} VDMOS({first}"]
    lines += ["+ " + " ".join(row) for row in rows]
    lines[-1] += ")"
    return "\n".join(lines) + "\n"
