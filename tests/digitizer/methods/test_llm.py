"""The llm method with the chat call injected: the request it builds, the answers it reads.

The HTTP transport is tested on its own against a real local server (tests/test_llm_client.py).
"""

from __future__ import annotations

import base64
import io
import json
import subprocess
import sys
from dataclasses import dataclass, field
from typing import Any

import msgspec
import numpy as np
import pytest
from PIL import Image

from graphq.digitizer import GraphMeta, digitize
from graphq.digitizer.methods.llm import LLM_CONFIDENCE
from graphq.errors import GraphqError
from tests.datagen.generate import generate_graph
from tests.datagen.graph import GeneratedGraph


@dataclass
class CannedChat:
    """A chat call that answers ``content`` and keeps every request it was sent."""

    content: str = '{"curves": []}'
    requests: list[dict[str, Any]] = field(default_factory=list)

    def __call__(self, request: dict[str, Any], /) -> dict[str, Any]:
        self.requests.append(request)
        return {"choices": [{"message": {"role": "assistant", "content": self.content}}]}


def llm_graph(seed: int = 21) -> tuple[GeneratedGraph, GraphMeta]:
    graph = generate_graph(seed, graph_type="output")
    meta = msgspec.structs.replace(graph.meta, plot_area=list(graph.plot_area), method="llm")
    return graph, meta


