"""Datasheet pages around the graphs: paper sizes, the 2×3 panel grid, headers and footers,
the specification page of tables that opens a datasheet, and the scanned copy of a page.

Everything is laid out on page-sized matplotlib figures in page points; the figures draw at
:data:`PX_PER_PT` pixels to the point, the unit the graph styles and annotations measure
in. A scan is the real page rendered by PDFium, rotated, blurred and noised like a flat-bed
scan, and placed back on a page as its only content.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pypdfium2 as pdfium
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from scipy import ndimage

# A style "px" is a fifth of a point: fine enough that the annotations' occupancy cells
# (3 px) leave room for a label a few points from its curve.
PX_PER_PT = 5.0
PAPERS = {"a4": (595.28, 841.89), "letter": (612.0, 792.0)}
MARGIN_PT = (46.0, 78.0, 34.0, 52.0)  # left, top (under the header), right, bottom (footer)
# Inside a grid cell: room for y tick labels and title, x tick labels, title and caption.
CELL_PAD_PT = (48.0, 10.0, 14.0, 50.0)  # left, top, right, bottom
SCAN_DPI = (150.0, 200.0)
SCAN_ROTATION_DEG = 0.5  # scans sit a little crooked on the glass; less than half a degree
SCAN_BLUR_PX = (0.5, 1.0)
SCAN_NOISE = (2.0, 6.0)  # grey levels of sensor noise
SCAN_PAPER_GREY = (238, 252)  # paper is never pure white on a scan


def page_figure(paper: str) -> Figure:
    width, height = PAPERS[paper]
    figure = Figure(figsize=(width / 72.0, height / 72.0), dpi=72.0 * PX_PER_PT)
    figure.patch.set_facecolor("#ffffff")
    return figure


def page_size_pt(figure: Figure) -> tuple[float, float]:
    width_in, height_in = figure.get_size_inches()
    return float(width_in * 72.0), float(height_in * 72.0)


def grid_frames(paper: str, rows: int = 3, columns: int = 2) -> list[tuple[float, ...]]:
    """Frame boxes (x0, top, x1, bottom) of a rows × columns grid, row by row, whole points."""
    width, height = PAPERS[paper]
    left, top, right, bottom = MARGIN_PT
    cell_w = (width - left - right) / columns
    cell_h = (height - top - bottom) / rows
    pad_l, pad_t, pad_r, pad_b = CELL_PAD_PT
    frames = []
    for row in range(rows):
        for column in range(columns):
            x0 = left + column * cell_w
            y0 = top + row * cell_h
            frames.append(
                (
                    float(round(x0 + pad_l)),
                    float(round(y0 + pad_t)),
                    float(round(x0 + cell_w - pad_r)),
                    float(round(y0 + cell_h - pad_b)),
                )
            )
    return frames


def _line(figure: Figure, x0: float, y0: float, x1: float, y1: float, width: float) -> None:
    """A rule in page points from the top-left."""
    page_w, page_h = page_size_pt(figure)
    figure.add_artist(
        Line2D(
            [x0 / page_w, x1 / page_w],
            [1 - y0 / page_h, 1 - y1 / page_h],
            transform=figure.transFigure,
            color="#000000",
            linewidth=width,
        )
    )


def _text(figure: Figure, x: float, y: float, text: str, **kwargs: object) -> None:
    """Text anchored at (x, y) page points from the top-left (baseline-free: top)."""
    page_w, page_h = page_size_pt(figure)
    figure.text(x / page_w, 1 - y / page_h, text, va="top", **kwargs)  # type: ignore[arg-type]


def draw_furniture(figure: Figure, part: str, vendor: str, page: int, pages: int) -> None:
    """Header with the part number and a rule, footer with the revision and page count."""
    width, height = page_size_pt(figure)
    left, _, right, _ = MARGIN_PT
    _text(figure, left, 34, part, fontsize=16, fontweight="bold")
    _text(figure, width - right, 40, "N-Channel Power MOSFET", fontsize=9, ha="right")
    _line(figure, left, 56, width - right, 56, 1.2)
    _line(figure, left, height - 40, width - right, height - 40, 0.5)
    _text(figure, left, height - 34, f"© {vendor} · Rev. 1.3", fontsize=7)
    _text(figure, width - right, height - 34, f"Page {page} of {pages}", fontsize=7, ha="right")


@dataclass(frozen=True)
class Rating:
    symbol: str
    parameter: str
    conditions: str
    value: str
    unit: str


def _ratings(rng: np.random.Generator) -> list[Rating]:
    vdss = float(rng.choice([30, 60, 100, 150, 200, 250, 500, 600]))
    current = float(round(10 ** rng.uniform(0.7, 2.0)))
    rds = float(round(10 ** rng.uniform(0.5, 2.5), 1))
    return [
        Rating("VDSS", "Drain-to-Source Voltage", "", f"{vdss:g}", "V"),
        Rating("VGS", "Gate-to-Source Voltage", "", "±20", "V"),
        Rating("ID", "Continuous Drain Current", "TC = 25 °C", f"{current:g}", "A"),
        Rating("ID", "Continuous Drain Current", "TC = 100 °C", f"{current * 0.7:.1f}", "A"),
        Rating("IDM", "Pulsed Drain Current", "Note 1", f"{current * 4:g}", "A"),
        Rating("PD", "Power Dissipation", "TC = 25 °C", f"{current * 3:g}", "W"),
        Rating("TJ, TSTG", "Operating and Storage Temperature", "", "-55 to 175", "°C"),
        Rating("RDS(on)", "Static Drain-to-Source On-Resistance", "VGS = 10 V", f"{rds:g}", "mΩ"),
        Rating("VGS(th)", "Gate Threshold Voltage", "VDS = VGS, ID = 250 µA", "2.0 – 4.0", "V"),
        Rating("Ciss", "Input Capacitance", "VDS = 25 V, f = 1 MHz", f"{rds * 40:g}", "pF"),
        Rating("Qg", "Total Gate Charge", "VGS = 10 V", f"{rds * 1.5:g}", "nC"),
        Rating("VSD", "Diode Forward Voltage", "IS = 10 A, VGS = 0 V", "1.3", "V"),
    ]


def draw_spec_page(figure: Figure, part: str, rng: np.random.Generator) -> None:
    """The first page of a datasheet: description, features and a ruled table of ratings
    and characteristics, whose lines a panel finder must not take for a graph."""
    width, _ = page_size_pt(figure)
    left, top, right, _ = MARGIN_PT
    _text(figure, left, top + 4, "Description", fontsize=11, fontweight="bold")
    description = (
        f"The {part} uses advanced trench technology to give a low on-resistance and\n"
        "gate charge. It suits synchronous rectification, motor drives and DC-DC\n"
        "converters in industrial and consumer applications."
    )
    _text(figure, left, top + 22, description, fontsize=8.5, linespacing=1.4)
    _text(figure, left, top + 78, "Features", fontsize=11, fontweight="bold")
    features = "• 100 % avalanche tested\n• Low gate charge\n• 175 °C operating temperature"
    _text(figure, left, top + 96, features, fontsize=8.5, linespacing=1.4)
    table_top = top + 160
    _text(
        figure,
        left,
        table_top - 18,
        "Electrical Characteristics (TJ = 25 °C unless otherwise noted)",
        fontsize=10,
        fontweight="bold",
    )
    columns = (left, left + 70, left + 250, left + 400, width - right - 40, width - right)
    headers = ("Symbol", "Parameter", "Test Conditions", "Value", "Unit")
    row_h = 16.0
    rows = _ratings(rng)
    for column, header in zip(columns, headers, strict=False):
        _text(figure, column + 4, table_top + 4, header, fontsize=8, fontweight="bold")
    for index, rating in enumerate(rows):
        y = table_top + (index + 1) * row_h + 4
        cells = (rating.symbol, rating.parameter, rating.conditions, rating.value, rating.unit)
        for column, cell in zip(columns, cells, strict=False):
            _text(figure, column + 4, y, cell, fontsize=8)
    bottom = table_top + (len(rows) + 1) * row_h
    for index in range(len(rows) + 2):
        _line(
            figure,
            left,
            table_top + index * row_h,
            width - right,
            table_top + index * row_h,
            1.0 if index in (0, 1, len(rows) + 1) else 0.4,
        )
    for column in columns:
        _line(figure, column, table_top, column, bottom, 0.6)


@dataclass(frozen=True)
class Scan:
    """How a page was scanned: resolution, tilt (counter-clockwise on the page, degrees)."""

    dpi: float
    rotation_deg: float
    blur_px: float
    noise: float

    def move(self, x_pt: float, y_pt: float, paper: str) -> tuple[float, float]:
        """Where a point of the original page lies on the scan (page points, top-left)."""
        width, height = PAPERS[paper]
        cx, cy = width / 2, height / 2
        angle = math.radians(self.rotation_deg)
        dx, dy = x_pt - cx, y_pt - cy
        # Counter-clockwise as seen on the page, whose y axis points down.
        return (
            cx + dx * math.cos(angle) + dy * math.sin(angle),
            cy - dx * math.sin(angle) + dy * math.cos(angle),
        )


def draw_scan(rng: np.random.Generator) -> Scan:
    return Scan(
        dpi=float(rng.uniform(*SCAN_DPI)),
        rotation_deg=float(rng.uniform(-SCAN_ROTATION_DEG, SCAN_ROTATION_DEG)),
        blur_px=float(rng.uniform(*SCAN_BLUR_PX)),
        noise=float(rng.uniform(*SCAN_NOISE)),
    )


def scanned_pixels(page_pdf: bytes, scan: Scan, rng: np.random.Generator) -> np.ndarray:
    """The one-page PDF as a flat-bed scan would see it: grey, tilted, blurred, noisy."""
    document = pdfium.PdfDocument(page_pdf)
    try:
        bitmap = document[0].render(scale=scan.dpi / 72.0, grayscale=True)
        image = np.asarray(bitmap.to_pil().convert("L"), dtype=np.float32)
    finally:
        document.close()
    paper = float(rng.uniform(*SCAN_PAPER_GREY))
    image = image * (paper / 255.0)
    centre = (np.array(image.shape, dtype=float) - 1) / 2
    angle = math.radians(scan.rotation_deg)
    # (row, col) output → input: the inverse of turning the content by +angle on the page.
    inverse = np.array([[math.cos(angle), math.sin(angle)], [-math.sin(angle), math.cos(angle)]])
    image = ndimage.affine_transform(
        image, inverse, offset=centre - inverse @ centre, order=1, cval=paper
    )
    image = ndimage.gaussian_filter(image, scan.blur_px)
    image += rng.normal(0.0, scan.noise, size=image.shape)
    return np.clip(np.rint(image), 0, 255).astype(np.uint8)


def image_page(pixels: np.ndarray, paper: str) -> Figure:
    """A page whose only content is ``pixels`` stretched over it: no text layer at all."""
    figure = page_figure(paper)
    ax = figure.add_axes((0.0, 0.0, 1.0, 1.0))
    ax.imshow(pixels, cmap="gray", vmin=0, vmax=255, interpolation="none", aspect="auto")
    ax.set_axis_off()
    return figure
