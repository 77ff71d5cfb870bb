"""``graphq fit``: digitizer CSV files in, a model file ngspice loads out."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from graphq.cli import main as graphq
from graphq.commands.fit import NEEDS_REVIEW_EXIT_STATUS, TerminalProgress
from graphq.digitizer.export import result_to_csv
from graphq.digitizer.types import Axes, Axis, Curve, DigitizeResult, GraphMeta
from graphq.spice.ngspice import ngspice_available
from graphq.spice.simulate import DeviceUnderTest, SweepPlan, simulate
from tests.datasheet.pdfs import table_pdf

from .devices import (
    SELF_HEATED_DEVICE,
    SUPERJUNCTION_DEVICE,
    VDMOS_DEVICES,
    KnownDevice,
    datasheet_graphs,
)

needs_ngspice = pytest.mark.skipif(not ngspice_available(), reason="ngspice is not installed")


def write_csvs(device: KnownDevice, directory: Path) -> dict[str, Path]:
    """The device's graphs as ``graphq digitize --format csv`` writes them, one per kind."""
    paths = {}
    for graph in datasheet_graphs(device.datasheet()):
        axes: dict[str, Any] = graph["axes"]
        meta = GraphMeta(
            axes=Axes(
                x=Axis(min=0.0, max=1.0, quantity=axes["x"]["quantity"], unit=axes["x"]["unit"]),
                y=Axis(min=0.0, max=1.0, quantity=axes["y"]["quantity"], unit=axes["y"]["unit"]),
            ),
            graph_type=graph["graph_type"],
        )
        result = DigitizeResult(
            plot_area=[0.0, 0.0, 1.0, 1.0],
            curves=[
                Curve(
                    label=c["label"], value=None, color="#000000", points=c["points"], confidence=1
                )
                for c in graph["curves"]
            ],
        )
        path = directory / f"{graph['graph_type']}.csv"
        path.write_text(result_to_csv(result, meta))
        paths[graph["graph_type"]] = path
    return paths


@pytest.fixture(scope="module")
def csvs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return write_csvs(VDMOS_DEVICES[2], tmp_path_factory.mktemp("csv"))


def fit_arguments(csvs: dict[str, Path]) -> list[str]:
    return [
        "fit",
        "--model",
        "vdmos",
        "--output",
        str(csvs["output"]),
        "--transfer",
        str(csvs["transfer"]),
        "--capacitance",
        str(csvs["capacitance"]),
        "--name",
        "PART",
    ]


def loads_in_ngspice(model_text: str, name: str, *, pchan: bool = False) -> bool:
    plan = SweepPlan(output_vgs_v=[10.0], output_vds_grid_v=(0.0, 5.0, 1.0))
    result = simulate(DeviceUnderTest(model_text, name, pchan=pchan), plan)
    return bool(result.output_id_a[0, -1] > 0)


def test_the_csv_header_carries_quantities_and_units(csvs: dict[str, Path]) -> None:
    assert csvs["capacitance"].read_text().startswith("VDS [V],C [pF],curve\n")
    assert csvs["output"].read_text().startswith("VDS [V],ID [A],curve\n")


