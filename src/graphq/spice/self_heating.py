"""Self-heating: the junction warmed by the power the device dissipates, as ngspice 39
computes it for a VDMOS instance flagged ``thermal`` (vdmosload.c).

In a DC sweep the junction settles at ``Tj = Ta + rthjc·P`` with the case held at the
ambient ``Ta`` (the ``tc`` node at 0 V: ngspice's thermal nodes carry the rise above the
circuit temperature). At ``Tj`` the channel takes the card's temperature scaling
(:mod:`graphq.spice.vdmos_temperature`) and, as ngspice 39 does on top of it for a heated
instance, ``kp`` once more by ``(Tj/Ta)^mu``, ``rd`` by ``(Tj/Ta)^texp0`` (1.5 unless
written) and ``rq`` by ``(Tj/Ta)^texp1``. A pulsed datasheet graph shows the heating of its
pulse only, so the fitted ``rthjc`` is the thermal resistance the curves show, at most the
datasheet's Rth(j-c). ``tests/spice/test_self_heating.py`` checks the equations against
ngspice point by point.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from graphq.spice import vdmos
from graphq.spice.vdmos_temperature import KELVIN_OFFSET, TEMPERATURE_DEFAULTS

SELF_HEATING_NAMES = ("rthjc",)
# ngspice's texp0 where a card leaves it out: a heated instance scales Rd by it regardless.
NGSPICE_TEXP0 = 1.5
# Newton passes on the junction temperature, and the step of its difference quotient (K).
_TEMPERATURE_PASSES = 6
_TEMPERATURE_STEP_K = 0.01
# A device hotter than this has no steady state a datasheet would draw (thermal runaway);
# the solve stops there rather than diverge.
_MAX_RISE_K = 1000.0


def _ratio(params: Mapping[str, float], rise: np.ndarray) -> tuple[np.ndarray, float]:
    ambient_k = params.get("temp", vdmos.TNOM_C) + KELVIN_OFFSET
    return (ambient_k + rise) / ambient_k, ambient_k


def heated(params: Mapping[str, float], rise: np.ndarray) -> dict[str, Any]:
    """The channel parameters per point at ``rise`` kelvin above the ambient the ``params``
    hold (``temp``, tnom unless scaled), as ngspice 39 uses them in a heated instance."""
    p = {**TEMPERATURE_DEFAULTS, **params}
    ratio, _ = _ratio(p, rise)
    texp0 = p.get("texp0", NGSPICE_TEXP0)
    rd_scale = ratio**texp0 if "texp0" in params else 1.0 + p.get("trd1", 0.0) * rise
    return {
        **p,
        # The card's scaling to Tj, and ngspice's second factor of a heated instance.
        "kp": p.get("kp", 1.0) * ratio ** (2.0 * p["mu"]),
        "vto": p.get("vto", 0.0) - p["tcvth"] * rise,
        "ksubthres": p.get("ksubthres", 0.1) * (1.0 + p.get("tksubthres1", 0.0) * rise),
        "rd": p.get("rd", 0.0) * rd_scale * ratio**texp0,
        "rs": p.get("rs", 0.0) * (1.0 + p.get("trs1", 0.0) * rise),
        "rq": p.get("rq", 0.0) * ratio ** (2.0 * p["texp1"]),
    }


def junction_rise(params: Mapping[str, float], vgs: np.ndarray, vds: np.ndarray) -> np.ndarray:
    """The junction's rise above ambient in K at each point: the root of
    ``g(ΔT) = ΔT - rthjc·P(ΔT)`` by Newton steps from the unheated power, vectorised over the
    points (``g`` grows with ΔT wherever a steady state exists). ``P`` is what ngspice
    heats the junction with: the channel's and Rd's dissipation, ``Id·(Vds - Id·Rs)``; the
    source resistance's is not counted."""
    vgs_a, vds_a = np.broadcast_arrays(np.asarray(vgs, float), np.asarray(vds, float))
    rth = float(params.get("rthjc", 0.0))
    if rth <= 0.0:
        return np.zeros_like(vgs_a)
    rs = float(params.get("rs", 0.0))
    cold = vdmos.drain_current(params, vgs_a, vds_a)
    rise = np.clip(rth * cold * (vds_a - cold * rs), 0.0, _MAX_RISE_K)
    both_vgs, both_vds = np.concatenate([vgs_a, vgs_a]), np.concatenate([vds_a, vds_a])
    for _ in range(_TEMPERATURE_PASSES):
        trial = np.concatenate([rise, rise + _TEMPERATURE_STEP_K])
        scaled = heated(params, trial)
        current = vdmos.drain_current(scaled, both_vgs, both_vds)
        at, above = np.split(rth * current * (both_vds - current * scaled["rs"]), 2)
        residual = rise - at
        slope = np.maximum(1.0 - (above - at) / _TEMPERATURE_STEP_K, 0.1)
        rise = np.clip(rise - residual / slope, 0.0, _MAX_RISE_K)
    return rise


def drain_current(params: Mapping[str, float], vgs: np.ndarray, vds: np.ndarray) -> np.ndarray:
    """Terminal drain current in A (N-channel sense) of a device heated by its own
    dissipation; :func:`graphq.spice.vdmos.drain_current` where ``rthjc`` is absent."""
    if float(params.get("rthjc", 0.0)) <= 0.0:
        return vdmos.drain_current(params, vgs, vds)
    vgs_a, vds_a = np.broadcast_arrays(np.asarray(vgs, float), np.asarray(vds, float))
    rise = junction_rise(params, vgs_a, vds_a)
    return vdmos.drain_current(heated(params, rise), vgs_a, vds_a)
