"""Written model files: what the text holds, that ngspice loads and runs it as the numpy
equations say, and that a file ngspice refuses fails verification with MODEL_REJECTED."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import msgspec
import numpy as np
import pytest

from graphq.errors import GraphqError
from graphq.spice import fit_model, gan_epc, spice_name, vdmos, verify_with_ngspice
from graphq.spice.inputs import FitInput, OutputCurve
from graphq.spice.model_file import (
    VDMOS_CARD_ORDER,
    check_model_name,
    check_model_text,
    header,
    vdmos_model_text,
)
from graphq.spice.ngspice import ngspice_available
from graphq.spice.simulate import DeviceUnderTest, SweepPlan, simulate

from .devices import GAN_DEVICE, VDMOS_DEVICES

needs_ngspice = pytest.mark.skipif(not ngspice_available(), reason="ngspice is not installed")

CARD = {
    **vdmos.VDMOS_DEFAULTS,
    **{"vto": 3.1, "kp": 12.5, "lambda": 0.01, "rd": 0.02, "rs": 0.005, "cgs": 1.5e-9},
    **{"tcvth": 0.004, "mu": -1.6, "texp0": 2.3, "eg": 1.12, "rthjc": 0.8},
}
PLAN = SweepPlan(
    output_vgs_v=[5.0, 10.0],
    output_vds_grid_v=(0.0, 10.0, 0.5),
    transfer_vds_v=[10.0],
    transfer_vgs_grid_v=(0.0, 5.0, 0.25),
    capacitance_vds_v=[1.0, 10.0, 100.0],
)


def test_vdmos_card_lists_every_parameter_and_tnom_25() -> None:
    text = vdmos_model_text("IRF540N", CARD, pchan=False, when=dt.date(2026, 1, 2))
    lines = text.splitlines()
    assert lines[0] == "* IRF540N: VDMOS model fitted by graphq from datasheet curves, 2026-01-02"
    assert lines[1] == ".model IRF540N VDMOS(nchan"
    assert all(line.startswith("+ ") for line in lines[2:])
    assert text.count("(") == text.count(")") == 1
    assert lines[-1].endswith("tnom=25)")
    assert [item.split("=")[0] for line in lines[2:] for item in line[2:].split()] == [
        *VDMOS_CARD_ORDER,
        "tnom",
    ]


@pytest.mark.parametrize(
    ("part", "name"),
    [
        ("IRF540N", "IRF540N"),
        ("IPB 017N10 (rev 2)", "IPB_017N10_rev_2"),
        ("2N7000", "M2N7000"),
        ("  ", "GRAPHQ_MODEL"),
        ("µ-FET", "M-FET"),
    ],
)
def test_model_names_are_ones_spice_accepts(part: str, name: str) -> None:
    assert spice_name(part) == name


@needs_ngspice
@pytest.mark.parametrize("pchan", [False, True], ids=["nchan", "pchan"])
def test_ngspice_loads_the_vdmos_card_and_runs_it_as_the_numpy_model(pchan: bool) -> None:
    card = {**CARD, "vto": -CARD["vto"]} if pchan else CARD
    text = vdmos_model_text("DUT", card, pchan=pchan)
    result = simulate(DeviceUnderTest(text, "DUT", pchan=pchan), PLAN)
    sign = -1.0 if pchan else 1.0
    vds = sign * result.output_vds_v
    for row, vgs in zip(result.output_id_a, PLAN.output_vgs_v, strict=True):
        model = sign * vdmos.drain_current(card, sign * vgs, vds, pchan=pchan)
        assert np.allclose(row, model, rtol=1e-3, atol=1e-9)
    assert np.allclose(result.capacitance_f["ciss"], CARD["cgs"], rtol=1e-3)


@needs_ngspice
def test_ngspice_loads_the_gan_subcircuit_and_runs_it_as_the_numpy_model() -> None:
    params = GAN_DEVICE.params
    text = gan_epc.gan_subckt_text("EPC2045", params)
    assert text.splitlines()[2] == ".subckt EPC2045 drain gate source"
    assert text.rstrip().endswith(".ends EPC2045")
    result = simulate(DeviceUnderTest(text, "EPC2045", instance_prefix="x"), PLAN)
    for row, vgs in zip(result.output_id_a, PLAN.output_vgs_v, strict=True):
        model = gan_epc.drain_current(
            params, np.full_like(result.output_vds_v, vgs), result.output_vds_v
        )
        assert np.allclose(row, model, rtol=1e-3, atol=1e-9)
    expected = gan_epc.capacitances(params, np.asarray(PLAN.capacitance_vds_v))
    for name, simulated in result.capacitance_f.items():
        assert np.allclose(simulated, expected[name], rtol=1e-3), name


@needs_ngspice
def test_a_model_fitted_to_output_curves_alone_loads_without_capacitances() -> None:
    inputs = FitInput(output=[OutputCurve(vgs_v=10.0, points=[[0, 0], [1, 5], [5, 10], [10, 12]])])
    fit = fit_model(inputs, model_type="vdmos", name="BARE")
    assert fit.parameters["cgs"] == 0.0
    assert "cgs" in fit.defaulted
    verification = verify_with_ngspice(fit, inputs)
    assert verification is not None
    assert verification.worst_rms_error < 0.03


@needs_ngspice
@pytest.mark.parametrize(
    "model_text",
    [
        ".model OTHER VDMOS(nchan vto=3)\n",
        ".model FIT VDMOS(nchan vto=)\n",
        ".model FIT NMOS(level=99)\n",
        ".subckt FIT drain gate source\nBch drain source I=foo(\n.ends FIT\n",
        "not a netlist line\n",
    ],
    ids=["wrong name", "missing value", "unknown level", "broken expression", "garbage"],
)
def test_a_model_ngspice_cannot_load_is_rejected(model_text: str) -> None:
    device = VDMOS_DEVICES[1]
    inputs = device.datasheet()
    fit = fit_model(inputs, model_type="vdmos", name="FIT")
    broken = msgspec.structs.replace(fit, model_text=model_text)
    with pytest.raises(GraphqError) as error:
        verify_with_ngspice(broken, inputs)
    assert error.value.code == "MODEL_REJECTED"
    assert not error.value.retryable
    assert "ngspice" in error.value.message


# A name that, written raw into a model file, makes ngspice run a shell command.
INJECTED_NAME = "X\n.control\nshell touch /tmp/MARKER\n.endc\n*"


@pytest.mark.parametrize(
    "name", [INJECTED_NAME, "", "two words", "a;b", "x" * 101, "MOS\r.include /etc/passwd"]
)
def test_model_names_outside_the_safe_pattern_are_refused(name: str) -> None:
    with pytest.raises(GraphqError) as error:
        check_model_name(name)
    assert error.value.code == "INVALID_PARAMETERS"


def test_a_fit_refuses_a_name_that_would_begin_a_directive() -> None:
    inputs = FitInput(output=[OutputCurve(vgs_v=10.0, points=[[0, 0], [1, 5], [5, 10]])])
    with pytest.raises(GraphqError) as error:
        fit_model(inputs, model_type="vdmos", name=INJECTED_NAME)
    assert error.value.code == "INVALID_PARAMETERS"


def test_the_header_comment_is_one_line_whatever_the_part_name() -> None:
    line = header(INJECTED_NAME, "VDMOS", dt.date(2026, 1, 1))
    assert line.startswith("* ")
    assert len(line.splitlines()) == 1


@pytest.mark.parametrize(
    "directive", [".control", ".include /etc/passwd", ".lib evil.lib", ".option", "  .CONTROL"]
)
def test_model_text_with_a_directive_graphq_never_writes_is_rejected(directive: str) -> None:
    text = vdmos_model_text("FIT", CARD, pchan=False) + directive + "\n"
    with pytest.raises(GraphqError) as error:
        check_model_text(text)
    assert error.value.code == "MODEL_REJECTED"


def test_the_files_graphq_writes_pass_the_directive_check() -> None:
    assert check_model_text(vdmos_model_text("FIT", CARD, pchan=True))
    assert check_model_text(gan_epc.gan_subckt_text("GAN", gan_epc.with_defaults({})))


@needs_ngspice
def test_an_injected_control_block_never_reaches_ngspice(tmp_path: Path) -> None:
    marker = tmp_path / "MARKER"
    device = VDMOS_DEVICES[1]
    inputs = device.datasheet()
    fit = fit_model(inputs, model_type="vdmos", name="FIT")
    hostile = fit.model_text + f".control\nshell touch {marker}\n.endc\n"
    with pytest.raises(GraphqError) as error:
        verify_with_ngspice(msgspec.structs.replace(fit, model_text=hostile), inputs)
    assert error.value.code == "MODEL_REJECTED"
    assert not marker.exists()


def test_without_ngspice_verification_is_skipped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("graphq.spice.verify.ngspice_available", lambda: False)
    inputs = FitInput(output=[OutputCurve(vgs_v=10.0, points=[[0, 0], [1, 5], [5, 10]])])
    fit = fit_model(inputs, model_type="vdmos", name="X")
    assert verify_with_ngspice(fit, inputs) is None
