"""The generated OpenAPI document says what the API really does: who may call, what comes back."""

from __future__ import annotations

from typing import Any

from tests.conftest import Service

HTTP_METHODS = {"get", "post", "put", "patch", "delete"}


async def _spec(service: Service) -> dict[str, Any]:
    response = await service.client.get("/schema/openapi.json")
    assert response.status_code == 200
    return response.json()


async def test_only_health_and_ready_are_documented_as_open(service: Service) -> None:
    spec = await _spec(service)
    assert spec["security"] == [{"apiKey": []}]
    open_operations = {
        (method, path)
        for path, item in spec["paths"].items()
        for method, operation in item.items()
        if method in HTTP_METHODS and operation.get("security") == []
    }
    assert open_operations == {("get", "/health"), ("get", "/ready")}


async def test_event_streams_are_documented_as_text_event_stream(service: Service) -> None:
    spec = await _spec(service)
    streams = {path: item for path, item in spec["paths"].items() if path.startswith("/api/events")}
    assert set(streams) == {
        "/api/events",
        "/api/events/queue/{queue_id}",
        "/api/events/job/{job_id}",
    }
    for path, item in streams.items():
        assert list(item["get"]["responses"]["200"]["content"]) == ["text/event-stream"], path
