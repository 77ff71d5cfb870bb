"""Small PDFs with known geometry: drawn with matplotlib's PDF backend, or written by hand
where the point is a font or page box matplotlib never writes."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence

import matplotlib

matplotlib.use("Agg")
from matplotlib.axes import Axes as MplAxes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure
from matplotlib.patches import PathPatch
from matplotlib.textpath import TextPath
from matplotlib.transforms import Affine2D, IdentityTransform

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


def outlined_graph_pdf(draw: Callable[[MplAxes], None], *, title: str = "") -> bytes:
    """:func:`graph_pdf` with every text drawn as filled outlines: a vector page with no text
    layer, as some vendors' PDFs are, whose words only OCR reads. A ``title`` is printed
    above the frame as text, as on sheets whose numbers alone were outlined."""
    figure = Figure(figsize=(FIG_W_IN, FIG_H_IN), dpi=72)  # display pixels are points
    ax = figure.add_axes(AX_RECT)
    draw(ax)
    renderer = FigureCanvasAgg(figure).get_renderer()
    figure.draw(renderer)
    texts = [*ax.texts, *ax.get_xticklabels(), *ax.get_yticklabels()]
    for text in [t for t in texts if t.get_visible() and t.get_text()]:
        drawn = text.get_window_extent(renderer)
        path = TextPath(
            (0, 0), text.get_text(), size=text.get_fontsize(), prop=text.get_fontproperties()
        )
        inked = path.get_extents()
        # The outline's ink centred where the text's box was.
        place = Affine2D().translate(
            drawn.x0 + (drawn.width - inked.width) / 2 - inked.x0,
            drawn.y0 + (drawn.height - inked.height) / 2 - inked.y0,
        )
        figure.add_artist(
            PathPatch(
                place.transform_path(path), color="black", lw=0, transform=IdentityTransform()
            )
        )
        text.set_visible(False)
    if title:
        figure.text(0.5, 0.95, title, ha="center", va="top", fontsize=11)
    buffer = io.BytesIO()
    with matplotlib.rc_context({"pdf.fonttype": 42, "path.simplify": False}):
        figure.savefig(buffer, format="pdf")
    return buffer.getvalue()


def text_pdf(content: bytes, fonts: dict[str, bytes], *, tree_box: bytes = b"") -> bytes:
    """A one-page PDF written by hand: ``content`` drawn with ``fonts`` (resource name →
    font dictionary). The page sets its own letter-size box, or, given ``tree_box``
    (``b"[0 0 300 468]"``), inherits that box from the page tree."""
    page_box = b"" if tree_box else b"/MediaBox [0 0 612 792] "
    names = b" ".join(b"/%s %d 0 R" % (name.encode(), 5 + k) for k, name in enumerate(fonts))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 "
        + (b"/MediaBox " + tree_box if tree_box else b"")
        + b" >>",
        b"<< /Type /Page /Parent 2 0 R "
        + page_box
        + b"/Contents 4 0 R /Resources << /Font << "
        + names
        + b" >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        *fonts.values(),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


# Column x positions (figure fractions) of a ratings table: parameter, symbol, typ, max, unit.
_COLUMNS = (0.05, 0.5, 0.65, 0.75, 0.85)


def table_pdf(rows: Sequence[Sequence[str]], *, pages: int = 1, table_page: int = 1) -> bytes:
    """A PDF with a text layer whose page ``table_page`` holds ``rows`` as a table (one
    string per column), the other pages a line of prose."""
    buffer = io.BytesIO()
    with matplotlib.rc_context({"pdf.fonttype": 42}), PdfPages(buffer) as document:
        for number in range(1, pages + 1):
            figure = Figure(figsize=(8.5, 4.0))
            if number == table_page:
                for r, row in enumerate(rows):
                    for x, cell in zip(_COLUMNS, row, strict=False):
                        figure.text(x, 0.9 - 0.08 * r, cell, fontsize=9)
            else:
                figure.text(0.05, 0.5, "Typical performance curves follow.", fontsize=9)
            document.savefig(figure)
    return buffer.getvalue()
