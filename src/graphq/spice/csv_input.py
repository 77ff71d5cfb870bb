"""Reading the CSV files ``graphq digitize --format csv`` writes into a :class:`FitInput`.

Each file is one graph: a header ``x,y,curve`` or with quantity names and units
(``VDS [V],ID [A],curve``), then one row per point; the ``curve`` column holds the curve's
label (``VGS = 10 V``), which carries its condition.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

from graphq.errors import GraphqError
from graphq.spice.graph_curves import graph_name
from graphq.spice.graphs import GraphCurves, fit_input_from_graphs
from graphq.spice.inputs import FitInput

_HEADER = re.compile(r"^\s*(?P<quantity>[^\[(]*?)\s*(?:[\[(](?P<unit>[^\])]*)[\])])?\s*$")


def _axis_from_header(text: str) -> dict[str, Any]:
    match = _HEADER.match(text)
    quantity = (match.group("quantity") if match else text).strip()
    unit = ((match.group("unit") if match else None) or "").strip()
    return {"quantity": quantity, "unit": unit}


def graph_from_csv(path: Path, graph_type: str) -> GraphCurves:
    """One graph from a digitizer CSV; raises ``INVALID_PARAMETERS`` on a malformed file."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            rows = list(csv.reader(handle))
    except OSError as exc:
        raise GraphqError("INVALID_PARAMETERS", f"cannot read {path}: {exc.strerror}") from exc
    if len(rows) < 2 or len(rows[0]) < 3:
        raise GraphqError(
            "INVALID_PARAMETERS", f"{path.name}: expected a header 'x,y,curve' and points"
        )
    header = rows[0]
    curves: dict[str, list[list[float]]] = {}
    for number, row in enumerate(rows[1:], start=2):
        if not row or not "".join(row).strip():
            continue
        try:
            x, y = float(row[0]), float(row[1])
        except (ValueError, IndexError) as exc:
            raise GraphqError(
                "INVALID_PARAMETERS", f"{path.name} line {number}: x and y must be numbers"
            ) from exc
        label = ",".join(row[2:]).strip()
        curves.setdefault(label, []).append([x, y])
    return GraphCurves(
        graph_type=graph_type,
        axes={"x": _axis_from_header(header[0]), "y": _axis_from_header(header[1])},
        curves=[{"label": label, "value": None, "points": pts} for label, pts in curves.items()],
        name=f"{graph_name(graph_type)} ({path.name})",
    )


def fit_input_from_csv(
    *,
    output: Path | None = None,
    transfer: Path | None = None,
    capacitance: Path | None = None,
    rdson: Path | None = None,
    body_diode: Path | None = None,
    device_type: str = "Si-MOSFET",
) -> FitInput:
    """A :class:`FitInput` from one CSV per graph kind (any may be absent)."""
    files = {
        "output": output,
        "transfer": transfer,
        "capacitance": capacitance,
        "rdson_current": rdson,
        "body_diode": body_diode,
    }
    graphs = [graph_from_csv(Path(p), kind) for kind, p in files.items() if p is not None]
    return fit_input_from_graphs(graphs, device_type=device_type)
