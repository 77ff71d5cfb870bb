"""Curves that bounced off each other at a crossing are re-paired; a bundle is left alone;
curves drawn differently keep their colour and dash pattern."""

import itertools

import numpy as np

from graphq.digitizer.crossings import uncross, untangle_meeting
from graphq.digitizer.tracks import TracedCurve, join_at

_RUNS = itertools.count()


def _curve(rows: np.ndarray) -> TracedCurve:
    """A traced curve with one sample per column, on runs of its own."""
    columns = np.arange(rows.size)
    ones = np.ones(rows.size, dtype=np.int64)
    return TracedCurve(columns, rows, rows, ones, columns + 100_000 * next(_RUNS))


def _paper(
    columns: int,
    drawn: tuple[tuple[np.ndarray, tuple[int, int, int]], ...] = (),
    height: int = 300,
) -> np.ndarray:
    """A white plot with each (rows, colour) curve drawn one pixel thick."""
    image = np.full((height, columns, 3), 255, dtype=np.uint8)
    for rows, colour in drawn:
        image[np.round(rows).astype(np.int64), np.arange(columns)] = colour
    return image


def _keep(curve: TracedCurve, seen: np.ndarray) -> TracedCurve:
    """The curve with only the ``seen`` columns, as a dashed curve is traced."""
    return TracedCurve(
        curve.column[seen],
        curve.enter[seen],
        curve.leave[seen],
        curve.shared[seen],
        curve.run[seen],
    )


_RED, _BLUE = (200, 30, 30), (30, 30, 200)


