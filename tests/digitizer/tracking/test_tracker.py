"""A flat curve's track keeps to its line past a leader arrow that touches it, and a young
track crossing an older one goes on along its own line; a steep stretch is told from a
vertical stroke by its runs shifting with both ends; tracks sharing a run far taller than
their strokes are not spread down it."""

import numpy as np
import pytest

from graphq.digitizer.tracking.runs import ColumnRuns, column_runs, single_line_width
from graphq.digitizer.tracking.scale import PlotScale
from graphq.digitizer.tracking.tracker import (
    Sample,
    Track,
    _divide_shared,
    _on_steep_stretch,
    track_pass,
)
from graphq.digitizer.tracking.tracks import to_curve

_WIDTH = 200
_ORIGIN_ROW = 251.0


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


@pytest.mark.parametrize(
    "columns", [range(_WIDTH), range(_WIDTH - 1, -1, -1)], ids=["rightwards", "leftwards"]
)
def test_a_near_vertical_stretch_is_followed_by_one_track(columns: range) -> None:
    # A 2 px line falling 12 rows per column: each column holds one tall run, overlapping
    # the next one's and shifted from it.
    ink = np.zeros((400, _WIDTH), dtype=np.float32)
    rows = np.arange(20, 380)
    for row in rows:
        centre = 80 + (row - 20) / 12.0
        ink[row, round(centre - 1) : round(centre + 1)] = 1.0
    runs = column_runs(ink, 0.5)
    tracks = [to_curve(t) for t in track_pass(runs, columns, PlotScale(2.0, None, _WIDTH, 400))]
    longest = max(tracks, key=lambda c: c.column.size)
    np.testing.assert_array_equal(longest.column, np.unique(runs.column))


def _fan(slopes: tuple[float, ...], shape: tuple[int, int]) -> np.ndarray:
    """Ink of 2 px straight lines rising ``slope`` rows per column from one origin just left
    of the first column, drawn 4× finer and averaged down as a renderer's anti-aliasing does."""
    scale = 4
    rows = (np.arange(shape[0] * scale)[:, None] + 0.5) / scale - 0.5
    columns = (np.arange(shape[1] * scale)[None, :] + 0.5) / scale
    fine = np.zeros((shape[0] * scale, shape[1] * scale), dtype=np.float32)
    for slope in slopes:
        fine[np.abs(rows - (_ORIGIN_ROW - slope * columns)) <= np.hypot(1.0, slope)] = 1.0
    return fine.reshape(shape[0], scale, shape[1], scale).mean(axis=(1, 3))


def test_curves_fanning_out_of_one_tall_run_are_followed_into_it() -> None:
    # Output curves near the origin: where their strokes stack into one run taller than a
    # steep stretch, the tracks coming in from the right divide it between them instead of
    # coasting past it as a steep curve crossing their way.
    slopes = (1.2, 1.3, 1.6)
    runs = column_runs(_fan(slopes, (300, 100)), 0.45)
    scale = PlotScale(2.0, None, 100, 300)
    curves = [to_curve(t) for t in track_pass(runs, range(99, -1, -1), scale)]
    for slope in slopes:
        end = _ORIGIN_ROW - slope * 99.5
        (curve,) = [c for c in curves if c.column[-1] == 99 and abs(c.middle[-1] - end) < 1]
        assert curve.column[0] == 0


def test_a_young_track_running_into_an_older_ones_line_ends_there() -> None:
    # A leader arrow's stroke, 15 columns long, runs down into a flat curve: its track must
    # not go on along the curve as a copy, which would count as one more curve in any
    # bundle the curve joins later.
    ink = np.zeros((100, _WIDTH), dtype=np.float32)
    ink[50:52, :] = 1.0
    for column in range(85, 100):
        row = 35 + (column - 85)
        ink[row : row + 2, column] = 1.0
    runs = column_runs(ink, 0.5)
    curves = [
        to_curve(t) for t in track_pass(runs, range(_WIDTH), PlotScale(2.0, None, _WIDTH, 100))
    ]
    assert sum(curve.column[-1] == _WIDTH - 1 for curve in curves) == 1


