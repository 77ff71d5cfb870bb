"""Do a datasheet's graphs agree with each other where they show the same operating point?

A transfer curve at VDS = v and an output curve at VGS = g both give the drain current at
(g, v); an Rds(on) curve at VGS = g and the output curve at that VGS both give the voltage
at a current. Where two graphs measured at one temperature differ there by more than a
reader would put down to drawing (twice the fit's limit, of the full scale of the graph
compared against), no model can match both: the fit then matches each as well as the
contradiction allows, and the result names the two graphs (``graphs_disagree``), so nobody
takes the misses for the fitter's.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from graphq.review import Review, ReviewReason
from graphq.spice.curves import CurveData
from graphq.spice.quality import LIMITS


@dataclass(frozen=True)
class ConsistencySettings:
    # Twice the channel limit: a graph off by less could still be matched within it.
    disagreement: float = 2.0 * LIMITS.channel_rms
    # Output points within this fraction of the x span from the graph's left edge are not
    # compared: a current read off a near-vertical rise there says little.
    edge_fraction: float = 0.02


CONSISTENCY = ConsistencySettings()


def _span(curve: CurveData) -> float:
    return curve.scale.high - curve.scale.low if not curve.scale.log else float(curve.y.max())


def _transfer_against_output(
    transfer: CurveData, output: CurveData, settings: ConsistencySettings
) -> float | None:
    """|Id(transfer) - Id(output)| at their shared point, as a fraction of full scale."""
    vds, vgs = transfer.condition, output.condition
    x_span = float(output.x.max() - output.x.min())
    inside_output = output.x.min() + settings.edge_fraction * x_span <= vds <= output.x.max()
    if not inside_output or not transfer.x.min() <= vgs <= transfer.x.max():
        return None
    from_output = float(np.interp(vds, output.x, output.y))
    from_transfer = float(np.interp(vgs, transfer.x, transfer.y))
    scale = max(_span(output), _span(transfer))
    return abs(from_output - from_transfer) / scale


def _rdson_against_output(rdson: CurveData, output: CurveData) -> float | None:
    """The largest |R(rdson) - Vds/Id(output)| over the shared currents, as a fraction of the
    Rds(on) graph's full scale."""
    rising = np.maximum.accumulate(output.y)
    shared = (rdson.x > 0) & (rdson.x >= rising.min()) & (rdson.x <= rising.max())
    if shared.sum() < 2:
        return None
    current = rdson.x[shared]
    vds = np.interp(current, rising, output.x)
    from_output = vds / current
    return float(np.max(np.abs(from_output - rdson.y[shared]))) / _span(rdson)


def which(curve: CurveData) -> str:
    """``the transfer curve VDS = 25 V of the transfer graph, page 4``: the curve and its
    graph, so a reader finds the one meant among curves of one name."""
    what = f"the {curve.kind} curve {curve.name}"
    return f"{what} of the {curve.graph}" if curve.graph and curve.graph not in curve.name else what


@dataclass(frozen=True)
class Contradiction:
    """A transfer or Rds(on) curve (``other``) and an output curve that disagree on
    ``what`` by ``off`` of full scale."""

    other: CurveData
    output: CurveData
    what: str
    off: float

    @property
    def message(self) -> str:
        return (
            f"{which(self.other)} and {which(self.output)} disagree on {self.what} "
            f"by {self.off:.0%} of full scale; no model matches both"
        )


def contradictions(
    curves: list[CurveData], settings: ConsistencySettings = CONSISTENCY
) -> list[Contradiction]:
    """Each pair of curves that contradict each other at a shared operating point."""
    found = []
    outputs = [c for c in curves if c.kind == "output"]
    for other in curves:
        if other.kind not in ("transfer", "rdson"):
            continue
        for output in outputs:
            if output.temperature_c != other.temperature_c:
                continue
            if other.kind == "transfer":
                off = _transfer_against_output(other, output, settings)
                point = f"VGS = {output.condition:g} V, VDS = {other.condition:g} V"
                what = f"the drain current at {point}"
            elif output.condition == other.condition:
                off = _rdson_against_output(other, output)
                what = f"the on-resistance at VGS = {output.condition:g} V"
            else:
                continue
            if off is not None and off > settings.disagreement:
                found.append(Contradiction(other, output, what, off))
    return found


def disagreements(curves: list[CurveData], settings: ConsistencySettings = CONSISTENCY) -> Review:
    """A ``graphs_disagree`` reason for each pair of curves that contradict each other."""
    review = Review()
    for contradiction in contradictions(curves, settings):
        review.add(ReviewReason.GRAPHS_DISAGREE, contradiction.message)
    return review
