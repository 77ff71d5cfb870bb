"""A label's pointer that a track ran on into, up to its text, is cut off the curve, and a
pointer traced alone is dropped; a curve's own end under a label stays."""

import numpy as np

from graphq.digitizer.tracking.pointer_tails import cut_pointer_tails
from graphq.digitizer.tracking.scale import PlotScale
from tests.digitizer.curves import traced_curve

_WIDTH, _HEIGHT = 240, 200
_SCALE = PlotScale(2.0, 10.0, _WIDTH, _HEIGHT)


def _label_at(column: int, row: int) -> np.ndarray:
    """Where a label covered the plot: a line of text whose lower edge is at ``row``, around
    ``column``, grown by half a glyph as the pipeline's mask is."""
    covered = np.zeros((_HEIGHT, _WIDTH), dtype=bool)
    covered[row - 15 : row + 6, column - 30 : column + 30] = True
    return covered


def _bending(first: int, last: int) -> tuple[np.ndarray, np.ndarray]:
    """A curve from the left frame falling gently and more steeply towards ``last``."""
    columns = np.arange(first, last + 1)
    return columns, 120.0 + 0.002 * (columns - first) ** 2


def test_a_straight_pointer_a_track_ran_on_into_up_to_its_label_is_cut_off() -> None:
    # The curve runs from the frame to column 150, where its label's pointer leaves it up and
    # to the right, at 60 degrees, for 30 columns to the label's text.
    columns, rows = _bending(0, 150)
    tip = float(rows[-1])
    pointer = np.arange(151, 181)
    track = traced_curve(
        np.concatenate((columns, pointer)), np.concatenate((rows, tip - 1.7 * (pointer - 150)))
    )
    end_row = round(tip - 1.7 * 30)
    (cut,) = cut_pointer_tails([track], _SCALE, _label_at(180, end_row))
    assert abs(int(cut.column[-1]) - 150) <= 3
    assert cut.column[0] == 0


def test_the_same_turn_ending_away_from_any_label_stays() -> None:
    columns, rows = _bending(0, 150)
    pointer = np.arange(151, 181)
    track = traced_curve(
        np.concatenate((columns, pointer)),
        np.concatenate((rows, float(rows[-1]) - 1.7 * (pointer - 150))),
    )
    (kept,) = cut_pointer_tails([track], _SCALE, np.zeros((_HEIGHT, _WIDTH), dtype=bool))
    assert kept is track


def test_a_curve_running_straight_on_under_a_label_stays_whole() -> None:
    # A straight line from the frame whose end is hidden under a label: no turn before it.
    columns = np.arange(0, 181)
    track = traced_curve(columns, 150.0 - 0.5 * columns)
    (kept,) = cut_pointer_tails([track], _SCALE, _label_at(180, 60))
    assert kept is track


def test_a_pointer_traced_alone_from_its_curve_to_its_label_is_dropped() -> None:
    columns = np.arange(120, 151)
    track = traced_curve(columns, 140.0 - 1.5 * (columns - 120))
    assert cut_pointer_tails([track], _SCALE, _label_at(150, 95)) == []


def test_a_curve_turning_level_into_its_own_label_stays_whole() -> None:
    # An output curve rises steeply and turns level into its label beside its end: a level
    # stretch is the curve's saturation, not a leader.
    rising = np.arange(0, 60)
    level = np.arange(60, 120)
    track = traced_curve(
        np.concatenate((rising, level)),
        np.concatenate((190.0 - 1.5 * rising, np.full(level.size, 100.0))),
    )
    (kept,) = cut_pointer_tails([track], _SCALE, _label_at(120, 100))
    assert kept is track
