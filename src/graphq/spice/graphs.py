"""From digitized graphs (the digitizer's or the datasheet reader's result as plain dicts) to a
:class:`FitInput`.

A curve's conditions are read, never assumed in silence (:mod:`graphq.spice.graph_curves`
reads them from the curve's own mapping, its label, the graph's notes and the digitizer's
value); this module gathers each kind of graph into the fit's input, the graphs against
junction temperature by :mod:`graphq.spice.temperature_graphs`.

Every decision the graphs do not settle lands in ``FitInput.review``: a curve that cannot
belong to its graph (no label when its graph has several, no readable condition, a shape
the physics forbids, see :mod:`graphq.spice.screening`) is left out with ``curve_rejected``;
a condition taken by convention where the part makes it doubtful is ``condition_assumed``;
capacitances named by their height are ``labels_by_order``.
"""

from __future__ import annotations

import numpy as np

from graphq.errors import GraphqError
from graphq.review import ReviewReason
from graphq.spice.curves import display_scale
from graphq.spice.graph_curves import (
    CurveReader,
    GraphCurves,
    PrintedCurve,
    axis_of,
    describe,
    graph_name,
    read_curve,
    scaled_points,
    y_scale,
)
from graphq.spice.inputs import (
    AxisScale,
    CapacitanceCurve,
    DiodeCurve,
    FitInput,
    OutputCurve,
    RdsonCurve,
    TransferCurve,
    is_depletion_device_type,
    is_pchan_device_type,
)
from graphq.spice.labels import capacitance_name
from graphq.spice.temperature_graphs import read_against_temperature
from graphq.spice.temperature_order import lost_minus_signs

__all__ = ["GraphCurves", "fit_input_from_graphs", "require_channel_curves"]

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


def _capacitance_names(curves: list[PrintedCurve]) -> tuple[list[str], list[int]]:
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


def _graph_scales(raw: dict[str, list[PrintedCurve]], given: dict[str, AxisScale]) -> dict:
    scales = {}
    for graph_type, curves in raw.items():
        kind = _KIND_OF_GRAPH[graph_type]
        if curves:
            y = np.abs(np.concatenate([c.points[:, 1] for c in curves]))
            scales[kind] = display_scale(kind, y, given.get(kind))
    return scales


def _looks_depletion(device_type: str, output: list[PrintedCurve], pchan: bool) -> bool:
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
    raw: dict[str, list[PrintedCurve]] = {k: [] for k in _KIND_OF_GRAPH}
    several: dict[str, bool] = {k: False for k in _KIND_OF_GRAPH}
    for index, graph in enumerate(graphs):
        kind = _KIND_OF_GRAPH.get(graph.graph_type)
        if kind is None:
            result.warnings.append(f"{graph.graph_type} graphs are not used by the fit")
            continue
        scale = y_scale(graph)
        if scale is not None:
            result.y_scales.setdefault(kind, scale)
        if axis_of(graph.axes, "x").get("scale") == "log" and kind not in result.x_log:
            result.x_log.append(kind)
        several[graph.graph_type] |= len(graph.curves) > 1
        label = graph.name or f"{graph_name(graph.graph_type)} {index + 1}"
        for curve in graph.curves:
            points = scaled_points(graph, curve)
            if len(points) >= 2:
                raw[graph.graph_type].append(read_curve(graph, curve, points, label))

    known_vgs = [c.conditions["vgs"] for c in raw["output"] if "vgs" in c.conditions]
    pchan = (
        is_pchan_device_type(device_type)
        or (bool(known_vgs) and max(known_vgs) < 0)
        or any(np.median(c.points[:, 0]) < 0 for c in raw["output"])
        or any(c.conditions.get("vds", 0.0) < 0 for c in raw["transfer"])
    )
    result.pchan = pchan
    reader = CurveReader(result, _graph_scales(raw, result.y_scales))
    _read_output(reader, raw["output"])
    _read_transfer(reader, raw["transfer"], several["transfer"])
    depletion = _looks_depletion(device_type, raw["output"], pchan)
    _read_capacitance(reader, raw["capacitance"], depletion)
    _read_rdson(reader, raw["rdson_current"])
    _read_body_diode(reader, raw["body_diode"], several["body_diode"])
    read_against_temperature(reader, raw["rdson_temperature"])
    require_channel_curves(result)
    return result


def _magnitude(points: np.ndarray) -> np.ndarray:
    return np.abs(points)


def _read_output(reader: CurveReader, curves: list[PrintedCurve]) -> None:
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
                    pulse_s=curve.conditions.get("pulse"),
                    y_scale=curve.scale,
                    x_log=curve.x_log,
                    graph=curve.graph,
                )
            )


def _read_transfer(reader: CurveReader, curves: list[PrintedCurve], several: bool) -> None:
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
                f"{describe('transfer', curve)} states no VDS; "
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
                    x_log=curve.x_log,
                    graph=curve.graph,
                )
            )
    _drop_lost_minus_signs(reader)


def _drop_lost_minus_signs(reader: CurveReader) -> None:
    """Leave out each transfer curve whose temperature breaks its family's order where the
    same temperature below zero would not (:mod:`graphq.spice.temperature_order`)."""
    result = reader.result
    dropped: list[TransferCurve] = []
    for vds in {c.vds_v for c in result.transfer}:
        family = [c for c in result.transfer if c.vds_v == vds]
        currents = np.concatenate([np.asarray(c.points, float)[:, 1] for c in family])
        scale = display_scale("transfer", currents, family[0].y_scale or reader.scales["transfer"])
        for index in lost_minus_signs(family, scale):
            curve = family[index]
            dropped.append(curve)
            read = float(curve.temperature_c or 0.0)
            result.review.add(
                ReviewReason.CURVE_REJECTED,
                f"transfer curve {curve.label!r} was left out of the fit: at Tj = {read:g} °C "
                f"it lies out of its family's order (drain current falls as Tj rises), where "
                f"{-read:g} °C would fit; "
                "its label's minus sign may have been lost",
            )
    result.transfer = [c for c in result.transfer if all(c is not d for d in dropped)]


def _read_capacitance(reader: CurveReader, curves: list[PrintedCurve], depletion: bool) -> None:
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
                    graph=curve.graph,
                )
            )


def _read_rdson(reader: CurveReader, curves: list[PrintedCurve]) -> None:
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
                x_log=curve.x_log,
                graph=curve.graph,
            )
        )


def _read_body_diode(reader: CurveReader, curves: list[PrintedCurve], several: bool) -> None:
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
                    x_log=curve.x_log,
                    graph=curve.graph,
                )
            )


def require_channel_curves(inputs: FitInput) -> None:
    if not inputs.output and not inputs.transfer:
        raise GraphqError(
            "MISSING_CURVES",
            "fitting needs output or transfer curves with their conditions; none were given",
        )
