"""Small PDFs with known geometry, drawn with matplotlib's PDF backend."""

from __future__ import annotations

import io
from collections.abc import Callable

import matplotlib

matplotlib.use("Agg")
from matplotlib.axes import Axes as MplAxes
from matplotlib.figure import Figure

FIG_W_IN, FIG_H_IN = 6.0, 4.5
AX_RECT = (0.15, 0.2, 0.7, 0.65)  # left, bottom, width, height (figure fractions)


def frame_box() -> tuple[float, float, float, float]:
    """The axes frame in PDF points from the page's top-left corner."""
    left, bottom, width, height = AX_RECT
    w, h = FIG_W_IN * 72, FIG_H_IN * 72
    return left * w, (1 - bottom - height) * h, (left + width) * w, (1 - bottom) * h


def graph_pdf(draw: Callable[[MplAxes], None]) -> bytes:
    """A one-page PDF holding one graph whose frame is :func:`frame_box`."""
    figure = Figure(figsize=(FIG_W_IN, FIG_H_IN))
    ax = figure.add_axes(AX_RECT)
    draw(ax)
    buffer = io.BytesIO()
    with matplotlib.rc_context({"pdf.fonttype": 42, "path.simplify": False}):
        figure.savefig(buffer, format="pdf")
    return buffer.getvalue()
