"""Tracks heading into a run their strokes fill claim it rather than letting it pass as a
steep curve; a young track running into an older one's line ends there, while one crossing
it goes on along its own line."""

import numpy as np

from graphq.digitizer.tracking.runs import column_runs
from graphq.digitizer.tracking.scale import PlotScale
from graphq.digitizer.tracking.tracker import track_pass
from graphq.digitizer.tracking.tracks import to_curve

_WIDTH = 200
_ORIGIN_ROW = 251.0


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
