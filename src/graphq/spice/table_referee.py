"""The datasheet's electrical-characteristics table as referee of its graphs and as a check
of the fitted model.

Where two graphs of a part contradict each other (:mod:`graphq.spice.consistency`), no
model matches both; the table's threshold range (VGS(th), VGS(off)) says which graph to
believe. Each graph's curves imply a threshold: a transfer curve's √Id extrapolated to zero,
or the saturation currents of an output graph's lowest two curves, √Id against VGS,
extrapolated likewise. A square law's threshold lies above the table's (rated at a small
current, 10 µA … 250 µA, that subthreshold conduction reaches first), so only a clear
distance counts. The graph
whose implied threshold lies further outside the table's range (by a clear margin) counts
less in the fit, and the result names it. Afterwards the model itself is held against the
table: the model's VGS at the table's rated current (:mod:`graphq.spice.threshold_rating`)
within the threshold range, Rds(on) at the table's condition within its
typical … maximum.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np

from graphq.review import Review, ReviewReason
from graphq.spice.consistency import contradictions
from graphq.spice.curves import CurveData, DeviceEquations
from graphq.spice.inputs import TableRatings
from graphq.spice.threshold_rating import model_threshold, outside, threshold_rating


@dataclass(frozen=True)
class RefereeSettings:
    # A transfer curve's square-law stretch: currents between these fractions of its largest
    # (below, subthreshold bends √Id; at the top, mobility and series resistance do).
    square_law_low: float = 0.1
    square_law_high: float = 0.9
    # An output graph's threshold is extrapolated from its lowest curves that conduct more
    # than this fraction of its highest (a curve lying on the axis says nothing of √Id) ...
    conducting: float = 0.01
    # ... this many of them (two fix the line; more reach up into the bent curves).
    output_curves: int = 2
    # One graph is believed over the other only where its implied threshold is nearer the
    # table's range by this much: an extrapolated threshold is good to a few tenths of a V.
    decisive_v: float = 0.5
    # Likewise for Rds(on), as a fraction of the rating: the graphs are read to a few per
    # cent, and the model must still be told between two graphs some 20 % apart.
    decisive_rdson: float = 0.2
    # The fit's weight of a graph the table contradicts: small enough that the graphs the
    # table agrees with set the threshold, not nil, as it still shows what no other does.
    contradicted_weight: float = 0.2
    # Where the table's test current is unread, the fitted vto may lie this far outside its
    # range: VGS(th) is rated at a small current (250 µA), vto is a square law's
    # extrapolation.
    vto_margin_v: float = 0.5
    # The model's VGS at the rated current may lie this far outside the range: it is
    # extrapolated decades below the graphs' lowest current, a few tenths of a volt per
    # decade of subthreshold slope read off their bend.
    threshold_margin_v: float = 0.2
    # The model's (or a graph's) Rds(on) at the table's condition may lie this fraction
    # below its typical value or above its maximum (a graph read to a few per cent, a
    # rating's spread).
    rdson_tolerance: float = 0.15


REFEREE = RefereeSettings()


def _graph(curve: CurveData) -> str:
    return curve.graph or f"{curve.kind} graph"


def _intercept(gate: np.ndarray, current: np.ndarray) -> float | None:
    """Where √Id against VGS, fitted by a line, reaches zero."""
    if gate.size < 2 or np.ptp(gate) <= 0.0:
        return None
    slope, offset = np.polyfit(gate, np.sqrt(np.maximum(current, 0.0)), 1)
    return float(-offset / slope) if slope > 0.0 else None


def implied_threshold(curves: list[CurveData], settings: RefereeSettings = REFEREE) -> float | None:
    """The threshold one graph's 25 °C curves imply (see the module's docstring)."""
    nominal = [c for c in curves if c.nominal]
    transfer = [c for c in nominal if c.kind == "transfer"]
    if transfer:
        found = []
        for c in transfer:
            top = float(c.y.max())
            keep = (c.y >= settings.square_law_low * top) & (c.y <= settings.square_law_high * top)
            if (value := _intercept(c.x[keep], c.y[keep])) is not None:
                found.append(value)
        return float(np.median(found)) if found else None
    output = sorted((c for c in nominal if c.kind == "output"), key=lambda c: c.condition)
    saturated = np.array([float(c.y[np.argmax(c.x)]) for c in output])
    if saturated.size < 2:
        return None
    # The lowest curves that conduct: near the threshold the square law holds, where the
    # higher curves are cut off by the graph's top or its VDS range.
    lowest = np.flatnonzero(saturated > settings.conducting * saturated.max())
    lowest = lowest[: settings.output_curves]
    gate = np.array([output[i].condition for i in lowest])
    return _intercept(gate, saturated[lowest])


def implied_rdson(curves: list[CurveData], vgs: float, current: float) -> float | None:
    """Rds(on) at ``vgs`` and ``current`` as one graph's 25 °C curves give it: an Rds(on)
    curve's value there, or Vds/Id on the output curve at that VGS."""
    for c in (c for c in curves if c.nominal and c.condition == vgs):
        if c.kind == "rdson" and c.x.min() <= current <= c.x.max():
            return float(np.interp(current, c.x, c.y))
        if c.kind == "output":
            rising = np.maximum.accumulate(c.y)
            if rising.min() <= current <= rising.max():
                return float(np.interp(current, rising, c.x)) / current
    return None


