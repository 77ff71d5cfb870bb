"""The table's RDS(on) as a prior of the channel fit: read with its condition, nil inside the
rated range, a weak pull outside it that saturates, and what sets Rds(on) where the graphs
leave it open."""

from __future__ import annotations

import numpy as np
import pytest

from graphq.spice import vdmos
from graphq.spice.curves import CurveData, curve_error, predict
from graphq.spice.fit_channel import fit_channel
from graphq.spice.inputs import AxisScale, TableRatings
from graphq.spice.rdson_rating import RDSON_PRIOR, rdson_rating, rdson_residual
from graphq.spice.vdmos_equations import VDMOS_EQUATIONS

# A channel whose Rds(on) at VGS = 10 V, ID = 5 A is 0.0183 Ω (1/(Kp·Vov) + Rs).
CHANNEL = {"vto": 4.0, "kp": 20.0, "ksubthres": 0.3, "rs": 0.01}


def rated(typical: float | None, maximum: float | None, vgs: float | None = 10.0) -> TableRatings:
    return TableRatings(
        rdson_typical_ohm=typical,
        rdson_max_ohm=maximum,
        rdson_vgs_v=vgs,
        rdson_id_a=5.0,
        rdson_source="page 2: RDS(on)",
    )


def on_resistance(params: dict[str, float]) -> float:
    return float(vdmos.on_resistance(params, np.array([10.0]), np.array([5.0]))[0])


def test_the_rating_spans_typical_to_maximum_and_needs_its_condition() -> None:
    rating = rdson_rating(rated(0.03, 0.04))
    assert rating is not None
    assert (rating.low, rating.high, rating.vgs_v, rating.id_a) == (0.03, 0.04, 10.0, 5.0)
    only_max = rdson_rating(rated(None, 0.04))
    assert only_max is not None and only_max.low == only_max.high == 0.04
    assert rdson_rating(rated(0.03, 0.04, vgs=None)) is None
    assert rdson_rating(None) is None


def test_the_prior_is_nil_inside_the_range_and_saturates_far_outside() -> None:
    model = on_resistance(CHANNEL)
    assert rdson_residual(CHANNEL, None).size == 0
    assert rdson_residual(CHANNEL, rdson_rating(rated(0.5 * model, 2.0 * model)))[0] == 0.0
    near = rdson_residual(CHANNEL, rdson_rating(rated(1.05 * model, 2.0 * model)))[0]
    assert near == pytest.approx(RDSON_PRIOR.weight * np.log(1.05), rel=0.02)
    above = rdson_residual(CHANNEL, rdson_rating(rated(0.5 * model, model / 1.05)))[0]
    assert above == pytest.approx(near, rel=1e-6)
    far = rdson_residual(CHANNEL, rdson_rating(rated(10.0 * model, 20.0 * model)))[0]
    assert RDSON_PRIOR.weight * RDSON_PRIOR.reach * 0.99 < far
    assert far <= RDSON_PRIOR.weight * RDSON_PRIOR.reach


def test_the_prior_sets_the_drain_resistance_that_transfer_curves_leave_open() -> None:
    # Transfer curves in saturation fix Vto, Kp and Rs (its drop takes gate drive) but not
    # Rd: without the table the fit leaves Rds(on) where it started, with it the model
    # comes into the table's range, and the curves are matched as well either way.
    vgs = np.linspace(4.2, 7.0, 41)
    log_amps = AxisScale(log=True, low=1.0, high=100.0)
    blank = [CurveData("transfer", "VDS = 20 V", 20.0, vgs, np.zeros_like(vgs), log_amps)]
    curves = [
        CurveData("transfer", "VDS = 20 V", 20.0, vgs, model, log_amps, graph="t")
        for model in predict(VDMOS_EQUATIONS, CHANNEL, blank)
    ]
    rating = rdson_rating(rated(0.03, 0.04))
    assert rating is not None
    free = fit_channel(curves).params
    assert on_resistance(free) < 0.025
    held = fit_channel(curves, rdson=rating).params
    assert 0.03 * 0.98 < on_resistance(held) < 0.04
    for params in (free, held):
        (model,) = predict(VDMOS_EQUATIONS, params, curves)
        assert float(np.sqrt(np.mean(curve_error(model, curves[0]) ** 2))) < 0.01
