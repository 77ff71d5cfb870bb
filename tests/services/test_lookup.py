"""Rows by id read outside any session: as last committed, or NOT_FOUND."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import cast

import pytest
from sqlalchemy import Table

from graphq.db.database import Database
from graphq.db.models import Product
from graphq.errors import GraphqError
from graphq.services.lookup import fetch_now
from tests.conftest import Service

PRODUCTS = cast(Table, Product.__table__)


@asynccontextmanager
async def _own_database(service: Service) -> AsyncIterator[Database]:
    """The service's database opened on the test's own event loop: the app's pool belongs
    to the loop the app runs on, and asyncpg's connections cannot cross loops."""
    db = Database(service.rt.db.url)
    try:
        yield db
    finally:
        await db.dispose()


async def test_a_row_read_now_is_the_last_committed_one(service: Service) -> None:
    product = await service.create_product(name="before")
    async with _own_database(service) as db:
        assert (await fetch_now(db, PRODUCTS, product["id"], "product")).name == "before"
        path = f"/api/products/{product['id']}"
        renamed = await service.client.put(path, json={"name": "after"})
        assert renamed.status_code == 200
        assert (await fetch_now(db, PRODUCTS, product["id"], "product")).name == "after"


async def test_a_missing_row_read_now_is_not_found_by_its_noun(service: Service) -> None:
    async with _own_database(service) as db:
        with pytest.raises(GraphqError) as raised:
            await fetch_now(db, PRODUCTS, "no-such-id", "product")
    assert raised.value.code == "NOT_FOUND"
    assert "no product no-such-id" in raised.value.message
