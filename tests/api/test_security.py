"""Security over the whole API, walked from the app's own OpenAPI schema.

The walk reads ``/schema/openapi.json`` and asks the app which role each handler's guards
want, so a route added tomorrow is covered without touching this file: it must refuse a
request without a key, refuse a key below its role, and never answer 5xx to the right one.
"""

from __future__ import annotations

import json
import logging
import re
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from litestar import Litestar
from litestar.routes import HTTPRoute

from graphq.logs import JsonFormatter, PlainFormatter
from graphq.services.keys import ROLE_RANK, create_key
from tests.api.asgi import EVENT_STREAM, Answer, call
from tests.api.helpers import graph_png, meta
from tests.api.sse import stream_ends_after
from tests.conftest import TEST_HANDLERS, Service, make_settings, start_service

OPEN_PATHS = {"/health", "/ready"}
MUTATING = {"POST", "PUT", "PATCH", "DELETE"}
HTTP_METHODS = {"get", "post", "put", "patch", "delete"}
SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
}


@dataclass(frozen=True)
class Operation:
    method: str
    template: str
    role: str

    def path(self, ids: dict[str, str]) -> str:
        return re.sub(r"\{(\w+)\}", lambda m: ids.get(m.group(1), str(uuid.uuid4())), self.template)

    @property
    def mutating(self) -> bool:
        return self.method in MUTATING


def _required_roles(app: Litestar) -> dict[tuple[str, str], str]:
    """(method, OpenAPI path) → the highest role the handler's guards ask for."""
    roles: dict[tuple[str, str], str] = {}
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        template = re.sub(r"\{(\w+):[^}]+\}", r"{\1}", route.path)
        for handler in route.route_handlers:
            wanted = [
                g.__name__.removeprefix("requires_")
                for layer in handler.ownership_layers
                for g in layer.guards or ()
                if g.__name__.startswith("requires_")
            ]
            role = max(wanted, key=ROLE_RANK.__getitem__, default="viewer")
            for method in handler.http_methods:
                roles[(method, template)] = role
    return roles


async def _operations(service: Service) -> list[Operation]:
    """Every operation in the served schema; deletions last, so they cannot hide the rest."""
    spec = (await service.client.get("/schema/openapi.json")).json()
    roles = _required_roles(service.client.app)
    found = [
        Operation(method.upper(), template, roles[(method.upper(), template)])
        for template, item in spec["paths"].items()
        for method in item
        if method in HTTP_METHODS
    ]
    assert len(found) > 30, "the schema lists far fewer routes than the app has"
    return sorted(found, key=lambda op: (op.method == "DELETE", op.template, op.method))


def _assert_problem(answer: Answer, status: int, code: str, where: str) -> None:
    assert answer.status == status, f"{where}: {answer.status} {answer.body[:300]!r}"
    assert answer.content_type.startswith("application/problem+json"), where
    document = answer.json()
    assert document["status"] == status and document["code"] == code, where


async def _real_ids(service: Service) -> dict[str, str]:
    """One live object of each kind, so the walk reaches past the not-found checks."""
    client = service.client
    product = await service.create_product("WALK001")
    queue = (await client.post("/api/queue/create", json={"name": "walk"})).json()
    done = (
        await client.post("/api/job/create", json={"productId": product["id"], "kind": "noop"})
    ).json()["job"]
    dead = (
        await client.post(
            "/api/job/create",
            json={
                "productId": product["id"],
                "kind": "fail",
                "parameters": {"code": "INVALID_PARAMETERS"},
            },
        )
    ).json()["job"]
    batch = (
        await client.post(
            "/api/batch/create", json={"jobs": [{"productId": product["id"], "kind": "noop"}]}
        )
    ).json()
    await service.wait_for_job(done["id"], {"completed"})
    await service.wait_for_job(dead["id"], {"dead"})
    letters = (await client.get("/api/dlq")).json()["items"]
    spare_key, _ = await create_key(service.db, name="walk spare", role="viewer")
    uploaded = await client.post(
        f"/api/product/{product['id']}/images",
        files=[("files", ("walk.png", graph_png(), "image/png"))],
        data={"metadata": json.dumps([meta()])},
    )
    assert uploaded.status_code == 201, uploaded.text
    return {
        "product_id": product["id"],
        "queue_id": queue["id"],
        "job_id": done["id"],
        "batch_id": batch["id"],
        "dead_letter_id": letters[0]["id"],
        "key_id": spare_key.id,
        "image_id": uploaded.json()["images"][0]["id"],
        "method": "standard",
    }


