"""Product pages: list, search and create; one product with its datasheets, graphs and fits.

Every action calls the service function its API route calls (``POST /api/products``,
``/api/product/{id}/images``, ``/datasheets``, ``/spice``, ``DELETE /api/products/{id}``),
with the same checks, so a page can do nothing a script with the same key could not.
"""

from __future__ import annotations

import json
from typing import Any, get_args

from litestar import Controller, Request, get, post
from litestar.datastructures import FormMultiDict
from litestar.params import Parameter
from litestar.response import Redirect, Template

from graphq.api import views
from graphq.api.forms import file_parts, job_fields
from graphq.config import Settings
from graphq.db.database import Database
from graphq.digitizer.types import GraphType
from graphq.errors import GraphqError
from graphq.queue.front import QueueFront
from graphq.queue.vocabulary import Priority
from graphq.services import datasheets, images, products, results
from graphq.spice.fit import MODEL_TYPES
from graphq.storage import Storage
from graphq.web.access import Visitor, checked_form
from graphq.web.graphs import product_graphs, product_jobs
from graphq.web.pages import done, failed, fragment, render

PAGE_SIZE = 50
GRAPH_TYPES: tuple[str, ...] = get_args(GraphType)
PRODUCT_FIELDS = ("name", "part_number", "manufacturer", "device_type", "package", "description")


