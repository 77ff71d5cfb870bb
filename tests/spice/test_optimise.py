"""Bounded least squares: standard errors from the Jacobian, bounds hit, the deadline."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from graphq.spice.curves import CurveData
from graphq.spice.inputs import AxisScale
from graphq.spice.optimise import Bound, cpu_clock, curve_weights, fit_parameters, graph_of

X = np.linspace(0.0, 10.0, 200)
NOISE = np.random.default_rng(3).normal(0.0, 0.1, X.size)


def line(params: dict[str, float]) -> np.ndarray:
    return params["slope"] * X + params["offset"] - (2.0 * X + 1.0 + NOISE)


BOUNDS = {"slope": Bound(-10.0, 10.0), "offset": Bound(-10.0, 10.0)}


def test_standard_errors_are_those_of_ordinary_least_squares() -> None:
    fit = fit_parameters(line, {"slope": 0.0, "offset": 0.0}, ["slope", "offset"], BOUNDS)
    design = np.column_stack([X, np.ones_like(X)])
    residual = design @ [fit.params["slope"], fit.params["offset"]] - (2.0 * X + 1.0 + NOISE)
    variance = residual @ residual / (X.size - 2)
    expected = np.sqrt(np.diag(np.linalg.inv(design.T @ design)) * variance)
    assert fit.uncertainty["slope"] == pytest.approx(expected[0], rel=1e-3)
    assert fit.uncertainty["offset"] == pytest.approx(expected[1], rel=1e-3)
    assert fit.at_bound == ()


def test_a_parameter_the_residuals_ignore_has_no_uncertainty() -> None:
    bounds = {**BOUNDS, "unused": Bound(0.1, 10.0, log=True)}
    start = {"slope": 0.0, "offset": 0.0, "unused": 1.0}
    fit = fit_parameters(line, start, ["slope", "offset", "unused"], bounds)
    assert fit.uncertainty["unused"] is None


def test_a_parameter_pushed_past_its_range_ends_on_the_bound_unless_that_end_is_natural() -> None:
    narrow = {"slope": Bound(-10.0, 1.5), "offset": Bound(0.0, 10.0)}
    fit = fit_parameters(line, {"slope": 0.0, "offset": 5.0}, ["slope", "offset"], narrow)
    assert fit.at_bound == ("slope",)
    natural = {"slope": Bound(2.5, 10.0, natural_low=True), "offset": Bound(-10.0, 10.0)}
    fit = fit_parameters(line, {"slope": 5.0, "offset": 0.0}, ["slope", "offset"], natural)
    assert fit.params["slope"] == pytest.approx(2.5)
    assert fit.at_bound == ()


def test_a_passed_deadline_returns_the_best_point_seen() -> None:
    fit = fit_parameters(
        line,
        {"slope": 0.0, "offset": 0.0},
        ["slope", "offset"],
        BOUNDS,
        deadline=cpu_clock(),
    )
    assert fit.params == {"slope": 0.0, "offset": 0.0}
    assert fit.uncertainty == {}


def test_each_graph_counts_the_same_however_many_curves_it_draws() -> None:
    amps = AxisScale(log=False, low=0.0, high=0.5)
    milliamps = AxisScale(log=False, low=0.0, high=0.25)
    x = np.linspace(0.0, 1.0, 10)
    output = [CurveData("output", f"{v}", v, x, x, amps) for v in (1.0, 2.0, 3.0, 4.0)]
    saturation = [CurveData("output", "1", 1.0, x, x, milliamps)]
    weights = curve_weights([*output, *saturation])
    # Squared weights sum to 1/points per graph: four curves share what one curve has alone.
    assert sum(w**2 for w in weights[:4]) == pytest.approx(sum(w**2 for w in weights[4:]))
    assert weights[4] == pytest.approx(2.0 * weights[0])
    assert graph_of(output[0]) == graph_of(output[3]) != graph_of(saturation[0])


def test_a_curves_own_weight_scales_its_share_of_its_graph() -> None:
    amps = AxisScale(log=False, low=0.0, high=0.5)
    x = np.linspace(0.0, 1.0, 10)
    trusted = CurveData("transfer", "VDS = 10 V", 10.0, x, x, amps)
    doubted = replace(trusted, name="VDS = 20 V", condition=20.0, weight=0.2)
    weights = curve_weights([trusted, doubted])
    assert weights[1] == pytest.approx(0.2 * weights[0])
