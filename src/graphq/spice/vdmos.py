"""The VDMOS power-MOSFET model in numpy, equation for equation with ngspice 39.

Parameters are a mapping of lower-case SPICE names (``vto``, ``kp``, ``lambda``, ``is`` …)
to floats; missing ones take ngspice's defaults (:data:`VDMOS_DEFAULTS`). Voltages and
currents are terminal quantities as a simulator reports them: for a P-channel device
(``pchan`` true) they are negative in normal operation, and ``vto`` is negative for an
enhancement P-channel part, as in LTspice and ngspice model cards.

Everything is evaluated at the temperature the parameters hold: the card's values at its
``tnom``, or those :func:`graphq.spice.vdmos_temperature.at_temperature` scaled.
``tests/spice/test_vdmos.py`` proves each function against the real ngspice binary point by
point.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from scipy.special import wrightomega

BOLTZMANN_J_PER_K = 1.380649e-23
ELECTRON_CHARGE_C = 1.602176634e-19
TNOM_C = 25.0
THERMAL_VOLTAGE_V = BOLTZMANN_J_PER_K * (TNOM_C + 273.15) / ELECTRON_CHARGE_C

# ngspice's defaults for the parameters graphq reads or writes.
VDMOS_DEFAULTS: dict[str, float] = {
    "vto": 0.0,
    "kp": 1.0,
    "ksubthres": 0.1,
    "subshift": 0.0,
    "lambda": 0.0,
    "mtriode": 1.0,
    "theta": 0.0,
    "rd": 0.0,
    "rs": 0.0,
    "rq": 0.0,
    "vq": 0.0,
    "cgs": 0.0,
    "cgdmax": 0.0,
    "cgdmin": 0.0,
    "a": 1.0,
    "cjo": 0.0,
    "vj": 0.8,
    "m": 0.5,
    "fc": 0.5,
    "is": 1e-14,
    "n": 1.0,
    "rb": 0.0,
}

# The series-resistance solve: relative accuracy, forward-difference step, pass limit.
_NEWTON_RELATIVE_TOLERANCE = 1e-13
_NEWTON_DIFFERENCE = 1e-7
_NEWTON_MAX_PASSES = 60
# Fixed-point passes of the Rds(on) solve (λ and the quasi-saturation term).
_ON_RESISTANCE_PASSES = 4


def with_defaults(params: Mapping[str, float]) -> dict[str, float]:
    return {**VDMOS_DEFAULTS, **params}


def _polarity(pchan: bool) -> float:
    return -1.0 if pchan else 1.0


def intrinsic_current(
    params: Mapping[str, float], vgs: np.ndarray, vds: np.ndarray, *, pchan: bool = False
) -> np.ndarray:
    """Drain current of the channel between the internal nodes (no Rs/Rd), in A.

    ngspice's vdmosload.c: the overdrive ``Vgs - Vto`` is smoothed by
    ``ksubthres·ln(1 + exp((Vgs - Vto - subshift)/ksubthres))``; saturation gives
    ``β/2·Vov²``, the triode region ``β·Vds'(Vov - Vds'/2)`` with ``Vds' = mtriode·Vds``,
    the switch between them at ``Vov = Vds'``; ``β = Kp(1 + λ·Vds)/(1 + θ·Vgs)``.
    In inverse mode (``Vds < 0``) drain and source swap roles.
    """
    p = with_defaults(params)
    sign = _polarity(pchan)
    vgs_n = sign * np.asarray(vgs, dtype=float)
    vds_n = sign * np.asarray(vds, dtype=float)
    forward = vds_n >= 0
    vds_abs = np.abs(vds_n)
    # In inverse mode the gate drive is taken from the drain, which acts as source.
    vgx = np.where(forward, vgs_n, vgs_n - vds_n)
    von = p["vto"] * sign
    slope = p["ksubthres"]
    overdrive = slope * np.logaddexp(0.0, (vgx - von - p["subshift"]) / slope)
    beta = p["kp"] * (1.0 + p["lambda"] * vds_abs) / (1.0 + p["theta"] * vgx)
    vdss = vds_abs * p["mtriode"]
    saturated = overdrive <= vdss
    current = np.where(
        saturated,
        0.5 * beta * overdrive**2,
        beta * vdss * (overdrive - 0.5 * vdss),
    )
    return sign * np.where(forward, current, -current)


def quasi_saturation_resistance(params: Mapping[str, float], vds: np.ndarray) -> np.ndarray:
    """The drift region's extra drain resistance in Ω at terminal drain-source voltage
    ``vds``: ``rq·|Vds|/(|Vds| + |vq|)`` (vdmosload.c, after d'Alessandro's quasi-saturation
    model), rising from zero to ``rq`` over a few ``vq``. ngspice applies it in forward
    mode once both ``rq`` and ``vq`` are given; graphq writes them only with ``rq > 0``."""
    p = with_defaults(params)
    vds_abs = np.abs(np.asarray(vds, float))
    if np.all(np.asarray(p["rq"]) <= 0.0):
        return np.zeros_like(vds_abs)
    return p["rq"] * vds_abs / (vds_abs + abs(p["vq"]))


def drain_current(
    params: Mapping[str, float], vgs: np.ndarray, vds: np.ndarray, *, pchan: bool = False
) -> np.ndarray:
    """Terminal drain current in A with the drops across Rs and Rd solved per point.

    The channel sees ``Vgs - Id·Rs`` and ``Vds - Id·(Rs + Rd)`` (``Rd`` with the
    quasi-saturation term of :func:`quasi_saturation_resistance`), so the terminal current is
    the root of ``f(I) = I - Ich(Vgs - I·Rs, Vds - I·(Rs + Rd))``, which grows with ``I``
    and lies between zero and both the current without the resistors and
    ``Vds/(Rs + Rd)``. Newton steps (slope by a forward difference) solve it vectorised
    over all points, kept inside that shrinking bracket by falling back to bisection.
    The fit evaluates this thousands of times, hence Newton's few passes rather than
    bisection's forty. The body diode's reverse saturation current (``Is``) is not included.

    A parameter may also be an array of one value per point (a self-heated device's
    temperature-scaled channel, :mod:`graphq.spice.self_heating`).
    """
    p = with_defaults(params)
    vgs_a, vds_a = np.broadcast_arrays(np.asarray(vgs, float), np.asarray(vds, float))
    rs = p["rs"]
    rd = p["rd"] + quasi_saturation_resistance(p, vds_a)
    unloaded = intrinsic_current(p, vgs_a, vds_a, pchan=pchan)
    if not np.any(rs) and not np.any(rd):
        return unloaded
    rd_twice = np.concatenate([rd, rd])
    # Per-point parameters follow the points into the doubled Newton batch.
    doubled: dict[str, Any] = {k: np.concatenate([v, v]) if np.ndim(v) else v for k, v in p.items()}
    rs_twice = doubled["rs"]
    direction = np.sign(unloaded)
    low = np.zeros_like(unloaded)
    high = direction * np.minimum(np.abs(unloaded), np.abs(vds_a) / (rs + rd))
    tolerance = _NEWTON_RELATIVE_TOLERANCE * float(np.max(np.abs(high), initial=0.0))
    step = _NEWTON_DIFFERENCE * np.where(high != 0.0, high, 1.0)
    current = high
    for _ in range(_NEWTON_MAX_PASSES):
        trial = np.concatenate([current, current + step])
        channel = intrinsic_current(
            doubled,
            np.concatenate([vgs_a, vgs_a]) - trial * rs_twice,
            np.concatenate([vds_a, vds_a]) - trial * (rs_twice + rd_twice),
            pchan=pchan,
        )
        residual, shifted = np.split(trial - channel, 2)
        # Past the root the residual is positive along the current's direction.
        past = residual * direction > 0
        high = np.where(past, current, high)
        low = np.where(past, low, current)
        slope = (shifted - residual) / step
        newton = current - residual / np.where(slope != 0.0, slope, 1.0)
        inside = (newton - low) * (high - newton) >= 0
        following = np.where(inside, newton, 0.5 * (low + high))
        settled = np.max(np.abs(following - current), initial=0.0) <= tolerance
        current = following
        if settled:
            break
    return current


def on_resistance(params: Mapping[str, float], vgs: np.ndarray, id_a: np.ndarray) -> np.ndarray:
    """Rds(on) = Vds/Id in Ω of an N-channel device at gate voltage ``vgs`` and drain
    current ``id_a``, from the triode equation solved for Vds.

    ``β`` depends on Vds through λ, and the quasi-saturation resistance on the terminal Vds;
    a few fixed-point passes settle both. A current beyond saturation at this Vgs answers
    with the resistance at the saturation knee.
    """
    p = with_defaults(params)
    current = np.maximum(np.asarray(id_a, float), 1e-30)
    vgs_i = np.asarray(vgs, float) - current * p["rs"]
    slope = p["ksubthres"]
    overdrive = slope * np.logaddexp(0.0, (vgs_i - p["vto"] - p["subshift"]) / slope)
    beta_0 = p["kp"] / (1.0 + p["theta"] * vgs_i)
    vds_i = np.zeros_like(current)
    vds = np.zeros_like(current)
    for _ in range(_ON_RESISTANCE_PASSES):
        beta = beta_0 * (1.0 + p["lambda"] * vds_i)
        vdss = overdrive - np.sqrt(np.maximum(overdrive**2 - 2.0 * current / beta, 0.0))
        vds_i = vdss / p["mtriode"]
        series = p["rs"] + p["rd"] + quasi_saturation_resistance(p, vds)
        vds = vds_i + current * series
    return vds / current


def gate_drain_capacitance(
    params: Mapping[str, float], vgs: np.ndarray, vds: np.ndarray, *, pchan: bool = False
) -> np.ndarray:
    """Cgd in F from devsup.c DevCapVDMOS: ``s·atan(a·Vgd) + y`` for ``Vgd ≤ 0`` and
    ``s·tanh(a·Vgd) + y`` above, with ``s = (Cgdmax - Cgdmin)/(1 + π/2)`` and
    ``y = Cgdmax - s``, so Cgd runs from Cgdmin (large Vds) to Cgdmax (gate above drain).
    """
    p = with_defaults(params)
    sign = _polarity(pchan)
    vgd = sign * (np.asarray(vgs, float) - np.asarray(vds, float))
    s = (p["cgdmax"] - p["cgdmin"]) / (1.0 + np.pi / 2.0)
    y = p["cgdmax"] - s
    a = p["a"]
    return np.where(vgd > 0, s * np.tanh(a * vgd) + y, s * np.arctan(a * vgd) + y)


def drain_source_capacitance(
    params: Mapping[str, float], vds: np.ndarray, *, pchan: bool = False
) -> np.ndarray:
    """Cds in F: the body diode's depletion capacitance ``Cjo/(1 - Vd/Vj)^M`` at the diode
    voltage ``Vd = -Vds``, linearised above ``fc·Vj`` as in SPICE's junction diode."""
    p = with_defaults(params)
    vd = -_polarity(pchan) * np.asarray(vds, float)
    cjo, vj, m, fc = p["cjo"], p["vj"], p["m"], p["fc"]
    depleted = cjo / np.power(np.maximum(1.0 - vd / vj, 1.0 - fc), m)
    forward = cjo / (1.0 - fc) ** (1.0 + m) * (1.0 - fc * (1.0 + m) + m * vd / vj)
    return np.where(vd < fc * vj, depleted, forward)


