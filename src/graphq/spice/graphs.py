"""From digitized graphs (the digitizer's or the datasheet reader's result as plain dicts) to a
:class:`FitInput`.

A curve's conditions are read, never assumed in silence. They come from the curve's own
``conditions`` mapping (the datasheet reader's, keys as printed: ``{"VGS": -10.0}``), then
its label (``"VGS = 10 V"``), then the graph's ``conditions`` (a note such as ``VDS = 25 V``,
``f = 1 MHz``); the digitizer's numeric ``value`` last. A graph-level value of the quantity
that tells a graph's curves apart (Vgs of output curves, Tj of transfer curves) is not
applied to each of several curves. Units come from the axis units (``pF``, ``mA``, ``mΩ``).

Every decision the graphs do not settle lands in ``FitInput.review``: a curve that cannot
belong to its graph (no label when its graph has several, no readable condition, a shape
the physics forbids, see :mod:`graphq.spice.screening`) is left out with ``curve_rejected``;
a condition taken by convention where the part makes it doubtful is ``condition_assumed``;
capacitances named by their height are ``labels_by_order``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import msgspec
import numpy as np

from graphq.errors import GraphqError
from graphq.review import ReviewReason
from graphq.spice.curves import display_scale
from graphq.spice.inputs import (
    AxisScale,
    CapacitanceCurve,
    DiodeCurve,
    FitInput,
    OutputCurve,
    RdsonCurve,
    RdsonTemperatureCurve,
    ThresholdTemperatureCurve,
    TransferCurve,
    is_depletion_device_type,
    is_pchan_device_type,
)
from graphq.spice.labels import (
    bare_voltage,
    capacitance_name,
    conditions_from_mapping,
    drain_current,
    is_placeholder,
    names_threshold,
    parse_conditions,
    unit_factor,
)
from graphq.spice.screening import shape_problem

# A transfer curve is drawn in saturation; where neither label nor note states its Vds, the
# fit takes the value most datasheets print (10 V) and the result says so (the Vds of a
# saturated curve moves it only through λ).
ASSUMED_TRANSFER_VDS_V = 10.0
_CAPACITANCE_ORDER = {3: ["ciss", "coss", "crss"], 2: ["ciss", "crss"], 1: ["ciss"]}
_KIND_OF_GRAPH = {
    "output": "output",
    "transfer": "transfer",
    "capacitance": "capacitance",
    "body_diode": "body_diode",
    "rdson_current": "rdson",
    "rdson_temperature": "rdson_temperature",
}
# The condition that tells the curves of a graph apart; a graph-level value of it cannot
# belong to each of several curves.
_DISTINGUISHING = {
    "output": "vgs",
    "transfer": "temperature",
    "rdson_current": "vgs",
    "body_diode": "temperature",
}
# The condition a bare "10 V" label or the digitizer's value stands for.
_BARE_VOLTAGE = {"output": "vgs", "rdson_current": "vgs", "transfer": "vds"}


class GraphCurves(msgspec.Struct):
    """One digitized graph: its type, axes (``{"x": {min, max, scale, quantity, unit},
    "y": {…}}``), curves (``[{"label", "value", "points", "conditions"}, …]``) and the
    conditions printed for the whole graph (``{"VDS": 25.0, "f": 1e6}``)."""

    graph_type: str
    axes: dict[str, Any]
    curves: list[dict[str, Any]]
    conditions: dict[str, Any] | None = None


@dataclass(frozen=True)
class _ReadCurve:
    """One curve as printed: SI units, signed as on the page, with its conditions."""

    label: str
    points: np.ndarray
    conditions: dict[str, float]
    # It has a label, a conditions mapping or a value of its own, not a placeholder name.
    named: bool
    # Its graph's y axis as drawn (magnitudes), when the graph states it.
    scale: AxisScale | None = None
    # Its graph's y axis has a unit (Ω, V): absolute values, not relative to 25 °C.
    absolute: bool = False


def _axis(axes: dict[str, Any], name: str) -> dict[str, Any]:
    axis = axes.get(name) or {}
    return axis if isinstance(axis, dict) else {}


def _y_factor(graph: GraphCurves) -> float:
    y_unit = str(_axis(graph.axes, "y").get("unit", ""))
    if graph.graph_type == "capacitance" and not y_unit.strip():
        # Capacitance axes without a unit are in pF on every datasheet graphq has seen.
        return 1e-12
    return unit_factor(y_unit)


def _scaled_points(graph: GraphCurves, curve: dict[str, Any]) -> np.ndarray:
    points = np.asarray(curve.get("points") or [], dtype=float).reshape(-1, 2)
    x_factor = unit_factor(str(_axis(graph.axes, "x").get("unit", "")))
    points = points[np.all(np.isfinite(points), axis=1)]
    return points * np.array([x_factor, _y_factor(graph)])


def _y_scale(graph: GraphCurves) -> AxisScale | None:
    """The y axis as drawn, in magnitudes (a P-channel axis from -20 A to 0 A is 0 … 20 A)."""
    axis = _axis(graph.axes, "y")
    if "min" not in axis or "max" not in axis:
        return None
    low, high = float(axis["min"]) * _y_factor(graph), float(axis["max"]) * _y_factor(graph)
    if high <= 0.0:
        low, high = -high, -low
    return AxisScale(log=axis.get("scale") == "log", low=low, high=high)


def _read_curve(graph: GraphCurves, curve: dict[str, Any], points: np.ndarray) -> _ReadCurve:
    label = str(curve.get("label") or "")
    placeholder = is_placeholder(label)
    from_label = {} if placeholder else parse_conditions(label)
    own = {**from_label, **conditions_from_mapping(curve.get("conditions"))}
    shared = conditions_from_mapping(graph.conditions)
    distinguishing = _DISTINGUISHING.get(graph.graph_type)
    if distinguishing is not None and len(graph.curves) > 1:
        shared.pop(distinguishing, None)
    conditions = {**shared, **own}
    value = curve.get("value")
    bare_key = _BARE_VOLTAGE.get(graph.graph_type)
    if bare_key is not None and bare_key not in conditions and not placeholder:
        voltage = bare_voltage(label)
        if voltage is not None:
            conditions[bare_key] = voltage
        elif value is not None and bare_key == "vgs" and "temperature" not in from_label:
            conditions[bare_key] = float(value)
    current = drain_current(label) or drain_current(str(graph.conditions or ""))
    if current is not None:
        conditions["id"] = current
    named = bool(own) or (not placeholder and (bool(label.strip()) or value is not None))
    absolute = bool(str(_axis(graph.axes, "y").get("unit", "")).strip())
    return _ReadCurve(label, points, conditions, named, _y_scale(graph), absolute)


def _capacitance_names(curves: list[_ReadCurve]) -> tuple[list[str], list[int]]:
    """Names from labels; unlabelled curves take the names left, highest curve first.
    Also returns which curves were named by their height."""
    names = [capacitance_name(c.label) for c in curves]
    left = [n for n in _CAPACITANCE_ORDER.get(len(curves), []) if n not in names]
    unnamed = [i for i, n in enumerate(names) if n is None]
    by_height = sorted(
        unnamed, key=lambda i: -float(np.median(np.log(np.abs(curves[i].points[:, 1]))))
    )
    ordered = []
    for index, name in zip(by_height, left, strict=False):
        names[index] = name
        ordered.append(index)
    return [n or "" for n in names], ordered


def _describe(kind: str, curve: _ReadCurve) -> str:
    return f"{kind} curve {curve.label!r}" if curve.label else f"an unlabelled {kind} curve"


class _Reader:
    """Collects the curves of one part, leaving out with a reason what cannot belong."""

    def __init__(self, result: FitInput, scales: dict[str, AxisScale]) -> None:
        self.result = result
        self.scales = scales

    def reject(self, kind: str, curve: _ReadCurve, why: str) -> None:
        message = f"{_describe(kind, curve)} was left out of the fit: {why}"
        self.result.review.add(ReviewReason.CURVE_REJECTED, message)

    def scale(self, kind: str, curve: _ReadCurve) -> AxisScale:
        """The curve's graph's axis where usable, else the one its kind's curves share."""
        if curve.scale is None:
            return self.scales[kind]
        return display_scale(kind, np.abs(curve.points[:, 1]), curve.scale)

    def plausible(self, kind: str, curve: _ReadCurve, points: np.ndarray) -> bool:
        problem = shape_problem(kind, points, self.scale(kind, curve))
        if problem is not None:
            self.reject(kind, curve, problem)
        return problem is None


