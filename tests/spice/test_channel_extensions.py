from __future__ import annotations

import numpy as np
import pytest

from graphq.spice.channel_extensions import (
    DROOP_FRACTION,
    HELD_VQ_OVER_GRAPH,
    QUASI_SATURATION_TRIGGER,
    droops,
    earns_its_parameters,
    heating_starts,
    linear_drift_start,
    quasi_saturation_starts,
    worst_channel_error,
)
from graphq.spice.curves import CurveData
from graphq.spice.optimise import ParameterFit

from .channel_curves import PART, output_curves


def _falling(curve: CurveData, fraction: float) -> CurveData:
    """``curve`` with its last point ``fraction`` of the axis below its peak."""
    y = curve.y.copy()
    y[-1] = y.max() - fraction * (curve.scale.high - curve.scale.low)
    return CurveData(curve.kind, curve.name, curve.condition, curve.x, y, curve.scale)


def test_an_output_curve_droops_only_when_it_falls_beyond_a_readers_scatter() -> None:
    top = output_curves()[-1]
    assert not droops(top)
    assert not droops(_falling(top, 0.5 * DROOP_FRACTION))
    assert droops(_falling(top, 2 * DROOP_FRACTION))


def test_exact_curves_leave_nothing_for_quasi_saturation_to_explain() -> None:
    curves = output_curves()
    assert worst_channel_error(curves, PART) < 1e-9
    assert worst_channel_error(curves, {**PART, "kp": 5.0}) > QUASI_SATURATION_TRIGGER


def test_quasi_saturation_starts_scale_with_the_top_curves_end() -> None:
    curves = output_curves()
    top = curves[-1]
    for start in quasi_saturation_starts(curves, PART):
        assert 0.0 < start["vq"] < top.x[-1]
        assert 0.0 < start["rq"] <= top.x[-1] / top.y[-1]


def test_a_held_vq_keeps_the_drift_slope_over_the_graph() -> None:
    curves = output_curves()
    vds_end = float(curves[-1].x[-1])
    free = {**PART, "rq": 2.0, "vq": 40.0}
    held = linear_drift_start(curves, free)
    assert held["vq"] == pytest.approx(HELD_VQ_OVER_GRAPH * vds_end)
    # rq·Vds/(vq + Vds) at the graph's end is what the free fit's slope rq/vq gives there.
    at_end = held["rq"] * vds_end / (held["vq"] + vds_end)
    assert at_end == pytest.approx(free["rq"] / free["vq"] * vds_end)


def test_heating_starts_below_the_datasheets_thermal_resistance() -> None:
    for start in heating_starts(PART, 0.66):
        assert 0.0 < start["rthjc"] <= 0.66


def test_extra_parameters_earn_their_place_only_by_lowering_the_error_enough() -> None:
    target = np.linspace(0.0, 1.0, 200)

    def residuals(params: dict[str, float]) -> np.ndarray:
        return params["a"] * target - target

    simple = ParameterFit({"a": 0.5}, names=("a",))
    better = ParameterFit({"a": 0.9}, names=("a", "b", "c"))
    hardly = ParameterFit({"a": 0.5001}, names=("a", "b", "c"))
    assert earns_its_parameters(residuals, simple, better)
    assert not earns_its_parameters(residuals, simple, hardly)
