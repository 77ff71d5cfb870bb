"""Fitting VDMOS capacitances (Cgs, Cgdmax, Cgdmin, a, Cjo, Vj, M) to Ciss, Coss and Crss.

Datasheets measure at Vgs = 0, where Crss = Cgd, Ciss = Cgs + Cgd and Coss = Cds + Cgd.
The starting values decompose the curves that way: Cgd from Crss (its value near 0 V, its
floor and the voltage where it has fallen half way, which is 1/a), Cgs as the median of
Ciss - Crss, the junction's Cjo from Coss - Crss at the lowest voltage. Then bounded least
squares on the three curves' log errors together, under a Cauchy loss: the card's
arctangent Cgd and power-law junction cannot follow every shape datasheets draw (a
superjunction's step in Crss and Coss; a depletion part's Crss, measured below its
threshold, rising only below 10 V), and a fit that straddles such a stretch misses
everywhere. The Cauchy loss lets it match where most of each curve lies and give up the
stretch it cannot follow, which the per-curve median error then shows.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from graphq.spice.curves import CurveData
from graphq.spice.inputs import AxisScale
from graphq.spice.optimise import (
    Bound,
    ParameterFit,
    curve_residuals,
    curve_weights,
    fit_parameters,
)
from graphq.spice.vdmos_equations import VDMOS_EQUATIONS

CAPACITANCE_BOUNDS = {
    "cgs": Bound(1e-16, 1e-5, log=True),
    "cgdmax": Bound(1e-16, 1e-5, log=True),
    "cgdmin": Bound(1e-17, 1e-5, log=True, natural_low=True),
    "a": Bound(1e-4, 1e3, log=True),
    "cjo": Bound(1e-16, 1e-4, log=True),
    # A junction's built-in potential: 0.5–1 V in silicon, up to 3 V in SiC. SPICE lowers
    # it by about 2.5 mV/K, so a vj below 0.5 V turns negative before 175 °C and the model
    # stops ngspice there ("timestep too small"); a curve asking for less is reported.
    "vj": Bound(0.5, 5.0, log=True),
    # Grading coefficient: 1/3 for a linearly graded junction, 1/2 for an abrupt one;
    # superjunction parts go higher, below 1 where the depletion charge diverges.
    "m": Bound(0.1, 0.95),
}
CAPACITANCE_NAMES = tuple(CAPACITANCE_BOUNDS)
_JUNCTION_START = {"vj": 0.7, "m": 0.5}
# Once Crss lies flat, Cgdmin is no less than this fraction of its lowest reading.
CGDMIN_FLOOR_FRACTION = 0.5
# Crss "lies flat" when it changes by less than this over the last third of its span.
_FLAT_TAIL_RATIO = 1.3
# Residuals beyond this (a fraction of the decades the capacitances span) weigh less and
# less (Cauchy): about 10 % relative error on a three-decade graph, the limit a curve is
# held to.
ROBUST_SCALE = 0.015


def capacitance_parameters_determined(curves: list[CurveData]) -> list[str]:
    names = {c.capacitance for c in curves if c.kind == "capacitance"}
    determined = []
    if "ciss" in names:
        determined.append("cgs")
    if "crss" in names:
        determined += ["cgdmax", "cgdmin", "a"]
    if "coss" in names:
        determined += ["cjo", "vj", "m"]
    return determined


def _named(curves: list[CurveData], name: str) -> CurveData | None:
    return next((c for c in curves if c.capacitance == name), None)


def _at(curve: CurveData | None, vds: np.ndarray) -> np.ndarray:
    if curve is None:
        return np.zeros_like(vds)
    return np.interp(vds, curve.x, curve.y)


def initial_capacitance_guess(curves: list[CurveData]) -> dict[str, float]:
    ciss, coss, crss = (_named(curves, n) for n in ("ciss", "coss", "crss"))
    guess = {"cgs": 0.0, "cgdmax": 0.0, "cgdmin": 0.0, "a": 1.0, "cjo": 0.0, **_JUNCTION_START}
    if crss is not None:
        near_zero = float(crss.y[0])
        floor = 0.8 * float(crss.y.min())
        half = floor + 0.5 * (near_zero - floor)
        v_half = float(crss.x[np.argmax(crss.y <= half)]) if np.any(crss.y <= half) else 1.0
        a = 1.0 / max(v_half, 1e-3)
        s = (near_zero - floor) / (np.pi / 2.0)
        guess.update(cgdmin=floor, cgdmax=near_zero + s, a=a)
    if ciss is not None:
        gate_source = ciss.y - _at(crss, ciss.x)
        guess["cgs"] = float(max(np.median(gate_source), 0.1 * ciss.y.min()))
    if coss is not None:
        drain_source = coss.y - _at(crss, coss.x)
        v0 = float(coss.x[0])
        c0 = float(max(drain_source[0], 0.1 * coss.y[0]))
        guess["cjo"] = c0 * (1.0 + max(v0, 0.0) / _JUNCTION_START["vj"]) ** _JUNCTION_START["m"]
    return guess


def _bounds_for(caps: list[CurveData]) -> dict[str, Bound]:
    """:data:`CAPACITANCE_BOUNDS`, with Cgdmin kept near the floor a flat Crss shows.

    Cgd approaches Cgdmin only as 1/Vds, so a Crss curve that flattens out is followed
    about as well by an arctangent falling towards zero as by its real floor, and beyond
    the last point read the first keeps falling where the real curve does not. A Crss
    still falling steeply at its end says nothing about the floor and leaves it free.
    """
    crss = _named(caps, "crss")
    if crss is None or crss.x.size < 3:
        return CAPACITANCE_BOUNDS
    tail_start = crss.x[-1] - (crss.x[-1] - crss.x[0]) / 3.0
    if float(np.interp(tail_start, crss.x, crss.y)) > _FLAT_TAIL_RATIO * float(crss.y[-1]):
        return CAPACITANCE_BOUNDS
    floor = CGDMIN_FLOOR_FRACTION * float(crss.y.min())
    # Ending on this floor is its purpose, not a sign of trouble: natural_low.
    bound = Bound(floor, float(crss.y.max()), log=True, natural_low=True)
    return {**CAPACITANCE_BOUNDS, "cgdmin": bound}


def in_decades(caps: list[CurveData]) -> list[CurveData]:
    """``caps`` scored on one log axis over their values (points at or below zero dropped)."""
    positive = np.concatenate([c.y[c.y > 0] for c in caps] or [np.zeros(0)])
    if positive.size == 0:
        return caps
    low, high = float(positive.min()), float(positive.max())
    scale = AxisScale(log=True, low=low, high=max(high, 10.0 * low))
    return [
        replace(c, x=c.x[c.y > 0], y=c.y[c.y > 0], scale=scale) for c in caps if np.any(c.y > 0)
    ]


def fit_capacitances(curves: list[CurveData]) -> ParameterFit:
    """Fit the capacitance parameters to the Ciss/Coss/Crss ``curves`` (zero for
    capacitances no curve shows)."""
    caps = in_decades([c for c in curves if c.kind == "capacitance"])
    names = capacitance_parameters_determined(caps)
    start = initial_capacitance_guess(caps)
    if not caps:
        return ParameterFit(start)

    def residuals(params: dict[str, float]) -> np.ndarray:
        return curve_residuals(VDMOS_EQUATIONS, params, caps)

    return fit_parameters(
        residuals,
        start,
        names,
        _bounds_for(caps),
        loss="cauchy",
        # Residuals carry their curve's weight; the scale is a display error, weighted alike.
        loss_scale=ROBUST_SCALE * float(np.median(curve_weights(caps))),
    )
