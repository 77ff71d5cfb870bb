"""The richer channel models the fit may try after the plain one: self-heating (``rthjc``)
where an output curve droops and the datasheet gives Rth(j-c), quasi-saturation (``rq``,
``vq``) where output curves are left visibly unmatched. Here: when each is tried, where its
starts lie, and whether it earns its extra parameters (the Bayesian information criterion),
so the model's complexity follows what the curves support."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from graphq.spice.curves import CurveData, curve_error, display_error, predict
from graphq.spice.optimise import ParameterFit
from graphq.spice.vdmos_equations import VDMOS_EQUATIONS

# Quasi-saturation is tried when the fit leaves a channel curve off by more than this
# (fraction of full scale RMS): twice a digitizer's scatter; below it, nothing a reader could
# see is left to explain.
QUASI_SATURATION_TRIGGER = 0.01
# Its starts: rq and vq as fractions of the top output curve's Vds/Id and Vds at its end.
_RQ_STARTS = (0.3, 1.0)
_VQ_STARTS = (0.3,)
# An output curve that ends this fraction of its axis below its peak droops: beyond a
# digitizer's scatter (≤ 0.5 %), and only self-heating makes a drain current fall with Vds.
DROOP_FRACTION = 0.01
# Self-heating's starts, as fractions of the datasheet's Rth(j-c): a DC sweep heats by all of
# it, a pulse by a part.
RTHJC_STARTS = (0.5,)
# A part without quasi-saturation in its graph's range, whose drift resistance only rises
# linearly over it, has vq beyond any bound; vq is then held at this many times the top
# output curve's Vds, where the rise stays within 10 % of linear over the graph.
HELD_VQ_OVER_GRAPH = 10.0


def droops(curve: CurveData) -> bool:
    """An output curve whose current falls from its peak by more than a reader's scatter."""
    if curve.kind != "output" or curve.y.size < 2:
        return False
    peak = int(np.argmax(curve.y))
    fall = display_error(curve.y[-1:], curve.y[peak : peak + 1], curve.scale)
    return bool(-fall[0] > DROOP_FRACTION)


def heating_starts(params: dict[str, float], rthjc_max: float) -> list[dict[str, float]]:
    """``params`` with ``rthjc`` at each of :data:`RTHJC_STARTS` of ``rthjc_max``."""
    return [{**params, "rthjc": f * rthjc_max} for f in RTHJC_STARTS]


def worst_channel_error(channel: list[CurveData], params: dict[str, float]) -> float:
    """The worst output or transfer curve's RMS error, as a fraction of full scale."""
    models = predict(VDMOS_EQUATIONS, params, channel)
    return max(
        (
            float(np.sqrt(np.mean(curve_error(model, curve) ** 2)))
            for curve, model in zip(channel, models, strict=True)
            if curve.kind in ("output", "transfer")
        ),
        default=0.0,
    )


def _top_output(channel: list[CurveData]) -> CurveData:
    return max((c for c in channel if c.kind == "output"), key=lambda c: c.condition)


def quasi_saturation_starts(
    channel: list[CurveData], params: dict[str, float]
) -> list[dict[str, float]]:
    """``params`` with ``rq`` and ``vq`` at fractions of the top output curve's end."""
    top = _top_output(channel)
    vds_end = max(float(top.x[-1]), 1e-3)
    resistance = vds_end / max(float(top.y[-1]), 1e-12)
    rd = max(params["rd"], 1e-4 * resistance)
    return [
        {**params, "rd": rd, "rq": r * resistance, "vq": v * vds_end}
        for r in _RQ_STARTS
        for v in _VQ_STARTS
    ]


def linear_drift_start(channel: list[CurveData], free: dict[str, float]) -> dict[str, float]:
    """Where the free quasi-saturation fit pushed ``vq`` to its upper bound, the drift
    resistance only rises linearly over the graph, ``rq·Vds/vq``, and the curves fix
    ``rq/vq`` alone: ``vq`` held at :data:`HELD_VQ_OVER_GRAPH` times the top output curve's
    Vds, ``rq`` keeping the slope the free fit found."""
    top = _top_output(channel)
    held = HELD_VQ_OVER_GRAPH * max(float(top.x[-1]), 1e-3)
    slope = free["rq"] / free["vq"]
    return {**free, "vq": held, "rq": slope * (held + float(top.x[-1]))}


def earns_its_parameters(
    residuals: Callable[[dict[str, float]], np.ndarray],
    simpler: ParameterFit,
    richer: ParameterFit,
) -> bool:
    """The Bayesian information criterion ``n·ln(SSE) + k·ln(n)`` on the plain (equally
    trusted) ``residuals``: the richer model must lower it."""

    def squares(params: dict[str, float]) -> tuple[float, int]:
        residual = residuals(params)
        return max(float(residual @ residual), 1e-300), residual.size

    simple_sse, count = squares(simpler.params)
    rich_sse, _ = squares(richer.params)
    extra = len(richer.names) - len(simpler.names)
    return bool(count * np.log(rich_sse / simple_sse) + extra * np.log(count) < 0.0)