def _graph_scales(raw: dict[str, list[_ReadCurve]], given: dict[str, AxisScale]) -> dict:
    scales = {}
    for graph_type, curves in raw.items():
        kind = _KIND_OF_GRAPH[graph_type]
        if curves:
            y = np.abs(np.concatenate([c.points[:, 1] for c in curves]))
            scales[kind] = display_scale(kind, y, given.get(kind))
    return scales


def _looks_depletion(device_type: str, output: list[_ReadCurve], pchan: bool) -> bool:
    """A depletion part: so named, or output curves drawn at Vgs ≤ 0 (N-channel sense)."""
    sign = -1.0 if pchan else 1.0
    gate = [sign * c.conditions["vgs"] for c in output if "vgs" in c.conditions]
    return is_depletion_device_type(device_type) or any(v <= 0.0 for v in gate)


def fit_input_from_graphs(graphs: list[GraphCurves], device_type: str = "Si-MOSFET") -> FitInput:
    """Collect every usable curve of ``graphs`` into one :class:`FitInput`.

    P-channel when ``device_type`` says so or the conditions are negative (all output
    curves at negative Vgs, output curves at negative Vds, transfer curves at negative Vds).
    Raises ``MISSING_CURVES`` when no output or transfer curve is usable.
    """
    result = FitInput(device_type=device_type)
    raw: dict[str, list[_ReadCurve]] = {k: [] for k in _KIND_OF_GRAPH}
    several: dict[str, bool] = {k: False for k in _KIND_OF_GRAPH}
    for graph in graphs:
        kind = _KIND_OF_GRAPH.get(graph.graph_type)
        if kind is None:
            result.warnings.append(f"{graph.graph_type} graphs are not used by the fit")
            continue
        scale = _y_scale(graph)
        if scale is not None:
            result.y_scales.setdefault(kind, scale)
        if _axis(graph.axes, "x").get("scale") == "log" and kind not in result.x_log:
            result.x_log.append(kind)
        several[graph.graph_type] |= len(graph.curves) > 1
        for curve in graph.curves:
            points = _scaled_points(graph, curve)
            if len(points) >= 2:
                raw[graph.graph_type].append(_read_curve(graph, curve, points))

    known_vgs = [c.conditions["vgs"] for c in raw["output"] if "vgs" in c.conditions]
    pchan = (
        is_pchan_device_type(device_type)
        or (bool(known_vgs) and max(known_vgs) < 0)
        or any(np.median(c.points[:, 0]) < 0 for c in raw["output"])
        or any(c.conditions.get("vds", 0.0) < 0 for c in raw["transfer"])
    )
    result.pchan = pchan
    reader = _Reader(result, _graph_scales(raw, result.y_scales))
    _read_output(reader, raw["output"])
    _read_transfer(reader, raw["transfer"], several["transfer"])
    depletion = _looks_depletion(device_type, raw["output"], pchan)
    _read_capacitance(reader, raw["capacitance"], depletion)
    _read_rdson(reader, raw["rdson_current"])
    _read_body_diode(reader, raw["body_diode"], several["body_diode"])
    _read_against_temperature(reader, raw["rdson_temperature"])
    require_channel_curves(result)
    return result


