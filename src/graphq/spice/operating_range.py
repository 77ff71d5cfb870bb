"""Does a written model run wherever a user will simulate it? −55 °C to 175 °C, DC, AC and
a hard-switched transient.

A model fitted at 25 °C can still stop a simulator elsewhere: SPICE scales the junction
potential ``vj`` down with temperature, and a ``vj`` fitted close to zero goes negative a
few kelvin above ``tnom`` ("Timestep too small"). Each temperature here is one ngspice run of
a small bench sized from the fitted curves: an output sweep at full gate drive, a
small-signal sweep of the switched-off device, and the device switching a resistive load
from the supply the capacitance graph was measured up to.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from graphq.errors import GraphqError
from graphq.review import Review, ReviewReason
from graphq.spice.curves import CurveData
from graphq.spice.model_file import check_model_text
from graphq.spice.ngspice import control_block, run_batch
from graphq.spice.simulate import MODEL_FILE_NAME, DeviceUnderTest, heated_case, instance_line

# The junction-temperature range power devices are rated for (AEC-Q101 grade 0 and SiC).
OPERATING_TEMPERATURES_C = (-55.0, 25.0, 175.0)


@dataclass(frozen=True)
class SwitchingBench:
    """The bench's voltages (N-channel sense) and load. The gate drives from ``gate_off_v``
    to ``gate_on_v`` through ``gate_ohm``; the load takes ``supply_v / load_ohm``."""

    gate_on_v: float = 10.0
    gate_off_v: float = 0.0
    supply_v: float = 50.0
    load_ohm: float = 10.0
    gate_ohm: float = 5.0
    # One switching period: the device is on for half of it.
    period_s: float = 2e-6
    edge_s: float = 2e-8


# The switched-off gate sits this far below a depletion part's threshold.
_OFF_MARGIN_V = 3.0
# A bench's voltages are round, as a user's are: ngspice 39 stalled a P-channel
# subcircuit's transient on a gate pulse from 0.999999854 V, and ran it from 1 V or 0.99 V.
_BENCH_DECIMALS = 2
# The load draws this fraction of the highest drain current the graphs show.
_LOAD_FRACTION = 0.5


def bench_for(curves: Sequence[CurveData], threshold_v: float) -> SwitchingBench:
    """A bench at the part's own scale: the highest gate voltage its graphs show, off
    at 0 V (below the threshold for a depletion part), the supply its capacitances were
    measured up to (else twice the output graph's Vds), half its highest drain current."""
    channel = [c for c in curves if c.kind in ("output", "transfer")]
    gates = [c.condition for c in channel if c.kind == "output"]
    gates += [float(c.x.max()) for c in channel if c.kind == "transfer"]
    caps = [float(c.x.max()) for c in curves if c.kind == "capacitance"]
    drains = [float(c.x.max()) for c in channel if c.kind == "output"]
    supply = max(caps) if caps else 2.0 * max(drains, default=10.0)
    current = max((float(c.y.max()) for c in channel), default=1.0)
    return SwitchingBench(
        gate_on_v=max(gates, default=10.0),
        gate_off_v=min(0.0, round(threshold_v - _OFF_MARGIN_V, _BENCH_DECIMALS)),
        supply_v=supply,
        load_ohm=supply / max(_LOAD_FRACTION * current, 1e-6),
    )


def _fmt(value: float) -> str:
    return f"{value:.9g}"


def bench_netlist(dut: DeviceUnderTest, bench: SwitchingBench, temperature_c: float) -> str:
    sign = -1.0 if dut.pchan else 1.0
    name = dut.model_name
    on, off = _fmt(sign * bench.gate_on_v), _fmt(sign * bench.gate_off_v)
    half = bench.period_s / 2.0
    supply = sign * bench.supply_v
    lines = [
        f"graphq operating range of {name} at {temperature_c:g} C",
        f".include {MODEL_FILE_NAME}",
        f".options temp={_fmt(temperature_c)}",
        # The switching bench.
        f"vsup sup 0 dc {_fmt(supply)}",
        f"rload sup dsw {_fmt(bench.load_ohm)}",
        f"vdrv gdrv 0 pulse({off} {on} {_fmt(half / 4)} {_fmt(bench.edge_s)} "
        f"{_fmt(bench.edge_s)} {_fmt(half)} {_fmt(bench.period_s)})",
        f"rgate gdrv gsw {_fmt(bench.gate_ohm)}",
        instance_line(dut, "sw", "dsw", "gsw"),
        # The output sweep at full gate drive.
        "vdc ddc 0 dc 0",
        f"vgdc gdc 0 dc {on}",
        instance_line(dut, "dc", "ddc", "gdc"),
        # Small signal, switched off, at half the supply.
        f"vdac dac 0 dc {_fmt(supply / 2.0)} ac 1",
        f"vgac gac 0 dc {off}",
        instance_line(dut, "ac", "dac", "gac"),
        # A heated card's instances share a case held at the ambient, as in verification.
        *heated_case(dut),
    ]
    step = supply / 50.0
    commands = [
        f"dc vdc 0 {_fmt(supply)} {_fmt(step)}",
        "wrdata dc.txt i(vdc)",
        "ac dec 5 1e3 1e8",
        "wrdata ac.txt i(vdac)",
        f"tran {_fmt(bench.period_s / 400)} {_fmt(2.0 * bench.period_s)}",
        "wrdata tran.txt v(dsw)",
    ]
    return "\n".join([*lines, control_block(commands), ".end"])


def run_at(dut: DeviceUnderTest, bench: SwitchingBench, temperature_c: float) -> None:
    """Run the bench at ``temperature_c``; raises ngspice's ``SIMULATION_FAILED``."""
    run_batch(
        bench_netlist(dut, bench, temperature_c),
        ["dc.txt", "ac.txt", "tran.txt"],
        files={MODEL_FILE_NAME: check_model_text(dut.model_text)},
    )


def operating_range_review(
    dut: DeviceUnderTest,
    bench: SwitchingBench,
    temperatures_c: tuple[float, ...] = OPERATING_TEMPERATURES_C,
) -> Review:
    """A ``fit_beyond_limits`` reason for each temperature the model does not run at."""
    review = Review()
    for temperature in temperatures_c:
        try:
            run_at(dut, bench, temperature)
        except GraphqError as exc:
            review.add(
                ReviewReason.FIT_BEYOND_LIMITS,
                f"the model does not run in ngspice at {temperature:g} °C "
                f"(DC, AC and switching): {exc.message}",
            )
    return review