def body_diode_current(
    params: Mapping[str, float], vsd: np.ndarray, *, pchan: bool = False
) -> np.ndarray:
    """Forward current of the body diode in A at source-drain voltage ``vsd`` (V).

    ``I = Is(exp(Vd/(N·Vt)) - 1)`` behind the series resistance Rb; with Rb the implicit
    equation has the closed form of the Wright omega function. Both are magnitudes for
    a P-channel part (its ``vsd`` and current are negative).
    """
    p = with_defaults(params)
    sign = _polarity(pchan)
    v = sign * np.asarray(vsd, float)
    # The thermal voltage at the temperature the parameters were scaled to (see
    # graphq.spice.vdmos_temperature.at_temperature), tnom unless said.
    vt = BOLTZMANN_J_PER_K * (p.get("temp", TNOM_C) + 273.15) / ELECTRON_CHARGE_C
    i_s, nvt, rb = p["is"], p["n"] * vt, p["rb"]
    if rb == 0.0:
        return sign * i_s * np.expm1(v / nvt)
    z = np.log(i_s * rb / nvt) + (v + i_s * rb) / nvt
    return sign * (nvt / rb * np.real(wrightomega(z)) - i_s)


def capacitances(
    params: Mapping[str, float],
    vds: np.ndarray,
    *,
    pchan: bool = False,
    vgs: float | np.ndarray = 0.0,
) -> dict[str, np.ndarray]:
    """Ciss, Coss and Crss in F against ``vds`` at gate voltage ``vgs`` (0 V on most
    datasheets; below the threshold of a depletion part), as datasheets plot them."""
    vds_a = np.asarray(vds, float)
    p = with_defaults(params)
    vgs_a = np.broadcast_to(np.asarray(vgs, float), vds_a.shape)
    cgd = gate_drain_capacitance(p, vgs_a, vds_a, pchan=pchan)
    cds = drain_source_capacitance(p, vds_a, pchan=pchan)
    return {"ciss": p["cgs"] + cgd, "coss": cds + cgd, "crss": cgd}
