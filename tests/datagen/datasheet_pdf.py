"""Datasheet PDFs with known truth: graph pages like a vendor's, a specification page, an
embedded-raster panel and scanned pages, each with the :class:`DatasheetResult` a perfect
reader would return.

Truth conventions (see :mod:`graphq.datasheet.types`): a graph's ``box`` is its frame (the
centre lines of the frame or edge grid lines) in PDF points from the page's top-left; on a
scanned page it is the frame's box moved with the scan's tilt about the page centre, size
kept. Curve points are the drawn polyline inside the frame in axis units, every 0.25 pt along
its length, sorted by x. A curve's ``value`` and ``conditions`` are in base units (V, A, °C,
Hz, s); ``conditions`` holds its own label's condition plus those printed for the whole graph
(condition box, notes, caption). Condition names are spelled as printed ("VGS", "TJ", "TC",
"f"); "250 µs pulse test" is ``tp``. Every truth curve is drawn; its label may not be
(see :attr:`GeneratedDatasheet.texts` for the labels that were).

``python -m tests.datagen.datasheet_pdf OUT_DIR`` writes the examples of
:func:`example_specs` there: ``NAME.pdf``, ``NAME.truth.json`` and ``NAME.texts.json``.
"""

from __future__ import annotations

import io
import math
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import matplotlib
import msgspec
import numpy as np
from matplotlib.backend_bases import RendererBase
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.transforms import Affine2D

from graphq.datasheet.types import DatasheetGraph, DatasheetResult

from .pdf_pages import (
    PAPERS,
    PX_PER_PT,
    Scan,
    draw_furniture,
    draw_scan,
    draw_spec_page,
    grid_frames,
    image_page,
    page_figure,
    page_size_pt,
    scanned_pixels,
)
from .pdf_panels import RASTER_DPI, DrawnPanel, PanelSpec, draw_panel

# Graph order of a typical MOSFET datasheet; a page drawn from the seed takes six of them.
VENDOR_ORDER = (
    "output",
    "transfer",
    "rdson_current",
    "rdson_temperature",
    "body_diode",
    "capacitance",
    "gate_charge",
    "breakdown_temperature",
    "thermal_impedance",
)
PANELS_PER_PAGE = 6
VENDORS = ("Northwind Semiconductor", "Acme Power Devices", "Kestrel Micro")
RENDER_RC = {"pdf.fonttype": 42, "path.simplify": False, "path.snap": False}
PDF_METADATA = {"Creator": None, "Producer": None, "CreationDate": None}


TextLayer = Literal["text", "image"]


class PrintedText(msgspec.Struct, rename="camel"):
    """A text printed on a page and where: what a reader should find in the text layer.

    ``role`` is ``caption``, ``x_tick``, ``y_tick``, ``x_title``, ``y_title``,
    ``curve_label`` (inline, arrow, column or legend text) or ``box`` (table, notes,
    equation, condition). ``text`` is spelled as the text layer holds it (mathtext markup
    removed, so 10 with a raised −1 reads ``10−1``, its minus signs U+2212); ``value`` is a
    tick label's axis value; ``graph`` indexes the truth's graphs; ``layer`` is ``image``
    where the text exists only as pixels (a scanned page, the inside of a raster panel).
    """

    page: int
    role: str
    text: str
    box: list[float]
    graph: int
    value: float | None = None
    layer: TextLayer = "text"


def text_layer_form(text: str) -> str:
    """A matplotlib text as the PDF's text layer spells it: mathtext markup gone, its
    hyphens drawn as minus signs."""

    def plain(match: re.Match[str]) -> str:
        return re.sub(r"[_^{}\\]", "", match.group(1)).replace("-", "−")

    return re.sub(r"\$(.*?)\$", plain, text)


def _extent(artist: Text, renderer: RendererBase, page_h: float) -> list[float]:
    box = artist.get_window_extent(renderer).transformed(Affine2D().scale(1.0 / PX_PER_PT))
    return [float(box.x0), float(page_h - box.y1), float(box.x1), float(page_h - box.y0)]


