"""The digitizer's inputs and outputs.

These Structs are the contract shared by the CLI, the queue handler, the API (which decodes
the upload's ``metadata`` part straight into :class:`GraphMeta`) and the tests. JSON names are
camelCase, as the API speaks.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

import msgspec

from graphq.review import Review

AxisScale = Literal["linear", "log"]
GraphType = Literal[
    "output",
    "transfer",
    "capacitance",
    "body_diode",
    "rdson_temperature",
    "rdson_current",
    "gate_charge",
    "breakdown_temperature",
    "thermal_impedance",
    "custom",
]
Method = Literal["standard", "legacy", "llm"]

# progress(fraction 0..1 of the digitizer's work, human-readable step)
ProgressCallback = Callable[[float, str], None]


class Axis(msgspec.Struct, rename="camel", omit_defaults=True):
    """One axis: its values at the two edges of the plot frame."""

    min: float
    max: float
    scale: AxisScale = "linear"
    quantity: str = ""
    unit: str = ""


class Axes(msgspec.Struct, rename="camel"):
    x: Axis
    y: Axis


class CalibrationPoint(msgspec.Struct, rename="camel"):
    """A tick whose pixel position and axis value are known (4-point calibration)."""

    pixel: float
    value: float


class Calibration(msgspec.Struct, rename="camel"):
    """Two x ticks and two y ticks, for plots whose frame edges are not the axis range."""

    x: list[CalibrationPoint]
    y: list[CalibrationPoint]


class GraphMeta(msgspec.Struct, rename="camel", omit_defaults=True):
    """What the client knows about a graph image (SPEC §4)."""

    axes: Axes
    graph_type: GraphType = "custom"
    plot_area: list[float] | None = None
    curves: int | None = None
    labels: list[str] | None = None
    colors: list[str] | None = None
    description: str = ""
    method: Method = "standard"
    calibration: Calibration | None = None
    # Whether the standard method reads the curves' labels from the image (OCR); a caller
    # binding labels itself (the datasheet reader, from the page's text) saves the OCR run.
    read_labels: bool = True


class Curve(msgspec.Struct, rename="camel"):
    """One extracted curve: points in axis units, sorted by x."""

    label: str
    value: float | None
    color: str
    points: list[list[float]]
    confidence: float


class DigitizeResult(msgspec.Struct, rename="camel"):
    """The curves read, and what of them needs a person's look (``review``)."""

    plot_area: list[float]
    curves: list[Curve]
    warnings: list[str] = msgspec.field(default_factory=list)
    review: Review = msgspec.field(default_factory=Review)

    def to_json(self) -> dict[str, object]:
        """The shape the CLI, API and stored results use (SPEC §4, §4c): ``needsReview`` and
        ``reasons`` beside the curves."""
        shape = msgspec.to_builtins(self)
        del shape["review"]
        return {**shape, **self.review.to_json()}
