"""An axis range the user gave, judged against the tick labels printed along it.

The given range puts its values evenly along the frame (by decades on a log axis). Where the
tick labels read stand there too, that map stands. Where they stand elsewhere, either the
graph was drawn unevenly by hand (its decades or steps differ in width, and its curves were
drawn against those ticks) or the labels contradict the range. The labels tell which: a hand-
drawn axis's labels still step evenly in value (0.1, 1, 10, 100; 0, 0.5, 1.0) and meet the
given range at the frame's edges, but stand unevenly; then the axis is mapped piecewise
between them (:class:`graphq.digitizer.axes.calibration.KnotMap`), and the result says so. Labels
that fit one even map of their own contradict the range; labels that are too few, out of
order or off any progression cannot be mapped by; either way the given map is kept and the
axis needs review (``axis_unread``), never a guess.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from graphq.digitizer.axes.calibration import AxisMap, KnotMap, map_from_frame
from graphq.digitizer.axes.lost_points import Reading, readings
from graphq.digitizer.types import Axis
from graphq.review import ReviewNote, ReviewReason


@dataclass(frozen=True)
class UnevenAxisSettings:
    # Labels within this fraction of the span (display units) of the given range's even map
    # agree with it: a label's centre, snapped to its tick, is off by a pixel or two at most.
    agree_fraction: float = 0.006
    # Labels that fit one line of their own this well (but not the given range's) stand
    # evenly: the range is what is wrong, not the axis.
    own_line_fraction: float = 0.006
    # Labels step evenly in value when every step between neighbours is a whole number of the
    # smallest (a label unread leaves a double step) to within this fraction of it; the given
    # range's ends lie on the same progression to within ``agree_fraction``.
    step_tolerance: float = 0.02
    # Neighbouring segments of a hand-drawn axis differ in scale by up to ~2.5× (MJL21193's
    # decades 85 and 210 px wide); more is a misread label or a tick taken for another.
    max_segment_ratio: float = 3.0
    # An uneven axis is mapped by this many labels at least (its edges' among them): with
    # fewer, an uneven axis cannot be told from a range that is off ...
    min_labels: int = 3
    # ... and a label off the others' progression is left out only where this many more
    # than that were read: the others then still map the axis between neighbours.
    spare_labels: int = 2
    # A label this close to a frame edge (px) is the edge's.
    edge_px: float = 1.0


UNEVEN_AXES = UnevenAxisSettings()


@dataclass(frozen=True)
class AxisVerdict:
    """The map an axis is read by, and what was said about it: a warning when it is mapped
    by its labels, a review note when they could not confirm it or were mended to map it."""

    map: AxisMap | KnotMap
    warning: str = ""
    note: ReviewNote | None = None


def judge_axis(
    name: str,
    labels: list[tuple[float, float]],
    axis: Axis,
    edges: tuple[float, float],
    settings: UnevenAxisSettings = UNEVEN_AXES,
) -> AxisVerdict:
    """The map of ``axis`` (``edges``: pixels of its min and max) given the tick labels read
    along it, (pixel, value) each; called for an axis whose ticks stand off the even map.

    Labels that map no axis as read are tried with lost decimal points put back
    (:mod:`graphq.digitizer.axes.lost_points`): the fewest changes that map the axis are
    taken when they map it one way only; otherwise the first verdict stands."""
    even = map_from_frame(axis, *edges)
    log = axis.scale == "log"
    usable = [(p, v) for p, v in labels if math.isfinite(v) and (v > 0 or not log)]
    verdict = _judge_read(name, usable, axis, even, settings)
    if verdict.note is None:
        return verdict
    low, high = sorted((axis.min, axis.max))
    forward = float(np.sign(even.pixel_b - even.pixel_a))
    found: list[tuple[AxisVerdict, Reading]] = []
    for reading in readings(usable, low, high, log, forward):
        if found and reading.changes > found[0][1].changes:
            break
        mended = _judge_read(name, reading.labels, axis, even, settings)
        if mended.note is None:
            found.append((mended, reading))
    if not found:
        return verdict
    if any(other.map != found[0][0].map for other, _ in found[1:]):
        return _unread(
            even,
            name,
            "its tick labels read with a decimal point put back map it more than one way",
        )
    mended, reading = found[0]
    put_back = ", ".join(f"{was:g} as {now:g}" for was, now in reading.mended)
    said = mended.warning or f"{name} axis: tick labels stand where the given range puts them"
    # The one reading that maps the axis, yet each point put back is a choice the glyphs did
    # not show: mapped by it, and said for review.
    doubt = ReviewNote(
        ReviewReason.LOW_CONFIDENCE,
        f"{name} axis: mapped by tick labels read {put_back} (a decimal point taken as lost)",
    )
    return AxisVerdict(mended.map, f"{said} (read {put_back}: a decimal point lost)", doubt)


def _judge_read(
    name: str,
    usable: list[tuple[float, float]],
    axis: Axis,
    even: AxisMap,
    settings: UnevenAxisSettings,
) -> AxisVerdict:
    """:func:`judge_axis` of labels taken as read."""
    log = axis.scale == "log"
    range_text = f"{axis.min:g}..{axis.max:g}"
    if len(usable) < 2:
        return _unread(even, name, f"its tick marks stand off the given range {range_text}")
    positions = np.array([p for p, _ in usable])
    display = np.log10([v for _, v in usable]) if log else np.array([v for _, v in usable])
    span = abs(even.display_b - even.display_a)
    off = np.abs(display - _even_display(even, positions)) / span
    if off.max() <= settings.agree_fraction:
        return AxisVerdict(even)
    read = ", ".join(f"{v:g}" for v in sorted(v for _, v in usable))
    if len(usable) >= settings.min_labels and _own_line_residual(positions, display) / span <= (
        settings.own_line_fraction
    ):
        return _unread(
            even,
            name,
            f"its tick labels ({read}) stand evenly, but not where the given range "
            f"{range_text} puts them",
        )
    knots, left_out = _knots_leaving_one_out(positions, display, even, settings)
    if knots is None or len(usable) < settings.min_labels:
        return _unread(
            even,
            name,
            f"its tick labels ({read}) stand off the given range {range_text} and step "
            "unevenly or out of order",
        )
    pixels, displays = knots
    dropped = (
        f" (the label read {usable[left_out][1]:g} left out, off the others' progression)"
        if left_out is not None
        else ""
    )
    return AxisVerdict(
        KnotMap(tuple(pixels), tuple(displays), log),
        warning=f"{name} axis: tick labels ({read}) unevenly spaced; mapped piecewise "
        f"between them{dropped}",
    )


def _even_display(even: AxisMap, pixels: np.ndarray) -> np.ndarray:
    fraction = (pixels - even.pixel_a) / (even.pixel_b - even.pixel_a)
    return even.display_a + fraction * (even.display_b - even.display_a)


def _own_line_residual(positions: np.ndarray, display: np.ndarray) -> float:
    if np.ptp(positions) <= 0:
        return math.inf
    slope, intercept = np.polyfit(positions, display, 1)
    return float(np.max(np.abs(intercept + slope * positions - display)))


def _knots_leaving_one_out(
    positions: np.ndarray, display: np.ndarray, even: AxisMap, settings: UnevenAxisSettings
) -> tuple[tuple[list[float], list[float]] | None, int | None]:
    """:func:`_knots` of all labels, or else of all but one (a label OCR misread: "15" for
    "1.5"), with the index of the one left out."""
    knots = _knots(positions, display, even, settings)
    if knots is not None or len(positions) < settings.min_labels + settings.spare_labels:
        return knots, None
    for k in range(len(positions)):
        keep = np.arange(len(positions)) != k
        knots = _knots(positions[keep], display[keep], even, settings)
        if knots is not None:
            return knots, k
    return None, None


def _knots(
    positions: np.ndarray, display: np.ndarray, even: AxisMap, settings: UnevenAxisSettings
) -> tuple[list[float], list[float]] | None:
    """Knots (pixels, display values) through the labels and the frame's edges, when the
    labels step evenly in value, meet the range at the edges, and the segments' scales are
    those of a hand-drawn axis; else None."""
    span = abs(even.display_b - even.display_a)
    # Along the axis from the min's edge to the max's, values must rise.
    forward = np.sign(even.pixel_b - even.pixel_a)
    order = np.argsort(positions * forward)
    positions, display = positions[order], display[order]
    steps = np.diff(display)
    if steps.size == 0 or np.any(steps <= 0) or np.any(np.diff(positions) * forward <= 0):
        return None
    unit = float(steps.min())
    if np.any(np.abs(steps / unit - np.round(steps / unit)) > settings.step_tolerance):
        return None
    for end in (even.display_a, even.display_b):
        if abs(_off_multiple(end - display[0], unit)) > settings.agree_fraction * span:
            return None
    low, high = sorted((even.display_a, even.display_b))
    inner = [
        (p, d)
        for p, d in zip(positions.tolist(), display.tolist(), strict=True)
        if min(abs(p - even.pixel_a), abs(p - even.pixel_b)) > settings.edge_px and low < d < high
    ]
    if not inner:
        return None
    pixels = [even.pixel_a] + [p for p, _ in inner] + [even.pixel_b]
    values = [even.display_a] + [d for _, d in inner] + [even.display_b]
    scales = np.abs(np.diff(values) / np.diff(pixels))
    if np.any(np.diff(pixels) * forward <= 0) or scales.max() > (
        settings.max_segment_ratio * scales.min()
    ):
        return None
    return pixels, values


def _off_multiple(value: float, step: float) -> float:
    return value - step * round(value / step)


def _unread(even: AxisMap, name: str, why: str) -> AxisVerdict:
    return AxisVerdict(
        even,
        note=ReviewNote(
            ReviewReason.AXIS_UNREAD,
            f"{name} axis: {why}; the given range was mapped evenly, and points along this "
            "axis may be off",
        ),
    )
