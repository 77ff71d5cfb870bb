"""Whether a frame edge's ticks stand where the given range puts round values."""

from __future__ import annotations

import numpy as np

from graphq.digitizer.axes.tick_agreement import ticks_agree
from graphq.digitizer.types import Axis


def _log_ticks(decade_px: list[float], start: float = 100.0) -> list[float]:
    """Ticks at 1–9 × 10^n of log decades drawn ``decade_px`` wide each."""
    ticks, left = [], start
    for width in decade_px:
        ticks += [left + width * float(np.log10(k)) for k in range(1, 10)]
        left += width
    return [*ticks, left]


def test_ticks_at_each_step_of_an_even_linear_axis_agree() -> None:
    ticks = [100.0 + 50.0 * k for k in range(11)]
    assert ticks_agree(ticks, (100.0, 600.0), Axis(0, 25)) is True


def test_ticks_of_a_range_starting_off_zero_agree_by_its_own_steps() -> None:
    ticks = [100.0 + 40.0 * k for k in range(9)]
    assert ticks_agree(ticks, (100.0, 420.0), Axis(-55, 145)) is True


def test_a_stray_tick_among_even_ones_is_forgiven() -> None:
    ticks = sorted([100.0 + 50.0 * k for k in range(11)] + [333.0])
    assert ticks_agree(ticks, (100.0, 600.0), Axis(0, 25)) is True


def test_ticks_of_a_hand_drawn_linear_axis_stand_off() -> None:
    """Steps of 73, 91, 98, 98 and 66 px where the range puts 85 px each."""
    ticks = [82.5, 155.5, 246.5, 344.5, 442.5, 509.0]
    assert ticks_agree(ticks, (82.5, 509.0), Axis(0, 25)) is False


def test_log_ticks_of_even_decades_agree() -> None:
    assert ticks_agree(_log_ticks([140.0] * 3), (100.0, 520.0), Axis(0.1, 100, "log")) is True


def test_log_ticks_of_decades_drawn_unevenly_stand_off() -> None:
    ticks = _log_ticks([130.0, 85.0, 205.0])
    assert ticks_agree(ticks, (100.0, 520.0), Axis(0.1, 100, "log")) is False


def test_the_y_axis_is_checked_from_its_bottom_edge_up() -> None:
    ticks = [400.0 - 50.0 * k for k in range(7)]
    assert ticks_agree(ticks, (400.0, 100.0), Axis(0, 3)) is True


def test_too_few_ticks_tell_nothing() -> None:
    assert ticks_agree([100.0, 300.0, 500.0], (100.0, 500.0), Axis(0, 10)) is None


def test_a_hand_drawn_grid_among_curve_crossings_matches_no_odd_cut_of_the_range() -> None:
    """MJL21193's uneven 0..30 grid (steps 55, 46, 44, 53, 46, 55 px) and curves crossing the
    left edge: three of them land on the range cut in steps of 6, which is no axis's step."""
    ticks = [24.5, 79.0, 85.5, 107.0, 125.5, 145.0, 178.0, 204.0, 222.5, 268.0, 323.5]
    assert ticks_agree(ticks, (324.0, 24.0), Axis(0, 30)) is False


def test_a_range_given_a_hair_off_round_agrees_by_its_cut_steps() -> None:
    ticks = [100.0 + 50.0 * k for k in range(11)]
    assert ticks_agree(ticks, (100.0, 600.0), Axis(-0.0077, 25.0)) is True
