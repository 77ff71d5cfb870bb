"""What the fitter hands back: msgspec Structs, picklable and JSON-encodable."""

from __future__ import annotations

import msgspec

from graphq.review import Review


class CurveReport(msgspec.Struct, rename="camel"):
    """How well one curve is matched. Errors are fractions of the graph's full scale (of
    its decades on a log axis), as the datasheet reader would measure them; a capacitance
    also has its median relative error. ``limit`` is what the curve's measure (RMS error,
    or the median relative error of a capacitance) may reach before the fit needs review."""

    graph_type: str
    name: str
    rms_error: float
    max_error: float
    points: int
    median_relative_error: float = 0.0
    limit: float = 0.0
    within_limit: bool = True
    # The graph the curve was read from (its type, page and caption where known).
    graph: str = ""


class SpiceFit(msgspec.Struct, rename="camel"):
    """A fitted model. ``parameters`` are the values written to the model file."""

    model_type: str
    name: str
    pchan: bool
    parameters: dict[str, float]
    fitted: list[str]
    defaulted: list[str]
    model_text: str
    report: list[CurveReport]
    fit_time_s: float
    warnings: list[str] = msgspec.field(default_factory=list)
    # Standard error of each fitted parameter in its own unit (None: not determined).
    uncertainty: dict[str, float | None] = msgspec.field(default_factory=dict)
    # Fitted parameters that ended on a bound of their physical range.
    at_bound: list[str] = msgspec.field(default_factory=list)
    review: Review = msgspec.field(default_factory=Review)
    # The same model in other simulators' dialects (``pspice``: a subcircuit), by dialect.
    dialects: dict[str, str] = msgspec.field(default_factory=dict)
    # Parameters a dialect holds in place of the card's (``pspice``: logistic-sum
    # capacitances where the card's shapes cannot follow the curves), by dialect.
    dialect_parameters: dict[str, dict[str, float]] = msgspec.field(default_factory=dict)
    # Each dialect's per-curve errors in its fitted equations (the curves at 25 °C, which
    # its text holds), by dialect; ``report`` is the model file's.
    dialect_report: dict[str, list[CurveReport]] = msgspec.field(default_factory=dict)


class Verification(msgspec.Struct, rename="camel"):
    """The written model file simulated by ngspice against the digitized curves."""

    simulator: str
    report: list[CurveReport]
    worst_rms_error: float
    review: Review = msgspec.field(default_factory=Review)
    # Which text was simulated: ``vdmos`` (the model file) or another dialect's.
    dialect: str = "vdmos"
