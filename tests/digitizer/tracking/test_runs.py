"""Column runs: the vertical stretches of ink in each column, their centroids and mass."""

import numpy as np
import pytest

from graphq.digitizer.tracking.runs import column_runs, single_line_width


def test_each_column_lists_its_runs_from_the_top_down() -> None:
    ink = np.zeros((10, 3), dtype=np.float32)
    ink[1:3, 0] = 1.0
    ink[6:9, 0] = 1.0
    ink[4, 2] = 1.0
    runs = column_runs(ink, 0.5)
    np.testing.assert_array_equal(runs.column, [0, 0, 2])
    np.testing.assert_array_equal(runs.top, [1, 6, 4])
    np.testing.assert_array_equal(runs.bottom, [2, 8, 4])
    np.testing.assert_array_equal(runs.height, [2, 3, 1])
    assert list(runs.in_column(0)) == [0, 1]
    assert list(runs.in_column(1)) == []
    assert list(runs.in_column(2)) == [2]


def test_runs_touching_the_top_and_bottom_edges_are_closed_there() -> None:
    ink = np.zeros((6, 1), dtype=np.float32)
    ink[:2, 0] = 1.0
    ink[4:, 0] = 1.0
    runs = column_runs(ink, 0.5)
    np.testing.assert_array_equal(runs.top, [0, 4])
    np.testing.assert_array_equal(runs.bottom, [1, 5])


def test_a_runs_centroid_is_weighted_by_its_ink_to_a_sub_pixel_row() -> None:
    ink = np.zeros((10, 1), dtype=np.float32)
    ink[4, 0] = 1.0
    ink[5, 0] = 0.6  # a paler lower half: the centre lies between rows 4 and 4.5
    runs = column_runs(ink, 0.5)
    assert runs.centroid[0] == pytest.approx((4 * 1.0 + 5 * 0.6) / 1.6)
    assert runs.mass[0] == pytest.approx(1.6)


def test_ink_at_or_below_the_threshold_is_no_run_and_adds_no_mass() -> None:
    ink = np.zeros((8, 1), dtype=np.float32)
    ink[2:5, 0] = [0.3, 1.0, 0.3]
    runs = column_runs(ink, 0.3)
    np.testing.assert_array_equal(runs.top, [3])
    np.testing.assert_array_equal(runs.bottom, [3])
    assert runs.mass[0] == pytest.approx(1.0)


def test_a_per_pixel_threshold_splits_what_one_threshold_would_join() -> None:
    ink = np.zeros((8, 1), dtype=np.float32)
    ink[2:5, 0] = [1.0, 0.4, 1.0]  # two curves with a lighter pixel between them
    assert column_runs(ink, 0.3).top.size == 1
    threshold = np.full(ink.shape, 0.3, dtype=np.float32)
    threshold[3, 0] = 0.45
    runs = column_runs(ink, threshold)
    np.testing.assert_array_equal(runs.top, [2, 4])


def test_a_blank_plot_has_no_runs_and_empty_columns() -> None:
    runs = column_runs(np.zeros((5, 4), dtype=np.float32), 0.5)
    assert runs.column.size == 0
    np.testing.assert_array_equal(runs.offsets, [0, 0, 0, 0, 0])


def test_the_line_width_is_the_median_height_of_the_flat_runs() -> None:
    ink = np.zeros((40, 6), dtype=np.float32)
    ink[10:12, :4] = 1.0  # a flat curve 2 px wide
    ink[20:23, 4] = 1.0
    ink[5:35, 5] = 1.0  # a steep stretch 30 px tall does not count
    assert single_line_width(column_runs(ink, 0.5)) == 2.0


def test_the_line_width_is_two_pixels_when_no_run_is_flat() -> None:
    ink = np.zeros((40, 2), dtype=np.float32)
    ink[:, 0] = 1.0
    assert single_line_width(column_runs(ink, 0.5)) == 2.0
    assert single_line_width(column_runs(np.zeros((4, 4), dtype=np.float32), 0.5)) == 2.0


def test_masses_and_centroids_are_the_running_column_sums_to_the_last_bit() -> None:
    rng = np.random.default_rng(3)
    ink = rng.random((60, 40), dtype=np.float32) * (rng.random((60, 40)) < 0.3)
    runs = column_runs(ink, 0.2)
    weights = np.vstack([np.zeros((1, 40), np.float32), np.cumsum(ink, axis=0)])
    rows = np.arange(60, dtype=np.float64)[:, None]
    moments = np.vstack([np.zeros((1, 40)), np.cumsum(ink * rows, axis=0)])
    stop = runs.bottom + 1
    mass = weights[stop, runs.column].astype(np.float64) - weights[runs.top, runs.column]
    centroid = (moments[stop, runs.column] - moments[runs.top, runs.column]) / mass
    assert runs.column.size > 100
    np.testing.assert_array_equal(runs.mass, mass)
    np.testing.assert_array_equal(runs.centroid, centroid)
