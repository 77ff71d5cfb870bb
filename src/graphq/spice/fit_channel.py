"""Fitting the VDMOS channel (Vto, Kp, ksubthres, λ, mtriode, θ, Rd, Rs, and the
quasi-saturation Rq, Vq) to Id curves.

Closed-form starting values first: the √Id line of saturated points gives Vto and Kp, the
log-slope of the lowest transfer currents gives ksubthres, the first points of the output
curve at the highest Vgs give Rd + Rs. Then bounded least squares on output, transfer and
Rds(on) curves together, from a few starts that differ in the triode shape: each gets a
short run, the best is carried on to convergence. A curve of a family far worse matched
than its siblings (a digitizer misread) is then trusted less and the fit repeated.

The model's complexity follows what the curves support: where output curves are left
visibly unmatched, quasi-saturation (the drift region's resistance rising with Vds, which
flattens the top output curves) is tried from a few starts, and kept only when it lowers
the Bayesian information criterion, so two more parameters must earn their place. Where
the curves show only the linear start of that rise (vq pushed beyond its bound), vq is held
and rq alone must earn its place. Where the datasheet gives its Rth(j-c) and an output curve
droops, self-heating (``rthjc``, :mod:`graphq.spice.self_heating`) is tried first the same
way. Each graph counts the same (a part's output and saturation graphs are two), so where
graphs contradict each other each is left as near as the others allow.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np

from graphq.spice import self_heating, vdmos, vdmos_temperature
from graphq.spice.channel_bounds import (
    CHANNEL_BOUNDS,
    CHANNEL_DEFAULTS,
    KSUBTHRES_MAX,
    KSUBTHRES_MIN,
    QUASI_SATURATION_NAMES,
    channel_bounds,
    channel_parameters_determined,
)
from graphq.spice.curves import (
    CurveData,
    DeviceEquations,
    curve_error,
    display_error,
    predict,
)
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


def _diode_current(params: Mapping[str, float], vsd: np.ndarray) -> np.ndarray:
    return vdmos.body_diode_current(params, vsd)


def _capacitances(
    params: Mapping[str, float], vgs: np.ndarray, vds: np.ndarray
) -> dict[str, np.ndarray]:
    return vdmos.capacitances(params, vds, vgs=vgs)


VDMOS_EQUATIONS = DeviceEquations(
    drain_current=self_heating.drain_current,
    capacitances=_capacitances,
    on_resistance=vdmos.on_resistance,
    diode_current=_diode_current,
    at_temperature=vdmos_temperature.at_temperature,
)

_TRIODE_STARTS = (1.0, 2.0, 0.6)
# Misread curves (see misread_curve_trust): the limit, and how often the weights are renewed.
_MISREAD_FACTOR = 1.5
_MISREAD_FLOOR = 0.005
_REWEIGHTING_PASSES = 4
# Evaluations each start gets before the best one is carried on (the rest are dropped).
_SCOUTING_EVALUATIONS = 60
# Quasi-saturation is tried when the fit leaves a channel curve off by more than this
# (fraction of full scale RMS): twice a digitizer's scatter; below it, nothing a reader could
# see is left to explain.
_QUASI_SATURATION_TRIGGER = 0.01
# Its starts: rq and vq as fractions of the top output curve's Vds/Id and Vds at its end.
_RQ_STARTS = (0.3, 1.0)
_VQ_STARTS = (0.3,)
# An output curve that ends this fraction of its axis below its peak droops: beyond a
# digitizer's scatter (≤ 0.5 %), and only self-heating makes a drain current fall with Vds.
DROOP_FRACTION = 0.01
# Self-heating's starts, as fractions of the datasheet's Rth(j-c): a DC sweep heats by all of
# it, a pulse by a part.
_RTHJC_STARTS = (0.5,)
# A part without quasi-saturation in its graph's range, whose drift resistance only rises
# linearly over it, has vq beyond any bound; vq is then held at this many times the top
# output curve's Vds, where the rise stays within 10 % of linear over the graph.
HELD_VQ_OVER_GRAPH = 10.0
# Past this much CPU time in the channel fit (see optimise.cpu_clock), no further refinement
# (reweighting, extensions) starts: a product's whole fit stays well inside its 10 s.
_CHANNEL_TIME_BUDGET_S = 6.0
# The plain model's share of it when quasi-saturation may be tried after it: a plain fit
# that does not converge in this time is rarely the better model.
_PLAIN_MODEL_SHARE = 0.45
# A start that leaves every graph within 0.1 % of full scale RMS (cost = half the sum of the
# graphs' mean squared errors) cannot be bettered visibly and is taken as it stands.
_GOOD_ENOUGH_COST = 0.5 * 1e-3**2


def _saturation_points(curves: list[CurveData]) -> tuple[np.ndarray, np.ndarray]:
    """(Vgs, Id) pairs in saturation: transfer points, and each output curve's last point."""
    vgs: list[np.ndarray] = []
    current: list[np.ndarray] = []
    for curve in curves:
        if curve.kind == "transfer":
            vgs.append(curve.x)
            current.append(curve.y)
        elif curve.kind == "output":
            vgs.append(np.array([curve.condition]))
            current.append(curve.y[-1:])
    return np.concatenate(vgs), np.concatenate(current)


