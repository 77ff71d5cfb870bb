from __future__ import annotations

import numpy as np
import pytest

from graphq.spice.bound_probe import BOUND_PROBE, moved_bound, probe_bounds
from graphq.spice.optimise import Bound, fit_parameters

VDS = np.linspace(0.1, 1.0, 50)


def test_a_bound_is_moved_out_at_the_end_the_value_sits_on() -> None:
    log = Bound(0.2, 5.0, log=True)
    assert moved_bound(log, 0.2)[1] == pytest.approx(0.2 / BOUND_PROBE.log_factor)
    assert moved_bound(log, 5.0)[1] == pytest.approx(5.0 * BOUND_PROBE.log_factor)
    wider, end = moved_bound(Bound(0.0, 2.0), 2.0)
    assert end == wider.high == pytest.approx(2.0 + 2.0 * BOUND_PROBE.linear_fraction)
    assert wider.low == 0.0


def test_a_parameter_trading_off_along_a_flat_valley_is_named_open_with_its_partner() -> None:
    # Only the product kp·m shows in the curve, as in triode, and a faint pull (far below
    # anything visible) draws m lower: the bound on m picks a point of the valley.
    bounds = {"kp": Bound(1e-2, 1e4, log=True), "m": Bound(0.2, 5.0, log=True)}

    def residuals(p: dict[str, float]) -> np.ndarray:
        curve = (p["kp"] * p["m"] * VDS - 26.0 * VDS) / 26.0 / np.sqrt(VDS.size)
        return np.append(curve, 5e-4 * np.log(p["m"] / 0.04))

    fitted = fit_parameters(residuals, {"kp": 130.0, "m": 0.2}, ["kp", "m"], bounds)
    fitted = type(fitted)(fitted.params, fitted.names, fitted.cost, ("m",))
    (note,) = probe_bounds(residuals, fitted, bounds, graphs=1).values()
    assert note.startswith("the curves leave it open: with the bound moved to 0.05")
    assert "kp 130 → " in note


def test_a_parameter_the_curves_want_beyond_its_bound_is_named_with_the_gain() -> None:
    bounds = {"g": Bound(0.1, 5.0, log=True)}

    def residuals(p: dict[str, float]) -> np.ndarray:
        return (p["g"] * VDS - 8.0 * VDS) / 8.0 / np.sqrt(VDS.size)

    fitted = fit_parameters(residuals, {"g": 1.0}, ["g"], bounds)
    assert fitted.at_bound == ("g",)
    note = probe_bounds(residuals, fitted, bounds, graphs=1)["g"]
    assert note.startswith("the curves ask for more than the model gives: with the bound moved")
    assert "goes to 8 " in note
    gain = float(note.split("falls by ")[1].split("%")[0]) / 100
    # Each point is off by 3/8 of its own current: the curve by 3/8 of its RMS. Weighted by
    # 1/√n, as the fit weighs a curve, the residuals square-sum to the mean squared error.
    rms_at_bound = 3.0 / 8.0 * float(np.sqrt(np.mean(VDS**2)))
    assert gain == pytest.approx(rms_at_bound, rel=0.02)


def test_a_resistance_that_stays_absent_is_no_follower() -> None:
    # rs follows g (1e-7 → 1.6e-7 Ω as g goes 5 → 8), yet stays at its "absent" end.
    bounds = {"g": Bound(0.1, 5.0, log=True), "rs": Bound(1e-7, 100.0, log=True, natural_low=True)}

    def residuals(p: dict[str, float]) -> np.ndarray:
        curve = (p["g"] * VDS - 8.0 * VDS) / 8.0 / np.sqrt(VDS.size)
        return np.append(curve, 1e-2 * np.log(p["rs"] / (2e-8 * p["g"])))

    fitted = fit_parameters(residuals, {"g": 1.0, "rs": 3e-7}, ["g", "rs"], bounds)
    note = probe_bounds(residuals, fitted, bounds, graphs=1)["g"]
    assert "rs" not in note
