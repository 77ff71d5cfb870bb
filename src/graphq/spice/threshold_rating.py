"""The table's threshold rating held against the model: the gate voltage at which the model
conducts the table's rated current, and a prior that keeps it inside the rated range.

A datasheet rates VGS(th) (VGS(off) of a depletion part) at a small drain current, 10 µA …
250 µA. The VDMOS card's ``vto`` is no such voltage: ngspice smooths the overdrive with
``ksubthres``, so the card conducts a good part of its square-law current at ``vto`` and
reaches the rated current volts below it where ``ksubthres`` is large. Comparing ``vto``
with the table called a model wrong that matches the table, and the reverse; the model's own
VGS at the rated current is what the table rates. Where the table states its current, that
voltage is checked, and the channel fit is pulled back where it would leave the range (a
prior, not a bound: the graphs still set the fit, the table only the threshold region they
leave open below their lowest current).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from graphq.spice import vdmos
from graphq.spice.inputs import TableRatings


@dataclass(frozen=True)
class ThresholdPriorSettings:
    # The prior's residual per volt outside the rated range: a tenth of a volt outside
    # counts as much as a graph missed by 1 % of full scale RMS, so the fit gives up no
    # visible accuracy for it, but leaves the range only where the graphs demand it.
    weight_per_v: float = 0.1
    # Beyond this distance (V) the prior pulls no harder (it saturates, tanh): a table that
    # far from what the graphs show contradicts them, and the graphs, not the table, are
    # what the model must match; the check then names the gap instead.
    reach_v: float = 0.5
    # Fixed-point passes for β's dependence on VGS (θ) and VDS (λ, where VDS = VGS).
    passes: int = 8


THRESHOLD_PRIOR = ThresholdPriorSettings()


@dataclass(frozen=True)
class ThresholdRating:
    """The table's rated range (N-channel sense, V), the current it is rated at (A) and the
    VDS (V; None where VDS = VGS)."""

    low: float
    high: float
    current_a: float
    vds_v: float | None

    @property
    def condition(self) -> str:
        vds = "VDS = VGS" if self.vds_v is None else f"VDS = {self.vds_v:g} V"
        return f"ID = {self.current_a:g} A, {vds}"


def threshold_rating(ratings: TableRatings | None) -> ThresholdRating | None:
    """The table's threshold with the current it is rated at; None where either is unread."""
    if ratings is None:
        return None
    low, high, current = (
        ratings.threshold_low_v,
        ratings.threshold_high_v,
        ratings.threshold_current_a,
    )
    if low is None or high is None or current is None or current <= 0.0:
        return None
    return ThresholdRating(low, high, current, ratings.threshold_vds_v)


def model_threshold(
    params: Mapping[str, float],
    rating: ThresholdRating,
    settings: ThresholdPriorSettings = THRESHOLD_PRIOR,
) -> float:
    """The VGS (V, N-channel sense) at which the channel conducts the rated current in
    saturation: ngspice's overdrive ``ksubthres·ln(1 + exp((Vgs - Vto - subshift)/ksubthres))``
    solved for VGS. Rs and Rd drop nothing at microamperes."""
    p = vdmos.with_defaults(params)
    slope = p["ksubthres"]
    vgs = p["vto"]
    for _ in range(settings.passes):
        vds = abs(vgs) if rating.vds_v is None else rating.vds_v
        beta = p["kp"] * (1.0 + p["lambda"] * vds) / max(1.0 + p["theta"] * vgs, 1e-6)
        overdrive = np.sqrt(2.0 * rating.current_a / beta)
        # ln(exp(x) - 1) without overflow: x + ln(1 - exp(-x)).
        x = overdrive / slope
        vgs = p["vto"] + p["subshift"] + slope * float(x + np.log(-np.expm1(-x)))
    return float(vgs)


def outside(value: float, low: float, high: float) -> float:
    """How far ``value`` lies outside the range ``low`` … ``high``; 0 inside."""
    return max(low - value, value - high, 0.0)


def saturating_pull(distance: float, weight: float, reach: float) -> np.ndarray:
    """A prior's residual for ``distance`` outside its range: ``weight`` per unit near the
    range, pulling no harder beyond ``reach`` (tanh), so a table the graphs truly contradict
    cannot outweigh them."""
    return np.array([weight * reach * np.tanh(distance / reach)])


def threshold_residual(
    params: Mapping[str, float],
    rating: ThresholdRating | None,
    settings: ThresholdPriorSettings = THRESHOLD_PRIOR,
) -> np.ndarray:
    """The prior's residual (none without a rating): the model's threshold outside the
    table's range, weighted by :attr:`ThresholdPriorSettings.weight_per_v` and saturating
    beyond :attr:`ThresholdPriorSettings.reach_v`."""
    if rating is None:
        return np.zeros(0)
    distance = outside(model_threshold(params, rating, settings), rating.low, rating.high)
    return saturating_pull(distance, settings.weight_per_v, settings.reach_v)
