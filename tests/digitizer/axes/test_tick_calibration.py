"""The given axis ranges checked against the ticks, and hand-drawn axes mapped by them."""

from __future__ import annotations

import numpy as np

from graphq.digitizer.axes.calibration import AxisMap, KnotMap
from graphq.digitizer.axes.tick_calibration import calibrate_by_ticks
from graphq.digitizer.preprocessing.ink import darkness
from graphq.digitizer.preprocessing.text import text_height_px
from graphq.digitizer.types import Axes, Axis, Calibration, CalibrationPoint, GraphMeta
from graphq.review import ReviewReason
from tests.digitizer.plots import (
    UNEVEN_X,
    UNEVEN_Y,
    render_plot,
    render_uneven_plot,
    uneven_position,
)

UNEVEN_AXES = Axes(x=Axis(0.1, 100, "log"), y=Axis(0, 3))


def test_a_program_drawn_graph_keeps_the_given_ranges_even_map() -> None:
    pixels, box = render_plot()
    ink = darkness(pixels)
    meta = GraphMeta(axes=Axes(x=Axis(0, 10), y=Axis(0, 6)))
    checked = calibrate_by_ticks(ink, meta, box, text_height_px(ink, box))
    assert isinstance(checked.calibration.x, AxisMap)
    assert isinstance(checked.calibration.y, AxisMap)
    assert checked.warnings == [] and not checked.review.needs_review


def test_hand_drawn_axes_are_mapped_by_their_tick_labels_and_it_is_said() -> None:
    pixels, box, _ = render_uneven_plot()
    ink = darkness(pixels)
    checked = calibrate_by_ticks(ink, GraphMeta(axes=UNEVEN_AXES), box, text_height_px(ink, box))
    assert isinstance(checked.calibration.x, KnotMap)
    assert isinstance(checked.calibration.y, KnotMap)
    assert [w.split(":")[0] for w in checked.warnings] == ["x axis", "y axis"]
    assert not checked.review.needs_review
    x0, y0, x1, y1 = box
    values = np.array([0.3, 2.0, 40.0])
    pixels_x = x0 + uneven_position(values, UNEVEN_X, True) * (x1 - x0)
    np.testing.assert_allclose(
        np.log10(checked.calibration.x.pixel_to_value(pixels_x)), np.log10(values), atol=0.01
    )
    levels = np.array([0.25, 1.2, 2.8])
    pixels_y = y1 - uneven_position(levels, UNEVEN_Y, False) * (y1 - y0)
    np.testing.assert_allclose(checked.calibration.y.pixel_to_value(pixels_y), levels, atol=0.015)


def test_hand_drawn_axes_without_labels_to_read_need_review() -> None:
    pixels, box, _ = render_uneven_plot(labels_drawn=False)
    ink = darkness(pixels)
    checked = calibrate_by_ticks(ink, GraphMeta(axes=UNEVEN_AXES), box, 11.0)
    assert isinstance(checked.calibration.x, AxisMap)
    assert {note.code for note in checked.review.reasons} == {ReviewReason.AXIS_UNREAD}
    assert checked.review.reasons[0].message.startswith("x axis: its tick marks stand off")


def test_calibration_ticks_the_user_gave_are_taken_as_given() -> None:
    pixels, box, _ = render_uneven_plot()
    ink = darkness(pixels)
    ticks = Calibration(
        x=[CalibrationPoint(box[0], 0.1), CalibrationPoint(box[2], 100)],
        y=[CalibrationPoint(box[3], 0), CalibrationPoint(box[1], 3)],
    )
    meta = GraphMeta(axes=UNEVEN_AXES, calibration=ticks)
    checked = calibrate_by_ticks(ink, meta, box, text_height_px(ink, box))
    assert isinstance(checked.calibration.x, AxisMap) and checked.warnings == []
