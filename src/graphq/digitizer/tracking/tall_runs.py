"""What a run much taller than a line is to a track meeting it.

A tall run is a steep stretch of a curve, a steep curve a flat one crosses, a stroke (a
leader arrow, a steep curve) touching a flat curve from one side, or the strokes of sloping
curves converging. The tracker tells them apart by the run's height against the tracks'
strokes, where the track meets it, how it shifts from the last column's run, and whether a
thin run goes on where the track was heading.
"""

from __future__ import annotations

import numpy as np

from graphq.digitizer.tracking.runs import ColumnRuns
from graphq.digitizer.tracking.scale import PlotScale
from graphq.digitizer.tracking.settings import TRACKING
from graphq.digitizer.tracking.track_state import Track, gate_at, predict


def bundle_fills_run(tracks: list[Track], top: int, bottom: int, scale: PlotScale) -> bool:
    """Whether several tracks heading into one tall run account for all of its height.

    Sloping curves that converge (output curves towards the origin) meet in a run as tall
    as their strokes stacked, each a line width plus its slope; a steep curve that flat
    tracks cross is far taller than their strokes.
    """
    if len(tracks) < 2:
        return False
    stacked = sum(scale.line_width_px + abs(track.slope) for track in tracks)
    return bottom - top + 1 <= stacked + scale.line_width_px


def crosses_steep_run(
    track: Track,
    top: int,
    bottom: int,
    predicted: float,
    gate: float,
    scale: PlotScale,
) -> bool:
    """A flat track meeting a tall run far from both its ends is crossing a steep curve."""
    if bottom - top + 1 <= scale.steep_height_px:
        return False
    near_end = min(abs(track.y - top), abs(track.y - bottom)) <= gate
    return not near_end and top + gate < predicted < bottom - gate


def on_steep_stretch(track: Track, runs: ColumnRuns, column: int, top: int, bottom: int) -> bool:
    """Whether a track on a steep stretch in the last column meets its next tall run.

    The runs of a near-vertical curve overlap from column to column, both ends shifted the
    same way by several rows; those of a vertical line (a box's side, a letter's stem) do
    not shift, and the merged run of two shallow curves crossing shifts little.
    """
    last = track.samples[-1]
    if abs(column - last.column) != 1 or last.enter == last.leave:
        return False
    last_top, last_bottom = int(runs.top[last.run]), int(runs.bottom[last.run])
    shift_top, shift_bottom = top - last_top, bottom - last_bottom
    steep = min(abs(shift_top), abs(shift_bottom)) >= TRACKING.steep_shift_px
    return top <= last_bottom and bottom >= last_top and shift_top * shift_bottom > 0 and steep


def runs_on_flat(
    runs: ColumnRuns,
    track: Track,
    columns: range,
    column: int,
    top: int,
    bottom: int,
    scale: PlotScale,
) -> bool:
    """A tall run at one end of a flat track whose line goes on, thin, just beyond it.

    A leader arrow or a steep curve touching a flat curve from one side makes a tall run
    that starts at the track; a curve that really turns steep leaves no thin run ahead
    where the track was heading.
    """
    if bottom - top + 1 <= scale.steep_height_px:
        return False
    found = 0
    for ahead in range(1, TRACKING.flat_lookahead + 1):
        later = column + ahead * columns.step
        if later not in columns:
            break
        predicted = predict(track, later)
        ids = runs.in_column(later)
        tops = runs.top[ids.start : ids.stop]
        bottoms = runs.bottom[ids.start : ids.stop]
        near = np.maximum(tops - predicted, predicted - bottoms) <= gate_at(track, later, scale)
        thin = bottoms - tops + 1 <= scale.steep_height_px
        found += bool((near & thin).any())
    return found >= TRACKING.flat_evidence
