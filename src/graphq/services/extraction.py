"""Starting digitizations: for a product's images, or once for an uploaded file."""

from __future__ import annotations

from typing import Any

import msgspec
from sqlalchemy import select

from graphq.db.models import ExtractionResult, GraphImage, Job
from graphq.digitizer import probe_image
from graphq.errors import GraphqError
from graphq.jobs.digitize import checked_meta, digitize_bytes
from graphq.llm_client import llm_endpoint
from graphq.queue.registry import Progress
from graphq.runtime import Runtime
from graphq.services.jobs import JobRequest, create_jobs


async def extract_product(
    rt: Runtime,
    product_id: str,
    *,
    image_ids: list[str] | None,
    priority: str,
    method: str,
    queue_id: str | None,
) -> list[Job]:
    """Digitize the named images, or every image that has no result yet (a graph read from a
    datasheet has one from its datasheet job)."""
    async with rt.db.read() as session:
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
            raise GraphqError(
                "NOT_FOUND", f"images not in this product: {', '.join(missing)}", status=404
            )
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
    return await create_jobs(rt, requests) if requests else []


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
    rt: Runtime, data: bytes, meta_json: bytes | str, method: str
) -> dict[str, Any]:
    """Digitize an uploaded file directly (no job, nothing stored), in the worker pool."""
    llm = llm_endpoint(rt.settings)
    if method == "llm" and llm is None:
        raise GraphqError(
            "LLM_NOT_CONFIGURED",
            "no LLM endpoint is configured (set [llm] endpoint in config.toml)",
            status=501,
        )
    try:
        raw_meta = msgspec.json.decode(meta_json)
    except msgspec.DecodeError as exc:
        raise GraphqError(
            "INVALID_METADATA", f"metadata is not valid JSON: {exc}", status=400
        ) from None
    if not isinstance(raw_meta, dict):
        raise GraphqError("INVALID_METADATA", "metadata must be a JSON object", status=400)
    checked_meta(raw_meta, method)  # without axes, they are read off the image
    uploads = rt.settings.uploads
    limits = {"max_bytes": uploads.max_file_mb * 2**20, "max_pixels": uploads.max_pixels}
    probe_image(data, **limits)

    async def ignore_progress(_fraction: float, _step: str) -> None:
        return None

    payload = {"data": data, "meta": raw_meta, "method": method, "llm": llm, **limits}
    return await rt.engine.ctx.pool.run(_digitize_upload, payload, ignore_progress)