def printed_texts(
    panel: DrawnPanel, renderer: RendererBase, page: int, graph: int, scanned: bool
) -> list[PrintedText]:
    """Every text of a drawn panel (call after the figure is drawn)."""
    _, page_h = page_size_pt(panel.ax.figure)
    texts: list[PrintedText] = []
    inside_layer: TextLayer = "image" if scanned or panel.graph.source == "raster" else "text"
    outside_layer: TextLayer = "image" if scanned else "text"

    def add(role: str, artist: Text, value: float | None = None) -> None:
        if artist.get_visible() and artist.get_text().strip():
            layer = inside_layer if role in ("curve_label", "box") else outside_layer
            box = _extent(artist, renderer, page_h)
            text = text_layer_form(artist.get_text())
            texts.append(PrintedText(page, role, text, box, graph, value, layer))

    for name, target, axis in (
        ("x", panel.ax.xaxis, panel.graph.axes.x),
        ("y", panel.ax.yaxis, panel.graph.axes.y),
    ):
        low, high = sorted((axis.min, axis.max))
        slack = (math.log10(high / low) if axis.scale == "log" else high - low) * 1e-9
        for tick in target.get_major_ticks():
            loc = float(tick.get_loc())
            position = math.log10(loc) if axis.scale == "log" and loc > 0 else loc
            ends = (math.log10(low), math.log10(high)) if axis.scale == "log" else (low, high)
            if ends[0] - slack <= position <= ends[1] + slack:
                add(f"{name}_tick", tick.label1, float(f"{loc:.12g}"))
        add(f"{name}_title", target.label)
    for artist in panel.ax.texts:
        role = "curve_label" if artist.get_text() in panel.label_texts else "box"
        add(role, artist)
    legend = panel.ax.get_legend()
    if legend is not None:
        for artist in legend.get_texts():
            add("curve_label", artist)
    add("caption", panel.caption)
    return texts


@dataclass(frozen=True)
class PageSpec:
    """One page: ``graphs`` (``panels`` in grid order, row by row; none → six drawn from the
    seed) or ``spec`` (description and ruled table); ``scanned`` turns the finished page into
    a scan with no text layer."""

    kind: Literal["graphs", "spec"] = "graphs"
    panels: tuple[PanelSpec, ...] = ()
    scanned: bool = False


@dataclass(frozen=True)
class DatasheetSpec:
    """A whole document; the same spec always gives the same bytes."""

    seed: int
    pages: tuple[PageSpec, ...] = (PageSpec(),)
    paper: Literal["a4", "letter"] | None = None
    part: str = ""


@dataclass(frozen=True)
class GeneratedDatasheet:
    """The PDF, its truth, every text printed in a graph (tick labels with their values,
    titles, curve labels, boxes, captions) and how each scanned page was scanned."""

    pdf: bytes
    truth: DatasheetResult
    texts: list[PrintedText]
    scans: dict[int, Scan] = field(default_factory=dict)


def _random_panels(rng: np.random.Generator) -> tuple[PanelSpec, ...]:
    chosen = sorted(rng.choice(len(VENDOR_ORDER), size=PANELS_PER_PAGE, replace=False))
    return tuple(PanelSpec(graph_type=VENDOR_ORDER[i]) for i in chosen)


def _moved_box(box: list[float], scan: Scan, paper: str) -> list[float]:
    cx, cy = scan.move((box[0] + box[2]) / 2, (box[1] + box[3]) / 2, paper)
    half_w, half_h = (box[2] - box[0]) / 2, (box[3] - box[1]) / 2
    return [cx - half_w, cy - half_h, cx + half_w, cy + half_h]


def _pdf_bytes(figures: list[tuple[Figure, float]]) -> bytes:
    buffer = io.BytesIO()
    with PdfPages(buffer, metadata=PDF_METADATA) as pdf:
        for figure, dpi in figures:
            pdf.savefig(figure, dpi=dpi)
    return buffer.getvalue()


def _graph_page(
    figure: Figure, page: PageSpec, paper: str, first_graph: int, seed: list[int]
) -> tuple[list[DatasheetGraph], list[PrintedText]]:
    """Draw the page's panels; figures are numbered on from ``first_graph + 1``."""
    canvas = FigureCanvasAgg(figure)
    rng = np.random.default_rng(seed)
    specs = page.panels or _random_panels(rng)
    frames = grid_frames(paper)
    if len(specs) > len(frames):
        raise ValueError(f"a page holds at most {len(frames)} panels, got {len(specs)}")
    drawn = [
        draw_panel(
            figure,
            canvas.get_renderer(),
            frame,
            spec,
            first_graph + slot + 1,
            np.random.default_rng([*seed, slot + 1]),
        )
        for slot, (frame, spec) in enumerate(zip(frames, specs, strict=False))
    ]
    figure.draw_without_rendering()
    page_no = seed[-1]
    texts = [
        text
        for index, panel in enumerate(drawn)
        for text in printed_texts(
            panel, canvas.get_renderer(), page_no, first_graph + index, page.scanned
        )
    ]
    graphs = [msgspec.structs.replace(panel.graph, page=page_no) for panel in drawn]
    return graphs, texts


