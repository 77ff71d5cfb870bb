"""Changes a kind's ``store_in`` makes to existing rows, inside the caller's transaction (the
gathered path, on PostgreSQL, is in ``test_row_completions``)."""

from __future__ import annotations

from pathlib import Path
from typing import cast

from sqlalchemy import Table, select

from graphq.db.models import Product
from graphq.queue import row_updates
from tests.queue.helpers import queue_database

PRODUCTS = cast(Table, Product.__table__)


async def test_each_row_named_gets_its_own_values_and_a_new_update_time(tmp_path: Path) -> None:
    async with queue_database(tmp_path) as db:
        async with db.write() as session:
            session.add_all(
                [Product(id=name, name=name, part_number=name) for name in ("a", "b", "c")]
            )
        async with db.read() as session:
            products = (await session.execute(select(Product))).scalars()
            before = {product.id: product.updated_at for product in products}
        changes = [
            {"id": "a", "description": "first"},
            {"id": "b", "description": "second"},
            {"id": "c", "status": "archived", "description": "third"},
        ]
        await db.transact(lambda conn: row_updates.update_rows(conn, PRODUCTS, changes))
        async with db.read() as session:
            after = {
                p.id: (p.description, p.status, p.updated_at)
                for p in (await session.execute(select(Product))).scalars()
            }
    assert {key: value[:2] for key, value in after.items()} == {
        "p": ("", "active"),
        "a": ("first", "active"),
        "b": ("second", "active"),
        "c": ("third", "archived"),
    }
    assert all(after[key][2] > before[key] for key in "abc")
    assert after["p"][2] == before["p"]
