"""A query parameter the route does not take is refused, not silently ignored."""

from __future__ import annotations

from tests.api.helpers import assert_problem
from tests.conftest import Service


async def test_a_misspelt_filter_is_refused_naming_it_and_what_the_route_takes(
    service: Service,
) -> None:
    response = await service.client.get("/api/jobs", params={"queueId": "q1", "limit": 5})
    body = assert_problem(response, 400, "UNKNOWN_PARAMETER")
    assert "queueId" in body["detail"]
    assert "queue" in body["detail"].split("takes")[1]


async def test_declared_parameters_pass_on_every_kind_of_route(service: Service) -> None:
    assert (await service.client.get("/api/jobs", params={"queue": "q1"})).status_code == 200
    dlq = await service.client.get("/api/dlq", params={"includeReprocessed": "true"})
    assert dlq.status_code == 200
    assert_problem(
        await service.client.get("/api/queues", params={"x": ""}), 400, "UNKNOWN_PARAMETER"
    )


async def test_an_event_stream_takes_its_key_and_last_event_id_in_the_query(
    service: Service,
) -> None:
    params = {"key": service.admin_key, "lastEventId": "0", "since": "1"}
    response = await service.client.get("/api/events", params=params)
    assert_problem(response, 400, "UNKNOWN_PARAMETER")
    assert "since" in response.json()["detail"]
