"""SPICE models: start a fit, list versions, download the model file and its report."""

from __future__ import annotations

from litestar import Controller, get, post
from litestar.response import File, Response

from graphq.api import views
from graphq.api.auth import operator
from graphq.api.schemas import JobOut, SpiceModelOut, SpiceRequest
from graphq.db.database import Database
from graphq.queue.front import QueueFront
from graphq.services import results
from graphq.storage import Storage


class SpiceController(Controller):
    path = "/api"
    tags = ["spice"]

    @post("/product/{product_id:str}/spice", guards=[operator])
    async def start_fit(
        self, db: Database, front: QueueFront, product_id: str, data: SpiceRequest | None = None
    ) -> JobOut:
        """Start a SPICE fit.

        Queues a ``spice_fit`` job over the product's digitized graphs; 409 MISSING_CURVES
        when it has none yet. ``modelType`` (``vdmos`` or ``gan-epc``) defaults from the
        product's device type.
        """
        request = data or SpiceRequest()
        job = await results.start_fit(
            db,
            front,
            product_id,
            model_type=request.model_type,
            name=request.name,
            priority=request.priority,
            queue_id=request.queue_id,
        )
        return views.job(job)

    @get("/product/{product_id:str}/spice-models")
    async def product_models(self, db: Database, product_id: str) -> list[SpiceModelOut]:
        """List a product's SPICE models.

        Every fitted model of the product, by version.
        """
        return [views.spice_model(m) for m in await results.product_models(db, product_id)]

    @get("/spice-models/{model_id:str}")
    async def get_model(self, db: Database, model_id: str) -> SpiceModelOut:
        """Get a SPICE model.

        The model's parameters, fit report (per-curve error), ngspice verification, and
        review reasons.
        """
        return views.spice_model(await results.get_model(db, model_id))

    @get("/spice-models/{model_id:str}/model.lib", media_type="text/plain")
    async def model_file(
        self, db: Database, storage: Storage, model_id: str, dialect: str | None = None
    ) -> File | Response[str]:
        """Download a SPICE model file.

        The model file, or with ``dialect=pspice`` the same model as a PSpice-style
        subcircuit (stored with the fit, verified in ngspice like the file).
        """
        model = await results.get_model(db, model_id)
        if dialect is None or dialect == model.model_type:
            path = results.stored_file(storage, model.model_file_path, "model")
            return File(path, filename=f"{model.name}.lib", media_type="text/plain")
        text = results.dialect_text(model, dialect)
        disposition = f'attachment; filename="{model.name}.{dialect}.lib"'
        return Response(text, media_type="text/plain", headers={"Content-Disposition": disposition})

    @get("/spice-models/{model_id:str}/report.png", media_type="image/png")
    async def report_image(self, db: Database, storage: Storage, model_id: str) -> File:
        """Download a fit report image.

        The digitized points against the fitted model, per graph.
        """
        model = await results.get_model(db, model_id)
        path = results.stored_file(storage, model.report_file_path, "report")
        return File(path, media_type="image/png", content_disposition_type="inline")
