"""From digitized graphs (the digitizer's result as plain dicts) to a :class:`FitInput`.

Conditions come from labels first (``"VGS = 10 V"``), then from the digitizer's numeric
``value``; units from the axis units (``pF``, ``mA``, ``mΩ``). Decisions where a graph is
silent are recorded in ``FitInput.warnings``.
"""

from __future__ import annotations

from typing import Any

import msgspec
import numpy as np

from graphq.errors import GraphqError
from graphq.spice.inputs import (
    AxisScale,
    CapacitanceCurve,
    DiodeCurve,
    FitInput,
    OutputCurve,
    RdsonCurve,
    TransferCurve,
    is_pchan_device_type,
)
from graphq.spice.labels import (
    bare_voltage,
    capacitance_name,
    is_placeholder,
    parse_conditions,
    unit_factor,
)

# Datasheets draw transfer curves in saturation, most often at VDS = 10 V.
DEFAULT_TRANSFER_VDS_V = 10.0
_CAPACITANCE_ORDER = {3: ["ciss", "coss", "crss"], 2: ["ciss", "crss"], 1: ["ciss"]}
_KIND_OF_GRAPH = {
    "output": "output",
    "transfer": "transfer",
    "capacitance": "capacitance",
    "body_diode": "body_diode",
    "rdson_current": "rdson",
}


class GraphCurves(msgspec.Struct):
    """One digitized graph: its type, axes (``{"x": {min, max, scale, quantity, unit},
    "y": {…}}``) and curves (``[{"label", "value", "points"}, …]``)."""

    graph_type: str
    axes: dict[str, Any]
    curves: list[dict[str, Any]]


def _axis(axes: dict[str, Any], name: str) -> dict[str, Any]:
    axis = axes.get(name) or {}
    return axis if isinstance(axis, dict) else {}


def _scaled_points(graph: GraphCurves, curve: dict[str, Any]) -> np.ndarray:
    points = np.asarray(curve.get("points") or [], dtype=float).reshape(-1, 2)
    x_factor = unit_factor(str(_axis(graph.axes, "x").get("unit", "")))
    y_unit = str(_axis(graph.axes, "y").get("unit", ""))
    y_factor = unit_factor(y_unit)
    if graph.graph_type == "capacitance" and not y_unit.strip():
        # Capacitance axes without a unit are in pF on every datasheet graphq has seen.
        y_factor = 1e-12
    points = points[np.all(np.isfinite(points), axis=1)]
    return points * np.array([x_factor, y_factor])


def _voltage_condition(curve: dict[str, Any], key: str) -> float | None:
    label = str(curve.get("label") or "")
    conditions = parse_conditions(label)
    if key in conditions:
        return conditions[key]
    voltage = bare_voltage(label)
    if voltage is not None:
        return voltage
    value = curve.get("value")
    if value is not None and "temperature" not in conditions and not is_placeholder(label):
        return float(value)
    return None


def _y_scale(graph: GraphCurves) -> AxisScale | None:
    axis = _axis(graph.axes, "y")
    if "min" not in axis or "max" not in axis:
        return None
    factor = unit_factor(str(axis.get("unit", "")))
    if graph.graph_type == "capacitance" and not str(axis.get("unit", "")).strip():
        factor = 1e-12
    return AxisScale(
        log=axis.get("scale") == "log",
        low=float(axis["min"]) * factor,
        high=float(axis["max"]) * factor,
    )


def _capacitance_names(curves: list[dict[str, Any]], points: list[np.ndarray]) -> list[str]:
    """Names from labels; unlabelled curves take the names left, highest curve first."""
    names = [capacitance_name(str(c.get("label") or "")) for c in curves]
    left = [n for n in _CAPACITANCE_ORDER.get(len(curves), []) if n not in names]
    unnamed = [i for i, n in enumerate(names) if n is None]
    by_height = sorted(unnamed, key=lambda i: -float(np.median(np.log(np.abs(points[i][:, 1])))))
    for index, name in zip(by_height, left, strict=False):
        names[index] = name
    return [n or "" for n in names]


