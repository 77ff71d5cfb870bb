"""A bend hidden under a label is bridged where the tangents of the fragments either side
meet, unless another curve runs through the bend's path."""

from dataclasses import replace

import numpy as np

from graphq.digitizer.tracking.corners import link_corners
from graphq.digitizer.tracking.scale import PlotScale
from graphq.digitizer.tracking.settings import TRACKING
from tests.digitizer.curves import traced_curve as _curve

# A 200 × 100 plot of lines 2 px wide whose bends hidden by labels are up to 60 columns wide.
_SCALE = PlotScale(2.0, None, 200, 100, replace(TRACKING, max_corner_fraction=0.3))


def test_a_bend_hidden_under_a_label_is_bridged() -> None:
    # A plateau ends under a label; the curve comes out of it rising steeply. Their
    # tangents meet at column 120, inside the gap.
    lone = np.ones(200, dtype=np.int64)
    plateau_columns, ramp_columns = np.arange(0, 100), np.arange(130, 190)
    plateau = _curve(plateau_columns, np.full(100, 70.0), lone[:100])
    ramp = _curve(ramp_columns, 70.0 - 0.5 * (ramp_columns - 120), lone[:60])
    linked = link_corners([plateau, ramp], _SCALE)
    assert len(linked) == 1
    np.testing.assert_array_equal(linked[0].column, np.concatenate((plateau_columns, ramp_columns)))
    # Another curve passing through the bend's path: the gap hid no bend.
    crossing_columns = np.arange(100, 130)
    crossing = _curve(crossing_columns, np.full(30, 68.0), lone[:30])
    assert len(link_corners([plateau, ramp, crossing], _SCALE)) == 3
