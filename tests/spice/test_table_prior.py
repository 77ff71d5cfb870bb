"""The table's priors as one residual function: none without a rating, each rating's own
residual where given."""

from __future__ import annotations

import numpy as np

from graphq.spice.rdson_rating import RdsOnRating, rdson_residual
from graphq.spice.table_prior import table_prior
from graphq.spice.threshold_rating import ThresholdRating, threshold_residual

CHANNEL = {"vto": 4.0, "kp": 20.0, "ksubthres": 0.3, "rs": 0.01}
THRESHOLD = ThresholdRating(low=4.5, high=5.0, current_a=250e-6, vds_v=None)
RDSON = RdsOnRating(low=0.03, high=0.04, vgs_v=10.0, id_a=5.0)


def test_without_a_rating_there_is_no_prior() -> None:
    assert table_prior(None, None) is None


def test_each_rating_given_adds_its_own_residual() -> None:
    both = table_prior(THRESHOLD, RDSON)
    assert both is not None
    expected = [*threshold_residual(CHANNEL, THRESHOLD), *rdson_residual(CHANNEL, RDSON)]
    assert np.array_equal(both(CHANNEL), expected)
    assert all(value > 0.0 for value in expected)  # the channel lies outside both ranges
    only_rdson = table_prior(None, RDSON)
    assert only_rdson is not None
    assert np.array_equal(only_rdson(CHANNEL), rdson_residual(CHANNEL, RDSON))
