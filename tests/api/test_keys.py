"""Key management over HTTP: what revoking may not do (the rest is in test_auth)."""

from __future__ import annotations

from tests.conftest import Service


async def test_a_key_cannot_revoke_itself_but_another_admin_key_can(service: Service) -> None:
    listing = (await service.client.get("/api/keys")).json()
    (own,) = [k for k in listing if service.admin_key.startswith(k["prefix"])]

    refused = await service.client.delete(f"/api/keys/{own['id']}")
    assert refused.status_code == 409
    assert refused.json()["code"] == "OWN_KEY"
    assert (await service.client.get("/api/queues")).status_code == 200

    other = {"Authorization": f"Bearer {await service.key('admin')}"}
    revoked = await service.client.delete(f"/api/keys/{own['id']}", headers=other)
    assert revoked.status_code == 200
    assert (await service.client.get("/api/queues")).status_code == 401
