"""A track that turned where a pointer's arrowhead meets a curve is cut at the turn; a curve's
own corner, where nothing goes on behind the turn, stays whole."""

import numpy as np

from graphq.digitizer.tracking.junctions import split_at_junctions
from graphq.digitizer.tracking.runs import column_runs
from graphq.digitizer.tracking.scale import PlotScale
from tests.digitizer.curves import traced_curve

_WIDTH, _HEIGHT = 240, 200
_SCALE = PlotScale(2.0, None, _WIDTH, _HEIGHT)


def _line(ink: np.ndarray, first: int, last: int, row: float, slope: float) -> None:
    """A 2 px straight line from ``first`` to ``last`` (columns), ``row`` at ``first``."""
    for column in range(first, last + 1):
        centre = row + slope * (column - first)
        ink[round(centre) - 1 : round(centre) + 1, column] = 1.0


def _along(first: int, last: int, row: float, slope: float) -> tuple[np.ndarray, np.ndarray]:
    columns = np.arange(first, last + 1)
    return columns, row + slope * (columns - first)


def test_a_track_turned_from_a_pointer_onto_the_curve_it_points_at_is_cut_at_the_turn() -> None:
    # Gate charge: a curve rises from its plateau (columns 60-200); its label's pointer comes
    # down from the upper left and ends on it at column 130. The track came down the pointer
    # and turned up the curve there, leaving the curve's part below the tip to another.
    ink = np.zeros((_HEIGHT, _WIDTH), dtype=np.float32)
    _line(ink, 60, 200, 170.0, -0.8)
    _line(ink, 90, 130, 74.0, 1.0)
    runs = column_runs(ink, 0.5)
    pointer = _along(90, 130, 74.0, 1.0)
    curve = _along(131, 200, 170.0 - 0.8 * 71, -0.8)
    track = traced_curve(
        np.concatenate((pointer[0], curve[0])), np.concatenate((pointer[1], curve[1]))
    )
    parts = split_at_junctions([track], runs, _SCALE)
    assert len(parts) == 2
    assert abs(int(parts[0].column[-1]) - 130) <= 2
    assert parts[1].column[-1] == 200


def test_a_corner_between_lines_from_the_frame_stays_whole() -> None:
    # A safe-operating-area curve: the on-resistance line rises from the frame to a corner at
    # column 130 and the curve falls from there to the frame; the shared line goes on rising
    # past the corner (another curve's). Neither part is a pointer: both reach the frame.
    ink = np.zeros((_HEIGHT, _WIDTH), dtype=np.float32)
    _line(ink, 0, 180, 160.0 + 0.9 * 40, -0.9)
    _line(ink, 130, _WIDTH - 1, 160.0 - 0.9 * 90, 0.9)
    runs = column_runs(ink, 0.5)
    rising = _along(0, 130, 160.0 + 0.9 * 40, -0.9)
    falling = _along(131, _WIDTH - 1, 160.0 - 0.9 * 90 + 0.9, 0.9)
    track = traced_curve(
        np.concatenate((rising[0], falling[0])), np.concatenate((rising[1], falling[1]))
    )
    assert len(split_at_junctions([track], runs, _SCALE)) == 1
