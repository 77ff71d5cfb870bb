"""What reading a datasheet PDF gives (SPEC §4b): one :class:`DatasheetGraph` per graph panel.

Coordinates: ``box`` is ``[x0, y0, x1, y1]`` in PDF points measured from the page's top-left
corner (y grows downwards, as on the rendered page). Curve points are in axis units, sorted by
x. ``conditions`` map a quantity name as the datasheet prints it (``VGS``, ``VDS``, ``Tj``,
``f``, ``ID``) to its value in the unit's base (V, A, °C, Hz, s). JSON names are camelCase.
"""

from __future__ import annotations

from typing import Literal

import msgspec

from graphq.digitizer.types import Axes, GraphType
from graphq.review import ReviewNote

Source = Literal["vector", "raster"]


class DatasheetCurve(msgspec.Struct, rename="camel"):
    label: str
    value: float | None
    conditions: dict[str, float]
    points: list[list[float]]
    confidence: float
    color: str = "#000000"
    dashed: bool = False


class DatasheetGraph(msgspec.Struct, rename="camel"):
    page: int
    box: list[float]
    graph_type: GraphType
    source: Source
    axes: Axes
    curves: list[DatasheetCurve]
    caption: str = ""
    conditions: dict[str, float] = msgspec.field(default_factory=dict)
    needs_review: bool = False
    reasons: list[ReviewNote] = msgspec.field(default_factory=list)


class DatasheetResult(msgspec.Struct, rename="camel"):
    graphs: list[DatasheetGraph]
    pages: int
    warnings: list[str] = msgspec.field(default_factory=list)
