"""Curve families behave like the devices they imitate."""

from __future__ import annotations

import numpy as np
import pytest

from tests.datagen.axes import to_display
from tests.datagen.devices import (
    FAMILIES,
    capacitance_family,
    output_family,
    thermal_impedance_family,
)

SEEDS = range(30)


@pytest.mark.parametrize("name", sorted(FAMILIES))
def test_every_family_gives_one_to_nine_curves_sorted_by_x(name: str) -> None:
    for seed in SEEDS:
        family = FAMILIES[name](np.random.default_rng(seed))
        assert family.graph_type == name
        assert 1 <= len(family.curves) <= 9
        for curve in family.curves:
            assert np.all(np.diff(curve.points[:, 0]) >= 0)
            assert np.all(np.isfinite(curve.points))
        for axis in (family.axes.x, family.axes.y):
            assert axis.max > axis.min
            assert axis.scale == "linear" or axis.min > 0


def test_output_curves_fan_out_of_one_line_at_low_vds() -> None:
    """At full drive the series resistance dominates: the top two curves nearly coincide at
    the low-VDS end while they end far apart in saturation, on some seeds."""
    ratios = []
    for seed in SEEDS:
        family = output_family(np.random.default_rng(seed))
        top, second = family.curves[0].points, family.curves[1].points
        low = len(top) // 20
        ratios.append(abs(top[low, 1] - second[low, 1]) / top[low, 1])
    assert np.mean(np.array(ratios) < 0.05) >= 0.3


def test_ciss_and_coss_cross_twice_at_low_vds_on_some_seeds() -> None:
    crossings = []
    for seed in SEEDS:
        family = capacitance_family(np.random.default_rng(seed))
        ciss, coss = family.curves[0].points, family.curves[1].points
        sign = np.sign(ciss[:, 1] - coss[:, 1])
        crossings.append(int(np.count_nonzero(np.diff(sign))))
    assert 2 in crossings


def test_output_curves_are_listed_from_the_highest_gate_voltage() -> None:
    family = output_family(np.random.default_rng(0))
    values = [c.value for c in family.curves]
    assert values == sorted(values, reverse=True)


def test_log_axes_span_whole_decades() -> None:
    for seed in SEEDS:
        family = capacitance_family(np.random.default_rng(seed))
        decades = np.log10([family.axes.y.min, family.axes.y.max])
        np.testing.assert_allclose(decades, np.round(decades), atol=1e-9)
        assert to_display(np.array([family.axes.y.max]), family.axes.y)[0] == pytest.approx(1)


def test_thermal_impedance_curves_fan_out_to_their_duty_cycle_at_short_pulses() -> None:
    """At the shortest pulse each duty cycle's curve sits near D·RthJC, well apart from the
    next one, and the single pulse lies lowest; at the longest pulse all of them meet."""
    for seed in SEEDS:
        family = thermal_impedance_family(np.random.default_rng(seed))
        first = np.array([c.points[0, 1] for c in family.curves])
        last = np.array([c.points[-1, 1] for c in family.curves])
        assert np.all(np.diff(first) < 0)
        assert np.all(first[:-1] / first[1:] > 1.08)
        np.testing.assert_allclose(last, last[0], rtol=0.02)
