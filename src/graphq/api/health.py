"""Liveness and readiness, open without a key."""

from __future__ import annotations

from litestar import get
from litestar.response import Response

from graphq.runtime import Runtime


@get("/health", tags=["health"])
async def health() -> dict[str, str]:
    return {"status": "ok"}


@get("/ready", tags=["health"])
async def ready(rt: Runtime) -> Response[dict[str, str]]:
    if await rt.db.ping():
        return Response({"status": "ready", "database": "ok"})
    return Response({"status": "not ready", "database": "unreachable"}, status_code=503)
