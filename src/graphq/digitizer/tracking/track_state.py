"""A track as the tracker walks it: the samples it has taken and the line it predicts.

Every step of a pass asks the same two things of a live track: the row it expects the curve
in a column (its last row carried on along its slope) and how far from that a run may lie and
still be its curve (a gate widening with the slope and the columns coasted, wider while the
track is young and its slope barely measured).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from graphq.digitizer.tracking.scale import PlotScale
from graphq.digitizer.tracking.settings import TRACKING


@dataclass
class Sample:
    """One column of a track: where the curve enters and leaves it (rows, walk order)."""

    column: int
    enter: float
    leave: float
    run: int
    shared: int

    @property
    def middle(self) -> float:
        return (self.enter + self.leave) / 2.0


@dataclass
class Track:
    y: float
    slope: float
    column: int
    samples: list[Sample] = field(default_factory=list)
    misses: int = 0

    @property
    def age(self) -> int:
        return len(self.samples)


def predict(track: Track, column: int) -> float:
    return track.y + track.slope * abs(column - track.column)


def gate_at(track: Track, column: int, scale: PlotScale) -> float:
    steps = abs(column - track.column)
    gate = (
        scale.gate_px
        + TRACKING.gate_slope_share * abs(track.slope) * steps
        + TRACKING.gate_coast_px * (steps - 1)
    )
    return gate + (TRACKING.young_gate_px if track.age < TRACKING.young_age else 0.0)
