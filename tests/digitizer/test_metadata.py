"""The one decoder of a client's graph metadata."""

from __future__ import annotations

from typing import Any

import pytest

from graphq.digitizer.metadata import checked_graph_meta, decode_graph_meta, parse_metadata_json
from graphq.digitizer.types import Axes, Axis
from graphq.errors import GraphqError

AXES = {"x": {"min": 0, "max": 10}, "y": {"min": 1e-3, "max": 10, "scale": "log"}}


def _refusal(entry: Any, **options: Any) -> GraphqError:
    with pytest.raises(GraphqError) as caught:
        decode_graph_meta(entry, **options)
    return caught.value


def test_metadata_decodes_with_its_axes_scales_frame_calibration_labels_and_type() -> None:
    meta = decode_graph_meta(
        {
            "graphType": "capacitance",
            "axes": AXES,
            "plotArea": [10, 5, 150, 110],
            "calibration": {
                "x": [{"pixel": 10, "value": 0}, {"pixel": 150, "value": 10}],
                "y": [{"pixel": 110, "value": 0.001}, {"pixel": 5, "value": 10}],
            },
            "labels": ["Ciss", "Coss"],
        },
        method="legacy",
    )
    assert meta.graph_type == "capacitance" and meta.method == "legacy"
    assert meta.axes == Axes(x=Axis(min=0, max=10), y=Axis(min=1e-3, max=10, scale="log"))
    assert meta.plot_area == [10, 5, 150, 110] and meta.labels == ["Ciss", "Coss"]
    assert meta.calibration is not None and meta.calibration.y[1].value == 10


@pytest.mark.parametrize(
    ("entry", "fragment"),
    [
        ([], "must be a JSON object"),
        ({"graphType": "output"}, "axes"),
        ({"axes": {**AXES, "x": {"min": 10, "max": 0}}}, "x axis must run from min up to max"),
        ({"axes": {**AXES, "y": {"min": 5, "max": 1}}}, "y axis must run from min up to max"),
        ({"axes": {**AXES, "x": {"min": 3, "max": 3}}}, "range is empty"),
        ({"axes": {**AXES, "y": {"min": 0, "max": 10, "scale": "log"}}}, "both bounds"),
        ({"axes": AXES, "graphType": "diode"}, "not one of output, transfer"),
        ({"axes": AXES, "plotArea": [1, 2, 3]}, "four finite numbers"),
        ({"axes": AXES, "plotArea": [150, 5, 10, 110]}, "inverted"),
        (
            {"axes": AXES, "calibration": {"x": [{"pixel": 1, "value": 0}], "y": []}},
            "exactly two x points",
        ),
        ({"axes": AXES, "labels": "Ciss"}, "labels"),
    ],
    ids=[
        "not-an-object",
        "no-axes",
        "reversed-x",
        "reversed-y",
        "empty-range",
        "log-from-zero",
        "unknown-type",
        "short-frame",
        "inverted-frame",
        "one-calibration-tick",
        "labels-not-a-list",
    ],
)
def test_metadata_breaking_a_rule_is_refused_naming_the_rule(entry: Any, fragment: str) -> None:
    error = _refusal(entry)
    assert error.code == "INVALID_METADATA"
    assert fragment in error.message


def test_an_entry_of_an_upload_is_named_by_its_index() -> None:
    error = _refusal({"axes": {**AXES, "x": {"min": 1, "max": 0}}}, index=2)
    assert error.message.startswith("metadata[2]: ") and error.detail == {"index": 2}


def test_text_that_is_not_json_is_malformed_not_invalid() -> None:
    assert parse_metadata_json(b'{"axes": null}') == {"axes": None}
    with pytest.raises(GraphqError) as caught:
        parse_metadata_json("{axes:")
    assert caught.value.code == "MALFORMED_METADATA"


def test_metadata_without_axes_passes_unchecked_but_for_its_method() -> None:
    assert checked_graph_meta({"graphType": "output"}, "legacy") == {
        "graphType": "output",
        "method": "legacy",
    }
    with pytest.raises(GraphqError) as caught:
        checked_graph_meta({"axes": {"x": {"min": 0}}})
    assert caught.value.code == "INVALID_METADATA"
