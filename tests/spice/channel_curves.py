"""Channel curves drawn by the VDMOS equations themselves, for the channel fit's stages."""

from __future__ import annotations

import numpy as np

from graphq.spice.curves import CurveData, predict
from graphq.spice.inputs import AxisScale
from graphq.spice.vdmos_equations import VDMOS_EQUATIONS

# A plain enhancement part: threshold 3 V, 40 mΩ in series, 16 A at VGS = 7 V.
PART = {"vto": 3.0, "kp": 2.0, "ksubthres": 0.1, "lambda": 0.0, "rd": 0.02, "rs": 0.02}
OUTPUT_VGS = (5.0, 6.0, 7.0)


def drawn(curves: list[CurveData], params: dict[str, float]) -> list[CurveData]:
    """``curves`` with their y replaced by what ``params`` give at their x."""
    models = predict(VDMOS_EQUATIONS, params, curves)
    return [
        CurveData(c.kind, c.name, c.condition, c.x, y, c.scale, graph=c.graph)
        for c, y in zip(curves, models, strict=True)
    ]


def output_curves(params: dict[str, float] = PART) -> list[CurveData]:
    vds = np.linspace(0.05, 20.0, 60)
    scale = AxisScale(log=False, low=0.0, high=20.0)
    blank = [
        CurveData("output", f"VGS = {v:g} V", v, vds, np.zeros_like(vds), scale, graph="out")
        for v in OUTPUT_VGS
    ]
    return drawn(blank, params)


def transfer_curve(params: dict[str, float] = PART) -> CurveData:
    vgs = np.linspace(2.0, 7.0, 60)
    scale = AxisScale(log=True, low=1e-3, high=20.0)
    blank = CurveData("transfer", "VDS = 20 V", 20.0, vgs, np.zeros_like(vgs), scale, graph="tr")
    return drawn([blank], params)[0]
