"""Digitizing one image file: a generated graph end to end, progress, and failures."""

from __future__ import annotations

import io
import math
from typing import Any

import msgspec
import pytest
from PIL import Image

from graphq.digitizer import DigitizeResult
from graphq.digitizer.types import Axis
from graphq.digitizing import digitize_bytes
from graphq.errors import GraphqError
from tests.datagen import generate_graph, score_result
from tests.digitizer.axes.test_autocal import unlabelled_graph
from tests.jobs.helpers import CLEAN_STYLE, Recorder

_LIMITS = {"max_bytes": 20 * 2**20, "max_pixels": 40_000_000}


@pytest.fixture(scope="module")
def graph():
    return generate_graph(7, graph_type="output", style_overrides=CLEAN_STYLE)


def test_compute_digitizes_a_generated_graph(graph) -> None:
    output = digitize_bytes(graph.data, graph.meta, Recorder(), **_LIMITS)
    score = score_result(msgspec.convert(output.result, DigitizeResult), graph)
    assert score.recovered_count >= score.truth_count - 1
    assert output.csv.startswith("VDS [V],ID [A],curve\n")
    assert output.overlay_png.startswith(b"\x89PNG")
    assert 0.0 < output.confidence <= 1.0
    assert output.data_points == sum(len(c["points"]) for c in output.result["curves"])


def test_progress_rises_through_every_stage_to_one(graph) -> None:
    recorder = Recorder()
    digitize_bytes(graph.data, graph.meta, recorder, **_LIMITS)
    fractions = [fraction for fraction, _ in recorder.calls]
    steps = [step for _, step in recorder.calls]
    assert fractions == sorted(fractions)
    assert fractions[0] == 0.0 and fractions[-1] == 1.0
    assert all(0.0 <= f <= 1.0 for f in fractions)
    assert "decoding image" in steps and "rendering overlay and CSV" in steps
    tracing = [f for f, step in recorder.calls if step.startswith("tracing curve")]
    # Each curve's step is stageStart + done/total × stageSpan, inside the digitizer's share.
    assert len(tracing) >= 2
    assert all(0.05 < f < 0.9 for f in tracing)


def test_bad_bytes_fail_with_invalid_image(graph) -> None:
    with pytest.raises(GraphqError) as caught:
        digitize_bytes(graph.data[: len(graph.data) // 3], graph.meta, Recorder(), **_LIMITS)
    assert caught.value.code == "INVALID_IMAGE"


def _span_error(read: dict[str, Any], truth: Axis) -> float:
    """The larger of the two edges' errors, as a fraction of the span (of decades, on log)."""
    shown = math.log10 if truth.scale == "log" else (lambda value: value)
    span = shown(truth.max) - shown(truth.min)
    return max(
        abs(shown(read["min"]) - shown(truth.min)) / span,
        abs(shown(read["max"]) - shown(truth.max)) / span,
    )


def test_graph_without_axes_is_digitized_against_the_axes_on_its_tick_labels() -> None:
    """Seed 2 is a linear transfer graph whose tick labels OCR reads cleanly."""
    graph = generate_graph(2)
    output = digitize_bytes(graph.data, {"graphType": "transfer"}, Recorder(), **_LIMITS)
    assert output.result["axesSource"] == "ocr"
    for name in ("x", "y"):
        assert _span_error(output.result["axes"][name], getattr(graph.axes, name)) <= 0.01
    score = score_result(msgspec.convert(output.result, DigitizeResult), graph)
    assert score.recovered_count >= score.truth_count - 1


def test_given_axes_are_used_as_given(graph) -> None:
    output = digitize_bytes(graph.data, graph.meta, Recorder(), **_LIMITS)
    assert output.result["axesSource"] == "given"
    assert output.result["axes"] == msgspec.to_builtins(graph.meta.axes)


def test_graph_whose_axes_cannot_be_read_fails_for_good_with_the_reasons() -> None:
    png = io.BytesIO()
    Image.fromarray(unlabelled_graph()).save(png, format="PNG")
    with pytest.raises(GraphqError) as caught:
        digitize_bytes(png.getvalue(), {}, Recorder(), **_LIMITS)
    assert caught.value.code == "AXIS_UNREAD"
    assert not caught.value.retryable
    assert {r["code"] for r in caught.value.detail["reasons"]} == {"axis_unread"}
