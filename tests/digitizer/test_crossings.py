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


def test_curves_touching_on_and_off_along_a_shallow_crossing_are_crossed() -> None:
    columns = np.arange(200, dtype=np.float64)
    rising, falling = 100 + 0.1 * (columns - 100), 100 - 0.1 * (columns - 100)
    upper, lower = np.minimum(rising, falling), np.maximum(rising, falling)
    upper[96:99] -= 2.5  # a pixel of space between them in the middle of the touch
    fixed = uncross([_curve(upper), _curve(lower)], touch_px=2.5, plot_columns=400)
    np.testing.assert_allclose(fixed[0].middle[120:], rising[120:])
    np.testing.assert_allclose(fixed[1].middle[120:], falling[120:])


def test_curves_bending_alike_through_a_shallow_crossing_are_crossed() -> None:
    # Transfer curves at their temperature-compensation point: the steeper one crosses
    # the flatter one while both level off at the same rate.
    offset = np.arange(200, dtype=np.float64) - 100
    steep = 100 - 0.7 * offset + 0.002 * offset**2
    flat = 100 - 0.5 * offset + 0.002 * offset**2
    upper, lower = np.minimum(steep, flat), np.maximum(steep, flat)
    fixed = uncross([_curve(upper), _curve(lower)], touch_px=2.5, plot_columns=400)
    np.testing.assert_allclose(fixed[0].middle, flat)
    np.testing.assert_allclose(fixed[1].middle, steep)


def test_dashed_curves_that_bounced_at_a_crossing_are_crossed() -> None:
    # Dashes 6 columns on, 4 off, the two curves' dashes out of step: they are seen in the
    # same column only now and then.
    columns = np.arange(200)
    rising, falling = 20 + 0.5 * columns, 120 - 0.5 * columns
    upper, lower = np.minimum(rising, falling), np.maximum(rising, falling)
    dashes = [columns[(columns + shift) % 10 < 6] for shift in (0, 5)]
    curves = [
        TracedCurve(seen, rows[seen], rows[seen], np.ones(seen.size, dtype=np.int64), seen)
        for seen, rows in zip(dashes, (upper, lower), strict=True)
    ]
    fixed = uncross(curves, touch_px=2.5, plot_columns=200)
    np.testing.assert_allclose(fixed[0].middle, rising[fixed[0].column])
    np.testing.assert_allclose(fixed[1].middle, falling[fixed[1].column])
