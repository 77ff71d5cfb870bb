"""Fitting the VDMOS channel (Vto, Kp, ksubthres, λ, mtriode, θ, Rd, Rs, and the
quasi-saturation Rq, Vq) to Id curves.

Closed-form starting values first (:mod:`graphq.spice.channel_start`). Then bounded least
squares on output, transfer and Rds(on) curves together, from a few starts that differ in
the triode shape: each gets a short run, the best is carried on to convergence. A curve of
a family far worse matched than its siblings (a digitizer misread,
:mod:`graphq.spice.misread_curves`) is then trusted less and the fit repeated.

The model's complexity follows what the curves support: where output curves are left
visibly unmatched, quasi-saturation (the drift region's resistance rising with Vds, which
flattens the top output curves) is tried from a few starts, and kept only when it lowers
the Bayesian information criterion, so two more parameters must earn their place. Where
the curves show only the linear start of that rise (vq pushed beyond its bound), vq is held
and rq alone must earn its place. Where the datasheet gives its Rth(j-c) and an output curve
droops, self-heating (``rthjc``, :mod:`graphq.spice.self_heating`) is tried first the same
way (:mod:`graphq.spice.channel_extensions`). Each graph counts the same (a part's output
and saturation graphs are two), so where graphs contradict each other each is left as near
as the others allow.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import numpy as np

from graphq.spice.bound_probe import probe_bounds
from graphq.spice.channel_bounds import (
    CHANNEL_BOUNDS,
    QUASI_SATURATION_NAMES,
    channel_bounds,
    channel_parameters_determined,
)
from graphq.spice.channel_extensions import (
    QUASI_SATURATION_TRIGGER,
    droops,
    earns_its_parameters,
    heating_starts,
    linear_drift_start,
    quasi_saturation_starts,
    worst_channel_error,
)
from graphq.spice.channel_start import initial_channel_guess
from graphq.spice.curves import CurveData
from graphq.spice.misread_curves import misread_curve_trust
from graphq.spice.optimise import (
    Bound,
    ParameterFit,
    cpu_clock,
    curve_residuals,
    fit_parameters,
    graph_of,
)
from graphq.spice.rdson_rating import RdsOnRating
from graphq.spice.table_prior import Prior, table_prior
from graphq.spice.threshold_rating import ThresholdRating
from graphq.spice.vdmos_equations import VDMOS_EQUATIONS

_TRIODE_STARTS = (1.0, 2.0, 0.6)
# How often the misread curves' weights are renewed.
_REWEIGHTING_PASSES = 4
# Evaluations each start gets before the best one is carried on (the rest are dropped).
_SCOUTING_EVALUATIONS = 60
# Past this much CPU time in the channel fit (see optimise.cpu_clock), no further refinement
# (reweighting, extensions) starts: a product's whole fit stays well inside its 10 s.
_CHANNEL_TIME_BUDGET_S = 6.0
# The plain model's share of it when quasi-saturation may be tried after it: a plain fit
# that does not converge in this time is rarely the better model.
_PLAIN_MODEL_SHARE = 0.45
# A start that leaves every graph within 0.1 % of full scale RMS (cost = half the sum of the
# graphs' mean squared errors) cannot be bettered visibly and is taken as it stands.
_GOOD_ENOUGH_COST = 0.5 * 1e-3**2


def fit_channel(
    curves: list[CurveData],
    rthjc_max: float | None = None,
    *,
    depletion: bool | None = None,
    threshold: ThresholdRating | None = None,
    rdson: RdsOnRating | None = None,
) -> ParameterFit:
    """Fit the channel to the output, transfer and Rds(on) ``curves``: every channel
    parameter (fitted ones and defaults) with the names fitted.

    The plain model and, where it leaves curves visibly unmatched, the one with
    quasi-saturation are each converged on equally trusted curves first; the information
    criterion picks one, and only that one is refined for misread curves. So the time
    budget goes to comparing the models, not to polishing one that loses. Where the
    datasheet gives its Rth(j-c) (``rthjc_max``, K/W) and an output curve droops (its current
    falling as Vds rises, which only heating makes), self-heating is tried the same way
    first, with ``rthjc`` between none (a short pulse) and that value (a DC sweep). ``depletion``
    (known from the device type) keeps Vto on the part's side of zero (see
    :func:`channel_bounds`). ``threshold``, the table's rated VGS(th) and its current, is a
    prior on the model's VGS at that current (:mod:`graphq.spice.threshold_rating`): the
    graphs rarely reach down to it, so their fit leaves it open. ``rdson``, the table's
    RDS(on) range at its condition, is a prior the same way (:mod:`graphq.spice.rdson_rating`).
    """
    prior = table_prior(threshold, rdson)
    deadline = cpu_clock() + _CHANNEL_TIME_BUDGET_S
    channel = [c for c in curves if c.kind in ("output", "transfer", "rdson")]
    bounds = channel_bounds(curves, depletion)
    names = channel_parameters_determined(channel)
    start = initial_channel_guess(channel)
    starts = [start]
    if "mtriode" in names:
        starts = [{**start, "mtriode": m} for m in _TRIODE_STARTS]
    outputs = any(c.kind == "output" for c in channel)
    # Where quasi-saturation may follow, the plain model gets a share of the budget only.
    started = cpu_clock()
    plain_deadline = started + _PLAIN_MODEL_SHARE * _CHANNEL_TIME_BUDGET_S if outputs else deadline
    chosen = _fit_from_starts(channel, names, starts, plain_deadline, bounds, prior)
    heating = rthjc_max is not None and rthjc_max > 0.0 and any(droops(c) for c in channel)
    if heating and cpu_clock() < deadline:
        assert rthjc_max is not None
        bounds = {**bounds, "rthjc": Bound(0.0, rthjc_max, natural_low=True)}
        starts = heating_starts(chosen.params, rthjc_max)
        heated = _fit_from_starts(
            channel, [*chosen.names, "rthjc"], starts, deadline, bounds, prior
        )
        if earns_its_parameters(_residuals(channel, prior), chosen, heated):
            chosen = heated
    if (
        outputs
        and worst_channel_error(channel, chosen.params) > QUASI_SATURATION_TRIGGER
        and cpu_clock() < deadline
    ):
        extended = _fit_from_starts(
            channel,
            [*chosen.names, *QUASI_SATURATION_NAMES],
            quasi_saturation_starts(channel, chosen.params),
            deadline,
            bounds,
            prior,
        )
        if "vq" in extended.at_bound and cpu_clock() < deadline:
            extended = _linear_drift_fit(
                channel, list(chosen.names), extended, deadline, bounds, prior
            )
        if earns_its_parameters(_residuals(channel, prior), chosen, extended):
            chosen = extended
    chosen, trust = _reweighted(channel, chosen, deadline, bounds, prior)
    if not chosen.at_bound or cpu_clock() > deadline:
        return chosen
    # Probed under the weights the fit ended with, so the probe starts from its optimum.
    graphs = len({graph_of(c) for c in channel})
    notes = probe_bounds(_residuals(channel, prior, trust), chosen, bounds, graphs)
    return replace(chosen, bound_notes=notes)


def refit_thermal_resistance(
    curves: list[CurveData], params: dict[str, float], rthjc_max: float
) -> ParameterFit:
    """``rthjc`` alone refitted to the 25 °C channel curves with ``params`` final: the
    temperature terms fitted after the channel (``mu``, ``texp0``) set how much a kelvin of
    heating moves the current, so the heating that matched before them is matched again."""
    channel = [c for c in curves if c.kind in ("output", "transfer", "rdson")]
    bounds = {**CHANNEL_BOUNDS, "rthjc": Bound(0.0, rthjc_max, natural_low=True)}
    return fit_parameters(
        lambda p: curve_residuals(VDMOS_EQUATIONS, p, channel), params, ["rthjc"], bounds
    )


def _linear_drift_fit(
    channel: list[CurveData],
    names: list[str],
    free: ParameterFit,
    deadline: float,
    bounds: dict[str, Bound],
    prior: Prior | None = None,
) -> ParameterFit:
    """Quasi-saturation with ``vq`` held (not fitted) where the free fit pushed it to its
    upper bound (see :func:`graphq.spice.channel_extensions.linear_drift_start`)."""
    start = linear_drift_start(channel, free.params)
    return _fit_from_starts(channel, [*names, "rq"], [start], deadline, bounds, prior)


def _fit_from_starts(
    channel: list[CurveData],
    names: list[str],
    starts: list[dict[str, float]],
    deadline: float,
    bounds: dict[str, Bound] = CHANNEL_BOUNDS,
    prior: Prior | None = None,
) -> ParameterFit:
    """A short run from every start, the best carried on to convergence."""
    residuals = _residuals(channel, prior)
    best: ParameterFit | None = None
    for trial in starts:
        scouted = fit_parameters(
            residuals,
            trial,
            names,
            bounds,
            max_evaluations=_SCOUTING_EVALUATIONS,
            deadline=deadline,
        )
        if best is None or scouted.cost < best.cost:
            best = scouted
        if scouted.cost < _GOOD_ENOUGH_COST:
            return scouted
    assert best is not None
    return fit_parameters(residuals, best.params, names, bounds, deadline=deadline)


def _reweighted(
    channel: list[CurveData],
    fitted: ParameterFit,
    deadline: float,
    bounds: dict[str, Bound] = CHANNEL_BOUNDS,
    prior: Prior | None = None,
) -> tuple[ParameterFit, list[float] | None]:
    """``fitted`` refitted with misread curves trusted less, while time allows, and the
    curves' trust in its last refit (None: every curve fully trusted)."""
    names = list(fitted.names)
    used: list[float] | None = None
    for _ in range(_REWEIGHTING_PASSES):
        trust = misread_curve_trust(channel, fitted.params)
        if trust is None or cpu_clock() > deadline:
            break
        fitted = fit_parameters(
            _residuals(channel, prior, trust),
            fitted.params,
            names,
            bounds,
            deadline=deadline,
        )
        used = trust
    return fitted, used


def _residuals(
    channel: list[CurveData],
    prior: Prior | None,
    trust: list[float] | None = None,
) -> Callable[[dict[str, float]], np.ndarray]:
    """The fit's residuals: the curves' (each scaled by its ``trust``), and the table's
    priors where they are given."""

    def residuals(params: dict[str, float]) -> np.ndarray:
        curves = curve_residuals(VDMOS_EQUATIONS, params, channel, trust)
        return curves if prior is None else np.concatenate([curves, prior(params)])

    return residuals
