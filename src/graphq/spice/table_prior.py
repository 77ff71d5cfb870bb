"""The datasheet table's priors on the channel fit, as one residual function: the threshold
(:mod:`graphq.spice.threshold_rating`) and RDS(on) (:mod:`graphq.spice.rdson_rating`), each a
weak pull where the graphs leave the rated value open."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np

from graphq.spice.rdson_rating import RdsOnRating, rdson_residual
from graphq.spice.threshold_rating import ThresholdRating, threshold_residual

# The table's priors on a parameter set: residuals appended to the curves'.
Prior = Callable[[Mapping[str, float]], np.ndarray]


def table_prior(threshold: ThresholdRating | None, rdson: RdsOnRating | None) -> Prior | None:
    """The table's threshold and RDS(on) priors as one residual function; None without
    either."""
    if threshold is None and rdson is None:
        return None

    def prior(params: Mapping[str, float]) -> np.ndarray:
        return np.concatenate(
            [threshold_residual(params, threshold), rdson_residual(params, rdson)]
        )

    return prior
