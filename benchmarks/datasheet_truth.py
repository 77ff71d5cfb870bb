"""The hand-read truth of the development datasheets, and how a reading is compared with it.

The truth (``datasheet_truth.toml``) was read by eye once; both real-data benchmarks match what
:func:`graphq.datasheet.read_datasheet` finds against it here, so "found", "axes right" and
"label right" mean the same in both.
"""

from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from graphq.datasheet.types import DatasheetGraph
from graphq.digitizer.types import Axis

TRUTH_FILE = Path(__file__).with_name("datasheet_truth.toml")

# A found graph is the truth's graph when their frames overlap this much (intersection over
# union): a frame read a grid line off still overlaps its graph far more, a neighbour not at all.
MATCH_IOU = 0.5
# An axis edge is right within this fraction of the span (of the decades shown on a log axis):
# a tick label read off by one would be 10–25 % out, a rounding of the frame's position < 0.5 %.
AXIS_TOLERANCE = 0.01


@dataclass(frozen=True)
class TruthGraph:
    page: int
    figure: str
    graph_type: str
    box: tuple[float, float, float, float]
    x: Axis
    y: Axis
    labels: list[str]
    rotation: int
    axes_checked: bool

    @property
    def curves(self) -> int:
        return len(self.labels)


@dataclass(frozen=True)
class TruthSheet:
    name: str
    file: str
    set: str
    graphs: list[TruthGraph]


def _axis(table: dict) -> Axis:
    return Axis(
        min=float(table["min"]),
        max=float(table["max"]),
        scale=table["scale"],
        quantity=table.get("quantity", ""),
        unit=table.get("unit", ""),
    )


def _graph(table: dict) -> TruthGraph:
    if len(table["labels"]) != table["curves"]:
        raise ValueError(
            f"{table['figure']}: {table['curves']} curves but labels for a different count"
        )
    return TruthGraph(
        page=int(table["page"]),
        figure=table["figure"],
        graph_type=table["type"],
        box=tuple(float(v) for v in table["box"]),  # type: ignore[arg-type]
        x=_axis(table["x"]),
        y=_axis(table["y"]),
        labels=list(table["labels"]),
        rotation=int(table.get("rotation", 0)),
        axes_checked=bool(table.get("axes_checked", True)),
    )


def load_truth(path: Path = TRUTH_FILE) -> list[TruthSheet]:
    """Every datasheet of the truth file; a ``same_as`` sheet takes the graphs of the one named."""
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    graphs = {name: [_graph(g) for g in table.get("graphs", [])] for name, table in raw.items()}
    return [
        TruthSheet(name, table["file"], table["set"], graphs[table.get("same_as", name)])
        for name, table in raw.items()
    ]


def iou(a: tuple[float, ...] | list[float], b: tuple[float, ...] | list[float]) -> float:
    width = min(a[2], b[2]) - max(a[0], b[0])
    height = min(a[3], b[3]) - max(a[1], b[1])
    if width <= 0 or height <= 0:
        return 0.0
    inter = width * height
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union


def match_graphs(truth: list[TruthGraph], found: list[DatasheetGraph]) -> dict[int, int]:
    """Truth index → found index, one to one, best overlap first, same page, IoU ≥ 0.5."""
    pairs = sorted(
        (
            (iou(t.box, f.box), i, j)
            for i, t in enumerate(truth)
            for j, f in enumerate(found)
            if t.page == f.page
        ),
        reverse=True,
    )
    matched: dict[int, int] = {}
    used: set[int] = set()
    for overlap, i, j in pairs:
        if overlap < MATCH_IOU or i in matched or j in used:
            continue
        matched[i] = j
        used.add(j)
    return matched


def _display(value: float, axis: Axis) -> float:
    """Axis units → fraction of the truth axis's span (of its decades on a log axis)."""
    if axis.scale == "log":
        if value <= 0:
            return math.inf
        return (math.log10(value) - math.log10(axis.min)) / (
            math.log10(axis.max) - math.log10(axis.min)
        )
    return (value - axis.min) / (axis.max - axis.min)


def axis_right(truth: Axis, found: Axis) -> bool:
    """Same scale, and both edges within :data:`AXIS_TOLERANCE` of the truth's span."""
    if truth.scale != found.scale:
        return False
    low = _display(found.min, truth)
    high = _display(found.max, truth)
    return abs(low) <= AXIS_TOLERANCE and abs(high - 1.0) <= AXIS_TOLERANCE


def display_points(points: np.ndarray, x: Axis, y: Axis) -> np.ndarray:
    """Points in axis units → fractions of the frame; points a log axis cannot show are dropped."""
    points = np.asarray(points, dtype=float).reshape(-1, 2)
    columns = []
    for values, axis in ((points[:, 0], x), (points[:, 1], y)):
        if axis.scale == "log":
            with np.errstate(divide="ignore", invalid="ignore"):
                logs = np.log10(values)
            low, high = math.log10(axis.min), math.log10(axis.max)
            columns.append((logs - low) / (high - low))
        else:
            columns.append((values - axis.min) / (axis.max - axis.min))
    display = np.column_stack(columns)
    return display[np.all(np.isfinite(display), axis=1)]


_PREFIX = re.compile(r"^[a-zθ()\[\]{}/_.0-9]*?[a-zθ)]\s*=\s*(?=[-+0-9.])")
_UNIT_WORDS = {"volts": "v", "volt": "v", "amps": "a", "amperes": "a"}


def normalise_label(text: str) -> str:
    """A label as compared: case, spaces, subscript marks, minus and degree signs do not count.

    ``"VGS = 10 V"``, ``"10V"`` and ``"10"`` compare equal; so do ``"−55 °C"``, ``"-55°"`` and
    ``"-55"`` (a value's unit V or °C is dropped), and ``"C_{iss}"`` and ``"Ciss"``. A
    leading ``name =`` is dropped, so the quantity printed once for a family does not count.
    """
    folded = text.casefold().replace("−", "-").replace("–", "-").replace("µ", "u").replace("μ", "u")
    folded = folded.replace("°", "").replace("º", "")
    for word, unit in _UNIT_WORDS.items():
        folded = folded.replace(word, unit)
    folded = re.sub(r"[\s_{}]+", "", folded)
    folded = _PREFIX.sub("", folded)
    if re.fullmatch(r"[-+]?[0-9.]+[vc]", folded):
        folded = folded[:-1]
    return folded


def labels_bound(truth: list[str], found: list[str]) -> int:
    """How many labelled truth curves have a found curve carrying their label, one to one."""
    remaining = [normalise_label(label) for label in found]
    bound = 0
    for label in truth:
        key = normalise_label(label)
        if key and key in remaining:
            remaining.remove(key)
            bound += 1
    return bound


def find_pdf(directory: Path, sheet: TruthSheet) -> Path | None:
    path = directory / sheet.file
    return path if path.is_file() else None
