"""Which capacitances the PSpice-style subcircuit carries: the card's, or logistic steps.

The VDMOS card's Cgd (atan/tanh between Cgdmax and Cgdmin with one slope) and its junction
Cds fall smoothly; a superjunction part's Crss and Coss drop ten- to twentyfold within a
volt as its pillars deplete, and the card cannot make that step. The subcircuit is free to
carry any shape, so there the capacitances are fitted again as logistic sums
(:mod:`graphq.spice.fit_logistic_capacitance`). They replace the card's only when the card
misses its limit and the sums are clearly better: the two dialects then differ where the
curves demand it, and nowhere else.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from graphq.spice import vdmos
from graphq.spice.curves import CurveData, DeviceEquations, predict
from graphq.spice.fit_capacitance import in_decades
from graphq.spice.fit_logistic_capacitance import fit_logistic_capacitances
from graphq.spice.logistic_capacitance import CAPACITANCE_NAMES, logistic_capacitances
from graphq.spice.optimise import ParameterFit
from graphq.spice.quality import LIMITS
from graphq.spice.report import curve_reports
from graphq.spice.vdmos_equations import VDMOS_EQUATIONS


@dataclass(frozen=True)
class SteppedCapacitanceSettings:
    """When the subcircuit's capacitances leave the card's shapes."""

    # The card's worst capacitance (median relative error) must be beyond this: a card
    # within the limit already serves, and one model in two dialects is simpler to trust.
    card_beyond: float = LIMITS.capacitance_median
    # The sums must bring the worst error to at most this fraction of the card's: clearly
    # better, not a few per cent an extra seven parameters buy on any curve.
    improvement: float = 0.5


SETTINGS = SteppedCapacitanceSettings()


def _subcircuit_capacitances(
    params: Mapping[str, float], vgs: np.ndarray, vds: np.ndarray
) -> dict[str, np.ndarray]:
    return logistic_capacitances(params, vgs, vds)


# The subcircuit's equations at 25 °C: the card's channel and diode, stepped capacitances.
SUBCIRCUIT_EQUATIONS = DeviceEquations(
    drain_current=vdmos.drain_current,
    capacitances=_subcircuit_capacitances,
    on_resistance=vdmos.on_resistance,
    diode_current=VDMOS_EQUATIONS.diode_current,
)


def _worst_median(
    equations: DeviceEquations, params: Mapping[str, float], caps: list[CurveData]
) -> float:
    reports = curve_reports(caps, predict(equations, params, caps))
    return max(r.median_relative_error for r in reports)


def stepped_capacitances(
    curves: list[CurveData],
    card: Mapping[str, float],
    settings: SteppedCapacitanceSettings = SETTINGS,
) -> ParameterFit | None:
    """The logistic-sum capacitances for the subcircuit (their fit, holding
    :data:`~graphq.spice.logistic_capacitance.CAPACITANCE_NAMES`), or None where the card's
    fitted ``card`` parameters follow the 25 °C capacitance ``curves`` well enough or the
    sums do not do clearly better."""
    caps = in_decades([c for c in curves if c.kind == "capacitance" and c.nominal])
    if not caps:
        return None
    card_error = _worst_median(VDMOS_EQUATIONS, card, caps)
    if card_error <= settings.card_beyond:
        return None
    fitted = fit_logistic_capacitances(caps, SUBCIRCUIT_EQUATIONS, dict(card))
    if _worst_median(SUBCIRCUIT_EQUATIONS, fitted.params, caps) > settings.improvement * card_error:
        return None
    return fitted


def subcircuit_parameters(fitted: ParameterFit) -> dict[str, float]:
    """The capacitance parameters the subcircuit writes."""
    return {name: fitted.params[name] for name in CAPACITANCE_NAMES if name in fitted.params}
