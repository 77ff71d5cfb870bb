"""The ``spice_fit`` job kind: a product's digitized curves to a verified SPICE model.

``prepare`` gathers the newest completed extraction of each image; ``compute`` (worker
process) fits, simulates the written file with ngspice when installed, and draws the report;
``store`` numbers the model as the product's next version. A model ngspice refuses raises
MODEL_REJECTED and never becomes a result. A model the quality gate doubts (curves left
out, conditions assumed, curves beyond their limits, parameters on a bound or against the
device type; :mod:`graphq.spice.quality`) is stored with ``needs_review`` and its reasons,
and its job completes marked ``needs_review``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

import msgspec
from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from graphq.db.models import Datasheet, ExtractionResult, Job, Product, SpiceModel
from graphq.errors import GraphqError
from graphq.queue.registry import HandlerRegistry, JobContext, Progress, decode_parameters
from graphq.spice import (
    FitInput,
    GraphCurves,
    default_model_type,
    fit_input_from_graphs,
    fit_model,
    render_report_png,
    spice_name,
    verify_with_ngspice,
)
from graphq.spice.datasheet_tables import read_datasheet_tables
from graphq.spice.fit import ModelType
from graphq.spice.graph_curves import graph_name
from graphq.spice.model_file import ModelName
from graphq.spice.quality import combined_review
from graphq.storage import Storage

# Share of the compute stage: fitting, then verification in ngspice, then the report image.
_FIT_SHARE, _VERIFY_SHARE = 0.7, 0.2


class SpiceFitParameters(msgspec.Struct, rename="camel", forbid_unknown_fields=True):
    """What a ``spice_fit`` job may be told: the model type, the model's name, and the
    datasheet's junction-to-case thermal resistance in K/W (self-heating is fitted up to
    it; where not given, the product's newest datasheet PDF is read for it)."""

    model_type: ModelType | None = None
    name: ModelName | None = None
    # Power parts' Rth(j-c) lie well under 100 K/W; the bound keeps an infinite one out.
    rthjc_k_per_w: Annotated[float, msgspec.Meta(gt=0.0, le=1000.0)] | None = None


class SpiceOutput(msgspec.Struct):
    fit: dict[str, Any]
    verification: dict[str, Any] | None
    report_png: bytes
    # Each other dialect's text simulated in ngspice like the model file, by dialect.
    dialect_verification: dict[str, dict[str, Any]] = msgspec.field(default_factory=dict)


def _datasheet_tables(payload: dict[str, Any], inputs: FitInput) -> None:
    """The Rth(j-c) the job was given, else the one the product's datasheet prints; and
    the datasheet's electrical table (threshold, RDS(on)) where there is a datasheet."""
    given = payload.get("rthjc_k_per_w")
    if given is not None:
        inputs.rthjc_k_per_w, inputs.rthjc_source = given, "given with the job"
    path = payload.get("datasheet_path")
    if path is None:
        return
    try:
        pdf = Path(path).read_bytes()
    except OSError as exc:  # the fit goes on without the tables, and says so
        inputs.warnings.append(f"the datasheet could not be read for its tables: {exc}")
        return
    read_datasheet_tables(pdf, inputs)


def fit_product(payload: dict[str, Any], progress: Progress) -> SpiceOutput:
    graphs = [msgspec.convert(g, GraphCurves) for g in payload["graphs"]]
    inputs = fit_input_from_graphs(graphs, payload["device_type"])
    _datasheet_tables(payload, inputs)
    fit = fit_model(
        inputs,
        model_type=payload["model_type"],
        name=payload["name"],
        progress=lambda fraction, step: progress(fraction * _FIT_SHARE, step),
    )
    progress(_FIT_SHARE, "verifying the model in ngspice")
    verification = verify_with_ngspice(fit, inputs)
    dialects = {name: verify_with_ngspice(fit, inputs, name) for name in fit.dialects}
    fit.review = combined_review(fit.review, verification, dialects)
    progress(_FIT_SHARE + _VERIFY_SHARE, "drawing the fit report")
    return SpiceOutput(
        fit=msgspec.to_builtins(fit),
        verification=msgspec.to_builtins(verification) if verification is not None else None,
        report_png=render_report_png(fit, inputs),
        dialect_verification={
            name: msgspec.to_builtins(result)
            for name, result in dialects.items()
            if result is not None
        },
    )


# Job kinds whose results are graphs: a digitized image, or a graph read from a datasheet.
_GRAPH_KINDS = ("digitize", "datasheet")


def _graph_results(product_id: str) -> Select[ExtractionResult]:
    """The product's results that are graphs (of an image, by a graph-reading job kind)."""
    return (
        select(ExtractionResult)
        .join(Job, Job.id == ExtractionResult.job_id)
        .where(
            ExtractionResult.product_id == product_id,
            ExtractionResult.image_id.is_not(None),
            Job.kind.in_(_GRAPH_KINDS),
        )
    )


def _missing_curves() -> GraphqError:
    return GraphqError(
        "MISSING_CURVES",
        "the product has no digitized graphs yet; extract its images first",
    )


