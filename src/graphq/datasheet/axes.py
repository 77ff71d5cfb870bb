"""Reading a graph's axes from words around its frame: range, scale, quantity and unit.

Tick labels are the numbers in the row just below the frame (x) and the column just left of
it (y). Each label is fitted to the frame edge or the tick mark or grid line nearest its
centre; :mod:`graphq.datasheet.scales` fits (position, value) to one linear or log scale, or,
where the ticks were drawn unevenly by hand, maps positions piecewise between the labels. The
fit gives the values at the frame edges and the map curve points go through. Its residual
and doubts make the confidence; an axis that cannot be read carries an AXIS_UNREAD note
instead of a guess. OCR-read labels that break the progression the others form (a minus, a
point or an exponent misread) are first mended to it, each change noted
(:mod:`graphq.datasheet.progression`). The words may come from the text layer or from OCR:
nothing here reads the PDF.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from graphq.datasheet.numbers import join_exponents, parse_number
from graphq.datasheet.progression import ProgressionSettings, mend_progression
from graphq.datasheet.quantities import parse_title
from graphq.datasheet.scales import ScaleFit, ScaleSettings, fit_scale, snap_value
from graphq.datasheet.textlines import TextLine, text_lines
from graphq.datasheet.words import Word
from graphq.digitizer.types import Axes, Axis, AxisScale
from graphq.review import ReviewNote, ReviewReason

Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class AxisSettings:
    # Tick labels start within this many label heights outside the frame (tick marks and
    # padding push them ~0.3–1.5 heights away).
    label_reach_em: float = 2.5
    # A label is fitted to the tick or grid line within this many label heights of its
    # centre; further out, its centre itself is taken.
    tick_reach_em: float = 0.8
    # How labels are fitted to a scale (single, piecewise or rounded).
    scale: ScaleSettings = field(default_factory=ScaleSettings)
    # A label centred within this many label heights of a frame edge names the edge: the
    # outermost labels stand at the edges, and a grid line that close to an edge could
    # carry no label of its own.
    edge_reach_em: float = 0.5
    # The axis title lies within this many label heights beyond the tick labels.
    title_reach_em: float = 4.0
    # How OCR-read labels are mended to the progression the others form.
    progression: ProgressionSettings = field(default_factory=ProgressionSettings)


@dataclass(frozen=True)
class AxisReading:
    axis: Axis | None
    confidence: float
    # (position in points, value) of every label used.
    ticks: list[tuple[float, float]] = field(default_factory=list)
    title: str = ""
    reasons: list[ReviewNote] = field(default_factory=list)
    # Page position → axis value; None when the axis was not read.
    fit: ScaleFit | None = None

    def values_at(self, positions: np.ndarray) -> np.ndarray:
        """Axis values at page positions (points), through the labels' own map."""
        if self.fit is None:
            raise ValueError("an unread axis maps no positions")
        return self.fit.values_at(positions)


@dataclass(frozen=True)
class AxesReading:
    x: AxisReading
    y: AxisReading

    @property
    def axes(self) -> Axes | None:
        if self.x.axis is None or self.y.axis is None:
            return None
        return Axes(x=self.x.axis, y=self.y.axis)

    @property
    def reasons(self) -> list[ReviewNote]:
        return self.x.reasons + self.y.reasons


def read_axes(
    words: list[Word],
    frame_box: Box,
    x_tick_positions: list[float],
    y_tick_positions: list[float],
    settings: AxisSettings | None = None,
) -> AxesReading:
    """Both axes of the graph whose frame is ``frame_box`` (points, top-left origin)."""
    chosen = settings or AxisSettings()
    numbers = [
        (w, v)
        for w in join_exponents(words)
        if w.upright and (v := parse_number(w.text)) is not None
    ]
    lines = text_lines(words)
    x = _read_axis("x", numbers, lines, frame_box, x_tick_positions, chosen)
    y = _read_axis("y", numbers, lines, frame_box, y_tick_positions, chosen)
    return AxesReading(x, y)


