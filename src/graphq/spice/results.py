"""What the fitter hands back: msgspec Structs, picklable and JSON-encodable."""

from __future__ import annotations

import msgspec


class CurveReport(msgspec.Struct, rename="camel"):
    """How well one curve is matched. Errors are fractions of the graph's full scale (of
    its decades on a log axis), as the datasheet reader would measure them."""

    graph_type: str
    name: str
    rms_error: float
    max_error: float
    points: int


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


class Verification(msgspec.Struct, rename="camel"):
    """The written model file simulated by ngspice against the digitized curves."""

    simulator: str
    report: list[CurveReport]
    worst_rms_error: float
