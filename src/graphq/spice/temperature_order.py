"""A transfer family's order in junction temperature, and the minus sign a reader lost.

Above the gate voltage where a MOSFET's transfer curves cross (its zero-temperature-
coefficient point), the drain current falls as Tj rises: mobility falls faster than the
threshold. Datasheets end their transfer graphs well above that point, so at the top of
the gate voltages all curves share, the hottest curve lies lowest. A label read without its
minus sign ("−55 °C" taken for 55 °C) puts its curve out of that order; fitted at the wrong
temperature it pulls every temperature term off. Such a curve is left out of the fit with
the reason, not re-signed: the page did not say −55 °C to the reader.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from graphq.spice.curves import display_error
from graphq.spice.inputs import AxisScale, TransferCurve


@dataclass(frozen=True)
class TemperatureOrderSettings:
    # A hotter curve may lie above a colder one by this fraction of the axis (its decades on
    # a log axis) before the order counts as broken: two digitizers' scatter (≤ 1 % each).
    tolerance: float = 0.02
    # A lost minus sign is considered only where the signed temperature is one datasheets
    # draw: their coldest rating is −65 °C, and 0 °C or warmer needs no minus sign.
    coldest_rating_c: float = -65.0


TEMPERATURE_ORDER = TemperatureOrderSettings()


def _top_currents(curves: list[TransferCurve]) -> np.ndarray | None:
    """Each curve's current at the highest gate voltage all of them reach, or None when
    their gate voltages do not overlap."""
    points = [np.asarray(c.points, float) for c in curves]
    top = min(float(p[:, 0].max()) for p in points)
    if top <= max(float(p[:, 0].min()) for p in points):
        return None
    return np.array([float(np.interp(top, *p[np.argsort(p[:, 0])].T)) for p in points])


def _in_order(
    temperatures: list[float], currents: np.ndarray, scale: AxisScale, tolerance: float
) -> bool:
    """No hotter curve above a colder one by more than ``tolerance`` of the axis."""
    for i, colder in enumerate(temperatures):
        for j, hotter in enumerate(temperatures):
            if hotter > colder:
                rise = display_error(currents[j : j + 1], currents[i : i + 1], scale)[0]
                if rise > tolerance:
                    return False
    return True


def lost_minus_signs(
    curves: list[TransferCurve],
    scale: AxisScale,
    settings: TemperatureOrderSettings = TEMPERATURE_ORDER,
) -> list[int]:
    """Indices of the curves of one transfer family (one VDS, one graph) whose temperature
    breaks the family's order where that temperature with a minus sign would restore it.

    Nothing is returned where the family is in order, where its curves share no gate
    voltage, or where no single sign explains the disorder (a graph drawn below its
    crossing point, say): a guess between several curves would be no better than none.
    """
    dated = [i for i, c in enumerate(curves) if c.temperature_c is not None]
    if len(dated) < 2:
        return []
    family = [curves[i] for i in dated]
    currents = _top_currents(family)
    if currents is None:
        return []
    temperatures = [float(c.temperature_c) for c in family]  # type: ignore[arg-type]
    if _in_order(temperatures, currents, scale, settings.tolerance):
        return []
    restoring = []
    for k, temperature in enumerate(temperatures):
        signed = -temperature
        if temperature <= 0.0 or signed < settings.coldest_rating_c:
            continue
        trial = [signed if n == k else t for n, t in enumerate(temperatures)]
        if _in_order(trial, currents, scale, settings.tolerance):
            restoring.append(dated[k])
    return restoring if len(restoring) == 1 else []
