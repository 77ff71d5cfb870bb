"""Per-curve errors of a model against the digitized curves."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from graphq.spice.curves import CurveData, display_error
from graphq.spice.results import CurveReport


def curve_report(curve: CurveData, model: np.ndarray) -> CurveReport:
    error = np.abs(display_error(model, curve.y, curve.scale))
    error = np.nan_to_num(error, nan=1.0, posinf=1.0)
    return CurveReport(
        graph_type=curve.kind,
        name=curve.name,
        rms_error=float(np.sqrt(np.mean(error**2))),
        max_error=float(error.max()),
        points=int(curve.x.size),
    )


def curve_reports(curves: Sequence[CurveData], models: Sequence[np.ndarray]) -> list[CurveReport]:
    return [curve_report(c, m) for c, m in zip(curves, models, strict=True)]
