"""The ``spice_fit`` job's compute stage on graph payloads as a product's extractions give them."""

from __future__ import annotations

import io
import itertools
import pickle
from typing import Any

import pytest
from PIL import Image

from graphq.errors import GraphqError
from graphq.jobs.spice_fit import SpiceOutput, fit_product
from graphq.spice.ngspice import ngspice_available
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


@pytest.mark.parametrize("device", JOB_DEVICES, ids=[d.name for d in JOB_DEVICES])
def test_fit_product_returns_a_verified_fit_and_a_report_image(device: KnownDevice) -> None:
    progress = ProgressLog()
    output = fit_product(payload(device), progress)

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


def test_progress_rises_monotonically_and_stays_below_one() -> None:
    progress = ProgressLog()
    fit_product(payload(VDMOS_DEVICES[0]), progress)
    fractions = [fraction for fraction, _ in progress.calls]
    assert len(fractions) >= 5
    assert all(earlier < later for earlier, later in itertools.pairwise(fractions))
    assert fractions[0] >= 0.0
    assert fractions[-1] < 1.0
    assert all(step for _, step in progress.calls)
    assert any("ngspice" in step for _, step in progress.calls)


def test_the_output_crosses_the_process_boundary() -> None:
    output = fit_product(payload(VDMOS_DEVICES[1]), ProgressLog())
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