def _body(op: Operation) -> dict[str, Any] | None:
    return {} if op.method in {"POST", "PUT", "PATCH"} else None


async def test_every_route_but_health_and_schema_refuses_a_request_without_a_key(
    service: Service,
) -> None:
    for op in await _operations(service):
        answer = call(service.client, op.method, op.path({}), json_body=_body(op))
        where = f"{op.method} {op.template} without a key"
        if op.template in OPEN_PATHS:
            assert answer.status == 200, where
            continue
        _assert_problem(answer, 401, "UNAUTHORIZED", where)
        assert answer.headers["www-authenticate"].startswith("Bearer"), where
        unknown = call(service.client, op.method, op.path({}), key="gq_not-a-key")
        _assert_problem(unknown, 401, "UNAUTHORIZED", f"{op.method} {op.template} unknown key")


async def test_every_mutating_route_refuses_a_viewer_and_admin_routes_refuse_an_operator(
    service: Service,
) -> None:
    keys = {role: await service.key(role) for role in ROLE_RANK}
    operations = await _operations(service)
    assert any(op.mutating for op in operations)
    for op in operations:
        if op.mutating:
            assert op.role != "viewer", f"{op.method} {op.template} lets a viewer change things"
        for role, key in keys.items():
            if ROLE_RANK[role] >= ROLE_RANK[op.role]:
                continue
            answer = call(service.client, op.method, op.path({}), key=key, json_body=_body(op))
            _assert_problem(answer, 403, "FORBIDDEN", f"{op.method} {op.template} as {role}")


@pytest.mark.parametrize("ids", ["random", "real"])
async def test_every_route_answers_the_right_role_without_a_server_error(
    service: Service, ids: str
) -> None:
    keys = {role: await service.key(role) for role in ROLE_RANK}
    path_ids = await _real_ids(service) if ids == "real" else {}
    for op in await _operations(service):
        answer = call(
            service.client, op.method, op.path(path_ids), key=keys[op.role], json_body=_body(op)
        )
        where = f"{op.method} {op.path(path_ids)} as {op.role}: {answer.body[:300]!r}"
        assert answer.status < 500, where
        assert answer.status not in (401, 403), where
        if answer.status >= 400:
            assert answer.content_type.startswith("application/problem+json"), where
            assert answer.json()["code"], where


async def test_event_streams_take_the_key_from_the_key_query_parameter(service: Service) -> None:
    viewer = await service.key("viewer")
    stream = call(service.client, "GET", "/api/events", query={"key": viewer})
    assert stream.status == 200
    assert stream.content_type.startswith(EVENT_STREAM)
    refused = call(service.client, "GET", "/api/events", query={"key": "gq_wrong"})
    _assert_problem(refused, 401, "UNAUTHORIZED", "event stream with an unknown key")
    bare = call(service.client, "GET", "/api/events")
    _assert_problem(bare, 401, "UNAUTHORIZED", "event stream without a key")


async def test_the_key_query_parameter_is_not_accepted_outside_event_streams(
    service: Service,
) -> None:
    viewer = await service.key("viewer")
    answer = call(service.client, "GET", "/api/queues", query={"key": viewer})
    _assert_problem(answer, 401, "UNAUTHORIZED", "a key in the query of an ordinary route")


async def test_a_revoked_key_no_longer_opens_an_event_stream(service: Service) -> None:
    key, viewer = await create_key(service.db, name="watcher", role="viewer")
    assert call(service.client, "GET", "/api/events", query={"key": viewer}).status == 200
    assert (await service.client.delete(f"/api/keys/{key.id}")).status_code == 200
    answer = call(service.client, "GET", "/api/events", query={"key": viewer})
    _assert_problem(answer, 401, "UNAUTHORIZED", "revoked key on an event stream")


async def test_revoking_a_key_ends_its_open_event_streams(service: Service) -> None:
    key, viewer = await create_key(service.db, name="watcher", role="viewer")
    _, other = await create_key(service.db, name="bystander", role="viewer")

    def revoke() -> None:
        service.rt.revoked_keys.add(key.id)

    assert await stream_ends_after(service, "/api/events", viewer, revoke, timeout_s=2.0)
    assert not await stream_ends_after(service, "/api/events", other, lambda: None, timeout_s=1.0)
    assert (await service.client.delete(f"/api/keys/{key.id}")).status_code == 200
    assert key.id in service.rt.revoked_keys