def _magnitude(points: np.ndarray) -> np.ndarray:
    return np.abs(points)


def _read_output(reader: _Reader, curves: list[_ReadCurve]) -> None:
    pchan = reader.result.pchan
    for curve in curves:
        vgs = curve.conditions.get("vgs")
        if vgs is None:
            reader.reject("output", curve, "it states no VGS")
            continue
        points = _magnitude(curve.points)
        if reader.plausible("output", curve, points):
            reader.result.output.append(
                OutputCurve(
                    vgs_v=abs(vgs) if pchan else vgs,
                    points=points.tolist(),
                    label=curve.label,
                    temperature_c=curve.conditions.get("temperature"),
                    y_scale=curve.scale,
                )
            )


def _read_transfer(reader: _Reader, curves: list[_ReadCurve], several: bool) -> None:
    result = reader.result
    for curve in curves:
        if several and not curve.named:
            reader.reject("transfer", curve, "its graph has several curves and it has no label")
            continue
        vds = curve.conditions.get("vds")
        if vds is None:
            vds = ASSUMED_TRANSFER_VDS_V
            result.review.add(
                ReviewReason.CONDITION_ASSUMED,
                f"{_describe('transfer', curve)} states no VDS; "
                f"assumed {ASSUMED_TRANSFER_VDS_V:g} V",
            )
        points = curve.points
        if result.pchan:
            points = np.abs(points)
        else:
            points = np.column_stack([points[:, 0], np.abs(points[:, 1])])
        if reader.plausible("transfer", curve, points):
            result.transfer.append(
                TransferCurve(
                    vds_v=abs(vds),
                    points=points.tolist(),
                    temperature_c=curve.conditions.get("temperature"),
                    label=curve.label,
                    y_scale=curve.scale,
                )
            )


