"""Graphs against junction temperature: Rds(on) and threshold curves, with what they assume."""

from __future__ import annotations

import pytest

from graphq.review import ReviewReason
from graphq.spice import fit_input_from_graphs

from .test_graphs import graph, output_graph


def test_an_rdson_against_temperature_graph_gives_rdson_and_threshold_curves() -> None:
    against_tj = graph(
        "rdson_temperature",
        [
            ("RDS(ON) @ ID = 120mA", [[-50.0, 0.55], [25.0, 1.0], [150.0, 2.4]]),
            ("VGS(OFF) @ 10µA", [[-50.0, 0.9], [25.0, 1.0], [150.0, 1.9]]),
        ],
        y_unit="",
        conditions={"VGS": 0},
    )
    inputs = fit_input_from_graphs([output_graph("VGS = 10 V"), against_tj])
    (rdson,) = inputs.rdson_temperature
    assert (rdson.vgs_v, rdson.id_a, rdson.normalised) == (0.0, pytest.approx(0.12), True)
    (threshold,) = inputs.threshold_temperature
    assert threshold.normalised and threshold.points[-1] == [150.0, 1.9]
    assert not inputs.review.needs_review


def test_an_rdson_against_temperature_curve_without_conditions_says_what_it_assumed() -> None:
    against_tj = graph("rdson_temperature", [("", [[-50.0, 0.6], [150.0, 2.2]])], y_unit="")
    inputs = fit_input_from_graphs([output_graph("VGS = 10 V"), against_tj])
    assert inputs.rdson_temperature[0].vgs_v == 10.0
    notes = [n for n in inputs.review.reasons if n.code == ReviewReason.CONDITION_ASSUMED]
    assert len(notes) == 2
