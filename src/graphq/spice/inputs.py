"""What the fitter consumes: digitized curves with their conditions, in SI units.

All numbers in a :class:`FitInput` are in the N-channel sense: for a P-channel part the
voltages and currents are stored as magnitudes (``VGS = -10 V`` becomes ``vgs_v = 10``) and
``pchan`` says how to write the model. An N-channel depletion part keeps its negative Vgs.
"""

from __future__ import annotations

import re
from typing import Literal

import msgspec

from graphq.review import Review

CapacitanceName = Literal["ciss", "coss", "crss"]
GraphKind = Literal[
    "output",
    "transfer",
    "capacitance",
    "rdson",
    "body_diode",
    "rdson_temperature",
    "threshold_temperature",
]


class AxisScale(msgspec.Struct):
    """How a graph's y axis was drawn: errors are measured as a fraction of it."""

    log: bool
    low: float
    high: float


class PlottedCurve(msgspec.Struct, kw_only=True):
    """Where a curve was drawn: the report draws it on its own graph's axes, and its errors
    are measured against that graph's scale. Keyword-only, so each kind's own fields come
    first."""

    # The y axis of the curve's own graph (two output graphs of one part differ).
    y_scale: AxisScale | None = None
    # Whether its own graph draws x on a log axis (None: as ``FitInput.x_log`` says).
    x_log: bool | None = None
    # The graph it was read from, as the report names it (see ``GraphCurves.name``).
    graph: str = ""


class OutputCurve(PlottedCurve):
    """Id against Vds at one Vgs: ``points`` are ``[[vds_v, id_a], …]``."""

    vgs_v: float
    points: list[list[float]]
    label: str = ""
    temperature_c: float | None = None
    # The measuring pulse's width in s where its graph states one (None: not stated, a pulse
    # or a DC sweep): it says what heating the curve can show.
    pulse_s: float | None = None


class TransferCurve(PlottedCurve):
    """Id against Vgs at one Vds: ``points`` are ``[[vgs_v, id_a], …]``."""

    vds_v: float
    points: list[list[float]]
    temperature_c: float | None = None
    label: str = ""


class CapacitanceCurve(PlottedCurve):
    """Ciss, Coss or Crss against Vds at the stated Vgs (0 V unless the datasheet says
    otherwise; a depletion part is measured below its threshold, e.g. -10 V):
    ``points`` are ``[[vds_v, c_f], …]``."""

    name: CapacitanceName
    points: list[list[float]]
    label: str = ""
    vgs_v: float = 0.0


class RdsonCurve(PlottedCurve):
    """Rds(on) in Ω against drain current at one Vgs: ``points`` are ``[[id_a, r_ohm], …]``."""

    vgs_v: float
    points: list[list[float]]
    temperature_c: float | None = None
    label: str = ""


class RdsonTemperatureCurve(msgspec.Struct):
    """Rds(on) against junction temperature at one Vgs and drain current: ``points`` are
    ``[[tj_c, r]]`` with ``r`` in Ω, or relative to its value at 25 °C when ``normalised``."""

    vgs_v: float
    id_a: float
    points: list[list[float]]
    normalised: bool = True
    label: str = ""
    y_scale: AxisScale | None = None
    # False where the graph states no VGS and ``vgs_v`` is assumed: the datasheet's table may
    # state it (:mod:`graphq.spice.table_conditions`).
    vgs_stated: bool = True
    # How the review names it ("Rds(on)-against-Tj curve 'RDS(ON) @ ID = 120mA' of …").
    described: str = ""


class ThresholdTemperatureCurve(msgspec.Struct):
    """The gate threshold (VGS(th), or VGS(off) of a depletion part) against junction
    temperature: ``points`` are ``[[tj_c, v]]`` in V, or relative to 25 °C when ``normalised``."""

    points: list[list[float]]
    normalised: bool = True
    label: str = ""
    y_scale: AxisScale | None = None


