"""An EPC-style behavioural GaN HEMT: its equations in numpy and its ``.subckt``.

Channel (symmetric; the lower of source and drain acts as source)::

    Vov = k2 · softplus((Vgx - vth)/k2),   Vgx = max(Vgs, Vgd)
    Id  = awg · Vov · Vds / (1 + x0 · |Vds|),   x0 = max(x0_0 + x0_1 · Vgx, 1e-3)

so a small Vds sees ``Rds(on) = 1/(awg · Vov)`` and saturation is ``awg · Vov / x0``.
Capacitances are logistic sums of the drain-facing voltage (Vds for Cds, Vdg for Cgd)
written as charge-based sources (:mod:`graphq.spice.logistic_capacitance`), and Cgs is
constant. Only ``min``, ``max``, ``abs``, ``exp`` and ``log`` appear in the expressions,
which ngspice and LTspice both evaluate.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import numpy as np

from graphq.spice.logistic_capacitance import (
    CAPACITANCE_NAMES,
    CDS_NAMES,
    CGD_NAMES,
    LOGISTIC_DEFAULTS,
    charge_element,
    charge_text,
    logistic_capacitances,
    softplus_text,
)
from graphq.spice.model_file import format_value, header, spice_name

CHANNEL_NAMES = ("awg", "vth", "k2", "x0_0", "x0_1")

GAN_DEFAULTS: dict[str, float] = {
    "awg": 10.0,
    "vth": 1.5,
    "k2": 0.2,
    "x0_0": 0.5,
    "x0_1": 0.0,
    **LOGISTIC_DEFAULTS,
}
X0_FLOOR = 1e-3


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


def capacitances(params: Mapping[str, float], vds: np.ndarray) -> dict[str, np.ndarray]:
    """Ciss, Coss and Crss in F at Vgs = 0 against ``vds``."""
    v = np.asarray(vds, float)
    return logistic_capacitances(with_defaults(params), np.zeros_like(v), v)


def reverse_current(params: Mapping[str, float], vsd: np.ndarray) -> np.ndarray:
    """Source-to-drain current at Vgs = 0: a HEMT conducts in reverse through its channel."""
    v = np.asarray(vsd, float)
    return -drain_current(params, np.zeros_like(v), -v)


def gan_subckt_text(name: str, params: Mapping[str, float], when: dt.date | None = None) -> str:
    """A ``.subckt NAME drain gate source`` file for ngspice and LTspice."""
    p = with_defaults(params)
    model = spice_name(name)
    vgx = "max(V(gate,source),V(gate,drain))"
    overdrive = f"{format_value(p['k2'])}*" + softplus_text(
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
        *charge_element("gd", "drain", "gate", charge_text(p, CGD_NAMES, "V(drain,gate)")),
        *charge_element("ds", "drain", "source", charge_text(p, CDS_NAMES, "V(drain,source)")),
        f".ends {model}",
    ]
    return "\n".join(lines) + "\n"
