from pathlib import Path

from tests.conftest import TEST_HANDLERS, Service, make_settings, start_service


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


async def test_ready_reports_free_space_and_is_503_below_the_threshold(tmp_path: Path) -> None:
    roomy = make_settings(tmp_path / "roomy", storage={"min_free_mb": 1})
    async for running in start_service(roomy, [TEST_HANDLERS]):
        body = (await running.client.get("/ready")).json()
        assert (body["status"], body["disk"]) == ("ready", "ok")
        assert body["freeMb"] >= 1
    cramped = make_settings(tmp_path / "cramped", storage={"min_free_mb": 2**40})
    async for running in start_service(cramped, [TEST_HANDLERS]):
        response = await running.client.get("/ready")
        assert response.status_code == 503
        assert (response.json()["status"], response.json()["disk"]) == ("not ready", "low")
