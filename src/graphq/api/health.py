"""Liveness and readiness, open without a key."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from typing import Any

from litestar import get
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import Operation
from litestar.response import Response

from graphq.config import Settings
from graphq.db.database import Database


@dataclass
class OpenOperation(Operation):
    """An operation that overrides the schema's global key requirement with none.

    Litestar leaves an empty ``security`` out of the document, which would let the global
    requirement apply; the empty list has to be set on the operation itself.
    """

    def __post_init__(self) -> None:
        self.security = []


@get("/health", tags=["health"], operation_class=OpenOperation)
async def health() -> dict[str, str]:
    """Liveness check.

    Answers while the process serves requests; needs no key.
    """
    return {"status": "ok"}


@get(
    "/ready",
    tags=["health"],
    operation_class=OpenOperation,
    responses={
        503: ResponseSpec(
            data_container=dict[str, Any],
            description="Not ready: the database does not answer or the data directory is "
            "short of room; the body says which, as the 200 body does",
        )
    },
)
async def ready(db: Database, app_settings: Settings) -> Response[dict[str, Any]]:
    """Readiness check.

    Ready when the database answers and the data directory has room for new files; 503
    otherwise. Needs no key.
    """
    free_mb = shutil.disk_usage(app_settings.data_dir).free / 2**20
    minimum_mb = app_settings.storage.min_free_mb
    body: dict[str, Any] = {
        "database": "ok" if await db.ping() else "unreachable",
        "disk": "ok" if free_mb >= minimum_mb else "low",
        "freeMb": round(free_mb),
        "minFreeMb": minimum_mb,
    }
    ok = body["database"] == "ok" and body["disk"] == "ok"
    body["status"] = "ready" if ok else "not ready"
    return Response(body, status_code=200 if ok else 503)