@dataclass(frozen=True)
class _Rating:
    """One table rating a graph can be held against: its name and unit, its range, how far
    outside it a graph's value lies (V, or a fraction of the rating), what is decisive."""

    name: str
    unit: str
    low: float
    high: float
    relative: bool
    decisive: float
    source: str

    def outside(self, value: float | None) -> float | None:
        if value is None:
            return None
        distance = outside(value, self.low, self.high)
        return distance / self.high if self.relative else distance


def _ratings(ratings: TableRatings, settings: RefereeSettings) -> list[_Rating]:
    found = []
    low, high = ratings.threshold_low_v, ratings.threshold_high_v
    if low is not None and high is not None:
        source = ratings.threshold_source
        found.append(_Rating("threshold", "V", low, high, False, settings.decisive_v, source))
    ceiling = ratings.rdson_max_ohm or ratings.rdson_typical_ohm
    if ceiling is not None and ratings.rdson_vgs_v is not None and ratings.rdson_id_a:
        floor = ratings.rdson_typical_ohm or ceiling
        tolerance = settings.rdson_tolerance
        found.append(
            _Rating(
                f"Rds(on) at VGS = {ratings.rdson_vgs_v:g} V, ID = {ratings.rdson_id_a:g} A",
                "Ω",
                floor * (1 - tolerance),
                ceiling * (1 + tolerance),
                True,
                settings.decisive_rdson,
                ratings.rdson_source,
            )
        )
    return found


def _implied(
    rating: _Rating, curves: list[CurveData], ratings: TableRatings, settings: RefereeSettings
) -> float | None:
    if rating.unit == "V":
        return implied_threshold(curves, settings)
    return implied_rdson(curves, ratings.rdson_vgs_v or 0.0, ratings.rdson_id_a or 0.0)


