from tests.conftest import Service


async def test_health_answers_without_a_key(service: Service) -> None:
    response = await service.client.get("/health", headers={"Authorization": ""})
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_ready_reports_the_database_reachable(service: Service) -> None:
    response = await service.client.get("/ready")
    assert response.json()["database"] == "ok"


async def test_a_default_queue_always_exists(service: Service) -> None:
    names = [q["name"] for q in (await service.client.get("/api/queues")).json()]
    assert names == ["default"]
