"""The queue monitor: what it shows, and who may pause, resume and reprocess."""

from __future__ import annotations

from tests.web.conftest import Web
from tests.web.test_products import create, wait_for_job


async def default_queue(web: Web) -> dict[str, str]:
    return (await web.client.get("/api/queues", headers=web.api())).json()[0]


async def test_the_monitor_shows_health_queues_and_jobs(web: Web) -> None:
    product = await create(web, "MON-1")
    created = await web.client.post(
        "/api/job/create",
        json={"productId": product["id"], "kind": "noop"},
        headers=web.api(),
    )
    await wait_for_job(web, created.json()["job"]["id"], {"completed"})
    await web.sign_in("viewer")
    page = (await web.client.get("/monitor")).text
    assert 'Health: <span id="health-status">healthy</span>' in page
    assert "default" in page and created.json()["job"]["id"][:8] in page
    live = (await web.client.get("/monitor/live")).text
    assert live.lstrip().startswith("<section") and "<html" not in live


async def test_an_operator_pauses_and_resumes_a_queue(web: Web) -> None:
    queue = await default_queue(web)
    await web.sign_in("operator")
    response = await web.post_form(f"/queues/{queue['id']}/pause", {})
    assert response.headers["location"] == "/monitor"
    assert (await default_queue(web))["status"] == "paused"
    page = (await web.client.get("/monitor")).text
    assert "queue default is paused" in page and "Resume default" in page
    await web.post_form(f"/queues/{queue['id']}/resume", {})
    assert (await default_queue(web))["status"] == "active"


async def test_a_viewer_sees_no_actions_and_the_server_refuses_them(web: Web) -> None:
    queue = await default_queue(web)
    await web.sign_in("viewer")
    page = (await web.client.get("/monitor")).text
    assert "Pause default" not in page
    response = await web.post_form(f"/queues/{queue['id']}/pause", {})
    assert response.status_code == 403
    assert (await default_queue(web))["status"] == "active"


async def test_only_an_admin_reprocesses_a_dead_letter(web: Web) -> None:
    product = await create(web, "MON-2")
    created = await web.client.post(
        "/api/job/create",
        json={
            "productId": product["id"],
            "kind": "fail",
            "parameters": {"code": "INVALID_PARAMETERS"},
        },
        headers=web.api(),
    )
    await wait_for_job(web, created.json()["job"]["id"], {"dead"})
    (letter,) = (await web.client.get("/api/dlq", headers=web.api())).json()["items"]
    await web.sign_in("operator")
    assert "Reprocess" not in (await web.client.get("/monitor")).text
    assert (await web.post_form(f"/dlq/{letter['id']}/reprocess", {})).status_code == 403
    await web.sign_in("admin")
    response = await web.post_form(f"/dlq/{letter['id']}/reprocess", {"notes": "try again"})
    assert "reprocessing as job" in (await web.client.get(response.headers["location"])).text
    letters = await web.client.get("/api/dlq?includeReprocessed=true", headers=web.api())
    # The reprocessed job fails again and adds a letter of its own; the first one is marked.
    reprocessed = next(item for item in letters.json()["items"] if item["id"] == letter["id"])
    assert reprocessed["reprocessNotes"] == "try again" and reprocessed["reprocessedAt"]


async def test_an_unknown_queue_action_is_not_found(web: Web) -> None:
    queue = await default_queue(web)
    await web.sign_in("admin")
    response = await web.post_form(f"/queues/{queue['id']}/explode", {})
    page = (await web.client.get(response.headers["location"])).text
    assert "NOT_FOUND" in page
