"""A track's step into a column: the sample it takes there, and how its row and slope follow.

A lone track on a thin run follows the run's centroid, its slope easing towards the one
measured; on a tall run it enters at the end it came from and leaves at the other, or, on a
steep stretch, moves as the runs' middles do. A flat track keeps to its line across a tall run
that only touches it. Tracks sharing a run divide it in the order of their predictions. A run
no track claimed starts a new track.
"""

from __future__ import annotations

from graphq.digitizer.tracking.runs import ColumnRuns
from graphq.digitizer.tracking.scale import PlotScale
from graphq.digitizer.tracking.settings import TRACKING
from graphq.digitizer.tracking.tall_runs import bundle_fills_run, on_steep_stretch
from graphq.digitizer.tracking.track_state import Sample, Track, predict


def follow_lone(
    track: Track,
    runs: ColumnRuns,
    column: int,
    run: int,
    top: int,
    bottom: int,
    centroid: float,
    half_width: float,
    scale: PlotScale,
) -> None:
    steps = max(1, abs(column - track.column))
    if bottom - top + 1 > scale.steep_height_px and on_steep_stretch(
        track, runs, column, top, bottom
    ):
        # Inside a steep stretch the centre line moves as the runs' middles do.
        middle = (top + bottom) / 2.0
        track.slope = middle - track.samples[-1].middle
        enter, leave = middle - track.slope / 2.0, middle + track.slope / 2.0
    elif bottom - top + 1 > scale.steep_height_px:
        upper, lower = stroke_ends(top, bottom, half_width)
        enter, leave = (
            (upper, lower) if abs(track.y - upper) <= abs(track.y - lower) else (lower, upper)
        )
        track.slope = (leave - track.y) / steps
    else:
        enter = leave = centroid
        measured = (centroid - track.y) / steps
        gain = 1.0 if track.age < 2 else TRACKING.lone_gain
        track.slope += gain * (measured - track.slope)
    track.samples.append(Sample(column, enter, leave, run, 1))
    track.y, track.column, track.misses = leave, column, 0


def stroke_ends(top: int, bottom: int, half_width: float) -> tuple[float, float]:
    """The rows of a tall run's upper and lower stroke centres: a curve crossing it steeply
    enters at one and leaves at the other."""
    return top + half_width - 0.5, bottom - half_width + 0.5


def coast_through(track: Track, column: int, run: int, top: int, bottom: int) -> None:
    """Keep a flat track on its line across a tall run that only touches it."""
    row = min(max(predict(track, column), top - 0.5), bottom + 0.5)
    track.samples.append(Sample(column, row, row, run, 2))
    track.y, track.column, track.misses = row, column, 0


def divide_shared(
    members: list[Track], column: int, run: int, top: int, bottom: int, scale: PlotScale
) -> None:
    """Split a run among the tracks in it, in the order their predictions say.

    Each track's own state keeps extrapolating its slope inside the run (clamped to it):
    the division is forced into order, so feeding it back would make two curves that cross
    at a shallow angle bounce off each other instead. A run far taller than the tracks'
    strokes stacked holds more than them (a vertical line their crossing touches): each
    stays where it was heading, rather than being spread down the line.
    """
    predictions = {id(track): predict(track, column) for track in members}
    members.sort(key=lambda track: predictions[id(track)])
    share = (bottom - top + 1) / len(members)
    spread = bundle_fills_run(members, top, bottom, scale)
    for order, track in enumerate(members):
        inside = min(max(predictions[id(track)], top - 0.5), bottom + 0.5)
        position = top - 0.5 + (order + 0.5) * share if spread else inside
        steps = max(1, abs(column - track.column))
        track.slope += TRACKING.shared_gain * ((inside - track.y) / steps - track.slope)
        track.samples.append(Sample(column, position, position, run, len(members)))
        track.y, track.column, track.misses = inside, column, 0


def start_track(
    column: int,
    run: int,
    top: int,
    bottom: int,
    centroid: float,
    half_width: float,
    scale: PlotScale,
) -> Track:
    track = Track(y=centroid, slope=0.0, column=column)
    if bottom - top + 1 > scale.steep_height_px:
        track.samples.append(Sample(column, *stroke_ends(top, bottom, half_width), run, 1))
    else:
        track.samples.append(Sample(column, centroid, centroid, run, 1))
    return track
