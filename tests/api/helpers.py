"""What the API tests share: real image bytes, uploads, and problem-document checks."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import httpx
from PIL import Image, ImageDraw
from sqlalchemy import func, select

from graphq.db.database import Database
from graphq.db.models import ExtractionQueue, ExtractionResult, GraphImage, Job
from graphq.services.queues import DEFAULT_QUEUE
from tests.conftest import Service

AXES = {"x": {"min": 0, "max": 10, "unit": "V"}, "y": {"min": 0, "max": 100, "unit": "A"}}


def graph_png(width: int = 160, height: int = 120, *, seed: int = 0) -> bytes:
    """A small line plot: a frame and one curve, different for each seed."""
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((10, 10, width - 10, height - 10), outline="black")
    points = [
        (x, height - 10 - (x - 10) * (height - 20) // (width - 20) // (1 + seed % 3))
        for x in range(10, width - 10, 4)
    ]
    draw.line(points, fill="black", width=1)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def meta(**fields: Any) -> dict[str, Any]:
    return {"graphType": "output", "axes": AXES, **fields}


async def upload(
    service: Service,
    product_id: str,
    files: list[tuple[str, bytes]],
    metadata: list[Any] | str | None = None,
    **fields: str,
) -> httpx.Response:
    """POST a multipart body: the files as ``files`` parts, then the metadata and fields."""
    data = dict(fields)
    if metadata is not None:
        data["metadata"] = metadata if isinstance(metadata, str) else json.dumps(metadata)
    parts: list[tuple[str, tuple[str | None, bytes | str] | tuple[str, bytes, str]]] = [
        ("files", (name, content, "image/png")) for name, content in files
    ]
    parts += [(name, (None, value)) for name, value in data.items()]
    return await service.client.post(f"/api/product/{product_id}/images", files=parts)


def assert_problem(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    """The response is an RFC 9457 problem document with this status and stable code."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status
    assert body["code"] == code, body
    assert body["detail"]
    return body


def stored_files(service: Service) -> list[Path]:
    """Every file in the data directory except the database."""
    root = service.rt.settings.data_dir
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.name.startswith("graphq.db"))


async def image_rows(service: Service) -> int:
    """How many image rows the database holds."""
    async with service.db.read() as session:
        return (await session.execute(select(func.count(GraphImage.id)))).scalar_one()


async def seed_graph_results(
    service: Service, product_id: str, needs_review: tuple[bool, ...] = (False,)
) -> list[str]:
    """An output graph with one completed digitize run per entry of ``needs_review``, oldest
    first, written as the job would store them (through a connection of the test's own, not
    the app's: see ``tests.conftest.make_key``); their result ids."""
    db = Database(service.rt.settings.database_url)
    try:
        async with db.write() as session:
            default = ExtractionQueue.name == DEFAULT_QUEUE
            queue = await session.scalar(select(ExtractionQueue.id).where(default))
            image = GraphImage(
                product_id=product_id,
                filename="output.png",
                file_path="images/output.png",
                file_size=1,
                mime_type="image/png",
                width=1,
                height=1,
                sha256="0" * 64,
                graph_type="output",
                status="completed",
            )
            session.add(image)
            await session.flush()
            ids = []
            for doubtful in needs_review:
                job = Job(
                    product_id=product_id, image_id=image.id, queue_id=queue, status="completed"
                )
                session.add(job)
                await session.flush()
                result = ExtractionResult(
                    job_id=job.id,
                    product_id=product_id,
                    image_id=image.id,
                    result_metadata={"graphType": "output", "axes": {}, "curves": []},
                    needs_review=doubtful,
                    review_reasons=[{"code": "FAINT", "message": "faint ink"}] if doubtful else [],
                )
                session.add(result)
                await session.flush()
                ids.append(result.id)
    finally:
        await db.dispose()
    return ids