def make_datasheet(spec: DatasheetSpec) -> GeneratedDatasheet:
    """Draw every page of ``spec`` and the truth a perfect reader would return."""
    rng = np.random.default_rng([spec.seed, 0])
    paper = spec.paper or str(rng.choice(sorted(PAPERS)))
    part = spec.part or f"GQ{int(rng.integers(10, 99))}N{int(rng.integers(10, 60))}"
    vendor = VENDORS[int(rng.integers(0, len(VENDORS)))]
    figures: list[tuple[Figure, float]] = []
    graphs: list[DatasheetGraph] = []
    texts: list[PrintedText] = []
    scans: dict[int, Scan] = {}
    with matplotlib.rc_context(RENDER_RC):
        for page_no, page in enumerate(spec.pages, start=1):
            page_rng = np.random.default_rng([spec.seed, page_no, 0])
            figure = page_figure(paper)
            draw_furniture(figure, part, vendor, page_no, len(spec.pages))
            dpi = float(page_rng.uniform(*RASTER_DPI))
            page_graphs: list[DatasheetGraph] = []
            page_texts: list[PrintedText] = []
            if page.kind == "spec":
                draw_spec_page(figure, part, page_rng)
            else:
                page_graphs, page_texts = _graph_page(
                    figure, page, paper, len(graphs), [spec.seed, page_no]
                )
            if page.scanned:
                scan = draw_scan(page_rng)
                pixels = scanned_pixels(_pdf_bytes([(figure, dpi)]), scan, page_rng)
                figure = image_page(pixels, paper)
                scans[page_no] = scan
                page_graphs = [
                    msgspec.structs.replace(g, box=_moved_box(g.box, scan, paper), source="raster")
                    for g in page_graphs
                ]
                page_texts = [
                    msgspec.structs.replace(t, box=_moved_box(t.box, scan, paper))
                    for t in page_texts
                ]
            graphs.extend(page_graphs)
            texts.extend(page_texts)
            figures.append((figure, dpi))
        pdf = _pdf_bytes(figures)
    truth = DatasheetResult(graphs=graphs, pages=len(spec.pages))
    return GeneratedDatasheet(pdf=pdf, truth=truth, texts=texts, scans=scans)


def example_specs(seed: int = 1) -> dict[str, DatasheetSpec]:
    """Named documents that show every feature at least once."""
    vector = (
        PanelSpec("output", style={"label_mode": "column", "grid_minor": "solid_grey"}),
        PanelSpec("transfer", log_y=True, style={"label_mode": "inline", "tick_format": "default"}),
        PanelSpec("rdson_temperature", style={"label_mode": "arrows"}),
        PanelSpec("body_diode", log_y=True, style={"tick_format": "e_short"}),
        PanelSpec(
            "capacitance",
            log_y=True,
            style={"label_mode": "legend", "dash_mode": "mixed", "tick_format": "comma"},
        ),
        PanelSpec("breakdown_temperature", style={"frame": "grid_edge", "label_mode": "inline_bg"}),
    )
    second = (
        PanelSpec("output", style={"label_mode": "table", "boxes": ["table", "notes"]}),
        PanelSpec("output_pchannel", pchannel_axes="magnitude", style={"label_mode": "inline"}),
        PanelSpec("output_pchannel", pchannel_axes="negative", style={"label_mode": "column"}),
        PanelSpec("capacitance", log_x=True, style={"tick_format": "e_long"}),
        PanelSpec("gate_charge", style={"dash_mode": "dashed"}),
        PanelSpec("thermal_impedance", style={"tick_format": "unicode"}),
    )
    raster = (
        PanelSpec("output"),
        PanelSpec("transfer", raster=True, log_y=True),
        PanelSpec("rdson_current"),
        PanelSpec("capacitance", raster=True),
    )
    return {
        "vector_page": DatasheetSpec(seed, (PageSpec(panels=vector),), paper="a4"),
        "vector_page_2": DatasheetSpec(seed + 1, (PageSpec(panels=second),), paper="letter"),
        "raster_panels": DatasheetSpec(seed + 2, (PageSpec(panels=raster),)),
        "scanned": DatasheetSpec(seed + 3, (PageSpec(panels=vector, scanned=True),)),
        "multipage": DatasheetSpec(
            seed + 4,
            (PageSpec(kind="spec"), PageSpec(panels=vector), PageSpec(panels=raster)),
        ),
        "random": DatasheetSpec(seed + 5, (PageSpec(kind="spec"), PageSpec(), PageSpec())),
    }


def write_examples(out_dir: Path, seed: int = 1) -> list[Path]:
    """Write every example's PDF, truth and printed texts; returns the PDFs' paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, spec in example_specs(seed).items():
        made = make_datasheet(spec)
        (out_dir / f"{name}.pdf").write_bytes(made.pdf)
        (out_dir / f"{name}.truth.json").write_bytes(
            msgspec.json.format(msgspec.json.encode(made.truth))
        )
        (out_dir / f"{name}.texts.json").write_bytes(
            msgspec.json.format(msgspec.json.encode(made.texts))
        )
        written.append(out_dir / f"{name}.pdf")
    return written


if __name__ == "__main__":
    for path in write_examples(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(".")):
        print(path)
