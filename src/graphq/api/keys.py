"""API key management for admins (the CLI does the same with ``graphq keys``)."""

from __future__ import annotations

from litestar import Controller, Request, delete, get, post

from graphq.api import views
from graphq.api.auth import admin
from graphq.api.schemas import KeyCreate, KeyCreated, KeyOut
from graphq.db.database import Database
from graphq.errors import GraphqError
from graphq.runtime import Runtime
from graphq.services import keys


class KeyController(Controller):
    path = "/api/keys"
    tags = ["keys"]
    guards = [admin]

    @get("/")
    async def list_keys(self, db: Database) -> list[KeyOut]:
        """List API keys.

        Every key's id, name, role, display prefix and last use; never a secret.
        """
        return [views.api_key(k) for k in await keys.list_keys(db)]

    @post("/")
    async def create_key(self, db: Database, data: KeyCreate) -> KeyCreated:
        """Create an API key.

        A key with a ``role`` (``viewer`` reads, ``operator`` creates and cancels jobs,
        ``admin`` manages queues, keys, the DLQ and deletion). The secret is in this answer
        only.
        """
        key, secret = await keys.create_key(db, name=data.name, role=data.role)
        return KeyCreated(key=views.api_key(key), secret=secret)

    @delete("/{key_id:str}", status_code=200)
    async def revoke_key(self, rt: Runtime, db: Database, request: Request, key_id: str) -> KeyOut:
        """Revoke an API key.

        The key stops working at once; its open event streams end within half a second. A
        key does not revoke itself (409 OWN_KEY): the last admin key would lock every admin
        out; revoke it with another admin key or ``graphq keys revoke``.
        """
        if request.user.key_id == key_id:
            raise GraphqError("OWN_KEY", "a key cannot revoke itself; use another admin key")
        revoked = await keys.revoke_key(db, key_id)
        rt.revoked_keys.add(revoked.id)
        return views.api_key(revoked)
