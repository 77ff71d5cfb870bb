"""Curves that bounced off each other at a crossing are re-paired; a bundle is left alone;
curves drawn differently keep their colour and dash pattern."""

import numpy as np

from graphq.digitizer.tracking.crossings import uncross
from graphq.digitizer.tracking.tracks import TracedCurve
from tests.digitizer.curves import BLUE as _BLUE
from tests.digitizer.curves import RED as _RED
from tests.digitizer.curves import own_runs_curve as _curve
from tests.digitizer.curves import paper as _paper
from tests.digitizer.curves import plot_scale as _scale


def _keep(curve: TracedCurve, seen: np.ndarray) -> TracedCurve:
    """The curve with only the ``seen`` columns, as a dashed curve is traced."""
    return TracedCurve(
        curve.column[seen],
        curve.enter[seen],
        curve.leave[seen],
        curve.shared[seen],
        curve.run[seen],
    )


def _bounced(first: np.ndarray, second: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Two crossing curves as a tracker that bounced them at the crossing traces them: the
    upper one and the lower one."""
    return np.minimum(first, second), np.maximum(first, second)


def test_two_curves_that_bounced_at_a_crossing_are_crossed() -> None:
    columns = np.arange(200, dtype=np.float64)
    rising, falling = 20 + 0.5 * columns, 120 - 0.5 * columns
    upper, lower = _bounced(rising, falling)
    fixed = uncross([_curve(upper), _curve(lower)], _scale(200), _paper(200))
    np.testing.assert_allclose(fixed[0].middle, rising)
    np.testing.assert_allclose(fixed[1].middle, falling)


def test_curves_running_together_in_a_bundle_keep_their_pairing() -> None:
    columns = np.arange(200, dtype=np.float64)
    merged = 50 + 0.1 * columns
    upper = np.where(columns < 60, merged - (60 - columns) * 0.3, merged)
    lower = merged + 1.0
    fixed = uncross([_curve(upper), _curve(lower)], _scale(200), _paper(200))
    np.testing.assert_allclose(fixed[0].middle, upper)
    np.testing.assert_allclose(fixed[1].middle, lower)


def test_curves_touching_on_and_off_along_a_shallow_crossing_are_crossed() -> None:
    columns = np.arange(200, dtype=np.float64)
    rising, falling = 100 + 0.1 * (columns - 100), 100 - 0.1 * (columns - 100)
    upper, lower = _bounced(rising, falling)
    upper[96:99] -= 2.5  # a pixel of space between them in the middle of the touch
    fixed = uncross([_curve(upper), _curve(lower)], _scale(400), _paper(200))
    np.testing.assert_allclose(fixed[0].middle[120:], rising[120:])
    np.testing.assert_allclose(fixed[1].middle[120:], falling[120:])


def test_curves_bending_alike_through_a_shallow_crossing_are_crossed() -> None:
    # Transfer curves at their temperature-compensation point: the steeper one crosses
    # the flatter one while both level off at the same rate.
    offset = np.arange(200, dtype=np.float64) - 100
    steep = 100 - 0.7 * offset + 0.002 * offset**2
    flat = 100 - 0.5 * offset + 0.002 * offset**2
    upper, lower = _bounced(steep, flat)
    fixed = uncross([_curve(upper), _curve(lower)], _scale(400), _paper(200))
    np.testing.assert_allclose(fixed[0].middle, flat)
    np.testing.assert_allclose(fixed[1].middle, steep)


def test_dashed_curves_that_bounced_at_a_crossing_are_crossed() -> None:
    # Dashes 6 columns on, 4 off, the two curves' dashes out of step: they are seen in the
    # same column only now and then.
    columns = np.arange(200)
    rising, falling = 20 + 0.5 * columns, 120 - 0.5 * columns
    upper, lower = _bounced(rising, falling)
    dashes = [columns[(columns + shift) % 10 < 6] for shift in (0, 5)]
    curves = [
        TracedCurve(seen, rows[seen], rows[seen], np.ones(seen.size, dtype=np.int64), seen)
        for seen, rows in zip(dashes, (upper, lower), strict=True)
    ]
    fixed = uncross(curves, _scale(200), _paper(200))
    np.testing.assert_allclose(fixed[0].middle, rising[fixed[0].column])
    np.testing.assert_allclose(fixed[1].middle, falling[fixed[1].column])


def _bending_crossing() -> tuple[np.ndarray, np.ndarray]:
    """Two curves crossing at a shallow angle while bending about as much over the touch as
    their slopes differ: the slopes either side favour neither pairing."""
    offset = np.arange(240, dtype=np.float64) - 120
    return 120 - 0.6 * offset + 0.003 * offset**2, 120 - 0.45 * offset + 0.003 * offset**2


def _sharply_bending_crossing() -> tuple[np.ndarray, np.ndarray]:
    """Two curves crossing within a few columns while bending sharply: the slopes either side
    favour neither pairing, and the touch is too brief to be a shallow crossing."""
    offset = np.arange(240, dtype=np.float64) - 120
    return 120 - 0.9 * offset + 0.02 * offset**2, 120 - 0.3 * offset + 0.02 * offset**2


def test_curves_drawn_in_two_colours_are_crossed_where_slopes_do_not_tell() -> None:
    steep, flat = _sharply_bending_crossing()
    upper, lower = _bounced(steep, flat)
    curves = [_curve(upper), _curve(lower)]
    plain = uncross(curves, _scale(400), _paper(240, height=600))
    np.testing.assert_allclose(plain[0].middle, upper)
    drawn = ((steep, _RED), (flat, _BLUE))
    coloured = uncross(curves, _scale(400), _paper(240, drawn, height=600))
    np.testing.assert_allclose(coloured[0].middle, flat)
    np.testing.assert_allclose(coloured[1].middle, steep)


def test_a_dashed_curve_goes_on_dashed_where_slopes_do_not_tell() -> None:
    steep, flat = _sharply_bending_crossing()
    upper, lower = _bounced(steep, flat)
    # The dashed curve's ink is seen in 5 columns of every 8.
    dashed = np.arange(steep.size) % 8 < 5
    a, b = _curve(upper), _curve(lower)
    on_steep = [np.abs(curve.middle - steep) < 0.5 for curve in (a, b)]
    a, b = (_keep(curve, ~on | dashed) for curve, on in zip((a, b), on_steep, strict=True))
    fixed = uncross([a, b], _scale(400), _paper(240, height=600))
    np.testing.assert_allclose(fixed[0].middle, flat[fixed[0].column])
    np.testing.assert_allclose(fixed[1].middle, steep[fixed[1].column])


def test_curves_that_touch_keep_their_colours_though_their_slopes_would_cross() -> None:
    columns = np.arange(200, dtype=np.float64)
    rising, falling = 20 + 0.5 * columns, 120 - 0.5 * columns
    upper, lower = _bounced(rising, falling)
    image = _paper(200, ((upper, _RED), (lower, _BLUE)))
    fixed = uncross([_curve(upper), _curve(lower)], _scale(200), image)
    np.testing.assert_allclose(fixed[0].middle, upper)
    np.testing.assert_allclose(fixed[1].middle, lower)


def test_curves_drawn_alike_running_together_at_a_shallow_crossing_are_crossed() -> None:
    steep, flat = _bending_crossing()
    upper, lower = _bounced(steep, flat)
    # They touch over 33 columns, an eighth of the plot's width.
    fixed = uncross([_curve(upper), _curve(lower)], _scale(240), _paper(240))
    np.testing.assert_allclose(fixed[0].middle, flat)
    np.testing.assert_allclose(fixed[1].middle, steep)


def test_curves_running_close_that_graze_keep_their_pairing() -> None:
    # Curves a little over a touching distance apart come within it for a while; they never
    # get far apart, so nothing says they cross (the slopes either side are alike).
    offset = np.arange(240, dtype=np.float64) - 120
    lower = 120 - 0.2 * offset + 0.0005 * offset**2
    upper = lower - 3.5 + 1.1 * (np.abs(offset) < 10)
    fixed = uncross([_curve(upper), _curve(lower)], _scale(400), _paper(240))
    np.testing.assert_allclose(fixed[0].middle, upper)
    np.testing.assert_allclose(fixed[1].middle, lower)


def _grazing(columns: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Ciss and Coss at low voltage: they meet, run together for 120 columns (crossing and
    crossing back within a line's width) and part on the sides they came from, at angles a
    crossing would pass in about 50 columns. Then the same two as the tracker crossed them,
    carrying each slope on through the touch."""
    base = 100 + 0.05 * columns
    spread = 0.1 * np.maximum(0.0, np.abs(columns - 150) - 60)
    upper, lower = base - spread, base + spread
    crossed_upper = np.where(columns < 150, upper, lower)
    crossed_lower = np.where(columns < 150, lower, upper)
    return upper, lower, crossed_upper, crossed_lower


def test_curves_that_grazed_at_length_part_on_the_sides_they_came_from() -> None:
    upper, lower, crossed_upper, crossed_lower = _grazing(np.arange(300, dtype=np.float64))
    fixed = uncross([_curve(crossed_upper), _curve(crossed_lower)], _scale(400), _paper(300))
    np.testing.assert_allclose(fixed[0].middle, upper)
    np.testing.assert_allclose(fixed[1].middle, lower)


def test_curves_touching_at_length_in_a_bundle_keep_their_pairing() -> None:
    # A third curve runs through the touch: in a bundle, long touches are left alone.
    columns = np.arange(300, dtype=np.float64)
    _, _, crossed_upper, crossed_lower = _grazing(columns)
    third = 100 + 0.05 * columns + 1.0
    curves = [_curve(crossed_upper), _curve(crossed_lower), _curve(third)]
    fixed = uncross(curves, _scale(400), _paper(300))
    np.testing.assert_allclose(fixed[0].middle, crossed_upper)
    np.testing.assert_allclose(fixed[1].middle, crossed_lower)


def test_a_long_shallow_crossing_that_bounced_is_crossed() -> None:
    # Relative slope 0.05 px per column: the curves touch for 100 columns (a quarter of the
    # plot's width), as long as crossing at that angle takes.
    columns = np.arange(400, dtype=np.float64)
    rising, falling = 100 + 0.025 * (columns - 200), 100 - 0.025 * (columns - 200)
    upper, lower = _bounced(rising, falling)
    fixed = uncross([_curve(upper), _curve(lower)], _scale(400), _paper(400))
    np.testing.assert_allclose(fixed[0].middle[260:], rising[260:])
    np.testing.assert_allclose(fixed[1].middle[260:], falling[260:])


def test_nearly_parallel_curves_coming_a_pixel_closer_for_a_moment_keep_their_pairing() -> None:
    # 3 px apart, 2 px for three columns: crossing at their angles would take hundreds of
    # columns, however their slopes happen to pair up.
    columns = np.arange(200, dtype=np.float64)
    upper = np.where(columns < 150, 100 + 0.08 * columns, 112 + 0.086 * (columns - 150))
    gap = np.where(columns < 150, 3 + 0.001 * (columns - 150), 3 - 0.011 * (columns - 150))
    gap[149:152] = 2.0
    lower = upper + gap
    fixed = uncross([_curve(upper), _curve(lower)], _scale(400), _paper(200))
    np.testing.assert_allclose(fixed[0].middle, upper)
    np.testing.assert_allclose(fixed[1].middle, lower)


def test_curves_the_tracker_crossed_are_parted_again_when_their_looks_say_so() -> None:
    # A red curve touches a blue one from above and turns back up; the tracker carried
    # each slope on and crossed them.
    columns = np.arange(200, dtype=np.float64)
    red, blue = 98 - 0.4 * np.abs(columns - 100), 100 + 0.4 * np.abs(columns - 100)
    image = _paper(200, ((red, _RED), (blue, _BLUE)))
    crossed_a = np.where(columns < 100, red, blue)
    crossed_b = np.where(columns < 100, blue, red)
    fixed = uncross([_curve(crossed_a), _curve(crossed_b)], _scale(200), image)
    apart = np.abs(columns - 100) > 3
    np.testing.assert_allclose(fixed[0].middle[apart], red[apart])
    np.testing.assert_allclose(fixed[1].middle[apart], blue[apart])
