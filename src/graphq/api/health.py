"""Liveness and readiness, open without a key."""

from __future__ import annotations

from dataclasses import dataclass

from litestar import get
from litestar.openapi.spec import Operation
from litestar.response import Response

from graphq.runtime import Runtime


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
    return {"status": "ok"}


@get("/ready", tags=["health"], operation_class=OpenOperation)
async def ready(rt: Runtime) -> Response[dict[str, str]]:
    if await rt.db.ping():
        return Response({"status": "ready", "database": "ok"})
    return Response({"status": "not ready", "database": "unreachable"}, status_code=503)
