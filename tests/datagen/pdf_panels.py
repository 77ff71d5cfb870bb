"""One datasheet graph panel drawn on a PDF page, with its truth in page points.

The curves are a device family from :mod:`tests.datagen.devices`, the style is drawn by
:func:`tests.datagen.styles.draw_style` and the annotations come from
:mod:`tests.datagen.annotate`, as for the raster generator. The page figure draws at
:data:`~tests.datagen.pdf_pages.PX_PER_PT` pixels to the point, the style's "px", so the
annotations' measures hold; boxes are converted back to points.
Curves are drawn as the very polylines the truth is sampled from, with path simplification
off, so a vector reader can recover them exactly.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

import msgspec
import numpy as np
from matplotlib import ticker
from matplotlib.axes import Axes as MplAxes
from matplotlib.backend_bases import RendererBase
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.text import Text

from graphq.datasheet.types import DatasheetCurve, DatasheetGraph
from graphq.digitizer.types import Axes, Axis

from .annotate import Scene, add_boxes, add_curve_labels, label_text
from .axes import from_display, to_display
from .devices import FAMILIES, output_family
from .graph import CurveFamily, TruthCurve
from .pdf_pages import PX_PER_PT, page_size_pt
from .placement import Occupancy
from .render import _densify, _display_polyline, _distinct, _grid_kwargs, _style_axes
from .styles import curve_colours, curve_dashes, draw_style

STYLE_DPI = 72.0 * PX_PER_PT
FONT_PT = (6.0, 7.5)  # tick and label text of a 2×3 page, as vendors print it
FAMILY_DRAWS = 400  # draws of a family until it meets the panel's scale/curve-count asks
OUTPUT_CURVES = (4, 8)  # output graphs carry 4–8 gate voltages, as the issue asks
OUTPUT_LABELS = (0.4, 0.25, 0.15, 0.1, 0.1)  # mostly beside the curve ends or in a table
COLUMN_END = (0.62, 0.78)  # where curves stop when their labels stand in a column
RASTER_DPI = (150.0, 300.0)  # embedded-image panels: the resolutions vendors embed at
RASTER_Z = 2.4  # below the axis artists (z 2.5 once the axis is drawn above the plot)
CAPTION_PT = 7.5  # bold captions this size fit under a half-page-wide panel
CAPTION_DROP_PT = 30.0  # frame bottom to caption top: below tick labels and the axis title
CAPTION_CONDITION_SHARE = 0.25  # captions that repeat the graph's condition
DRAWN_STEP_PT = 0.5  # vertex spacing of the drawn curve paths
TRUTH_STEP_PT = 0.25  # truth points along the drawn paths

GRAPH_KINDS = (*FAMILIES, "output_pchannel")
CAPTIONS = {
    "output": "Typical Output Characteristics",
    "output_pchannel": "Typical Output Characteristics",
    "transfer": "Typical Transfer Characteristics",
    "capacitance": "Typical Capacitance vs. Drain-Source Voltage",
    "body_diode": "Typical Source-Drain Diode Forward Voltage",
    "rdson_current": "On-Resistance vs. Drain Current",
    "rdson_temperature": "Normalized On-Resistance vs. Temperature",
    "breakdown_temperature": "Normalized Breakdown Voltage vs. Temperature",
    "gate_charge": "Typical Gate Charge vs. Gate-to-Source Voltage",
    "thermal_impedance": "Transient Thermal Impedance",
}
CAPTION_FORMATS = ("Figure {n}. {name}", "Fig. {n} {name}", "Fig {n}. {name}")
PREFIXES = {"": 1.0, "µ": 1e-6, "m": 1e-3, "k": 1e3, "M": 1e6}
CONDITION = re.compile(
    r"(?<![\w(])([A-Za-z]+(?:\(on\))?)\s*=\s*(-?\d+(?:\.\d+)?)\s*(µ|m|k|M)?(V|A|°C|Hz|s)?(?!\w)"
)
PULSE = re.compile(r"(\d+(?:\.\d+)?)\s*µs pulse")


@dataclass(frozen=True)
class PanelSpec:
    """One graph panel; every unset choice is drawn from the page's seed.

    ``graph_type`` is a key of :data:`GRAPH_KINDS`; ``log_x``/``log_y`` pin the scales
    (the family is redrawn until they hold); ``style`` pins keys of
    :func:`tests.datagen.styles.draw_style` (``tick_format`` also takes ``e_short``, ``1E-1``,
    and ``e_long``, ``1.0E+01``, on log axes; ``label_mode`` also takes ``table``, the
    "Top: … Bottom: …" box); ``raster`` embeds the inside of the frame as an image;
    ``pchannel_axes`` (P-channel only) is ``magnitude`` (−VDS, −ID titles over positive
    ticks) or ``negative`` (negative ticks); ``caption_condition`` appends the condition to
    the caption.
    """

    graph_type: str = "output"
    log_x: bool | None = None
    log_y: bool | None = None
    style: dict[str, Any] = field(default_factory=dict)
    raster: bool = False
    pchannel_axes: Literal["magnitude", "negative"] | None = None
    caption_condition: bool | None = None


@dataclass
class DrawnPanel:
    """A panel on its page figure; its texts are read back once the figure is drawn."""

    ax: MplAxes
    graph: DatasheetGraph
    caption: Text
    label_texts: set[str]


def _family(kind: str, spec: PanelSpec, rng: np.random.Generator) -> CurveFamily:
    """A family of ``kind`` meeting the spec's scales and the issue's curve counts."""
    make: Callable[[np.random.Generator], CurveFamily] = (
        output_family if kind == "output_pchannel" else FAMILIES[kind]
    )
    log_x = False if kind == "output_pchannel" else spec.log_x
    for _ in range(FAMILY_DRAWS):
        family = make(rng)
        scales_ok = all(
            want is None or (axis.scale == "log") == want
            for want, axis in ((log_x, family.axes.x), (spec.log_y, family.axes.y))
        )
        count_ok = kind not in ("output", "output_pchannel") or (
            OUTPUT_CURVES[0] <= len(family.curves) <= OUTPUT_CURVES[1]
        )
        if kind == "output_pchannel":
            scales_ok = scales_ok and family.axes.y.scale == "linear"
        if scales_ok and count_ok:
            return _as_pchannel(family, spec, rng) if kind == "output_pchannel" else family
    raise ValueError(f"no {kind} family with log_x={spec.log_x}, log_y={spec.log_y}")


def _as_pchannel(family: CurveFamily, spec: PanelSpec, rng: np.random.Generator) -> CurveFamily:
    """The mirror image of an N-channel output family: negative gate voltages, and either
    magnitudes under "−VDS"/"−ID" titles or negative tick values."""
    mode = spec.pchannel_axes or ("magnitude" if rng.random() < 0.5 else "negative")
    curves = []
    for curve in family.curves:
        value = -float(curve.value or 0.0)
        label = f"VGS = {value:g} V"
        points = curve.points if mode == "magnitude" else -curve.points
        curves.append(TruthCurve(label, value, points[np.argsort(points[:, 0])]))
    x, y = family.axes.x, family.axes.y
    if mode == "magnitude":
        axes = Axes(
            x=msgspec.structs.replace(x, quantity="-VDS"),
            y=msgspec.structs.replace(y, quantity="-ID"),
        )
    else:
        axes = Axes(
            x=Axis(min=-x.max, max=-x.min, scale="linear", quantity="VDS", unit="V"),
            y=Axis(min=-y.max, max=-y.min, scale="linear", quantity="ID", unit="A"),
        )
    table = "VGS\nTop: " + "\n".join(f"{c.value:g} V" for c in curves[:-1])
    boxes = {**family.box_texts, "table": table + f"\nBottom: {curves[-1].value:g} V"}
    return CurveFamily("output", axes, curves, boxes)


def _style(
    kind: str,
    curve_count: int,
    family_axes_negative: bool,
    spec: PanelSpec,
    rng: np.random.Generator,
) -> dict:
    """A draw_style style at page sizes, labelled as vendors label each graph type."""
    style = draw_style(rng, kind, curve_count)
    style.update(dpi=STYLE_DPI, font_pt=float(rng.uniform(*FONT_PT)), title="")
    style["axis_labels"] = True
    # Curves of 0.5–1.5 pt and frames of 0.67–1.67 pt, as vendors draw them.
    style["line_px"] = float(rng.choice([0.5, 0.7, 1.0, 1.5], p=[0.35, 0.35, 0.2, 0.1]))
    style["line_px"] *= PX_PER_PT
    style["frame_px"] = PX_PER_PT * (0.7 if style["frame"] != "thick" else rng.uniform(1.0, 1.7))
    if kind in ("output", "output_pchannel"):
        style["label_mode"] = str(
            rng.choice(["column", "table", "inline", "arrows", "inline_bg"], p=OUTPUT_LABELS)
        )
    elif kind == "capacitance":
        style["label_mode"] = "legend" if rng.random() < 0.7 else "inline"
        style["dash_mode"] = "mixed" if style["label_mode"] == "legend" else style["dash_mode"]
        style["boxes"] = sorted({*style["boxes"], "condition"})
    elif curve_count > 1 and style["label_mode"] == "none":
        style["label_mode"] = "inline"
    if rng.random() < 0.35:
        style["tick_format"] = str(rng.choice(["e_short", "e_long"]))
    style.update(spec.style)
    if style["frame"] == "grid_edge" and style["grid_major"] == "none":
        style["grid_major"] = "solid_grey"
    if style["label_mode"] == "column" and family_axes_negative:
        # Curve ends sit at the left edge of a negative-tick plot: no column there.
        style["label_mode"] = "inline"
    if style["label_mode"] == "table":
        style["label_mode"] = "none"
        style["boxes"] = sorted({*style["boxes"], "table"})
    if spec.raster:
        style["ticks_inside"] = False
    return style


def _apply_tick_format(ax: MplAxes, axes: Axes, tick_format: str) -> None:
    """``1E-1`` and ``1.0E+01`` labels on log axes, which :mod:`.ticks` does not print."""
    if tick_format not in ("e_short", "e_long"):
        return
    for target, axis in ((ax.xaxis, axes.x), (ax.yaxis, axes.y)):
        if axis.scale != "log":
            continue
        if tick_format == "e_short":
            target.set_major_formatter(
                ticker.FuncFormatter(
                    lambda v, _: f"{v:.0E}".replace("E+0", "E").replace("E-0", "E-")
                )
            )
        else:
            target.set_major_formatter(ticker.FuncFormatter(lambda v, _: f"{v:.1E}"))


def _axis_titles(ax: MplAxes, axes: Axes, style: dict[str, Any]) -> None:
    """P-channel magnitude titles ("−VDS, Drain-to-Source Voltage (V)")."""
    names = {"-VDS": "Drain-to-Source Voltage", "-ID": "Drain Current"}
    for target, axis in ((ax.xaxis, axes.x), (ax.yaxis, axes.y)):
        if axis.quantity in names:
            symbol = label_text(axis.quantity, style).replace("-", "−", 1)
            target.set_label_text(f"{symbol}, {names[axis.quantity]} ({axis.unit})")


def _manual_grid(ax: MplAxes, axes: Axes, style: dict[str, Any]) -> None:
    """Grid lines as plain lines, so that a rasterized panel takes them into its image
    (matplotlib's own grid belongs to the axis, whose tick labels must stay text)."""
    for which, kind in (("major", style["grid_major"]), ("minor", style["grid_minor"])):
        if kind == "none":
            continue
        kwargs = _grid_kwargs(kind, style["dpi"], minor=which == "minor")
        for target, axis, draw in (
            (ax.xaxis, axes.x, ax.axvline),
            (ax.yaxis, axes.y, ax.axhline),
        ):
            low, high = sorted((axis.min, axis.max))
            locs = target.get_majorticklocs() if which == "major" else target.get_minorticklocs()
            for loc in locs:
                if low < loc < high:
                    draw(loc, zorder=0.6, **kwargs)


def _rasterize_inside(ax: MplAxes) -> None:
    """Everything inside the frame, frame and white background included, becomes one opaque
    image, as an embedded bitmap graph; ticks, tick labels and titles stay vector and text.

    matplotlib rasterizes everything below the rasterization z-order in one go, so the
    inside is moved below the axis artists, which are raised above it.
    """
    ax.set_axisbelow(False)
    for artist in ax.texts:
        artist.set_zorder(RASTER_Z - 0.2)
    for spine in ax.spines.values():
        spine.set_zorder(RASTER_Z - 0.05)
    if ax.get_legend() is not None:
        ax.get_legend().set_zorder(RASTER_Z - 0.1)
    ax.set_rasterization_zorder(RASTER_Z)


def parse_conditions(text: str) -> dict[str, float]:
    """The conditions this generator prints ("VDS = 10 V", "f = 1 MHz", "250 µs pulse
    test"), in base units; it reads only the generator's own spellings."""
    found: dict[str, float] = {}
    for name, number, prefix, _unit in CONDITION.findall(text):
        found[name] = float(number) * PREFIXES[prefix]
    pulse = PULSE.search(text)
    if pulse:
        found["tp"] = float(pulse.group(1)) * 1e-6
    return found


def _truth_points(
    drawn: np.ndarray, axes: Axes, frame_pt: tuple[float, float, float, float]
) -> np.ndarray:
    """The drawn polyline inside the frame (edges included), a point every
    :data:`TRUTH_STEP_PT` along it, in axis units, sorted by x."""
    per_unit = 0.5 / TRUTH_STEP_PT
    x0, top, x1, bottom = frame_pt
    display = _densify(drawn, (x1 - x0) * per_unit, (bottom - top) * per_unit)
    inside = display[np.all((display >= 0.0) & (display <= 1.0), axis=1)]
    points = np.column_stack(
        [from_display(inside[:, 0], axes.x), from_display(inside[:, 1], axes.y)]
    )
    return points[np.argsort(points[:, 0], kind="stable")]


@dataclass
class DrawnCurve:
    """A curve as drawn: ``drawn`` is the polyline handed to the PDF (frame fractions, a
    vertex every :data:`DRAWN_STEP_PT`), ``dense`` the same line every half style px, which
    the annotations and the visibility test measure along."""

    truth: TruthCurve
    drawn: np.ndarray
    dense: np.ndarray
    colour: str
    dashed: bool
    line: Line2D


def _draw_curves(
    ax: MplAxes,
    family: CurveFamily,
    style: dict[str, Any],
    size_pt: tuple[float, float],
    rng: np.random.Generator,
) -> list[DrawnCurve]:
    """Plot the family's curves a reader can tell apart, highest first as in the family."""
    axes = family.axes
    width_pt, height_pt = size_pt
    end = float(rng.uniform(*COLUMN_END)) if style["label_mode"] == "column" else 2.0
    # _densify steps half a unit: units of DRAWN_STEP_PT / 2 give a vertex every step.
    per_unit = 0.5 / DRAWN_STEP_PT
    drawn = [
        _densify(_display_polyline(c, axes, end), width_pt * per_unit, height_pt * per_unit)
        for c in family.curves
    ]
    dense = [_densify(d, width_pt * PX_PER_PT, height_pt * PX_PER_PT) for d in drawn]
    insides = [d[np.all((d >= 0.0) & (d <= 1.0), axis=1)] for d in dense]
    visible = _distinct(insides, width_pt * PX_PER_PT, height_pt * PX_PER_PT, style["line_px"])
    kept = [i for i, keep in enumerate(visible) if keep]
    colours = curve_colours(style, len(kept), rng)
    dashes = curve_dashes(style, len(kept), style["line_px"])
    pt = 1.0 / PX_PER_PT
    curves = []
    for index, colour, dash in zip(kept, colours, dashes, strict=True):
        (line,) = ax.plot(
            from_display(drawn[index][:, 0], axes.x),
            from_display(drawn[index][:, 1], axes.y),
            color=colour,
            linewidth=style["line_px"] * pt,
            solid_capstyle="butt",
            dash_capstyle="butt",
        )
        if dash:
            line.set_dashes([d * pt for d in dash])
        curves.append(
            DrawnCurve(family.curves[index], drawn[index], dense[index], colour, bool(dash), line)
        )
    return curves


def _caption(
    figure: Figure,
    frame_pt: tuple[float, float, float, float],
    spec: PanelSpec,
    family: CurveFamily,
    figure_number: int,
    rng: np.random.Generator,
) -> tuple[str, Text, dict[str, float]]:
    """ "Figure 7. Typical Output Characteristics" under the panel, sometimes with the
    graph's condition on a second line; returns it on one line, the drawn text and the
    conditions it prints."""
    page_w, page_h = page_size_pt(figure)
    x0, _, x1, bottom = frame_pt
    with_condition = (
        spec.caption_condition
        if spec.caption_condition is not None
        else bool(rng.random() < CAPTION_CONDITION_SHARE)
    )
    caption_format = CAPTION_FORMATS[int(rng.integers(0, len(CAPTION_FORMATS)))]
    text = caption_format.format(n=figure_number, name=CAPTIONS[spec.graph_type])
    printed = text
    conditions: dict[str, float] = {}
    if with_condition and "condition" in family.box_texts:
        extra = family.box_texts["condition"].replace("\n", ", ")
        # On a line of its own, as vendors print it under a narrow panel.
        printed = f"{text}\n({extra})"
        text = f"{text} ({extra})"
        conditions = parse_conditions(extra)
    artist = figure.text(
        (x0 + x1) / 2 / page_w,
        1 - (bottom + CAPTION_DROP_PT) / page_h,
        printed,
        ha="center",
        va="top",
        fontsize=CAPTION_PT,
        fontweight="bold",
    )
    return text, artist, conditions


def _annotate(
    ax: MplAxes,
    renderer: RendererBase,
    curves: list[DrawnCurve],
    family: CurveFamily,
    style: dict[str, Any],
    rng: np.random.Generator,
) -> dict[str, float]:
    """Curve labels and boxes where the occupancy allows; the conditions the drawn boxes
    print for the whole graph."""
    _, _, width, height = ax.get_position().bounds
    page_w, page_h = page_size_pt(ax.figure)
    occupancy = Occupancy(width * page_w * PX_PER_PT, height * page_h * PX_PER_PT)
    for curve in curves:
        occupancy.mark_polyline(curve.dense, 3.0 + style["line_px"])
    scene = Scene(ax, renderer, style, rng, occupancy, [c.dense for c in curves])
    add_curve_labels(
        scene, [c.truth.label for c in curves], [c.colour for c in curves], [c.line for c in curves]
    )
    conditions: dict[str, float] = {}
    for kind in add_boxes(scene, family.box_texts):
        if kind in ("condition", "notes"):
            conditions |= parse_conditions(family.box_texts[kind])
    return conditions


def draw_panel(
    figure: Figure,
    renderer: RendererBase,
    frame_pt: tuple[float, float, float, float],
    spec: PanelSpec,
    figure_number: int,
    rng: np.random.Generator,
) -> DrawnPanel:
    """Draw one graph with its frame at ``frame_pt`` (x0, top, x1, bottom; page points from
    the top-left) and its caption below; the graph's ``page`` is filled in by the caller."""
    if spec.graph_type not in GRAPH_KINDS:
        raise ValueError(f"unknown graph type {spec.graph_type!r}; expected one of {GRAPH_KINDS}")
    family = _family(spec.graph_type, spec, rng)
    negative = family.axes.x.max <= 0
    style = _style(spec.graph_type, len(family.curves), negative, spec, rng)
    axes = family.axes
    page_w, page_h = page_size_pt(figure)
    x0, top, x1, bottom = frame_pt
    ax = figure.add_axes(
        (x0 / page_w, 1 - bottom / page_h, (x1 - x0) / page_w, (bottom - top) / page_h)
    )
    _style_axes(ax, axes, style)
    _apply_tick_format(ax, axes, style["tick_format"])
    _axis_titles(ax, axes, style)
    if spec.raster:
        ax.grid(False, which="both")
        _manual_grid(ax, axes, style)
    curves = _draw_curves(ax, family, style, (x1 - x0, bottom - top), rng)
    conditions = _annotate(ax, renderer, curves, family, style, rng)
    if spec.raster:
        _rasterize_inside(ax)
    caption_text, caption, caption_conditions = _caption(
        figure, frame_pt, spec, family, figure_number, rng
    )
    conditions |= caption_conditions
    truth_curves = []
    for curve in curves:
        own = parse_conditions(curve.truth.label)
        truth_curves.append(
            DatasheetCurve(
                label=curve.truth.label,
                value=next(iter(own.values())) if len(own) == 1 else None,
                conditions=conditions | own,
                points=_truth_points(curve.drawn, axes, frame_pt).tolist(),
                confidence=1.0,
                color=curve.colour,
                dashed=curve.dashed,
            )
        )
    graph = DatasheetGraph(
        page=0,
        box=[float(x0), float(top), float(x1), float(bottom)],
        graph_type=family.graph_type,  # type: ignore[arg-type]
        source="raster" if spec.raster else "vector",
        axes=axes,
        curves=truth_curves,
        caption=caption_text,
        conditions=conditions,
    )
    label_texts = {label_text(c.truth.label, style) for c in curves}
    return DrawnPanel(ax, graph, caption, label_texts)


def to_page_display(points: np.ndarray, graph: DatasheetGraph) -> np.ndarray:
    """Axis units → page points from the top-left, through the graph's box."""
    x0, top, x1, bottom = graph.box
    fx = to_display(points[:, 0], graph.axes.x)
    fy = to_display(points[:, 1], graph.axes.y)
    return np.column_stack([x0 + fx * (x1 - x0), bottom - fy * (bottom - top)])
