"""The fitted VDMOS as a PSpice-style subcircuit, for simulators without ngspice's VDMOS.

Pins ``drain gate source``. Inside: Rg, Rd (with the quasi-saturation term when fitted),
Rs, the channel as a behavioural current source holding :func:`graphq.spice.vdmos.
intrinsic_current`'s equations (softplus overdrive, θ, λ, mtriode; forward and inverse
mode as ``f(Vgs, Vds⁺) - f(Vgd, Vsd⁺)``), a constant Cgs, Cgd as its charge
``Q(Vdg)`` (the integral of devsup.c's atan/tanh shape) through a 1 nF capacitor and a
current-controlled current source, and the body diode as a junction diode carrying Cds
(Cjo, Vj, M), Is, N, Rb and the band gap.

Where the card's shapes cannot follow the capacitance curves (a superjunction part's step),
the subcircuit carries logistic sums instead (:mod:`graphq.spice.subcircuit_capacitance`
decides): Cgs constant, Cgd of Vdg and Cds of Vds as charge-based sources
(:mod:`graphq.spice.logistic_capacitance`), and a body diode without junction capacitance.

Only ``E``/``G`` sources with ``VALUE={…}``, ``F`` sources and ``.MODEL D`` appear, and
only ``min``, ``max``, ``abs``, ``exp``, ``log`` and ``atan`` in expressions: PSpice,
LTspice and ngspice all read that. The channel holds the 25 °C parameters alone (behavioural
sources have no portable temperature variable); the diode follows temperature as its
model does. graphq verifies this text by simulating it in ngspice against the same curves
as the VDMOS card.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping

import numpy as np

from graphq.spice import logistic_capacitance as logistic
from graphq.spice.model_file import format_value, header, spice_name
from graphq.spice.vdmos import with_defaults
from graphq.spice.vdmos_temperature import at_temperature

DIALECTS = ("vdmos", "pspice")
Across = Callable[[str, str], str]
# PSpice refuses zero-ohm resistors; this stands for "none" (well below any part's Rds(on)).
_SMALLEST_RESISTANCE_OHM = 1e-6
# Gate resistance written where the card has none (the datasheets' curves do not show it).
_DEFAULT_RG_OHM = 1e-3
# The temperature PSpice, LTspice and ngspice measure a .MODEL's parameters at unless told
# (each spells "told" differently). The diode's Is is written as it is there: its Arrhenius
# law then gives the card's own Is at every temperature.
SIMULATOR_TNOM_C = 27.0


def _f(value: float) -> str:
    return format_value(value)


def _channel(p: Mapping[str, float], vg: str, vd: str) -> str:
    """VDMOS channel current with gate drive ``vg`` and drain voltage ``vd`` (≥ 0)."""
    k = p["ksubthres"]
    argument = f"({vg}-{_f(p['vto'])})/{_f(k)}"
    overdrive = f"({_f(k)}*{logistic.softplus_text(argument)})"
    beta = f"({_f(p['kp'])}*(1+{_f(p['lambda'])}*{vd})/(1+{_f(p['theta'])}*{vg}))"
    vx = f"min({_f(p['mtriode'])}*{vd},{overdrive})"
    return f"{beta}*{vx}*({overdrive}-0.5*{vx})"


def _cgd_charge_nc(p: Mapping[str, float], v: str) -> str:
    """``1e9·Q(v)`` of Cgd at gate-drain voltage ``v``: ∫ of ``s·atan(a·v) + y`` below zero
    and ``s·tanh(a·v) + y`` above (``ln cosh`` written overflow-free)."""
    s = (p["cgdmax"] - p["cgdmin"]) / (1.0 + np.pi / 2.0)
    y = p["cgdmax"] - s
    a = p["a"]
    vn, vp = f"min({v},0)", f"max({v},0)"
    atan_part = f"({vn}*atan({_f(a)}*{vn})-log(1+({_f(a)}*{vn})*({_f(a)}*{vn}))/{_f(2 * a)})"
    lncosh = f"({_f(a)}*{vp}+log(1+exp(-2*{_f(a)}*{vp}))-{_f(np.log(2.0))})/{_f(a)}"
    return f"{_f(y * 1e9)}*{v}+{_f(s * 1e9)}*({atan_part}+{lncosh})"


def _resistance(value: float) -> str:
    return _f(max(value, _SMALLEST_RESISTANCE_OHM))


def _card_capacitances(p: Mapping[str, float], across: Across, pchan: bool) -> list[str]:
    """Cgs, and Cgd of the card's atan/tanh shape (Cds rides on the body diode)."""
    plus, minus = ("d1", "g1") if pchan else ("g1", "d1")
    charge = _cgd_charge_nc(p, across("g1", "d1"))
    return [
        f"CGS g1 s1 {_f(max(p['cgs'], 1e-18))}",
        *logistic.charge_element("GD", plus, minus, charge, syntax="e"),
    ]


