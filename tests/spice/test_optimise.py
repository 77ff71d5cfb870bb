"""Bounded least squares: standard errors from the Jacobian, bounds hit, the deadline."""

from __future__ import annotations

import time

import numpy as np
import pytest

from graphq.spice.optimise import Bound, fit_parameters

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
        deadline=time.perf_counter(),
    )
    assert fit.params == {"slope": 0.0, "offset": 0.0}
    assert fit.uncertainty == {}
