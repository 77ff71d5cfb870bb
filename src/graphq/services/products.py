"""Products: the transistor part numbers everything else hangs off."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError

from graphq.db.database import Database
from graphq.db.models import Product
from graphq.errors import GraphqError
from graphq.queue.front import QueueFront
from graphq.services.jobs import cancel_product_jobs
from graphq.services.lookup import fetch
from graphq.storage import Storage


async def get_product(db: Database, product_id: str) -> Product:
    async with db.read() as session:
        return await fetch(session, Product, product_id, "product")


async def create_product(db: Database, fields: dict[str, Any]) -> Product:
    product = Product(**fields)
    try:
        async with db.write() as session:
            session.add(product)
    except IntegrityError:
        raise GraphqError(
            "DUPLICATE_PART_NUMBER",
            f"a product with part number {fields['part_number']!r} exists",
        ) from None
    return product


async def list_products(
    db: Database, *, search: str | None, limit: int, offset: int
) -> tuple[list[Product], int]:
    query = select(Product)
    if search:
        if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in search):
            # A NUL ends the string inside SQLite's LIKE and would match every product.
            raise GraphqError("INVALID_REQUEST", "search text may not contain control characters")
        # The user's text is matched literally: %, _ and the escape character itself are
        # escaped, so "%" finds products with a percent sign, not every product.
        literal = search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern = f"%{literal}%"
        query = query.where(
            or_(
                Product.name.ilike(pattern, escape="\\"),
                Product.part_number.ilike(pattern, escape="\\"),
                Product.manufacturer.ilike(pattern, escape="\\"),
            )
        )
    async with db.read() as session:
        total = (
            await session.execute(select(func.count()).select_from(query.subquery()))
        ).scalar_one()
        rows = await session.execute(
            query.order_by(Product.created_at.desc()).limit(limit).offset(offset)
        )
        return list(rows.scalars()), int(total)


async def update_product(db: Database, product_id: str, changes: dict[str, Any]) -> Product:
    try:
        async with db.write() as session:
            product = await fetch(session, Product, product_id, "product")
            for name, value in changes.items():
                setattr(product, name, value)
    except IntegrityError:
        raise GraphqError("DUPLICATE_PART_NUMBER", "another product has that part number") from None
    return product


async def delete_product(
    db: Database, front: QueueFront, storage: Storage, product_id: str
) -> None:
    """Delete the product, its rows (by cascade) and its files; running jobs are cancelled first."""
    await get_product(db, product_id)
    await cancel_product_jobs(db, front, product_id)
    async with db.write(long=True) as session:
        product = await session.get(Product, product_id)
        if product is not None:
            await session.delete(product)
    storage.remove_product(product_id)
