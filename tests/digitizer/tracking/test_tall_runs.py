"""A flat curve's track keeps to its line past a leader arrow that touches it; a steep
stretch is told from a vertical stroke by its runs shifting with both ends."""

import numpy as np
import pytest

from graphq.digitizer.tracking.runs import ColumnRuns, column_runs, single_line_width
from graphq.digitizer.tracking.scale import PlotScale
from graphq.digitizer.tracking.tall_runs import on_steep_stretch
from graphq.digitizer.tracking.track_state import Sample, Track
from graphq.digitizer.tracking.tracker import track_pass
from graphq.digitizer.tracking.tracks import to_curve

_WIDTH = 200


@pytest.mark.parametrize(
    "columns", [range(_WIDTH), range(_WIDTH - 1, -1, -1)], ids=["rightwards", "leftwards"]
)
def test_a_flat_track_stays_on_its_line_past_an_arrow_touching_it_from_below(
    columns: range,
) -> None:
    ink = np.zeros((100, _WIDTH), dtype=np.float32)
    ink[50:52, :] = 1.0  # a flat curve, 2 px thick
    ink[52:90, 100:102] = 1.0  # a leader arrow's steep stroke ending on it
    runs = column_runs(ink, 0.5)
    scale = PlotScale(single_line_width(runs), None, _WIDTH, 100)
    (track,) = track_pass(runs, columns, scale)
    curve = to_curve(track)
    np.testing.assert_array_equal(curve.column, np.arange(_WIDTH))
    np.testing.assert_allclose(curve.middle, 50.5)


def _tall_runs(*spans: tuple[int, int]) -> ColumnRuns:
    """One run per column, column ``i`` inked over rows ``spans[i]`` (inclusive)."""
    ink = np.zeros((100, len(spans)), dtype=np.float32)
    for column, (top, bottom) in enumerate(spans):
        ink[top : bottom + 1, column] = 1.0
    return column_runs(ink, 0.5)


def _track_in_first_column(runs: ColumnRuns) -> Track:
    top, bottom = float(runs.top[0]), float(runs.bottom[0])
    return Track(y=bottom, slope=1.0, column=0, samples=[Sample(0, top, bottom, 0, 1)])


def test_a_tall_run_shifted_down_with_both_ends_is_the_steep_stretch_going_on() -> None:
    runs = _tall_runs((20, 40), (30, 50))
    track = _track_in_first_column(runs)
    assert on_steep_stretch(track, runs, 1, int(runs.top[1]), int(runs.bottom[1]))


@pytest.mark.parametrize(
    "next_span",
    [(20, 40), (21, 41), (15, 45)],
    ids=["a vertical stroke", "a shift under the steep minimum", "ends moving apart"],
)
def test_a_tall_run_not_shifted_with_both_ends_is_no_steep_stretch(
    next_span: tuple[int, int],
) -> None:
    # A box's side or a letter's stem stands still; the merged run of two shallow curves
    # crossing grows at both ends or barely moves.
    runs = _tall_runs((20, 40), next_span)
    track = _track_in_first_column(runs)
    assert not on_steep_stretch(track, runs, 1, int(runs.top[1]), int(runs.bottom[1]))
