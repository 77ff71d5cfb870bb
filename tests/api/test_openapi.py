"""The generated OpenAPI document says what the API really does: who may call, what comes back."""

from __future__ import annotations

import contextlib
import copy
from typing import Any

import anyio
import msgspec
import pytest

from graphq.api.schemas import BatchCreate, JobCreate, ProductCreate
from graphq.digitizer.metadata import decode_graph_meta
from tests.conftest import TEST_HANDLERS, make_settings, start_service

HTTP_METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture(scope="module")
def served_spec(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The document the running app serves, fetched once: it is made from the routes, so every
    app serves the same one, and starting an app per test would be most of the module's time."""

    async def fetch() -> dict[str, Any]:
        settings = make_settings(tmp_path_factory.mktemp("openapi") / "data")
        async with contextlib.aclosing(start_service(settings, [TEST_HANDLERS])) as services:
            async for service in services:
                response = await service.client.get("/schema/openapi.json")
                assert response.status_code == 200
                return dict(response.json())
        raise AssertionError("the app did not start")

    return anyio.run(fetch)


@pytest.fixture
def spec(served_spec: dict[str, Any]) -> dict[str, Any]:
    """A copy of the served document for one test to read (and, if it likes, change)."""
    return copy.deepcopy(served_spec)


def test_only_health_and_ready_are_documented_as_open(spec: dict[str, Any]) -> None:
    assert spec["security"] == [{"apiKey": []}]
    open_operations = {
        (method, path)
        for path, item in spec["paths"].items()
        for method, operation in item.items()
        if method in HTTP_METHODS and operation.get("security") == []
    }
    assert open_operations == {("get", "/health"), ("get", "/ready")}


def test_event_streams_are_documented_as_text_event_stream(spec: dict[str, Any]) -> None:
    streams = {path: item for path, item in spec["paths"].items() if path.startswith("/api/events")}
    assert set(streams) == {
        "/api/events",
        "/api/events/queue/{queue_id}",
        "/api/events/job/{job_id}",
    }
    for path, item in streams.items():
        assert list(item["get"]["responses"]["200"]["content"]) == ["text/event-stream"], path


ERROR_STATUSES = {"400", "401", "403", "404", "409", "413", "415", "422", "429", "501", "507"}
SPEC_EVENTS = (
    "queue:status_changed",
    "queue:job_added",
    "queue:backpressure",
    "job:status_changed",
    "job:progress_updated",
    "job:retry",
    "job:completed",
    "job:failed",
    "job:cancelled",
    "job:dlq",
)


def _operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method, path, operation)
        for path, item in spec["paths"].items()
        for method, operation in item.items()
        if method in HTTP_METHODS
    ]


def test_every_operation_has_a_summary_and_a_description(spec: dict[str, Any]) -> None:
    operations = _operations(spec)
    assert len(operations) > 50
    for method, path, operation in operations:
        summary, description = operation.get("summary", ""), operation.get("description", "")
        assert " " in summary, f"{method} {path}: summary {summary!r} reads as a function name"
        assert len(description) > len("Get a job."), f"{method} {path}: no description"


def test_every_error_response_is_documented_as_a_problem_document(
    spec: dict[str, Any],
) -> None:
    assert set(spec["components"]["schemas"]["Problem"]["required"]) >= {"code", "status"}
    for method, path, operation in _operations(spec):
        responses = operation["responses"]
        errors = {status for status in responses if status[0] in "45"}
        if (method, path) == ("get", "/ready"):
            errors.discard("503")  # the readiness body, not a problem: see below
        assert errors <= ERROR_STATUSES, f"{method} {path}: {errors}"
        expected = {"400"} if operation.get("security") == [] else {"400", "401", "429"}
        if method != "get":
            expected |= {"409", "413", "422", "507"}
        if "{" in path:
            expected.add("404")
        assert expected <= errors, f"{method} {path} lacks {expected - errors}"
        for status in errors:
            content = responses[status]["content"]
            assert list(content) == ["application/problem+json"], f"{method} {path} {status}"
            schema = content["application/problem+json"]["schema"]
            assert schema == {"$ref": "#/components/schemas/Problem"}


def test_guarded_operations_document_403_and_open_reads_do_not(spec: dict[str, Any]) -> None:
    assert "403" in spec["paths"]["/api/queue/create"]["post"]["responses"]
    assert "403" in spec["paths"]["/metrics"]["get"]["responses"]
    assert "403" not in spec["paths"]["/api/jobs"]["get"]["responses"]
    assert "501" in spec["paths"]["/api/extract/{method}"]["post"]["responses"]


