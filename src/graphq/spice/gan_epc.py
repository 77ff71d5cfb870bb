"""An EPC-style behavioural GaN HEMT: its equations in numpy and its ``.subckt``.

Channel (symmetric; the lower of source and drain acts as source)::

    Vov = k2 · softplus((Vgx - vth)/k2),   Vgx = max(Vgs, Vgd)
    Id  = awg · Vov · Vds / (1 + x0 · |Vds|),   x0 = max(x0_0 + x0_1 · Vgx, 1e-3)

so a small Vds sees ``Rds(on) = 1/(awg · Vov)`` and saturation is ``awg · Vov / x0``.
Capacitances are logistic sums of the drain-facing voltage (Vds for Cds, Vdg for Cgd)::

    C(v) = c0 + c1 · σ((v1 - v)/w1) + c2 · σ((v2 - v)/w2)

and Cgs is constant. The subcircuit realises each capacitance as its charge
``Q(v) = c0·v - Σ ck·wk·softplus((vk - v)/wk)``: a behavioural voltage source holds the charge
in nC, a 1 nF capacitor turns it into ``dQ/dt`` and a current-controlled current source
mirrors that current between the device's pins. Only ``min``, ``max``, ``abs``, ``exp`` and ``ln``
appear in the expressions, which ngspice and LTspice both evaluate.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import numpy as np
from scipy.special import expit

from graphq.spice.model_file import format_value, header, spice_name

CHANNEL_NAMES = ("awg", "vth", "k2", "x0_0", "x0_1")
CGD_NAMES = ("cgd0", "cgd1", "vgd1", "wgd1", "cgd2", "vgd2", "wgd2")
CDS_NAMES = ("cds0", "cds1", "vds1", "wds1", "cds2", "vds2", "wds2")
CAPACITANCE_NAMES = ("cgs", *CGD_NAMES, *CDS_NAMES)

GAN_DEFAULTS: dict[str, float] = {
    "awg": 10.0,
    "vth": 1.5,
    "k2": 0.2,
    "x0_0": 0.5,
    "x0_1": 0.0,
    "cgs": 0.0,
    **{name: 0.0 for name in CGD_NAMES + CDS_NAMES if name[0] == "c"},
    **{name: 1.0 for name in CGD_NAMES + CDS_NAMES if name[0] != "c"},
}
X0_FLOOR = 1e-3
_SOFTPLUS_CAP = 40


def with_defaults(params: Mapping[str, float]) -> dict[str, float]:
    return {**GAN_DEFAULTS, **params}


def _overdrive(p: Mapping[str, float], vgx: np.ndarray) -> np.ndarray:
    return p["k2"] * np.logaddexp(0.0, (vgx - p["vth"]) / p["k2"])


def drain_current(params: Mapping[str, float], vgs: np.ndarray, vds: np.ndarray) -> np.ndarray:
    p = with_defaults(params)
    vgs_a, vds_a = np.broadcast_arrays(np.asarray(vgs, float), np.asarray(vds, float))
    vgx = np.maximum(vgs_a, vgs_a - vds_a)
    x0 = np.maximum(p["x0_0"] + p["x0_1"] * vgx, X0_FLOOR)
    return p["awg"] * _overdrive(p, vgx) * vds_a / (1.0 + x0 * np.abs(vds_a))


def on_resistance(params: Mapping[str, float], vgs: np.ndarray, id_a: np.ndarray) -> np.ndarray:
    """Rds(on) in Ω at ``vgs`` and drain current ``id_a``: ``Id(1 + x0·Vds) = awg·Vov·Vds``
    solved for Vds; a current beyond saturation answers with a very large resistance."""
    p = with_defaults(params)
    current = np.maximum(np.asarray(id_a, float), 1e-30)
    vgs_a = np.asarray(vgs, float)
    x0 = np.maximum(p["x0_0"] + p["x0_1"] * vgs_a, X0_FLOOR)
    headroom = np.maximum(p["awg"] * _overdrive(p, vgs_a) - x0 * current, 1e-12)
    return 1.0 / headroom


def _logistic_sum(p: Mapping[str, float], names: tuple[str, ...], v: np.ndarray) -> np.ndarray:
    c0, c1, v1, w1, c2, v2, w2 = (p[n] for n in names)
    return c0 + c1 * expit((v1 - v) / w1) + c2 * expit((v2 - v) / w2)


def capacitances(params: Mapping[str, float], vds: np.ndarray) -> dict[str, np.ndarray]:
    """Ciss, Coss and Crss in F at Vgs = 0 against ``vds``."""
    p = with_defaults(params)
    v = np.asarray(vds, float)
    cgd = _logistic_sum(p, CGD_NAMES, v)
    cds = _logistic_sum(p, CDS_NAMES, v)
    return {"ciss": p["cgs"] + cgd, "coss": cds + cgd, "crss": cgd}


def reverse_current(params: Mapping[str, float], vsd: np.ndarray) -> np.ndarray:
    """Source-to-drain current at Vgs = 0: a HEMT conducts in reverse through its channel."""
    v = np.asarray(vsd, float)
    return -drain_current(params, np.zeros_like(v), -v)


def _softplus_text(argument: str) -> str:
    # ln(1 + exp(x)) with the exponent capped so it never overflows; past the cap the
    # linear term carries on. No kink where a sweep could land exactly (as at x = 0 with
    # max/abs forms, whose derivative simulators evaluate one-sidedly).
    cap = _SOFTPLUS_CAP
    return f"(ln(1+exp(min({argument},{cap})))+max({argument}-{cap},0))"


def _charge_text(p: Mapping[str, float], names: tuple[str, ...], v: str) -> str:
    """``1e9 · Q(v)``, the charge in nC, as an expression of the voltage expression ``v``."""
    c0, c1, v1, w1, c2, v2, w2 = (p[n] for n in names)
    terms = [f"{format_value(c0 * 1e9)}*{v}"]
    for ck, vk, wk in ((c1, v1, w1), (c2, v2, w2)):
        if ck > 0:
            argument = f"({format_value(vk)}-{v})/{format_value(wk)}"
            terms.append(f"-{format_value(ck * wk * 1e9)}*{_softplus_text(argument)}")
    return "".join(terms)


def _charge_element(tag: str, plus: str, minus: str, charge: str) -> list[str]:
    return [
        f"Bq{tag} q{tag} 0 V={charge}",
        f"Cq{tag} q{tag} m{tag} 1n",
        f"Vq{tag} m{tag} 0 0",
        f"Fq{tag} {plus} {minus} Vq{tag} 1",
    ]


def gan_subckt_text(name: str, params: Mapping[str, float], when: dt.date | None = None) -> str:
    """A ``.subckt NAME drain gate source`` file for ngspice and LTspice."""
    p = with_defaults(params)
    model = spice_name(name)
    vgx = "max(V(gate,source),V(gate,drain))"
    overdrive = f"{format_value(p['k2'])}*" + _softplus_text(
        f"({vgx}-{format_value(p['vth'])})/{format_value(p['k2'])}"
    )
    x0 = f"max({format_value(p['x0_0'])}+{format_value(p['x0_1'])}*{vgx},{X0_FLOOR:g})"
    channel = f"{format_value(p['awg'])}*{overdrive}*V(drain,source)/(1+{x0}*abs(V(drain,source)))"
    listed = ", ".join(f"{k}={format_value(p[k])}" for k in (*CHANNEL_NAMES, *CAPACITANCE_NAMES))
    lines = [
        header(name, "EPC-style GaN HEMT", when),
        f"* parameters: {listed}",
        f".subckt {model} drain gate source",
        f"Bch drain source I={channel}",
        f"Cgs gate source {format_value(max(p['cgs'], 1e-18))}",
        *_charge_element("gd", "drain", "gate", _charge_text(p, CGD_NAMES, "V(drain,gate)")),
        *_charge_element("ds", "drain", "source", _charge_text(p, CDS_NAMES, "V(drain,source)")),
        f".ends {model}",
    ]
    return "\n".join(lines) + "\n"
