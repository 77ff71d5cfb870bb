"""Known devices for fitting back: VDMOS cards and a GaN subcircuit with the conditions their
datasheets would be drawn at, and the measures the SPEC's fitter targets are stated in.

Shared by the recovery tests and ``benchmarks/spice_fit_time.py``. The parameter sets span
the range the fitter meets: Vto from -2.5 V (depletion) to 4.5 V (SiC), Kp from 1 to
200 A/V², with and without λ, θ, mtriode and series resistances, N- and P-channel.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from graphq.spice import FitInput, SpiceFit, gan_epc, verify_with_ngspice
from graphq.spice.curves import curve_table
from graphq.spice.inputs import AxisScale
from graphq.spice.model_file import vdmos_model_text
from graphq.spice.pspice_subckt import pspice_subckt_text
from graphq.spice.simulate import DeviceUnderTest, SweepPlan, simulate
from graphq.spice.synthetic import DatasheetConditions, datasheet_from_model


@dataclass(frozen=True)
class KnownDevice:
    """A model card (``vto`` as written: negative for an enhancement P-channel part)."""

    name: str
    params: dict[str, float]
    conditions: DatasheetConditions
    pchan: bool = False
    model_type: str = "vdmos"
    device_type: str = "Si-MOSFET"
    # Logistic-sum capacitances in place of the card's: the device is then the PSpice-style
    # subcircuit carrying them (a superjunction part's stepped Crss and Coss).
    stepped: dict[str, float] | None = None

    def under_test(self) -> DeviceUnderTest:
        if self.model_type == "gan-epc":
            text = gan_epc.gan_subckt_text("TRUE", self.params)
            return DeviceUnderTest(text, "TRUE", instance_prefix="x")
        if self.stepped is not None:
            text = pspice_subckt_text(
                "TRUE", self.params, pchan=self.pchan, capacitances=self.stepped
            )
            return DeviceUnderTest(text, "TRUE", instance_prefix="x", pchan=self.pchan)
        text = vdmos_model_text("TRUE", self.params, pchan=self.pchan)
        return DeviceUnderTest(text, "TRUE", pchan=self.pchan, thermal="rthjc" in self.params)

    def datasheet(self) -> FitInput:
        """The device's graphs as a datasheet would draw them, simulated by ngspice."""
        return datasheet_from_model(self.under_test(), self.conditions, self.device_type)


def _caps(cgs_nf: float, cgdmax_nf: float, cgdmin_pf: float, a: float, cjo_nf: float, **junction):
    return {
        "cgs": cgs_nf * 1e-9,
        "cgdmax": cgdmax_nf * 1e-9,
        "cgdmin": cgdmin_pf * 1e-12,
        "a": a,
        "cjo": cjo_nf * 1e-9,
        "vj": junction.get("vj", 0.8),
        "m": junction.get("m", 0.5),
    }


def _diode(is_a: float, n: float, rb_ohm: float) -> dict[str, float]:
    return {"is": is_a, "n": n, "rb": rb_ohm}


_SILICON = DatasheetConditions()

