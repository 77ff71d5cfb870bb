"""Removing grid lines (and the frame) from the plot's ink.

A grid line is a row or column of ink that runs most of the plot's width or height from one
of its edges, solid, dashed or dotted, one of a family of look-alikes. Where a curve crosses
it, the curve is usually darker than the grid, so a pixel is kept when it is clearly darker
than that line's own typical ink; a curve as dark as the grid loses one line-width there,
which the tracker bridges like a dash gap. A lone line much darker than the grid is a flat
stretch of a curve and stays.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import ndimage

from graphq.digitizer.axes.frame import LINE_INK_THRESHOLD
from graphq.digitizer.preprocessing.broken_grid import GridLook, broken_grid_lines
from graphq.digitizer.preprocessing.grid_erase import (
    CURVE_OVER_GRID,
    FAMILY_MASS,
    LIGHT_PERCENTILE,
    erase_bands,
    percentile,
)
from graphq.digitizer.preprocessing.lines import Line, find_lines, solid_cores

# A grid line spans at least this fraction of the plot.
MIN_GRID_FRACTION = 0.5
# A piece of a grid line that a box interrupts runs at least this fraction of the plot.
_PIECE_FRACTION = 0.25
# A grid line has at least this much own ink in each quarter of its run.
_PART_INK = 0.2
# A line whose chroma (median over its inked columns) exceeds the grid's by this is a curve.
_COLOURED_OVER_GRID = 0.07
# A line with at least this many others within this ink level of it is one of a grid family.
_FAMILY_SIZE = 3
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


def remove_grid(
    ink: np.ndarray, colour: np.ndarray | None = None
) -> tuple[np.ndarray, list[Line], list[Line]]:
    """Ink with grid and frame lines erased, plus the horizontal and vertical lines found.

    ``colour`` (the image's chroma) tells a flat coloured curve from the grey grid: a line
    much more colourful than the grid's lines is a curve, however light or dotted.
    """
    height, width = ink.shape
    mask = ink > LINE_INK_THRESHOLD
    gap_px = max(3, round(0.015 * max(width, height)))
    horizontal = _from_frame(ink, mask, MIN_GRID_FRACTION, gap_px)
    vertical = _from_frame(ink.T, mask.T, MIN_GRID_FRACTION, gap_px)
    found_horizontal, found_vertical = horizontal, vertical
    pieces_h = _pieces(ink, mask, gap_px)
    pieces_v = _pieces(ink.T, mask.T, gap_px)
    horizontal, vertical = _without_flat_curves(ink, horizontal, vertical, (pieces_h, pieces_v))
    if colour is not None:
        horizontal, vertical = _without_coloured(ink, colour, horizontal, vertical)
    # The grid's look is taken from its whole lines, before any piece joins them.
    look = _grid_look(ink, horizontal, vertical)
    horizontal += _interrupted(ink, horizontal, found_horizontal, pieces_h, by_mass=True)
    vertical += _interrupted(ink.T, vertical, found_vertical, pieces_v)
    if look is not None:
        horizontal += broken_grid_lines(
            ink, mask, found_horizontal + horizontal, look, gap_px, grid=horizontal
        )
        vertical += broken_grid_lines(
            ink.T, mask.T, found_vertical + vertical, look, gap_px, grid=vertical
        )
    cleaned = ink.copy()
    erase_bands(cleaned, ink, horizontal)
    erase_bands(cleaned.T, ink.T, vertical)
    grid_level = _grid_level(ink, horizontal, vertical)
    if grid_level is not None:
        _erase_light(
            cleaned, ink, [line for line in found_horizontal if line not in horizontal], grid_level
        )
        _erase_light(
            cleaned.T, ink.T, [line for line in found_vertical if line not in vertical], grid_level
        )
    return cleaned, horizontal, vertical


def _grid_level(ink: np.ndarray, horizontal: list[Line], vertical: list[Line]) -> float | None:
    """Median level of the erased grid lines inside the frame; None without any."""
    height, width = ink.shape
    levels = [
        _line_level(plane, line)
        for plane, lines, size in ((ink, horizontal, height), (ink.T, vertical, width))
        for line in lines
        if _inner(line, lines, size)
    ]
    return float(np.median(levels)) if levels else None


def _grid_look(ink: np.ndarray, horizontal: list[Line], vertical: list[Line]) -> GridLook | None:
    """How thick and dark the grid's lines inside the frame are; None without a grid (fewer
    lines than a family)."""
    height, width = ink.shape
    inner = [
        (plane, line)
        for plane, lines, size in ((ink, horizontal, height), (ink.T, vertical, width))
        for line in lines
        if _inner(line, lines, size)
    ]
    if len(inner) < _FAMILY_SIZE:
        return None
    return GridLook(
        rows=np.array([_thickness(line) for _, line in inner]),
        levels=np.array([_line_level(plane, line) for plane, line in inner]),
        level=_line_level,
        runs_on=_runs_on_as_curve,
    )


def _erase_light(
    cleaned: np.ndarray, ink: np.ndarray, curves: list[Line], grid_level: float
) -> None:
    """Erase, in place, the ink no darker than the grid along dark lines judged flat curves.

    A flat curve drawn over a grid line covers it only where the curve runs; beyond its
    end the grid line goes on to the frame, and would be traced as the curve's tail. A
    curve as pale as the grid (kept for its colour, or a bundle merging) stays whole.
    """
    rows = cleaned.shape[0]
    for line in curves:
        if _line_level(ink, line) <= grid_level + CURVE_OVER_GRID:
            continue
        band = cleaned[max(0, line.first - 1) : min(rows, line.last + 2), line.start : line.end]
        band[band < grid_level + CURVE_OVER_GRID] = 0.0


def _pieces(ink: np.ndarray, mask: np.ndarray, gap_px: int) -> list[Line]:
    """Lines from the frame at least a piece of a grid line long (a box may hide the rest)."""
    return _from_frame(ink, mask, _PIECE_FRACTION, gap_px)


def _from_frame(ink: np.ndarray, mask: np.ndarray, fraction: float, gap_px: int) -> list[Line]:
    """Horizontal lines at least ``fraction`` of the plot long that reach the frame, each
    thick band cut down to its solid cores
    (:func:`graphq.digitizer.preprocessing.lines.solid_cores`)."""
    min_length = fraction * mask.shape[1]
    lines = find_lines(ink, mask, min_length=min_length, gap_px=gap_px, min_part_ink=_PART_INK)
    return _edge_to_edge(solid_cores(ink, mask, lines, min_length, gap_px), mask)


def _interrupted(
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
    With ``by_mass`` (horizontal lines, as :func:`_without_flat_curves` judges them), a piece
    carrying as much ink per column as some of the lines is alike too: a thin line's peak
    level depends on where it falls between pixel rows, its mass does not. A piece of a long
    line ``found`` and judged a curve stays a curve."""
    size = ink.shape[0]
    inner = [line for line in grid if _inner(line, grid, size)]
    if len(inner) < 2:
        return []
    positions = np.array([0.0, size - 1.0] + [line.position for line in grid])
    judged = np.array([line.position for line in found])
    levels = np.array([_line_level(ink, line) for line in inner])
    thicknesses = np.array([_thickness(line) for line in inner])
    masses = np.array([_line_mass(ink, line) if by_mass else np.nan for line in inner])
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
        level = _line_level(ink, piece)
        mass = _line_mass(ink, piece) if by_mass else np.nan
        alike = (np.abs(levels - level) <= _FAMILY_LEVEL) & (
            np.abs(thicknesses - _thickness(piece)) <= _FAMILY_THICKNESS_PX
        ) | (np.abs(masses - mass) <= FAMILY_MASS * mass)
        if abs(level - median) <= _FAMILY_LEVEL or (
            alike.any() and not _runs_on_as_curve(mask, piece)
        ):
            hidden_grid.append(piece)
    return hidden_grid


