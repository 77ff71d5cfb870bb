"""The digitized curves as the fit and the report see them, and a model's prediction of them.

Each curve becomes a :class:`CurveData` with its condition and the display scale of its
graph. Errors are measured as the datasheet reader sees them: a fraction of the y axis's
span, or of the decades it shows when the axis is logarithmic (SPEC §4's measure), taken
as its distance from the model's line on the page rather than straight up: where a curve
runs steeply (an output curve rising at Vds ≈ 0 on a 400 V axis, a transfer curve falling
to the bottom of a log axis) a vertical miss of a point says nothing of how far the model's
line lies from it, and a curve drawn exactly vertical has no vertical error a model could
meet.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

import numpy as np

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
)
from graphq.spice.vdmos_temperature import is_nominal

Params = Mapping[str, float]
_Curve = (
    OutputCurve
    | TransferCurve
    | CapacitanceCurve
    | RdsonCurve
    | DiodeCurve
    | RdsonTemperatureCurve
    | ThresholdTemperatureCurve
)
# Graphs whose x axis is the junction temperature: they describe the temperature terms only.
TEMPERATURE_KINDS = ("rdson_temperature", "threshold_temperature")
# Points per curve the least-squares fit sees (the report scores every point).
FIT_POINTS_PER_CURVE = 64
# Kinds judged by their distance from the model's line on the page: graphs whose curves
# turn vertical (an output curve's rise at Vds ≈ 0, Rds(on) at saturation). A transfer or
# diode curve's steep stretch is where it says most (the threshold, the diode's knee): it
# keeps its vertical error, in decades on a log axis.
_ON_THE_PAGE_KINDS = ("output", "rdson")


@dataclass(frozen=True)
class DeviceEquations:
    """A device model's equations in the N-channel sense, all in SI units."""

    drain_current: Callable[[Params, np.ndarray, np.ndarray], np.ndarray]  # (vgs, vds) → Id
    # (vgs, vds) → Ciss/Coss/Crss
    capacitances: Callable[[Params, np.ndarray, np.ndarray], dict[str, np.ndarray]]
    on_resistance: Callable[[Params, np.ndarray, np.ndarray], np.ndarray]  # (vgs, id) → Ω
    diode_current: Callable[[Params, np.ndarray], np.ndarray]  # vsd → Isd (reverse conduction)
    # (params, °C) → the parameters the simulator uses there; None: the model has no
    # temperature terms and is evaluated at tnom alone.
    at_temperature: Callable[[Params, float], Params] | None = None


@dataclass(frozen=True)
class CurveData:
    """One digitized curve. ``kind`` is the graph kind, ``name`` says which curve it is
    (``VGS = 10 V``, ``Ciss`` …) and ``condition`` is its Vgs (output, Rds(on) and
    capacitance curves) or Vds (transfer curves). ``temperature_c`` is the junction
    temperature it was measured at; a curve against temperature (``rdson_temperature``,
    ``threshold_temperature``) has its drain current in ``current_a`` and ``normalised``
    when its y is relative to its value at 25 °C."""

    kind: str
    name: str
    condition: float
    x: np.ndarray
    y: np.ndarray
    scale: AxisScale
    capacitance: str = ""
    temperature_c: float = 25.0
    current_a: float = 0.0
    normalised: bool = False
    # How the graph draws x (``False`` linear, ``True`` log) where errors are distances on
    # the page (see page_error); None: vertical errors.
    x_log: bool | None = None
    # The graph it was read from (``GraphCurves.name``); empty when not known.
    graph: str = ""
    # Its weight in the fit beside the other curves of its graph: below 1 where its graph
    # contradicts the datasheet's table (:mod:`graphq.spice.table_referee`).
    weight: float = 1.0

    @property
    def nominal(self) -> bool:
        """Measured at the model's tnom: the curves the 25 °C parameters are fitted to."""
        return self.kind not in TEMPERATURE_KINDS and is_nominal(self.temperature_c)


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


def _temperature_name(name: str, temperature: float | None) -> str:
    return name if temperature is None else f"{name}, Tj = {temperature:g} °C"


