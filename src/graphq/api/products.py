"""Products CRUD."""

from __future__ import annotations

import msgspec
from litestar import Controller, delete, get, post, put

from graphq.api import views
from graphq.api.auth import admin, operator
from graphq.api.deps import Limit, Offset
from graphq.api.schemas import Page, ProductCreate, ProductOut, ProductUpdate
from graphq.db.database import Database
from graphq.queue.front import QueueFront
from graphq.services import products
from graphq.storage import Storage


class ProductController(Controller):
    path = "/api/products"
    tags = ["products"]

    @get("/")
    async def list_products(
        self,
        db: Database,
        search: str | None = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> Page:
        """List products.

        Products newest first, a page at a time (``limit``, ``offset``); ``search`` matches
        the part number, name or manufacturer, case-insensitively.
        """
        rows, total = await products.list_products(db, search=search, limit=limit, offset=offset)
        return Page(items=[views.product(r) for r in rows], total=total, limit=limit, offset=offset)

    @post("/", guards=[operator])
    async def create_product(self, db: Database, data: ProductCreate) -> ProductOut:
        """Create a product.

        A transistor part number to collect graphs, results and models under. ``partNumber``
        is unique (409 DUPLICATE_PRODUCT); ``deviceType`` (``Si-MOSFET``, ``SiC-MOSFET``,
        ``GaN-HEMT``, ``P-MOSFET`` …) decides the default SPICE model type.
        """
        return views.product(await products.create_product(db, msgspec.structs.asdict(data)))

    @get("/{product_id:str}")
    async def get_product(self, db: Database, product_id: str) -> ProductOut:
        """Get a product.

        The product's fields.
        """
        return views.product(await products.get_product(db, product_id))

    @put("/{product_id:str}", guards=[operator])
    async def update_product(
        self, db: Database, product_id: str, data: ProductUpdate
    ) -> ProductOut:
        """Update a product.

        Changes the fields given; the others stay as they are.
        """
        changes = {k: v for k, v in msgspec.structs.asdict(data).items() if v is not None}
        return views.product(await products.update_product(db, product_id, changes))

    @delete("/{product_id:str}", guards=[admin])
    async def delete_product(
        self, db: Database, front: QueueFront, storage: Storage, product_id: str
    ) -> None:
        """Delete a product.

        Deletes the product with its images, datasheets, jobs, results and models, and their
        files; its unfinished jobs are cancelled first.
        """
        await products.delete_product(db, front, storage, product_id)
