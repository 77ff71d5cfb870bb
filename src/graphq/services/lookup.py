"""Rows by id, or the NOT_FOUND problem every service answers for a missing one."""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from graphq.errors import GraphqError

Row = TypeVar("Row")


async def fetch(session: AsyncSession, model: type[Row], row_id: str, noun: str) -> Row:
    """The row of ``model`` with ``row_id``; ``NOT_FOUND`` (404) naming it as ``noun``."""
    row = await session.get(model, row_id)
    if row is None:
        raise GraphqError("NOT_FOUND", f"no {noun} {row_id}")
    return row
