"""Verification in ngspice: what is simulated for the curves a datasheet gives."""

from __future__ import annotations

import numpy as np

from graphq.spice.curves import CurveData
from graphq.spice.inputs import AxisScale
from graphq.spice.verify import capacitance_biases

LOG = AxisScale(log=True, low=1e-12, high=1e-9)


def _capacitance(x: np.ndarray) -> CurveData:
    return CurveData("capacitance", "Ciss", 0.0, x, np.full_like(x, 1e-10), LOG, "ciss")


def test_a_few_digitized_points_are_each_simulated() -> None:
    x = np.array([1.0, 5.0, 25.0])
    assert capacitance_biases([_capacitance(x)]) == [1.0, 5.0, 25.0]


def test_a_vector_curves_thousand_points_are_simulated_on_a_log_grid_over_their_span() -> None:
    x = np.geomspace(0.1, 40.0, 1500)
    biases = np.array(capacitance_biases([_capacitance(x), _capacitance(x * 1.001)]))
    assert 10 <= biases.size <= 100
    assert biases[0] == 0.1 and biases[-1] == x[-1] * 1.001
    steps = np.diff(np.log(biases))
    assert np.allclose(steps, steps[0])
