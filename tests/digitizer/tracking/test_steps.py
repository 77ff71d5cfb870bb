"""Tracks sharing a run far taller than their strokes are not spread down it; tracks filling
their run divide it evenly."""

from graphq.digitizer.tracking.scale import PlotScale
from graphq.digitizer.tracking.steps import divide_shared
from graphq.digitizer.tracking.track_state import Track


def _touching_tracks() -> list[Track]:
    """Two flat tracks a line's width apart, last seen in column 99."""
    return [Track(y=row, slope=0.0, column=99) for row in (50.5, 52.5)]


def test_tracks_on_a_run_far_taller_than_their_strokes_stay_where_they_were_heading() -> None:
    # Two touching curves reach a grid line's stub left standing where they cross: the run
    # reaches 40 rows below them, and spreading them down it would bend both curves' ends.
    tracks = _touching_tracks()
    divide_shared(tracks, 100, 0, 50, 94, PlotScale(2.0, None, 200, 100))
    assert [track.samples[-1].middle for track in tracks] == [50.5, 52.5]


def test_tracks_filling_their_run_divide_it_evenly() -> None:
    # Two 2 px strokes and their touching: a run of 6 rows holds just them.
    tracks = _touching_tracks()
    divide_shared(tracks, 100, 0, 49, 54, PlotScale(2.0, None, 200, 100))
    assert [track.samples[-1].middle for track in tracks] == [50.0, 53.0]
