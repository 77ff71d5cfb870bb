"""The digitized curves as the fit and the report see them, and a model's prediction of them.

Each curve becomes a :class:`CurveData` with its condition and the display scale of its
graph. Errors are measured as the datasheet reader sees them: a fraction of the y axis's
span, or of the decades it shows when the axis is logarithmic (SPEC §4's measure).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

import numpy as np

from graphq.spice.inputs import AxisScale, FitInput

Params = Mapping[str, float]
# Points per curve the least-squares fit sees (the report scores every point).
FIT_POINTS_PER_CURVE = 64


@dataclass(frozen=True)
class DeviceEquations:
    """A device model's equations in the N-channel sense, all in SI units."""

    drain_current: Callable[[Params, np.ndarray, np.ndarray], np.ndarray]  # (vgs, vds) → Id
    # (vgs, vds) → Ciss/Coss/Crss
    capacitances: Callable[[Params, np.ndarray, np.ndarray], dict[str, np.ndarray]]
    on_resistance: Callable[[Params, np.ndarray, np.ndarray], np.ndarray]  # (vgs, id) → Ω
    diode_current: Callable[[Params, np.ndarray], np.ndarray]  # vsd → Isd (reverse conduction)


@dataclass(frozen=True)
class CurveData:
    """One digitized curve. ``kind`` is the graph kind, ``name`` says which curve it is
    (``VGS = 10 V``, ``Ciss`` …) and ``condition`` is its Vgs (output, Rds(on) and
    capacitance curves) or Vds (transfer curves)."""

    kind: str
    name: str
    condition: float
    x: np.ndarray
    y: np.ndarray
    scale: AxisScale
    capacitance: str = ""


def display_scale(kind: str, y: np.ndarray, given: AxisScale | None) -> AxisScale:
    """``given`` when it is a usable axis, else the axis the data would be drawn on."""
    if given is not None and given.high > given.low and (not given.log or given.low > 0):
        return given
    positive = y[y > 0]
    wide = positive.size > 0 and positive.max() / positive.min() > 100.0
    if kind in ("transfer", "capacitance", "body_diode") and wide:
        return AxisScale(log=True, low=float(positive.min()), high=float(positive.max()))
    return AxisScale(log=False, low=0.0, high=float(max(np.abs(y).max(), 1e-30)))


def _points(points: list[list[float]]) -> tuple[np.ndarray, np.ndarray]:
    array = np.asarray(points, dtype=float).reshape(-1, 2)
    array = array[np.argsort(array[:, 0], kind="stable")]
    return array[:, 0], array[:, 1]


def curve_table(inputs: FitInput, *, transfer_temperature_c: float = 25.0) -> list[CurveData]:
    """Every curve the fit uses. Curves measured at another temperature than
    ``transfer_temperature_c`` (±5 °C) are left out: the model is fitted at its ``tnom``."""
    groups: dict[str, list[tuple[str, float, np.ndarray, np.ndarray, str]]] = {}

    def near_tnom(temperature: float | None) -> bool:
        return temperature is None or abs(temperature - transfer_temperature_c) <= 5.0

    for c in inputs.output:
        if near_tnom(c.temperature_c):
            x, y = _points(c.points)
            groups.setdefault("output", []).append((f"VGS = {c.vgs_v:g} V", c.vgs_v, x, y, ""))
    for t in inputs.transfer:
        if near_tnom(t.temperature_c):
            x, y = _points(t.points)
            groups.setdefault("transfer", []).append((f"VDS = {t.vds_v:g} V", t.vds_v, x, y, ""))
    for cap in inputs.capacitance:
        x, y = _points(cap.points)
        groups.setdefault("capacitance", []).append(
            (cap.name.capitalize(), cap.vgs_v, x, y, cap.name)
        )
    for r in inputs.rdson:
        if near_tnom(r.temperature_c):
            x, y = _points(r.points)
            groups.setdefault("rdson", []).append((f"VGS = {r.vgs_v:g} V", r.vgs_v, x, y, ""))
    for d in inputs.body_diode:
        if near_tnom(d.temperature_c):
            x, y = _points(d.points)
            groups.setdefault("body_diode", []).append(("body diode", 0.0, x, y, ""))

    table: list[CurveData] = []
    for kind, members in groups.items():
        all_y = np.concatenate([m[3] for m in members])
        scale = display_scale(kind, all_y, inputs.y_scales.get(kind))
        for name, condition, x, y, cap in members:
            keep = y > 0 if scale.log else np.isfinite(y)
            table.append(CurveData(kind, name, condition, x[keep], y[keep], scale, cap))
    return [c for c in table if c.x.size > 0]


def thinned(curve: CurveData, max_points: int = FIT_POINTS_PER_CURVE) -> CurveData:
    """``curve`` with at most ``max_points`` of its points, evenly spaced by index.

    A digitizer reads a point per pixel column, a thousand per curve; the fit needs a few
    dozen, and its time grows with every one. The digitizer's points are evenly spaced on
    the graph as drawn, so even spacing by index keeps that (linear or log axis alike).
    """
    if curve.x.size <= max_points:
        return curve
    keep = np.unique(np.linspace(0, curve.x.size - 1, max_points).round().astype(int))
    return replace(curve, x=curve.x[keep], y=curve.y[keep])


def display_error(model: np.ndarray, data: np.ndarray, scale: AxisScale) -> np.ndarray:
    """Signed error of ``model`` against ``data`` as a fraction of the axis span."""
    if scale.log:
        floor = scale.low / 10.0
        span = np.log10(scale.high / scale.low)
        return (np.log10(np.maximum(model, floor)) - np.log10(np.maximum(data, floor))) / span
    return (model - data) / (scale.high - scale.low)


def _gate_voltage(curve: CurveData) -> np.ndarray:
    return curve.x if curve.kind == "transfer" else np.full_like(curve.x, curve.condition)


def _drain_voltage(curve: CurveData) -> np.ndarray:
    return curve.x if curve.kind == "output" else np.full_like(curve.x, curve.condition)


def predict(
    equations: DeviceEquations, params: Params, curves: list[CurveData]
) -> list[np.ndarray]:
    """The model's y at every point of every curve; drain currents in one batched call."""
    channel = [i for i, c in enumerate(curves) if c.kind in ("output", "transfer")]
    predictions: list[np.ndarray] = [np.zeros(0)] * len(curves)
    if channel:
        vgs = np.concatenate([_gate_voltage(curves[i]) for i in channel])
        vds = np.concatenate([_drain_voltage(curves[i]) for i in channel])
        current = equations.drain_current(params, vgs, vds)
        offsets = np.cumsum([0] + [curves[i].x.size for i in channel])
        for k, i in enumerate(channel):
            predictions[i] = current[offsets[k] : offsets[k + 1]]
    for i, curve in enumerate(curves):
        if curve.kind == "capacitance":
            vgs = np.full_like(curve.x, curve.condition)
            predictions[i] = equations.capacitances(params, vgs, curve.x)[curve.capacitance]
        elif curve.kind == "rdson":
            vgs = np.full_like(curve.x, curve.condition)
            predictions[i] = equations.on_resistance(params, vgs, curve.x)
        elif curve.kind == "body_diode":
            predictions[i] = equations.diode_current(params, curve.x)
    return predictions
