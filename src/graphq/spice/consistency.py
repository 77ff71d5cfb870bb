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


@dataclass(frozen=True)
class _Reading:
    """What the two graphs read at their worst shared point: the transfer or Rds(on)
    curve's value against the output curve's, ``off`` of full scale apart, and the drain
    current there (A; Rds(on) comparisons only)."""

    other_value: float
    output_value: float
    off: float
    current_a: float = float("nan")


def _span(curve: CurveData) -> float:
    return curve.scale.high - curve.scale.low if not curve.scale.log else float(curve.y.max())


def _transfer_against_output(
    transfer: CurveData, output: CurveData, settings: ConsistencySettings
) -> _Reading | None:
    """Id by the transfer curve and by the output curve at their shared point, and how far
    apart, as a fraction of full scale."""
    vds, vgs = transfer.condition, output.condition
    x_span = float(output.x.max() - output.x.min())
    inside_output = output.x.min() + settings.edge_fraction * x_span <= vds <= output.x.max()
    if not inside_output or not transfer.x.min() <= vgs <= transfer.x.max():
        return None
    from_output = float(np.interp(vds, output.x, output.y))
    from_transfer = float(np.interp(vgs, transfer.x, transfer.y))
    scale = max(_span(output), _span(transfer))
    return _Reading(from_transfer, from_output, abs(from_output - from_transfer) / scale)


def _rdson_against_output(rdson: CurveData, output: CurveData) -> _Reading | None:
    """R by the Rds(on) curve and Vds/Id by the output curve where they disagree most, by
    how much, and the current (A) there.

    Over the shared currents, the disagreement at each point is the smaller of the two
    graphs' own misses, were a model to follow the other: the resistance difference as a
    fraction of the Rds(on) graph's full scale, and the output curve's current at
    Vds = Id·R against Id as a fraction of its own. At the output curve's knee a small
    current gap is a large resistance gap, and near the origin the reverse; only a gap
    neither graph could absorb contradicts. Above the output curve's highest current, a
    point whose Vds = Id·R lies within the output graph's Vds is a current the output curve
    never reaches there: it misses by the current alone, and the output curve's Vds/Id at
    that Vds is its resistance.
    """
    rising = np.maximum.accumulate(output.y)
    shared = (rdson.x > 0) & (rdson.x >= rising.min()) & (rdson.x <= rising.max())
    vds_above = rdson.x * rdson.y
    above = (rdson.x > rising.max()) & (vds_above >= output.x.min()) & (vds_above <= output.x.max())
    if shared.sum() < 2:
        shared[:] = False  # one shared point is no stretch of curve to compare
    if not shared.any() and not above.any():
        return None
    current = rdson.x[shared]
    vds = np.interp(current, rising, output.x)
    from_output = vds / current
    by_resistance = np.abs(from_output - rdson.y[shared]) / _span(rdson)
    at_rdson_vds = np.interp(current * rdson.y[shared], output.x, rising)
    by_current = np.abs(at_rdson_vds - current) / _span(output)
    off = np.minimum(by_resistance, by_current)
    reached = np.interp(vds_above[above], output.x, rising)
    resistances = np.concatenate([rdson.y[shared], rdson.y[above]])
    from_output = np.concatenate([from_output, vds_above[above] / reached])
    off = np.concatenate([off, (rdson.x[above] - reached) / _span(output)])
    currents = np.concatenate([current, rdson.x[above]])
    worst = int(np.argmax(off))
    return _Reading(
        float(resistances[worst]),
        float(from_output[worst]),
        float(off[worst]),
        float(currents[worst]),
    )


def which(curve: CurveData) -> str:
    """``the transfer curve VDS = 25 V of the transfer graph, page 4``: the curve and its
    graph, so a reader finds the one meant among curves of one name."""
    what = f"the {curve.kind} curve {curve.name}"
    return f"{what} of the {curve.graph}" if curve.graph and curve.graph not in curve.name else what


@dataclass(frozen=True)
class Contradiction:
    """A transfer or Rds(on) curve (``other``) and an output curve that disagree on
    ``quantity`` at ``point``: ``other_value`` against ``output_value`` (in ``unit``),
    ``off`` of full scale apart."""

    other: CurveData
    output: CurveData
    quantity: str
    point: str
    off: float
    other_value: float = float("nan")
    output_value: float = float("nan")
    unit: str = ""

    @property
    def what(self) -> str:
        """``the drain current at VGS = 1 V, VDS = 10 V``."""
        return f"the {self.quantity} at {self.point}"

    @property
    def values(self) -> str:
        """``0.13 A against 0.023 A``: what each graph reads there."""
        return f"{self.other_value:.3g} {self.unit} against {self.output_value:.3g} {self.unit}"


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
            read: _Reading | None
            if other.kind == "transfer":
                read = _transfer_against_output(other, output, settings)
                point = f"VGS = {output.condition:g} V, VDS = {other.condition:g} V"
                quantity, unit = "drain current", "A"
            elif output.condition == other.condition:
                read = _rdson_against_output(other, output)
                point = f"VGS = {output.condition:g} V"
                if read is not None:
                    point += f", ID = {read.current_a:.3g} A"
                quantity, unit = "on-resistance", "Ω"
            else:
                continue
            if read is not None and read.off > settings.disagreement:
                found.append(
                    Contradiction(
                        other,
                        output,
                        quantity,
                        point,
                        read.off,
                        read.other_value,
                        read.output_value,
                        unit,
                    )
                )
    return found


def _graph_pair(contradiction: Contradiction) -> tuple[str, str]:
    return (
        contradiction.other.graph or contradiction.other.kind,
        contradiction.output.graph or contradiction.output.kind,
    )


def disagreements(curves: list[CurveData], settings: ConsistencySettings = CONSISTENCY) -> Review:
    """One ``graphs_disagree`` reason for each pair of graphs whose curves contradict each
    other: the worst contradiction with what each graph reads there, and the other points
    where the same two graphs part, so a reader sees at once that the datasheet's own
    graphs (not the fitter) are at odds."""
    review = Review()
    by_pair: dict[tuple[str, str], list[Contradiction]] = {}
    for contradiction in contradictions(curves, settings):
        by_pair.setdefault(_graph_pair(contradiction), []).append(contradiction)
    for found in by_pair.values():
        found.sort(key=lambda c: -c.off)
        worst, rest = found[0], found[1:]
        also = (
            f", and at {len(rest)} more point(s) ("
            + ", ".join(f"{c.point}: {c.values}" for c in rest)
            + ")"
            if rest
            else ""
        )
        review.add(
            ReviewReason.GRAPHS_DISAGREE,
            f"{which(worst.other)} and {which(worst.output)} disagree on {worst.what} "
            f"({worst.values}) by {worst.off:.0%} of full scale{also}: the datasheet's graphs "
            "contradict each other, no model matches both, and the fit is a compromise "
            "between them",
        )
    return review