def answer_from_truth(graph: GeneratedGraph) -> dict[str, Any]:
    """The truth, thinned, listed back to front and out of x order, with stray points: each
    curve one beyond the x range (dropped), the top curve one above the frame (clipped)."""
    axes = graph.meta.axes
    curves = []
    for rank, truth in reversed(list(enumerate(graph.truth))):
        points = truth.points[:: max(1, len(truth.points) // 40)].tolist()
        points.append([axes.x.max * 2, axes.y.max])
        if rank == 0:
            points.append([points[0][0], axes.y.max * 3])
        curves.append({"label": truth.label, "points": points[::-1]})
    return {"curves": curves}


def expected_points(answer_curve: dict[str, Any], meta: GraphMeta) -> list[list[float]]:
    points = np.array(answer_curve["points"])
    points = points[points[:, 0] <= meta.axes.x.max]
    points[:, 1] = np.clip(points[:, 1], meta.axes.y.min, meta.axes.y.max)
    return points[np.argsort(points[:, 0], kind="stable")].tolist()


def test_the_request_carries_the_image_and_axes_and_leaves_the_model_to_the_caller() -> None:
    graph, meta = llm_graph()
    chat = CannedChat(json.dumps(answer_from_truth(graph)))
    digitize(graph.image, meta, llm=chat)

    (request,) = chat.requests
    assert "model" not in request
    assert request["temperature"] == 0
    assert request["response_format"] == {"type": "json_object"}
    system, user = request["messages"]
    assert system["role"] == "system" and '"curves"' in system["content"]
    text = next(part["text"] for part in user["content"] if part["type"] == "text")
    facts = json.loads(text.split(":", 1)[1])
    assert facts["axes"] == msgspec.to_builtins(meta.axes)
    assert facts["graphType"] == "output"
    url = next(part["image_url"]["url"] for part in user["content"] if part["type"] == "image_url")
    prefix = "data:image/png;base64,"
    assert url.startswith(prefix)
    sent = np.asarray(Image.open(io.BytesIO(base64.b64decode(url[len(prefix) :]))))
    assert np.array_equal(sent[:, :, :3], graph.image[:, :, :3])


def test_the_answer_becomes_sorted_clipped_labelled_curves() -> None:
    graph, meta = llm_graph()
    answer = answer_from_truth(graph)
    result = digitize(graph.image, meta, llm=CannedChat(json.dumps(answer)))

    assert result.plot_area == list(graph.plot_area)
    assert any("language model" in warning for warning in result.warnings)
    by_label = {curve.label: curve for curve in result.curves}
    assert sorted(by_label) == sorted(truth.label for truth in graph.truth)
    for answered in answer["curves"]:
        curve = by_label[answered["label"]]
        np.testing.assert_allclose(curve.points, expected_points(answered, meta))
        assert curve.confidence == LLM_CONFIDENCE
    for truth in graph.truth:
        assert by_label[truth.label].value == pytest.approx(truth.value)
    # Output curves rise with the gate voltage: highest first means largest VGS first.
    values = [curve.value for curve in result.curves]
    assert values == sorted(values, reverse=True)


def test_unlabelled_curves_take_the_given_labels_from_the_top() -> None:
    graph, meta = llm_graph()
    meta = msgspec.structs.replace(meta, labels=["VGS = 10 V", "VGS = 4 V"])
    low, high = [[0.0, 1.0], [5.0, 1.0]], [[0.0, 3.0], [5.0, 3.0]]
    chat = CannedChat(json.dumps({"curves": [{"points": low}, {"points": high}]}))
    result = digitize(graph.image, meta, llm=chat)
    assert [(c.label, c.value, c.points) for c in result.curves] == [
        ("VGS = 10 V", 10.0, high),
        ("VGS = 4 V", 4.0, low),
    ]


def test_a_fenced_json_answer_is_accepted() -> None:
    graph, meta = llm_graph()
    chat = CannedChat('```json\n{"curves": [{"label": "a", "points": [[1, 1], [2, 2]]}]}\n```')
    (curve,) = digitize(graph.image, meta, llm=chat).curves
    assert curve.points == [[1.0, 1.0], [2.0, 2.0]]


@pytest.mark.parametrize(
    "content",
    [
        "the curves rise steeply",
        '{"curves": [{"label": "a", "points": [[1, 2, 3]]}]}',
        '{"curves": [{"label": "a", "points": [["x", 2]]}]}',
        '{"curves": {"label": "a"}}',
        '{"answer": []}',
        '{"curves": [{"label": "a", "points": [[1e999, 2]]}]}',
    ],
)
def test_malformed_answers_are_bad_responses(content: str) -> None:
    graph, meta = llm_graph()
    with pytest.raises(GraphqError) as caught:
        digitize(graph.image, meta, llm=CannedChat(content))
    assert caught.value.code == "LLM_BAD_RESPONSE"


@pytest.mark.parametrize(
    "response",
    [{}, {"choices": []}, {"choices": [{"text": "{}"}]}, {"choices": [{"message": {}}]}],
)
def test_a_reply_that_is_not_a_chat_completion_is_a_bad_response(response: dict[str, Any]) -> None:
    graph, meta = llm_graph()
    with pytest.raises(GraphqError) as caught:
        digitize(graph.image, meta, llm=lambda _request: response)
    assert caught.value.code == "LLM_BAD_RESPONSE"


def test_a_failed_chat_call_reaches_the_caller_unchanged() -> None:
    graph, meta = llm_graph()
    unavailable = GraphqError("LLM_UNAVAILABLE", "the LLM endpoint answered 503")

    def failing(_request: dict[str, Any]) -> dict[str, Any]:
        raise unavailable

    with pytest.raises(GraphqError) as caught:
        digitize(graph.image, meta, llm=failing)
    assert caught.value is unavailable


def test_without_a_chat_call_the_llm_method_is_not_configured() -> None:
    graph, meta = llm_graph()
    with pytest.raises(GraphqError) as caught:
        digitize(graph.image, meta)
    assert caught.value.code == "LLM_NOT_CONFIGURED"


def test_the_digitizer_loads_no_http_client() -> None:
    """A pure library: importing all of it brings in no means of making a request."""
    clients = ("httpx", "httpcore", "requests", "urllib3", "aiohttp", "http.client")
    probe = f"import sys, graphq.digitizer; print([m for m in {clients!r} if m in sys.modules])"
    loaded = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert loaded.stdout.strip() == "[]"