def _line(ink: np.ndarray, first: int, last: int, row: float, slope: float) -> None:
    """A 2 px straight line from ``first`` to ``last`` (columns), ``row`` at ``first``."""
    for column in range(first, last + 1):
        centre = row + slope * (column - first)
        ink[round(centre) - 1 : round(centre) + 1, column] = 1.0


def test_a_young_track_crossing_an_older_ones_line_goes_on_along_its_own() -> None:
    # Gate charge: a curve leaves the plateau it shares with the others, rising, and 12
    # columns on crosses the leader arrow drawn from its label to the plateau, whose track
    # started long before it. The curve's track is no copy of the arrow's: it goes on.
    ink = np.zeros((200, _WIDTH), dtype=np.float32)
    _line(ink, 0, _WIDTH - 1, 150.0, 0.0)  # the plateau, going on flat
    _line(ink, 100, 190, 150.0, -1.0)  # the curve leaving it, rising
    _line(ink, 60, 128, 80.0, 1.0)  # the arrow, crossing it at column 115
    runs = column_runs(ink, 0.5)
    scale = PlotScale(2.0, None, _WIDTH, 200)
    curves = [to_curve(t) for t in track_pass(runs, range(_WIDTH), scale)]
    (rising,) = [c for c in curves if c.column[-1] == 190]
    assert rising.column[0] <= 105
    on_line = np.abs(rising.middle - (150.0 - (rising.column - 100))) <= 2.0
    assert on_line[rising.column >= 105].all()


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
    assert _on_steep_stretch(track, runs, 1, int(runs.top[1]), int(runs.bottom[1]))


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
    assert not _on_steep_stretch(track, runs, 1, int(runs.top[1]), int(runs.bottom[1]))


def test_a_speck_ends_its_track_long_before_a_dash_gap_would() -> None:
    # A one-pixel speck 15 columns before a curve starts on its row: a track of one sample
    # coasts a dot's gap, not the 20 columns a curve's track may, so the curve's track
    # starts at the curve.
    width = 1000
    ink = np.zeros((100, width), dtype=np.float32)
    ink[50, 100] = 1.0
    ink[50, 115:] = 1.0
    scale = PlotScale(1.0, None, width, 100)
    assert scale.max_gap > 15 > scale.young_gap
    curves = [to_curve(t) for t in track_pass(column_runs(ink, 0.5), range(width), scale)]
    (line,) = [c for c in curves if c.span > 100]
    assert line.column[0] == 115


def test_a_dotted_curve_is_followed_from_dot_to_dot() -> None:
    width = 300
    ink = np.zeros((100, width), dtype=np.float32)
    ink[40, ::4] = 1.0
    scale = PlotScale(1.0, None, width, 100)
    curves = [to_curve(t) for t in track_pass(column_runs(ink, 0.5), range(width), scale)]
    assert max(c.span for c in curves) >= width - 4


def _touching_tracks() -> list[Track]:
    """Two flat tracks a line's width apart, last seen in column 99."""
    return [Track(y=row, slope=0.0, column=99) for row in (50.5, 52.5)]


def test_tracks_on_a_run_far_taller_than_their_strokes_stay_where_they_were_heading() -> None:
    # Two touching curves reach a grid line's stub left standing where they cross: the run
    # reaches 40 rows below them, and spreading them down it would bend both curves' ends.
    tracks = _touching_tracks()
    _divide_shared(tracks, 100, 0, 50, 94, PlotScale(2.0, None, 200, 100))
    assert [track.samples[-1].middle for track in tracks] == [50.5, 52.5]


def test_tracks_filling_their_run_divide_it_evenly() -> None:
    # Two 2 px strokes and their touching: a run of 6 rows holds just them.
    tracks = _touching_tracks()
    _divide_shared(tracks, 100, 0, 49, 54, PlotScale(2.0, None, 200, 100))
    assert [track.samples[-1].middle for track in tracks] == [50.0, 53.0]
