"""A track predicts its row along its slope whichever way the pass walks, and its gate widens
with the columns it coasted and is wider while it is young."""

import pytest

from graphq.digitizer.tracking.scale import PlotScale
from graphq.digitizer.tracking.settings import TRACKING
from graphq.digitizer.tracking.track_state import Sample, Track, gate_at, predict


def _track(age: int) -> Track:
    """A track rising a row every two columns, last seen at row 50 in column 100."""
    samples = [Sample(100, 50.0, 50.0, 0, 1) for _ in range(age)]
    return Track(y=50.0, slope=0.5, column=100, samples=samples)


@pytest.mark.parametrize("column", [104, 96], ids=["rightwards", "leftwards"])
def test_a_track_predicts_its_row_along_its_slope_in_the_walk_direction(column: int) -> None:
    assert predict(_track(TRACKING.young_age), column) == 52.0


def test_a_tracks_gate_widens_with_the_columns_it_coasted() -> None:
    scale = PlotScale(2.0, None, 200, 100)
    track = _track(TRACKING.young_age)
    assert gate_at(track, 101, scale) < gate_at(track, 105, scale)


def test_a_young_tracks_gate_is_wider_than_an_old_ones() -> None:
    scale = PlotScale(2.0, None, 200, 100)
    young, old = _track(TRACKING.young_age - 1), _track(TRACKING.young_age)
    assert gate_at(young, 101, scale) > gate_at(old, 101, scale)
