"""The llm method against a real local chat-completions server that answers canned JSON."""

from __future__ import annotations

import base64
import io
import json
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import msgspec
import numpy as np
import pytest
from PIL import Image

from graphq.digitizer import GraphMeta, LlmEndpoint, digitize
from graphq.digitizer.llm import LLM_CONFIDENCE
from graphq.errors import GraphqError
from tests.api.helpers import assert_problem, upload
from tests.conftest import TEST_HANDLERS, make_settings, start_service
from tests.datagen.generate import generate_graph
from tests.datagen.graph import GeneratedGraph

MODEL = "vision-test"
KEY = "sk-test-secret"


@dataclass
class FakeLlm:
    """What the server answers next, and every request body and header it received."""

    status: int = 200
    content: str = '{"curves": []}'
    requests: list[dict[str, Any]] = field(default_factory=list)
    authorizations: list[str | None] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)
    url: str = ""


@pytest.fixture
def fake_llm() -> Iterator[FakeLlm]:
    fake = FakeLlm()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers["Content-Length"])
            fake.paths.append(self.path)
            fake.requests.append(json.loads(self.rfile.read(length)))
            fake.authorizations.append(self.headers.get("Authorization"))
            reply = {"choices": [{"message": {"role": "assistant", "content": fake.content}}]}
            refusal = {"error": f"bad key {self.headers.get('Authorization')}"}
            body = json.dumps(reply if fake.status == 200 else refusal).encode()
            self.send_response(fake.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    fake.url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()


def endpoint_of(fake: FakeLlm) -> LlmEndpoint:
    return LlmEndpoint(url=fake.url, model=MODEL, api_key=KEY, timeout_s=10)


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


def test_the_request_carries_model_key_image_and_axes(fake_llm: FakeLlm) -> None:
    graph, meta = llm_graph()
    fake_llm.content = json.dumps(answer_from_truth(graph))
    digitize(graph.image, meta, llm=endpoint_of(fake_llm))

    (request,), (authorization,) = fake_llm.requests, fake_llm.authorizations
    assert fake_llm.paths == ["/v1/chat/completions"]
    assert request["model"] == MODEL and authorization == f"Bearer {KEY}"
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


def test_the_answer_becomes_sorted_clipped_labelled_curves(fake_llm: FakeLlm) -> None:
    graph, meta = llm_graph()
    answer = answer_from_truth(graph)
    fake_llm.content = json.dumps(answer)
    result = digitize(graph.image, meta, llm=endpoint_of(fake_llm))

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


def test_unlabelled_curves_take_the_given_labels_from_the_top(fake_llm: FakeLlm) -> None:
    graph, meta = llm_graph()
    meta = msgspec.structs.replace(meta, labels=["VGS = 10 V", "VGS = 4 V"])
    low, high = [[0.0, 1.0], [5.0, 1.0]], [[0.0, 3.0], [5.0, 3.0]]
    fake_llm.content = json.dumps({"curves": [{"points": low}, {"points": high}]})
    result = digitize(graph.image, meta, llm=endpoint_of(fake_llm))
    assert [(c.label, c.value, c.points) for c in result.curves] == [
        ("VGS = 10 V", 10.0, high),
        ("VGS = 4 V", 4.0, low),
    ]


def test_a_fenced_json_answer_is_accepted(fake_llm: FakeLlm) -> None:
    graph, meta = llm_graph()
    fake_llm.content = '```json\n{"curves": [{"label": "a", "points": [[1, 1], [2, 2]]}]}\n```'
    (curve,) = digitize(graph.image, meta, llm=endpoint_of(fake_llm)).curves
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
def test_malformed_answers_are_bad_responses(fake_llm: FakeLlm, content: str) -> None:
    graph, meta = llm_graph()
    fake_llm.content = content
    with pytest.raises(GraphqError) as caught:
        digitize(graph.image, meta, llm=endpoint_of(fake_llm))
    assert caught.value.code == "LLM_BAD_RESPONSE"


@pytest.mark.parametrize(
    ("status", "code"),
    [(500, "LLM_UNAVAILABLE"), (503, "LLM_UNAVAILABLE"), (401, "LLM_REJECTED")],
)
def test_endpoint_failures_have_their_own_codes(fake_llm: FakeLlm, status: int, code: str) -> None:
    graph, meta = llm_graph()
    fake_llm.status = status
    with pytest.raises(GraphqError) as caught:
        digitize(graph.image, meta, llm=endpoint_of(fake_llm))
    assert (caught.value.code, caught.value.status) == (code, 502)
    assert KEY not in caught.value.message


def test_a_refused_connection_is_unavailable_and_retryable() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    graph, meta = llm_graph()
    nowhere = LlmEndpoint(url=f"http://127.0.0.1:{port}/v1", model=MODEL, api_key=KEY)
    with pytest.raises(GraphqError) as caught:
        digitize(graph.image, meta, llm=nowhere)
    assert caught.value.code == "LLM_UNAVAILABLE" and caught.value.retryable


def test_without_an_endpoint_the_llm_method_is_not_configured() -> None:
    graph, meta = llm_graph()
    with pytest.raises(GraphqError) as caught:
        digitize(graph.image, meta)
    assert (caught.value.code, caught.value.status) == ("LLM_NOT_CONFIGURED", 501)


def test_the_key_never_shows_in_the_endpoint_repr() -> None:
    assert KEY not in repr(LlmEndpoint(url="http://x", model=MODEL, api_key=KEY))


async def test_api_one_off_llm_extraction_uses_the_configured_endpoint(
    fake_llm: FakeLlm, tmp_path: Path
) -> None:
    graph, _ = llm_graph()
    fake_llm.content = json.dumps(answer_from_truth(graph))
    llm = {"endpoint": fake_llm.url, "api_key": KEY, "model": MODEL, "timeout_s": 10}
    settings = make_settings(tmp_path / "data", llm=llm)
    parts = [
        ("file", ("graph.png", graph.data, "image/png")),
        ("metadata", (None, json.dumps(msgspec.to_builtins(graph.meta)))),
    ]
    async for service in start_service(settings, [TEST_HANDLERS]):
        response = await service.client.post("/api/extract/llm", files=parts)
        assert response.status_code == 200, response.text
        body = response.json()
        assert sorted(c["label"] for c in body["curves"]) == sorted(t.label for t in graph.truth)
        assert all(c["confidence"] == LLM_CONFIDENCE for c in body["curves"])
        assert fake_llm.requests[0]["model"] == MODEL

        fake_llm.status = 401
        rejected = await service.client.post("/api/extract/llm", files=parts)
        assert_problem(rejected, 502, "LLM_REJECTED")


async def test_an_llm_digitize_job_calls_the_endpoint_from_its_worker(
    fake_llm: FakeLlm, tmp_path: Path
) -> None:
    graph, _ = llm_graph()
    fake_llm.content = json.dumps(answer_from_truth(graph))
    llm = {"endpoint": fake_llm.url, "api_key": KEY, "model": MODEL}
    settings = make_settings(tmp_path / "data", llm=llm)
    async for service in start_service(settings, ["graphq.jobs.digitize", TEST_HANDLERS]):
        product = await service.create_product()
        metadata = [msgspec.to_builtins(graph.meta)]
        await upload(service, product["id"], [("g.png", graph.data)], metadata)
        response = await service.client.post(
            f"/api/product/{product['id']}/extract", json={"method": "llm"}
        )
        (job,) = response.json()["jobs"]
        done = await service.wait_for_job(job["id"], {"completed", "dead"}, timeout_s=60)
        assert done["status"] == "completed", done
        (result,) = (await service.client.get(f"/api/product/{product['id']}/results")).json()
        assert result["extractionMethod"] == "llm"
        assert result["confidence"] == LLM_CONFIDENCE
        assert fake_llm.authorizations == [f"Bearer {KEY}"]