def _bounced(first: np.ndarray, second: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Two crossing curves as a tracker that bounced them at the crossing traces them: the
    upper one and the lower one."""
    return np.minimum(first, second), np.maximum(first, second)


def test_two_curves_that_bounced_at_a_crossing_are_crossed() -> None:
    columns = np.arange(200, dtype=np.float64)
    rising, falling = 20 + 0.5 * columns, 120 - 0.5 * columns
    upper, lower = _bounced(rising, falling)
    fixed = uncross([_curve(upper), _curve(lower)], 2.5, 200, _paper(200))
    np.testing.assert_allclose(fixed[0].middle, rising)
    np.testing.assert_allclose(fixed[1].middle, falling)


def test_curves_running_together_in_a_bundle_keep_their_pairing() -> None:
    columns = np.arange(200, dtype=np.float64)
    merged = 50 + 0.1 * columns
    upper = np.where(columns < 60, merged - (60 - columns) * 0.3, merged)
    lower = merged + 1.0
    fixed = uncross([_curve(upper), _curve(lower)], 2.5, 200, _paper(200))
    np.testing.assert_allclose(fixed[0].middle, upper)
    np.testing.assert_allclose(fixed[1].middle, lower)


def test_curves_touching_on_and_off_along_a_shallow_crossing_are_crossed() -> None:
    columns = np.arange(200, dtype=np.float64)
    rising, falling = 100 + 0.1 * (columns - 100), 100 - 0.1 * (columns - 100)
    upper, lower = _bounced(rising, falling)
    upper[96:99] -= 2.5  # a pixel of space between them in the middle of the touch
    fixed = uncross([_curve(upper), _curve(lower)], 2.5, 400, _paper(200))
    np.testing.assert_allclose(fixed[0].middle[120:], rising[120:])
    np.testing.assert_allclose(fixed[1].middle[120:], falling[120:])


def test_curves_bending_alike_through_a_shallow_crossing_are_crossed() -> None:
    # Transfer curves at their temperature-compensation point: the steeper one crosses
    # the flatter one while both level off at the same rate.
    offset = np.arange(200, dtype=np.float64) - 100
    steep = 100 - 0.7 * offset + 0.002 * offset**2
    flat = 100 - 0.5 * offset + 0.002 * offset**2
    upper, lower = _bounced(steep, flat)
    fixed = uncross([_curve(upper), _curve(lower)], 2.5, 400, _paper(200))
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
    fixed = uncross(curves, touch_px=2.5, plot_columns=200, image=_paper(200))
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
    plain = uncross(curves, 2.5, 400, _paper(240, height=600))
    np.testing.assert_allclose(plain[0].middle, upper)
    drawn = ((steep, _RED), (flat, _BLUE))
    coloured = uncross(curves, 2.5, 400, _paper(240, drawn, height=600))
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
    fixed = uncross([a, b], 2.5, 400, _paper(240, height=600))
    np.testing.assert_allclose(fixed[0].middle, flat[fixed[0].column])
    np.testing.assert_allclose(fixed[1].middle, steep[fixed[1].column])


def test_curves_that_touch_keep_their_colours_though_their_slopes_would_cross() -> None:
    columns = np.arange(200, dtype=np.float64)
    rising, falling = 20 + 0.5 * columns, 120 - 0.5 * columns
    upper, lower = _bounced(rising, falling)
    image = _paper(200, ((upper, _RED), (lower, _BLUE)))
    fixed = uncross([_curve(upper), _curve(lower)], 2.5, 200, image)
    np.testing.assert_allclose(fixed[0].middle, upper)
    np.testing.assert_allclose(fixed[1].middle, lower)


def test_curves_drawn_alike_running_together_at_a_shallow_crossing_are_crossed() -> None:
    steep, flat = _bending_crossing()
    upper, lower = _bounced(steep, flat)
    # They touch over 33 columns, an eighth of the plot's width.
    fixed = uncross([_curve(upper), _curve(lower)], 2.5, 240, _paper(240))
    np.testing.assert_allclose(fixed[0].middle, flat)
    np.testing.assert_allclose(fixed[1].middle, steep)


def test_curves_running_close_that_graze_keep_their_pairing() -> None:
    # Curves a little over a touching distance apart come within it for a while; they never
    # get far apart, so nothing says they cross (the slopes either side are alike).
    offset = np.arange(240, dtype=np.float64) - 120
    lower = 120 - 0.2 * offset + 0.0005 * offset**2
    upper = lower - 3.5 + 1.1 * (np.abs(offset) < 10)
    fixed = uncross([_curve(upper), _curve(lower)], 2.5, 400, _paper(240))
    np.testing.assert_allclose(fixed[0].middle, upper)
    np.testing.assert_allclose(fixed[1].middle, lower)


def _through_one_point() -> list[np.ndarray]:
    """Three straight curves through one point, as transfer curves at their temperature-
    compensation point, from the top one on the left down."""
    offset = np.arange(300, dtype=np.float64) - 150
    return [150 + slope * offset for slope in (0.6, 0.3, -0.1)]


def test_curves_bounced_at_a_meeting_point_leave_it_in_the_reverse_order() -> None:
    lines = _through_one_point()
    # The tracks kept their order through the point: each bounced off the others.
    bounced = np.sort(np.vstack(lines), axis=0)
    curves = [_curve(rows) for rows in bounced]
    fixed = untangle_meeting(curves, [], 2.5, 300, _paper(300))
    found = sorted(fixed, key=lambda c: c.middle[0])
    assert len(found) == 3
    for curve, rows in zip(found, lines, strict=True):
        np.testing.assert_allclose(curve.middle, rows)


def test_a_piece_lost_at_a_meeting_point_is_taken_from_the_tracks() -> None:
    top, middle, bottom = (_curve(rows) for rows in _through_one_point())
    # Two curves followed the top curve in, so the bottom one's piece before the point was
    # lost; a track that followed the bottom curve all along still holds it.
    curves = [join_at(top, bottom, 150), join_at(top, middle, 150), join_at(middle, top, 150)]
    fixed = untangle_meeting(curves, [bottom], 2.5, 300, _paper(300))
    found = sorted(fixed, key=lambda c: c.middle[0])
    assert len(found) == 3
    for curve, expected in zip(found, (top, middle, bottom), strict=True):
        np.testing.assert_allclose(curve.middle, expected.middle)


def test_curves_drawn_differently_that_meet_and_turn_back_keep_their_looks() -> None:
    offset = np.abs(np.arange(300, dtype=np.float64) - 150)
    touching = [150 - 0.6 * offset, 150 - 0.2 * offset, 150 + 0.3 * offset]
    colours = (_RED, _BLUE, (30, 160, 30))
    image = _paper(300, tuple(zip(touching, colours, strict=True)))
    fixed = untangle_meeting([_curve(rows) for rows in touching], [], 2.5, 300, image)
    found = sorted(fixed, key=lambda c: c.middle[0])
    for curve, rows in zip(found, touching, strict=True):
        np.testing.assert_allclose(curve.middle, rows)


def test_two_tracks_on_one_curve_up_to_a_crossing_get_the_other_curves_lost_piece() -> None:
    offset = np.arange(300, dtype=np.float64) - 150
    rising, falling = (_curve(150 + slope * offset) for slope in (-0.4, 0.4))
    # Both tracks followed the rising curve up to the crossing, where they parted; nothing
    # kept the falling curve's piece before it but a track of all the tracks found.
    curves = [rising, join_at(rising, falling, 150)]
    fixed = untangle_meeting(curves, [falling], 2.5, 300, _paper(300))
    found = sorted(fixed, key=lambda c: c.middle[0])
    assert len(found) == 2
    for curve, expected in zip(found, (falling, rising), strict=True):
        np.testing.assert_allclose(curve.middle, expected.middle)


def test_two_curves_with_all_their_pieces_are_left_to_uncrossing() -> None:
    offset = np.abs(np.arange(300, dtype=np.float64) - 150)
    curves = [_curve(150 - 0.4 * offset), _curve(150 + 0.4 * offset)]
    assert untangle_meeting(curves, [], 2.5, 300, _paper(300)) is curves


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
    fixed = uncross([_curve(crossed_upper), _curve(crossed_lower)], 2.5, 400, _paper(300))
    np.testing.assert_allclose(fixed[0].middle, upper)
    np.testing.assert_allclose(fixed[1].middle, lower)


def test_curves_touching_at_length_in_a_bundle_keep_their_pairing() -> None:
    # A third curve runs through the touch: in a bundle, long touches are left alone.
    columns = np.arange(300, dtype=np.float64)
    _, _, crossed_upper, crossed_lower = _grazing(columns)
    third = 100 + 0.05 * columns + 1.0
    curves = [_curve(crossed_upper), _curve(crossed_lower), _curve(third)]
    fixed = uncross(curves, 2.5, 400, _paper(300))
    np.testing.assert_allclose(fixed[0].middle, crossed_upper)
    np.testing.assert_allclose(fixed[1].middle, crossed_lower)


def test_a_long_shallow_crossing_that_bounced_is_crossed() -> None:
    # Relative slope 0.05 px per column: the curves touch for 100 columns (a quarter of the
    # plot's width), as long as crossing at that angle takes.
    columns = np.arange(400, dtype=np.float64)
    rising, falling = 100 + 0.025 * (columns - 200), 100 - 0.025 * (columns - 200)
    upper, lower = _bounced(rising, falling)
    fixed = uncross([_curve(upper), _curve(lower)], 2.5, 400, _paper(400))
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
    fixed = uncross([_curve(upper), _curve(lower)], 2.5, 400, _paper(200))
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
    fixed = uncross([_curve(crossed_a), _curve(crossed_b)], 2.5, 200, image)
    apart = np.abs(columns - 100) > 3
    np.testing.assert_allclose(fixed[0].middle[apart], red[apart])
    np.testing.assert_allclose(fixed[1].middle[apart], blue[apart])
