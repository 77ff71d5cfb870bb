"""Curve separation through touches and crossings, and dash bridging, on generated graphs."""

import numpy as np

from graphq.digitizer import digitize
from tests.datagen import generate_graph
from tests.digitizer.scoring import best_match, to_display

_CLEAN = {
    "label_mode": "none",
    "boxes": [],
    "format": "png",
    "blur_sigma_px": 0.0,
    "noise_sigma": 0.0,
    "color_mode": "black",
}


def _recovered(seed: int, graph_type: str, **style: object) -> list[tuple[float, float]]:
    graph = generate_graph(seed, graph_type=graph_type, style_overrides={**_CLEAN, **style})
    result = digitize(graph.image, graph.meta)
    return [
        best_match(to_display(t.points, graph.meta.axes), result, graph.meta.axes)
        for t in graph.truth
    ]


def test_output_curves_fanning_out_of_one_line_are_separated() -> None:
    matches = _recovered(3, "output", dash_mode="solid")
    assert all(error <= 0.01 and coverage >= 0.9 for error, coverage in matches)


def test_thermal_impedance_curves_merging_on_the_right_are_separated() -> None:
    matches = _recovered(4, "thermal_impedance", dash_mode="solid")
    good = [error <= 0.01 and coverage >= 0.9 for error, coverage in matches]
    assert np.mean(good) >= 0.8


def test_dashed_curves_are_bridged_into_whole_curves() -> None:
    matches = _recovered(15, "rdson_temperature", dash_mode="dashed")
    assert all(error <= 0.01 and coverage >= 0.9 for error, coverage in matches)