async def latest_graphs(session: AsyncSession, product_id: str) -> list[dict[str, Any]]:
    """The newest completed extraction of each image of the product, with the graph's
    conditions (a datasheet graph's caption and notes; each curve carries its own)."""
    query = _graph_results(product_id).order_by(ExtractionResult.created_at)
    rows = (await session.execute(query)).scalars()
    newest: dict[str, ExtractionResult] = {}
    for row in rows:
        newest[row.image_id or ""] = row
    return [
        {
            "graph_type": r.result_metadata.get("graphType", "custom"),
            "axes": r.result_metadata.get("axes") or {},
            "curves": r.result_metadata.get("curves") or [],
            "conditions": r.result_metadata.get("conditions") or {},
            "name": stored_graph_name(r.result_metadata),
        }
        for r in newest.values()
    ]


def stored_graph_name(metadata: dict[str, Any]) -> str:
    """A datasheet graph's type, page and caption; empty for an uploaded image (the fit then
    numbers its graphs)."""
    page, caption = metadata.get("page"), str(metadata.get("caption") or "")
    if page is None and not caption:
        return ""
    return graph_name(str(metadata.get("graphType", "custom")), page, caption)


async def newest_datasheet(session: AsyncSession, product_id: str) -> Datasheet | None:
    """The product's newest uploaded datasheet PDF, whose tables give its Rth(j-c)."""
    query = (
        select(Datasheet)
        .where(Datasheet.product_id == product_id)
        .order_by(Datasheet.created_at.desc())
        .limit(1)
    )
    return (await session.execute(query)).scalars().first()


class SpiceFitHandler:
    kind = "spice_fit"
    runs_in: Literal["process", "loop"] = "process"
    parameters_type = SpiceFitParameters
    compute = staticmethod(fit_product)

    async def admit(self, session: AsyncSession, product_id: str) -> None:
        """Refused when the job is asked for (409), not dead-lettered later: a product
        without graphs has nothing to fit."""
        found = await session.execute(_graph_results(product_id).limit(1))
        if found.first() is None:
            raise _missing_curves()

    async def prepare(self, ctx: JobContext) -> dict[str, Any]:
        # Decoded again here: a job stored before its kind checked parameters must not run.
        parameters = decode_parameters(self.kind, ctx.job.parameters, SpiceFitParameters)
        async with ctx.db.read() as session:
            product = await session.get(Product, ctx.job.product_id)
            if product is None:
                raise GraphqError("NOT_FOUND", f"product {ctx.job.product_id} no longer exists")
            graphs = await latest_graphs(session, product.id)
            datasheet = await newest_datasheet(session, product.id)
        if not graphs:
            raise _missing_curves()
        return {
            "graphs": graphs,
            "device_type": product.device_type,
            "model_type": parameters.model_type or default_model_type(product.device_type),
            "name": parameters.name or spice_name(product.part_number),
            "rthjc_k_per_w": parameters.rthjc_k_per_w,
            # Its Rth(j-c) is read in the worker (OCR of a page without text takes seconds).
            "datasheet_path": (
                str(ctx.settings.data_dir / datasheet.file_path) if datasheet is not None else None
            ),
        }

    async def store(self, ctx: JobContext, session: AsyncSession, output: SpiceOutput) -> bool:
        """Store the model as the product's next version; True when it needs review (the
        queue marks the job so in the same transaction)."""
        job = ctx.job
        # Nodes sharing PostgreSQL may store two fits of one product at once: the product's
        # row lock (NO KEY UPDATE: new jobs of the product still go in) makes the second wait
        # for the first to commit, then read its version. SQLite has one writer anyway.
        await session.execute(
            select(Product.id).where(Product.id == job.product_id).with_for_update(key_share=True)
        )
        latest = (
            await session.execute(
                select(func.max(SpiceModel.version)).where(SpiceModel.product_id == job.product_id)
            )
        ).scalar_one()
        storage = Storage(ctx.settings.data_dir)
        lib_path = storage.model_path(job.product_id, job.id, ".lib")
        report_path = storage.model_path(job.product_id, job.id, ".report.png")
        fit = output.fit
        reasons = (fit.get("review") or {}).get("reasons", [])
        storage.write_atomic(lib_path, fit["modelText"].encode())
        storage.write_atomic(report_path, output.report_png)
        session.add(
            SpiceModel(
                product_id=job.product_id,
                job_id=job.id,
                model_type=fit["modelType"],
                name=fit["name"],
                parameters=fit["parameters"],
                model_text=fit["modelText"],
                model_file_path=storage.relative(lib_path),
                report_file_path=storage.relative(report_path),
                fit_report={
                    "curves": fit["report"],
                    "fitted": fit["fitted"],
                    "defaulted": fit["defaulted"],
                    "fitTimeS": fit["fitTimeS"],
                    "warnings": fit.get("warnings", []),
                    "pchan": fit["pchan"],
                    "uncertainty": fit.get("uncertainty", {}),
                    "atBound": fit.get("atBound", []),
                    # Other simulators' texts of the model, served by model.lib?dialect=,
                    # each with its own ngspice verification.
                    "dialects": fit.get("dialects", {}),
                    "dialectVerification": output.dialect_verification,
                },
                verification=output.verification,
                version=(latest or 0) + 1,
                needs_review=bool(reasons),
                review_reasons=reasons,
            )
        )
        return bool(reasons)


def register(registry: HandlerRegistry) -> None:
    registry.register(SpiceFitHandler())
