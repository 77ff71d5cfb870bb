"""Writing model files that ngspice and LTspice load.

Invariant: no text a user controls can begin a line of a model file. A model name must match
:data:`MODEL_NAME_PATTERN` (:func:`check_model_name`, used by every route and job kind that
takes one), the comment header carries only the name's SPICE-safe form, and
:func:`check_model_text` refuses any directive other than the ones graphq writes itself, so a
file with ``.control`` (ngspice's ``shell``), ``.include`` or ``.lib`` in it is never
simulated, stored or served.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Annotated

import msgspec

from graphq.errors import GraphqError
from graphq.spice.vdmos import TNOM_C

# Letters, digits and ``_.+-``: enough for any part number, and nothing a simulator reads as
# syntax (no whitespace, no line break, no ``*``, ``;``, ``$`` or quote).
MODEL_NAME_PATTERN = r"^[A-Za-z0-9_.+-]{1,100}$"
ModelName = Annotated[str, msgspec.Meta(min_length=1, max_length=100, pattern=MODEL_NAME_PATTERN)]

# The only directives a model file graphq writes holds; anything else (``.control``,
# ``.include``, ``.lib``, ``.option`` …) means the text did not come from graphq's writers.
_ALLOWED_DIRECTIVES = frozenset({".model", ".subckt", ".ends"})

# The order parameters appear in a card: channel, resistances, capacitances, body diode,
# temperature terms.
VDMOS_CARD_ORDER = (
    "vto",
    "kp",
    "ksubthres",
    "lambda",
    "mtriode",
    "theta",
    "rd",
    "rs",
    "rq",
    "vq",
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
    "tcvth",
    "mu",
    "texp0",
    "eg",
    "rthjc",
)
_PARAMS_PER_LINE = 6


def spice_name(part: str) -> str:
    """A model name SPICE accepts: letters, digits and ``_-.``, starting with a letter."""
    cleaned = re.sub(r"[^A-Za-z0-9_.\-]+", "_", part.strip()).strip("_")
    if not cleaned:
        return "GRAPHQ_MODEL"
    return cleaned if cleaned[0].isalpha() else f"M{cleaned}"


def check_model_name(name: str) -> str:
    """``name`` unchanged when it matches :data:`MODEL_NAME_PATTERN`; otherwise
    ``INVALID_PARAMETERS`` (a model name ends up in a file a simulator reads)."""
    if re.fullmatch(MODEL_NAME_PATTERN, name) is None:
        raise GraphqError(
            "INVALID_PARAMETERS",
            "a model name is 1 to 100 letters, digits or the characters _ . + -",
        )
    return name


def check_model_text(text: str) -> str:
    """``text`` unchanged when every directive in it is one graphq writes; otherwise
    ``MODEL_REJECTED`` naming the first offending line."""
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith("."):
            directive = stripped.split(maxsplit=1)[0].lower()
            if directive not in _ALLOWED_DIRECTIVES:
                raise GraphqError(
                    "MODEL_REJECTED",
                    f"line {number} of the model file holds the directive {directive!r}, "
                    "which graphq never writes",
                )
    return text


def header(part: str, model_type: str, when: dt.date | None = None) -> str:
    """The comment line a model file starts with; the part appears in its SPICE-safe form."""
    day = (when or dt.date.today()).isoformat()
    return f"* {spice_name(part)}: {model_type} model fitted by graphq from datasheet curves, {day}"


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
