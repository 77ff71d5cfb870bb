"""Bounded least squares over named model parameters.

Scale parameters (currents, resistances, capacitances) are searched in log space so a step
means the same at 1 mΩ and at 1 Ω; offsets (Vto, λ, θ) linearly. Residuals are the curves'
display errors (fractions of each graph's span), weighted so every graph counts the same
and, inside a graph, every curve the same however densely it was digitized.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import least_squares

from graphq.spice.curves import CurveData, DeviceEquations, Params, display_error, predict


@dataclass(frozen=True)
class Bound:
    low: float
    high: float
    log: bool = False

    def to_x(self, value: float) -> float:
        clipped = min(max(value, self.low), self.high)
        return float(np.log(clipped)) if self.log else clipped

    def from_x(self, x: float) -> float:
        return float(np.exp(x)) if self.log else float(x)

    def x_bounds(self) -> tuple[float, float]:
        if self.log:
            return float(np.log(self.low)), float(np.log(self.high))
        return self.low, self.high


def curve_weights(curves: Sequence[CurveData]) -> list[float]:
    """``1/√(points × curves in its graph)``: each graph's squared errors sum to its mean."""
    per_kind: dict[str, int] = {}
    for curve in curves:
        per_kind[curve.kind] = per_kind.get(curve.kind, 0) + 1
    return [1.0 / np.sqrt(c.x.size * per_kind[c.kind]) for c in curves]


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
        weight * display_error(model, curve.y, curve.scale)
        for curve, model, weight in zip(curves, predictions, weights, strict=True)
    ]
    residual = np.concatenate(parts) if parts else np.zeros(0)
    # A diverging trial point (overflow in the model) must look bad, not crash the solver.
    return np.nan_to_num(residual, nan=10.0, posinf=10.0, neginf=-10.0)


def fit_parameters(
    residuals: Callable[[dict[str, float]], np.ndarray],
    start: dict[str, float],
    names: Sequence[str],
    bounds: dict[str, Bound],
    *,
    max_evaluations: int = 400,
) -> tuple[dict[str, float], float]:
    """Minimise ``residuals`` over ``names`` (the rest of ``start`` held fixed).

    Returns the fitted parameters and the final cost (half the sum of squares).
    """
    names = list(names)
    if not names:
        return dict(start), 0.5 * float(np.sum(residuals(dict(start)) ** 2))
    lower, upper = zip(*(bounds[n].x_bounds() for n in names), strict=True)
    x0 = np.array([bounds[n].to_x(start[n]) for n in names])
    # Keep the start strictly inside the box; least_squares rejects points on it.
    span = np.array(upper) - np.array(lower)
    x0 = np.clip(x0, np.array(lower) + 1e-9 * span, np.array(upper) - 1e-9 * span)

    def unpack(x: np.ndarray) -> dict[str, float]:
        params = dict(start)
        params.update({n: bounds[n].from_x(v) for n, v in zip(names, x, strict=True)})
        return params

    solution = least_squares(
        lambda x: residuals(unpack(x)),
        x0,
        bounds=(lower, upper),
        method="trf",
        x_scale="jac",
        max_nfev=max_evaluations,
        ftol=1e-10,
        xtol=1e-10,
    )
    return unpack(solution.x), float(solution.cost)
