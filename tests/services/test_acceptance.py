"""Accepting a result through the public API: who may, what is recorded, and which one."""

from __future__ import annotations

from sqlalchemy import select

from graphq.db.database import Database
from graphq.db.models import ApiKey
from tests.api.helpers import assert_problem, seed_graph_results
from tests.conftest import Service


async def two_versions_of_a_graph(service: Service, product_id: str) -> tuple[str, str]:
    """An image with two completed runs, the first needing review: (older, newer) result ids."""
    older, newer = await seed_graph_results(service, product_id, (True, False))
    return older, newer


async def key_id_of(service: Service, name: str) -> str:
    db = Database(service.rt.settings.database_url)
    try:
        async with db.read() as session:
            return str(await session.scalar(select(ApiKey.id).where(ApiKey.name == name)))
    finally:
        await db.dispose()


async def test_an_operator_accepts_the_newest_result_and_the_sign_off_is_stored(
    service: Service,
) -> None:
    product = await service.create_product()
    _, newest = await two_versions_of_a_graph(service, product["id"])
    operator = await service.key("operator")
    headers = {"Authorization": f"Bearer {operator}"}
    response = await service.client.post(f"/api/result/{newest}/accept", headers=headers)
    assert response.status_code == 200, response.text
    accepted = response.json()
    assert accepted["acceptedAt"] is not None
    assert accepted["acceptedBy"] == await key_id_of(service, "test operator")
    listed = (await service.client.get(f"/api/product/{product['id']}/results")).json()
    assert [r["acceptedBy"] for r in listed if r["id"] == newest] == [accepted["acceptedBy"]]
    again = (await service.client.post(f"/api/result/{newest}/accept")).json()
    assert again["acceptedAt"] == accepted["acceptedAt"]
    assert again["acceptedBy"] == accepted["acceptedBy"]


async def test_an_older_version_cannot_be_accepted(service: Service) -> None:
    product = await service.create_product()
    older, newest = await two_versions_of_a_graph(service, product["id"])
    body = assert_problem(
        await service.client.post(f"/api/result/{older}/accept"), 409, "SUPERSEDED_RESULT"
    )
    assert newest in body["detail"]


async def test_a_viewer_cannot_accept_and_an_unknown_result_is_not_found(
    service: Service,
) -> None:
    product = await service.create_product()
    _, newest = await two_versions_of_a_graph(service, product["id"])
    viewer = {"Authorization": f"Bearer {await service.key('viewer')}"}
    assert_problem(
        await service.client.post(f"/api/result/{newest}/accept", headers=viewer), 403, "FORBIDDEN"
    )
    assert_problem(await service.client.post("/api/result/nope/accept"), 404, "NOT_FOUND")


async def test_the_accept_operation_is_documented_with_its_errors(service: Service) -> None:
    spec = (await service.client.get("/schema/openapi.json")).json()
    operation = spec["paths"]["/api/result/{result_id}/accept"]["post"]
    assert {"200", "401", "403", "404", "409"} <= set(operation["responses"])
    assert operation["summary"] == "Accept a result"
