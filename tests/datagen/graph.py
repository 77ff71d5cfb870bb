"""What the generator hands back: the encoded image, its metadata and the exact truth."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from graphq.digitizer.types import Axes, GraphMeta


@dataclass(frozen=True)
class TruthCurve:
    """One curve as drawn: dense points in axis units, sorted by x.

    ``color`` is the colour it was drawn in (``#rrggbb``); an empty colour given to
    :func:`render_graph` lets the style choose.
    """

    label: str
    value: float | None
    points: np.ndarray
    color: str = ""


@dataclass(frozen=True)
class CurveFamily:
    """Curves of one graph type computed from device equations, with the axes to show them.

    ``curves`` run over the device's natural domain and may leave the frame; the renderer
    clips the truth to the frame. ``box_texts`` holds the texts this family can show in boxes
    inside the frame, keyed by box kind (``table``, ``notes``, ``equation``, ``condition``).
    """

    graph_type: str
    axes: Axes
    curves: list[TruthCurve]
    box_texts: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class GeneratedGraph:
    """A rendered datasheet graph and everything known about it.

    ``plot_area`` is the frame's pixel box ``(x0, y0, x1, y1)`` at the centres of the frame
    lines, in array coordinates (pixel ``i`` is centred on ``i``; ``y0`` is the top edge).
    ``meta`` carries no plot area: finding the frame is the digitizer's job.
    """

    data: bytes
    image: np.ndarray
    meta: GraphMeta
    plot_area: tuple[float, float, float, float]
    truth: list[TruthCurve]
    style: dict[str, Any]

    @property
    def axes(self) -> Axes:
        return self.meta.axes