def curve_table(inputs: FitInput) -> list[CurveData]:
    """Every curve the fit uses, with the temperature it was measured at (25 °C where the
    curve states none). A curve is scored on its own graph's y axis where it is known, else
    on its kind's."""
    groups: dict[str, list[tuple[CurveData, AxisScale | None]]] = {}

    def add(kind: str, name: str, condition: float, curve: _Curve, **extra: object) -> None:
        x, y = _points(curve.points)
        temperature = getattr(curve, "temperature_c", None)
        data = CurveData(
            kind,
            _temperature_name(name, temperature if kind not in TEMPERATURE_KINDS else None),
            condition,
            x,
            y,
            AxisScale(False, 0.0, 1.0),
            temperature_c=25.0 if temperature is None else temperature,
            graph=getattr(curve, "graph", ""),
            **extra,  # type: ignore[arg-type]
        )
        if kind in _ON_THE_PAGE_KINDS:
            own_x_log = getattr(curve, "x_log", None)
            x_log = kind in inputs.x_log if own_x_log is None else own_x_log
            data = replace(data, x_log=x_log)
        groups.setdefault(kind, []).append((data, curve.y_scale))

    for c in inputs.output:
        add("output", f"VGS = {c.vgs_v:g} V", c.vgs_v, c)
    for t in inputs.transfer:
        add("transfer", f"VDS = {t.vds_v:g} V", t.vds_v, t)
    for cap in inputs.capacitance:
        add("capacitance", cap.name.capitalize(), cap.vgs_v, cap, capacitance=cap.name)
    for r in inputs.rdson:
        add("rdson", f"VGS = {r.vgs_v:g} V", r.vgs_v, r)
    for d in inputs.body_diode:
        add("body_diode", "body diode", 0.0, d)
    for rt in inputs.rdson_temperature:
        name = f"RDS(on) at VGS = {rt.vgs_v:g} V, ID = {rt.id_a:g} A"
        add("rdson_temperature", name, rt.vgs_v, rt, current_a=rt.id_a, normalised=rt.normalised)
    for th in inputs.threshold_temperature:
        add("threshold_temperature", "threshold", 0.0, th, normalised=th.normalised)

    table: list[CurveData] = []
    for kind, members in groups.items():
        all_y = np.concatenate([m.y for m, _ in members])
        kind_scale = display_scale(kind, all_y, inputs.y_scales.get(kind))
        for data, own in members:
            scale = display_scale(kind, all_y, own) if own is not None else kind_scale
            keep = data.y > 0 if scale.log else np.isfinite(data.y)
            table.append(replace(data, x=data.x[keep], y=data.y[keep], scale=scale))
    return distinct_names([c for c in table if c.x.size > 0])


def distinct_names(curves: list[CurveData]) -> list[CurveData]:
    """``curves`` with no two of a kind sharing a name: where two graphs hold curves of one
    name (two output graphs both with ``VGS = -1 V``), each name says its graph, and a
    number tells apart what is left alike; the report's legend has one entry per curve."""
    named = list(curves)
    for attempt in ("graph", "number"):
        seen: dict[tuple[str, str], list[int]] = {}
        for i, c in enumerate(named):
            seen.setdefault((c.kind, c.name), []).append(i)
        for members in seen.values():
            if len(members) < 2:
                continue
            for n, i in enumerate(members, start=1):
                c = named[i]
                if attempt == "graph" and c.graph:
                    named[i] = replace(c, name=f"{c.name} ({c.graph})")
                elif attempt == "number":
                    named[i] = replace(c, name=f"{c.name} #{n}")
    return named


def _page_position(values: np.ndarray, log: bool) -> np.ndarray:
    return np.log10(np.maximum(values, 1e-300)) if log else np.asarray(values, float)