def fit_input_from_graphs(graphs: list[GraphCurves], device_type: str = "Si-MOSFET") -> FitInput:
    """Collect every usable curve of ``graphs`` into one :class:`FitInput`.

    P-channel when ``device_type`` says so or the conditions are negative (all output
    curves at negative Vgs, output curves at negative Vds, transfer curves at negative Vds).
    Raises ``MISSING_CURVES`` when no output or transfer curve is usable.
    """
    result = FitInput(device_type=device_type)
    raw: dict[str, list[tuple[dict[str, Any], np.ndarray]]] = {k: [] for k in _KIND_OF_GRAPH}
    for graph in graphs:
        kind = _KIND_OF_GRAPH.get(graph.graph_type)
        if kind is None:
            result.warnings.append(f"{graph.graph_type} graphs are not used by the fit")
            continue
        scale = _y_scale(graph)
        if scale is not None:
            result.y_scales.setdefault(_KIND_OF_GRAPH[graph.graph_type], scale)
        for curve in graph.curves:
            points = _scaled_points(graph, curve)
            if len(points) >= 2:
                raw[graph.graph_type].append((curve, points))

    output_vgs = [_voltage_condition(c, "vgs") for c, _ in raw["output"]]
    transfer_vds = [
        parse_conditions(str(c.get("label") or "")).get("vds") for c, _ in raw["transfer"]
    ]
    known_vgs = [v for v in output_vgs if v is not None]
    pchan = (
        is_pchan_device_type(device_type)
        or (bool(known_vgs) and max(known_vgs) < 0)
        or any(np.median(p[:, 0]) < 0 for _, p in raw["output"])
        or any(v is not None and v < 0 for v in transfer_vds)
    )
    result.pchan = pchan

    def magnitude(points: np.ndarray) -> list[list[float]]:
        return np.abs(points).tolist()

    for (curve, points), vgs in zip(raw["output"], output_vgs, strict=True):
        label = str(curve.get("label") or "")
        if vgs is None:
            result.warnings.append(f"output curve {label!r} has no Vgs and was skipped")
            continue
        result.output.append(
            OutputCurve(vgs_v=abs(vgs) if pchan else vgs, points=magnitude(points), label=label)
        )

    for curve, points in raw["transfer"]:
        label = str(curve.get("label") or "")
        conditions = parse_conditions(label)
        vds = conditions.get("vds", bare_voltage(label))
        if vds is None:
            vds = DEFAULT_TRANSFER_VDS_V
            result.warnings.append(
                f"transfer curve {label!r} states no Vds; assumed {DEFAULT_TRANSFER_VDS_V:g} V"
            )
        vgs_points = (
            np.abs(points) if pchan else np.column_stack([points[:, 0], np.abs(points[:, 1])])
        )
        result.transfer.append(
            TransferCurve(
                vds_v=abs(vds),
                points=vgs_points.tolist(),
                temperature_c=conditions.get("temperature"),
                label=label,
            )
        )

    cap_curves = raw["capacitance"]
    names = _capacitance_names([c for c, _ in cap_curves], [p for _, p in cap_curves])
    for (curve, points), name in zip(cap_curves, names, strict=True):
        label = str(curve.get("label") or "")
        if not name:
            result.warnings.append(f"capacitance curve {label!r} is not Ciss, Coss or Crss")
            continue
        result.capacitance.append(
            CapacitanceCurve(name=name, points=magnitude(points), label=label)  # type: ignore[arg-type]
        )

    for curve, points in raw["rdson_current"]:
        label = str(curve.get("label") or "")
        vgs = _voltage_condition(curve, "vgs")
        if vgs is None:
            result.warnings.append(f"Rds(on) curve {label!r} has no Vgs and was skipped")
            continue
        conditions = parse_conditions(label)
        result.rdson.append(
            RdsonCurve(
                vgs_v=abs(vgs),
                points=magnitude(points),
                temperature_c=conditions.get("temperature"),
                label=label,
            )
        )

    for curve, points in raw["body_diode"]:
        label = str(curve.get("label") or "")
        result.body_diode.append(
            DiodeCurve(
                points=magnitude(points),
                temperature_c=parse_conditions(label).get("temperature"),
                label=label,
            )
        )

    require_channel_curves(result)
    return result


def require_channel_curves(inputs: FitInput) -> None:
    if not inputs.output and not inputs.transfer:
        raise GraphqError(
            "MISSING_CURVES",
            "fitting needs output or transfer curves with their conditions; none were given",
        )
