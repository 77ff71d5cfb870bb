"""Per-curve errors of a model against the digitized curves, with each curve's limit."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from graphq.spice.curves import CurveData, curve_error
from graphq.spice.quality import curve_limit, curve_measure
from graphq.spice.results import CurveReport


def curve_report(curve: CurveData, model: np.ndarray) -> CurveReport:
    error = np.abs(curve_error(model, curve))
    error = np.nan_to_num(error, nan=1.0, posinf=1.0)
    relative = 0.0
    if curve.kind == "capacitance":
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.abs(model / curve.y - 1.0)
        relative = float(np.median(np.nan_to_num(ratio, nan=1.0, posinf=1.0)))
    report = CurveReport(
        graph_type=curve.kind,
        name=curve.name,
        rms_error=float(np.sqrt(np.mean(error**2))),
        max_error=float(error.max()),
        points=int(curve.x.size),
        median_relative_error=relative,
        limit=curve_limit(curve.kind),
        graph=curve.graph,
    )
    report.within_limit = curve_measure(report) <= report.limit
    return report


def curve_reports(curves: Sequence[CurveData], models: Sequence[np.ndarray]) -> list[CurveReport]:
    return [curve_report(c, m) for c, m in zip(curves, models, strict=True)]
