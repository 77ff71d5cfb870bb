"""Datasheet curves of a known model, simulated with ngspice.

The fitter's accuracy is measured by fitting these back (tests and ``benchmarks``): a
device's output, transfer, capacitance and body-diode graphs drawn the way datasheets draw
them (linear output axes, log transfer and capacitance axes), as a :class:`FitInput`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from graphq.spice.inputs import (
    AxisScale,
    CapacitanceCurve,
    DiodeCurve,
    FitInput,
    OutputCurve,
    RdsonTemperatureCurve,
    TransferCurve,
)
from graphq.spice.simulate import DeviceUnderTest, SweepPlan, SweepResult, simulate


@dataclass(frozen=True)
class DatasheetConditions:
    """The conditions a datasheet's graphs are drawn at (N-channel sense, V)."""

    output_vgs_v: list[float] = field(default_factory=lambda: [4.0, 4.5, 5.0, 6.0, 8.0, 10.0])
    output_vds_max_v: float = 10.0
    transfer_vds_v: float = 10.0
    transfer_vgs_v: tuple[float, float] = (0.0, 10.0)
    transfer_decades: float = 4.0
    capacitance_vds_v: tuple[float, float] = (0.1, 100.0)
    # Enhancement parts are measured at 0 V; depletion parts below threshold (-10 V).
    capacitance_vgs_v: float = 0.0
    diode_vsd_max_v: float | None = 1.2
    points_per_curve: int = 40
    # Other junction temperatures (°C) the transfer and body-diode curves are also drawn at,
    # as most datasheets do; with them an Rds(on)-against-Tj curve (normalised to 25 °C) at
    # the highest output Vgs and a tenth of the top output curve's current.
    temperatures_c: tuple[float, ...] = ()


def datasheet_from_model(
    dut: DeviceUnderTest, conditions: DatasheetConditions, device_type: str = "Si-MOSFET"
) -> FitInput:
    """Simulate ``dut`` under ``conditions`` and keep ``points_per_curve`` points per curve."""
    c = conditions
    dense = 200
    plan = SweepPlan(
        output_vgs_v=list(c.output_vgs_v),
        output_vds_grid_v=(0.0, c.output_vds_max_v, c.output_vds_max_v / dense),
        transfer_vds_v=[c.transfer_vds_v],
        transfer_vgs_grid_v=(
            *c.transfer_vgs_v,
            (c.transfer_vgs_v[1] - c.transfer_vgs_v[0]) / dense,
        ),
        capacitance_vds_v=np.geomspace(*c.capacitance_vds_v, c.points_per_curve).tolist(),
        capacitance_vgs_v=c.capacitance_vgs_v,
        diode_vsd_grid_v=None if c.diode_vsd_max_v is None else (0.0, c.diode_vsd_max_v, 0.005),
    )
    sim = simulate(dut, plan)
    hot = {
        t: simulate(dut, replace(plan, capacitance_vds_v=[], temperature_c=t))
        for t in c.temperatures_c
    }
    pick = np.linspace(0, dense, c.points_per_curve).round().astype(int)
    fit_input = FitInput(pchan=dut.pchan, device_type=device_type)

    output_peak = float(sim.output_id_a.max())
    for vgs, row in zip(c.output_vgs_v, sim.output_id_a, strict=True):
        points = np.column_stack([sim.output_vds_v[pick], row[pick]])
        fit_input.output.append(
            OutputCurve(vgs_v=vgs, points=points.tolist(), label=f"VGS = {vgs:g} V")
        )
    fit_input.y_scales["output"] = AxisScale(log=False, low=0.0, high=1.1 * output_peak)

    transfer = sim.transfer_id_a[0]
    high = 2.0 * float(transfer.max())
    low = high / 10.0**c.transfer_decades
    visible = transfer[pick] >= low
    points = np.column_stack([sim.transfer_vgs_v[pick], transfer[pick]])[visible]
    fit_input.transfer.append(
        TransferCurve(vds_v=c.transfer_vds_v, points=points.tolist(), temperature_c=25.0)
    )
    for temperature, result in hot.items():
        row = result.transfer_id_a[0][pick]
        points = np.column_stack([result.transfer_vgs_v[pick], row])[row >= low]
        fit_input.transfer.append(
            TransferCurve(vds_v=c.transfer_vds_v, points=points.tolist(), temperature_c=temperature)
        )
    fit_input.y_scales["transfer"] = AxisScale(log=True, low=low, high=high)
    if hot:
        fit_input.rdson_temperature.append(_rdson_against_temperature(sim, hot, c))

    caps = sim.capacitance_f
    if all(np.all(caps[name] > 0) for name in caps):
        for name in ("ciss", "coss", "crss"):
            points = np.column_stack([sim.capacitance_vds_v, caps[name]])
            fit_input.capacitance.append(
                CapacitanceCurve(name=name, points=points.tolist(), vgs_v=c.capacitance_vgs_v)
            )
        cap_low = 10.0 ** np.floor(np.log10(caps["crss"].min()))
        cap_high = 10.0 ** np.ceil(np.log10(caps["ciss"].max()))
        fit_input.y_scales["capacitance"] = AxisScale(log=True, low=cap_low, high=cap_high)

    if c.diode_vsd_max_v is not None:
        isd = sim.diode_isd_a
        diode_high = 10.0 ** np.ceil(np.log10(isd.max()))
        diode_low = diode_high / 1e3
        visible = isd >= diode_low
        points = np.column_stack([sim.diode_vsd_v[visible], isd[visible]])
        step = max(1, len(points) // c.points_per_curve)
        fit_input.body_diode.append(DiodeCurve(points=points[::step].tolist()))
        for temperature, result in hot.items():
            visible = (result.diode_isd_a >= diode_low) & (result.diode_isd_a <= diode_high)
            points = np.column_stack([result.diode_vsd_v[visible], result.diode_isd_a[visible]])
            step = max(1, len(points) // c.points_per_curve)
            fit_input.body_diode.append(
                DiodeCurve(points=points[::step].tolist(), temperature_c=temperature)
            )
        fit_input.y_scales["body_diode"] = AxisScale(log=True, low=diode_low, high=diode_high)
    return fit_input


def _on_resistance(result: SweepResult, row: int, current_a: float) -> float:
    """Vds/Id of output curve ``row`` where it carries ``current_a``."""
    top = result.output_id_a[row]
    rising = np.maximum.accumulate(top)
    return float(np.interp(current_a, rising, result.output_vds_v)) / current_a


def _rdson_against_temperature(
    nominal: SweepResult, hot: dict[float, SweepResult], c: DatasheetConditions
) -> RdsonTemperatureCurve:
    row = int(np.argmax(c.output_vgs_v))
    current = 0.1 * float(nominal.output_id_a[row].max())
    reference = _on_resistance(nominal, row, current)
    rows = sorted(
        [(25.0, 1.0)] + [(t, _on_resistance(r, row, current) / reference) for t, r in hot.items()]
    )
    return RdsonTemperatureCurve(
        vgs_v=max(c.output_vgs_v), id_a=current, points=[list(row) for row in rows]
    )