def test_multipart_metadata_parts_have_the_graph_metadata_schema(
    spec: dict[str, Any],
) -> None:
    meta = spec["components"]["schemas"]["GraphMeta"]
    assert meta["properties"]["graphType"]["enum"]
    assert "highest" in meta["properties"]["labels"]["description"]
    upload = spec["paths"]["/api/product/{product_id}/images"]["post"]["requestBody"]
    form = upload["content"]["multipart/form-data"]
    items = form["schema"]["properties"]["metadata"]["items"]
    assert {"$ref": "#/components/schemas/GraphMeta"} in items["oneOf"]
    assert form["encoding"]["metadata"]["contentType"] == "application/json"
    extract = spec["paths"]["/api/extract/{method}"]["post"]["requestBody"]
    parts = extract["content"]["multipart/form-data"]["schema"]["properties"]
    assert parts["file"]["format"] == "binary"
    assert parts["metadata"]["allOf"] == [{"$ref": "#/components/schemas/GraphMeta"}]


def test_event_streams_list_every_event_name(spec: dict[str, Any]) -> None:
    for path in ("/api/events", "/api/events/queue/{queue_id}", "/api/events/job/{job_id}"):
        description = spec["paths"][path]["get"]["description"]
        missing = [name for name in SPEC_EVENTS if f"``{name}``" not in description]
        assert not missing, f"{path} does not document {missing}"


def test_ready_documents_its_503_with_the_readiness_body(spec: dict[str, Any]) -> None:
    responses = spec["paths"]["/ready"]["get"]["responses"]
    assert "not ready" in responses["503"]["description"].lower()
    assert list(responses["503"]["content"]) == ["application/json"]


# Create and upload operations, and the request type their JSON bodies decode into.
CREATES = {
    ("post", "/api/products"): ProductCreate,
    ("post", "/api/job/create"): JobCreate,
    ("post", "/api/batch/create"): BatchCreate,
}
UPLOADS = {
    ("post", "/api/product/{product_id}/images"),
    ("post", "/api/product/{product_id}/datasheets"),
    ("post", "/api/extract/{method}"),
}


def test_create_and_upload_operations_have_examples_the_api_accepts(
    spec: dict[str, Any],
) -> None:
    for method, path in [*CREATES, *sorted(UPLOADS)]:
        content = spec["paths"][path][method]["requestBody"]["content"]
        ((media_type, media),) = content.items()
        examples = media.get("examples")
        assert examples, f"{method} {path} has no request example"
        for name, example in examples.items():
            assert example["summary"], name
            value = example["value"]
            if (method, path) in CREATES:
                assert media_type == "application/json"
                msgspec.convert(value, CREATES[(method, path)])
                continue
            assert media_type == "multipart/form-data"
            assert set(value) <= set(media["schema"]["properties"]), name
            assert set(media["schema"].get("required", [])) <= set(value), name
            metadata = value.get("metadata")
            entries = metadata if isinstance(metadata, list) else [metadata] if metadata else []
            for entry in entries:
                if entry is not None:
                    decode_graph_meta(entry)


def test_what_an_operation_makes_is_linked_to_the_operations_that_act_on_it(
    spec: dict[str, Any],
) -> None:
    by_id = {op["operationId"]: (method, path) for method, path, op in _operations(spec)}
    links = {
        (method, path): {
            name: link
            for r in op["responses"].values()
            for name, link in r.get("links", {}).items()
        }
        for method, path, op in _operations(spec)
    }
    for source, named in links.items():
        for link in named.values():
            _, target_path = by_id[link["operationId"]]
            needed = {part[1:-1] for part in target_path.split("/") if part.startswith("{")}
            assert set(link["parameters"]) == {f"path.{p}" for p in needed}, (source, link)
    created_product = {
        by_id[link["operationId"]] for link in links[("post", "/api/products")].values()
    }
    assert {
        ("get", "/api/products/{product_id}"),
        ("post", "/api/product/{product_id}/images"),
        ("post", "/api/product/{product_id}/spice"),
    } <= created_product
    for source in (
        ("post", "/api/queue/create"),
        ("post", "/api/job/create"),
        ("post", "/api/batch/create"),
        ("post", "/api/keys"),
        ("post", "/api/product/{product_id}/images"),
    ):
        assert links[source], f"{source} links to nothing"
    uploaded = links[("post", "/api/product/{product_id}/images")]["ApiImagesImageIdGetImage"]
    assert uploaded["parameters"] == {"path.image_id": "$response.body#/images/0/id"}
