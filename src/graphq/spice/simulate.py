"""Simulating a written model file with ngspice under datasheet conditions.

Each analysis is one netlist holding a copy of the device for each of its conditions (each
output curve's Vgs, each transfer curve's Vds, each capacitance bias point), so one
``ngspice -b`` run measures a whole graph. All voltages and currents in a :class:`SweepPlan`
and a :class:`SweepResult` are magnitudes in the N-channel sense; the device's polarity
flips them on the way in and out.

Capacitances come from one small-signal analysis at 1 MHz, at the plan's gate bias: with
the drain driven,
``Coss = Im(Id)/ω`` and ``Crss = -Im(Ig)/ω``; with the gate driven, ``Ciss = Im(Ig)/ω``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from graphq.spice.model_file import check_model_text
from graphq.spice.ngspice import control_block, run_batch

CAPACITANCE_FREQUENCY_HZ = 1e6
MODEL_FILE_NAME = "model.lib"
CASE_NODE = "tcase"


@dataclass(frozen=True)
class DeviceUnderTest:
    """A model file and how to instantiate it: ``m`` for a ``.model`` card, ``x`` for a
    ``.subckt`` whose pins are ``drain gate source``. ``thermal``: the card's instances in
    the output and transfer sweeps heat themselves (ngspice's ``thermal`` flag, the case
    held at the ambient temperature), as the card's ``rthjc`` describes."""

    model_text: str
    model_name: str
    instance_prefix: Literal["m", "x"] = "m"
    pchan: bool = False
    thermal: bool = False


@dataclass(frozen=True)
class SweepPlan:
    """What to simulate. Sweep axes are uniform grids ``(start, stop, step)`` in V."""

    output_vgs_v: list[float] = field(default_factory=list)
    output_vds_grid_v: tuple[float, float, float] = (0.0, 10.0, 0.1)
    transfer_vds_v: list[float] = field(default_factory=list)
    transfer_vgs_grid_v: tuple[float, float, float] = (0.0, 10.0, 0.05)
    capacitance_vds_v: list[float] = field(default_factory=list)
    # The gate bias of the capacitance measurement (below the threshold of a depletion part).
    capacitance_vgs_v: float = 0.0
    diode_vsd_grid_v: tuple[float, float, float] | None = None
    temperature_c: float = 25.0


@dataclass
class SweepResult:
    """Simulated curves: one row of current per output/transfer condition, in A and F."""

    output_vds_v: np.ndarray
    output_id_a: np.ndarray
    transfer_vgs_v: np.ndarray
    transfer_id_a: np.ndarray
    capacitance_vds_v: np.ndarray
    capacitance_f: dict[str, np.ndarray]
    diode_vsd_v: np.ndarray
    diode_isd_a: np.ndarray


def grid(spec: tuple[float, float, float]) -> np.ndarray:
    """The points ngspice visits for ``dc SRC start stop step``."""
    start, stop, step = spec
    count = math.floor((stop - start) / step + 1e-9) + 1
    return start + step * np.arange(count)


def _fmt(value: float) -> str:
    return f"{value:.9g}"


def _netlist(dut: DeviceUnderTest, plan: SweepPlan, lines: list[str], commands: list[str]) -> str:
    head = [f"graphq verification of {dut.model_name}", f".include {MODEL_FILE_NAME}"]
    head.append(f".options temp={_fmt(plan.temperature_c)} gmin=1e-15 reltol=1e-5")
    return "\n".join([*head, *lines, control_block(commands), ".end"])


def instance_line(dut: DeviceUnderTest, label: str, drain: str, gate: str) -> str:
    """One device line; a heated card gets its own junction node and the shared case."""
    if dut.thermal and dut.instance_prefix == "m":
        return f"m{label} {drain} {gate} 0 tj{label} {CASE_NODE} {dut.model_name} thermal"
    return f"{dut.instance_prefix}{label} {drain} {gate} 0 {dut.model_name}"


def heated_case(dut: DeviceUnderTest) -> list[str]:
    """The case node at 0 V: ngspice's thermal nodes carry the rise above the ambient."""
    return [f"vcase {CASE_NODE} 0 dc 0"] if dut.thermal and dut.instance_prefix == "m" else []


def _output_netlist(dut: DeviceUnderTest, plan: SweepPlan, sign: float) -> str:
    lines = ["vdo dsw 0 dc 0", *heated_case(dut)]
    for k, vgs in enumerate(plan.output_vgs_v):
        lines += [
            f"vamo{k} dsw do{k} dc 0",
            f"vgo{k} go{k} 0 dc {_fmt(sign * vgs)}",
            instance_line(dut, f"o{k}", f"do{k}", f"go{k}"),
        ]
    start, stop, step = plan.output_vds_grid_v
    vectors = " ".join(f"i(vamo{k})" for k in range(len(plan.output_vgs_v)))
    commands = [
        f"dc vdo {_fmt(sign * start)} {_fmt(sign * stop)} {_fmt(sign * step)}",
        f"wrdata output.txt {vectors}",
    ]
    return _netlist(dut, plan, lines, commands)


