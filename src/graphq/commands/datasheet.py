"""``graphq datasheet``: every graph of a datasheet PDF, read without the server.

The reader (PDF parsing, OCR) is imported when the command runs, so ``graphq --help`` and the
other commands do not pay for it.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from graphq.config import load_settings

if TYPE_CHECKING:
    from graphq.datasheet.types import DatasheetGraph

# Exit status when some graph needs review, as ``graphq fit`` answers for a model; bad input
# is 2 (``graphq.cli.main`` prints its one line).
NEEDS_REVIEW_EXIT_STATUS = 3

_EPILOG = """exit status:
  0  every graph was read with confidence
  3  some graph needs review: see needsReview and reasons in the output
  2  bad input (not a readable PDF, over the limits, no graph found): one error line
"""

SUMMARY_COLUMNS = (
    "graph",
    "page",
    "box",
    "graphType",
    "source",
    "curves",
    "needsReview",
    "reasons",
)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "datasheet",
        help="read every graph of a datasheet PDF",
        description="Find every graph in a datasheet PDF and read its axes, curves and labels.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("pdf", type=Path, help="the datasheet PDF")
    parser.add_argument(
        "--format",
        choices=("json", "csv"),
        default="json",
        help='json: {"graphs": [...]}; csv: one row per point, tagged with its graph',
    )
    parser.add_argument(
        "-o",
        dest="out_dir",
        type=Path,
        metavar="DIR",
        help="also write each graph's CSV and overlay PNG, and summary.csv, into DIR",
    )
    parser.set_defaults(func=run_datasheet)


def _file_stem(index: int, graph: DatasheetGraph) -> str:
    return f"graph{index:02d}_p{graph.page}_{graph.graph_type}"


def points_csv(graphs: list[DatasheetGraph]) -> str:
    """One table for the whole datasheet: ``graph,page,graphType,xAxis,yAxis,x,y,curve``, where
    the axis columns name the quantity and unit as each graph's own CSV heads them."""
    from graphq.datasheet.render import graph_csv

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["graph", "page", "graphType", "xAxis", "yAxis", "x", "y", "curve"])
    for index, graph in enumerate(graphs, start=1):
        header, *rows = csv.reader(io.StringIO(graph_csv(graph)))
        for x, y, curve in rows:
            writer.writerow(
                [index, graph.page, graph.graph_type, header[0], header[1], x, y, curve]
            )
    return buffer.getvalue()


def _summary_row(index: int, shown: dict[str, Any]) -> list[Any]:
    return [
        index,
        shown["page"],
        " ".join(f"{v:.1f}" for v in shown["box"]),
        shown["graphType"],
        shown["source"],
        len(shown["curves"]),
        "yes" if shown["needsReview"] else "no",
        "; ".join(f"{r['code']}: {r['message']}" for r in shown["reasons"]),
    ]


def write_outputs(pdf: bytes, graphs: list[DatasheetGraph], out_dir: Path) -> None:
    """Each graph's CSV and overlay (its panel rendered, the curves drawn over it) and a
    summary table, one row per graph."""
    from graphq.datasheet.render import graph_csv, graph_json, graph_overlay, render_panel

    out_dir.mkdir(parents=True, exist_ok=True)
    buffer = io.StringIO()
    summary = csv.writer(buffer, lineterminator="\n")
    summary.writerow(SUMMARY_COLUMNS)
    for index, graph in enumerate(graphs, start=1):
        stem = _file_stem(index, graph)
        (out_dir / f"{stem}.csv").write_text(graph_csv(graph), encoding="utf-8")
        panel = render_panel(pdf, graph.page, graph.box)
        (out_dir / f"{stem}_overlay.png").write_bytes(graph_overlay(panel, graph))
        summary.writerow(_summary_row(index, graph_json(graph)))
    (out_dir / "summary.csv").write_text(buffer.getvalue(), encoding="utf-8")


def run_datasheet(args: argparse.Namespace) -> int:
    """Print the graphs and return 0, or 3 when some graph needs review.

    Bad input raises :class:`GraphqError` (or ``OSError``); ``graphq.cli.main`` prints its
    one line and returns 2.
    """
    from graphq.datasheet import read_datasheet
    from graphq.datasheet.probe import probe_pdf
    from graphq.datasheet.render import graph_json
    from graphq.errors import GraphqError

    limits = load_settings(Path(args.config) if args.config else None).uploads
    try:
        pdf = args.pdf.read_bytes()
    except OSError as exc:
        raise GraphqError("INVALID_PDF", f"cannot read {args.pdf}: {exc.strerror}") from None
    probe_pdf(pdf, max_bytes=limits.max_pdf_mb * 2**20, max_pages=limits.max_pdf_pages)
    result = read_datasheet(pdf)
    if not result.graphs:
        raise GraphqError(
            "NO_GRAPHS_FOUND", f"no graph panel was found on the {result.pages} pages of the PDF"
        )
    shown = [graph_json(graph) for graph in result.graphs]
    if args.out_dir is not None:
        write_outputs(pdf, result.graphs, args.out_dir)
    if args.format == "csv":
        sys.stdout.write(points_csv(result.graphs))
    else:
        sys.stdout.write(json.dumps({"graphs": shown}) + "\n")
    return NEEDS_REVIEW_EXIT_STATUS if any(graph["needsReview"] for graph in shown) else 0
