"""A small VDMOS-like MOSFET model, enough to draw believable datasheet curves.

Square-law channel with a soft subthreshold onset, mobility degradation and channel-length
modulation, in series with drain and source resistances: at high gate drive the output
curves are limited by the series resistance and run together at low VDS, as real ones do.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

THERMAL_VOLTAGE_25C_V = 0.025693
BISECTION_STEPS = 48


@dataclass(frozen=True)
class Mosfet:
    vto_v: float
    kp_a_per_v2: float
    theta_per_v: float
    lambda_per_v: float
    rd_ohm: float
    rs_ohm: float
    subthreshold_n: float = 1.6

    def at_temperature(self, temperature_c: float) -> Mosfet:
        """Threshold falls ~5 mV/K and mobility as T^-1.6: the curves cross at a ZTC point."""
        ratio = (temperature_c + 273.15) / 298.15
        return Mosfet(
            vto_v=self.vto_v - 0.005 * (temperature_c - 25.0),
            kp_a_per_v2=self.kp_a_per_v2 * ratio**-1.6,
            theta_per_v=self.theta_per_v,
            lambda_per_v=self.lambda_per_v,
            rd_ohm=self.rd_ohm * ratio**1.8,
            rs_ohm=self.rs_ohm * ratio**1.8,
            subthreshold_n=self.subthreshold_n * ratio,
        )

    def channel_current_a(self, vgs_v: np.ndarray, vds_v: np.ndarray) -> np.ndarray:
        slope_v = 2.0 * self.subthreshold_n * THERMAL_VOLTAGE_25C_V
        overdrive_v = slope_v * np.logaddexp(0.0, (vgs_v - self.vto_v) / slope_v)
        kp = self.kp_a_per_v2 / (1.0 + self.theta_per_v * overdrive_v)
        vds_eff = np.minimum(vds_v, overdrive_v)
        current = kp * (overdrive_v * vds_eff - 0.5 * vds_eff**2)
        return current * (1.0 + self.lambda_per_v * vds_v)

    def drain_current_a(self, vgs_v: np.ndarray, vds_v: np.ndarray) -> np.ndarray:
        """Terminal current, solving Id = Ich(Vgs − Id·Rs, Vds − Id·(Rd+Rs)) by bisection.

        The residual grows monotonically with Id, so bisection between 0 and the current
        without series resistance always converges.
        """
        vgs_v, vds_v = np.broadcast_arrays(np.asarray(vgs_v, float), np.asarray(vds_v, float))
        low = np.zeros_like(vgs_v)
        high = self.channel_current_a(vgs_v, vds_v)
        for _ in range(BISECTION_STEPS):
            mid = 0.5 * (low + high)
            vgs_int = vgs_v - mid * self.rs_ohm
            vds_int = np.maximum(vds_v - mid * (self.rd_ohm + self.rs_ohm), 0.0)
            too_high = mid > self.channel_current_a(vgs_int, vds_int)
            high = np.where(too_high, mid, high)
            low = np.where(too_high, low, mid)
        return 0.5 * (low + high)


def random_mosfet(rng: np.random.Generator) -> Mosfet:
    """A device whose current scale is ~1 A-ish per V² of overdrive; callers rescale axes."""
    return Mosfet(
        vto_v=float(rng.uniform(2.4, 3.8)),
        kp_a_per_v2=float(rng.uniform(1.0, 6.0)),
        theta_per_v=float(rng.uniform(0.02, 0.15)),
        lambda_per_v=float(rng.uniform(0.002, 0.02)),
        rd_ohm=0.0,
        rs_ohm=0.0,
    )
