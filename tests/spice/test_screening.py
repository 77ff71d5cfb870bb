"""Screening before a fit: shapes a curve's graph forbids are named, possible ones pass."""

from __future__ import annotations

import numpy as np
import pytest

from graphq.spice.inputs import AxisScale
from graphq.spice.screening import SCREENING, against_direction, shape_problem

LINEAR = AxisScale(log=False, low=0.0, high=100.0)
LOG = AxisScale(log=True, low=1e-12, high=1e-8)


X = np.array([0.0, 1.0, 2.0, 3.0])


def test_a_rising_curve_runs_nowhere_against_its_direction() -> None:
    assert against_direction(X, np.array([0.0, 10.0, 50.0, 60.0]), 1.0, LINEAR, 0.0) == 0.0


def test_the_largest_fall_below_the_running_peak_is_measured_in_axis_spans() -> None:
    y = np.array([0.0, 80.0, 10.0, 90.0])
    assert against_direction(X, y, 1.0, LINEAR, 0.0) == pytest.approx(0.7)


def test_points_closer_in_x_than_the_resolution_are_not_compared() -> None:
    # An output curve's vertical rise at Vds ≈ 0, its points sorted by x out of order.
    x = np.array([0.0, 0.001, 0.002, 0.003, 5.0, 10.0])
    y = np.array([0.0, 90.0, 20.0, 95.0, 96.0, 97.0])
    assert against_direction(x, y, 1.0, LINEAR, 0.005) == 0.0
    assert against_direction(x, y, 1.0, LINEAR, 0.0) == pytest.approx(0.7)


def test_an_output_curve_rising_vertically_at_zero_volts_is_possible() -> None:
    rise = np.column_stack([np.full(50, 0.5), np.random.default_rng(1).uniform(0, 47, 50)])
    flat = np.column_stack([np.linspace(1.0, 400.0, 200), np.full(200, 47.0)])
    assert shape_problem("output", np.vstack([rise, flat]), LINEAR) is None


def test_an_output_curve_bent_down_by_self_heating_is_possible() -> None:
    x = np.linspace(0.0, 10.0, 11)
    y = np.minimum(10.0 * x, 80.0) - np.maximum(x - 8.0, 0.0) * 5.0
    assert shape_problem("output", np.column_stack([x, y]), LINEAR) is None


def test_a_transfer_curve_that_falls_a_tenth_of_its_axis_is_impossible() -> None:
    points = np.array([[2.0, 10.0], [3.0, 60.0], [4.0, 45.0], [5.0, 90.0]])
    assert SCREENING.rising_drop < 0.15
    assert shape_problem("transfer", points, LINEAR) == (
        "its drain current falls as VGS rises by 15% of the axis"
    )


def test_capacitances_are_judged_in_decades_on_a_log_axis() -> None:
    falling = np.array([[1.0, 1e-9], [10.0, 1e-10], [100.0, 5e-11]])
    rising = np.array([[1.0, 1e-11], [10.0, 1e-10], [100.0, 1e-9]])
    assert shape_problem("capacitance", falling, LOG) is None
    assert (
        shape_problem("capacitance", rising, LOG)
        == "its capacitance rises with VDS by 50% of the axis"
    )


def test_rds_on_curves_may_bend_either_way() -> None:
    points = np.array([[1.0, 0.1], [10.0, 0.05], [50.0, 0.2]])
    assert shape_problem("rdson", points, LINEAR) is None