def _square_law_start(curves: list[CurveData]) -> tuple[float, float]:
    """Vto and Kp from the straight part of √Id against Vgs."""
    vgs, current = _saturation_points(curves)
    positive = current > 0
    vgs, current = vgs[positive], current[positive]
    peak = current.max()
    middle = (current >= 0.02 * peak) & (current <= 0.5 * peak)
    if np.unique(vgs[middle]).size < 2:
        middle = current >= 0.02 * peak
    if np.unique(vgs[middle]).size < 2:
        return float(vgs.min()), 2.0 * peak / max(float(np.ptp(vgs)), 1.0) ** 2
    slope, intercept = np.polyfit(vgs[middle], np.sqrt(current[middle]), 1)
    slope = max(float(slope), 1e-3)
    return float(-intercept / slope), 2.0 * slope**2


def _ksubthres_start(curves: list[CurveData]) -> float:
    """In subthreshold Id ∝ exp(2(Vgs - Vto)/ksubthres): the log-slope of the lowest decade."""
    slopes = []
    for curve in curves:
        if curve.kind != "transfer" or curve.y.max() <= 0:
            continue
        low = (curve.y > 0) & (curve.y < 0.01 * curve.y.max())
        if np.unique(curve.x[low]).size >= 3:
            slopes.append(np.polyfit(curve.x[low], np.log(curve.y[low]), 1)[0])
    if not slopes:
        return CHANNEL_DEFAULTS["ksubthres"]
    return float(np.clip(2.0 / max(np.median(slopes), 1e-3), KSUBTHRES_MIN, KSUBTHRES_MAX))


def _series_resistance_start(curves: list[CurveData], vto: float, kp: float) -> float:
    """Rd + Rs: the on-resistance at the highest Vgs less the channel's 1/(Kp·Vov)."""
    candidates = [c for c in curves if c.kind == "output" and c.condition > vto]
    if candidates:
        curve = max(candidates, key=lambda c: c.condition)
        first = (curve.x > 0) & (curve.y > 0)
        ratio = curve.x[first][:3] / curve.y[first][:3]
        measured = float(np.median(ratio)) if ratio.size else 0.0
        return max(measured - 1.0 / (kp * (curve.condition - vto)), 1e-5)
    rdson = [c for c in curves if c.kind == "rdson"]
    if rdson:
        curve = max(rdson, key=lambda c: c.condition)
        return max(float(curve.y.min()) - 1.0 / (kp * max(curve.condition - vto, 0.5)), 1e-5)
    return 0.0


def initial_channel_guess(curves: list[CurveData]) -> dict[str, float]:
    vto, kp = _square_law_start(curves)
    kinds = {c.kind for c in curves}
    series = _series_resistance_start(curves, vto, kp)
    return {
        **vdmos.VDMOS_DEFAULTS,
        **CHANNEL_DEFAULTS,
        "vto": vto,
        "kp": kp,
        "ksubthres": _ksubthres_start(curves),
        "lambda": 0.005 if "output" in kinds else 0.0,
        "rd": series / 2.0,
        "rs": series / 2.0,
    }


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
    heating = rthjc_max is not None and rthjc_max > 0.0 and any(_droops(c) for c in channel)
    if heating and cpu_clock() < deadline:
        assert rthjc_max is not None
        bounds = {**bounds, "rthjc": Bound(0.0, rthjc_max, natural_low=True)}
        starts = [{**chosen.params, "rthjc": f * rthjc_max} for f in _RTHJC_STARTS]
        heated = _fit_from_starts(
            channel, [*chosen.names, "rthjc"], starts, deadline, bounds, prior
        )
        if _earns_its_parameters(channel, chosen, heated, prior):
            chosen = heated
    if (
        outputs
        and _worst_channel_error(channel, chosen.params) > _QUASI_SATURATION_TRIGGER
        and cpu_clock() < deadline
    ):
        extended = _fit_from_starts(
            channel,
            [*chosen.names, *QUASI_SATURATION_NAMES],
            _quasi_saturation_starts(channel, chosen.params),
            deadline,
            bounds,
            prior,
        )
        if "vq" in extended.at_bound and cpu_clock() < deadline:
            extended = _linear_drift_fit(
                channel, list(chosen.names), extended, deadline, bounds, prior
            )
        if _earns_its_parameters(channel, chosen, extended, prior):
            chosen = extended
    return _reweighted(channel, chosen, deadline, bounds, prior)


