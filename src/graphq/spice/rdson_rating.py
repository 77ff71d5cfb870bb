"""The table's RDS(on) rating as a prior of the channel fit.

The electrical table rates RDS(on) at one gate drive and drain current, typical and
maximum, as a specification; the graphs are typical drawings. Where they
leave the on-resistance loosely tied or pull it apart (an Rds(on) graph drawn to currents
the output graph never reaches, an output graph rising faster than linearly at low VDS,
which no MOSFET does), the fit can settle a fifth outside the rated range with every graph
matched to a few per cent. As with the threshold
(:mod:`graphq.spice.threshold_rating`), the table then sets what the graphs leave open: a
weak pull back into typical … maximum, never a bound; where graphs and table truly disagree,
the graphs win and :func:`graphq.spice.table_referee.table_check` names the gap.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from graphq.spice import vdmos
from graphq.spice.inputs import TableRatings
from graphq.spice.threshold_rating import outside, saturating_pull

OnResistance = Callable[[Mapping[str, float], np.ndarray, np.ndarray], np.ndarray]


@dataclass(frozen=True)
class RdsOnPriorSettings:
    # The prior's residual per unit of relative distance (ln of the ratio) outside the rated
    # range: 10 % outside counts as much as a graph missed by 1 % of full scale RMS, the
    # scale of the threshold prior's 0.1 V, so the fit gives up no visible accuracy for it.
    weight: float = 0.1
    # Beyond this relative distance the prior pulls no harder (tanh): a table a quarter away
    # from what the graphs show, on top of the rating's own spread, contradicts them.
    reach: float = 0.25


RDSON_PRIOR = RdsOnPriorSettings()


@dataclass(frozen=True)
class RdsOnRating:
    """The table's RDS(on) range (Ω; typical … maximum, either alone where only one is
    given) at its gate drive and drain current (N-channel sense: V, A)."""

    low: float
    high: float
    vgs_v: float
    id_a: float


def rdson_rating(ratings: TableRatings | None) -> RdsOnRating | None:
    """The table's RDS(on) with its condition; None where the value or condition is unread."""
    if ratings is None:
        return None
    high = ratings.rdson_max_ohm or ratings.rdson_typical_ohm
    low = ratings.rdson_typical_ohm or high
    vgs, current = ratings.rdson_vgs_v, ratings.rdson_id_a
    if low is None or high is None or vgs is None or not current or low <= 0.0:
        return None
    return RdsOnRating(min(low, high), max(low, high), vgs, abs(current))


def rdson_residual(
    params: Mapping[str, float],
    rating: RdsOnRating | None,
    on_resistance: OnResistance = vdmos.on_resistance,
    settings: RdsOnPriorSettings = RDSON_PRIOR,
) -> np.ndarray:
    """The prior's residual (none without a rating): how far the model's Rds(on) at the
    rated condition lies outside the range, relatively, weighted by
    :attr:`RdsOnPriorSettings.weight` and saturating beyond :attr:`RdsOnPriorSettings.reach`."""
    if rating is None:
        return np.zeros(0)
    model = float(on_resistance(params, np.array([rating.vgs_v]), np.array([rating.id_a]))[0])
    if not np.isfinite(model) or model <= 0.0:
        return np.array([settings.weight * settings.reach])
    distance = outside(np.log(model), np.log(rating.low), np.log(rating.high))
    return saturating_pull(distance, settings.weight, settings.reach)
