"""``graphq datasheet`` on a generated PDF: JSON, CSV, the output directory, exit status."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from graphq.cli import main as graphq
from graphq.commands.datasheet import NEEDS_REVIEW_EXIT_STATUS, SUMMARY_COLUMNS
from tests.datagen.datasheet_pdf import (
    DatasheetSpec,
    GeneratedDatasheet,
    PageSpec,
    make_datasheet,
)
from tests.datagen.pdf_panels import PanelSpec

_INLINE = {"label_mode": "inline"}
_SPEC = DatasheetSpec(
    7,
    (
        PageSpec(kind="spec"),
        PageSpec(panels=(PanelSpec("output", style=_INLINE), PanelSpec("transfer", style=_INLINE))),
    ),
)


@pytest.fixture(scope="module")
def made() -> GeneratedDatasheet:
    return make_datasheet(_SPEC)


@pytest.fixture(scope="module")
def pdf_file(made: GeneratedDatasheet, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "GQ7N20.pdf"
    path.write_bytes(made.pdf)
    return path


def review_status(graphs: list[dict]) -> int:
    return NEEDS_REVIEW_EXIT_STATUS if any(g["needsReview"] for g in graphs) else 0


def test_json_lists_every_graph_with_the_fields_spec_4b_names(
    made: GeneratedDatasheet, pdf_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = graphq(["datasheet", str(pdf_file)])
    printed = json.loads(capsys.readouterr().out)
    assert list(printed) == ["graphs"]
    graphs = printed["graphs"]
    assert [(g["page"], g["graphType"]) for g in graphs] == [
        (g.page, g.graph_type) for g in made.truth.graphs
    ]
    for graph in graphs:
        assert set(graph) == {
            "page",
            "box",
            "graphType",
            "source",
            "axes",
            "curves",
            "needsReview",
            "reasons",
        }
        assert set(graph["axes"]["x"]) == {"min", "max", "scale", "quantity", "unit"}
        assert all(
            set(curve) == {"label", "value", "conditions", "points", "confidence"}
            for curve in graph["curves"]
        )
        assert graph["needsReview"] == bool(graph["reasons"])
    assert status == review_status(graphs)


def test_output_directory_holds_a_csv_and_an_overlay_per_graph_and_a_summary(
    pdf_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    status = graphq(["datasheet", str(pdf_file), "-o", str(out)])
    graphs = json.loads(capsys.readouterr().out)["graphs"]
    summary = list(csv.DictReader(io.StringIO((out / "summary.csv").read_text())))
    assert tuple(summary[0]) == SUMMARY_COLUMNS
    assert len(summary) == len(graphs)
    for index, (row, graph) in enumerate(zip(summary, graphs, strict=True), start=1):
        stem = f"graph{index:02d}_p{graph['page']}_{graph['graphType']}"
        assert (row["graph"], row["page"], row["graphType"]) == (
            str(index),
            str(graph["page"]),
            graph["graphType"],
        )
        assert [float(v) for v in row["box"].split()] == pytest.approx(graph["box"], abs=0.05)
        assert row["curves"] == str(len(graph["curves"]))
        assert row["needsReview"] == ("yes" if graph["needsReview"] else "no")
        assert all(r["code"] in row["reasons"] for r in graph["reasons"])
        header = (out / f"{stem}.csv").read_text().splitlines()[0]
        assert header.startswith(graph["axes"]["x"]["quantity"]) and header.endswith(",curve")
        overlay = Image.open(out / f"{stem}_overlay.png")
        assert overlay.size[0] >= (graph["box"][2] - graph["box"][0]) * 150 / 72
    assert sorted(p.name for p in out.iterdir()) == sorted(
        ["summary.csv"]
        + [
            f"graph{i:02d}_p{g['page']}_{g['graphType']}{s}"
            for i, g in enumerate(graphs, 1)
            for s in (".csv", "_overlay.png")
        ]
    )
    assert status == review_status(graphs)


def test_csv_format_tags_each_point_with_its_graph_and_axes(
    pdf_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    graphq(["datasheet", str(pdf_file), "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    graphq(["datasheet", str(pdf_file)])
    graphs = json.loads(capsys.readouterr().out)["graphs"]
    assert len(rows) == sum(len(c["points"]) for g in graphs for c in g["curves"])
    first = graphs[0]
    x_axis = first["axes"]["x"]
    assert rows[0]["graph"] == "1" and rows[0]["graphType"] == first["graphType"]
    assert rows[0]["xAxis"] == f"{x_axis['quantity']} [{x_axis['unit']}]"
    assert {r["graph"] for r in rows} == {str(i) for i in range(1, len(graphs) + 1)}


def bad_input(kind: str, directory: Path) -> Path:
    """A path that is missing, holds text, or holds a PDF of one blank page."""
    path = directory / f"{kind}.pdf"
    if kind == "notes":
        path.write_text("these are notes, not a PDF")
    elif kind == "blank":
        Image.new("RGB", (200, 280), "white").save(path, "PDF")
    return path


@pytest.mark.parametrize(
    ("kind", "code"),
    [("missing", "INVALID_PDF"), ("notes", "INVALID_PDF"), ("blank", "NO_GRAPHS_FOUND")],
)
def test_bad_input_exits_2_with_one_error_line(
    kind: str, code: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert graphq(["datasheet", str(bad_input(kind, tmp_path))]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(f"error: {code}:") and captured.err.count("\n") == 1


def test_help_documents_the_exit_status_and_the_reader_loads_only_when_run() -> None:
    script = (
        "import sys\n"
        "from graphq.cli import build_parser\n"
        "build_parser()\n"
        "print('graphq.datasheet.pipeline' in sys.modules)\n"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    assert loaded.stdout.strip() == "False"
    shown = subprocess.run(
        [sys.executable, "-m", "graphq.cli", "datasheet", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert f"{NEEDS_REVIEW_EXIT_STATUS}  some graph needs review" in shown.stdout