def _inner(line: Line, lines: list[Line], size: int) -> bool:
    """Whether a line lies inside the frame: away from the crop's border, or near it with
    another of ``lines`` between it and the border. The frame is the outermost line; one
    just inside it is a flat curve running close along the axis (the lowest curve of an
    output characteristic) or grid, and is judged as such."""
    if line.position <= _FRAME_MARGIN_PX:
        return any(other.position < line.position for other in lines)
    if line.position >= size - 1 - _FRAME_MARGIN_PX:
        return any(other.position > line.position for other in lines)
    return True


def _line_level(ink: np.ndarray, line: Line) -> float:
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


def _without_flat_curves(
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
    levels_h = [_line_level(ink, line) for line in horizontal]
    levels_v = [_line_level(ink.T, line) for line in vertical]
    # Bundles merge into flat lines (thermal impedance), flat output curves leave their knee;
    # a steep curve runs on into no vertical line.
    mask = ink > LINE_INK_THRESHOLD
    runs_on_h = [_runs_on_as_curve(mask, line) for line in horizontal]
    runs_on_v = [False] * len(vertical)
    # Only horizontal lines are judged by their mass: a vertical line left in place costs
    # the tracker nothing, while erasing one as dark as the curves cuts all that cross it.
    masses_h = [_line_mass(ink, line) for line in horizontal]
    masses_v = [np.nan] * len(vertical)
    inner = [
        (level, _thickness(line), runs_on, mass)
        for lines, levels, flags, line_masses, size in (
            (horizontal, levels_h, runs_on_h, masses_h, height),
            (vertical, levels_v, runs_on_v, masses_v, width),
        )
        for line, level, runs_on, mass in zip(lines, levels, flags, line_masses, strict=True)
        if _inner(line, lines, size)
    ]
    levels = np.array([level for level, _, _, _ in inner])
    thicknesses = np.array([thickness for _, thickness, _, _ in inner])
    inner_runs_on = np.array([runs_on for _, _, runs_on, _ in inner], dtype=bool)
    masses = np.array([mass for _, _, _, mass in inner])
    grid_level = float(np.median(levels)) if inner else 0.0

    def is_grid(line: Line, level: float, runs_on: bool, placed: bool, mass: float) -> bool:
        # Fewer than three long lines inside the frame are no grid, but flat curves.
        if len(inner) < _FAMILY_SIZE:
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
            & (np.abs(thicknesses - _thickness(line)) <= _FAMILY_THICKNESS_PX)
            | (np.abs(masses - mass) <= FAMILY_MASS * mass)
        ) & ~inner_runs_on
        if np.count_nonzero(alike) - (not runs_on) >= _FAMILY_SIZE:
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
            (piece.position, _line_level(plane, piece), _line_mass(plane, piece))
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
            if is_grid(line, level, runs_on, at, mass) or regular or not _inner(line, lines, size)
        ]

    return (
        keep(horizontal, levels_h, runs_on_h, height, ink, pieces[0], masses_h),
        keep(vertical, levels_v, runs_on_v, width, ink.T, pieces[1], masses_v),
    )


