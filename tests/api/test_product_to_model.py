"""The whole product path over HTTP: graph images in, a SPICE model that ngspice runs out.

A known device's output, transfer and capacitance graphs are rendered, uploaded with their
axes and labels, digitized by the real ``digitize`` jobs, fitted by the real ``spice_fit``
job, and the downloaded model file is simulated by ngspice against the device's true curves.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import msgspec
import pytest

from graphq.spice import SpiceFit
from graphq.spice.ngspice import ngspice_available
from tests.api.helpers import upload
from tests.conftest import Service, make_settings, start_service
from tests.datagen.render import render_graph
from tests.spice.devices import capacitance_errors, channel_errors
from tests.spice.test_from_images import (
    CAPACITANCE_MEDIAN_TARGET,
    CHANNEL_RMS_TARGET,
    CLEAN_RENDER,
    drawn_curves,
    true_curves,
)

pytestmark = pytest.mark.skipif(not ngspice_available(), reason="ngspice is not installed")

SEED = 3
JOB_TIMEOUT_S = 180


@pytest.fixture
async def product_service(tmp_path: Path) -> AsyncIterator[Service]:
    settings = make_settings(tmp_path / "data")
    async for running in start_service(settings, ["graphq.jobs.digitize", "graphq.jobs.spice_fit"]):
        yield running


async def test_uploaded_graphs_become_a_model_that_follows_the_true_device(
    product_service: Service,
) -> None:
    service = product_service
    product = await service.create_product("KNOWN-FET", deviceType="Si-MOSFET")
    files, metadata = [], []
    for graph_type, (curves, axes) in drawn_curves().items():
        graph = render_graph(
            curves, axes, graph_type=graph_type, seed=SEED, style_overrides=CLEAN_RENDER
        )
        files.append((f"{graph_type}.png", graph.data))
        metadata.append(
            {
                "graphType": graph_type,
                "axes": msgspec.to_builtins(axes),
                "labels": [curve.label for curve in curves],
            }
        )

    uploaded = await upload(service, product["id"], files, metadata, autoExtract="true")
    assert uploaded.status_code == 201, uploaded.text
    digitize_jobs = uploaded.json()["jobs"]
    assert len(digitize_jobs) == 3
    for job in digitize_jobs:
        done = await service.wait_for_job(job["id"], {"completed", "dead"}, JOB_TIMEOUT_S)
        assert done["status"] == "completed", done

    started = await service.client.post(f"/api/product/{product['id']}/spice", json={})
    assert started.status_code == 201, started.text
    fit_job = await service.wait_for_job(started.json()["id"], {"completed", "dead"}, JOB_TIMEOUT_S)
    assert fit_job["status"] == "completed", fit_job

    models = (await service.client.get(f"/api/product/{product['id']}/spice-models")).json()
    assert [m["version"] for m in models] == [1]
    model = models[0]
    assert model["verification"]["simulator"] == "ngspice"
    simulated_against_images = {
        (c["graphType"], c["name"]): c["rmsError"] for c in model["verification"]["report"]
    }
    for (graph_type, name), rms in simulated_against_images.items():
        if graph_type in ("output", "transfer"):
            assert rms <= CHANNEL_RMS_TARGET, (name, simulated_against_images)
    library = await service.client.get(f"/api/spice-models/{model['id']}/model.lib")
    assert library.status_code == 200
    assert "VDMOS" in library.text and "tnom=25" in library.text.lower()
    pspice = await service.client.get(f"/api/spice-models/{model['id']}/model.lib?dialect=pspice")
    assert pspice.status_code == 200 and ".SUBCKT" in pspice.text
    unknown = await service.client.get(f"/api/spice-models/{model['id']}/model.lib?dialect=hspice")
    assert unknown.status_code == 404
    report = await service.client.get(f"/api/spice-models/{model['id']}/report.png")
    assert report.content.startswith(b"\x89PNG")

    downloaded = SpiceFit(
        model_type=model["modelType"],
        name=model["name"],
        pchan=False,
        parameters=model["parameters"],
        fitted=[],
        defaulted=[],
        model_text=library.text,
        report=[],
        fit_time_s=0.0,
    )
    truth = true_curves()
    errors = {**channel_errors(downloaded, truth), **capacitance_errors(downloaded, truth)}
    assert errors["output"] <= CHANNEL_RMS_TARGET, errors
    assert errors["transfer"] <= CHANNEL_RMS_TARGET, errors
    for name in ("ciss", "coss", "crss"):
        assert errors[name] <= CAPACITANCE_MEDIAN_TARGET, errors
