"""Fitting time and accuracy of ``graphq.spice.fit_model`` per product (SPEC §5).

Each product is one known device of ``tests/spice/devices.py`` (ten VDMOS cards spanning
Vto from -2.5 V to 4.5 V, Kp from 1 to 200 A/V², N- and P-channel, and a GaN HEMT): its
output, transfer, capacitance and body-diode graphs are simulated by ngspice, read with a
digitizer's scatter (``--scatter``, a fraction of each graph's full scale, RMS) and fitted.
The written model is then simulated by ngspice against the device's exact curves.

Figures per device: ``fit s``, the wall time of ``fit_model`` (median of ``--repeat``
runs); ``output``, ``transfer`` and ``diode``, the worst curve's RMS error as a fraction of
full scale (of the decades shown on a log axis); ``Ciss``/``Coss``/``Crss``, the median
relative error. Summary: median and maximum fit time against the 10 s target.

Usage::

    .venv/bin/python -m benchmarks.spice_fit_time [--scatter 0.005] [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import time

from tests.spice.devices import (
    GAN_DEVICE,
    VDMOS_DEVICES,
    KnownDevice,
    capacitance_errors,
    channel_errors,
    with_digitizer_noise,
)

from graphq.spice import SpiceFit, fit_model

FIT_TIME_TARGET_S = 10.0
COLUMNS = ("fit s", "output", "transfer", "diode", "Ciss", "Coss", "Crss")


def measure(device: KnownDevice, scatter: float, repeat: int) -> tuple[float, dict[str, float]]:
    """Median fit time in s and the fitted model's errors against the true device."""
    truth = device.datasheet()
    readings = with_digitizer_noise(truth, scatter, seed=1) if scatter > 0 else truth
    times: list[float] = []
    fit: SpiceFit | None = None
    for _ in range(repeat):
        started = time.perf_counter()
        fit = fit_model(readings, model_type=device.model_type, name=device.name)
        times.append(time.perf_counter() - started)
    assert fit is not None
    errors = channel_errors(fit, truth)
    caps = capacitance_errors(fit, truth)
    return statistics.median(times), {
        "output": errors["output"],
        "transfer": errors["transfer"],
        "diode": errors.get("body_diode", float("nan")),
        "Ciss": caps["ciss"],
        "Coss": caps["coss"],
        "Crss": caps["crss"],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scatter", type=float, default=0.005, help="reading scatter, RMS")
    parser.add_argument("--repeat", type=int, default=3, help="fits per device (median time)")
    args = parser.parse_args(argv)

    print(f"scatter {args.scatter:.2%} of full scale; errors against the true device")
    print(f"{'device':22s}" + "".join(f"{c:>10s}" for c in COLUMNS))
    times = []
    for device in [*VDMOS_DEVICES, GAN_DEVICE]:
        seconds, errors = measure(device, args.scatter, max(args.repeat, 1))
        times.append(seconds)
        cells = "".join(f"{errors[c]:>10.2%}" for c in COLUMNS[1:])
        print(f"{device.name:22s}{seconds:>10.2f}{cells}", flush=True)
    median_s, max_s = statistics.median(times), max(times)
    verdict = "meets" if max_s < FIT_TIME_TARGET_S else "misses"
    print(
        f"fit time per product: median {median_s:.2f} s, max {max_s:.2f} s "
        f"({verdict} the {FIT_TIME_TARGET_S:g} s target)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
