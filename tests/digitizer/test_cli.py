"""``graphq digitize`` on a generated PNG: JSON, CSV, overlay, and one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from graphq.cli import main
from graphq.commands.digitize import NEEDS_REVIEW_EXIT_STATUS
from tests.datagen import generate_graph

_CLEAN = {"label_mode": "none", "boxes": [], "width_px": 700, "format": "png"}


@pytest.fixture(scope="module")
def graph_file(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    graph = generate_graph(11, graph_type="rdson_temperature", style_overrides=_CLEAN)
    path = tmp_path_factory.mktemp("cli") / "graph.png"
    path.write_bytes(graph.data)
    axes = graph.meta.axes
    args = [
        "digitize",
        str(path),
        "--x-range",
        str(axes.x.min),
        str(axes.x.max),
        "--y-range",
        str(axes.y.min),
        str(axes.y.max),
    ]
    return path, args


def test_json_is_the_default_output(graph_file, capsys: pytest.CaptureFixture[str]) -> None:
    _, args = graph_file
    assert main([*args, "--labels", "ID = 10 A"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert set(printed) == {"plotArea", "curves", "warnings", "needsReview", "reasons"}
    assert printed["needsReview"] is False and printed["reasons"] == []
    assert len(printed["plotArea"]) == 4
    curve = printed["curves"][0]
    assert set(curve) == {"label", "value", "color", "points", "confidence"}
    assert curve["label"] == "ID = 10 A" and curve["value"] == 10
    xs = [x for x, _ in curve["points"]]
    assert xs == sorted(xs)


def test_a_result_needing_review_exits_3_with_its_reasons(
    graph_file, capsys: pytest.CaptureFixture[str]
) -> None:
    _, args = graph_file
    # One curve on the graph, two labels given: the count differs.
    assert main([*args, "--labels", "ID = 10 A,ID = 5 A"]) == NEEDS_REVIEW_EXIT_STATUS
    captured = capsys.readouterr()
    printed = json.loads(captured.out)
    assert printed["needsReview"] is True
    assert "curve_count_differs" in {reason["code"] for reason in printed["reasons"]}
    assert "needs review: curve_count_differs" in captured.err


def test_help_documents_exit_3_and_loads_no_digitizer() -> None:
    script = (
        "import sys, contextlib, io\n"
        "from graphq.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()) as shown:\n"
        "    try:\n"
        "        main(['digitize', '--help'])\n"
        "    except SystemExit:\n"
        "        pass\n"
        "print('numpy' in sys.modules, 'graphq.digitizer.methods.standard' in sys.modules)\n"
        "print(shown.getvalue())\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    loaded, shown = completed.stdout.split("\n", 1)
    assert loaded == "False False"
    assert "3 they were printed but" in shown


def test_csv_format_prints_x_y_curve_rows(graph_file, capsys: pytest.CaptureFixture[str]) -> None:
    _, args = graph_file
    # The graph prints no label: the one given names its one curve (unnamed, it needs review).
    assert main([*args, "--format", "csv", "--labels", "ID = 10 A"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "x,y,curve"
    x, _y, label = lines[1].split(",")
    assert float(x) < float(lines[-1].split(",")[0])
    assert label == "ID = 10 A"


def test_overlay_is_written_as_png(
    graph_file, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, args = graph_file
    overlay = tmp_path / "overlay.png"
    assert main([*args, "--overlay", str(overlay), "--labels", "ID = 10 A"]) == 0
    capsys.readouterr()
    assert overlay.read_bytes().startswith(b"\x89PNG")


@pytest.mark.parametrize(
    ("extra", "code"),
    [
        (["--x-log"], "INVALID_PARAMETERS"),  # the x range starts below zero
        (["--curves", "0"], "INVALID_PARAMETERS"),
        (["--method", "llm"], "LLM_NOT_CONFIGURED"),
    ],
)
def test_bad_parameters_exit_non_zero_with_one_line(
    graph_file, extra: list[str], code: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _, args = graph_file
    assert main([*args, *extra]) != 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and code in captured.err


def test_not_an_image_exits_non_zero_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = tmp_path / "notes.png"
    text.write_text("not an image at all")
    status = main(["digitize", str(text), "--x-range", "0", "1", "--y-range", "0", "1"])
    captured = capsys.readouterr()
    assert status != 0
    assert captured.err.startswith("error: INVALID_IMAGE:") and captured.err.count("\n") == 1


def test_missing_file_exits_non_zero_from_a_subprocess(tmp_path: Path) -> None:
    completed = subprocess.run(
        [
            *(sys.executable, "-m", "graphq.cli", "digitize", str(tmp_path / "absent.png")),
            *("--x-range", "0", "1", "--y-range", "0", "1"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert completed.returncode != 0
    assert completed.stdout == ""
    assert completed.stderr.count("\n") == 1 and "INVALID_IMAGE" in completed.stderr


def test_llm_method_uses_the_configured_endpoint(
    graph_file, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, args = graph_file
    unconfigured = tmp_path / "none.toml"
    unconfigured.write_text('[llm]\nendpoint = ""\n')
    assert main(["--config", str(unconfigured), *args, "--method", "llm"]) != 0
    assert "LLM_NOT_CONFIGURED" in capsys.readouterr().err

    unreachable = tmp_path / "closed.toml"
    unreachable.write_text('[llm]\nendpoint = "http://127.0.0.1:9"\ntimeout_s = 5\n')
    assert main(["--config", str(unreachable), *args, "--method", "llm"]) != 0
    assert "LLM_UNAVAILABLE" in capsys.readouterr().err
