"""Curve families of a power transistor datasheet, computed from device equations.

Each family function draws a random device from ``rng`` and returns its curves over their
natural domain together with the axes a vendor would print, highest curve first.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import numpy as np

from graphq.digitizer.types import Axes

from .axes import decade_ceil, decade_floor, linear_axis, log_axis, nice_ceil
from .graph import CurveFamily, TruthCurve
from .mosfet import random_mosfet

SAMPLES = 600
GATE_VOLTAGES_V = (15.0, 10.0, 8.0, 7.0, 6.5, 6.0, 5.5, 5.0, 4.5, 4.0)


def _fmt(value: float) -> str:
    return f"{value:g}"


def _curve(label: str, value: float | None, x: np.ndarray, y: np.ndarray) -> TruthCurve:
    return TruthCurve(label=label, value=value, points=np.column_stack([x, y]))


def _pick_gate_voltages(rng: np.random.Generator, vto_v: float) -> list[float]:
    """The top curve at 15 V or 10 V, then 2–8 lower gate voltages above threshold."""
    usable = [v for v in GATE_VOLTAGES_V if v > vto_v + 0.9]
    top = int(rng.random() < 0.5)
    below = usable[top + 1 :]
    count = int(min(len(below), rng.integers(2, 9)))
    chosen = rng.choice(below, size=count, replace=False)
    return sorted([usable[top], *(float(v) for v in chosen)], reverse=True)


def output_family(rng: np.random.Generator) -> CurveFamily:
    """ID against VDS for several VGS; at high drive the series resistance makes the curves
    run together out of one line at low VDS before they fan out into saturation."""
    device = random_mosfet(rng)
    vgs_list = _pick_gate_voltages(rng, device.vto_v)
    kp = device.kp_a_per_v2 * 10.0 ** rng.uniform(-0.7, 1.0)
    # Series resistance from comparable to the channel's at full drive (curves fan out
    # early) up to many times the channel's at the second curve (the top curves run as one
    # line over much of the plot, 1-3 px apart).
    merged = rng.random() < 0.5
    overdrives_v = [v - device.vto_v for v in vgs_list]
    if merged:
        series_ohm = rng.uniform(6.0, 20.0) / (kp * overdrives_v[1])
        knee_overdrive_v = overdrives_v[1]
    else:
        series_ohm = rng.uniform(1.0, 5.0) / (kp * overdrives_v[0])
        knee_overdrive_v = overdrives_v[len(vgs_list) // 2]
    split = rng.uniform(0.6, 0.9)
    device = replace(
        device, kp_a_per_v2=kp, rd_ohm=series_ohm * split, rs_ohm=series_ohm * (1 - split) * 0.2
    )
    saturation_a = 0.5 * kp * knee_overdrive_v**2 / (1.0 + device.theta_per_v * knee_overdrive_v)
    knee_v = saturation_a * series_ohm + knee_overdrive_v
    log_log = rng.random() < 0.3
    vds_max_v = (
        float(rng.choice([10.0, 100.0]))
        if log_log
        else nice_ceil(knee_v * (rng.uniform(1.2, 2.0) if merged else rng.uniform(1.5, 5.0)))
    )
    vds_min_v = float(rng.choice([0.1, 1.0]) if vds_max_v >= 100 else 0.1) if log_log else 0.0
    vds = (
        np.geomspace(vds_min_v, vds_max_v * 1.2, SAMPLES)
        if log_log
        else np.linspace(0.0, vds_max_v * 1.2, SAMPLES)
    )
    curves = [
        _curve(f"VGS = {_fmt(v)} V", v, vds, device.drain_current_a(np.full_like(vds, v), vds))
        for v in vgs_list
    ]
    end_currents = sorted(float(np.interp(vds_max_v, vds, c.points[:, 1])) for c in curves)
    leaving = int(rng.integers(0, min(3, len(curves))))
    top_a = end_currents[-1 - leaving] * rng.uniform(1.02, 1.3)
    if log_log:
        low_a = float(np.interp(vds_min_v, vds, curves[0].points[:, 1]))
        y_axis = log_axis(low_a * rng.uniform(0.05, 0.6), top_a, "ID", "A")
    else:
        y_axis = linear_axis(0.0, nice_ceil(top_a), "ID", "A")
    x_axis = (log_axis if log_log else linear_axis)(vds_min_v, vds_max_v, "VDS", "V")
    box_texts = {
        "table": "VGS\nTop: "
        + "\n".join(f"{_fmt(v)} V" for v in vgs_list[:-1])
        + f"\nBottom: {_fmt(vgs_list[-1])} V",
        "notes": "Notes:\n1. 250 µs pulse test\n2. TC = 25 °C",
        "condition": "TJ = 25 °C",
    }
    return CurveFamily("output", Axes(x=x_axis, y=y_axis), curves, box_texts)


def transfer_family(rng: np.random.Generator) -> CurveFamily:
    """ID against VGS at a few junction temperatures; on log-y the subthreshold onset makes
    every curve fall near-vertically through the bottom edge."""
    base = random_mosfet(rng)
    current_scale = 10.0 ** rng.uniform(-0.7, 1.0)
    series_ohm = rng.uniform(0.002, 0.05) / current_scale
    base = replace(
        base,
        kp_a_per_v2=base.kp_a_per_v2 * current_scale,
        rd_ohm=series_ohm * 0.7,
        rs_ohm=series_ohm * 0.3,
    )
    temperatures_c = [[25.0, 150.0], [-55.0, 25.0, 150.0], [25.0, 100.0, 175.0]][
        int(rng.integers(0, 3))
    ]
    vds_v = float(rng.choice([10.0, 20.0, 25.0]))
    vgs_max_v = float(rng.choice([8.0, 10.0, 12.0]))
    vgs = np.linspace(0.0, vgs_max_v, SAMPLES * 2)
    curves = [
        _curve(
            f"TJ = {_fmt(t)} °C",
            t,
            vgs,
            base.at_temperature(t).drain_current_a(vgs, np.full_like(vgs, vds_v)),
        )
        for t in sorted(temperatures_c)
    ]
    top_a = max(float(c.points[-1, 1]) for c in curves)
    if rng.random() < 0.6:
        decades = int(rng.integers(3, 6))
        y_axis = log_axis(decade_ceil(top_a) / 10.0**decades, top_a, "ID", "A")
    else:
        y_axis = linear_axis(0.0, nice_ceil(top_a * rng.uniform(0.8, 1.2)), "ID", "A")
    x_axis = linear_axis(0.0, vgs_max_v, "VGS", "V")
    box_texts = {
        "condition": f"VDS = {_fmt(vds_v)} V",
        "notes": "Notes:\n1. 250 µs pulse test",
    }
    return CurveFamily("transfer", Axes(x=x_axis, y=y_axis), curves, box_texts)


def capacitance_family(rng: np.random.Generator) -> CurveFamily:
    """Ciss, Coss and Crss against VDS; Ciss and Coss can cross twice at low VDS, where the
    gate capacitance still rises towards zero bias and the output capacitance has not yet
    fallen below it."""
    cgs_pf = 10.0 ** rng.uniform(2.3, 4.0)
    cgd_max_pf = cgs_pf * rng.uniform(0.1, 0.5)
    cgd_min_pf = cgs_pf * 10.0 ** rng.uniform(-2.5, -1.3)
    knee_per_v = rng.uniform(0.05, 0.4)
    vj_v = rng.uniform(1.0, 6.0)
    grading = rng.uniform(0.35, 0.6)
    crossing = rng.random() < 0.5
    cjo_pf = cgs_pf * (rng.uniform(1.2, 1.6) if crossing else 10.0 ** rng.uniform(-0.5, 0.6))
    cgs_boost = rng.uniform(0.7, 1.0) if crossing else 0.0
    log_x = rng.random() < 0.35
    vds_max_v = float(rng.choice([25.0, 40.0, 50.0, 100.0, 200.0, 400.0, 600.0]))
    vds = np.geomspace(0.1, vds_max_v, SAMPLES) if log_x else np.linspace(0.0, vds_max_v, SAMPLES)
    cgd = cgd_min_pf + (cgd_max_pf - cgd_min_pf) * (1.0 - np.tanh(knee_per_v * vds))
    cds = cjo_pf / (1.0 + vds / vj_v) ** grading
    cgs = cgs_pf * (1.0 + cgs_boost * np.exp(-vds / 0.4))
    curves = [
        _curve("Ciss", None, vds, cgs + cgd),
        _curve("Coss", None, vds, cds + cgd),
        _curve("Crss", None, vds, cgd),
    ]
    low_pf = float(np.min(cgd)) * rng.uniform(0.5, 1.0)
    high_pf = float(max(np.max(c.points[:, 1]) for c in curves)) * rng.uniform(1.05, 3.0)
    y_axis = log_axis(low_pf, high_pf, "C", "pF")
    x_axis = (
        log_axis(0.1, vds_max_v, "VDS", "V") if log_x else linear_axis(0.0, vds_max_v, "VDS", "V")
    )
    box_texts = {
        "equation": "Ciss = Cgs + Cgd\nCoss = Cds + Cgd\nCrss = Cgd",
        "condition": "VGS = 0 V\nf = 1 MHz",
    }
    return CurveFamily("capacitance", Axes(x=x_axis, y=y_axis), curves, box_texts)


def body_diode_family(rng: np.random.Generator) -> CurveFamily:
    """Source current against VSD of the body diode at a few temperatures."""
    temperatures_c = [[25.0, 150.0], [-55.0, 25.0, 150.0], [25.0, 175.0], [25.0, 125.0]][
        int(rng.integers(0, 4))
    ]
    ideality = rng.uniform(1.0, 1.6)
    current_max_a = 10.0 ** rng.uniform(0.5, 2.7)
    saturation_a = current_max_a * 10.0 ** rng.uniform(-14, -9)
    series_ohm = rng.uniform(0.1, 0.4) / current_max_a
    currents = np.geomspace(current_max_a * 1e-5, current_max_a * 2, SAMPLES)
    log_y = rng.random() < 0.7
    curves = []
    for t in sorted(temperatures_c, reverse=True):
        kelvin = t + 273.15
        thermal_v = 0.025693 * kelvin / 298.15
        # ~2 mV/K fall of the forward voltage at fixed current.
        sat_t = saturation_a * np.exp((t - 25.0) * 0.0021 / (ideality * 0.025693))
        vsd = ideality * thermal_v * np.log1p(currents / sat_t) + currents * series_ohm * (
            1 + 0.004 * (t - 25.0)
        )
        curves.append(_curve(f"TJ = {_fmt(t)} °C", t, vsd, currents))
    vmax = max(float(np.interp(current_max_a, c.points[:, 1], c.points[:, 0])) for c in curves)
    x_axis = linear_axis(
        float(rng.choice([0.0, 0.2, 0.4])), nice_ceil(vmax * rng.uniform(1.0, 1.3)), "VSD", "V"
    )
    y_axis = (
        log_axis(current_max_a * 10.0 ** -rng.integers(2, 4), current_max_a, "IS", "A")
        if log_y
        else linear_axis(0.0, nice_ceil(current_max_a), "IS", "A")
    )
    box_texts = {"condition": "VGS = 0 V", "notes": "Notes:\n1. 250 µs pulse test"}
    return CurveFamily("body_diode", Axes(x=x_axis, y=y_axis), curves, box_texts)


def rdson_current_family(rng: np.random.Generator) -> CurveFamily:
    """On-resistance against drain current for a few gate voltages (low VGS on top)."""
    r10_mohm = 10.0 ** rng.uniform(0.0, 2.5)
    current_max_a = nice_ceil(10.0 ** rng.uniform(0.5, 2.5))
    gates_v = sorted(
        rng.choice([4.5, 6.0, 10.0, 15.0], size=int(rng.integers(1, 5)), replace=False)
    )
    ids = np.linspace(0.0, current_max_a, SAMPLES)
    rise = rng.uniform(0.1, 0.8)
    curves = []
    for vgs in gates_v:
        r0 = r10_mohm * (1.0 + 2.5 / (vgs - 2.0) - 2.5 / 8.0)
        curves.append(
            _curve(
                f"VGS = {_fmt(vgs)} V",
                vgs,
                ids,
                r0 * (1 + rise * (ids / current_max_a) ** 1.5 * 10.0 / vgs),
            )
        )
    top = max(float(c.points[:, 1].max()) for c in curves)
    y_axis = linear_axis(0.0, nice_ceil(top * rng.uniform(1.05, 1.6)), "RDS(on)", "mΩ")
    x_axis = linear_axis(0.0, current_max_a, "ID", "A")
    box_texts = {"condition": "TJ = 25 °C", "notes": "Notes:\n1. 250 µs pulse test"}
    return CurveFamily(
        "rdson_current",
        Axes(x=x_axis, y=y_axis),
        curves,
        box_texts,
    )


def rdson_temperature_family(rng: np.random.Generator) -> CurveFamily:
    """Normalised on-resistance against junction temperature."""
    t_low, t_high = [(-50.0, 150.0), (-55.0, 175.0), (-50.0, 200.0), (-75.0, 175.0)][
        int(rng.integers(0, 4))
    ]
    temps = np.linspace(t_low, t_high, SAMPLES)
    exponents = sorted(rng.uniform(1.3, 2.6, size=int(rng.integers(1, 3))), reverse=True)
    currents = [10.0, 20.0, 50.0]
    curves = [
        _curve(f"ID = {_fmt(currents[i])} A", currents[i], temps, ((temps + 273.15) / 298.15) ** e)
        for i, e in enumerate(exponents)
    ]
    top = max(float(c.points[:, 1].max()) for c in curves)
    y_axis = linear_axis(
        0.0 if rng.random() < 0.4 else 0.4, nice_ceil(top * 1.05), "RDS(on)", "norm"
    )
    x_axis = linear_axis(t_low, t_high, "TJ", "°C")
    box_texts = {"condition": "VGS = 10 V"}
    return CurveFamily(
        "rdson_temperature",
        Axes(x=x_axis, y=y_axis),
        curves,
        box_texts,
    )


def breakdown_temperature_family(rng: np.random.Generator) -> CurveFamily:
    """Normalised drain-source breakdown voltage against junction temperature."""
    t_low, t_high = [(-50.0, 150.0), (-55.0, 175.0), (-75.0, 150.0)][int(rng.integers(0, 3))]
    temps = np.linspace(t_low, t_high, SAMPLES)
    slope = rng.uniform(0.0006, 0.0013)
    curve_bend = rng.uniform(-1.5e-6, 1.5e-6)
    bv = 1.0 + slope * (temps - 25.0) + curve_bend * (temps - 25.0) ** 2
    curves = [_curve("ID = 250 µA", 250.0, temps, bv)]
    y_axis = linear_axis(
        float(np.floor(bv.min() * 20 - rng.uniform(0, 2)) / 20),
        float(np.ceil(bv.max() * 20 + rng.uniform(0, 2)) / 20),
        "BVDSS",
        "norm",
    )
    x_axis = linear_axis(t_low, t_high, "TJ", "°C")
    return CurveFamily(
        "breakdown_temperature",
        Axes(x=x_axis, y=y_axis),
        curves,
        {"condition": "VGS = 0 V"},
    )


def _soft_min(a: np.ndarray, b: np.ndarray, width: float) -> np.ndarray:
    return -width * np.logaddexp(-a / width, -b / width)


def gate_charge_family(rng: np.random.Generator) -> CurveFamily:
    """VGS against gate charge for a few VDS: all curves share the first rise, and the Miller
    plateau lengthens with VDS."""
    qgs_nc = 10.0 ** rng.uniform(0.3, 2.0)
    plateau_v = rng.uniform(3.5, 6.0)
    qgd_ref_nc = qgs_nc * rng.uniform(0.6, 2.5)
    final_slope = plateau_v / qgs_nc * rng.uniform(0.35, 0.8)
    vds_max_v = float(rng.choice([30.0, 60.0, 100.0, 200.0, 600.0]))
    vds_list = sorted(
        {
            round(vds_max_v * f, 0)
            for f in rng.choice([0.2, 0.5, 0.8], int(rng.integers(1, 4)), replace=False)
        },
        reverse=True,
    )
    drive_v = float(rng.choice([10.0, 12.0, 15.0]))
    q_end_nc = qgs_nc + qgd_ref_nc + (drive_v - plateau_v) / final_slope
    charges = np.linspace(0.0, q_end_nc * 1.3, SAMPLES * 2)
    corner = plateau_v * 0.02
    curves = []
    for vds in vds_list:
        qgd_nc = qgd_ref_nc * (vds / (0.8 * vds_max_v)) ** 0.6
        rise = charges * plateau_v / qgs_nc
        plateau = plateau_v + 0.05 * (charges - qgs_nc) * plateau_v / qgs_nc
        final = plateau_v + (charges - qgs_nc - qgd_nc) * final_slope
        vgs = _soft_min(rise, -_soft_min(-plateau, -final, corner), corner)
        keep = vgs <= drive_v
        curves.append(_curve(f"VDS = {_fmt(vds)} V", vds, charges[keep], vgs[keep]))
    q_max = max(float(c.points[-1, 0]) for c in curves)
    x_axis = linear_axis(0.0, nice_ceil(q_max * rng.uniform(1.0, 1.25)), "QG", "nC")
    y_axis = linear_axis(
        0.0, drive_v if rng.random() < 0.5 else nice_ceil(drive_v * 1.1), "VGS", "V"
    )
    box_texts = {"condition": f"ID = {_fmt(nice_ceil(qgs_nc))} A"}
    return CurveFamily("gate_charge", Axes(x=x_axis, y=y_axis), curves, box_texts)


def thermal_impedance_family(rng: np.random.Generator) -> CurveFamily:
    """Transient thermal impedance for several duty cycles; a Foster network under the usual
    duty-cycle approximation, so every curve merges into RthJC at long pulse widths.

    The time constants are those of real junction-to-case networks (die ~10 µs, solder and
    lead frame ~1 ms, case ~0.1 s): at a microsecond the single pulse is a few per cent of
    RthJC, and each duty cycle's curve levels out near D·RthJC, fanning out as vendors draw it.
    """
    rth_k_per_w = 10.0 ** rng.uniform(-0.7, 0.5)
    taus_s = np.sort(10.0 ** rng.uniform([-5.5, -4.3, -3.2, -2.2], [-4.5, -3.3, -2.2, -1.0]))
    weights = rng.dirichlet(np.ones(4) * 2.0)
    duties = [0.5, 0.2, 0.1, 0.05, 0.02, 0.01]
    count = int(rng.integers(3, 7))
    chosen = sorted(rng.choice(duties, size=count, replace=False), reverse=True)
    t_max_s = float(rng.choice([1.0, 10.0]))
    pulse_s = np.geomspace(1e-6, t_max_s, SAMPLES)
    single = rth_k_per_w * np.sum(
        weights[:, None] * (1 - np.exp(-pulse_s / taus_s[:, None])), axis=0
    )
    curves = [
        _curve(f"D = {_fmt(d)}", float(d), pulse_s, d * rth_k_per_w + (1 - d) * single)
        for d in chosen
    ]
    curves.append(_curve("Single pulse", None, pulse_s, single))
    y_axis = log_axis(
        min(
            decade_floor(float(single[0])) * (10.0 if rng.random() < 0.5 else 1.0),
            decade_floor(rth_k_per_w) / 10.0,
        ),
        rth_k_per_w * rng.uniform(1.1, 3.0),
        "ZthJC",
        "K/W",
    )
    x_axis = log_axis(1e-6 if rng.random() < 0.6 else 1e-5, t_max_s, "tp", "s")
    return CurveFamily(
        "thermal_impedance",
        Axes(x=x_axis, y=y_axis),
        curves,
        {"notes": "Notes:\n1. Duty factor D = t1/t2\n2. TJ = PDM × ZthJC + TC"},
    )


FAMILIES: dict[str, Callable[[np.random.Generator], CurveFamily]] = {
    "output": output_family,
    "transfer": transfer_family,
    "capacitance": capacitance_family,
    "body_diode": body_diode_family,
    "rdson_current": rdson_current_family,
    "rdson_temperature": rdson_temperature_family,
    "breakdown_temperature": breakdown_temperature_family,
    "gate_charge": gate_charge_family,
    "thermal_impedance": thermal_impedance_family,
}

# How often each graph type is drawn: output curves dominate real datasheet sets.
FAMILY_WEIGHTS: dict[str, float] = {
    "output": 0.22,
    "transfer": 0.12,
    "capacitance": 0.15,
    "body_diode": 0.10,
    "rdson_current": 0.07,
    "rdson_temperature": 0.07,
    "breakdown_temperature": 0.05,
    "gate_charge": 0.10,
    "thermal_impedance": 0.12,
}