class DiodeCurve(PlottedCurve):
    """Body-diode forward current against Vsd: ``points`` are ``[[vsd_v, isd_a], …]``."""

    points: list[list[float]]
    temperature_c: float | None = None
    label: str = ""


class RdsonCondition(msgspec.Struct):
    """The test condition of one RDS(on) row of the table (N-channel sense) and where it was
    read: a graph of Rds(on) that states its current but not its gate voltage was drawn at
    the row rating that current."""

    vgs_v: float
    id_a: float
    source: str


class TableRatings(msgspec.Struct):
    """What the datasheet's electrical-characteristics table rates, in the N-channel sense
    (a P-channel part's values as magnitudes): the gate threshold's range (VGS(th), or
    VGS(off) of a depletion part) and RDS(on), typical and maximum, at its VGS and ID.
    They referee graphs that contradict each other and check the fitted model."""

    threshold_low_v: float | None = None
    threshold_high_v: float | None = None
    rdson_typical_ohm: float | None = None
    rdson_max_ohm: float | None = None
    rdson_vgs_v: float | None = None
    rdson_id_a: float | None = None
    # The drain current (A) and VDS (V; None: VDS = VGS) the threshold is rated at.
    threshold_current_a: float | None = None
    threshold_vds_v: float | None = None
    # Where each was read ("page 2: \"VGS(th) … 3 4.1 4.5 V\"", "OCR of page 2: …").
    threshold_source: str = ""
    rdson_source: str = ""
    # Every RDS(on) row's condition (the ratings above are the highest gate drive's).
    rdson_conditions: list[RdsonCondition] = msgspec.field(default_factory=list)


class FitInput(msgspec.Struct):
    output: list[OutputCurve] = msgspec.field(default_factory=list)
    transfer: list[TransferCurve] = msgspec.field(default_factory=list)
    capacitance: list[CapacitanceCurve] = msgspec.field(default_factory=list)
    rdson: list[RdsonCurve] = msgspec.field(default_factory=list)
    body_diode: list[DiodeCurve] = msgspec.field(default_factory=list)
    rdson_temperature: list[RdsonTemperatureCurve] = msgspec.field(default_factory=list)
    threshold_temperature: list[ThresholdTemperatureCurve] = msgspec.field(default_factory=list)
    pchan: bool = False
    device_type: str = "Si-MOSFET"
    # The datasheet's junction-to-case thermal resistance in K/W, where it gives one: the
    # fit may then explain curves by self-heating, up to this much.
    rthjc_k_per_w: float | None = None
    # Where that value comes from ("OCR of page 1: \"… Junction-to-Case … 0.66 °C/W\"",
    # "given"), for the result to say.
    rthjc_source: str = ""
    # The electrical-characteristics table's ratings, where the datasheet was read.
    table: TableRatings | None = None
    # y-axis scale per graph kind (``output``, ``transfer`` …) when it is known.
    y_scales: dict[str, AxisScale] = msgspec.field(default_factory=dict)
    # Graph kinds whose datasheet graph draws x on a log axis (the report draws them so).
    x_log: list[str] = msgspec.field(default_factory=list)
    warnings: list[str] = msgspec.field(default_factory=list)
    # Curves left out and conditions assumed while reading the graphs.
    review: Review = msgspec.field(default_factory=Review)


# "P-MOSFET", "P-channel", "PMOS", "P-ch", "pchan", "SiC P-MOSFET": a ``p`` that starts a word
# and is followed by ``mos`` or ``ch``.
_PCHAN_DEVICE = re.compile(r"(?:^|[^a-z])p[-_ ]?(?:mos|ch)")


def is_pchan_device_type(device_type: str) -> bool:
    return _PCHAN_DEVICE.search(device_type.lower()) is not None


def is_depletion_device_type(device_type: str) -> bool:
    return "depletion" in device_type.lower()


def default_model_type(device_type: str) -> str:
    """``gan-epc`` for GaN HEMTs, ``vdmos`` for Si and SiC MOSFETs (SPEC §3, §5)."""
    return "gan-epc" if "gan" in device_type.lower() else "vdmos"
