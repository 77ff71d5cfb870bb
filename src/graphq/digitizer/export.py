"""CSV export of a result: ``x,y,curve``, one row per point."""

from __future__ import annotations

import csv
import io

from graphq.digitizer.types import Axis, DigitizeResult, GraphMeta


def _header(axis: Axis, fallback: str) -> str:
    if not axis.quantity:
        return fallback
    return f"{axis.quantity} [{axis.unit}]" if axis.unit else axis.quantity


def result_to_csv(result: DigitizeResult, meta: GraphMeta) -> str:
    """CSV text; the column names are the axis quantities when the axes have them."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([_header(meta.axes.x, "x"), _header(meta.axes.y, "y"), "curve"])
    for curve in result.curves:
        for x, y in curve.points:
            writer.writerow([f"{x:.6g}", f"{y:.6g}", curve.label])
    return buffer.getvalue()
