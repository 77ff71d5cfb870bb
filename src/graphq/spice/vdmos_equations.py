"""The VDMOS card's equations as the fitter evaluates them: drain current (with
self-heating), capacitances, on-resistance, body diode and the move to a temperature, in the
argument order :class:`graphq.spice.curves.DeviceEquations` expects."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from graphq.spice import self_heating, vdmos, vdmos_temperature
from graphq.spice.curves import DeviceEquations


def _diode_current(params: Mapping[str, float], vsd: np.ndarray) -> np.ndarray:
    return vdmos.body_diode_current(params, vsd)


def _capacitances(
    params: Mapping[str, float], vgs: np.ndarray, vds: np.ndarray
) -> dict[str, np.ndarray]:
    return vdmos.capacitances(params, vds, vgs=vgs)


VDMOS_EQUATIONS = DeviceEquations(
    drain_current=self_heating.drain_current,
    capacitances=_capacitances,
    on_resistance=vdmos.on_resistance,
    diode_current=_diode_current,
    at_temperature=vdmos_temperature.at_temperature,
)
