"""The graph type (SPEC §4's list) from the axis quantities and the caption.

The axes decide when both quantities are known (ID against VDS is an output plot whatever
the caption says), except where the caption names a graph of no listed type drawn on a listed
type's axes (a safe operating area is ID against VDS too): that graph is ``custom``, surely.
The caption decides otherwise. A graph neither names is ``custom`` with a
GRAPH_TYPE_UNCERTAIN note.
"""

from __future__ import annotations

import re

from graphq.digitizer.types import Axes, GraphType
from graphq.review import ReviewNote, ReviewReason

# (x quantity prefix, y quantity prefix) → type; quantities upper-cased, "(ON)" kept.
_BY_AXES: tuple[tuple[str, str, GraphType], ...] = (
    ("VDS", "ID", "output"),
    ("VGS", "ID", "transfer"),
    ("VDS", "C", "capacitance"),
    ("VSD", "IS", "body_diode"),
    ("VSD", "IF", "body_diode"),
    ("T", "RDS", "rdson_temperature"),
    ("ID", "RDS", "rdson_current"),
    ("QG", "VGS", "gate_charge"),
    ("T", "BV", "breakdown_temperature"),
    ("T", "V(BR)", "breakdown_temperature"),
    ("TP", "Z", "thermal_impedance"),
    ("T", "Z", "thermal_impedance"),
    # Valves: anode (plate) current against anode voltage, or against grid voltage.
    ("UA", "IA", "output"),
    ("VA", "IA", "output"),
    ("UG", "IA", "transfer"),
    ("VG", "IA", "transfer"),
)
# Captions of graphs outside SPEC §4's list whose axes are a listed type's: a safe operating
# area plots ID against VDS (log-log) like an output graph, but its lines are limits.
_UNLISTED = re.compile(r"safe\s+operating\s+(?:area|region)|\bsoa\b", re.IGNORECASE)
# Caption phrases, checked in order (lower case; the first phrase of a row must appear
# with the second when there is one).
_BY_CAPTION: tuple[tuple[str, str, GraphType], ...] = (
    ("output characteristic", "", "output"),
    ("on-region", "", "output"),
    ("on region", "", "output"),
    ("transfer characteristic", "", "transfer"),
    # A valve's output curves: anode ("plate" in American sheets) current against voltage.
    ("plate characteristic", "", "output"),
    ("anode characteristic", "", "output"),
    ("capacitance", "", "capacitance"),
    ("body-diode", "", "body_diode"),
    ("body diode", "", "body_diode"),
    ("source-drain diode", "", "body_diode"),
    ("gate charge", "", "gate_charge"),
    ("gate-charge", "", "gate_charge"),
    ("on-resistance", "temperature", "rdson_temperature"),
    ("on resistance", "temperature", "rdson_temperature"),
    ("on-resistance", "current", "rdson_current"),
    ("on resistance", "current", "rdson_current"),
    ("rds(on)", "temperature", "rdson_temperature"),
    ("rds(on)", "current", "rdson_current"),
    ("breakdown", "temperature", "breakdown_temperature"),
    ("break down", "temperature", "breakdown_temperature"),
    ("thermal", "impedance", "thermal_impedance"),
    ("thermal", "response", "thermal_impedance"),
)


def classify(caption: str, axes: Axes | None) -> tuple[GraphType, list[ReviewNote]]:
    if _UNLISTED.search(caption):
        return "custom", []
    if axes is not None:
        x, y = axes.x.quantity.upper(), axes.y.quantity.upper()
        for x_prefix, y_prefix, kind in _BY_AXES:
            matches = x and y and x.startswith(x_prefix) and y.startswith(y_prefix)
            if matches and not (kind == "breakdown_temperature" and x.startswith("TP")):
                return kind, []
    lowered = caption.lower()
    for first, second, kind in _BY_CAPTION:
        if first in lowered and second in lowered:
            return kind, []
    return "custom", [
        ReviewNote(
            ReviewReason.GRAPH_TYPE_UNCERTAIN,
            f"graph type not recognised from caption {caption!r} and the axis titles",
        )
    ]
