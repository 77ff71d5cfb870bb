"""Property-based fuzzing of the whole API from its own OpenAPI schema (schemathesis).

Every operation gets valid and invalid requests as an admin, once with random path ids and
once with ids of live objects, so handlers are reached past their not-found checks. The one
property: the server never answers 5xx, and a 4xx is always a problem document. Every 5xx is
collected with its request before the test fails, so one run shows them all.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import hypothesis
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.python import asgi

from graphq.app import create_app
from graphq.config import Settings
from graphq.db.database import Database
from graphq.db.migrate import upgrade
from graphq.runtime import build_runtime
from graphq.services.keys import create_key
from tests.api.helpers import graph_png, meta
from tests.conftest import TEST_HANDLERS, make_settings

# Passes over every operation, broad first: a slow machine fuzzes fewer examples within the
# budget, but every operation early on. Hypothesis draws the same first examples each pass
# (derandomized), so a later, larger pass goes on where an earlier one stopped.
PASSES = ((False, 8), (True, 12), (False, 30))  # (with live ids, examples per operation)
BUDGET_S = 75  # no new operation starts after this; the one running may add a few seconds
OPEN_PATHS = {"/health", "/ready"}  # open: the schema gives them an empty security
REQUEST_TIMEOUT_S = 2.0  # event streams never end; they are cut after this long


@dataclass
class Tally:
    requests: int = 0
    failures: list[str] = field(default_factory=list)
    # Operations that answered with an event stream: each further example would only wait out
    # the read timeout, so one stream per operation is enough.
    streams: set[str] = field(default_factory=set)
    statuses: Counter[int] = field(default_factory=Counter)


def _admin_key(settings: Settings) -> str:
    async def make() -> str:
        db = Database(settings.database_url)
        try:
            return (await create_key(db, name="fuzz admin", role="admin"))[1]
        finally:
            await db.dispose()

    return asyncio.run(make())


@pytest.fixture
def fuzzed_app(tmp_path: Path) -> Iterator[tuple[Any, str]]:
    """The app with its real job kinds plus the test ones, started by schemathesis."""
    settings = make_settings(tmp_path / "data", queue={"handler_modules": [TEST_HANDLERS]})
    upgrade(settings)
    key = _admin_key(settings)
    app = create_app(settings, runtime=build_runtime(settings))
    try:
        yield app, key
    finally:
        asgi.shutdown_lifespans()


def _live_ids(app: Any, key: str) -> dict[str, str]:
    with asgi.get_client(app) as client:
        client.headers["Authorization"] = f"Bearer {key}"

        def post(path: str, body: dict[str, Any]) -> dict[str, Any]:
            response = client.post(path, json=body)
            assert response.status_code == 201, response.text
            return dict(response.json())

        product = post("/api/products", {"name": "Fuzzed", "partNumber": "FUZZ-1"})
        queue = post("/api/queue/create", {"name": "fuzz", "mode": "manual"})
        spare = post("/api/keys", {"name": "fuzz spare"})
        waiting = {"productId": product["id"], "queueId": queue["id"], "kind": "sleep"}
        job = post("/api/job/create", waiting)
        batch = post("/api/batch/create", {"jobs": [waiting]})
        image = client.post(
            f"/api/product/{product['id']}/images",
            files=[("files", ("fuzz.png", graph_png(), "image/png"))],
            data={"metadata": json.dumps([meta()])},
        )
        assert image.status_code == 201, image.text
        failing = {"code": "INVALID_PARAMETERS"}
        post("/api/job/create", {"productId": product["id"], "kind": "fail", "parameters": failing})
        deadline = time.monotonic() + 20
        while not (letters := client.get("/api/dlq").json()["items"]):
            assert time.monotonic() < deadline, "the failing job never reached the DLQ"
            time.sleep(0.1)
    return {
        "product_id": product["id"],
        "queue_id": queue["id"],
        "key_id": spare["key"]["id"],
        "job_id": job["job"]["id"],
        "batch_id": batch["id"],
        "dead_letter_id": letters[0]["id"],
        "image_id": image.json()["images"][0]["id"],
        "method": "standard",
    }


def _strategy(operation: Any, path_ids: dict[str, str] | None) -> st.SearchStrategy[Any] | None:
    """Valid and invalid requests; with ``path_ids``, only where one of those ids fits."""
    ids = path_ids or {}
    fixed = {p.name: ids[p.name] for p in operation.path_parameters if p.name in ids}
    if path_ids is not None and not fixed:
        return None
    return st.one_of(
        operation.as_strategy(mode, path_parameters=fixed or None)
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
    )


def _content_type(response: Any) -> str:
    return str((response.headers.get("content-type") or [""])[0])


def _is_problem(response: Any) -> bool:
    if not _content_type(response).startswith("application/problem+json"):
        return False
    return bool(response.json().get("code"))


def _fuzz(strategy: st.SearchStrategy[Any], examples: int, key: str, tally: Tally) -> None:
    bearer = f"Bearer {key}"

    @hypothesis.settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def run(case: Any) -> None:
        label = f"{case.method} {case.path}"
        if label in tally.streams:
            hypothesis.reject()
        response = case.call(headers={"Authorization": bearer}, timeout=REQUEST_TIMEOUT_S)
        tally.requests += 1
        tally.statuses[response.status_code] += 1
        if _content_type(response).startswith("text/event-stream"):
            tally.streams.add(label)
        status = response.status_code
        # Negative cases may drop the key on purpose; those must be refused, the rest not.
        sent_key = response.request.headers.get("Authorization") == bearer
        if case.path in OPEN_PATHS:
            wrong = status != 200
        elif not sent_key:
            wrong = status != 401
        else:
            wrong = status >= 500 or status in (401, 403)
        if wrong or (status >= 400 and not _is_problem(response)):
            tally.failures.append(
                f"{status} {case.method} {case.formatted_path} query={case.query} "
                f"body={str(case.body)[:300]} -> {response.text[:500]}"
            )

    run()


@pytest.mark.slow
def test_no_generated_request_makes_the_server_fail(fuzzed_app: tuple[Any, str]) -> None:
    app, key = fuzzed_app
    schema = schemathesis.openapi.from_asgi("/schema/openapi.json", app)
    live_ids = _live_ids(app, key)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 30
    tally = Tally()
    started = time.monotonic()
    plan = [(op, live_ids if live else None, n) for live, n in PASSES for op in operations]
    for operation, path_ids, examples in plan:
        if time.monotonic() - started > BUDGET_S:  # a slow machine fuzzes less, not forever
            break
        if f"{operation.method.upper()} {operation.path}" in tally.streams:
            continue  # a stream was had; every further example would wait out the timeout
        strategy = _strategy(operation, path_ids)
        if strategy is not None:
            _fuzz(strategy, examples, key, tally)
    assert not tally.failures, "\n".join(tally.failures)
    assert any(status < 300 for status in tally.statuses), "no generated request succeeded"
    elapsed_s = time.monotonic() - started
    print(f"schemathesis: {tally.requests} requests in {elapsed_s:.1f} s: {dict(tally.statuses)}")
