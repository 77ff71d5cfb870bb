"""Tick labels fitted to a scale: which values the frame's edges stand for, and the map from a
position on the page to an axis value.

Most graphs are drawn by a program: one straight line through (position, value) — or
(position, log10 value) — fits every label. Some vendors' graphs were redrawn by hand: the
labels are monotone but unevenly spaced (a log decade twice as wide as the next), and no one
scale fits. Their curves were drawn against the same uneven ticks, so the page is read
piecewise: linearly (in the display unit) between neighbouring labels. A third kind prints
its labels rounded ("0 0 1 1 1 2" on a 0–2 A axis): only the first and last can be taken, and
the result says so.

A map is a list of knots (position in points, display value), increasing in position; between
knots it is linear, beyond the outer ones it runs on with the outer segment's slope. A graph
with one scale has two knots, at the frame's edges.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from graphq.digitizer.types import AxisScale


@dataclass(frozen=True)
class ScaleSettings:
    # The fit is exact when no label is off by more than this fraction of the axis span
    # (label centring and coordinate rounding stay well inside it) ...
    max_residual: float = 0.01
    # ... and still usable as one scale, with a review note, up to this.
    max_uneven_residual: float = 0.06
    # Labels from the text layer (never misread) that sit further than this off one scale
    # were drawn unevenly: the page is then mapped piecewise between them rather than by a
    # scale that misses the outer labels (a program-drawn graph's labels, fitted to their
    # ticks, sit within ~0.05 %).
    text_piecewise_above: float = 0.003
    # A piecewise map is doubtful when neighbouring segments' scales differ by more than
    # this factor (hand-drawn decades vary up to 2×; a misread label makes it 5× or more) ...
    max_segment_ratio: float = 2.5
    # ... or when an edge lies further than this fraction of the span beyond the outermost
    # label (the map is then extrapolated from one segment).
    max_extrapolation: float = 0.2


@dataclass(frozen=True)
class ScaleFit:
    """How the labels fit: ``knots`` map positions to display values (log10 on a log axis)."""

    scale: AxisScale
    knots: list[tuple[float, float]]
    # Largest label distance from the map, as a fraction of the span (0 for a piecewise map).
    residual: float
    kind: str  # "single", "piecewise" or "rounded"
    # Why the map is doubtful ("" when it is not).
    doubt: str = ""

    def display_at(self, positions: np.ndarray) -> np.ndarray:
        xp = np.array([k[0] for k in self.knots])
        fp = np.array([k[1] for k in self.knots])
        inside = np.interp(positions, xp, fp)
        low_slope = (fp[1] - fp[0]) / (xp[1] - xp[0])
        high_slope = (fp[-1] - fp[-2]) / (xp[-1] - xp[-2])
        below = positions < xp[0]
        above = positions > xp[-1]
        inside = np.where(below, fp[0] + (positions - xp[0]) * low_slope, inside)
        return np.where(above, fp[-1] + (positions - xp[-1]) * high_slope, inside)

    def values_at(self, positions: np.ndarray) -> np.ndarray:
        display = self.display_at(np.asarray(positions, dtype=float))
        return 10.0**display if self.scale == "log" else display


def fit_scale(
    positions: np.ndarray,
    values: np.ndarray,
    edges: tuple[float, float],
    settings: ScaleSettings | None = None,
    *,
    values_trusted: bool = True,
    ticks_scale: AxisScale | None = None,
) -> ScaleFit | None:
    """The labels' scale between the frame ``edges`` (positions of the low and high value
    ends), or None when they fit none.

    ``values_trusted`` is true for text-layer labels: their values are right, so a label off
    the scale means uneven ticks (mapped piecewise), never a label to drop. OCR may misread a
    label: one that spoils an otherwise exact scale is dropped first.

    ``ticks_scale`` is the scale the tick marks' spacing shows (a log decade's ticks crowd
    towards its top), when it shows one: it decides between scales the labels fit alike, as
    two labels fit any.
    """
    chosen = settings or ScaleSettings()
    if values_trusted:
        whole = _best_single(positions, values, chosen, drop_one=False, prefer=ticks_scale)
        if whole is not None and whole[3] <= chosen.text_piecewise_above:
            return _single(whole, values, edges)
    else:
        single = _best_single(positions, values, chosen, drop_one=True, prefer=ticks_scale)
        if single is not None and single[3] <= chosen.max_residual:
            return _single(single, values, edges)
    piecewise = _piecewise(positions, values, edges, chosen)
    if piecewise is not None:
        return piecewise
    single = _best_single(positions, values, chosen, drop_one=True)
    if single is not None:
        return _single(single, values, edges)
    return _rounded(positions, values, edges)


def _single(
    fit: tuple[AxisScale, float, float, float], values: np.ndarray, edges: tuple[float, float]
) -> ScaleFit:
    scale, slope, intercept, residual = fit
    knots = sorted((edge, _snap(intercept + slope * edge, values, scale)) for edge in edges)
    return ScaleFit(scale, knots, residual, "single")


def _best_single(
    positions: np.ndarray,
    values: np.ndarray,
    settings: ScaleSettings,
    *,
    drop_one: bool,
    prefer: AxisScale | None = None,
) -> tuple[AxisScale, float, float, float] | None:
    """(scale, slope, intercept, residual as a fraction of the span) of the better of a
    linear and a log fit, dropping one stray label when that makes the fit good; the
    scale to ``prefer`` when it fits exactly too."""
    candidates: list[tuple[AxisScale, float, float, float]] = []
    for scale in ("linear", "log"):
        if scale == "log" and np.any(values <= 0):
            continue
        display = np.log10(values) if scale == "log" else values
        fit = _line_fit(positions, display)
        # One misread label may also repeat another's value ("60" for "80"): then no line
        # fits all, and leaving it out is the only fit.
        if drop_one and (fit is None or fit[2] > settings.max_residual) and len(values) >= 4:
            trimmed = _leave_one_out(positions, display)
            if trimmed is not None and trimmed[2] <= settings.max_residual:
                fit = trimmed
        if fit is None:
            continue
        candidates.append((scale, *fit))
    good = [c for c in candidates if c[3] <= settings.max_uneven_residual]
    preferred = [c for c in good if c[0] == prefer and c[3] <= settings.max_residual]
    if preferred:
        return preferred[0]
    return min(good, key=lambda c: c[3]) if good else None


def _line_fit(positions: np.ndarray, display: np.ndarray) -> tuple[float, float, float] | None:
    if np.ptp(positions) <= 0 or np.ptp(display) <= 0 or len(np.unique(display)) < len(display):
        return None
    slope, intercept = np.polyfit(positions, display, 1)
    residual = float(np.max(np.abs(intercept + slope * positions - display)) / np.ptp(display))
    return float(slope), float(intercept), residual


def _leave_one_out(positions: np.ndarray, display: np.ndarray) -> tuple[float, float, float] | None:
    best = None
    for k in range(len(positions)):
        keep = np.arange(len(positions)) != k
        fit = _line_fit(positions[keep], display[keep])
        if fit is not None and (best is None or fit[2] < best[2]):
            best = fit
    return best


def _piecewise(
    positions: np.ndarray, values: np.ndarray, edges: tuple[float, float], settings: ScaleSettings
) -> ScaleFit | None:
    """Linear between neighbouring labels, when at least three are strictly monotone; the
    scale is the one whose steps between labels are the more even."""
    if len(values) < 3:
        return None
    order = np.argsort(positions)
    positions, values = positions[order], values[order]
    if np.any(np.diff(positions) <= 0):
        return None
    best: tuple[float, AxisScale, np.ndarray] | None = None
    for scale in ("linear", "log"):
        if scale == "log" and np.any(values <= 0):
            continue
        display = np.log10(values) if scale == "log" else values
        steps = np.diff(display)
        if not (np.all(steps > 0) or np.all(steps < 0)):
            return None
        spread = float(np.ptp(np.abs(steps)) / np.mean(np.abs(steps)))
        if best is None or spread < best[0]:
            best = (spread, scale, display)
    if best is None:
        return None
    _, scale, display = best
    fit = ScaleFit(scale, list(zip(positions.tolist(), display.tolist(), strict=True)), 0.0, "")
    lo, hi = (float(fit.display_at(np.array([edge]))[0]) for edge in edges)
    knots = [(edges[0], _snap(lo, values, scale)), (edges[1], _snap(hi, values, scale))]
    span = abs(knots[1][1] - knots[0][1])
    inner = [(p, d) for p, d in fit.knots if min(abs(p - edges[0]), abs(p - edges[1])) > 0.5]
    knots = sorted(knots + inner)
    return ScaleFit(
        scale, knots, 0.0, "piecewise", _doubt(positions, display, edges, span, settings)
    )


def _doubt(
    positions: np.ndarray,
    display: np.ndarray,
    edges: tuple[float, float],
    span: float,
    settings: ScaleSettings,
) -> str:
    slopes = np.abs(np.diff(display) / np.diff(positions))
    ratio = float(slopes.max() / slopes.min())
    if ratio > settings.max_segment_ratio:
        return f"the spacing between tick labels varies {ratio:.1f}×"
    reach = max(
        abs(display[0] - display[1]) / abs(positions[1] - positions[0]) * d
        for d in (abs(min(edges) - positions[0]), abs(max(edges) - positions[-1]))
    )
    if span > 0 and reach / span > settings.max_extrapolation:
        return f"an edge lies {reach / span:.0%} of the span beyond the outermost tick label"
    return ""


def _rounded(
    positions: np.ndarray, values: np.ndarray, edges: tuple[float, float]
) -> ScaleFit | None:
    """Labels printed rounded repeat a value ("0 0 1 1 1 2"): when they are monotone and
    evenly spaced, the first and last are taken as exact."""
    if len(values) < 3 or len(np.unique(values)) == len(values) or np.ptp(values) <= 0:
        return None
    order = np.argsort(positions)
    positions, values = positions[order], values[order]
    steps = np.diff(values)
    if not (np.all(steps >= 0) or np.all(steps <= 0)):
        return None
    gaps = np.diff(positions)
    if gaps.min() <= 0 or float(np.ptp(gaps) / gaps.mean()) > 0.05:
        return None
    slope = (values[-1] - values[0]) / (positions[-1] - positions[0])
    knots = sorted(
        (edge, _snap(values[0] + slope * (edge - positions[0]), values, "linear")) for edge in edges
    )
    return ScaleFit("linear", knots, 0.0, "rounded", "tick labels repeat (printed rounded)")


def snap_value(value: float, labels: np.ndarray, scale: str) -> float:
    """A frame-edge value equal to a printed label up to rounding is that label; otherwise it
    is rounded to 6 significant digits (PDF coordinates carry ~0.01 pt)."""
    for label in labels:
        if scale == "log":
            if label > 0 and value > 0 and abs(math.log10(value) - math.log10(label)) < 1e-3:
                return float(label)
        elif abs(value - label) <= 1e-3 * max(float(np.ptp(labels)), 1e-12):
            return float(label)
    return 0.0 if value == 0 else float(f"{value:.6g}")


def _snap(display: float, labels: np.ndarray, scale: str) -> float:
    """:func:`snap_value` in display units."""
    if scale == "log":
        return math.log10(snap_value(10.0**display, labels, scale))
    return snap_value(display, labels, scale)
