"""Fitting the VDMOS temperature terms to the curves datasheets draw at other temperatures.

The 25 °C parameters come first, from the curves measured there; they are held while the
terms that move them with temperature (:mod:`graphq.spice.vdmos_temperature`) are fitted to
what the other curves show:

- transfer and output curves at other junction temperatures: the threshold's drift
  ``tcvth`` and the mobility exponent ``mu`` (the two cross where the part's temperature
  coefficient is zero, which pins both);
- a threshold-against-Tj curve (VGS(th), VGS(off)): ``tcvth``;
- an Rds(on)-against-Tj curve: the drift resistance's exponent ``texp0`` (with ``mu``
  where no channel curve at another temperature sets it);
- body-diode curves at other temperatures: the band gap ``eg`` of the saturation current.

A datasheet without such curves leaves ngspice's defaults (``mu = -1.5``, no threshold
drift, Rd constant), and the fit writes none of them.
"""

from __future__ import annotations

import numpy as np

from graphq.spice.curves import CurveData
from graphq.spice.optimise import Bound, ParameterFit, curve_residuals, fit_parameters
from graphq.spice.vdmos_equations import VDMOS_EQUATIONS

# Physical ranges. tcvth: silicon thresholds fall 2–10 mV/K, SiC ones a few mV/K; 20 mV/K
# either way is beyond any part. mu: phonon scattering gives -1.5 to -2.7 in silicon, a SiC
# channel's interface-limited mobility may rise with temperature. texp0: a silicon drift
# region's resistance grows as T^2.3–2.6, a SiC one's more slowly. eg: the junction's band gap,
# 1.11 eV in silicon, 3.2 eV in 4H-SiC.
TEMPERATURE_BOUNDS = {
    "tcvth": Bound(-0.02, 0.02),
    "mu": Bound(-3.5, 1.5),
    "texp0": Bound(0.0, 4.0, natural_low=True),
    "eg": Bound(0.5, 4.0),
}
TEMPERATURE_NAMES = tuple(TEMPERATURE_BOUNDS)
_START = {"tcvth": 0.004, "mu": -1.5, "texp0": 2.0, "eg": 1.11}


def temperature_parameters_determined(curves: list[CurveData]) -> list[str]:
    """Which temperature terms the curves away from 25 °C pin down."""
    names: list[str] = []
    hot_channel = any(c.kind in ("output", "transfer") and not c.nominal for c in curves)
    if hot_channel:
        names += ["tcvth", "mu"]
    if any(c.kind == "threshold_temperature" for c in curves):
        names.append("tcvth")
    if any(c.kind == "rdson_temperature" for c in curves):
        names.append("texp0")
        if not hot_channel:
            names.append("mu")
    if any(c.kind == "body_diode" and not c.nominal for c in curves):
        names.append("eg")
    return list(dict.fromkeys(names))


def temperature_curves(curves: list[CurveData]) -> list[CurveData]:
    """The curves that say how the part changes with temperature."""
    return [c for c in curves if not c.nominal and c.kind != "capacitance"]


def fit_temperature(curves: list[CurveData], nominal: dict[str, float]) -> ParameterFit:
    """Fit the temperature terms to ``curves`` holding the 25 °C parameters ``nominal``;
    nothing fitted when no curve was measured away from 25 °C."""
    fitted = temperature_curves(curves)
    names = temperature_parameters_determined(fitted)
    start = {**nominal, **{n: _START[n] for n in names}}
    if not names:
        return ParameterFit(start)
    # Rds(on) curves scale Rd only once texp0 is on the card; the start puts it there.

    def residuals(params: dict[str, float]) -> np.ndarray:
        return curve_residuals(VDMOS_EQUATIONS, params, fitted)

    return fit_parameters(residuals, start, names, TEMPERATURE_BOUNDS)
