"""No request text reaches a model file or ngspice as a directive.

The attack: a model name holding a ``.control`` block with ``shell``. Written raw into the
model file, ngspice runs the command during verification, and so does every user who
simulates the downloaded file. Every route that creates a ``spice_fit`` job refuses the name,
and a job already stored with it (written before its kind checked parameters) dies with
INVALID_PARAMETERS without running.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import anyio
import pytest

from graphq.config import Settings
from graphq.db.database import Database
from graphq.db.migrate import upgrade
from graphq.db.models import ExtractionQueue, ExtractionResult, GraphImage, Job, Product
from graphq.services.queues import DEFAULT_QUEUE
from graphq.spice.ngspice import ngspice_available
from tests.api.helpers import assert_problem
from tests.conftest import ONE_WORKER, Service, make_settings, start_service
from tests.spice.devices import VDMOS_DEVICES, datasheet_graphs

pytestmark = pytest.mark.skipif(not ngspice_available(), reason="ngspice is not installed")

JOB_TIMEOUT_S = 120


def hostile_name(marker: Path) -> str:
    """The outside tester's payload, touching ``marker`` instead of ``/tmp/MARKER``."""
    return f"X\n.control\nshell touch {marker}\n.endc\n*"


@dataclass
class Seeded:
    service: Service
    product_id: str
    stored_hostile_job_id: str
    marker: Path


async def seed(settings: Settings, marker: Path) -> tuple[str, str]:
    """A product with digitized output, transfer and capacitance curves, and a ``spice_fit``
    job stored with the hostile name, as a database written before the fix would hold it."""
    await anyio.to_thread.run_sync(upgrade, settings)
    db = Database(settings.database_url)
    try:
        async with db.write() as session:
            queue = ExtractionQueue(name=DEFAULT_QUEUE, max_concurrent_jobs=2)
            product = Product(name="Known FET", part_number="KNOWN-FET")
            session.add_all([queue, product])
            await session.flush()
            for graph in datasheet_graphs(VDMOS_DEVICES[1].datasheet()):
                image = GraphImage(
                    product_id=product.id,
                    filename=f"{graph['graph_type']}.png",
                    file_path=f"images/{graph['graph_type']}.png",
                    file_size=1,
                    mime_type="image/png",
                    width=1,
                    height=1,
                    sha256="0" * 64,
                    graph_type=graph["graph_type"],
                    status="completed",
                )
                session.add(image)
                await session.flush()
                digitized = Job(
                    product_id=product.id,
                    image_id=image.id,
                    queue_id=queue.id,
                    status="completed",
                )
                session.add(digitized)
                await session.flush()
                metadata = {
                    "graphType": graph["graph_type"],
                    "axes": graph["axes"],
                    "curves": graph["curves"],
                }
                session.add(
                    ExtractionResult(
                        job_id=digitized.id,
                        product_id=product.id,
                        image_id=image.id,
                        result_metadata=metadata,
                    )
                )
            hostile = Job(
                product_id=product.id,
                queue_id=queue.id,
                kind="spice_fit",
                parameters={"name": hostile_name(marker)},
            )
            session.add(hostile)
            await session.flush()
            return product.id, hostile.id
    finally:
        await db.dispose()


@pytest.fixture
async def seeded(tmp_path: Path) -> AsyncIterator[Seeded]:
    settings = make_settings(tmp_path / "data", queue=ONE_WORKER)
    marker = tmp_path / "MARKER"
    product_id, job_id = await seed(settings, marker)
    async for running in start_service(settings, ["graphq.jobs.spice_fit"]):
        yield Seeded(running, product_id, job_id, marker)


async def test_every_route_that_creates_a_fit_refuses_a_name_that_would_run_a_shell(
    seeded: Seeded,
) -> None:
    client, product_id = seeded.service.client, seeded.product_id
    parameters: dict[str, Any] = {"name": hostile_name(seeded.marker)}
    job_body = {"productId": product_id, "kind": "spice_fit", "parameters": parameters}

    assert_problem(await client.post("/api/job/create", json=job_body), 422, "INVALID_PARAMETERS")
    batch = await client.post("/api/batch/create", json={"jobs": [job_body]})
    assert_problem(batch, 422, "INVALID_PARAMETERS")
    spice = await client.post(f"/api/product/{product_id}/spice", json=parameters)
    assert_problem(spice, 400, "INVALID_REQUEST")
    unknown = {**job_body, "parameters": {"modelType": "vdmos", "netlist": ".control"}}
    assert_problem(await client.post("/api/job/create", json=unknown), 422, "INVALID_PARAMETERS")

    stored = await seeded.service.wait_for_job(
        seeded.stored_hostile_job_id, {"dead", "completed"}, JOB_TIMEOUT_S
    )
    assert (stored["status"], stored["error"]["code"]) == ("dead", "INVALID_PARAMETERS")

    # A fit under a safe name runs end to end: its model file holds no directive it should not.
    safe = await client.post(
        "/api/job/create",
        json={**job_body, "parameters": {"name": "KNOWN-FET_v2", "modelType": "vdmos"}},
    )
    assert safe.status_code == 201, safe.text
    done = await seeded.service.wait_for_job(
        safe.json()["job"]["id"], {"dead", "completed"}, JOB_TIMEOUT_S
    )
    assert done["status"] == "completed", done
    (model,) = (await client.get(f"/api/product/{product_id}/spice-models")).json()
    library = await client.get(f"/api/spice-models/{model['id']}/model.lib")
    assert library.status_code == 200
    assert ".control" not in library.text.lower()
    assert not seeded.marker.exists()
