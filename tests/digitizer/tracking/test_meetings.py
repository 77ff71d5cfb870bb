"""Curves meeting at one point (three or more, or two with one's piece lost) are re-paired:
by their looks, else leaving the point in the reverse order they entered it."""

import numpy as np

from graphq.digitizer.tracking.meetings import untangle_meeting
from graphq.digitizer.tracking.tracks import join_at
from tests.digitizer.curves import BLUE as _BLUE
from tests.digitizer.curves import RED as _RED
from tests.digitizer.curves import own_runs_curve as _curve
from tests.digitizer.curves import paper as _paper
from tests.digitizer.curves import plot_scale as _scale


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
    fixed = untangle_meeting(curves, [], _scale(300), _paper(300))
    found = sorted(fixed, key=lambda c: c.middle[0])
    assert len(found) == 3
    for curve, rows in zip(found, lines, strict=True):
        np.testing.assert_allclose(curve.middle, rows)


def test_a_piece_lost_at_a_meeting_point_is_taken_from_the_tracks() -> None:
    top, middle, bottom = (_curve(rows) for rows in _through_one_point())
    # Two curves followed the top curve in, so the bottom one's piece before the point was
    # lost; a track that followed the bottom curve all along still holds it.
    curves = [join_at(top, bottom, 150), join_at(top, middle, 150), join_at(middle, top, 150)]
    fixed = untangle_meeting(curves, [bottom], _scale(300), _paper(300))
    found = sorted(fixed, key=lambda c: c.middle[0])
    assert len(found) == 3
    for curve, expected in zip(found, (top, middle, bottom), strict=True):
        np.testing.assert_allclose(curve.middle, expected.middle)


def test_curves_drawn_differently_that_meet_and_turn_back_keep_their_looks() -> None:
    offset = np.abs(np.arange(300, dtype=np.float64) - 150)
    touching = [150 - 0.6 * offset, 150 - 0.2 * offset, 150 + 0.3 * offset]
    colours = (_RED, _BLUE, (30, 160, 30))
    image = _paper(300, tuple(zip(touching, colours, strict=True)))
    fixed = untangle_meeting([_curve(rows) for rows in touching], [], _scale(300), image)
    found = sorted(fixed, key=lambda c: c.middle[0])
    for curve, rows in zip(found, touching, strict=True):
        np.testing.assert_allclose(curve.middle, rows)


def test_two_tracks_on_one_curve_up_to_a_crossing_get_the_other_curves_lost_piece() -> None:
    offset = np.arange(300, dtype=np.float64) - 150
    rising, falling = (_curve(150 + slope * offset) for slope in (-0.4, 0.4))
    # Both tracks followed the rising curve up to the crossing, where they parted; nothing
    # kept the falling curve's piece before it but a track of all the tracks found.
    curves = [rising, join_at(rising, falling, 150)]
    fixed = untangle_meeting(curves, [falling], _scale(300), _paper(300))
    found = sorted(fixed, key=lambda c: c.middle[0])
    assert len(found) == 2
    for curve, expected in zip(found, (falling, rising), strict=True):
        np.testing.assert_allclose(curve.middle, expected.middle)


def test_two_curves_with_all_their_pieces_are_left_to_uncrossing() -> None:
    offset = np.abs(np.arange(300, dtype=np.float64) - 150)
    curves = [_curve(150 - 0.4 * offset), _curve(150 + 0.4 * offset)]
    assert untangle_meeting(curves, [], _scale(300), _paper(300)) is curves
