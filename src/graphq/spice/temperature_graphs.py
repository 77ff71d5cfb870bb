"""Graphs against junction temperature: Rds(on) and threshold curves (one graph often holds
both, as "RDS(ON) @ ID = 120 mA" and "VGS(OFF) @ 10 µA"), relative to 25 °C where their axis
has no unit. A gate voltage or drain current the graph does not state is assumed and said
(the datasheet's table may state the gate voltage later, :mod:`graphq.spice.table_conditions`).
"""

from __future__ import annotations

import numpy as np

from graphq.review import ReviewReason
from graphq.spice.graph_curves import CurveReader, PrintedCurve, describe
from graphq.spice.inputs import RdsonTemperatureCurve, ThresholdTemperatureCurve
from graphq.spice.labels import names_threshold

# An Rds(on)-against-Tj graph that states no gate voltage was drawn at the one every
# datasheet's Rds(on) is specified at; the result says so.
ASSUMED_RDSON_VGS_V = 10.0


def read_against_temperature(reader: CurveReader, curves: list[PrintedCurve]) -> None:
    """Rds(on) and threshold curves against junction temperature (one graph often holds
    both, as "RDS(ON) @ ID = 120 mA" and "VGS(OFF) @ 10 µA")."""
    result = reader.result
    for curve in curves:
        points = np.column_stack([curve.points[:, 0], np.abs(curve.points[:, 1])])
        if names_threshold(curve.label):
            result.threshold_temperature.append(
                ThresholdTemperatureCurve(
                    points=points.tolist(),
                    normalised=not curve.absolute,
                    label=curve.label,
                    y_scale=curve.scale,
                )
            )
            continue
        described = describe("Rds(on)-against-Tj", curve)
        vgs = curve.conditions.get("vgs")
        if vgs is None:
            result.review.add(ReviewReason.CONDITION_ASSUMED, assumed_vgs(described))
        current = curve.conditions.get("id")
        if current is None:
            # Rds(on) at a small current: the channel's own resistance, no self-heating.
            current = 0.0
            result.review.add(
                ReviewReason.CONDITION_ASSUMED, f"{described} states no ID; assumed a small current"
            )
        result.rdson_temperature.append(
            RdsonTemperatureCurve(
                vgs_v=abs(vgs if vgs is not None else ASSUMED_RDSON_VGS_V),
                id_a=abs(current),
                points=points.tolist(),
                normalised=not curve.absolute,
                label=curve.label,
                y_scale=curve.scale,
                vgs_stated=vgs is not None,
                described=described,
            )
        )


def assumed_vgs(described: str) -> str:
    """What the review says of the Rds(on)-against-Tj curve ``described`` whose VGS is
    assumed."""
    return f"{described} states no VGS; assumed {ASSUMED_RDSON_VGS_V:g} V"
