"""The channel's parameter ranges narrowed to one part."""

from __future__ import annotations

import numpy as np
import pytest

from graphq.spice.channel_bounds import CHANNEL_BOUNDS, THETA_POLE_MARGIN, channel_bounds
from graphq.spice.curves import CurveData
from graphq.spice.inputs import AxisScale

LOG_PF = AxisScale(log=True, low=1e-11, high=1e-8)


def test_the_threshold_stays_on_the_parts_side_of_zero_and_theta_clear_of_its_pole() -> None:
    vds = np.linspace(0.0, 10.0, 5)
    enhancement = [CurveData("output", "VGS = 10 V", 10.0, vds, vds, AxisScale(False, 0, 10))]
    bounds = channel_bounds(enhancement, depletion=False)
    assert (bounds["vto"].low, bounds["vto"].high) == (0.0, CHANNEL_BOUNDS["vto"].high)
    assert bounds["theta"] == CHANNEL_BOUNDS["theta"]
    assert channel_bounds(enhancement)["vto"] == CHANNEL_BOUNDS["vto"]
    # A depletion part switched off at -10 V: ngspice's 1 + θ·Vgs must stay ≥ the margin.
    capacitance = CurveData("capacitance", "Ciss", -10.0, vds + 1.0, vds + 1.0, LOG_PF, "ciss")
    bounds = channel_bounds([*enhancement, capacitance], depletion=True)
    assert bounds["vto"].high == 0.0
    assert 1.0 + bounds["theta"].high * -10.0 == pytest.approx(THETA_POLE_MARGIN)
