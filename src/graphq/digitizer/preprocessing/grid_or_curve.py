"""Telling grid lines from the other long straight lines of a plot.

A flat stretch of a curve (Ciss, ZthJC at long pulses, a saturated output curve) runs as
straight as a grid line, and so does a box's side; erased with the grid, it would be lost.
A grid line is one of a family of look-alikes (as dark, as thick, as heavy per column), or
sits at the grid's own spacing; curves are drawn darker, thicker or more colourful than the
grid, and where they leave the line they run on as curves rather than stopping at a blank.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import ndimage

from graphq.digitizer.axes.frame import LINE_INK_THRESHOLD
from graphq.digitizer.preprocessing.grid_erase import (
    CURVE_OVER_GRID,
    FAMILY_MASS,
    LIGHT_PERCENTILE,
    percentile,
)
from graphq.digitizer.preprocessing.lines import Line

# A line whose chroma (median over its inked columns) exceeds the grid's by this is a curve.
_COLOURED_OVER_GRID = 0.07
# A line with at least this many others within this ink level of it is one of a grid family.
FAMILY_SIZE = 3
_FAMILY_LEVEL = 0.12
# ... and this close (px) to its thickness, or within FAMILY_MASS of its ink across its rows.
_FAMILY_THICKNESS_PX = 1
# Lines this close (px) to the crop's border are the frame.
_FRAME_MARGIN_PX = 6
# Columns of unbroken ink that are a stretch of a line rather than a crossing of another.
_SOLID_RUN_PX = 4
# Lines this close (px) to the middle of two others are evenly spaced among them ...
_SPACING_TOLERANCE_PX = 1.5
# ... when those are at least this fraction of the plot apart ...
_MIN_SPACING_FRACTION = 0.04
# ... and a line that spans this fraction of the plot and is evenly spaced is grid.
_FULL_SPAN_FRACTION = 0.97
# A line that stops short of the frame, with ink beside its end in this fraction of the few
# columns beyond it, runs on as curves (a bundle merging into one line), not into a box.
_CONTINUED_FRACTION = 0.8
_BEYOND_END_PX = (2, 8)
_BESIDE_PX = 4


def without_flat_curves(
    ink: np.ndarray,
    horizontal: list[Line],
    vertical: list[Line],
    pieces: tuple[list[Line], list[Line]],
) -> tuple[list[Line], list[Line]]:
    """Drop lines much darker than the grid: a flat stretch of a curve (Ciss, ZthJC at long
    pulses) runs as straight as a grid line, but curves are drawn darker than the grid.

    The frame (at the crop's border) is always erased.
    A grid drawn as dark as the curves (a black grid whose major lines some box hides in
    part) has no family of look-alike levels, but it is still evenly spaced from edge to
    edge; a flat curve is not. Flat curves alike in ink (saturated output curves) are no
    family either: each runs on as a curve where its line stops. A major line that a note
    box hides in part (``pieces``: shorter lines from the frame) still places the others.
    """
    height, width = ink.shape
    levels_h = [line_level(ink, line) for line in horizontal]
    levels_v = [line_level(ink.T, line) for line in vertical]
    # Bundles merge into flat lines (thermal impedance), flat output curves leave their knee;
    # a steep curve runs on into no vertical line.
    mask = ink > LINE_INK_THRESHOLD
    runs_on_h = [runs_on_as_curve(mask, line) for line in horizontal]
    runs_on_v = [False] * len(vertical)
    # Only horizontal lines are judged by their mass: a vertical line left in place costs
    # the tracker nothing, while erasing one as dark as the curves cuts all that cross it.
    masses_h = [line_mass(ink, line) for line in horizontal]
    masses_v = [np.nan] * len(vertical)
    inner = [
        (level, line_thickness(line), runs_on, mass)
        for lines, levels, flags, line_masses, size in (
            (horizontal, levels_h, runs_on_h, masses_h, height),
            (vertical, levels_v, runs_on_v, masses_v, width),
        )
        for line, level, runs_on, mass in zip(lines, levels, flags, line_masses, strict=True)
        if inside_frame(line, lines, size)
    ]
    levels = np.array([level for level, _, _, _ in inner])
    thicknesses = np.array([thickness for _, thickness, _, _ in inner])
    inner_runs_on = np.array([runs_on for _, _, runs_on, _ in inner], dtype=bool)
    masses = np.array([mass for _, _, _, mass in inner])
    grid_level = float(np.median(levels)) if inner else 0.0

    def is_grid(line: Line, level: float, runs_on: bool, placed: bool, mass: float) -> bool:
        # Fewer than three long lines inside the frame are no grid, but flat curves.
        if len(inner) < FAMILY_SIZE:
            return False
        # A line running on as a curve is a grid line only at the grid's own spacing (one
        # that a box hides in part, where curves happen to cross the box's edge).
        if runs_on and not placed:
            return False
        # Major grid lines are darker than minor ones but come as a family of look-alikes,
        # as thick as each other: curves merged into one line are thicker than black major
        # lines of the grid are. Saturated output curves look alike too, but each runs on
        # from its knee. A thin line's peak level and rows depend on where it falls between
        # pixel rows, its ink across them (its mass) does not.
        alike = (
            (np.abs(levels - level) <= _FAMILY_LEVEL)
            & (np.abs(thicknesses - line_thickness(line)) <= _FAMILY_THICKNESS_PX)
            | (np.abs(masses - mass) <= FAMILY_MASS * mass)
        ) & ~inner_runs_on
        if np.count_nonzero(alike) - (not runs_on) >= FAMILY_SIZE:
            return True
        return level <= grid_level + CURVE_OVER_GRID and not runs_on

    def keep(
        lines: list[Line],
        levels: list[float],
        flags: list[bool],
        size: int,
        plane: np.ndarray,
        plane_pieces: list[Line],
        line_masses: list[float],
    ) -> list[Line]:
        taken = np.array([line.position for line in lines])
        hidden = [
            (piece.position, line_level(plane, piece), line_mass(plane, piece))
            for piece in plane_pieces
            if not taken.size or np.min(np.abs(taken - piece.position)) > _SPACING_TOLERANCE_PX
        ]
        spaced = _evenly_spaced(lines, levels, size, grid_level, hidden, line_masses)
        placed = _evenly_spaced(
            lines, levels, size, grid_level, hidden, line_masses, full_span=False
        )
        return [
            line
            for line, level, runs_on, regular, at, mass in zip(
                lines, levels, flags, spaced, placed, line_masses, strict=True
            )
            if is_grid(line, level, runs_on, at, mass)
            or regular
            or not inside_frame(line, lines, size)
        ]

    return (
        keep(horizontal, levels_h, runs_on_h, height, ink, pieces[0], masses_h),
        keep(vertical, levels_v, runs_on_v, width, ink.T, pieces[1], masses_v),
    )


def without_coloured(
    ink: np.ndarray, colour: np.ndarray, horizontal: list[Line], vertical: list[Line]
) -> tuple[list[Line], list[Line]]:
    """Drop inner lines far more colourful than the grid's typical line (the frame stays)."""
    height, width = colour.shape
    sized = [(line, height, (ink, colour)) for line in horizontal] + [
        (line, width, (ink.T, colour.T)) for line in vertical
    ]
    inner = [inside_frame(line, horizontal, height) for line in horizontal] + [
        inside_frame(line, vertical, width) for line in vertical
    ]
    levels = [_line_colour(*planes, line) for line, _, planes in sized]
    grid = float(np.median([lv for lv, i in zip(levels, inner, strict=True) if i] or [0.0]))
    keep = [
        not is_inner or level <= grid + _COLOURED_OVER_GRID
        for is_inner, level in zip(inner, levels, strict=True)
    ]
    return (
        [line for line, k in zip(horizontal, keep[: len(horizontal)], strict=True) if k],
        [line for line, k in zip(vertical, keep[len(horizontal) :], strict=True) if k],
    )


def interrupted_grid_lines(
    ink: np.ndarray,
    grid: list[Line],
    found: list[Line],
    pieces: list[Line],
    by_mass: bool = False,
) -> list[Line]:
    """Grid lines a box hides in part: pieces from the frame too short to be grid alone,
    at the grid's own spacing and as dark as its typical line, or as dark and as thick as
    some of its lines (major ones) where the piece stops at its end as a grid line does (a
    flat stretch of a curve is off the spacing, darker or thicker, or bends away at its end).
    With ``by_mass`` (horizontal lines, as :func:`without_flat_curves` judges them), a piece
    carrying as much ink per column as some of the lines is alike too: a thin line's peak
    level depends on where it falls between pixel rows, its mass does not. A piece of a long
    line ``found`` and judged a curve stays a curve."""
    size = ink.shape[0]
    inner = [line for line in grid if inside_frame(line, grid, size)]
    if len(inner) < 2:
        return []
    positions = np.array([0.0, size - 1.0] + [line.position for line in grid])
    judged = np.array([line.position for line in found])
    levels = np.array([line_level(ink, line) for line in inner])
    thicknesses = np.array([line_thickness(line) for line in inner])
    masses = np.array([line_mass(ink, line) if by_mass else np.nan for line in inner])
    median = float(np.median(levels))
    mask = ink > LINE_INK_THRESHOLD
    hidden_grid = []
    for piece in pieces:
        offsets = piece.position - positions
        if np.min(np.abs(np.concatenate((offsets, piece.position - judged)))) <= (
            _SPACING_TOLERANCE_PX
        ):
            continue
        before = offsets[offsets > _SPACING_TOLERANCE_PX]
        after = -offsets[offsets < -_SPACING_TOLERANCE_PX]
        regular = _close(before, after) or _close(2 * after, after) or _close(2 * before, before)
        if not regular:
            continue
        level = line_level(ink, piece)
        mass = line_mass(ink, piece) if by_mass else np.nan
        alike = (np.abs(levels - level) <= _FAMILY_LEVEL) & (
            np.abs(thicknesses - line_thickness(piece)) <= _FAMILY_THICKNESS_PX
        ) | (np.abs(masses - mass) <= FAMILY_MASS * mass)
        if abs(level - median) <= _FAMILY_LEVEL or (
            alike.any() and not runs_on_as_curve(mask, piece)
        ):
            hidden_grid.append(piece)
    return hidden_grid


def runs_on_as_curve(mask: np.ndarray, line: Line) -> bool:
    """A line stopping short of the frame where ink goes on beside it, joined to its end:
    curves that merge into one flat line (thermal impedance at long pulses). A grid line
    stops at a box, whose blank inside follows its border, or at a label's blank, beyond
    which the label's glyphs stand apart from the line."""
    length = mask.shape[1]
    rows = slice(max(0, line.first - _BESIDE_PX), line.last + _BESIDE_PX + 1)
    near, far = _BEYOND_END_PX
    for low, high, end in (
        (line.start - far, line.start + 1, far),
        (line.end - 1, line.end + far, 0),
    ):
        if low < 0 or high > length:
            continue
        pieces, _ = ndimage.label(mask[rows, low:high], structure=np.ones((3, 3), dtype=bool))
        at_end = pieces[line.first - rows.start : line.last - rows.start + 1, end]
        joined = np.isin(pieces, at_end[at_end > 0])
        beyond = joined[:, near : far + 1] if end == 0 else joined[:, : far - near + 1]
        if beyond.any(axis=0).mean() >= _CONTINUED_FRACTION:
            return True
    return False


def _evenly_spaced(
    lines: list[Line],
    levels: list[float],
    size: int,
    grid_level: float,
    hidden: Sequence[tuple[float, float, float]],
    masses: Sequence[float],
    full_span: bool = True,
) -> list[bool]:
    """Per line: it spans the plot (with ``full_span``; else its position alone counts)
    and sits midway between two other lines (or the frame)
    at least about as dark, or darker than the grid's typical line. Among the many light
    lines of a log grid some spacing matches any position, so a dark flat curve is
    measured against the dark major lines only, which a major line is evenly spaced among.
    A piece of a line that a box hides in part (``hidden``: position, level and mass) counts
    when it is as dark as the line judged, or at least as dark as the lines placing it and
    carrying as much ink per column (``masses``: the lines'; NaN where not measured): a thin
    line's peak level depends on where it falls between pixel rows (a major line on one row
    reads darker than its piece straddling two), its mass does not. A paler piece from the
    frame is a box's side.
    """
    line_positions = np.array([line.position for line in lines])
    line_levels = np.array(levels)
    hidden_positions = np.array([position for position, _, _ in hidden])
    hidden_levels = np.array([level for _, level, _ in hidden])
    hidden_masses = np.array([mass for _, _, mass in hidden])
    length = size if not lines else max(line.end for line in lines)
    regular = []
    for line, level, mass in zip(lines, levels, masses, strict=True):
        if full_span and line.end - line.start < _FULL_SPAN_FRACTION * length:
            regular.append(False)
            continue
        darkest = min(level, grid_level + 2 * _FAMILY_LEVEL) - _FAMILY_LEVEL
        alike = line_positions[line_levels >= darkest]
        as_heavy = np.abs(hidden_masses - mass) <= FAMILY_MASS * mass
        as_dark = hidden_levels >= level - _FAMILY_LEVEL
        placing = hidden_positions[(hidden_levels >= darkest) & (as_dark | as_heavy)]
        positions = np.concatenate(([0.0, size - 1.0], alike, placing))
        before = positions[positions < line.position - _MIN_SPACING_FRACTION * size]
        after = positions[positions > line.position + _MIN_SPACING_FRACTION * size]
        gaps_before = line.position - before
        gaps_after = after - line.position
        regular.append(
            _close(gaps_before, gaps_after)
            or _close(2 * gaps_after, gaps_after)
            or _close(2 * gaps_before, gaps_before)
        )
    return regular


def _close(a: np.ndarray, b: np.ndarray) -> bool:
    """Whether some value of ``a`` matches some value of ``b``: a line midway between two
    others, or (given a side's gaps doubled and not) the outermost line of a grid that does
    not start at the frame, with the next two lines one and two spacings away."""
    return bool(
        a.size and b.size and np.min(np.abs(a[:, None] - b[None, :])) <= _SPACING_TOLERANCE_PX
    )


def inside_frame(line: Line, lines: list[Line], size: int) -> bool:
    """Whether a line lies inside the frame: away from the crop's border, or near it with
    another of ``lines`` between it and the border. The frame is the outermost line; one
    just inside it is a flat curve running close along the axis (the lowest curve of an
    output characteristic) or grid, and is judged as such."""
    if line.position <= _FRAME_MARGIN_PX:
        return any(other.position < line.position for other in lines)
    if line.position >= size - 1 - _FRAME_MARGIN_PX:
        return any(other.position > line.position for other in lines)
    return True


def line_level(ink: np.ndarray, line: Line) -> float:
    """The ink of a line where it is lightest: a grid line that a curve runs along for a
    while is still grey elsewhere, while a flat curve is curve ink all along its run.

    Measured between the first and the last stretch of solid ink: curves merging into one
    flat line (thermal impedance) meet the line's row only at the crossings of the other
    grid before they merge, and those specks lengthen the line, not lighten it. A dotted
    or dashed grid line keeps its gaps, which are its light part.
    """
    peaks = ink[line.first : line.last + 1, line.start : line.end].max(axis=0, initial=0.0)
    solid = np.flatnonzero(
        np.convolve(peaks > LINE_INK_THRESHOLD, np.ones(_SOLID_RUN_PX), mode="valid")
        == _SOLID_RUN_PX
    )
    if solid.size:
        peaks = peaks[solid[0] : solid[-1] + _SOLID_RUN_PX]
    return percentile(peaks, LIGHT_PERCENTILE) if peaks.size else 0.0


def line_mass(ink: np.ndarray, line: Line) -> float:
    """A line's ink across its rows and the fringe row either side, its median along it."""
    rows = slice(max(0, line.first - 1), line.last + 2)
    return float(np.median(ink[rows, line.start : line.end].sum(axis=0)))


def line_thickness(line: Line) -> int:
    """How many rows a line's band spans."""
    return line.last - line.first + 1


def _line_colour(ink: np.ndarray, colour: np.ndarray, line: Line) -> float:
    """Median chroma of a line over the columns it has ink in: a dotted line's gaps do not
    count, while a grey line that a coloured curve runs along for a while stays grey."""
    rows = slice(line.first, line.last + 1)
    inked = ink[rows, line.start : line.end].max(axis=0) > LINE_INK_THRESHOLD
    if not inked.any():
        return 0.0
    return float(np.median(colour[rows, line.start : line.end].max(axis=0)[inked]))
