"""The ``spice_fit`` job's compute stage on graph payloads as a product's extractions give them."""

from __future__ import annotations

import io
import itertools
import pickle
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import anyio
import msgspec
import pytest
from PIL import Image
from sqlalchemy import select

from graphq.config import Settings
from graphq.db.database import Database
from graphq.db.migrate import upgrade
from graphq.db.models import ExtractionQueue, Job, Product, SpiceModel
from graphq.errors import GraphqError
from graphq.jobs.spice_fit import (
    SpiceFitHandler,
    SpiceFitParameters,
    SpiceOutput,
    fit_product,
    stored_graph_name,
)
from graphq.queue.registry import JobContext
from graphq.spice.ngspice import ngspice_available
from tests.conftest import make_settings
from tests.datasheet.pdfs import table_pdf
from tests.jobs.helpers import first_attempt
from tests.spice.devices import GAN_DEVICE, VDMOS_DEVICES, KnownDevice, datasheet_graphs

pytestmark = pytest.mark.skipif(not ngspice_available(), reason="ngspice is not installed")

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
JOB_DEVICES = [VDMOS_DEVICES[2], next(d for d in VDMOS_DEVICES if d.pchan), GAN_DEVICE]


def payload(device: KnownDevice, graphs: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {
        "graphs": graphs if graphs is not None else datasheet_graphs(device.datasheet()),
        "device_type": device.device_type,
        "model_type": device.model_type,
        "name": device.name,
    }


class ProgressLog:
    def __init__(self) -> None:
        self.calls: list[tuple[float, str]] = []

    def __call__(self, fraction: float, step: str) -> None:
        self.calls.append((fraction, step))


@dataclass
class Fitted:
    output: SpiceOutput
    progress: ProgressLog


@pytest.fixture(scope="module")
def fit_of() -> Callable[[KnownDevice], Fitted]:
    """A job device's fit and the progress it reported, made once per module: a fit costs
    seconds of ngspice, and the tests below only read it."""
    made: dict[str, Fitted] = {}

    def fit(device: KnownDevice) -> Fitted:
        if device.name not in made:
            progress = ProgressLog()
            made[device.name] = Fitted(fit_product(payload(device), progress), progress)
        return made[device.name]

    return fit


@pytest.mark.parametrize("device", JOB_DEVICES, ids=[d.name for d in JOB_DEVICES])
def test_fit_product_returns_a_verified_fit_and_a_report_image(
    fit_of: Callable[[KnownDevice], Fitted], device: KnownDevice
) -> None:
    output = fit_of(device).output

    fit = output.fit
    assert fit["modelType"] == device.model_type
    assert fit["pchan"] == device.pchan
    assert fit["name"] == device.name
    assert {r["graphType"] for r in fit["report"]} == {
        "output",
        "transfer",
        "capacitance",
        "body_diode",
    }
    assert max(r["rmsError"] for r in fit["report"]) < 0.03
    assert output.verification is not None
    assert output.verification["simulator"] == "ngspice"
    assert output.verification["worstRmsError"] < 0.03

    assert output.report_png.startswith(PNG_SIGNATURE)
    image = Image.open(io.BytesIO(output.report_png))
    image.verify()
    assert image.size[0] >= 500


def test_progress_rises_monotonically_and_stays_below_one(
    fit_of: Callable[[KnownDevice], Fitted],
) -> None:
    progress = fit_of(JOB_DEVICES[0]).progress
    fractions = [fraction for fraction, _ in progress.calls]
    assert len(fractions) >= 5
    assert all(earlier < later for earlier, later in itertools.pairwise(fractions))
    assert fractions[0] >= 0.0
    assert fractions[-1] < 1.0
    assert all(step for _, step in progress.calls)
    assert any("ngspice" in step for _, step in progress.calls)


def test_the_output_crosses_the_process_boundary(
    fit_of: Callable[[KnownDevice], Fitted],
) -> None:
    output = fit_of(JOB_DEVICES[0]).output
    restored = pickle.loads(pickle.dumps(output))
    assert isinstance(restored, SpiceOutput)
    assert restored.fit == output.fit
    assert restored.report_png == output.report_png


def test_a_product_with_only_capacitances_fails_with_missing_curves() -> None:
    graphs = [
        g
        for g in datasheet_graphs(VDMOS_DEVICES[1].datasheet())
        if g["graph_type"] == "capacitance"
    ]
    with pytest.raises(GraphqError) as error:
        fit_product(payload(VDMOS_DEVICES[1], graphs), ProgressLog())
    assert error.value.code == "MISSING_CURVES"


def test_a_model_ngspice_rejects_fails_the_job(monkeypatch: pytest.MonkeyPatch) -> None:
    def unloadable(name: str, params: dict[str, float], **_: Any) -> str:
        return f".model {name} VDMOS(nchan vto=)\n"

    monkeypatch.setattr("graphq.spice.fit.vdmos_model_text", unloadable)
    with pytest.raises(GraphqError) as error:
        fit_product(payload(VDMOS_DEVICES[1]), ProgressLog())
    assert error.value.code == "MODEL_REJECTED"


def stored_output(reasons: list[dict[str, str]] | None = None) -> SpiceOutput:
    return SpiceOutput(
        fit={
            "modelText": ".model TST VDMOS(nchan vto=3)\n",
            "modelType": "vdmos",
            "name": "TST",
            "parameters": {"vto": 3.0},
            "report": [],
            "fitted": ["vto"],
            "defaulted": [],
            "fitTimeS": 0.1,
            "pchan": False,
            "review": {"reasons": reasons or []},
        },
        verification=None,
        report_png=PNG_SIGNATURE,
    )


async def fit_job(db: Database, settings: Settings) -> tuple[JobContext, str]:
    """A product with a ``spice_fit`` job marked completed, as ``store`` finds it."""
    async with db.write() as session:
        product = Product(name="Test", part_number="TST-FIT")
        queue = ExtractionQueue(name="fit-test")
        session.add_all([product, queue])
        await session.flush()
        job = Job(product_id=product.id, queue_id=queue.id, kind="spice_fit", status="completed")
        session.add(job)
        await session.flush()
        snapshot = first_attempt(job)
    return JobContext(job=snapshot, db=db, settings=settings), product.id


async def test_two_fits_of_one_product_stored_at_once_on_postgresql_take_the_next_versions(
    postgres_database: str, tmp_path: Path
) -> None:
    """Two nodes storing fits of one product at once: the second waits on the product's row
    lock, then numbers its model after the first's instead of colliding with it."""
    settings = make_settings(tmp_path / "data", storage={"database_url": postgres_database})
    db = Database(postgres_database)
    handler = SpiceFitHandler()
    try:
        first, _ = await fit_job(db, settings)
        async with db.write() as session:
            job = await session.get(Job, first.job.id)
            assert job is not None
            again = Job(product_id=job.product_id, queue_id=job.queue_id, kind="spice_fit")
            session.add(again)
            await session.flush()
            second = JobContext(job=first_attempt(again), db=db, settings=settings)

        async def store_second() -> None:
            async with db.write() as session:
                await handler.store(second, session, stored_output())

        async with anyio.create_task_group() as tg, db.write() as session:
            await handler.store(first, session, stored_output())
            tg.start_soon(store_second)
            await anyio.sleep(0.5)  # the second reaches the product's lock meanwhile
        async with db.read() as session:
            models = (await session.execute(select(SpiceModel.job_id, SpiceModel.version))).all()
        assert sorted(models, key=lambda m: m.version) == [(first.job.id, 1), (second.job.id, 2)]
    finally:
        await db.dispose()


async def test_a_store_retried_after_a_failed_commit_leaves_one_model_and_its_own_files(
    settings: Settings,
) -> None:
    """A group commit that fails is retried job by job, so ``store`` can run twice for one
    job; the first attempt's files must not outlive its rolled-back row."""
    await anyio.to_thread.run_sync(upgrade, settings)
    db = Database(settings.database_url)
    output = stored_output()
    try:
        ctx, product_id = await fit_job(db, settings)
        handler = SpiceFitHandler()
        with pytest.raises(RuntimeError):
            async with db.write() as session:
                await handler.store(ctx, session, output)
                raise RuntimeError("the group's commit failed")
        async with db.write() as session:
            await handler.store(ctx, session, output)
        async with db.read() as session:
            (model,) = (await session.execute(select(SpiceModel))).scalars().all()
            job = await session.get(Job, ctx.job.id)
        files = sorted(p.name for p in (settings.data_dir / "models" / product_id).iterdir())
        assert files == [f"{ctx.job.id}.lib", f"{ctx.job.id}.report.png"]
        assert (settings.data_dir / model.model_file_path).read_text() == model.model_text
        assert not model.needs_review and model.review_reasons == []
        assert job is not None and not job.needs_review
    finally:
        await db.dispose()


async def test_a_model_that_needs_review_marks_its_model_and_tells_the_queue(
    settings: Settings,
) -> None:
    await anyio.to_thread.run_sync(upgrade, settings)
    db = Database(settings.database_url)
    reasons = [{"code": "parameter_against_device", "message": "vto = -5.9 V is negative"}]
    try:
        ctx, _ = await fit_job(db, settings)
        async with db.write() as session:
            # The queue marks the job needs_review in the completing transaction.
            assert await SpiceFitHandler().store(ctx, session, stored_output(reasons)) is True
        async with db.read() as session:
            (model,) = (await session.execute(select(SpiceModel))).scalars().all()
        assert model.needs_review
        assert model.review_reasons == reasons
    finally:
        await db.dispose()


async def test_a_model_without_reasons_tells_the_queue_it_needs_no_review(
    settings: Settings,
) -> None:
    await anyio.to_thread.run_sync(upgrade, settings)
    db = Database(settings.database_url)
    try:
        ctx, _ = await fit_job(db, settings)
        async with db.write() as session:
            assert await SpiceFitHandler().store(ctx, session, stored_output([])) is False
        async with db.read() as session:
            (model,) = (await session.execute(select(SpiceModel))).scalars().all()
        assert not model.needs_review
    finally:
        await db.dispose()


def test_fit_product_carries_the_review_of_a_doubtful_curve_set() -> None:
    device = VDMOS_DEVICES[2]
    graphs = datasheet_graphs(device.datasheet())
    del graphs[1]["curves"][0]["label"]
    graphs[1]["curves"][0]["value"] = None
    output = fit_product(payload(device, graphs), ProgressLog())
    (reason,) = output.fit["review"]["reasons"]
    assert reason["code"] == "condition_assumed"
    assert "states no VDS; assumed 10 V" in reason["message"]


@pytest.mark.parametrize("rthjc", ["0", "-1", "1e999", "5000"])
def test_a_thermal_resistance_outside_any_real_part_is_refused(rthjc: str) -> None:
    with pytest.raises(msgspec.ValidationError, match="rthjcKPerW"):
        msgspec.json.decode(f'{{"rthjcKPerW": {rthjc}}}', type=SpiceFitParameters)
    taken = msgspec.json.decode(b'{"rthjcKPerW": 0.66}', type=SpiceFitParameters)
    assert taken.rthjc_k_per_w == 0.66


def test_the_products_datasheet_gives_the_thermal_resistance_with_its_source(
    tmp_path: Path,
) -> None:
    rows = [("Thermal Resistance, Junction-to-Case", "RθJC", "--", "0.66", "°C/W")]
    datasheet = tmp_path / "part.pdf"
    datasheet.write_bytes(table_pdf(rows))
    device = VDMOS_DEVICES[2]
    output = fit_product({**payload(device), "datasheet_path": str(datasheet)}, ProgressLog())
    (note,) = [w for w in output.fit["warnings"] if "Rth(j-c)" in w]
    assert "0.66 K/W" in note and "read from the datasheet (page 1:" in note


def test_a_thermal_resistance_given_with_the_job_is_taken_over_the_datasheets(
    tmp_path: Path,
) -> None:
    rows = [("Thermal Resistance, Junction-to-Case", "RθJC", "--", "0.66", "°C/W")]
    datasheet = tmp_path / "part.pdf"
    datasheet.write_bytes(table_pdf(rows))
    given = {**payload(VDMOS_DEVICES[2]), "datasheet_path": str(datasheet), "rthjc_k_per_w": 2.5}
    output = fit_product(given, ProgressLog())
    (note,) = [w for w in output.fit["warnings"] if "Rth(j-c)" in w]
    assert "2.5 K/W (given with the job)" in note


def test_the_datasheets_table_gives_the_vgs_a_graph_against_tj_leaves_unstated(
    tmp_path: Path,
) -> None:
    """The table rates RDS(on) at the very current the graph states: its VGS is taken, the
    fit's warnings say where from, and nothing is left assumed."""
    rows = [("RDS(on) Static Drain-Source On-Resistance", "VGS=4.5V, ID=2A", "- 0.02 0.025", "Ω")]
    datasheet = tmp_path / "part.pdf"
    datasheet.write_bytes(table_pdf(rows))
    device = VDMOS_DEVICES[2]
    against_tj = {
        "graph_type": "rdson_temperature",
        "axes": {"x": {"quantity": "Tj", "unit": "°C"}, "y": {"quantity": "RDS(on)", "unit": ""}},
        "curves": [
            {
                "label": "ID = 2 A",
                "value": None,
                "points": [[-50.0, 0.7], [25.0, 1.0], [150.0, 1.9]],
            }
        ],
    }
    graphs = [*datasheet_graphs(device.datasheet()), against_tj]
    output = fit_product(
        {**payload(device, graphs), "datasheet_path": str(datasheet)}, ProgressLog()
    )
    (note,) = [w for w in output.fit["warnings"] if "states no VGS" in w]
    assert "VGS = 4.5 V read from the electrical table's RDS(on) row at the same ID = 2 A" in note
    reasons = output.fit["review"]["reasons"]
    assert not [r for r in reasons if r["code"] == "condition_assumed"]


def test_a_stored_datasheet_graph_is_named_by_its_type_page_and_caption() -> None:
    metadata = {
        "graphType": "transfer",
        "page": 3,
        "caption": "Figure 2. Transfer  Characteristics",
    }
    assert (
        stored_graph_name(metadata)
        == 'transfer graph, page 3 ("Figure 2. Transfer Characteristics")'
    )
    # An uploaded image has neither: the fit numbers its graphs.
    assert stored_graph_name({"graphType": "output"}) == ""