def _break_queue_listing(monkeypatch: pytest.MonkeyPatch, message: str) -> None:
    async def broken(*_args: Any, **_kwargs: Any) -> None:
        raise RuntimeError(message)

    monkeypatch.setattr("graphq.services.queues.list_queues", broken)


async def _every_kind_of_response(
    service: Service, monkeypatch: pytest.MonkeyPatch
) -> dict[str, Answer]:
    """One answer of each kind: open, schema, success, created, every error, a stream."""
    viewer = await service.key("viewer")
    admin = service.admin_key
    answers = {
        "open": call(service.client, "GET", "/health"),
        "schema": call(service.client, "GET", "/schema/openapi.json"),
        "ok": call(service.client, "GET", "/api/queues", key=admin),
        "created": call(
            service.client,
            "POST",
            "/api/products",
            key=admin,
            json_body={"name": "H", "partNumber": "H1"},
        ),
        "unauthorized": call(service.client, "GET", "/api/queues"),
        "forbidden": call(service.client, "POST", "/api/queue/create", key=viewer, json_body={}),
        "not found": call(service.client, "GET", "/no/such/route", key=admin),
        "invalid": call(service.client, "POST", "/api/products", key=admin, json_body={}),
        "stream": call(service.client, "GET", "/api/events", key=admin),
    }
    _break_queue_listing(monkeypatch, "boom")
    answers["internal"] = call(service.client, "GET", "/api/queues", key=admin)
    assert [a.status for a in answers.values()] == [
        200,
        200,
        200,
        201,
        401,
        403,
        404,
        400,
        200,
        500,
    ]
    return answers


