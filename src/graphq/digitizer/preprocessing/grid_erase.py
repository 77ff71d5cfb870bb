"""Erasing the grid lines found in the plot's ink, curves along and across them kept.

Each row of a line's band is erased up to its own level: a curve darker than the line
survives where it crosses or runs along it, while the line's own dashes (however dark) and
the anti-aliased strokes of a label laid over it do not set that level. A curve lying in the
row beside a line's band, where the line's own fringe would run all along it, keeps that
stretch (a flat curve tail drawn half a pixel off a grid line at 72 dpi). A grid line drawn a
fraction of a pixel aslant moves its dark core from one row of its band to the next; the row
it moved into is darker in one long stretch, as a curve along the line would make it, but the
band's ink per column stays the line's own, where a curve adds its own: that stretch is the
line's, erased with it.
"""

from __future__ import annotations

import numpy as np

from graphq.digitizer.axes.frame import LINE_INK_THRESHOLD
from graphq.digitizer.preprocessing.lines import Line
from graphq.digitizer.stretches import true_stretches

# A pixel on a grid line survives when its ink exceeds the line's median ink by this much.
CURVE_OVER_GRID = 0.25
# Ink darker than a row's light level by that much is a curve along the line when it runs
# unbroken for this many px: the anti-aliased dots of a dotted grid line (1 pt is 4 px at
# 300 dpi) spread as widely between core and fringe, but only over a few px at a time. At
# 72 dpi a curve lying on a grey line darkens it by no more than that.
_ALONG_RUN_PX = 12
# A row whose upper ink level exceeds the band's light level by this much is a curve lying
# along the line's edge (when its darker ink runs unbroken as above).
_CURVE_ALONG_GRID = 0.4
# A row whose ink runs unbroken (for the along-run length) over this fraction of it is a
# solid line: its own light level is taken from those runs alone.
_SOLID_SHARE = 0.25
# Percentile of a grid row's ink taken as the line's own level.
_LEVEL_PERCENTILE = 75
# A fringe row (one either side of a line's band) whose long stretches of ink cover less
# than this fraction of the line's inked length holds a curve beside the line there.
_FRINGE_SHARE = 0.5
# Darker stretches of a row are the line's own dashes (a vendor's dash pattern drawn over a
# dotted line renders as black dashes at 72-150 dpi), not a curve along it, when there are at
# least this many, alike in length to this ratio, none longer than this fraction of the row,
# from its first to its last quarter: a curve lies along a grid line over one stretch, a
# dashed one over the part where it is flat, which starts or ends at a bend inside the plot.
_DASHES_MIN = 3
_DASH_LENGTH_RATIO = 2.5
_MAX_DASH_FRACTION = 0.25
_DASH_END_FRACTION = 0.25
# Lines whose ink per column (their mass) is within this fraction of each other's are alike:
# a thin line's peak level and rows depend on where it falls between pixel rows, its mass
# does not ...
FAMILY_MASS = 0.1
# ... and a line alike to at least this many others is one of the grid's family: a flat curve
# the grid stage took for a line has no such fellows.
_FAMILY_FELLOWS = 2
# Percentile of a line's ink that tells a grid line from a flat curve.
LIGHT_PERCENTILE = 10


def erase_bands(cleaned: np.ndarray, ink: np.ndarray, lines: list[Line]) -> None:
    """Erase each horizontal band of ``lines`` in place (pass transposes for vertical).

    Each row of a band has its own level (the core of an anti-aliased line is darker than
    its fringe); the level is an upper percentile of the row's ink so dashes fade in and out
    under it, yet a curve running along the line for a while does not set it.
    """
    rows = cleaned.shape[0]
    bands = [_band(ink, line) for line in lines]
    masses = [band.sum(axis=0) for band in bands]
    fellows = _fellows([float(np.median(mass)) if mass.size else 0.0 for mass in masses])
    for line, fringed_band, mass, alike in zip(lines, bands, masses, fellows, strict=True):
        band = ink[line.first : line.last + 1, line.start : line.end].max(axis=0)
        band_light = _light_level(band)
        core_px = np.count_nonzero(band > LINE_INK_THRESHOLD)
        # One row either side takes the anti-aliased fringe of a line between two rows.
        fringed = range(max(0, line.first - 1), min(rows, line.last + 2))
        stretches = {row: _darker_stretches(ink[row, line.start : line.end]) for row in fringed}
        # Only a line of the grid's family is known to be grid all along; a flat curve the
        # grid stage took for a line keeps the stretches that hold it.
        added = _added_ink(fringed_band, mass, stretches) if alike >= _FAMILY_FELLOWS else None
        for row in fringed:
            values = ink[row, line.start : line.end]
            inked = values[values > LINE_INK_THRESHOLD]
            if inked.size < 0.25 * values.size:
                continue
            beside_line = np.zeros(values.size, dtype=bool)
            if not line.first <= row <= line.last:
                # A line's fringe runs along all of it; long stretches of ink in a fringe row
                # otherwise blank are a curve lying beside the line.
                beside_line = _long_runs(values > LINE_INK_THRESHOLD, _ALONG_RUN_PX)
                if beside_line.sum() >= _FRINGE_SHARE * core_px:
                    beside_line[:] = False
            level = percentile(inked, _LEVEL_PERCENTILE)
            along = stretches[row]
            if _dashes(along):
                # The darker stretches are the line's own dashes: all of it is grid.
                level = float(values[along].max())
            elif (along := _adding_ink(along, added)).any():
                # A curve runs along this grid line for a good part of it: the line's own
                # level is that of the ink beside the curve's stretches.
                beside = values[~along & (values > LINE_INK_THRESHOLD)]
                if not beside.size:
                    beside = inked[inked <= _light_level(values) + CURVE_OVER_GRID]
                level = percentile(beside, 75)
            elif level - band_light > _CURVE_ALONG_GRID and (
                _long_runs(values > band_light + CURVE_OVER_GRID, _ALONG_RUN_PX).any()
            ):
                # This row is a curve lying along the line's edge for most of the row (the
                # band took it in); the line's own level is where the band is lightest.
                level = band_light
            target = cleaned[row]
            erase = target < level + CURVE_OVER_GRID
            erase[line.start : line.end] &= ~beside_line
            target[erase] = 0.0