def _droops(curve: CurveData) -> bool:
    """An output curve whose current falls from its peak by more than a reader's scatter."""
    if curve.kind != "output" or curve.y.size < 2:
        return False
    peak = int(np.argmax(curve.y))
    fall = display_error(curve.y[-1:], curve.y[peak : peak + 1], curve.scale)
    return bool(-fall[0] > DROOP_FRACTION)


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
    upper bound: the drift resistance then only rises linearly over the graph,
    ``rq·Vds/vq``, and the curves fix ``rq/vq`` alone. ``vq`` is held at
    :data:`HELD_VQ_OVER_GRAPH` times the top output curve's Vds and ``rq`` keeps the slope
    the free fit found."""
    top = max((c for c in channel if c.kind == "output"), key=lambda c: c.condition)
    held = HELD_VQ_OVER_GRAPH * max(float(top.x[-1]), 1e-3)
    slope = free.params["rq"] / free.params["vq"]
    start = {**free.params, "vq": held, "rq": slope * (held + float(top.x[-1]))}
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
) -> ParameterFit:
    """``fitted`` refitted with misread curves trusted less, while time allows."""
    names = list(fitted.names)
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
    return fitted


def _worst_channel_error(channel: list[CurveData], params: dict[str, float]) -> float:
    """The worst output or transfer curve's RMS error, as a fraction of full scale."""
    models = predict(VDMOS_EQUATIONS, params, channel)
    return max(
        (
            float(np.sqrt(np.mean(curve_error(model, curve) ** 2)))
            for curve, model in zip(channel, models, strict=True)
            if curve.kind in ("output", "transfer")
        ),
        default=0.0,
    )


def _quasi_saturation_starts(
    channel: list[CurveData], params: dict[str, float]
) -> list[dict[str, float]]:
    top = max((c for c in channel if c.kind == "output"), key=lambda c: c.condition)
    vds_end = max(float(top.x[-1]), 1e-3)
    resistance = vds_end / max(float(top.y[-1]), 1e-12)
    rd = max(params["rd"], 1e-4 * resistance)
    return [
        {**params, "rd": rd, "rq": r * resistance, "vq": v * vds_end}
        for r in _RQ_STARTS
        for v in _VQ_STARTS
    ]


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


def _earns_its_parameters(
    channel: list[CurveData],
    simpler: ParameterFit,
    richer: ParameterFit,
    prior: Prior | None = None,
) -> bool:
    """The Bayesian information criterion ``n·ln(SSE) + k·ln(n)`` on the plain (equally
    trusted) residuals: the richer model must lower it."""
    residuals = _residuals(channel, prior)

    def squares(params: dict[str, float]) -> tuple[float, int]:
        residual = residuals(params)
        return max(float(residual @ residual), 1e-300), residual.size

    simple_sse, count = squares(simpler.params)
    rich_sse, _ = squares(richer.params)
    extra = len(richer.names) - len(simpler.names)
    return count * np.log(rich_sse / simple_sse) + extra * np.log(count) < 0.0


def misread_curve_trust(curves: list[CurveData], params: dict[str, float]) -> list[float] | None:
    """Less weight for a curve the model misses far more than the other curves of its graph.

    A digitizer that swaps two curves where they cross, or follows a label off its curve,
    leaves one curve of a family wrong as a whole, and the model fitted to all of them is
    pulled off the correct ones too. Within a graph of three or more curves, a curve whose
    RMS error exceeds ``_MISREAD_FACTOR`` times the graph's median (and ``_MISREAD_FLOOR``
    of full scale) keeps only the weight it would have at that limit: a Huber loss per
    curve, refitted a few times. None when every curve is in line.
    """
    models = predict(VDMOS_EQUATIONS, params, curves)
    rms = [
        float(np.sqrt(np.mean(curve_error(model, curve) ** 2)))
        for curve, model in zip(curves, models, strict=True)
    ]
    trust = [1.0] * len(curves)
    for graph in {graph_of(curve) for curve in curves}:
        members = [i for i, curve in enumerate(curves) if graph_of(curve) == graph]
        if len(members) < 3:
            continue
        limit = max(_MISREAD_FACTOR * float(np.median([rms[i] for i in members])), _MISREAD_FLOOR)
        for i in members:
            trust[i] = min(1.0, limit / rms[i]) if rms[i] > 0 else 1.0
    return trust if min(trust) < 1.0 else None
