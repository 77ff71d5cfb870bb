"""Curves that bounced off each other at a crossing are re-paired; a bundle is left alone."""

import numpy as np

from graphq.digitizer.crossings import uncross
from graphq.digitizer.tracks import TracedCurve


def _curve(rows: np.ndarray) -> TracedCurve:
    columns = np.arange(rows.size)
    ones = np.ones(rows.size, dtype=np.int64)
    return TracedCurve(columns, rows, rows, ones, columns)


def test_two_curves_that_bounced_at_a_crossing_are_crossed() -> None:
    columns = np.arange(200, dtype=np.float64)
    rising, falling = 20 + 0.5 * columns, 120 - 0.5 * columns
    upper, lower = np.minimum(rising, falling), np.maximum(rising, falling)
    fixed = uncross([_curve(upper), _curve(lower)], touch_px=2.5, plot_columns=200)
    np.testing.assert_allclose(fixed[0].middle, rising)
    np.testing.assert_allclose(fixed[1].middle, falling)


def test_curves_running_together_in_a_bundle_keep_their_pairing() -> None:
    columns = np.arange(200, dtype=np.float64)
    merged = 50 + 0.1 * columns
    upper = np.where(columns < 60, merged - (60 - columns) * 0.3, merged)
    lower = merged + 1.0
    fixed = uncross([_curve(upper), _curve(lower)], touch_px=2.5, plot_columns=200)
    np.testing.assert_allclose(fixed[0].middle, upper)
    np.testing.assert_allclose(fixed[1].middle, lower)
