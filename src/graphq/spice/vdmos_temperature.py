"""The VDMOS model's temperature scaling, equation for equation with ngspice 39
(vdmostemp.c), in the N-channel sense.

A card is fitted at ``tnom = 25 °C``; ngspice moves its parameters to the device temperature
``T`` before every analysis (ratio ``r = T/Tnom`` in kelvin, ``dT = T - Tnom``):

- ``kp·r^mu`` (mobility; ngspice's default ``mu = -1.5``),
- ``vto - tcvth·dT`` (threshold; for a P-channel card ngspice flips the sign with the
  polarity, so in the N-channel sense it is the same formula),
- ``ksubthres·(1 + tksubthres1·dT)``,
- ``rd·r^texp0`` when ``texp0`` is written, else ``rd·(1 + trd1·dT)`` (so a card without
  either keeps Rd constant), ``rs·(1 + trs1·dT)``, ``rq·r^texp1`` (default 0.3),
- the body diode's ``is·exp((r - 1)·eg/(n·Vt) + xti/n·ln r)`` with ``Vt`` at ``T``, and
  ``rb·(1 + trb1·dT)``.

:func:`at_temperature` returns the scaled parameters with ``temp`` (°C) set, which the
body diode's equation reads for its thermal voltage. ``tests/spice/test_vdmos.py`` checks
the result against ngspice at -55 °C and 125 °C.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from graphq.spice.vdmos import BOLTZMANN_J_PER_K, ELECTRON_CHARGE_C, TNOM_C

KELVIN_OFFSET = 273.15
# ngspice's defaults of the temperature parameters graphq fits.
TEMPERATURE_DEFAULTS: dict[str, float] = {
    "tcvth": 0.0,
    "mu": -1.5,
    "texp1": 0.3,
    "eg": 1.11,
    "xti": 3.0,
}
# Within this many kelvin of tnom a curve counts as measured at tnom (datasheets print 25 °C
# for "room temperature" pulses whose junction sits a few kelvin warmer).
NOMINAL_TOLERANCE_K = 5.0


def thermal_voltage(temperature_c: float) -> float:
    return BOLTZMANN_J_PER_K * (temperature_c + KELVIN_OFFSET) / ELECTRON_CHARGE_C


def is_nominal(temperature_c: float) -> bool:
    return abs(temperature_c - TNOM_C) <= NOMINAL_TOLERANCE_K


def at_temperature(params: Mapping[str, float], temperature_c: float) -> dict[str, float]:
    """``params`` (a card's values, N-channel sense) as ngspice uses them at
    ``temperature_c``; ``params`` unchanged apart from ``temp`` at tnom."""
    p = {**TEMPERATURE_DEFAULTS, **params, "temp": temperature_c}
    if temperature_c == TNOM_C:
        return p
    tnom_k = TNOM_C + KELVIN_OFFSET
    ratio = (temperature_c + KELVIN_OFFSET) / tnom_k
    delta = temperature_c - TNOM_C
    p["kp"] = p.get("kp", 1.0) * ratio ** p["mu"]
    p["vto"] = p.get("vto", 0.0) - p["tcvth"] * delta
    p["ksubthres"] = p.get("ksubthres", 0.1) * (1.0 + p.get("tksubthres1", 0.0) * delta)
    if "texp0" in params:
        p["rd"] = p.get("rd", 0.0) * ratio ** p["texp0"]
    else:
        p["rd"] = p.get("rd", 0.0) * (1.0 + p.get("trd1", 0.0) * delta)
    p["rs"] = p.get("rs", 0.0) * (1.0 + p.get("trs1", 0.0) * delta)
    p["rq"] = p.get("rq", 0.0) * ratio ** p["texp1"]
    n = p.get("n", 1.0)
    exponent = (ratio - 1.0) * p["eg"] / (n * thermal_voltage(temperature_c))
    p["is"] = p.get("is", 1e-14) * float(np.exp(exponent + p["xti"] / n * np.log(ratio)))
    p["rb"] = p.get("rb", 0.0) * (1.0 + p.get("trb1", 0.0) * delta)
    return p
