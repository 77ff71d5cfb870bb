"""API key management for admins (the CLI does the same with ``graphq keys``)."""

from __future__ import annotations

from litestar import Controller, delete, get, post

from graphq.api import views
from graphq.api.auth import admin
from graphq.api.schemas import KeyCreate, KeyCreated, KeyOut
from graphq.runtime import Runtime
from graphq.services import keys


class KeyController(Controller):
    path = "/api/keys"
    tags = ["keys"]
    guards = [admin]

    @get("/")
    async def list_keys(self, rt: Runtime) -> list[KeyOut]:
        """List API keys.

        Every key's id, name, role, display prefix and last use; never a secret.
        """
        return [views.api_key(k) for k in await keys.list_keys(rt.db)]

    @post("/")
    async def create_key(self, rt: Runtime, data: KeyCreate) -> KeyCreated:
        """Create an API key.

        A key with a ``role`` (``viewer`` reads, ``operator`` creates and cancels jobs,
        ``admin`` manages queues, keys, the DLQ and deletion). The secret is in this answer
        only.
        """
        key, secret = await keys.create_key(rt.db, name=data.name, role=data.role)
        return KeyCreated(key=views.api_key(key), secret=secret)

    @delete("/{key_id:str}", status_code=200)
    async def revoke_key(self, rt: Runtime, key_id: str) -> KeyOut:
        """Revoke an API key.

        The key stops working at once; its open event streams end within half a second.
        """
        revoked = await keys.revoke_key(rt.db, key_id)
        rt.revoked_keys.add(revoked.id)
        return views.api_key(revoked)