def _line_mass(ink: np.ndarray, line: Line) -> float:
    """A line's ink across its rows and the fringe row either side, its median along it."""
    rows = slice(max(0, line.first - 1), line.last + 2)
    return float(np.median(ink[rows, line.start : line.end].sum(axis=0)))


def _thickness(line: Line) -> int:
    return line.last - line.first + 1


def _without_coloured(
    ink: np.ndarray, colour: np.ndarray, horizontal: list[Line], vertical: list[Line]
) -> tuple[list[Line], list[Line]]:
    """Drop inner lines far more colourful than the grid's typical line (the frame stays)."""
    height, width = colour.shape
    sized = [(line, height, (ink, colour)) for line in horizontal] + [
        (line, width, (ink.T, colour.T)) for line in vertical
    ]
    inner = [_inner(line, horizontal, height) for line in horizontal] + [
        _inner(line, vertical, width) for line in vertical
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


def _line_colour(ink: np.ndarray, colour: np.ndarray, line: Line) -> float:
    """Median chroma of a line over the columns it has ink in: a dotted line's gaps do not
    count, while a grey line that a coloured curve runs along for a while stays grey."""
    rows = slice(line.first, line.last + 1)
    inked = ink[rows, line.start : line.end].max(axis=0) > LINE_INK_THRESHOLD
    if not inked.any():
        return 0.0
    return float(np.median(colour[rows, line.start : line.end].max(axis=0)[inked]))


def _runs_on_as_curve(mask: np.ndarray, line: Line) -> bool:
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


def _edge_to_edge(lines: list[Line], mask: np.ndarray) -> list[Line]:
    """The lines whose ink reaches the frame at one end at least (and the frame itself).

    A grid line runs from frame to frame, or from the frame to a box drawn over it; a long
    side of a legend box stops short of both, and must survive for the box to be found.
    """
    width = mask.shape[1]
    lead = _solid_edge(mask.T)
    trail = _solid_edge(mask.T[::-1])
    kept = []
    for line in lines:
        inked = np.flatnonzero(mask[line.first : line.last + 1, lead : width - trail].any(axis=0))
        if inked.size == 0 or inked[0] <= 2 or inked[-1] >= width - lead - trail - 3:
            kept.append(line)
    return kept


def _solid_edge(mask: np.ndarray) -> int:
    """How many leading rows of ``mask`` are (almost) solid ink: the frame's thickness."""
    rows = 0
    while rows < min(8, mask.shape[0]) and mask[rows].mean() >= 0.8:
        rows += 1
    return rows
