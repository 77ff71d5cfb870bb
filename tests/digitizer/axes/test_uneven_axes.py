"""An axis range judged against the tick labels read along it."""

from __future__ import annotations

import numpy as np
import pytest

from graphq.digitizer.axes.calibration import AxisMap, KnotMap
from graphq.digitizer.axes.uneven_axes import judge_axis
from graphq.digitizer.types import Axis
from graphq.review import ReviewReason

LOG_X = Axis(0.1, 100, "log")
EDGES = (100.0, 520.0)


def test_labels_where_the_range_puts_them_keep_the_even_map() -> None:
    labels = [(100.0, 0.1), (240.0, 1.0), (380.0, 10.0), (520.0, 100.0)]
    verdict = judge_axis("x", labels, LOG_X, EDGES)
    assert isinstance(verdict.map, AxisMap)
    assert verdict.warning == "" and verdict.note is None


def test_unevenly_spaced_decades_are_mapped_piecewise_between_their_labels() -> None:
    labels = [(100.0, 0.1), (230.0, 1.0), (315.0, 10.0), (520.0, 100.0)]
    verdict = judge_axis("x", labels, LOG_X, EDGES)
    assert isinstance(verdict.map, KnotMap)
    assert verdict.note is None
    assert verdict.warning.startswith("x axis: tick labels (0.1, 1, 10, 100) unevenly spaced")
    values = verdict.map.pixel_to_value(np.array([230.0, 272.5, 315.0, 520.0]))
    np.testing.assert_allclose(values, [1.0, 10**0.5, 10.0, 100.0])


def test_a_y_axis_runs_up_from_its_bottom_edge() -> None:
    labels = [(400.0, 0.0), (330.0, 0.5), (290.0, 1.0), (220.0, 1.5), (100.0, 2.0)]
    verdict = judge_axis("y", labels, Axis(0, 2), (400.0, 100.0))
    assert isinstance(verdict.map, KnotMap)
    np.testing.assert_allclose(verdict.map.value_to_pixel(np.array([0.75, 1.75])), [310, 160])


def test_a_label_misread_off_the_progression_is_left_out_and_said() -> None:
    labels = [(400.0, 0.0), (330.0, 0.5), (290.0, 1.0), (220.0, 15.0), (160.0, 2.0), (100, 2.5)]
    verdict = judge_axis("y", labels, Axis(0, 2.5), (400.0, 100.0))
    assert isinstance(verdict.map, KnotMap)
    assert "the label read 15 left out" in verdict.warning


def test_labels_evenly_spaced_off_the_given_range_contradict_it() -> None:
    """The labels read 0..20 where the user said 0..10."""
    labels = [(100.0, 0.0), (200.0, 5.0), (300.0, 10.0), (400.0, 15.0), (500.0, 20.0)]
    verdict = judge_axis("x", labels, Axis(0, 10), (100.0, 500.0))
    assert isinstance(verdict.map, AxisMap)
    assert verdict.note is not None and verdict.note.code == ReviewReason.AXIS_UNREAD
    assert "not where the given range 0..10 puts them" in verdict.note.message


@pytest.mark.parametrize(
    "labels",
    [
        [(100.0, 0.1)],
        [(100.0, 0.1), (315.0, 10.0)],
        [(100.0, 0.1), (230.0, 3.0), (315.0, 10.0), (520.0, 100.0)],
    ],
    ids=["one label", "two labels", "off every progression"],
)
def test_labels_that_cannot_map_an_uneven_axis_leave_it_for_review(
    labels: list[tuple[float, float]],
) -> None:
    verdict = judge_axis("x", labels, LOG_X, EDGES)
    assert isinstance(verdict.map, AxisMap)
    assert verdict.note is not None and verdict.note.code == ReviewReason.AXIS_UNREAD


def test_segments_far_apart_in_scale_are_a_misread_not_a_hand_drawn_axis() -> None:
    labels = [(100.0, 0.1), (120.0, 1.0), (500.0, 10.0), (520.0, 100.0)]
    verdict = judge_axis("x", labels, LOG_X, EDGES)
    assert verdict.note is not None and isinstance(verdict.map, AxisMap)


def test_a_label_that_lost_its_point_is_read_with_it_put_back_and_left_for_review() -> None:
    """MJL21193's hand-drawn decades, "1.0" read as 10 at 100 dpi."""
    labels = [(100.0, 0.1), (230.0, 10.0), (315.0, 10.0), (520.0, 100.0)]
    verdict = judge_axis("x", labels, LOG_X, EDGES)
    assert isinstance(verdict.map, KnotMap)
    assert "read 10 as 1: a decimal point lost" in verdict.warning
    assert verdict.note is not None and verdict.note.code == ReviewReason.LOW_CONFIDENCE
    assert "read 10 as 1" in verdict.note.message
    np.testing.assert_allclose(verdict.map.pixel_to_value(np.array([230.0, 315.0])), [1, 10])


def test_lost_points_put_back_two_ways_leave_the_axis_for_review() -> None:
    """100 read twice on 0.1..1000, the first of them "10.0" or "1.00": the labels then map
    the axis either way."""
    labels = [(100.0, 0.1), (250.0, 100.0), (380.0, 100.0), (520.0, 1000.0)]
    verdict = judge_axis("x", labels, Axis(0.1, 1000, "log"), EDGES)
    assert verdict.note is not None and verdict.note.code == ReviewReason.AXIS_UNREAD
    assert "more than one way" in verdict.note.message
