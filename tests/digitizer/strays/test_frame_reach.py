"""A trace's ends reach the frame when they lie near any side of the plot."""

import numpy as np

from graphq.digitizer.strays.frame_reach import ends_at_frame
from graphq.digitizer.tracking.tracks import TracedCurve
from tests.digitizer.curves import traced_curve

_SHAPE = (300, 400)


def test_a_curve_from_the_left_side_to_the_right_side_reaches_the_frame_at_both_ends() -> None:
    columns = np.arange(2, 398)
    assert ends_at_frame(traced_curve(columns, np.full(columns.size, 150.0)), _SHAPE) == (
        True,
        True,
    )


def test_a_line_of_text_floating_inside_the_plot_reaches_it_at_neither_end() -> None:
    columns = np.arange(100, 200)
    assert ends_at_frame(traced_curve(columns, np.full(columns.size, 150.0)), _SHAPE) == (
        False,
        False,
    )


def test_a_steep_curve_leaving_through_the_top_reaches_it_where_it_goes_out() -> None:
    # Its last column's centre is well below the top edge, but it leaves that column at row 1.
    columns = np.arange(100, 200)
    enter = np.linspace(200.0, 12.0, columns.size)
    leave = enter.copy()
    leave[-1] = 1.0
    ones = np.ones(columns.size, dtype=np.int64)
    curve = TracedCurve(columns, enter, leave, ones, columns)
    assert ends_at_frame(curve, _SHAPE) == (False, True)
    assert ends_at_frame(traced_curve(columns, enter), _SHAPE) == (False, False)


def test_a_wider_reach_takes_in_an_end_further_from_the_side() -> None:
    columns = np.arange(10, 200)
    curve = traced_curve(columns, np.full(columns.size, 150.0))
    assert ends_at_frame(curve, _SHAPE) == (False, False)
    assert ends_at_frame(curve, _SHAPE, reach_px=12.0) == (True, False)
