"""One digitized graph's curves as printed: points in SI units, conditions read from each
curve's own mapping, its label, the graph's notes and the digitizer's value, in that order.

A graph-level value of the quantity that tells a graph's curves apart (Vgs of output curves,
Tj of transfer curves) is not applied to each of several curves. Units come from the axis
units (``pF``, ``mA``, ``mΩ``). :class:`CurveReader` collects a part's curves and leaves out,
with a ``curve_rejected`` reason, what cannot belong.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import msgspec
import numpy as np

from graphq.review import ReviewReason
from graphq.spice.curves import display_scale
from graphq.spice.inputs import AxisScale, FitInput
from graphq.spice.labels import (
    bare_voltage,
    conditions_from_mapping,
    drain_current,
    is_placeholder,
    parse_conditions,
    unit_factor,
)
from graphq.spice.screening import shape_problem

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
    conditions printed for the whole graph (``{"VDS": 25.0, "f": 1e6}``). ``name`` is how the
    report names the graph (:func:`graph_name`): two graphs of one part can hold curves of the
    same name, and a reason or a legend entry must say which is meant."""

    graph_type: str
    axes: dict[str, Any]
    curves: list[dict[str, Any]]
    conditions: dict[str, Any] | None = None
    name: str = ""


def graph_name(graph_type: str, page: int | None = None, caption: str = "") -> str:
    """``output graph, page 3 ("Figure 1. On-Region Characteristics")``: its type, where it
    is and its caption, as far as they are known."""
    name = f"{graph_type.replace('_', ' ')} graph"
    if page is not None:
        name += f", page {page}"
    caption = " ".join(caption.split())
    return f'{name} ("{caption}")' if caption else name


@dataclass(frozen=True)
class PrintedCurve:
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
    # Its graph draws x on a log axis.
    x_log: bool = False
    # Its graph's name (``GraphCurves.name``).
    graph: str = ""


def axis_of(axes: dict[str, Any], name: str) -> dict[str, Any]:
    axis = axes.get(name) or {}
    return axis if isinstance(axis, dict) else {}


def y_factor(graph: GraphCurves) -> float:
    y_unit = str(axis_of(graph.axes, "y").get("unit", ""))
    if graph.graph_type == "capacitance" and not y_unit.strip():
        # Capacitance axes without a unit are in pF on every datasheet graphq has seen.
        return 1e-12
    return unit_factor(y_unit)


def scaled_points(graph: GraphCurves, curve: dict[str, Any]) -> np.ndarray:
    points = np.asarray(curve.get("points") or [], dtype=float).reshape(-1, 2)
    x_factor = unit_factor(str(axis_of(graph.axes, "x").get("unit", "")))
    points = points[np.all(np.isfinite(points), axis=1)]
    return points * np.array([x_factor, y_factor(graph)])


def y_scale(graph: GraphCurves) -> AxisScale | None:
    """The y axis as drawn, in magnitudes (a P-channel axis from -20 A to 0 A is 0 … 20 A)."""
    axis = axis_of(graph.axes, "y")
    if "min" not in axis or "max" not in axis:
        return None
    low, high = float(axis["min"]) * y_factor(graph), float(axis["max"]) * y_factor(graph)
    if high <= 0.0:
        low, high = -high, -low
    return AxisScale(log=axis.get("scale") == "log", low=low, high=high)


def read_curve(
    graph: GraphCurves, curve: dict[str, Any], points: np.ndarray, graph_label: str
) -> PrintedCurve:
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
    absolute = bool(str(axis_of(graph.axes, "y").get("unit", "")).strip())
    x_log = axis_of(graph.axes, "x").get("scale") == "log"
    scale = y_scale(graph)
    return PrintedCurve(label, points, conditions, named, scale, absolute, x_log, graph_label)


def describe(kind: str, curve: PrintedCurve) -> str:
    what = f"{kind} curve {curve.label!r}" if curve.label else f"an unlabelled {kind} curve"
    return f"{what} of the {curve.graph}" if curve.graph else what


class CurveReader:
    """Collects the curves of one part, leaving out with a reason what cannot belong."""

    def __init__(self, result: FitInput, scales: dict[str, AxisScale]) -> None:
        self.result = result
        self.scales = scales

    def reject(self, kind: str, curve: PrintedCurve, why: str) -> None:
        message = f"{describe(kind, curve)} was left out of the fit: {why}"
        self.result.review.add(ReviewReason.CURVE_REJECTED, message)

    def scale(self, kind: str, curve: PrintedCurve) -> AxisScale:
        """The curve's graph's axis where usable, else the one its kind's curves share."""
        if curve.scale is None:
            return self.scales[kind]
        return display_scale(kind, np.abs(curve.points[:, 1]), curve.scale)

    def plausible(self, kind: str, curve: PrintedCurve, points: np.ndarray) -> bool:
        problem = shape_problem(kind, points, self.scale(kind, curve))
        if problem is not None:
            self.reject(kind, curve, problem)
        return problem is None