VDMOS_DEVICES = [
    KnownDevice(
        "logic-level",
        {"vto": 1.2, "kp": 30.0, "lambda": 0.01, "ksubthres": 0.08, "rs": 2e-3, "rd": 3e-3}
        | _caps(2.0, 1.5, 50, 0.4, 1.2, vj=0.6, m=0.4)
        | _diode(1e-11, 1.1, 4e-3),
        DatasheetConditions(
            output_vgs_v=[2.0, 2.5, 3.0, 3.5, 4.5],
            output_vds_max_v=5.0,
            transfer_vds_v=5.0,
            transfer_vgs_v=(0.0, 4.0),
            capacitance_vds_v=(0.1, 30.0),
        ),
    ),
    KnownDevice(
        "square-law",
        {"vto": 3.0, "kp": 5.0} | _caps(2.0, 1.5, 50, 0.4, 1.2) | _diode(1e-12, 1.0, 0.02),
        _SILICON,
    ),
    KnownDevice(
        "trench",
        {"vto": 2.5, "kp": 20.0, "lambda": 0.02, "theta": 0.1, "mtriode": 1.8, "ksubthres": 0.2}
        | _caps(3.0, 1.0, 80, 0.8, 2.0, vj=0.7, m=0.35)
        | _diode(5e-12, 1.2, 0.01),
        _SILICON,
    ),
    KnownDevice(
        "high-current",
        {"vto": 3.0, "kp": 200.0, "lambda": 0.02, "theta": 0.05, "mtriode": 1.5}
        | {"rs": 1e-3, "rd": 1.5e-3}
        | _caps(8.0, 4.0, 100, 0.8, 6.0)
        | _diode(1e-11, 1.2, 2e-3),
        DatasheetConditions(
            output_vgs_v=[4.0, 4.5, 5.0, 6.0, 10.0],
            output_vds_max_v=4.0,
            transfer_vgs_v=(2.0, 6.0),
            capacitance_vds_v=(0.1, 60.0),
        ),
    ),
    KnownDevice(
        "high-voltage-planar",
        {"vto": 3.5, "kp": 1.5, "lambda": 0.005, "rd": 0.6, "rs": 0.05, "ksubthres": 0.12}
        | _caps(1.2, 0.5, 8, 0.05, 0.4, vj=1.5, m=0.6)
        | _diode(1e-10, 1.5, 0.05),
        DatasheetConditions(
            output_vgs_v=[5.0, 5.5, 6.0, 7.0, 10.0],
            output_vds_max_v=20.0,
            transfer_vds_v=20.0,
            capacitance_vds_v=(1.0, 400.0),
        ),
    ),
    KnownDevice(
        "silicon-carbide",
        {"vto": 4.5, "kp": 1.0, "theta": 0.3, "rd": 0.05, "mtriode": 0.8, "ksubthres": 0.3}
        | _caps(1.0, 0.4, 10, 0.1, 0.5, vj=2.0, m=0.45)
        | _diode(1e-10, 2.5, 0.05),
        DatasheetConditions(
            output_vgs_v=[8.0, 10.0, 12.0, 15.0, 18.0, 20.0],
            output_vds_max_v=10.0,
            transfer_vds_v=20.0,
            transfer_vgs_v=(0.0, 20.0),
            capacitance_vds_v=(1.0, 800.0),
            diode_vsd_max_v=4.0,
        ),
        device_type="SiC-MOSFET",
    ),
    KnownDevice(
        "mobility-limited",
        {"vto": 2.0, "kp": 10.0, "theta": 0.5, "lambda": 0.01, "rs": 0.01}
        | _caps(1.5, 0.8, 30, 0.3, 1.0)
        | _diode(2e-12, 1.05, 0.01),
        DatasheetConditions(output_vgs_v=[3.0, 3.5, 4.0, 5.0, 7.0, 10.0]),
    ),
    KnownDevice(
        "p-channel",
        {"vto": -2.0, "kp": 8.0, "rs": 0.02, "rd": 0.03, "lambda": 0.01, "mtriode": 1.5}
        | {"ksubthres": 0.06}
        | _caps(2.0, 1.5, 50, 0.4, 1.2, vj=0.6)
        | _diode(5e-13, 1.1, 5e-3),
        DatasheetConditions(output_vgs_v=[3.0, 3.5, 4.0, 4.5, 6.0, 10.0]),
        pchan=True,
        device_type="P-MOSFET",
    ),
    KnownDevice(
        "p-channel-logic",
        {"vto": -0.8, "kp": 15.0, "theta": 0.2, "rd": 0.01, "ksubthres": 0.06}
        | _caps(0.8, 0.3, 40, 1.0, 0.5)
        | _diode(1e-12, 1.0, 0.02),
        DatasheetConditions(
            output_vgs_v=[1.5, 1.8, 2.5, 3.5, 4.5],
            output_vds_max_v=5.0,
            transfer_vds_v=5.0,
            transfer_vgs_v=(0.0, 4.5),
            capacitance_vds_v=(0.1, 20.0),
        ),
        pchan=True,
        device_type="P-MOSFET",
    ),
    KnownDevice(
        "depletion",
        {"vto": -2.5, "kp": 2.0, "theta": 0.02, "ksubthres": 0.15, "lambda": 0.01}
        | _caps(0.6, 0.2, 5, 0.2, 0.3),
        DatasheetConditions(
            output_vgs_v=[-2.0, -1.0, 0.0, 1.0, 3.0, 5.0],
            transfer_vgs_v=(-4.0, 5.0),
            capacitance_vds_v=(1.0, 100.0),
            capacitance_vgs_v=-10.0,
            diode_vsd_max_v=None,
        ),
    ),
]