def _read_capacitance(reader: _Reader, curves: list[_ReadCurve], depletion: bool) -> None:
    result = reader.result
    names, by_height = _capacitance_names(curves)
    if by_height:
        named = ", ".join(names[i].capitalize() for i in by_height)
        result.review.add(
            ReviewReason.LABELS_BY_ORDER,
            f"capacitance curves without a name were taken as {named} by their height",
        )
    for curve, name in zip(curves, names, strict=True):
        if not name:
            reader.reject("capacitance", curve, "it is not Ciss, Coss or Crss")
            continue
        vgs = curve.conditions.get("vgs")
        if vgs is None:
            # 0 V is the convention of every enhancement part's capacitance graph; a
            # depletion part conducts there and is measured below its threshold instead.
            vgs = 0.0
            if depletion:
                result.review.add(
                    ReviewReason.CONDITION_ASSUMED,
                    "the capacitances of a depletion part state no VGS; assumed 0 V, "
                    "where its channel conducts",
                )
        points = _magnitude(curve.points)
        if reader.plausible("capacitance", curve, points):
            result.capacitance.append(
                CapacitanceCurve(
                    name=name,  # type: ignore[arg-type]
                    points=points.tolist(),
                    label=curve.label,
                    vgs_v=-vgs if result.pchan else vgs,
                    y_scale=curve.scale,
                )
            )


def _read_rdson(reader: _Reader, curves: list[_ReadCurve]) -> None:
    for curve in curves:
        vgs = curve.conditions.get("vgs")
        if vgs is None:
            reader.reject("Rds(on)", curve, "it states no VGS")
            continue
        reader.result.rdson.append(
            RdsonCurve(
                vgs_v=abs(vgs),
                points=_magnitude(curve.points).tolist(),
                temperature_c=curve.conditions.get("temperature"),
                label=curve.label,
                y_scale=curve.scale,
            )
        )


def _read_body_diode(reader: _Reader, curves: list[_ReadCurve], several: bool) -> None:
    for curve in curves:
        if several and "temperature" not in curve.conditions:
            reader.reject("body-diode", curve, "its graph has several curves and it states no Tj")
            continue
        points = _magnitude(curve.points)
        if reader.plausible("body_diode", curve, points):
            reader.result.body_diode.append(
                DiodeCurve(
                    points=points.tolist(),
                    temperature_c=curve.conditions.get("temperature"),
                    label=curve.label,
                    y_scale=curve.scale,
                )
            )


# An Rds(on)-against-Tj graph that states no gate voltage was drawn at the one every
# datasheet's Rds(on) is specified at; the result says so.
ASSUMED_RDSON_VGS_V = 10.0


def _read_against_temperature(reader: _Reader, curves: list[_ReadCurve]) -> None:
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
        vgs = curve.conditions.get("vgs")
        if vgs is None:
            vgs = ASSUMED_RDSON_VGS_V
            result.review.add(
                ReviewReason.CONDITION_ASSUMED,
                f"{_describe('Rds(on)-against-Tj', curve)} states no VGS; "
                f"assumed {ASSUMED_RDSON_VGS_V:g} V",
            )
        current = curve.conditions.get("id")
        if current is None:
            # Rds(on) at a small current: the channel's own resistance, no self-heating.
            current = 0.0
            result.review.add(
                ReviewReason.CONDITION_ASSUMED,
                f"{_describe('Rds(on)-against-Tj', curve)} states no ID; assumed a small current",
            )
        result.rdson_temperature.append(
            RdsonTemperatureCurve(
                vgs_v=abs(vgs),
                id_a=abs(current),
                points=points.tolist(),
                normalised=not curve.absolute,
                label=curve.label,
                y_scale=curve.scale,
            )
        )


def require_channel_curves(inputs: FitInput) -> None:
    if not inputs.output and not inputs.transfer:
        raise GraphqError(
            "MISSING_CURVES",
            "fitting needs output or transfer curves with their conditions; none were given",
        )
