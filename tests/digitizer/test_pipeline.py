"""What is left of the frame after grid removal is not taken for a curve; a dotted curve is."""

import numpy as np
import pytest

from graphq.digitizer.pipeline import _along_frame, _seen_columns
from graphq.digitizer.tracks import TracedCurve

_HEIGHT = 100


def _curve(rows: np.ndarray) -> TracedCurve:
    columns = np.arange(rows.size)
    ones = np.ones(rows.size, dtype=np.int64)
    return TracedCurve(columns, rows, rows, ones, columns)


@pytest.mark.parametrize("edge_row", [1.0, _HEIGHT - 2.0], ids=["top", "bottom"])
def test_a_curve_lying_on_the_top_or_bottom_frame_line_is_frame_residue(
    edge_row: float,
) -> None:
    rows = np.full(200, edge_row)
    rows[:20] = 50.0  # a curve ran into the frame residue for its first tenth
    assert _along_frame(_curve(rows), _HEIGHT)


@pytest.mark.parametrize("edge_row", [1.0, _HEIGHT - 2.0], ids=["top", "bottom"])
def test_a_curve_that_only_starts_on_the_frame_line_is_no_frame_residue(
    edge_row: float,
) -> None:
    columns = np.arange(200, dtype=np.float64)
    # Runs on the frame line over its first 60 columns, then leaves it for the plot inside.
    rows = edge_row + np.sign(50.0 - edge_row) * np.clip(columns - 60.0, 0.0, 48.0)
    assert not _along_frame(_curve(rows), _HEIGHT)


def test_the_gaps_between_a_thick_dotted_curves_dots_count_as_seen() -> None:
    # 3 px dots every 8 columns: ink in only 3 of 8 columns, yet seen all along.
    columns = np.array([c for c in range(400) if c % 8 < 3])
    rows = 50.0 + 0.1 * columns
    ones = np.ones(columns.size, dtype=np.int64)
    dotted = TracedCurve(columns, rows, rows, ones, columns)
    assert _seen_columns(dotted, dot_gap_px=6) == 400 - 5


def test_a_gap_longer_than_a_dots_is_not_seen() -> None:
    columns = np.concatenate((np.arange(0, 100), np.arange(200, 300)))
    rows = np.full(columns.size, 50.0)
    ones = np.ones(columns.size, dtype=np.int64)
    bridged = TracedCurve(columns, rows, rows, ones, columns)
    assert _seen_columns(bridged, dot_gap_px=6) == 200
