"""Curve separation through touches and crossings, and dash bridging, on generated graphs."""

import numpy as np

from graphq.digitizer import digitize
from graphq.digitizer.preprocessing.lines import Line
from graphq.digitizer.tracking.scale import PlotScale
from graphq.digitizer.tracking.stage import grid_bands, grid_columns
from tests.datagen import CurveScore, generate_graph, score_result

_CLEAN = {
    "label_mode": "none",
    "boxes": [],
    "format": "png",
    "blur_sigma_px": 0.0,
    "noise_sigma": 0.0,
    "color_mode": "black",
}


def _scores(seed: int, graph_type: str, **style: object) -> list[CurveScore]:
    graph = generate_graph(seed, graph_type=graph_type, style_overrides={**_CLEAN, **style})
    return score_result(digitize(graph.image, graph.meta), graph).curves


def test_output_curves_fanning_out_of_one_line_are_separated() -> None:
    scores = _scores(3, "output", dash_mode="solid")
    assert all(score.recovered for score in scores)


def test_thermal_impedance_curves_merging_on_the_right_are_separated() -> None:
    scores = _scores(4, "thermal_impedance", dash_mode="solid")
    assert sum(score.recovered for score in scores) >= 0.8 * len(scores)


def test_ciss_and_coss_crossing_twice_are_both_followed() -> None:
    scores = _scores(2, "capacitance", dash_mode="solid", grid_major="solid_grey")
    assert all(score.recovered for score in scores)


def test_dashed_curves_are_bridged_into_whole_curves() -> None:
    scores = _scores(15, "rdson_temperature", dash_mode="dashed")
    assert all(score.recovered for score in scores)


def test_dotted_curves_are_bridged_into_whole_curves() -> None:
    scores = _scores(18, "gate_charge", dash_mode="mixed", line_px=1.5)
    assert all(score.recovered for score in scores)


def test_erased_grid_columns_cover_each_vertical_line_and_its_fringe() -> None:
    lines = [Line(10.5, 10, 11, 0, 100, 1.0), Line(40.0, 40, 40, 0, 100, 1.0)]
    erased = grid_columns(lines, 50)
    assert np.flatnonzero(erased).tolist() == [9, 10, 11, 12, 39, 40, 41]


def test_a_band_of_erased_grid_columns_is_wider_than_two_dot_gaps() -> None:
    """A log decade's crowded lines fuse into a band; a lone line and its fringe do not make
    one, however many of them there are."""
    scale = PlotScale(1.0, None, 100, 100)
    assert scale.dot_gap == 2
    erased = np.zeros(100, dtype=bool)
    erased[10:13] = True  # a lone line and its fringe
    erased[20:23] = True
    erased[40:50] = True  # a band
    erased[60:65] = True  # just wider than two dot gaps
    assert np.flatnonzero(grid_bands(erased, scale)).tolist() == [*range(40, 50), *range(60, 65)]
