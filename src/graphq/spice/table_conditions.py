"""Conditions a graph leaves unstated, read from the datasheet's electrical table.

An Rds(on)-against-Tj graph that states its drain current but not its gate voltage
(DN2540: "RDS(ON) @ ID = 120mA") plots the table's RDS(on) against temperature when the
table rates RDS(on) at that same current ("RDS(ON) 17 25 Ω VGS = 0V, ID = 120mA"): the curve
takes that row's VGS, the fit's warnings say where it was read, and the assumption's review
reason goes. (DN2540's curve is its channel at VGS = 0 V; taken at the assumed 10 V it is
mostly the drift region's.) Where no row rates that current, or rows rate it at two gate
voltages, the assumption and its reason stay.
"""

from __future__ import annotations

import math

from graphq.review import ReviewReason
from graphq.spice.inputs import FitInput, RdsonCondition, RdsonTemperatureCurve
from graphq.spice.temperature_graphs import assumed_vgs

# The same current printed in other units (120 mA, 0.12 A) differs only by float rounding;
# a current printed differently is another test condition.
SAME_CURRENT_RELATIVE = 1e-3


def _row_at_current(
    curve: RdsonTemperatureCurve, rows: list[RdsonCondition]
) -> RdsonCondition | None:
    """The table's one gate voltage for the curve's stated current; None where it has none
    or several."""
    if curve.id_a <= 0.0:  # no current stated: nothing to match
        return None
    same = [r for r in rows if math.isclose(r.id_a, curve.id_a, rel_tol=SAME_CURRENT_RELATIVE)]
    if len({r.vgs_v for r in same}) != 1:
        return None
    return same[0]


def take_table_conditions(inputs: FitInput) -> None:
    """Give each Rds(on)-against-Tj curve of ``inputs`` that states no VGS the VGS of the
    table's RDS(on) row at its current, where exactly one gate voltage is rated there."""
    if inputs.table is None:
        return
    for curve in inputs.rdson_temperature:
        if curve.vgs_stated:
            continue
        row = _row_at_current(curve, inputs.table.rdson_conditions)
        if row is None:
            continue
        curve.vgs_v, curve.vgs_stated = row.vgs_v, True
        assumed = assumed_vgs(curve.described)
        inputs.review.reasons = [
            note
            for note in inputs.review.reasons
            if not (note.code == ReviewReason.CONDITION_ASSUMED and note.message == assumed)
        ]
        inputs.warnings.append(
            f"{curve.described} states no VGS; VGS = {row.vgs_v:g} V read from the electrical "
            f"table's RDS(on) row at the same ID = {row.id_a:g} A ({row.source})"
        )
