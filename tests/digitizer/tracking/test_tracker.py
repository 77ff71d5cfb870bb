"""A pass follows a near-vertical stretch with one track, ends a speck's track long before a
dash gap would, and follows a dotted curve from dot to dot."""

import numpy as np
import pytest

from graphq.digitizer.tracking.runs import column_runs
from graphq.digitizer.tracking.scale import PlotScale
from graphq.digitizer.tracking.tracker import track_pass
from graphq.digitizer.tracking.tracks import to_curve

_WIDTH = 200


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


def test_a_track_coasts_through_a_band_of_erased_grid_lines_wider_than_a_dash_gap() -> None:
    """On a grid as dark as the curve, a log decade's crowded lines fuse into a band that
    grid removal erases with the curve's ink in it: in the band's columns the curve may be
    there unseen; over blank plot, the same gap ends the track as before."""
    width = 400
    ink = np.zeros((100, width), dtype=np.float32)
    rows = np.round(80 - 0.1 * np.arange(width)).astype(int)
    ink[rows, np.arange(width)] = 1.0
    ink[:, 150:180] = 0.0  # the band, erased
    bands = np.zeros(width, dtype=bool)
    bands[150:180] = True
    scale = PlotScale(1.0, None, width, 100)
    assert scale.max_gap < 30 <= scale.max_hidden_gap

    def longest(band_columns: np.ndarray | None) -> int:
        tracks = track_pass(column_runs(ink, 0.5), range(width), scale, bands=band_columns)
        return max(to_curve(t).span for t in tracks)

    assert longest(bands) == width
    assert longest(None) < width
    assert longest(np.zeros_like(bands)) < width
