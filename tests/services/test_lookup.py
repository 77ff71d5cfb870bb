"""Rows by id read outside any session: as last committed, or NOT_FOUND."""

from __future__ import annotations

from typing import cast

import pytest
from sqlalchemy import Table

from graphq.db.models import Product
from graphq.errors import GraphqError
from graphq.services.lookup import fetch_now
from tests.conftest import Service

PRODUCTS = cast(Table, Product.__table__)


async def test_a_row_read_now_is_the_last_committed_one(service: Service) -> None:
    product = await service.create_product(name="before")
    db = service.rt.db
    assert (await fetch_now(db, PRODUCTS, product["id"], "product")).name == "before"
    renamed = await service.client.put(f"/api/products/{product['id']}", json={"name": "after"})
    assert renamed.status_code == 200
    assert (await fetch_now(db, PRODUCTS, product["id"], "product")).name == "after"


async def test_a_missing_row_read_now_is_not_found_by_its_noun(service: Service) -> None:
    with pytest.raises(GraphqError) as raised:
        await fetch_now(service.rt.db, PRODUCTS, "no-such-id", "product")
    assert raised.value.code == "NOT_FOUND"
    assert "no product no-such-id" in raised.value.message
