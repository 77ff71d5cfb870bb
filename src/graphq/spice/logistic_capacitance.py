"""Capacitances as logistic sums of a drain-facing voltage, and the charge that realises them.

A sum of falling steps follows what junction and atan/tanh shapes cannot: a GaN HEMT's
plateaus, a superjunction MOSFET's Crss and Coss dropping ten- to twentyfold within a volt
as its pillars deplete. With ``v`` the drain-gate voltage (Cgd) or the drain-source voltage
(Cds)::

    C(v) = c0 + Σk ck · σ((vk - v)/wk)

and Cgs is constant. A subcircuit realises each capacitance as its charge
``Q(v) = c0·v - Σk ck·wk·softplus((vk - v)/wk)`` (``dQ/dv = C``): a behavioural voltage
source holds the charge in nC, a 1 nF capacitor turns it into ``dQ/dt`` (through a
10 mΩ resistor, which makes it a state of its own) and a current-controlled current source
mirrors that current between the device's pins. The
expressions use only ``min``, ``max``, ``exp`` and ``log`` (natural in ngspice, LTspice
and PSpice alike).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

import numpy as np
from scipy.special import expit

from graphq.spice.model_file import format_value

# Steps per capacitance: enough for a superjunction's step plus the slow fall after it.
TERMS = 2


def logistic_names(group: str, terms: int = TERMS) -> tuple[str, ...]:
    """``c{group}0`` and each term's height, centre and width: ``("cgd0", "cgd1", "vgd1",
    "wgd1", …)``."""
    names = [f"c{group}0"]
    for k in range(1, terms + 1):
        names += [f"c{group}{k}", f"v{group}{k}", f"w{group}{k}"]
    return tuple(names)


CGD_NAMES = logistic_names("gd")
CDS_NAMES = logistic_names("ds")
CAPACITANCE_NAMES = ("cgs", *CGD_NAMES, *CDS_NAMES)
# Heights of nothing, unit voltages and widths: a sum that is zero until fitted.
LOGISTIC_DEFAULTS: dict[str, float] = {
    "cgs": 0.0,
    **{name: 0.0 for name in CGD_NAMES + CDS_NAMES if name[0] == "c"},
    **{name: 1.0 for name in CGD_NAMES + CDS_NAMES if name[0] != "c"},
}
# The charge capacitor's series resistance. Between two ideal sources the 1 nF capacitor's
# current is a bare derivative, and ngspice 39 stalled on it ("Timestep too small") at a
# switching edge of a card without series resistances at -55 °C and 175 °C; 10 mΩ gives it
# a 10 ps time constant, far below a power circuit's ns edges (1 mΩ also ran, 20x slower).
_CHARGE_DAMPING_OHM = 0.01
# A softplus exponent past this is carried on by its linear term (no overflow).
_SOFTPLUS_CAP = 40


def _terms(p: Mapping[str, float], names: tuple[str, ...]) -> list[tuple[float, float, float]]:
    return [(p[names[i]], p[names[i + 1]], p[names[i + 2]]) for i in range(1, len(names), 3)]


def logistic_sum(p: Mapping[str, float], names: tuple[str, ...], v: np.ndarray) -> np.ndarray:
    """``C(v)`` in F of the sum named ``names`` (see :func:`logistic_names`)."""
    total = p[names[0]] + np.zeros_like(np.asarray(v, float))
    for height, centre, width in _terms(p, names):
        total = total + height * expit((centre - v) / width)
    return total


def logistic_capacitances(
    params: Mapping[str, float], vgs: np.ndarray, vds: np.ndarray
) -> dict[str, np.ndarray]:
    """Ciss, Coss and Crss in F at gate voltage ``vgs`` against ``vds`` (N-channel sense):
    Cgd follows the drain-gate voltage, Cds the drain-source voltage."""
    p = {**LOGISTIC_DEFAULTS, **params}
    vds_a = np.asarray(vds, float)
    cgd = logistic_sum(p, CGD_NAMES, vds_a - np.asarray(vgs, float))
    cds = logistic_sum(p, CDS_NAMES, vds_a)
    return {"ciss": p["cgs"] + cgd, "coss": cds + cgd, "crss": cgd}


def softplus_text(argument: str) -> str:
    """``log(1 + exp(x))`` with the exponent capped so it never overflows; past the cap the
    linear term carries on. No kink where a sweep could land exactly (as at x = 0 with
    max/abs forms, whose derivative simulators evaluate one-sidedly)."""
    cap = _SOFTPLUS_CAP
    return f"(log(1+exp(min({argument},{cap})))+max({argument}-{cap},0))"


def charge_text(p: Mapping[str, float], names: tuple[str, ...], v: str) -> str:
    """``1e9 · Q(v)``, the charge in nC, as an expression of the voltage expression ``v``."""
    parts = [f"{format_value(p[names[0]] * 1e9)}*{v}"]
    for height, centre, width in _terms(p, names):
        if height > 0:
            argument = f"({format_value(centre)}-{v})/{format_value(width)}"
            parts.append(f"-{format_value(height * width * 1e9)}*{softplus_text(argument)}")
    return "".join(parts)


def charge_element(
    tag: str, plus: str, minus: str, charge: str, syntax: Literal["b", "e"] = "b"
) -> list[str]:
    """The lines that put ``dQ/dt`` of ``charge`` (nC) from ``plus`` to ``minus``.

    ``syntax`` ``b``: an ngspice/LTspice ``B`` source; ``e``: an ``E`` source with
    ``VALUE={…}``, which PSpice reads too.
    """
    source = (
        f"Bq{tag} q{tag} 0 V={charge}" if syntax == "b" else f"EQ{tag} q{tag} 0 VALUE={{{charge}}}"
    )
    return [
        source,
        f"Cq{tag} q{tag} m{tag} 1n",
        f"Rq{tag} m{tag} r{tag} {format_value(_CHARGE_DAMPING_OHM)}",
        f"Vq{tag} r{tag} 0 0",
        f"Fq{tag} {plus} {minus} Vq{tag} 1",
    ]
