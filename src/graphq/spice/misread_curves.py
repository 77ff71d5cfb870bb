"""Curves a digitizer misread, trusted less: a Huber loss per curve within its graph.

A digitizer that swaps two curves where they cross, or follows a label off its curve,
leaves one curve of a family wrong as a whole, and the model fitted to all of them is
pulled off the correct ones too. The channel fit (:mod:`graphq.spice.fit_channel`) refits
with these weights a few times.
"""

from __future__ import annotations

import numpy as np

from graphq.spice.curves import CurveData, curve_error, predict
from graphq.spice.optimise import graph_of
from graphq.spice.vdmos_equations import VDMOS_EQUATIONS

# A curve off by more than this many times its graph's median RMS error is misread...
_MISREAD_FACTOR = 1.5
# ...and by more than this fraction of full scale: a digitizer's scatter is no misreading.
_MISREAD_FLOOR = 0.005


def misread_curve_trust(curves: list[CurveData], params: dict[str, float]) -> list[float] | None:
    """Less weight for a curve the model misses far more than the other curves of its graph.

    Within a graph of three or more curves, a curve whose RMS error exceeds
    ``_MISREAD_FACTOR`` times the graph's median (and ``_MISREAD_FLOOR`` of full scale) keeps
    only the weight it would have at that limit. None when every curve is in line.
    """
    models = predict(VDMOS_EQUATIONS, params, curves)
    rms = [
        float(np.sqrt(np.mean(curve_error(model, curve) ** 2)))
        for curve, model in zip(curves, models, strict=True)
    ]
    trust = [1.0] * len(curves)
    for graph in {graph_of(curve) for curve in curves}:
        members = [i for i, curve in enumerate(curves) if graph_of(curve) == graph]
        if len(members) < 3:
            continue
        limit = max(_MISREAD_FACTOR * float(np.median([rms[i] for i in members])), _MISREAD_FLOOR)
        for i in members:
            trust[i] = min(1.0, limit / rms[i]) if rms[i] > 0 else 1.0
    return trust if min(trust) < 1.0 else None