async def test_every_kind_of_response_carries_the_security_headers(
    service: Service, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, answer in (await _every_kind_of_response(service, monkeypatch)).items():
        for header, value in SECURITY_HEADERS.items():
            assert answer.headers.get(header) == value, f"{name}: {header}"
        assert "default-src 'none'" in answer.headers["content-security-policy"], name
        # Event streams say no-cache themselves; everything else is never stored.
        assert answer.headers["cache-control"] in {"no-store", "no-cache"}, name


async def test_every_kind_of_response_carries_a_request_id(
    service: Service, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, answer in (await _every_kind_of_response(service, monkeypatch)).items():
        assert re.fullmatch(r"[0-9a-f]{32}", answer.headers.get("x-request-id", "")), name


async def test_a_request_id_the_client_sent_comes_back(
    service: Service, subtests: pytest.Subtests
) -> None:
    for path, key, status in [
        ("/api/queues", True, 200),
        ("/api/queues", False, 401),
        ("/no/such/route", True, 404),
    ]:
        with subtests.test(f"{path} {'with' if key else 'without'} a key"):
            answer = call(
                service.client,
                "GET",
                path,
                key=service.admin_key if key else None,
                headers={"X-Request-ID": "client-chosen-42"},
            )
            assert answer.status == status
            assert answer.headers["x-request-id"] == "client-chosen-42"


async def test_an_internal_error_answers_a_generic_problem_without_its_traceback(
    service: Service, monkeypatch: pytest.MonkeyPatch
) -> None:
    _break_queue_listing(monkeypatch, "disk /srv/private/graphq.db exploded")
    answer = call(service.client, "GET", "/api/queues", key=service.admin_key)
    _assert_problem(answer, 500, "INTERNAL", "forced internal error")
    text = answer.body.decode()
    for leak in ("Traceback", "RuntimeError", "exploded", "/srv/private", ".py", "line "):
        assert leak not in text


async def test_logs_never_contain_a_key(
    service: Service, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    operator = await service.key("operator")
    call(service.client, "GET", "/api/queues", key=operator)
    call(service.client, "POST", "/api/products", key=operator, json_body={"name": "L"})
    call(service.client, "POST", "/api/queue/create", key=operator, json_body={"name": "x"})
    call(service.client, "GET", "/api/events", query={"key": operator})
    call(service.client, "GET", "/api/events", query={"key": operator + "x"})
    call(service.client, "GET", "/api/queues", key=operator[:-1])
    _break_queue_listing(monkeypatch, "failing on purpose")
    call(service.client, "GET", "/api/queues", key=operator)
    assert any(r.name == "graphq.api.problems" and r.exc_info for r in caplog.records)
    hidden = operator[10:-1]  # past the display prefix, and in the near-miss keys too
    for record in caplog.records:
        raw = record.getMessage() + logging.Formatter().format(record)
        assert hidden not in raw, f"{record.name} logged the key: {raw[:200]}"


async def test_every_response_gets_an_access_line_without_the_query_and_with_the_key_id(
    service: Service, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="graphq.access")
    operator = await service.key("operator")
    call(service.client, "GET", "/api/queues", key=operator)
    call(service.client, "GET", "/api/events", query={"key": operator})
    call(service.client, "GET", "/api/no-such-route", key=operator)
    call(service.client, "GET", "/api/queues")
    lines = [r.fields for r in caplog.records if r.name == "graphq.access"]
    seen = [(line["method"], line["path"], line["status"]) for line in lines]
    assert seen == [
        ("GET", "/api/queues", 200),
        ("GET", "/api/events", 200),
        ("GET", "/api/no-such-route", 404),
        ("GET", "/api/queues", 401),
    ]
    assert lines[0]["key_id"] and lines[0]["key_id"] == lines[1]["key_id"]
    assert lines[3]["key_id"] is None
    assert all(line["event"] == "http.access" and line["duration_ms"] >= 0 for line in lines)
    assert operator not in caplog.text


def test_both_log_formats_mask_a_key_that_slips_into_a_message() -> None:
    secret = "gq_" + "AbC-d_9" + "x" * 36
    record = logging.LogRecord("t", logging.INFO, __file__, 1, "GET /e?key=%s 200", (secret,), None)
    for formatter in (JsonFormatter(), PlainFormatter("%(message)s")):
        line = formatter.format(record)
        assert secret[10:] not in line
        assert "gq_AbC-d_9…" in line


async def test_an_integer_too_large_for_the_database_is_a_400_not_a_crash(service: Service) -> None:
    for path in ("/api/dlq", "/api/jobs", "/api/products"):
        answer = call(
            service.client, "GET", path, key=service.admin_key, query={"offset": "9" * 30}
        )
        _assert_problem(answer, 400, "INVALID_REQUEST", f"{path} with a huge offset")


@pytest.fixture
async def small_bodies(tmp_path: Path) -> AsyncIterator[Service]:
    settings = make_settings(tmp_path / "data", server={"max_request_mb": 1})
    async for running in start_service(settings, [TEST_HANDLERS]):
        yield running


async def test_a_body_over_the_request_limit_is_refused_with_413(small_bodies: Service) -> None:
    body = {"name": "big", "partNumber": "BIG", "description": "x" * 2**20}
    answer = call(
        small_bodies.client, "POST", "/api/products", key=small_bodies.admin_key, json_body=body
    )
    _assert_problem(answer, 413, "PAYLOAD_TOO_LARGE", "a 1 MiB+ body against a 1 MiB limit")


async def test_options_never_answers_a_server_error(service: Service) -> None:
    for path in ["/api/keys", "/api/keys/some-id", "/api/products", "/api/jobs"]:
        for headers in ({}, {"Authorization": ""}):
            response = await service.client.options(path, headers=headers)
            assert response.status_code < 500, (path, headers, response.text)


async def test_json_nested_a_thousand_deep_is_a_400(service: Service) -> None:
    body = "[" * 1000 + "]" * 1000
    response = await service.client.post(
        "/api/products", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 400, response.text
    assert response.json()["code"] == "INVALID_REQUEST"


async def test_a_json_body_over_its_limit_is_refused_with_413(tmp_path: Path) -> None:
    settings = make_settings(tmp_path / "data", server={"max_json_kb": 1})
    async for running in start_service(settings, [TEST_HANDLERS]):
        body = {"name": "x" * 2000, "partNumber": "BIG"}
        response = await running.client.post("/api/products", json=body)
        assert response.status_code == 413, response.text
        assert response.json()["code"] == "PAYLOAD_TOO_LARGE"
        small = await running.client.post("/api/products", json={"name": "s", "partNumber": "S"})
        assert small.status_code == 201