# Quasi-saturation: the drift region's resistance rises with Vds and flattens the top output
# curves at a current the square law alone would overshoot.
QUASI_SATURATED_DEVICES = [
    KnownDevice(
        "quasi-saturated",
        {"vto": 3.0, "kp": 20.0, "lambda": 0.01, "rd": 0.01, "rs": 0.005, "rq": 0.15, "vq": 2.0}
        | _caps(2.0, 1.0, 60, 0.5, 1.5)
        | _diode(1e-11, 1.1, 5e-3),
        DatasheetConditions(output_vgs_v=[4.0, 4.5, 5.0, 6.0, 8.0, 10.0], output_vds_max_v=20.0),
    ),
    KnownDevice(
        "quasi-saturated-planar",
        {"vto": 4.0, "kp": 3.0, "lambda": 0.005, "rd": 0.2, "rs": 0.05, "rq": 2.0, "vq": 10.0}
        | {"ksubthres": 0.12}
        | _caps(1.5, 0.5, 10, 0.05, 0.5, vj=1.2, m=0.6)
        | _diode(1e-10, 1.4, 0.05),
        DatasheetConditions(
            output_vgs_v=[5.0, 5.5, 6.0, 7.0, 8.0, 10.0],
            output_vds_max_v=50.0,
            transfer_vds_v=30.0,
            capacitance_vds_v=(1.0, 400.0),
        ),
    ),
]
VDMOS_DEVICES += QUASI_SATURATED_DEVICES

# A drift resistance that only starts to rise over the graph: vq far beyond any Vds drawn,
# so the curves show rq·Vds/vq, linear in Vds, and fix rq/vq alone.
LINEAR_DRIFT_DEVICE = KnownDevice(
    "linear-drift",
    {"vto": 4.0, "kp": 3.0, "lambda": 0.005, "rd": 0.2, "rs": 0.05, "rq": 2000.0, "vq": 1e5}
    | {"ksubthres": 0.12}
    | _caps(1.5, 0.5, 10, 0.05, 0.5, vj=1.2, m=0.6)
    | _diode(1e-10, 1.4, 0.05),
    DatasheetConditions(
        output_vgs_v=[5.0, 5.5, 6.0, 7.0, 8.0, 10.0],
        output_vds_max_v=50.0,
        transfer_vds_v=30.0,
        capacitance_vds_v=(1.0, 400.0),
    ),
)

# Temperature terms: a planar high-voltage part whose datasheet draws its transfer and diode
# curves at -55 °C and 125 °C too, with Rds(on) against Tj from -55 °C to 150 °C.
TEMPERATURE_DEVICE = KnownDevice(
    "temperature-planar",
    {"vto": 3.5, "kp": 1.5, "lambda": 0.005, "rd": 0.6, "rs": 0.05, "ksubthres": 0.12}
    | {"tcvth": 0.006, "mu": -2.1, "texp0": 2.4, "eg": 1.2}
    | _caps(1.2, 0.5, 8, 0.05, 0.4, vj=1.5, m=0.6)
    | _diode(1e-10, 1.5, 0.05),
    DatasheetConditions(
        output_vgs_v=[5.0, 5.5, 6.0, 7.0, 10.0],
        output_vds_max_v=20.0,
        transfer_vds_v=20.0,
        capacitance_vds_v=(1.0, 400.0),
        temperatures_c=(-55.0, 75.0, 150.0),
    ),
)