@needs_ngspice
def test_fit_writes_a_vdmos_model_ngspice_loads(
    csvs: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    model = tmp_path / "model.lib"
    report = tmp_path / "fit.png"
    status = graphq([*fit_arguments(csvs), "-o", str(model), "--report", str(report)])

    err = capsys.readouterr().err
    assert status == 0, err
    text = model.read_text()
    assert ".model PART VDMOS(nchan" in text
    assert "tnom=25" in text
    assert loads_in_ngspice(text, "PART")
    assert report.read_bytes().startswith(b"\x89PNG")
    assert "ngspice worst rms" in err
    assert "fitted vto, kp" in err
    # The per-curve error table comes last but for the worst error, every curve within limit.
    table = err[err.index("graph        curve") :].splitlines()
    rows = [line for line in table if line.split()[0] in ("output", "transfer", "capacitance")]
    assert len(rows) == 6 + 1 + 3
    # Each line says which graph the curve was read from.
    assert all(re.search(r"  ok +\w+ graph \(\w+\.csv\)$", line) for line in rows)
    assert any(line.startswith("capacitance  Ciss") for line in rows)
    assert "needs review" not in err


@needs_ngspice
def test_a_model_that_needs_review_is_written_and_exits_with_status_3(
    csvs: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    transfer = tmp_path / "transfer.csv"
    stray = "".join(f"{x},0.5,curve 4\n" for x in range(11))
    transfer.write_text(csvs["transfer"].read_text() + stray)
    arguments = fit_arguments(csvs)
    arguments[arguments.index(str(csvs["transfer"]))] = str(transfer)
    model = tmp_path / "model.lib"
    status = graphq([*arguments, "-o", str(model)])

    err = capsys.readouterr().err
    assert status == NEEDS_REVIEW_EXIT_STATUS == 3
    assert loads_in_ngspice(model.read_text(), "PART")
    assert "needs review:" in err
    assert (
        "curve_rejected: transfer curve 'curve 4' of the transfer graph (transfer.csv) "
        "was left out of the fit"
    ) in err


@needs_ngspice
def test_the_documented_p_mosfet_device_type_gives_a_pchan_card(
    csvs: dict[str, Path], tmp_path: Path
) -> None:
    model = tmp_path / "p.lib"
    arguments = ["fit", "--output", str(csvs["output"]), "--transfer", str(csvs["transfer"])]
    graphq([*arguments, "--device-type", "P-MOSFET", "--name", "PFET", "-o", str(model)])
    assert ".model PFET VDMOS(pchan" in model.read_text()


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_is_shown_on_a_terminal_and_cleared_at_the_end() -> None:
    terminal = Terminal()
    progress = TerminalProgress(terminal)
    progress(0.05, "fitting the channel")
    progress(0.7, "fitting capacitances")
    progress.done()
    assert terminal.getvalue() == (
        "\r\x1b[K[  5%] fitting the channel\r\x1b[K[ 70%] fitting capacitances\r\x1b[K"
    )


def test_progress_stays_off_when_stderr_is_not_a_terminal() -> None:
    stream = io.StringIO()
    progress = TerminalProgress(stream)
    progress(0.5, "fitting")
    progress.done()
    assert stream.getvalue() == ""


@needs_ngspice
def test_without_an_output_file_the_model_goes_to_stdout(
    csvs: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert graphq(fit_arguments(csvs)) == 0
    assert ".model PART VDMOS(nchan" in capsys.readouterr().out


@needs_ngspice
def test_the_pspice_dialect_writes_a_subcircuit_checked_in_ngspice(
    csvs: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert graphq([*fit_arguments(csvs), "--dialect", "pspice"]) == 0
    captured = capsys.readouterr()
    assert captured.out.splitlines()[2] == ".SUBCKT PART drain gate source"
    assert "ngspice worst rms" in captured.err


@needs_ngspice
def test_the_card_advises_the_subcircuit_where_only_the_subcircuit_meets_the_capacitances(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    paths = write_csvs(SUPERJUNCTION_DEVICE, tmp_path)
    arguments = ["fit", "--dialect", "vdmos", "--name", "SJ", "-o", str(tmp_path / "sj.lib")]
    kinds = ("output", "transfer", "capacitance")
    status = graphq([*arguments, *(f"--{k}={paths[k]}" for k in kinds)])

    err = capsys.readouterr().err
    assert status == NEEDS_REVIEW_EXIT_STATUS
    reasons = err[err.index("needs review:") :]
    assert "use_other_dialect: use the pspice subcircuit (model.lib?dialect=pspice" in reasons
    assert "fit_beyond_limits: capacitance" not in reasons


@needs_ngspice
def test_the_datasheets_thermal_resistance_lets_dc_curves_be_fitted_with_self_heating(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    paths = write_csvs(SELF_HEATED_DEVICE, tmp_path)
    model = tmp_path / "hot.lib"
    arguments = ["fit", "--output", str(paths["output"]), "--transfer", str(paths["transfer"])]
    assert graphq([*arguments, "--rthjc", "0.4", "--name", "HOT", "-o", str(model)]) == 0
    assert "rthjc=" in model.read_text()
    assert "self-heating fitted" in capsys.readouterr().err
    assert graphq([*arguments, "--rthjc", "0", "-o", str(model)]) == 1
    assert "--rthjc must be a positive" in capsys.readouterr().err


@needs_ngspice
def test_negative_p_channel_curves_give_a_pchan_card(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    device = next(d for d in VDMOS_DEVICES if d.pchan)
    paths = write_csvs(device, tmp_path)
    model = tmp_path / "p.lib"
    arguments = ["fit", "--output", str(paths["output"]), "--transfer", str(paths["transfer"])]
    assert graphq([*arguments, "--name", "PFET", "-o", str(model)]) == 0
    text = model.read_text()
    assert ".model PFET VDMOS(pchan" in text
    assert "vto=-" in text
    assert loads_in_ngspice(text, "PFET", pchan=True)


def bad_csv(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "bad.csv"
    path.write_text(text)
    return path


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("VDS [V],ID [A],curve\n0,0,VGS = 10 V\n1,lots,VGS = 10 V\n", "bad.csv line 3"),
        ("VDS [V],ID [A],curve\n", "expected a header"),
        ("just one column\n1\n2\n", "expected a header"),
        ("", "expected a header"),
    ],
    ids=["text for a number", "header only", "one column", "empty"],
)
def test_a_bad_csv_gives_one_error_line_and_a_failing_status(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, message: str
) -> None:
    model = tmp_path / "model.lib"
    status = graphq(["fit", "--output", str(bad_csv(tmp_path, text)), "-o", str(model)])

    captured = capsys.readouterr()
    assert status != 0
    lines = captured.err.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("error: INVALID_PARAMETERS:")
    assert message in lines[0]
    assert captured.out == ""
    assert not model.exists()


def test_a_missing_file_gives_one_error_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = graphq(["fit", "--output", str(tmp_path / "nowhere.csv")])
    lines = capsys.readouterr().err.splitlines()
    assert status != 0
    assert len(lines) == 1
    assert "nowhere.csv" in lines[0]


def test_capacitances_alone_are_refused_with_missing_curves(
    csvs: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    status = graphq(["fit", "--capacitance", str(csvs["capacitance"])])
    lines = capsys.readouterr().err.splitlines()
    assert status != 0
    assert len(lines) == 1
    assert lines[0].startswith("error: MISSING_CURVES:")


@needs_ngspice
def test_the_installed_command_fits_csv_files_named_as_in_the_spec(
    csvs: dict[str, Path], tmp_path: Path
) -> None:
    names = {"output": "out.csv", "transfer": "tr.csv", "capacitance": "cap.csv"}
    for kind, name in names.items():
        shutil.copy(csvs[kind], tmp_path / name)
    command = Path(sys.executable).with_name("graphq")
    arguments = "fit --model vdmos --output out.csv --transfer tr.csv --capacitance cap.csv"
    completed = subprocess.run(
        [str(command), *arguments.split(), "--name", "PART", "-o", "model.lib"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert loads_in_ngspice((tmp_path / "model.lib").read_text(), "PART")


@needs_ngspice
def test_the_datasheet_option_reads_rthjc_and_the_table_and_says_where_from(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    paths = write_csvs(SELF_HEATED_DEVICE, tmp_path)
    rows = [
        ("Thermal Resistance, Junction-to-Case RθJC", "--", "0.4", "°C/W"),
        # The device's vto is 3.5 V: a table rating 6 … 8 V contradicts the model.
        ("VGS(th) Gate Threshold Voltage", "VDS=VGS, ID=250µA", "6.0 - 8.0", "V"),
    ]
    datasheet = tmp_path / "part.pdf"
    datasheet.write_bytes(table_pdf(rows))
    arguments = ["fit", "--output", str(paths["output"]), "--transfer", str(paths["transfer"])]
    model = tmp_path / "hot.lib"
    status = graphq([*arguments, "--datasheet", str(datasheet), "-o", str(model)])
    err = capsys.readouterr().err
    assert status == NEEDS_REVIEW_EXIT_STATUS
    assert 'Rth(j-c) 0.4 K/W: read from the datasheet (page 1: "Thermal Resistance' in err
    assert "threshold 6 … 8 V (N-channel sense): the datasheet's electrical table" in err
    assert "parameter_against_device: the model's threshold (VGS at ID = 0.00025 A" in err
    assert "outside the datasheet table's threshold 6 … 8 V" in err
    assert "rthjc=" in model.read_text()