def tick_label_positions(
    name: str,
    words: list[Word],
    frame_box: Box,
    ticks: list[float],
    settings: AxisSettings | None = None,
) -> list[tuple[float, float]]:
    """(position, value) of each tick label beside the frame's ``name`` ("x" or "y") edge,
    each fitted to its tick, as read: nothing mended or left out, for a caller that knows
    the axis range and judges the labels against it."""
    chosen = settings or AxisSettings()
    numbers = [
        (w, v)
        for w in join_exponents(words)
        if w.upright and (v := parse_number(w.text)) is not None
    ]
    labels = _without_lost_exponents(_tick_labels(name, numbers, frame_box, chosen))
    edges = (frame_box[0], frame_box[2]) if name == "x" else (frame_box[3], frame_box[1])
    return [(_fit_to_tick(name, w, ticks, edges, chosen), v) for w, v in labels]


def _read_axis(
    name: str,
    numbers: list[tuple[Word, float]],
    lines: list[TextLine],
    box: Box,
    ticks: list[float],
    settings: AxisSettings,
) -> AxisReading:
    labels = _without_lost_exponents(_tick_labels(name, numbers, box, settings))
    if len(labels) < 2:
        return _unread(name, f"{name} axis: fewer than two tick labels found beside the frame")
    lo_pos, hi_pos = (box[0], box[2]) if name == "x" else (box[3], box[1])
    positions = np.array(
        [_fit_to_tick(name, w, ticks, (lo_pos, hi_pos), settings) for w, _ in labels]
    )
    values = np.array([v for _, v in labels])
    ocr = any(w.source == "ocr" for w, _ in labels)
    edges = (lo_pos, hi_pos)
    ticks_scale = _ticks_scale(ticks, positions)
    fit = fit_scale(
        positions, values, edges, settings.scale, values_trusted=not ocr, ticks_scale=ticks_scale
    )
    repair: list[ReviewNote] = []
    if ocr:
        mended = _mended(name, labels, positions, values, edges, ticks_scale, settings)
        if mended is not None:
            labels, positions, values, fit, repair = mended
    if fit is None:
        return _unread(name, f"{name} axis: tick labels {values.tolist()} do not fit a scale")
    lo, hi = (
        snap_value(float(v), values, fit.scale) for v in fit.values_at(np.array([lo_pos, hi_pos]))
    )
    title = _title(name, lines, box, labels, settings)
    quantity, unit = parse_title(title)
    reasons = repair + _fit_notes(name, fit, len(labels), ocr, settings)
    return AxisReading(
        axis=Axis(min=lo, max=hi, scale=fit.scale, quantity=quantity, unit=unit),
        confidence=round(_confidence(fit, len(labels), settings), 3),
        ticks=list(zip(positions.tolist(), values.tolist(), strict=True)),
        title=title,
        reasons=reasons,
        fit=fit,
    )


def _mended(
    name: str,
    labels: list[tuple[Word, float]],
    positions: np.ndarray,
    values: np.ndarray,
    edges: tuple[float, float],
    ticks_scale: AxisScale | None,
    settings: AxisSettings,
) -> tuple[list[tuple[Word, float]], np.ndarray, np.ndarray, ScaleFit, list[ReviewNote]] | None:
    """OCR-read labels mended to the progression most of them form
    (:mod:`graphq.datasheet.progression`), refitted, with a note naming each change; None
    when nothing was mended or the mended labels fit no rising scale."""
    texts = [word.text for word, _ in labels]
    mending = mend_progression(texts, positions, values, edges, ticks_scale, settings.progression)
    if mending is None or not mending.changes:
        return None
    keep = mending.keep
    kept_positions, kept_values = positions[keep], mending.values[keep]
    fit = fit_scale(
        kept_positions,
        kept_values,
        edges,
        settings.scale,
        values_trusted=False,
        ticks_scale=ticks_scale,
    )
    if (
        fit is None
        or fit.display_at(np.array([edges[1]]))[0] <= fit.display_at(np.array([edges[0]]))[0]
    ):
        return None
    note = ReviewNote(
        ReviewReason.LOW_CONFIDENCE,
        f"{name} axis: OCR-read tick labels mended to the progression the others form: "
        + "; ".join(mending.changes),
    )
    kept = [label for label, used in zip(labels, keep, strict=True) if used]
    return kept, kept_positions, kept_values, fit, [note]


