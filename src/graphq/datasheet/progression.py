"""OCR-read tick labels mended to the progression their neighbours form.

Tick labels step evenly: arithmetic on a linear axis (0, 0.2, 0.4 …), by decades on a log
one (10⁻¹, 10⁰, 10¹ …), each at its tick mark or grid line. OCR misreads a few of them in
ways no confidence flags: a thin minus sign or an exponent's minus goes unread (``-100`` as
``100``, ``10⁻¹`` as ``10¹``), a decimal point set tight between digits is dropped (``1.1``
as ``11``), a small glyph comes out as another (``0.8`` as ``0.``, ``10⁻¹`` as ``10⁴``).

So the labels' values are not taken one by one: the rising line through (tick position,
value) that the most labels agree with is found, each label read as printed or as one of its
known misreads; then a label that still breaks it takes the value the progression puts at
its tick — only where that value is one of the progression's own steps and enough labels
agree. A label off the line by less than half a step is no misread but an unevenly drawn
tick: then nothing is mended, and the scale fit maps the labels piecewise. Every change is
said, never made in silence.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np

from graphq.digitizer.types import AxisScale


@dataclass(frozen=True)
class ProgressionSettings:
    # A label agrees with a line when within this fraction of the axis span of it (as the
    # scale fit's exact residual: label centring leaves ~0.05 %).
    match: float = 0.01
    # A value the progression puts at a label's tick is one of its steps when within this
    # fraction of a step of one (ticks are where the labels' own steps fall).
    lattice: float = 0.1
    # A label off the line by less than this fraction of a step is an unevenly drawn tick,
    # not a misread: a misread changes a value by a step or more.
    uneven: float = 0.5
    # Labels that must agree before a label breaking them is mended: three fix a linear
    # progression beyond doubt ...
    min_agreeing: int = 3
    # ... and on a log axis whose tick marks show its decades, two labels a decade apart.
    min_agreeing_log: int = 2


@dataclass(frozen=True)
class Mending:
    """The labels' values as mended (``keep`` marks the labels still used) and one sentence
    per change."""

    values: np.ndarray
    keep: np.ndarray
    changes: list[str]


# (value, cost, why): a label as printed costs nothing; each misread it is taken for, one.
_Reading = tuple[float, int, str]
_DIGITS = re.compile(r"^(-?)(\d{2,})$")


def mend_progression(
    texts: list[str],
    positions: np.ndarray,
    values: np.ndarray,
    edges: tuple[float, float],
    ticks_scale: AxisScale | None,
    settings: ProgressionSettings | None = None,
) -> Mending | None:
    """The labels mended to the progression most of them form, or None when they form none
    that enough labels agree on (or where they are evenly drawn labels' own values).

    ``edges`` are the positions of the axis's low and high ends: the values rise from the
    first to the second, as every axis is drawn.
    """
    chosen = settings or ProgressionSettings()
    readings = [_readings(text, value) for text, value in zip(texts, values, strict=True)]
    best = _best_line(positions, readings, edges, ticks_scale, chosen)
    if best is None:
        return None
    scale, intercept, slope, agreed = best
    support = sum(choice is not None for choice in agreed)
    enough = chosen.min_agreeing_log if scale == ticks_scale == "log" else chosen.min_agreeing
    if support < enough or 2 * support <= len(texts):
        return None
    mended = values.astype(float).copy()
    keep = np.ones(len(texts), bool)
    changes: list[str] = []
    agreed_display = [
        _display(readings[k][c][0], scale) for k, c in enumerate(agreed) if c is not None
    ]
    step = _step(agreed_display, scale)
    for k, choice in enumerate(agreed):
        if choice is not None:
            value, cost, why = readings[k][choice]
            if cost:
                mended[k] = value
                changes.append(f"'{texts[k]}' as {value:g} ({why})")
            continue
        predicted = intercept + slope * positions[k]
        read = _display(values[k], scale)
        if step and math.isfinite(read) and abs(read - predicted) < chosen.uneven * step:
            return None  # a tick drawn off its even place, not a misread
        stepped = _on_lattice(predicted, agreed_display, step, scale, chosen)
        if stepped is None:
            keep[k] = False
            changes.append(f"'{texts[k]}' left out (off the progression of the others)")
        else:
            mended[k] = stepped
            changes.append(f"'{texts[k]}' as {stepped:g} (misread; its neighbours' step)")
    return Mending(mended, keep, changes)


def _readings(text: str, value: float) -> list[_Reading]:
    """The label as printed, and as each misread OCR is known to make of it."""
    found: list[_Reading] = [(float(value), 0, "")]
    unsigned = not text.lstrip().startswith(("-", "−"))
    if text.startswith("10^"):
        exponent = round(math.log10(value)) if value > 0 else 0
        if exponent > 0:
            found.append((10.0 ** (-exponent), 1, "its exponent's minus sign unread"))
        return found
    if unsigned and value > 0:
        found.append((-float(value), 1, "its minus sign unread"))
    digits = _DIGITS.match(text.strip())
    if digits:
        sign, core = digits.groups()
        for at in range(1, len(core)):
            found.append((float(f"{sign}{core[:at]}.{core[at:]}"), 1, "its decimal point unread"))
    return found


def _display(value: float, scale: str) -> float:
    if scale == "log":
        return math.log10(value) if value > 0 else math.nan
    return float(value)


def _best_line(
    positions: np.ndarray,
    readings: list[list[_Reading]],
    edges: tuple[float, float],
    ticks_scale: AxisScale | None,
    settings: ProgressionSettings,
) -> tuple[AxisScale, float, float, list[int | None]] | None:
    """(scale, intercept, slope, per label the reading on the line or None) of the rising
    line most labels agree with; ties go to the scale the ticks show, then to the fewest
    misreads assumed."""
    best: tuple[tuple[int, bool, int], AxisScale, float, float, list[int | None]] | None = None
    count = len(readings)
    scales: tuple[AxisScale, ...] = ("linear", "log")
    for scale in scales:
        displays = [[_display(r[0], scale) for r in options] for options in readings]
        for i in range(count):
            for j in range(i + 1, count):
                run = positions[j] - positions[i]
                if abs(run) < 1e-6:
                    continue
                for di in displays[i]:
                    for dj in displays[j]:
                        slope = (dj - di) / run
                        span = slope * (edges[1] - edges[0])
                        if not math.isfinite(span) or span <= 0:
                            continue
                        intercept = di - slope * positions[i]
                        agreed, cost = _agreement(
                            positions, displays, readings, intercept, slope, span, settings
                        )
                        support = sum(a is not None for a in agreed)
                        key = (support, scale == ticks_scale, -cost)
                        if best is None or key > best[0]:
                            best = (key, scale, intercept, slope, agreed)
    if best is None:
        return None
    return best[1], best[2], best[3], best[4]


def _agreement(
    positions: np.ndarray,
    displays: list[list[float]],
    readings: list[list[_Reading]],
    intercept: float,
    slope: float,
    span: float,
    settings: ProgressionSettings,
) -> tuple[list[int | None], int]:
    """Per label the cheapest reading on the line (None when none is), and their cost."""
    agreed: list[int | None] = []
    cost = 0
    for k, options in enumerate(displays):
        predicted = intercept + slope * positions[k]
        on = [
            c
            for c, display in enumerate(options)
            if math.isfinite(display) and abs(display - predicted) <= settings.match * span
        ]
        choice = min(on, key=lambda c: readings[k][c][1]) if on else None
        agreed.append(choice)
        cost += readings[k][choice][1] if choice is not None else 0
    return agreed, cost


def _step(displays: list[float], scale: str) -> float:
    """The progression's step in display units: a decade on a log axis labelled in powers
    of ten, else the smallest gap between the agreeing labels' values (0 when they have
    no common step)."""
    ordered = np.unique(np.round(displays, 9))
    if len(ordered) < 2:
        return 0.0
    if scale == "log":
        decades = np.all(np.abs(ordered - np.round(ordered)) < 1e-6)
        return 1.0 if decades else 0.0
    step = float(np.min(np.diff(ordered)))
    multiples = (ordered - ordered[0]) / step
    return step if np.all(np.abs(multiples - np.round(multiples)) < 1e-6) else 0.0


def _on_lattice(
    predicted: float,
    agreed: list[float],
    step: float,
    scale: str,
    settings: ProgressionSettings,
) -> float | None:
    """The value of the progression's step nearest ``predicted`` (display units), when it
    lies that near one."""
    if not step:
        return None
    origin = min(agreed)
    steps = (predicted - origin) / step
    if abs(steps - round(steps)) > settings.lattice:
        return None
    display = origin + round(steps) * step
    value = 10.0**display if scale == "log" else display
    return float(f"{value:.10g}")
