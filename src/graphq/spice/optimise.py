"""Bounded least squares over named model parameters.

Scale parameters (currents, resistances, capacitances) are searched in log space so a step
means the same at 1 mΩ and at 1 Ω; offsets (Vto, λ, θ) linearly. Residuals are the curves'
display errors (fractions of each graph's span, of its decades on a log axis, measured on
the page: :func:`graphq.spice.curves.curve_error`), weighted so every graph counts the same
and, inside a graph, every curve the same however densely it was digitized. A fit also says
which parameters ended on a bound (the curves wanted them further out than physics allows)
and how well the curves pin each one down: the standard error from the Jacobian at the
solution, ``s²·(JᵀJ)⁻¹`` with ``s²`` the residuals' variance.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import least_squares

from graphq.spice.curves import CurveData, DeviceEquations, Params, curve_error, predict


@dataclass(frozen=True)
class Bound:
    """The range a parameter may take. ``natural_low``: the low end means "absent" (no λ, no
    series resistance), so a fit ending there is no sign of trouble."""

    low: float
    high: float
    log: bool = False
    natural_low: bool = False

    def to_x(self, value: float) -> float:
        clipped = min(max(value, self.low), self.high)
        return float(np.log(clipped)) if self.log else clipped

    def from_x(self, x: float) -> float:
        return float(np.exp(x)) if self.log else float(x)

    def x_bounds(self) -> tuple[float, float]:
        if self.log:
            return float(np.log(self.low)), float(np.log(self.high))
        return self.low, self.high


# A parameter within this fraction of its search range from an end has ended on the bound.
_AT_BOUND_FRACTION = 1e-3


@dataclass(frozen=True)
class ParameterFit:
    """What a fit stage found: every parameter (fitted and held), the names fitted, those
    that ended on a bound, and each fitted parameter's standard error in its own unit
    (None where the curves do not determine it). ``bound_notes`` says, for a parameter on
    its bound that was probed (:mod:`graphq.spice.bound_probe`), whether the curves ask
    for more."""

    params: dict[str, float]
    names: tuple[str, ...] = ()
    cost: float = 0.0
    at_bound: tuple[str, ...] = ()
    uncertainty: dict[str, float | None] = field(default_factory=dict)
    bound_notes: dict[str, str] = field(default_factory=dict)


def graph_of(curve: CurveData) -> tuple[str, bool, float, float]:
    """Which graph a curve was drawn in: its kind and y axis (a part's output and
    saturation graphs are two output graphs with axes of their own)."""
    return curve.kind, curve.scale.log, curve.scale.low, curve.scale.high


def curve_weights(curves: Sequence[CurveData]) -> list[float]:
    """``1/√(points × curves in its graph)``: each graph's squared errors sum to its mean,
    so each plotted graph counts the same however many curves it draws; where two graphs
    contradict each other, the fit leaves each as near as the other allows. A curve's own
    ``weight`` scales it further (a graph the datasheet's table contradicts counts less)."""
    per_graph: dict[tuple[str, bool, float, float], int] = {}
    for curve in curves:
        per_graph[graph_of(curve)] = per_graph.get(graph_of(curve), 0) + 1
    return [c.weight / np.sqrt(c.x.size * per_graph[graph_of(c)]) for c in curves]


def curve_residuals(
    equations: DeviceEquations,
    params: Params,
    curves: Sequence[CurveData],
    trust: Sequence[float] | None = None,
) -> np.ndarray:
    """Every point's weighted display error; ``trust`` (one factor per curve, 1 when not
    given) scales a curve's weight further."""
    predictions = predict(equations, params, list(curves))
    weights = curve_weights(curves)
    if trust is not None:
        weights = [weight * factor for weight, factor in zip(weights, trust, strict=True)]
    parts = [
        weight * curve_error(model, curve)
        for curve, model, weight in zip(curves, predictions, weights, strict=True)
    ]
    residual = np.concatenate(parts) if parts else np.zeros(0)
    # A diverging trial point (overflow in the model) must look bad, not crash the solver.
    return np.nan_to_num(residual, nan=10.0, posinf=10.0, neginf=-10.0)


def cpu_clock() -> float:
    """The clock fit deadlines run on: this process's CPU time, not the wall's, so a fit on a
    busy machine searches as far, and ends at the same parameters, as on an idle one."""
    return time.process_time()


def fit_parameters(
    residuals: Callable[[dict[str, float]], np.ndarray],
    start: dict[str, float],
    names: Sequence[str],
    bounds: dict[str, Bound],
    *,
    max_evaluations: int = 400,
    deadline: float | None = None,
    loss: str = "linear",
    loss_scale: float = 1.0,
) -> ParameterFit:
    """Minimise ``residuals`` over ``names`` (the rest of ``start`` held fixed); ``loss`` and
    ``loss_scale`` are scipy's (``soft_l1`` weighs residuals beyond the scale linearly,
    ``cauchy`` ever less).

    Past ``deadline`` (a :func:`cpu_clock` value) the search stops and the best point
    it has seen is taken; its uncertainties are then unknown.
    """
    names = list(names)
    if not names:
        return ParameterFit(dict(start), (), 0.5 * float(np.sum(residuals(dict(start)) ** 2)))
    lower, upper = zip(*(bounds[n].x_bounds() for n in names), strict=True)
    x0 = np.array([bounds[n].to_x(start[n]) for n in names])
    # Keep the start strictly inside the box; least_squares rejects points on it.
    span = np.array(upper) - np.array(lower)
    x0 = np.clip(x0, np.array(lower) + 1e-9 * span, np.array(upper) - 1e-9 * span)

    def unpack(x: np.ndarray) -> dict[str, float]:
        params = dict(start)
        params.update({n: bounds[n].from_x(v) for n, v in zip(names, x, strict=True)})
        return params

    best: list[tuple[float, np.ndarray]] = []

    def timed(x: np.ndarray) -> np.ndarray:
        if deadline is not None and best and cpu_clock() > deadline:
            raise _DeadlinePassedError
        value = residuals(unpack(x))
        cost = 0.5 * float(value @ value)
        if not best or cost < best[0][0]:
            best[:] = [(cost, np.array(x))]
        return value

    try:
        solution = least_squares(
            timed,
            x0,
            bounds=(lower, upper),
            method="trf",
            x_scale="jac",
            max_nfev=max_evaluations,
            loss=loss,
            f_scale=loss_scale,
            ftol=1e-10,
            xtol=1e-10,
        )
    except _DeadlinePassedError:
        cost, x = best[0]
        return ParameterFit(unpack(x), tuple(names), cost, _ends(x, names, bounds), {})
    params = unpack(solution.x)
    at_bound = _ends(solution.x, names, bounds)
    errors = _standard_errors(solution.jac, solution.fun, solution.x.size)
    with np.errstate(over="ignore"):
        in_units = [
            error * params[name] if bounds[name].log else error
            for name, error in zip(names, errors, strict=True)
        ]
    uncertainty = {
        name: float(value) if np.isfinite(value) else None
        for name, value in zip(names, in_units, strict=True)
    }
    return ParameterFit(params, tuple(names), float(solution.cost), at_bound, uncertainty)


class _DeadlinePassedError(Exception):
    """The search passed its deadline."""


def _ends(x: np.ndarray, names: Sequence[str], bounds: dict[str, Bound]) -> tuple[str, ...]:
    """The parameters at ``x`` that sit on an end of their range that is not natural."""
    ends = []
    for name, value in zip(names, x, strict=True):
        low, high = bounds[name].x_bounds()
        position = (value - low) / (high - low)
        if position > 1.0 - _AT_BOUND_FRACTION or (
            position < _AT_BOUND_FRACTION and not bounds[name].natural_low
        ):
            ends.append(name)
    return tuple(ends)


def _standard_errors(jacobian: np.ndarray, residual: np.ndarray, count: int) -> np.ndarray:
    """Standard errors of the search variables (log of a log-searched parameter).

    A direction the residuals do not change along (a parameter no curve sees, or two that
    only count together) has an infinite error.
    """
    dof = residual.size - count
    if dof <= 0:
        return np.full(count, np.inf)
    variance = float(residual @ residual) / dof
    _, singular, vt = np.linalg.svd(np.asarray(jacobian, float), full_matrices=False)
    cutoff = singular.max(initial=0.0) * max(jacobian.shape) * np.finfo(float).eps
    kept = singular > cutoff
    inverse = np.where(kept, 1.0 / np.where(kept, singular, 1.0) ** 2, np.inf)
    weight = vt**2
    with np.errstate(invalid="ignore"):
        terms = np.where(weight > 0.0, weight * inverse[:, None], 0.0)
        errors = np.sqrt(terms.sum(axis=0) * variance)
    return np.nan_to_num(errors, nan=np.inf, posinf=np.inf)