def _ticks_scale(ticks: list[float], positions: np.ndarray) -> AxisScale | None:
    """The scale the tick marks between the first two labels show: log when their gaps
    shrink (or grow) steadily by 2× or more (a decade's 2, 3, … 9), linear when even."""
    if len(positions) < 2 or not ticks:
        return None
    low, high = sorted(positions[:2])
    inner = [t for t in ticks if low + 0.5 < t < high - 0.5]
    gaps = np.diff([low, *sorted(inner), high])
    if len(gaps) < 4 or gaps.min() <= 0:
        return None
    steps = np.diff(gaps)
    if gaps.max() / gaps.min() >= _LOG_TICK_RATIO and (np.all(steps < 0) or np.all(steps > 0)):
        return "log"
    return "linear" if gaps.max() / gaps.min() <= _EVEN_TICK_RATIO else None


# A log decade's first tick gap (1→2) is 6.6× its last (9→10); a linear axis's are equal up
# to the rounding of their positions.
_LOG_TICK_RATIO = 2.0
_EVEN_TICK_RATIO = 1.1


def _confidence(fit: ScaleFit, count: int, settings: AxisSettings) -> float:
    """1 for labels on one exact scale, falling with the residual; a piecewise map is as
    sure as its labels are even, a rounded one and one from two labels only half sure."""
    if count == 2 or fit.kind == "rounded" or fit.doubt:
        return 0.5
    if fit.kind == "piecewise":
        return 0.9
    return max(0.0, 1.0 - fit.residual / settings.scale.max_uneven_residual)


def _fit_notes(
    name: str, fit: ScaleFit, count: int, ocr: bool, settings: AxisSettings
) -> list[ReviewNote]:
    reasons: list[ReviewNote] = []
    if fit.kind == "single" and fit.residual > settings.scale.max_residual:
        reasons.append(
            ReviewNote(
                ReviewReason.LOW_CONFIDENCE,
                f"{name} axis: tick labels sit up to {fit.residual:.1%} of the span off one "
                f"{fit.scale} scale (unevenly drawn ticks)",
            )
        )
    if fit.kind == "piecewise" and (fit.doubt or ocr):
        why = fit.doubt or "its labels were read by OCR, where a misread label still fits"
        reasons.append(
            ReviewNote(
                ReviewReason.LOW_CONFIDENCE,
                f"{name} axis: tick labels unevenly spaced, mapped piecewise between them; {why}",
            )
        )
    if fit.kind == "rounded":
        reasons.append(
            ReviewNote(
                ReviewReason.LOW_CONFIDENCE,
                f"{name} axis: {fit.doubt}; read from the first and last label, ticks even",
            )
        )
    if count == 2:
        reasons.append(
            ReviewNote(ReviewReason.LOW_CONFIDENCE, f"{name} axis read from two tick labels only")
        )
    return reasons


def _unread(name: str, message: str) -> AxisReading:
    return AxisReading(None, 0.0, reasons=[ReviewNote(ReviewReason.AXIS_UNREAD, message)])


def _tick_labels(
    name: str, numbers: list[tuple[Word, float]], box: Box, settings: AxisSettings
) -> list[tuple[Word, float]]:
    """The row of numbers nearest below the frame (x), or the column nearest left of it (y);
    where that side has fewer than two, the row above (the column right of) the frame: some
    sheets print their scales there."""
    near = _side_labels(name, numbers, box, settings, far=False)
    return near if len(near) >= 2 else _side_labels(name, numbers, box, settings, far=True)


