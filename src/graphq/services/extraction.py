"""Starting digitizations: for a product's images, or once for an uploaded file."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from graphq.config import Settings
from graphq.db.database import Database
from graphq.db.models import ExtractionResult, GraphImage, Job, Product
from graphq.digitizer import probe_image
from graphq.digitizer.metadata import checked_graph_meta, parse_metadata_json
from graphq.digitizing import digitize_bytes
from graphq.errors import GraphqError
from graphq.llm_client import llm_endpoint
from graphq.queue.front import QueueFront
from graphq.queue.registry import Progress
from graphq.queue.vocabulary import Priority
from graphq.services.jobs import JobRequest, create_jobs
from graphq.services.lookup import fetch


async def extract_product(
    db: Database,
    front: QueueFront,
    product_id: str,
    *,
    image_ids: list[str] | None,
    priority: Priority,
    method: str,
    queue_id: str | None,
) -> list[Job]:
    """Digitize the named images, or every image that has no result yet (a graph read from a
    datasheet has one from its datasheet job)."""
    async with db.read() as session:
        await fetch(session, Product, product_id, "product")
        images = list(
            (
                await session.execute(select(GraphImage).where(GraphImage.product_id == product_id))
            ).scalars()
        )
        done = set(
            (
                await session.execute(
                    select(ExtractionResult.image_id).where(
                        ExtractionResult.product_id == product_id
                    )
                )
            ).scalars()
        )
    by_id = {image.id: image for image in images}
    if image_ids is not None:
        missing = [i for i in image_ids if i not in by_id]
        if missing:
            raise GraphqError("NOT_FOUND", f"images not in this product: {', '.join(missing)}")
        chosen = image_ids
    else:
        chosen = [image.id for image in images if image.id not in done]
    requests = [
        JobRequest(
            product_id=product_id,
            kind="digitize",
            image_id=image_id,
            queue_id=queue_id,
            priority=priority,
            extraction_method=method,
        )
        for image_id in chosen
    ]
    return await create_jobs(db, front, requests) if requests else []


def _digitize_upload(payload: dict[str, Any], progress: Progress) -> dict[str, Any]:
    output = digitize_bytes(
        payload["data"],
        payload["meta"],
        progress,
        method=payload["method"],
        max_bytes=payload["max_bytes"],
        max_pixels=payload["max_pixels"],
        with_overlay=False,
        llm=payload["llm"],
    )
    return output.result


async def extract_once(
    front: QueueFront, settings: Settings, data: bytes, meta_json: bytes | str, method: str
) -> dict[str, Any]:
    """Digitize an uploaded file directly (no job, nothing stored), in the worker pool."""
    llm = llm_endpoint(settings)
    if method == "llm" and llm is None:
        raise GraphqError(
            "LLM_NOT_CONFIGURED",
            "no LLM endpoint is configured (set [llm] endpoint in config.toml)",
        )
    raw_meta = parse_metadata_json(meta_json)
    if not isinstance(raw_meta, dict):
        raise GraphqError("MALFORMED_METADATA", "metadata must be a JSON object")
    checked_graph_meta(raw_meta, method)  # without axes, they are read off the image
    uploads = settings.uploads
    limits = {"max_bytes": uploads.max_file_mb * 2**20, "max_pixels": uploads.max_pixels}
    probe_image(data, **limits)

    payload = {"data": data, "meta": raw_meta, "method": method, "llm": llm, **limits}
    return await front.run_in_pool(_digitize_upload, payload)