def _band(ink: np.ndarray, line: Line) -> np.ndarray:
    """A line's band of ``ink``: its rows and the fringe row either side."""
    return ink[max(0, line.first - 1) : line.last + 2, line.start : line.end]


def _fellows(masses: list[float]) -> list[int]:
    """Per line, how many of the others carry its ink per column (within FAMILY_MASS of it).
    Sorted once, each line's fellows are a range of the sorted masses."""
    ordered = np.sort(np.asarray(masses, dtype=float))
    values = np.asarray(masses, dtype=float)
    low = np.searchsorted(ordered, values * (1.0 - FAMILY_MASS), side="left")
    high = np.searchsorted(ordered, values * (1.0 + FAMILY_MASS), side="right")
    return (high - low - 1).tolist()


def _darker_stretches(values: np.ndarray) -> np.ndarray:
    """Where a row of a line's band is darker than its light level in long stretches: a
    curve along the line; in short ones, the anti-aliased dots of a dotted line."""
    return _long_runs(values > _light_level(values) + CURVE_OVER_GRID, _ALONG_RUN_PX)


def _added_ink(
    band: np.ndarray, mass: np.ndarray, stretches: dict[int, np.ndarray]
) -> np.ndarray | None:
    """Per column of a line's ``band`` (``mass``: its ink per column), the ink over the
    line's own: the median of the columns where no row has a darker stretch. None where
    every inked column has one."""
    plain = band.max(axis=0) > LINE_INK_THRESHOLD
    for along in stretches.values():
        plain &= ~along
    if not plain.any():
        return None
    return mass - float(np.median(mass[plain]))


def _adding_ink(along: np.ndarray, added: np.ndarray | None) -> np.ndarray:
    """The darker stretches of a row that add ink to the line's band (``added``: per column,
    over the line's own; None: all of them): a curve lying along the line. A line drawn a
    fraction of a pixel aslant moves its dark core from one row to the next in long
    stretches, which darkens a row as a curve would, but its ink per column stays its own."""
    if added is None or not along.any():
        return along
    kept = along.copy()
    for start, stop in zip(*true_stretches(along), strict=True):
        if float(np.median(added[start:stop])) <= CURVE_OVER_GRID:
            kept[start:stop] = False
    return kept


def _light_level(values: np.ndarray) -> float:
    """The light level of a row of a line's ink (a low percentile of its inked pixels); of a
    solid line, of its own unbroken runs alone, not of the anti-aliased strokes of a label's
    glyphs laid over it (short runs across the row)."""
    inked = values > LINE_INK_THRESHOLD
    if not inked.any():
        return 0.0
    solid = _long_runs(inked, _ALONG_RUN_PX)
    own = values[solid] if solid.sum() >= _SOLID_SHARE * values.size else values[inked]
    return percentile(own, LIGHT_PERCENTILE)


def _dashes(along: np.ndarray) -> bool:
    """Whether the darker stretches ``along`` a row are a dash pattern: several alike short
    ones, from one end of the row to the other."""
    starts, stops = true_stretches(along)
    if starts.size < _DASHES_MIN:
        return False
    lengths = stops - starts
    reach = _DASH_END_FRACTION * along.size
    return bool(
        lengths.max() <= _MAX_DASH_FRACTION * along.size
        and lengths.max() <= _DASH_LENGTH_RATIO * lengths.min()
        and starts[0] <= reach
        and stops[-1] >= along.size - reach
    )


def _long_runs(mask: np.ndarray, min_length: int) -> np.ndarray:
    """The True pixels of a 1-D mask that lie in unbroken stretches of ``min_length`` or more."""
    starts, stops = true_stretches(mask)
    keep = np.zeros(mask.size + 1, dtype=np.int64)
    long = stops - starts >= min_length
    # Runs are apart by a False at least: no start or stop index is repeated.
    keep[starts[long]] = 1
    keep[stops[long]] = -1
    return np.cumsum(keep[:-1]) > 0


def percentile(values: np.ndarray, q: float) -> float:
    """``np.percentile(values, q)`` (linear interpolation) of a non-empty 1-D array, without
    its generic machinery: erasing the grid takes thousands of them, each of a few hundred
    values, where that machinery cost more than the sorting."""
    index = q / 100.0 * (values.size - 1)
    low = int(index)
    high = min(low + 1, values.size - 1)
    ordered = np.partition(values, (low, high)) if values.size > 2 else np.sort(values)
    return float(ordered[low] + (ordered[high] - ordered[low]) * (index - low))
