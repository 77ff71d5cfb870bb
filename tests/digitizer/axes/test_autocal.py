"""Axes read off a graph image by OCR of its tick labels, with doubts said, not guessed."""

from __future__ import annotations

import math

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from graphq.digitizer.axes.autocal import calibrate_image, frame_ticks
from graphq.digitizer.types import Axis
from graphq.review import ReviewReason
from tests.datagen.generate import generate_graph


def _display(axis: Axis, value: float) -> float:
    return math.log10(value) if axis.scale == "log" else value


def _assert_same_axis(read: Axis, truth: Axis, fraction: float = 0.005) -> None:
    span = _display(truth, truth.max) - _display(truth, truth.min)
    assert read.scale == truth.scale
    assert _display(read, read.min) == pytest.approx(
        _display(truth, truth.min), abs=fraction * span
    )
    assert _display(read, read.max) == pytest.approx(
        _display(truth, truth.max), abs=fraction * span
    )


@pytest.mark.parametrize("seed", [2, 4, 6])
def test_axes_are_read_from_the_graphs_own_tick_labels(seed: int) -> None:
    """A linear transfer graph, a log-log thermal impedance, a log-y body diode graph."""
    graph = generate_graph(seed)
    axes, review = calibrate_image(graph.image)
    assert axes is not None
    _assert_same_axis(axes.x, graph.axes.x)
    _assert_same_axis(axes.y, graph.axes.y)
    assert not review.needs_review


def test_axis_read_from_two_tick_labels_needs_review() -> None:
    """Seed 7's y labels stand so close to its grid's labels that OCR reads two of them."""
    graph = generate_graph(7)
    axes, review = calibrate_image(graph.image)
    assert axes is not None
    assert review.needs_review
    assert any(
        note.code == ReviewReason.LOW_CONFIDENCE and note.message.startswith("y axis read by OCR")
        for note in review.reasons
    )


def test_axis_whose_labels_fit_no_scale_is_unread_and_says_so() -> None:
    """Seed 3's log x axis is printed 0.1, 1, 10; OCR misreads the middle label."""
    axes, review = calibrate_image(generate_graph(3).image)
    assert axes is None
    assert [note.code for note in review.reasons] == [ReviewReason.AXIS_UNREAD]


def test_frame_without_tick_labels_gives_no_axes_and_says_why() -> None:
    axes, review = calibrate_image(unlabelled_graph())
    assert axes is None
    assert {note.code for note in review.reasons} == {ReviewReason.AXIS_UNREAD}


def unlabelled_graph() -> np.ndarray:
    """A framed graph with ticks and a curve but no tick labels (RGB pixels)."""
    figure = Figure(figsize=(6.0, 4.0), dpi=100)
    ax = figure.add_axes((0.12, 0.12, 0.8, 0.8))
    ax.plot([0, 1, 2, 3], [0, 1, 4, 9], color="black")
    ax.tick_params(labelbottom=False, labelleft=False)
    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    return np.asarray(canvas.buffer_rgba())[:, :, :3].copy()


def test_image_without_a_frame_gives_no_axes_and_says_why() -> None:
    blank = np.full((300, 400, 3), 255, dtype=np.uint8)
    axes, review = calibrate_image(blank)
    assert axes is None
    assert [note.code for note in review.reasons] == [ReviewReason.FRAME_UNCERTAIN]


def test_frame_ticks_are_found_inward_outward_and_at_grid_lines() -> None:
    ink = np.zeros((200, 300))
    frame = [50.0, 20.0, 250.0, 170.0]
    ink[20, 50:251] = ink[170, 50:251] = 1.0
    ink[20:171, 50] = ink[20:171, 250] = 1.0
    for column in (100, 150):  # inward ticks on the bottom edge
        ink[164:171, column] = 1.0
    ink[171:177, 200] = 1.0  # an outward one
    ink[20:171, 175] = 0.5  # a grey grid line
    for row in (70, 120):  # inward ticks on the left edge
        ink[row, 50:57] = 1.0
    x_ticks, y_ticks = frame_ticks(ink, frame)
    assert x_ticks == [50.0, 100.0, 150.0, 175.0, 200.0, 250.0]
    assert y_ticks == [20.0, 70.0, 120.0, 170.0]


def test_the_side_of_a_box_standing_on_the_frame_edge_is_no_tick() -> None:
    """A note box drawn against the left edge: its top and bottom sides leave the edge as an
    inward tick does, but run on far past a tick's length."""
    ink = np.zeros((200, 300))
    frame = [50.0, 20.0, 250.0, 170.0]
    ink[20, 50:251] = ink[170, 50:251] = 1.0
    ink[20:171, 50] = ink[20:171, 250] = 1.0
    ink[70, 50:57] = 1.0  # an inward tick
    ink[100, 50:120] = ink[140, 50:120] = 1.0  # the box's top and bottom sides
    ink[100:141, 119] = 1.0
    _, y_ticks = frame_ticks(ink, frame)
    assert y_ticks == [20.0, 70.0, 170.0]