def contradicted_graphs(
    curves: list[CurveData], ratings: TableRatings | None, settings: RefereeSettings = REFEREE
) -> dict[str, str]:
    """The graphs the table contradicts, each with why: of each pair of graphs that
    contradict each other, the one whose implied threshold (or Rds(on) at the table's
    condition) lies clearly further outside the table's rating."""
    if ratings is None:
        return {}
    by_graph: dict[str, list[CurveData]] = {}
    for c in curves:
        by_graph.setdefault(_graph(c), []).append(c)
    found: dict[str, str] = {}
    pairs = sorted({(_graph(x.other), _graph(x.output)) for x in contradictions(curves)})
    for rating in _ratings(ratings, settings):
        implied = {name: _implied(rating, by_graph[name], ratings, settings) for name in by_graph}
        for pair in pairs:
            if any(name in found for name in pair):
                continue
            first, second = (rating.outside(implied[name]) for name in pair)
            if first is None or second is None:
                continue
            far, near = (0, 1) if first > second else (1, 0)
            if abs(first - second) < rating.decisive:
                continue
            found[pair[far]] = (
                f"the {pair[far]} implies a {rating.name} of {implied[pair[far]]:.3g} "
                f"{rating.unit}, outside the datasheet table's {rating.low:.3g} … "
                f"{rating.high:.3g} {rating.unit} ({rating.source}); the {pair[near]}, which "
                f"it contradicts, implies {implied[pair[near]]:.3g} {rating.unit}: "
                f"the {pair[far]} was given less weight in the fit"
            )
    return found


def referee(
    curves: list[CurveData], ratings: TableRatings | None, settings: RefereeSettings = REFEREE
) -> tuple[list[CurveData], Review]:
    """``curves`` with less weight on the graphs the table contradicts, and a
    ``graphs_disagree`` reason naming each."""
    review = Review()
    contradicted = contradicted_graphs(curves, ratings, settings)
    for why in contradicted.values():
        review.add(ReviewReason.GRAPHS_DISAGREE, why)
    weighted = [
        replace(c, weight=settings.contradicted_weight) if _graph(c) in contradicted else c
        for c in curves
    ]
    return weighted, review


def table_check(
    params: Mapping[str, float],
    equations: DeviceEquations,
    ratings: TableRatings | None,
    settings: RefereeSettings = REFEREE,
) -> Review:
    """``parameter_against_device`` where the model leaves the table's ratings: its VGS at
    the rated threshold current (``vto`` where that current is unread) outside the threshold
    range, Rds(on) at the table's condition outside typical … max."""
    review = Review()
    if ratings is None:
        return review
    low, high = ratings.threshold_low_v, ratings.threshold_high_v
    vto = params.get("vto")
    rated = threshold_rating(ratings)
    if rated is not None and vto is not None:
        # The model's own VGS at the rated current: what the table rates (not vto).
        vth = model_threshold(params, rated)
        if outside(vth, rated.low, rated.high) > settings.threshold_margin_v:
            review.add(
                ReviewReason.PARAMETER_AGAINST_DEVICE,
                f"the model's threshold (VGS at {rated.condition}) is {vth:.3g} V "
                f"(vto = {vto:.3g} V), outside the datasheet table's threshold {low:g} … "
                f"{high:g} V ({ratings.threshold_source})",
            )
    elif vto is not None and low is not None and high is not None:
        margin = settings.vto_margin_v
        if not low - margin <= vto <= high + margin:
            review.add(
                ReviewReason.PARAMETER_AGAINST_DEVICE,
                f"vto = {vto:.3g} V lies outside the datasheet table's threshold "
                f"{low:g} … {high:g} V ({ratings.threshold_source}; its test current "
                "unread, so vto stands in for the model's threshold)",
            )
    vgs, current = ratings.rdson_vgs_v, ratings.rdson_id_a
    ceiling = ratings.rdson_max_ohm or ratings.rdson_typical_ohm
    if vgs is None or current is None or ceiling is None:
        return review
    floor = ratings.rdson_typical_ohm or ceiling
    model = float(equations.on_resistance(params, np.array([vgs]), np.array([current]))[0])
    lowest, highest = (
        floor * (1 - settings.rdson_tolerance),
        ceiling * (1 + settings.rdson_tolerance),
    )
    if not lowest <= model <= highest:
        review.add(
            ReviewReason.PARAMETER_AGAINST_DEVICE,
            f"the model's Rds(on) at VGS = {vgs:g} V, ID = {current:g} A is {model:.3g} Ω, "
            f"where the datasheet table rates {floor:g} … {ceiling:g} Ω ({ratings.rdson_source})",
        )
    return review