def page_error(model: np.ndarray, curve: CurveData) -> np.ndarray:
    """Signed distance of each point of ``curve`` from the model's line on the page, as a
    fraction of the axis span (x by the curve's own extent).

    With ``v`` the vertical miss and ``h`` the horizontal one (where the model's line, made
    rising, reaches the point's y), the distance from a line through both ends is
    ``v·h/√(v² + h²)``: ``v`` where the curve runs flat, ``h`` where it runs steeply, and
    ``v`` again where the model never comes to the point's height.
    """
    vertical = display_error(model, curve.y, curve.scale)
    assert curve.x_log is not None
    page_x = _page_position(curve.x, curve.x_log)
    x_span = float(np.ptp(page_x))
    if x_span <= 0.0 or curve.x.size < 2:
        return vertical
    bottom = curve.scale.low / 10.0 if curve.scale.log else -np.inf
    page_model = _page_position(np.maximum(model, bottom), curve.scale.log)
    page_data = _page_position(np.maximum(curve.y, bottom), curve.scale.log)
    rising = np.maximum.accumulate(np.nan_to_num(page_model, nan=-np.inf))
    reached = np.interp(page_data, rising, page_x)
    # Above the model's line everywhere, only the vertical miss counts; below its first point
    # the line (rising from zero at the graph's left) got there before that point.
    beyond = page_data > rising[-1]
    horizontal = np.where(beyond, np.inf, np.abs(reached - page_x) / x_span)
    v = np.abs(vertical)
    with np.errstate(invalid="ignore", divide="ignore"):
        distance = np.where(v > 0.0, v / np.sqrt(1.0 + (v / horizontal) ** 2), 0.0)
    return np.sign(vertical) * distance


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


def curve_error(model: np.ndarray, curve: CurveData) -> np.ndarray:
    """Signed error of ``model`` at ``curve``'s points as a fraction of the axis span: on the
    page (:func:`page_error`) where the curve's x axis is known, else vertical."""
    if curve.x_log is None:
        return display_error(model, curve.y, curve.scale)
    return page_error(model, curve)


def _gate_voltage(curve: CurveData) -> np.ndarray:
    return curve.x if curve.kind == "transfer" else np.full_like(curve.x, curve.condition)


def _drain_voltage(curve: CurveData) -> np.ndarray:
    return curve.x if curve.kind == "output" else np.full_like(curve.x, curve.condition)


def predict(
    equations: DeviceEquations, params: Params, curves: list[CurveData]
) -> list[np.ndarray]:
    """The model's y at every point of every curve; drain currents at one temperature in
    one batched call."""
    predictions: list[np.ndarray] = [np.zeros(0)] * len(curves)
    scaled: dict[float, Params] = {}

    def at(temperature: float) -> Params:
        if equations.at_temperature is None or is_nominal(temperature):
            return params
        if temperature not in scaled:
            scaled[temperature] = equations.at_temperature(params, temperature)
        return scaled[temperature]

    channel: dict[float, list[int]] = {}
    for i, c in enumerate(curves):
        if c.kind in ("output", "transfer"):
            channel.setdefault(c.temperature_c if not c.nominal else 25.0, []).append(i)
    for temperature, members in channel.items():
        vgs = np.concatenate([_gate_voltage(curves[i]) for i in members])
        vds = np.concatenate([_drain_voltage(curves[i]) for i in members])
        current = equations.drain_current(at(temperature), vgs, vds)
        offsets = np.cumsum([0] + [curves[i].x.size for i in members])
        for k, i in enumerate(members):
            predictions[i] = current[offsets[k] : offsets[k + 1]]
    for i, curve in enumerate(curves):
        p = at(curve.temperature_c)
        if curve.kind == "capacitance":
            vgs = np.full_like(curve.x, curve.condition)
            predictions[i] = equations.capacitances(p, vgs, curve.x)[curve.capacitance]
        elif curve.kind == "rdson":
            vgs = np.full_like(curve.x, curve.condition)
            predictions[i] = equations.on_resistance(p, vgs, curve.x)
        elif curve.kind == "body_diode":
            predictions[i] = equations.diode_current(p, curve.x)
        elif curve.kind in TEMPERATURE_KINDS:
            predictions[i] = _against_temperature(equations, params, curve, at)
    return predictions


def _against_temperature(
    equations: DeviceEquations,
    params: Params,
    curve: CurveData,
    at: Callable[[float], Params],
) -> np.ndarray:
    """Rds(on) or the threshold at each of ``curve``'s temperatures (relative to 25 °C when
    the curve is normalised)."""

    def value(p: Params) -> float:
        if curve.kind == "rdson_temperature":
            vgs, current = np.array([curve.condition]), np.array([curve.current_a])
            return float(equations.on_resistance(p, vgs, current)[0])
        return float(p["vto"])

    values = np.array([value(at(float(t))) for t in curve.x])
    if curve.normalised:
        reference = value(params)
        return values / reference if reference != 0.0 else np.full_like(values, np.nan)
    return values