# Self-heating: a planar part whose output curves are DC sweeps with its case held at 25 °C,
# so the top curves bend down as the junction warms (by up to about 40 K).
SELF_HEATED_DEVICE = KnownDevice(
    "self-heated",
    {"vto": 3.5, "kp": 0.6, "lambda": 0.005, "rd": 0.3, "rs": 0.05, "ksubthres": 0.12}
    | {"rthjc": 0.25}
    | _caps(1.2, 0.5, 8, 0.05, 0.4, vj=1.5, m=0.6)
    | _diode(1e-10, 1.5, 0.05),
    DatasheetConditions(
        output_vgs_v=[5.0, 6.0, 7.0, 8.0, 10.0],
        output_vds_max_v=20.0,
        transfer_vds_v=10.0,
        capacitance_vds_v=(1.0, 400.0),
    ),
)

# A superjunction part: Crss and Coss drop twentyfold within a volt near 4 V as the pillars
# deplete, a step neither the card's atan/tanh Cgd nor its junction Cds can make.
SUPERJUNCTION_DEVICE = KnownDevice(
    "superjunction",
    {"vto": 3.5, "kp": 4.0, "lambda": 0.005, "rd": 0.15, "rs": 0.02, "ksubthres": 0.12}
    | _diode(1e-11, 1.2, 0.02),
    DatasheetConditions(
        output_vgs_v=[5.0, 5.5, 6.0, 7.0, 10.0],
        output_vds_max_v=20.0,
        transfer_vds_v=20.0,
        capacitance_vds_v=(0.1, 100.0),
    ),
    stepped={"cgs": 1.2e-9}
    | {"cgd0": 2e-12, "cgd1": 1.5e-10, "vgd1": 4.0, "wgd1": 0.3}
    | {"cgd2": 2e-11, "vgd2": 1.0, "wgd2": 1.5}
    | {"cds0": 3e-11, "cds1": 6e-10, "vds1": 4.5, "wds1": 0.5}
    | {"cds2": 1e-10, "vds2": 15.0, "wds2": 8.0},
)

GAN_DEVICE = KnownDevice(
    "gan-hemt",
    {"awg": 12.0, "vth": 1.4, "k2": 0.15, "x0_0": 0.4, "x0_1": 0.03, "cgs": 9e-10}
    | {"cgd0": 8e-12, "cgd1": 1.5e-10, "vgd1": 3.0, "wgd1": 1.5}
    | {"cgd2": 3e-11, "vgd2": 30.0, "wgd2": 8.0}
    | {"cds0": 2e-10, "cds1": 6e-10, "vds1": 5.0, "wds1": 3.0}
    | {"cds2": 2e-10, "vds2": 40.0, "wds2": 12.0},
    DatasheetConditions(
        output_vgs_v=[2.5, 3.0, 4.0, 5.0],
        output_vds_max_v=3.0,
        transfer_vds_v=3.0,
        transfer_vgs_v=(0.0, 5.0),
        capacitance_vds_v=(0.5, 100.0),
        diode_vsd_max_v=3.0,
    ),
    model_type="gan-epc",
    device_type="GaN-HEMT",
)


def channel_errors(fit: SpiceFit, truth: FitInput) -> dict[str, float]:
    """Worst RMS error per graph kind, as a fraction of full scale, of the written model
    simulated by ngspice against the true device's curves."""
    verification = verify_with_ngspice(fit, truth)
    assert verification is not None, "ngspice is needed to compare against the true device"
    worst: dict[str, float] = {}
    for report in verification.report:
        worst[report.graph_type] = max(worst.get(report.graph_type, 0.0), report.rms_error)
    return worst


def capacitance_errors(fit: SpiceFit, truth: FitInput) -> dict[str, float]:
    """Median relative error of Ciss, Coss and Crss of the written model (ngspice) against
    the true device's capacitances at their bias points."""
    vds = sorted({point[0] for curve in truth.capacitance for point in curve.points})
    dut = DeviceUnderTest(
        fit.model_text,
        fit.name,
        instance_prefix="x" if fit.model_type == "gan-epc" else "m",
        pchan=fit.pchan,
    )
    plan = SweepPlan(capacitance_vds_v=vds, capacitance_vgs_v=truth.capacitance[0].vgs_v)
    simulated = simulate(dut, plan).capacitance_f
    errors = {}
    for curve in truth.capacitance:
        points = np.asarray(curve.points)
        model = np.interp(points[:, 0], vds, simulated[curve.name])
        errors[curve.name] = float(np.median(np.abs(model / points[:, 1] - 1.0)))
    return errors


