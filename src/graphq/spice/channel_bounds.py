"""The VDMOS channel's parameter space: each parameter's physical range, what no curve
determines, which parameters each kind of graph pins down, and the ranges narrowed to one
part (its mode, its gate drive).
"""

from __future__ import annotations

from graphq.spice import vdmos
from graphq.spice.curves import CurveData
from graphq.spice.optimise import Bound

# Subthreshold current grows at most a decade per 60 mV at 25 °C (ideality 1): ksubthres
# ≥ 2·Vt. Below that nothing physical is described, and ngspice's exp((Vgs - Vto)/ksubthres)
# overflows within an ordinary gate drive, so the written model would not simulate.
KSUBTHRES_MIN = 2.0 * vdmos.THERMAL_VOLTAGE_V
# And at least a decade per 1.2 V (ideality 20): SiC channels with interface traps reach a
# decade per 0.5–1 V over the currents datasheets draw; beyond, the curve is no
# subthreshold slope but the square law's own bend.
KSUBTHRES_MAX = 20.0 * KSUBTHRES_MIN
# Mobility degradation and velocity saturation: θ ≈ μ/(vsat·L) + 1/(Ecrit·tox) stays below
# 5 1/V for channels down to 0.12 µm (μ = 600 cm²/Vs, vsat = 10⁷ cm/s); a fit wanting more
# stands in for a series resistance, and θ and Kp slide off together along the valley
# Kp/θ.
THETA_MAX_PER_V = 5.0
# ngspice's β = Kp/(1 + θ·Vgs) has a pole at Vgs = -1/θ; at the most negative gate voltage a
# depletion part's datasheet uses, 1 + θ·Vgs stays at least this (β at most doubled).
THETA_POLE_MARGIN = 0.5

# Kp and mtriode trade off in triode (only Kp·mtriode counts there); bounds at what real
# parts need (Kp ≤ 10⁴ A/V² for sub-milliohm channels, mtriode within 5× of 1) keep a fit
# to curves the model cannot follow from sliding down that valley to absurd values.
CHANNEL_BOUNDS = {
    "vto": Bound(-15.0, 15.0),
    "kp": Bound(1e-4, 1e4, log=True),
    "ksubthres": Bound(KSUBTHRES_MIN, KSUBTHRES_MAX, log=True),
    "lambda": Bound(0.0, 0.5, natural_low=True),
    "mtriode": Bound(0.2, 5.0, log=True),
    "theta": Bound(0.0, THETA_MAX_PER_V, natural_low=True),
    "rd": Bound(1e-7, 100.0, log=True, natural_low=True),
    "rs": Bound(1e-7, 100.0, log=True, natural_low=True),
    # Quasi-saturation: the drift region adds up to rq, over a Vds of a few vq. A part's
    # whole on-resistance stays below 1 kΩ; vq from tenths of a volt (low-voltage trench
    # parts) to the rated voltage of high-voltage ones (3.3 kV SiC), where the rise is
    # still near-linear over the graph's Vds.
    "rq": Bound(1e-5, 1e3, log=True),
    "vq": Bound(0.05, 3000.0, log=True),
}
CHANNEL_NAMES = tuple(CHANNEL_BOUNDS)
QUASI_SATURATION_NAMES = ("rq", "vq")
# Values for what no curve determines: ngspice's own defaults, and no series resistance.
CHANNEL_DEFAULTS = {
    "ksubthres": 0.1,
    "lambda": 0.0,
    "mtriode": 1.0,
    "theta": 0.0,
    "rd": 0.0,
    "rs": 0.0,
}


def channel_parameters_determined(curves: list[CurveData]) -> list[str]:
    """Which channel parameters the available graph kinds pin down."""
    kinds = {c.kind for c in curves}
    names = ["vto", "kp"]
    if "transfer" in kinds:
        # A transfer curve's top bends under Rs (its drop takes gate drive) and, at a low
        # VDS, flattens where Rd leaves the channel no more: both shape it with or without
        # output curves.
        names += ["ksubthres", "theta", "rd", "rs"]
    if "output" in kinds:
        names += ["lambda", "mtriode", "theta", "rd", "rs"]
    if "rdson" in kinds:
        names += ["theta", "rd", "rs"]
    return list(dict.fromkeys(names))


def channel_bounds(curves: list[CurveData], depletion: bool | None = None) -> dict[str, Bound]:
    """:data:`CHANNEL_BOUNDS` for this part: Vto on its side of zero where the mode is
    known (an enhancement part's curves leave a negative Vto nowhere to come from, and a fit
    that wanders there has found a local minimum, not the part), and θ kept clear of its
    pole: ngspice divides Kp by ``1 + θ·Vgs``, which a depletion part's negative gate drive
    (its curves', and the capacitances' bias it is switched off at) must not bring near
    zero."""
    bounds = dict(CHANNEL_BOUNDS)
    if depletion is not None:
        vto = CHANNEL_BOUNDS["vto"]
        bounds["vto"] = Bound(vto.low, 0.0) if depletion else Bound(0.0, vto.high)
    gates = [c.condition for c in curves if c.kind in ("output", "capacitance")]
    gates += [float(c.x.min()) for c in curves if c.kind == "transfer" and c.x.size]
    lowest = min(gates, default=0.0)
    if lowest < 0.0:
        theta_max = min(THETA_MAX_PER_V, THETA_POLE_MARGIN / -lowest)
        bounds["theta"] = Bound(0.0, theta_max, natural_low=True)
    return bounds
