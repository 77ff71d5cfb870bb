"""API keys: random secrets shown once, stored only as a SHA-256 hash.

A 256-bit random secret needs no slow password hash: nothing about it can be guessed, and a
fast hash lets every request be checked with one indexed lookup.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select

from graphq.db.database import Database
from graphq.db.models import ApiKey, utcnow
from graphq.errors import GraphqError

log = logging.getLogger(__name__)

ROLES = ("viewer", "operator", "admin")
ROLE_RANK = {role: rank for rank, role in enumerate(ROLES)}
# The prefix marks a string as a graphq key, so logs can mask it (graphq.logs.redact) and
# secret scanners can spot a leaked one.
_SECRET_PREFIX = "gq_"
# lastUsedAt is written at most once a minute per key: a write on every request would queue
# every read behind SQLite's single writer.
_LAST_USED_RESOLUTION = timedelta(minutes=1)


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: the key's id (``None`` when auth is disabled), name and role."""

    key_id: str | None
    name: str
    role: str

    def allows(self, role: str) -> bool:
        return ROLE_RANK[self.role] >= ROLE_RANK[role]


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


async def create_key(db: Database, *, name: str, role: str) -> tuple[ApiKey, str]:
    """Make a key; the secret is returned once and never stored."""
    if role not in ROLE_RANK:
        raise GraphqError("INVALID_PARAMETERS", f"role must be one of {', '.join(ROLES)}")
    secret = _SECRET_PREFIX + secrets.token_urlsafe(32)
    key = ApiKey(name=name, role=role, secret_hash=hash_secret(secret), prefix=secret[:10])
    async with db.write() as session:
        session.add(key)
    return key, secret


async def list_keys(db: Database) -> list[ApiKey]:
    async with db.read() as session:
        return list((await session.execute(select(ApiKey).order_by(ApiKey.created_at))).scalars())


async def revoke_key(db: Database, key_id: str) -> ApiKey:
    async with db.write() as session:
        key = await session.get(ApiKey, key_id)
        if key is None:
            raise GraphqError("NOT_FOUND", f"no API key {key_id}")
        if key.revoked_at is None:
            key.revoked_at = utcnow()
        return key


async def count_keys(db: Database) -> int:
    async with db.read() as session:
        return int((await session.execute(select(func.count(ApiKey.id)))).scalar_one())


async def authenticate(db: Database, secret: str) -> Principal | None:
    """The key's principal, or ``None`` for an unknown or revoked secret; marks it used."""
    async with db.read() as session:
        key = (
            await session.execute(select(ApiKey).where(ApiKey.secret_hash == hash_secret(secret)))
        ).scalar_one_or_none()
    if key is None or key.revoked_at is not None:
        return None
    now = utcnow()
    if key.last_used_at is None or now - key.last_used_at > _LAST_USED_RESOLUTION:
        await _mark_used(db, key.id, now)
    return Principal(key.id, key.name, key.role)


async def _mark_used(db: Database, key_id: str, when: datetime) -> None:
    """Best effort: a read must not fail because ``lastUsedAt`` cannot be written (a full
    disk, a busy writer). The next request a minute on tries again."""
    try:
        async with db.write() as session:
            stored = await session.get(ApiKey, key_id)
            if stored is not None:
                stored.last_used_at = when
    except Exception as exc:
        log.warning("could not record that key %s was used: %s", key_id, exc)
