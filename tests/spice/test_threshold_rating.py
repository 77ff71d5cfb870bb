"""The table's threshold held against the model: the model's own VGS at the rated current
(not vto), checked and used as a prior of the channel fit."""

from __future__ import annotations

import numpy as np
import pytest

from graphq.review import ReviewReason
from graphq.spice.curves import CurveData, curve_error, predict
from graphq.spice.fit_channel import fit_channel
from graphq.spice.inputs import AxisScale, TableRatings
from graphq.spice.table_referee import table_check
from graphq.spice.threshold_rating import (
    THRESHOLD_PRIOR,
    model_threshold,
    threshold_rating,
    threshold_residual,
)
from graphq.spice.vdmos_equations import VDMOS_EQUATIONS

# A soft-knee part as ngspice's VDMOS draws FQA19N20's transfer curves: vto 6.1 V, yet it
# conducts 250 µA near 2.9 V.
SOFT_KNEE = {"vto": 6.1, "kp": 146.0, "ksubthres": 0.56, "rd": 0.035, "rs": 0.024}


def rated(
    low: float, high: float, current: float = 250e-6, vds: float | None = None
) -> TableRatings:
    return TableRatings(
        threshold_low_v=low,
        threshold_high_v=high,
        threshold_current_a=current,
        threshold_vds_v=vds,
        threshold_source="page 2: VGS(th)",
    )


@pytest.mark.parametrize(
    ("params", "vds"),
    [
        (SOFT_KNEE, None),
        ({**SOFT_KNEE, "theta": 0.3, "lambda": 0.01}, None),
        ({"vto": -2.0, "kp": 0.5, "ksubthres": 0.1, "theta": 0.1, "lambda": 0.002}, 25.0),
    ],
)
def test_the_models_threshold_is_where_it_conducts_the_rated_current(
    params: dict[str, float], vds: float | None
) -> None:
    rating = threshold_rating(rated(-5.0, 5.0, 10e-6, vds))
    assert rating is not None
    vgs = model_threshold(params, rating)
    drain = np.array([vgs if vds is None else vds])
    current = VDMOS_EQUATIONS.drain_current(params, np.array([vgs]), drain)[0]
    assert current == pytest.approx(10e-6, rel=1e-3)


def test_a_soft_knee_model_with_vto_above_the_range_meets_the_tables_threshold() -> None:
    assert not table_check(SOFT_KNEE, VDMOS_EQUATIONS, rated(3.0, 5.0)).needs_review
    (reason,) = table_check(SOFT_KNEE, VDMOS_EQUATIONS, rated(3.5, 5.0)).reasons
    assert reason.code == ReviewReason.PARAMETER_AGAINST_DEVICE
    assert "the model's threshold (VGS at ID = 0.00025 A, VDS = VGS) is 2.9 V" in reason.message
    assert "(vto = 6.1 V)" in reason.message


def test_without_the_rated_current_vto_stands_in_and_the_reason_says_so() -> None:
    unrated = TableRatings(threshold_low_v=3.0, threshold_high_v=5.0, threshold_source="p. 2")
    assert threshold_rating(unrated) is None
    (reason,) = table_check(SOFT_KNEE, VDMOS_EQUATIONS, unrated).reasons
    assert "vto = 6.1 V lies outside" in reason.message and "test current unread" in reason.message


def test_the_prior_is_nil_inside_the_range_and_saturates_far_outside() -> None:
    rating = threshold_rating(rated(3.0, 5.0))
    assert threshold_residual(SOFT_KNEE, None).size == 0
    assert threshold_residual({**SOFT_KNEE, "vto": 7.0}, rating)[0] == 0.0
    near = threshold_residual(SOFT_KNEE, threshold_rating(rated(3.1, 5.0)))[0]
    assert near == pytest.approx(THRESHOLD_PRIOR.weight_per_v * 0.18, rel=0.05)
    far = threshold_residual(SOFT_KNEE, threshold_rating(rated(8.0, 9.0)))[0]
    assert THRESHOLD_PRIOR.weight_per_v * THRESHOLD_PRIOR.reach_v * 0.99 < far
    assert far <= THRESHOLD_PRIOR.weight_per_v * THRESHOLD_PRIOR.reach_v


def test_the_prior_keeps_a_fit_to_high_currents_inside_the_tables_range() -> None:
    # Transfer curves drawn only above 1 A leave the threshold at 250 µA open: the table
    # closes it, and the curves are matched as well as without it.
    truth = {"vto": 4.0, "kp": 20.0, "ksubthres": 0.3, "rs": 0.01}
    vgs = np.linspace(4.2, 7.0, 41)
    log_amps = AxisScale(log=True, low=1.0, high=100.0)
    curves = [
        CurveData("transfer", "VDS = 20 V", 20.0, vgs, np.zeros_like(vgs), log_amps, graph="t")
    ]
    curves = [
        CurveData("transfer", "VDS = 20 V", 20.0, vgs, model, log_amps, graph="t")
        for model in predict(VDMOS_EQUATIONS, truth, curves)
    ]
    table = rated(3.4, 4.0)
    rating = threshold_rating(table)
    assert rating is not None
    truth_threshold = model_threshold(truth, rating)
    assert truth_threshold < 3.4 - 0.2  # the device itself lies below: the prior must act
    fitted = fit_channel(curves, threshold=rating).params
    assert model_threshold(fitted, rating) > 3.4 - 0.2
    (model,) = predict(VDMOS_EQUATIONS, fitted, curves)
    assert float(np.sqrt(np.mean(curve_error(model, curves[0]) ** 2))) < 0.01
