"""Rate limits: per key on mutating routes (a burst, then 429 with Retry-After; reads are
free), and per client address on requests without a valid key."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from graphq.api.ratelimit import RateLimiter
from tests.conftest import TEST_HANDLERS, Service, make_settings, start_service

BURST = 3
PER_MINUTE = 6  # one token every 10 s: nothing refills while a test runs


@pytest.fixture
async def limited(tmp_path: Path) -> AsyncIterator[Service]:
    settings = make_settings(
        tmp_path / "data",
        auth={
            "rate_limit_per_minute": PER_MINUTE,
            "rate_limit_burst": BURST,
            "unauthenticated_per_minute": PER_MINUTE,
            "unauthenticated_burst": BURST,
        },
    )
    async for running in start_service(settings, [TEST_HANDLERS]):
        yield running


def _bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


async def _create_products(service: Service, key: str, count: int, tag: str) -> list[int]:
    statuses = []
    for i in range(count):
        body = {"name": f"{tag} {i}", "partNumber": f"{tag}-{i}"}
        response = await service.client.post("/api/products", json=body, headers=_bearer(key))
        statuses.append(response.status_code)
    return statuses


async def test_mutations_beyond_the_burst_get_a_429_problem_with_retry_after(
    limited: Service,
) -> None:
    key = await limited.key("operator")
    assert await _create_products(limited, key, BURST, "ok") == [201] * BURST

    response = await limited.client.post(
        "/api/products", json={"name": "one too many", "partNumber": "X"}, headers=_bearer(key)
    )
    assert response.status_code == 429
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["code"] == "RATE_LIMITED"
    retry_after = int(response.headers["Retry-After"])
    assert 1 <= retry_after <= 60 // PER_MINUTE
    assert problem["errors"]["retryAfterS"] == retry_after


async def test_a_limited_request_has_no_effect(limited: Service) -> None:
    key = await limited.key("operator")
    statuses = await _create_products(limited, key, BURST + 2, "effect")
    assert statuses == [201] * BURST + [429, 429]
    page = (await limited.client.get("/api/products", headers=_bearer(key))).json()
    assert page["total"] == BURST


async def test_reads_are_not_limited(limited: Service) -> None:
    key = await limited.key("viewer")
    for _ in range(BURST * 5):
        assert (await limited.client.get("/api/queues", headers=_bearer(key))).status_code == 200


async def test_a_read_still_works_for_a_key_that_is_over_its_limit(limited: Service) -> None:
    key = await limited.key("operator")
    await _create_products(limited, key, BURST + 1, "over")
    assert (await limited.client.get("/api/products", headers=_bearer(key))).status_code == 200


async def test_another_key_is_unaffected_by_a_limited_one(limited: Service) -> None:
    noisy, quiet = await limited.key("operator"), await limited.key("operator")
    assert (await _create_products(limited, noisy, BURST + 1, "noisy"))[-1] == 429
    assert await _create_products(limited, quiet, BURST, "quiet") == [201] * BURST


async def test_every_mutating_method_spends_the_budget(limited: Service) -> None:
    key = await limited.key("operator")
    product = await limited.create_product("RL1")
    path = f"/api/products/{product['id']}"
    answers = [
        await limited.client.put(path, json={"name": "renamed"}, headers=_bearer(key)),
        await limited.client.post("/api/products", json={}, headers=_bearer(key)),
        await limited.client.delete(path, headers=_bearer(key)),
        await limited.client.put(path, json={"name": "again"}, headers=_bearer(key)),
    ]
    # Invalid and forbidden requests count too: they cost the server work all the same.
    assert [a.status_code for a in answers] == [200, 400, 403, 429]


def test_the_bucket_refills_at_the_sustained_rate(monkeypatch: pytest.MonkeyPatch) -> None:
    now = [1000.0]
    monkeypatch.setattr("graphq.api.ratelimit.time.monotonic", lambda: now[0])
    limiter = RateLimiter(per_minute=60, burst=2)
    assert [limiter.check("k"), limiter.check("k")] == [0, 0]
    assert limiter.check("k") == 1
    now[0] += 1.0
    assert limiter.check("k") == 0
    assert limiter.check("k") == 1
    now[0] += 3600
    assert [limiter.check("k"), limiter.check("k"), limiter.check("k")] == [0, 0, 1]


async def test_an_address_sending_bad_keys_gets_429_and_its_valid_keys_still_pass(
    limited: Service,
) -> None:
    good = await limited.key("admin")
    statuses = []
    for i in range(BURST + 1):
        response = await limited.client.get("/api/queues", headers=_bearer(f"gq_wrong{i}"))
        statuses.append(response.status_code)
    assert statuses == [401] * BURST + [429]
    limited_response = await limited.client.get("/api/queues", headers=_bearer("gq_wrong"))
    assert limited_response.json()["code"] == "RATE_LIMITED"
    assert 1 <= int(limited_response.headers["Retry-After"]) <= 60 // PER_MINUTE
    response = await limited.client.get("/api/queues", headers=_bearer(good))
    assert response.status_code == 200


async def test_requests_with_no_key_are_refused_401_and_spend_nothing_of_the_address(
    limited: Service,
) -> None:
    """Only guessed keys are limited: a request without one is refused before any lookup,
    and answering it 429 would tell its client nothing the 401 does not."""
    no_key = {"Authorization": ""}
    statuses = {
        (await limited.client.get("/api/queues", headers=no_key)).status_code
        for _ in range(BURST * 2)
    }
    assert statuses == {401}
    guesses = [
        (await limited.client.get("/api/queues", headers=_bearer(f"gq_guess{i}"))).status_code
        for i in range(BURST + 1)
    ]
    assert guesses == [401] * BURST + [429]


async def test_valid_keys_spend_nothing_of_the_address_allowance(limited: Service) -> None:
    key = await limited.key("viewer")
    for _ in range(BURST * 3):
        assert (await limited.client.get("/api/queues", headers=_bearer(key))).status_code == 200
    no_key = {"Authorization": ""}
    assert (await limited.client.get("/api/queues", headers=no_key)).status_code == 401


def test_past_max_buckets_only_refilled_ones_are_forgotten(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Addresses are unbounded, so idle buckets go; one still draining keeps its debt."""
    now = [1000.0]
    monkeypatch.setattr("graphq.api.ratelimit.time.monotonic", lambda: now[0])
    limiter = RateLimiter(per_minute=60, burst=1, max_buckets=2)
    assert limiter.check("idle") == 0
    now[0] += 0.9
    assert limiter.check("busy") == 0
    now[0] += 0.3  # "idle" has refilled; "busy" is still short
    assert limiter.check("new") == 0
    assert limiter.waiting("busy") == 1
    assert limiter.waiting("idle") == 0


def test_waiting_spends_nothing() -> None:
    limiter = RateLimiter(per_minute=60, burst=1)
    assert [limiter.waiting("k"), limiter.waiting("k")] == [0, 0]
    assert limiter.check("k") == 0
    assert limiter.waiting("k") == 1


async def test_every_429_is_logged_with_whom_it_held_back(
    limited: Service, caplog: pytest.LogCaptureFixture
) -> None:
    key = await limited.key("operator")
    await _create_products(limited, key, BURST + 2, "logged")
    for i in range(BURST + 1):
        await limited.client.get("/api/queues", headers=_bearer(f"gq_guess{i}"))
    refusals = [
        r for r in caplog.records if getattr(r, "fields", {}).get("event") == "http.rate_limited"
    ]
    assert len(refusals) == 3
    assert [sorted(r.fields) for r in refusals] == [
        ["event", "key_id", "retry_after_s"],
        ["event", "key_id", "retry_after_s"],
        ["client", "event", "retry_after_s"],
    ]
    assert all(r.levelname == "WARNING" and "429" in r.getMessage() for r in refusals)
    assert key not in caplog.text