def with_digitizer_noise(truth: FitInput, rms_fraction: float, seed: int) -> FitInput:
    """``truth`` as a digitizer might read it: every y off by a random ``rms_fraction`` of its
    graph's full scale (of its decades on a log axis); x as read."""
    rng = np.random.default_rng(seed)
    tables = {c.kind: c.scale for c in curve_table(truth)}

    def jitter(points: list[list[float]], scale: AxisScale) -> list[list[float]]:
        array = np.asarray(points, float)
        noise = rng.normal(0.0, rms_fraction, len(array))
        if scale.log:
            array[:, 1] *= (scale.high / scale.low) ** noise
        else:
            array[:, 1] += noise * (scale.high - scale.low)
        return array.tolist()

    noisy = FitInput(
        pchan=truth.pchan, device_type=truth.device_type, y_scales=dict(truth.y_scales)
    )
    for curve in truth.output:
        noisy.output.append(type(curve)(curve.vgs_v, jitter(curve.points, tables["output"])))
    for curve in truth.transfer:
        points = jitter(curve.points, tables["transfer"])
        noisy.transfer.append(type(curve)(curve.vds_v, points, curve.temperature_c))
    for curve in truth.capacitance:
        points = jitter(curve.points, tables["capacitance"])
        noisy.capacitance.append(type(curve)(curve.name, points, vgs_v=curve.vgs_v))
    for curve in truth.body_diode:
        noisy.body_diode.append(type(curve)(jitter(curve.points, tables["body_diode"])))
    return noisy


def _axes(x: tuple[str, str], y: tuple[str, str], scale: AxisScale | None) -> dict[str, Any]:
    y_axis: dict[str, Any] = {"quantity": y[0], "unit": y[1]}
    if scale is not None:
        factor = 1e-12 if y[1] == "pF" else 1.0
        y_axis |= {
            "min": scale.low / factor,
            "max": scale.high / factor,
            "scale": "log" if scale.log else "linear",
        }
    return {"x": {"quantity": x[0], "unit": x[1]}, "y": y_axis}


def datasheet_graphs(truth: FitInput) -> list[dict[str, Any]]:
    """``truth`` as the graph dicts a product's digitize results give the ``spice_fit`` job:
    labelled curves in axis units (pF for capacitances), signed as a P-channel datasheet
    prints them, with the capacitances' conditions given for the graph as the datasheet
    reader gives them."""
    sign = -1.0 if truth.pchan else 1.0
    scales = truth.y_scales

    def signed(points: list[list[float]]) -> list[list[float]]:
        return (sign * np.asarray(points)).tolist()

    def curve(label: str, points: list[list[float]]) -> dict[str, Any]:
        return {"label": label, "value": None, "points": points}

    graphs = [
        {
            "graph_type": "output",
            "axes": _axes(("VDS", "V"), ("ID", "A"), scales.get("output")),
            "curves": [
                curve(f"VGS = {sign * c.vgs_v:g} V", signed(c.points)) for c in truth.output
            ],
        },
        {
            "graph_type": "transfer",
            "axes": _axes(("VGS", "V"), ("ID", "A"), scales.get("transfer")),
            "curves": [
                curve(f"VDS = {sign * c.vds_v:g} V, Tj = 25 °C", signed(c.points))
                for c in truth.transfer
            ],
        },
    ]
    if truth.capacitance:
        graphs.append(
            {
                "graph_type": "capacitance",
                "axes": _axes(("VDS", "V"), ("C", "pF"), scales.get("capacitance")),
                "conditions": {"VGS": sign * truth.capacitance[0].vgs_v, "f": 1e6},
                "curves": [
                    curve(c.name.capitalize(), (np.asarray(c.points) * [sign, 1e12]).tolist())
                    for c in truth.capacitance
                ],
            }
        )
    if truth.body_diode:
        graphs.append(
            {
                "graph_type": "body_diode",
                "axes": _axes(("VSD", "V"), ("ISD", "A"), scales.get("body_diode")),
                "curves": [curve("Tj = 25 °C", signed(c.points)) for c in truth.body_diode],
            }
        )
    return graphs