def _transfer_netlist(dut: DeviceUnderTest, plan: SweepPlan, sign: float) -> str:
    lines = ["vgt gsw 0 dc 0", *heated_case(dut)]
    for k, vds in enumerate(plan.transfer_vds_v):
        lines += [
            f"vdt{k} dt{k} 0 dc {_fmt(sign * vds)}",
            instance_line(dut, f"t{k}", f"dt{k}", "gsw"),
        ]
    start, stop, step = plan.transfer_vgs_grid_v
    vectors = " ".join(f"i(vdt{k})" for k in range(len(plan.transfer_vds_v)))
    commands = [
        f"dc vgt {_fmt(sign * start)} {_fmt(sign * stop)} {_fmt(sign * step)}",
        f"wrdata transfer.txt {vectors}",
    ]
    return _netlist(dut, plan, lines, commands)


def _capacitance_netlist(dut: DeviceUnderTest, plan: SweepPlan, sign: float) -> str:
    name, prefix = dut.model_name, dut.instance_prefix
    lines: list[str] = []
    vectors: list[str] = []
    gate = _fmt(sign * plan.capacitance_vgs_v)
    for k, vds in enumerate(plan.capacitance_vds_v):
        bias = _fmt(sign * vds)
        lines += [
            f"vdc{k} dc{k} 0 dc {bias} ac 1",
            f"vgc{k} gc{k} 0 dc {gate}",
            f"{prefix}c{k} dc{k} gc{k} 0 {name}",
            f"vdi{k} di{k} 0 dc {bias}",
            f"vgi{k} gi{k} 0 dc {gate} ac 1",
            f"{prefix}i{k} di{k} gi{k} 0 {name}",
        ]
        vectors += [f"i(vdc{k})", f"i(vgc{k})", f"i(vgi{k})"]
    frequency = _fmt(CAPACITANCE_FREQUENCY_HZ)
    commands = [f"ac lin 1 {frequency} {frequency}", "wrdata capacitance.txt " + " ".join(vectors)]
    return _netlist(dut, plan, lines, commands)


def _diode_netlist(
    dut: DeviceUnderTest, plan: SweepPlan, sign: float, grid_v: tuple[float, float, float]
) -> str:
    lines = ["vdb db 0 dc 0", f"{dut.instance_prefix}b db 0 0 {dut.model_name}"]
    start, stop, step = grid_v
    # The source-drain voltage is the negative of the drain source's voltage.
    commands = [
        f"dc vdb {_fmt(-sign * start)} {_fmt(-sign * stop)} {_fmt(-sign * step)}",
        "wrdata diode.txt i(vdb)",
    ]
    return _netlist(dut, plan, lines, commands)


def build_netlists(dut: DeviceUnderTest, plan: SweepPlan) -> dict[str, str]:
    """One netlist per analysis in ``plan``, by the table its control block writes.

    Separate circuits, because a DC sweep solves every device in its netlist at every
    step: the forty-odd copies a capacitance plan holds would make each sweep of a
    behavioural subcircuit tens of times slower.
    """
    sign = -1.0 if dut.pchan else 1.0
    netlists: dict[str, str] = {}
    if plan.output_vgs_v:
        netlists["output.txt"] = _output_netlist(dut, plan, sign)
    if plan.transfer_vds_v:
        netlists["transfer.txt"] = _transfer_netlist(dut, plan, sign)
    if plan.capacitance_vds_v:
        netlists["capacitance.txt"] = _capacitance_netlist(dut, plan, sign)
    if plan.diode_vsd_grid_v is not None:
        netlists["diode.txt"] = _diode_netlist(dut, plan, sign, plan.diode_vsd_grid_v)
    return netlists


def simulate(dut: DeviceUnderTest, plan: SweepPlan) -> SweepResult:
    """Run ``plan`` on ``dut``, one ngspice batch run per analysis."""
    files = {MODEL_FILE_NAME: check_model_text(dut.model_text)}
    tables: dict[str, np.ndarray] = {}
    for name, netlist in build_netlists(dut, plan).items():
        tables.update(run_batch(netlist, [name], files=files))
    sign = -1.0 if dut.pchan else 1.0
    empty = np.zeros(0)

    output_vds, output_id = empty, np.zeros((0, 0))
    if "output.txt" in tables:
        table = tables["output.txt"]
        output_vds = sign * table[:, 0]
        output_id = sign * table[:, 1:].T

    transfer_vgs, transfer_id = empty, np.zeros((0, 0))
    if "transfer.txt" in tables:
        table = tables["transfer.txt"]
        transfer_vgs = sign * table[:, 0]
        transfer_id = -sign * table[:, 1:].T

    cap_vds = np.asarray(plan.capacitance_vds_v, float)
    caps: dict[str, np.ndarray] = {}
    if "capacitance.txt" in tables:
        # Columns after the frequency: re/im of i(vdc), i(vgc), i(vgi) for each bias point.
        row = tables["capacitance.txt"][0, 1:].reshape(len(cap_vds), 3, 2)
        omega = 2.0 * math.pi * CAPACITANCE_FREQUENCY_HZ
        caps = {
            "coss": -row[:, 0, 1] / omega,
            "crss": row[:, 1, 1] / omega,
            "ciss": -row[:, 2, 1] / omega,
        }

    diode_vsd, diode_isd = empty, empty
    if "diode.txt" in tables:
        table = tables["diode.txt"]
        diode_vsd = -sign * table[:, 0]
        diode_isd = sign * table[:, 1]

    return SweepResult(
        output_vds_v=output_vds,
        output_id_a=output_id,
        transfer_vgs_v=transfer_vgs,
        transfer_id_a=transfer_id,
        capacitance_vds_v=cap_vds,
        capacitance_f=caps,
        diode_vsd_v=diode_vsd,
        diode_isd_a=diode_isd,
    )