def _stepped_capacitances(c: Mapping[str, float], across: Across, pchan: bool) -> list[str]:
    """Cgs, and Cgd and Cds as logistic sums of Vdg and Vds."""
    p = {**logistic.LOGISTIC_DEFAULTS, **c}
    lines = [f"CGS g1 s1 {_f(max(p['cgs'], 1e-18))}"]
    for tag, node, names in (("gd", "g1", logistic.CGD_NAMES), ("ds", "s1", logistic.CDS_NAMES)):
        charge = logistic.charge_text(p, names, across("d1", node))
        plus, minus = (node, "d1") if pchan else ("d1", node)
        lines += logistic.charge_element(tag.upper(), plus, minus, charge, syntax="e")
    return lines


def pspice_subckt_text(
    name: str,
    params: Mapping[str, float],
    *,
    pchan: bool,
    capacitances: Mapping[str, float] | None = None,
    when: dt.date | None = None,
) -> str:
    """A ``.SUBCKT NAME drain gate source`` holding the VDMOS card's ``params`` (card values:
    ``vto`` negative for an enhancement P-channel part), with the logistic-sum
    ``capacitances`` (:data:`graphq.spice.logistic_capacitance.CAPACITANCE_NAMES`) in place of
    the card's where given."""
    p = with_defaults(params)
    if pchan:
        p["vto"] = -p["vto"]
    model = spice_name(name)

    # N-channel sense inside: a P-channel part's voltages and currents are read reversed.
    def across(a: str, b: str) -> str:
        return f"V({b},{a})" if pchan else f"V({a},{b})"

    vgs, vgd, vds = across("g1", "s1"), across("g1", "d1"), across("d1", "s1")
    forward = _channel(p, vgs, f"max({vds},0)")
    inverse = _channel(p, vgd, f"max(-{vds},0)")
    channel_pins = "s1 d1" if pchan else "d1 s1"
    lines = [
        header(name, "PSpice-compatible VDMOS subcircuit", when),
        "* channel at 25 C; pins: drain gate source",
        f".SUBCKT {model} drain gate source",
        f"RG gate g1 {_f(p.get('rg', 0.0) or _DEFAULT_RG_OHM)}",
        f"RS s1 source {_resistance(p['rs'])}",
    ]
    if p["rq"] > 0.0:
        terminal = across("drain", "source")
        rd = (
            f"({_resistance(p['rd'])}+{_f(p['rq'])}*abs({terminal})"
            f"/(abs({terminal})+{_f(abs(p['vq']))}))"
        )
        lines.append(f"GRD drain d1 VALUE={{V(drain,d1)/{rd}}}")
    else:
        lines.append(f"RD drain d1 {_resistance(p['rd'])}")
    lines.append(f"GCH {channel_pins} VALUE={{{forward}-({inverse})}}")
    junction: tuple[tuple[str, float], ...] = ()
    if capacitances is None:
        lines += _card_capacitances(p, across, pchan)
        junction = (("cjo", p["cjo"]), ("vj", p["vj"]), ("m", p["m"]))
    else:
        lines += _stepped_capacitances(capacitances, across, pchan)
    lines += [
        f"DBODY {'drain source' if pchan else 'source drain'} DBODY",
        ".MODEL DBODY D("
        + " ".join(
            f"{key.upper()}={_f(value)}"
            for key, value in (
                ("is", at_temperature(p, SIMULATOR_TNOM_C)["is"]),
                ("n", p["n"]),
                ("rs", p["rb"]),
                *junction,
                ("eg", p.get("eg", 1.11)),
                ("xti", p.get("xti", 3.0)),
            )
        )
        + ")",
        f".ENDS {model}",
    ]
    return "\n".join(lines) + "\n"