def _text(form: FormMultiDict, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def _number(form: FormMultiDict, name: str) -> float:
    try:
        return float(_text(form, name))
    except ValueError:
        raise GraphqError("INVALID_METADATA", f"{name} must be a number") from None


def axes_from_form(form: FormMultiDict) -> dict[str, Any]:
    """The ``axes`` of SPEC §4 from the axis fields every graph form has."""
    return {
        axis: {
            "min": _number(form, f"{axis}_min"),
            "max": _number(form, f"{axis}_max"),
            "scale": "log" if _text(form, f"{axis}_scale") == "log" else "linear",
        }
        for axis in ("x", "y")
    }


def _graph_metadata(form: FormMultiDict, count: int) -> str | None:
    """One metadata object for each file, all alike; none when no axis range was given."""
    if not _text(form, "x_min"):
        return None
    meta: dict[str, Any] = {"graphType": _text(form, "graph_type") or "custom"}
    meta["axes"] = axes_from_form(form)
    labels = [label.strip() for label in _text(form, "labels").split(",") if label.strip()]
    if labels:
        meta["labels"] = labels
    return json.dumps([meta] * count)


class ProductPages(Controller):
    path = "/products"

    @get("/")
    async def product_list(
        self,
        db: Database,
        visitor: Visitor,
        search: str = "",
        offset: int = Parameter(default=0, ge=0, le=2**31 - 1),
    ) -> Template:
        rows, total = await products.list_products(
            db, search=search or None, limit=PAGE_SIZE, offset=offset
        )
        return render(
            visitor,
            "products.html",
            products=[views.product(r) for r in rows],
            total=total,
            search=search,
            offset=offset,
            page_size=PAGE_SIZE,
        )

    @post("/", status_code=303)
    async def create_product(
        self, db: Database, request: Request[Any, Any, Any], visitor: Visitor
    ) -> Redirect:
        form = await checked_form(request, visitor)
        visitor.need("operator")
        fields = {name: _text(form, name) for name in PRODUCT_FIELDS}
        fields["device_type"] = fields["device_type"] or "Si-MOSFET"
        if not fields["name"] or not fields["part_number"]:
            return failed(
                visitor, "/products", GraphqError("INVALID_REQUEST", "name and part number")
            )
        try:
            product = await products.create_product(db, fields)
        except GraphqError as error:
            return failed(visitor, "/products", error)
        return done(visitor, f"/products/{product.id}", f"created {product.part_number}")

    @get("/{product_id:str}")
    async def product_page(self, db: Database, visitor: Visitor, product_id: str) -> Template:
        product = views.product(await products.get_product(db, product_id))
        return render(
            visitor,
            "product.html",
            product=product,
            graph_types=GRAPH_TYPES,
            **await _live_context(db, product_id),
        )

    @get("/{product_id:str}/live")
    async def product_live(self, db: Database, visitor: Visitor, product_id: str) -> Template:
        """The parts of the product page that change as jobs run, refetched on events."""
        product = views.product(await products.get_product(db, product_id))
        context = await _live_context(db, product_id)
        return fragment(visitor, "product_live.html", product=product, **context)

    @post("/{product_id:str}/images", status_code=303)
    async def upload_images(
        self,
        db: Database,
        front: QueueFront,
        storage: Storage,
        app_settings: Settings,
        request: Request[Any, Any, Any],
        visitor: Visitor,
        product_id: str,
    ) -> Redirect:
        form = await checked_form(request, visitor)
        visitor.need("operator")
        back = f"/products/{product_id}"
        try:
            uploads = await file_parts(form)
            priority, queue_id = await job_fields(form)
            metadata = _graph_metadata(form, len(uploads))
            extract = None
            if _text(form, "auto_extract") and metadata is not None:
                extract = images.ExtractOptions(priority=priority, queue_id=queue_id)
            stored, jobs = await images.upload_images(
                db, front, storage, app_settings.uploads, product_id, uploads, metadata, extract
            )
        except GraphqError as error:
            return failed(visitor, back, error)
        return done(visitor, back, f"uploaded {len(stored)} image(s), started {len(jobs)} job(s)")

    @post("/{product_id:str}/datasheets", status_code=303)
    async def upload_datasheets(
        self,
        db: Database,
        front: QueueFront,
        storage: Storage,
        app_settings: Settings,
        request: Request[Any, Any, Any],
        visitor: Visitor,
        product_id: str,
    ) -> Redirect:
        form = await checked_form(request, visitor)
        visitor.need("operator")
        back = f"/products/{product_id}"
        try:
            priority, queue_id = await job_fields(form)
            stored, jobs = await datasheets.upload_datasheets(
                db,
                front,
                storage,
                app_settings.uploads,
                product_id,
                await file_parts(form),
                images.ExtractOptions(priority, queue_id),
            )
        except GraphqError as error:
            return failed(visitor, back, error)
        return done(visitor, back, f"uploaded {len(stored)} datasheet(s), started {len(jobs)}")

    @post("/{product_id:str}/fit", status_code=303)
    async def start_fit(
        self,
        db: Database,
        front: QueueFront,
        request: Request[Any, Any, Any],
        visitor: Visitor,
        product_id: str,
    ) -> Redirect:
        form = await checked_form(request, visitor)
        visitor.need("operator")
        back = f"/products/{product_id}"
        model_type = _text(form, "model_type")
        try:
            if model_type and model_type not in MODEL_TYPES:
                raise GraphqError(
                    "INVALID_REQUEST", f"model type is one of {', '.join(MODEL_TYPES)}"
                )
            job = await results.start_fit(
                db,
                front,
                product_id,
                model_type=model_type or None,
                name=None,
                priority=Priority.NORMAL,
                queue_id=None,
            )
        except GraphqError as error:
            return failed(visitor, back, error)
        return done(visitor, back, f"started fit job {job.id}")

    @post("/{product_id:str}/delete", status_code=303)
    async def delete_product(
        self,
        db: Database,
        front: QueueFront,
        storage: Storage,
        request: Request[Any, Any, Any],
        visitor: Visitor,
        product_id: str,
    ) -> Redirect:
        await checked_form(request, visitor)
        visitor.need("admin")
        try:
            await products.delete_product(db, front, storage, product_id)
        except GraphqError as error:
            return failed(visitor, f"/products/{product_id}", error)
        return done(visitor, "/products", "product deleted")


async def _live_context(db: Database, product_id: str) -> dict[str, Any]:
    jobs = await product_jobs(db, product_id)
    return {
        "graphs": await product_graphs(db, product_id, jobs),
        "datasheets": [
            views.datasheet(d) for d in await datasheets.list_datasheets(db, product_id)
        ],
        "fit_jobs": [j for j in jobs if j.kind == "spice_fit"][:5],
        "models": [
            views.spice_model(m) for m in reversed(await results.product_models(db, product_id))
        ],
    }
