from __future__ import annotations

import pytest

from graphq.spice.channel_bounds import CHANNEL_DEFAULTS
from graphq.spice.channel_start import (
    initial_channel_guess,
    ksubthres_start,
    series_resistance_start,
    square_law_start,
)

from .channel_curves import PART, output_curves, transfer_curve


def test_the_square_law_line_of_saturated_points_gives_vto_and_kp() -> None:
    vto, kp = square_law_start([transfer_curve(), *output_curves()])
    assert vto == pytest.approx(PART["vto"], abs=0.5)
    # The series resistance bends √Id at high current: Kp comes back within a factor 2.
    assert PART["kp"] / 2 < kp < PART["kp"] * 2


def test_the_series_resistance_is_the_top_curves_start_less_the_channel() -> None:
    series = series_resistance_start(output_curves(), PART["vto"], PART["kp"])
    assert series == pytest.approx(PART["rd"] + PART["rs"], rel=0.3)


def test_the_subthreshold_slope_comes_from_the_lowest_decade_of_a_transfer_curve() -> None:
    steep = ksubthres_start([transfer_curve({**PART, "ksubthres": 0.1})])
    soft = ksubthres_start([transfer_curve({**PART, "ksubthres": 0.4})])
    assert steep < soft


def test_without_a_transfer_curve_the_subthreshold_slope_keeps_its_default() -> None:
    assert ksubthres_start(output_curves()) == CHANNEL_DEFAULTS["ksubthres"]


def test_the_guess_splits_the_series_resistance_evenly_and_has_lambda_only_with_outputs() -> None:
    with_outputs = initial_channel_guess([transfer_curve(), *output_curves()])
    assert with_outputs["rd"] == with_outputs["rs"] > 0.0
    assert with_outputs["lambda"] > 0.0
    assert initial_channel_guess([transfer_curve()])["lambda"] == 0.0
