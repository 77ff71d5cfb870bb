"""Verification: the written model file simulated by ngspice against the digitized curves.

The numpy equations the fit used are proven equal to ngspice's elsewhere; this closes the
loop on the file itself (number formatting, polarity, the subcircuit's expressions) under
the datasheet's own conditions. Simulated sweeps are fine uniform grids, interpolated to
the digitized points (in log current on a log axis).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from graphq.errors import GraphqError
from graphq.spice.curves import CurveData, curve_table
from graphq.spice.inputs import FitInput
from graphq.spice.model_file import spice_name
from graphq.spice.ngspice import ngspice_available
from graphq.spice.operating_range import bench_for, operating_range_review
from graphq.spice.quality import curve_review
from graphq.spice.report import curve_report
from graphq.spice.results import CurveReport, SpiceFit, Verification
from graphq.spice.simulate import DeviceUnderTest, SweepPlan, SweepResult, simulate

_SWEEP_STEPS = 400
_NOT_SIMULATED = ("rdson", "rdson_temperature", "threshold_temperature")
_GATE_STEP_V = 0.01
_DIODE_STEP_V = 0.005
# Capacitance bias points per curve span: each is a pair of devices in one AC netlist, so a
# vector curve's thousand points are simulated on this grid and interpolated (log-spaced
# where the span covers decades, as the graphs are drawn).
_CAPACITANCE_BIAS_POINTS = 60


def capacitance_biases(curves: list[CurveData]) -> list[float]:
    """Drain voltages to simulate the capacitance curves at: every digitized Vds when they
    are few, else a grid over their span."""
    values = np.unique(np.concatenate([c.x for c in curves if c.kind == "capacitance"]))
    if values.size <= _CAPACITANCE_BIAS_POINTS:
        return [float(v) for v in values]
    low, high = float(values.min()), float(values.max())
    if low > 0.0 and high / low > 10.0:
        grid_v = np.geomspace(low, high, _CAPACITANCE_BIAS_POINTS)
    else:
        grid_v = np.linspace(low, high, _CAPACITANCE_BIAS_POINTS)
    return [float(v) for v in grid_v]


def _span(curves: list[CurveData], kind: str) -> tuple[float, float]:
    xs = np.concatenate([c.x for c in curves if c.kind == kind])
    return float(xs.min()), float(xs.max())


def sweep_plan(curves: list[CurveData]) -> SweepPlan:
    """Sweeps that cover every digitized point of ``curves``."""
    kinds = {c.kind for c in curves}
    plan = SweepPlan()
    if "output" in kinds:
        top = max(_span(curves, "output")[1], 1e-3)
        plan = SweepPlan(
            output_vgs_v=sorted({c.condition for c in curves if c.kind == "output"}),
            output_vds_grid_v=(0.0, top, top / _SWEEP_STEPS),
        )
    transfer_vds: list[float] = []
    gate_grid = plan.transfer_vgs_grid_v
    if "transfer" in kinds:
        low, high = _span(curves, "transfer")
        transfer_vds = sorted({c.condition for c in curves if c.kind == "transfer"})
        gate_grid = (low, high + _GATE_STEP_V, _GATE_STEP_V)
    cap_vds: list[float] = []
    cap_vgs = 0.0
    if "capacitance" in kinds:
        cap_vds = capacitance_biases(curves)
        cap_vgs = next(c.condition for c in curves if c.kind == "capacitance")
    diode_grid = None
    if "body_diode" in kinds:
        diode_grid = (0.0, _span(curves, "body_diode")[1] + _DIODE_STEP_V, _DIODE_STEP_V)
    return SweepPlan(
        output_vgs_v=plan.output_vgs_v,
        output_vds_grid_v=plan.output_vds_grid_v,
        transfer_vds_v=transfer_vds,
        transfer_vgs_grid_v=gate_grid,
        capacitance_vds_v=cap_vds,
        capacitance_vgs_v=cap_vgs,
        diode_vsd_grid_v=diode_grid,
    )


def _interpolate(x: np.ndarray, grid_x: np.ndarray, grid_y: np.ndarray, log: bool) -> np.ndarray:
    if not log:
        return np.interp(x, grid_x, grid_y)
    floor = 1e-30
    return np.exp(np.interp(x, grid_x, np.log(np.maximum(grid_y, floor))))


def simulated_curve(curve: CurveData, plan: SweepPlan, result: SweepResult) -> np.ndarray:
    """The simulator's values at ``curve``'s digitized points."""
    if curve.kind == "output":
        row = plan.output_vgs_v.index(curve.condition)
        return _interpolate(curve.x, result.output_vds_v, result.output_id_a[row], False)
    if curve.kind == "transfer":
        row = plan.transfer_vds_v.index(curve.condition)
        grid_y = result.transfer_id_a[row]
        return _interpolate(curve.x, result.transfer_vgs_v, grid_y, curve.scale.log)
    if curve.kind == "capacitance":
        return np.interp(curve.x, result.capacitance_vds_v, result.capacitance_f[curve.capacitance])
    return _interpolate(curve.x, result.diode_vsd_v, result.diode_isd_a, curve.scale.log)


def simulation_groups(curves: list[CurveData]) -> list[list[int]]:
    """Indices of the curves each ngspice run covers: the channel and diode curves of each
    temperature, then the capacitances at each of their gate voltages."""
    groups: dict[tuple[str, float], list[int]] = {}
    for i, curve in enumerate(curves):
        if curve.kind == "capacitance":
            key = ("capacitance", curve.condition)
        else:
            key = ("channel", 25.0 if curve.nominal else curve.temperature_c)
        groups.setdefault(key, []).append(i)
    return [groups[key] for key in sorted(groups)]


def verify_with_ngspice(
    fit: SpiceFit, inputs: FitInput, dialect: str = "vdmos"
) -> Verification | None:
    """Simulate ``fit.model_text`` with ngspice under the conditions of ``inputs``, and
    check that it runs across the operating temperatures.

    ``dialect`` names the text simulated: the model file (``vdmos``, also the GaN
    subcircuit) or one of ``fit.dialects``, whose channel holds at 25 °C alone, so only
    the curves measured there are compared. None when ngspice is not installed. Raises
    ``MODEL_REJECTED`` when ngspice cannot load or run the model at the datasheet's
    conditions. Rds(on) curves, against current or temperature, and threshold curves are
    not simulated (their Vds is not a sweep axis). Curves measured at other temperatures
    are simulated at theirs, capacitance curves at different gate voltages one bias at a
    time.
    """
    if not ngspice_available():
        return None
    curves = [c for c in curve_table(inputs) if c.kind not in _NOT_SIMULATED]
    if fit.model_type != "vdmos" or dialect != "vdmos":
        # Only the VDMOS card has temperature terms; the others hold at 25 °C alone.
        curves = [c for c in curves if c.nominal]
    dut = device_under_test(fit, dialect)
    groups = simulation_groups(curves)
    reports: dict[int, CurveReport] = {}
    for group in (g for g in groups if g):
        members = [curves[i] for i in group]
        temperature = 25.0 if members[0].nominal else members[0].temperature_c
        plan = replace(sweep_plan(members), temperature_c=temperature)
        try:
            result = simulate(dut, plan)
        except GraphqError as exc:
            raise GraphqError(
                "MODEL_REJECTED",
                f"ngspice could not simulate the model: {exc.message}",
            ) from exc
        for i, curve in zip(group, members, strict=True):
            reports[i] = curve_report(curve, simulated_curve(curve, plan, result))
    report = [reports[i] for i in sorted(reports)]
    review = curve_review(report, "in ngspice")
    threshold = fit.parameters["vth" if fit.model_type == "gan-epc" else "vto"]
    bench = bench_for(curves, -threshold if fit.pchan else threshold)
    review.extend(operating_range_review(dut, bench))
    worst = max((r.rms_error for r in report), default=0.0)
    return Verification(
        simulator="ngspice",
        report=report,
        worst_rms_error=worst,
        review=review,
        dialect=dialect,
    )


def device_under_test(fit: SpiceFit, dialect: str = "vdmos") -> DeviceUnderTest:
    r"""The model file, or the text of another of its ``dialect``\ s (a subcircuit)."""
    if dialect != "vdmos":
        return DeviceUnderTest(
            model_text=fit.dialects[dialect],
            model_name=spice_name(fit.name),
            instance_prefix="x",
            pchan=fit.pchan,
        )
    return DeviceUnderTest(
        model_text=fit.model_text,
        model_name=spice_name(fit.name),
        instance_prefix="x" if fit.model_type == "gan-epc" else "m",
        pchan=fit.pchan,
        thermal="rthjc" in fit.parameters,
    )