def _side_labels(
    name: str, numbers: list[tuple[Word, float]], box: Box, settings: AxisSettings, *, far: bool
) -> list[tuple[Word, float]]:
    x0, y0, x1, y1 = box
    found: list[tuple[float, Word, float]] = []
    for word, value in numbers:
        reach = settings.label_reach_em * word.size
        cx, cy = word.centre
        if name == "x":
            gap = (y0 - word.bottom) if far else (word.top - y1)
            if -0.3 * word.size <= gap <= reach and x0 - 2 * word.size <= cx <= x1 + 2 * word.size:
                found.append((gap, word, value))
        else:
            gap = (word.x0 - x1) if far else (x0 - word.x1)
            inside = y0 - 0.6 * word.size <= cy <= y1 + 0.6 * word.size
            if -0.1 * word.size <= gap <= reach and inside:
                found.append((gap, word, value))
    if not found:
        return []
    # Keep the row (column) nearest the frame: labels further out belong to a second row
    # (an axis title's numbers, a caption).
    nearest = min(gap for gap, _, _ in found)
    size = float(np.median([w.size for _, w, _ in found]))
    band = [(w, v) for gap, w, v in found if gap <= nearest + 0.8 * size]
    key = (lambda item: item[0].centre[0]) if name == "x" else (lambda item: item[0].centre[1])
    return sorted(band, key=key)


def _without_lost_exponents(labels: list[tuple[Word, float]]) -> list[tuple[Word, float]]:
    """An OCR-read bare "10" among powers of ten ("10^1", "10", "10^-1") is one whose raised
    exponent went unread: its value is unknown, so it is left out rather than taken as 10."""
    powers = sum(1 for w, _ in labels if w.text.startswith("10^"))
    if powers < 2:
        return labels
    return [(w, v) for w, v in labels if not (w.source == "ocr" and w.text == "10")]


def _fit_to_tick(
    name: str, word: Word, ticks: list[float], edges: tuple[float, float], settings: AxisSettings
) -> float:
    centre = word.centre[0] if name == "x" else word.centre[1]
    edge = min(edges, key=lambda e: abs(e - centre))
    if abs(edge - centre) <= settings.edge_reach_em * word.size:
        return float(edge)
    if not ticks:
        return centre
    array = np.asarray(ticks)
    nearest = int(np.argmin(np.abs(array - centre)))
    if abs(array[nearest] - centre) <= settings.tick_reach_em * word.size:
        return float(array[nearest])
    return centre


def _title(
    name: str,
    lines: list[TextLine],
    box: Box,
    labels: list[tuple[Word, float]],
    settings: AxisSettings,
) -> str:
    x0, y0, x1, y1 = box
    size = float(np.median([w.size for w, _ in labels]))
    reach = settings.title_reach_em * size
    if name == "x":
        below = min(w.top for w, _ in labels) >= y1 - size
        edge = max(w.bottom for w, _ in labels) if below else min(w.top for w, _ in labels)
        near = [
            line
            for line in lines
            if line.upright
            and (
                edge - 0.3 * size <= line.top <= edge + reach
                if below
                else edge - reach <= line.bottom <= edge + 0.3 * size
            )
            and line.x1 > x0
            and line.x0 < x1
            and parse_number(line.text) is None
        ]
        near.sort(key=lambda line: line.top if below else -line.bottom)
    else:
        left = max(w.x1 for w, _ in labels) <= x0 + size
        edge = min(w.x0 for w, _ in labels) if left else max(w.x1 for w, _ in labels)
        near = [
            line
            for line in lines
            if not line.upright
            and (
                edge + 0.3 * size >= line.x1 >= edge - reach
                if left
                else edge - 0.3 * size <= line.x0 <= edge + reach
            )
            and line.bottom > y0
            and line.top < y1
        ]
        near.sort(key=lambda line: -line.x1 if left else line.x0)
    return near[0].text if near else ""
