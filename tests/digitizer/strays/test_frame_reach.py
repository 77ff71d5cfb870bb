"""A trace's ends reach the frame when they lie near any side of the plot; a curve whose tail
lies on the frame line but which leaves it for a real stretch is no left-over frame."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np

from graphq.digitizer import Axes, Axis, GraphMeta, digitize
from graphq.digitizer.strays.frame_reach import ends_at_frame, leaves_frame, without_end_jumps
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


def test_an_end_that_jumps_up_a_line_across_it_is_left_off_where_the_trace_arrived() -> None:
    # A flat trace meets a limit line drawn upright across the curves' ends, and its last
    # sample jumps up that line to the top edge: without the jump it ends inside the plot.
    columns = np.arange(2, 302)
    rows = np.full(columns.size, 150.0)
    rows[-1] = 1.0
    jumped = traced_curve(columns, rows)
    assert ends_at_frame(jumped, _SHAPE) == (True, True)
    arrived = without_end_jumps(jumped, 9.0)
    assert arrived.column[-1] == 300
    assert ends_at_frame(arrived, _SHAPE) == (True, False)


def test_a_steep_curve_climbing_to_the_top_has_no_end_jump() -> None:
    columns = np.arange(100, 200)
    curve = traced_curve(columns, np.linspace(200.0, 1.0, columns.size))
    assert without_end_jumps(curve, 9.0).column.size == columns.size


_HEIGHT = 340


def _crss_rows(columns: np.ndarray) -> np.ndarray:
    """Crss in px from the top: from 10 % of the height above the bottom frame line it falls
    steeply onto its tail, which lies on the line (1 pF on a 200 pF scale)."""
    above = 34.0 * np.exp(-columns / 14.0)
    return _HEIGHT - 1.0 - above


def test_a_curve_falling_steeply_onto_its_tail_along_the_frame_leaves_the_frame() -> None:
    columns = np.arange(2, 339)
    assert leaves_frame(traced_curve(columns, _crss_rows(columns)), _HEIGHT)


def test_a_frame_line_with_a_tick_stub_does_not_leave_the_frame() -> None:
    columns = np.arange(2, 339)
    rows = np.full(columns.size, _HEIGHT - 1.0)
    rows[100:104] = _HEIGHT - 8.0
    assert not leaves_frame(traced_curve(columns, rows), _HEIGHT)


def test_frame_linked_to_a_piece_of_a_curve_by_a_jump_does_not_leave_the_frame() -> None:
    columns = np.arange(2, 339)
    rows = np.full(columns.size, _HEIGHT - 1.0)
    rows[:30] = 200.0
    assert not leaves_frame(traced_curve(columns, rows), _HEIGHT)


def test_frame_that_followed_another_curve_off_it_shares_its_ink_and_does_not_leave() -> None:
    columns = np.arange(2, 339)
    rows = _crss_rows(columns)
    shared = np.where(rows < _HEIGHT - 5.0, 2, 1)
    assert not leaves_frame(traced_curve(columns, rows, shared), _HEIGHT)


def test_a_capacitance_curve_whose_tail_lies_on_the_frame_line_is_digitized() -> None:
    figure = plt.figure(figsize=(3.6, 3.6), dpi=100)
    axes = figure.add_axes((0.15, 0.12, 0.8, 0.8))
    volts = np.linspace(0.0, 40.0, 400)
    curves = {
        "Ciss": 165.0 + 30.0 * np.exp(-volts / 2.0),
        "Coss": 8.0 + 150.0 * np.exp(-volts / 3.0),
        "Crss": 2.0 + 20.0 * np.exp(-volts / 0.7),  # its tail within the frame line's reach
    }
    for rows in curves.values():
        axes.plot(volts, rows, color="black", lw=1.2)
    axes.set_xlim(0, 40)
    axes.set_ylim(0, 200)
    axes.grid(True, color="0.6")
    figure.canvas.draw()
    image = np.asarray(figure.canvas.buffer_rgba())[..., :3].copy()
    plt.close(figure)
    meta = GraphMeta(
        axes=Axes(
            x=Axis(min=0, max=40, quantity="VDS", unit="V"),
            y=Axis(min=0, max=200, quantity="C", unit="pF"),
        ),
        graph_type="capacitance",
    )
    result = digitize(image, meta)
    assert len(result.curves) == 3
    crss = min(result.curves, key=lambda c: float(np.median([p[1] for p in c.points])))
    assert crss.points[0][1] > 10.0 and crss.points[-1][0] > 39.0
