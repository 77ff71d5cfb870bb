"""The llm method's HTTP transport against a real local chat-completions server.

The server answers canned JSON; the last two tests run the whole path from config to curves,
through the one-off extraction API and through a digitize job in a worker process.
"""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import msgspec
import pytest

from graphq.digitizer.methods.llm import LLM_CONFIDENCE
from graphq.errors import GraphqError
from graphq.llm_client import LlmEndpoint, llm_endpoint
from tests.api.helpers import assert_problem, upload
from tests.conftest import TEST_HANDLERS, make_settings, start_service
from tests.datagen.generate import generate_graph
from tests.datagen.graph import GeneratedGraph

MODEL = "vision-test"
KEY = "sk-test-secret"
REQUEST = {"messages": [{"role": "user", "content": "read the graph"}], "temperature": 0}


@dataclass
class FakeLlm:
    """What the server answers next, and every request body and header it received."""

    status: int = 200
    content: str = '{"curves": []}'
    raw_reply: bytes | None = None
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
            body = fake.raw_reply if fake.raw_reply is not None else body
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


def test_the_request_goes_to_chat_completions_with_the_model_and_key(fake_llm: FakeLlm) -> None:
    fake_llm.content = "an answer"
    response = endpoint_of(fake_llm)(REQUEST)

    assert response["choices"][0]["message"]["content"] == "an answer"
    assert fake_llm.paths == ["/v1/chat/completions"]
    assert fake_llm.requests == [{"model": MODEL, **REQUEST}]
    assert fake_llm.authorizations == [f"Bearer {KEY}"]


@pytest.mark.parametrize(
    ("status", "code"),
    [
        (500, "LLM_UNAVAILABLE"),
        (503, "LLM_UNAVAILABLE"),
        (429, "LLM_UNAVAILABLE"),
        (401, "LLM_REJECTED"),
    ],
)
def test_endpoint_failures_have_their_own_codes(fake_llm: FakeLlm, status: int, code: str) -> None:
    fake_llm.status = status
    with pytest.raises(GraphqError) as caught:
        endpoint_of(fake_llm)(REQUEST)
    assert caught.value.code == code
    assert caught.value.retryable == (code == "LLM_UNAVAILABLE")
    assert KEY not in caught.value.message


@pytest.mark.parametrize("raw", [b"<html>busy</html>", b"[1, 2]"])
def test_a_reply_that_is_not_a_json_object_is_a_bad_response(fake_llm: FakeLlm, raw: bytes) -> None:
    fake_llm.raw_reply = raw
    with pytest.raises(GraphqError) as caught:
        endpoint_of(fake_llm)(REQUEST)
    assert caught.value.code == "LLM_BAD_RESPONSE"


def test_a_refused_connection_is_unavailable_and_retryable() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    nowhere = LlmEndpoint(url=f"http://127.0.0.1:{port}/v1", model=MODEL, api_key=KEY)
    with pytest.raises(GraphqError) as caught:
        nowhere(REQUEST)
    assert caught.value.code == "LLM_UNAVAILABLE" and caught.value.retryable


def test_the_key_never_shows_in_the_endpoint_repr() -> None:
    assert KEY not in repr(LlmEndpoint(url="http://x", model=MODEL, api_key=KEY))


def test_the_endpoint_comes_from_config_and_is_absent_without_one(tmp_path: Path) -> None:
    assert llm_endpoint(make_settings(tmp_path)) is None
    llm = {"endpoint": "http://llm.local/v1", "api_key": KEY, "model": MODEL, "timeout_s": 7}
    assert llm_endpoint(make_settings(tmp_path, llm=llm)) == LlmEndpoint(
        url="http://llm.local/v1", model=MODEL, api_key=KEY, timeout_s=7
    )


def graph_and_answer() -> tuple[GeneratedGraph, str]:
    """A generated graph and an answer that names its curves and follows them roughly."""
    graph = generate_graph(21, graph_type="output")
    curves = [
        {"label": truth.label, "points": truth.points[:: max(1, len(truth.points) // 40)].tolist()}
        for truth in graph.truth
    ]
    return graph, json.dumps({"curves": curves})


async def test_api_one_off_llm_extraction_uses_the_configured_endpoint(
    fake_llm: FakeLlm, tmp_path: Path
) -> None:
    graph, fake_llm.content = graph_and_answer()
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
    graph, fake_llm.content = graph_and_answer()
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
