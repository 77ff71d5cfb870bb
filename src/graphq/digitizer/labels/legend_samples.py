"""Legend samples in a raster plot: the short line drawn beside a legend's text in the style
of the curve it names, and the style of each traced curve to match it against.

A sample is a short level stroke (or a row of dashes) with text on its row a few glyphs
from one end. Where the text stage took it for part of its text line, read with the text it
would come out as a dash ("— VGS = 10 V" as "-VGS = 10 V"), so it is taken out of the text
before OCR. Colours are matched loosely (a
JPEG's or an anti-aliased line's colour is not its curve's exact colour): each sample takes
the colour of the nearest curve colour, and curves of nearly one colour share it, so the
datasheet binder's exact comparison (:func:`graphq.datasheet.legends.by_sample`) holds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy import ndimage

from graphq.datasheet.curves import LegendSample
from graphq.datasheet.legends import SAMPLE_REACH_EM
from graphq.datasheet.textlines import TextLine
from graphq.digitizer.preprocessing.ink import chroma, darkness

# A legend's entries stand in one column or one row: their edges align within this many
# of their heights (OCR's boxes hug the glyphs, so a fraction of a glyph's play).
ENTRY_ALIGN_EM = 0.6

Colour = tuple[int, int, int]
Box = tuple[float, float, float, float]
Sample = tuple[tuple[float, float], Colour, bool]


@dataclass(frozen=True)
class SampleSettings:
    # A sample's strokes are at most this many glyph heights thick ...
    max_thickness: float = 0.5
    # ... and, joined across gaps of up to this many glyph heights (a dashed sample's), at
    # least this many long: a minus sign or an "=" is shorter.
    dash_gap: float = 0.6
    min_length: float = 1.5
    # ... and at most this many (a grid line or a box's side is longer).
    max_length: float = 6.0
    # Its text starts within this many glyph heights of one of its ends, level with it: the
    # sample's row is at least this fraction of the text's height inside the text's rows (a
    # box's side just over or under a text is no sample).
    text_reach: float = 2.5
    inside_text: float = 0.2
    # Its dashes are level runs at least this many glyph heights long.
    min_dash: float = 0.3
    # A joined sample of this many strokes or more is dashed.
    min_dashes: int = 2
    # Colours closer than this (RGB distance) are one colour: anti-aliasing and JPEG move a
    # line's colour by up to ~40.
    same_colour: float = 60.0
    # A sample's pixels are darker or more colourful than this (a pale minor grid is not);
    # its colour is read from its core, the pixels at least this fraction as dark as its
    # darkest (its anti-aliased edges are paler).
    ink: float = 0.2
    core: float = 0.8
    # A curve is dashed when its ink breaks this many times at least ...
    min_breaks: int = 5
    # ... and is seen in less than this fraction of the columns it spans.
    max_seen_dashed: float = 0.9


DEFAULT_SAMPLES = SampleSettings()


@dataclass(frozen=True)
class StackSettings:
    """When traced curves stand in one order top to bottom, for a legend's order to name."""

    # Heights compared at this many places across the x span all curves share.
    checks: int = 25
    # Two curves are never apart when they stay within this many points of each other ...
    tied_pt: float = 0.5
    # ... and they cross when the one below rises above the other by more than this
    # fraction of how far it stands below elsewhere: where a family's curves leave a common
    # point (the origin of output curves) their traces swap by a line or two, a small
    # fraction of how far they part; curves that really cross part on both sides.
    minor_share: float = 0.25


DEFAULT_STACK = StackSettings()


def find_samples(
    image: np.ndarray,
    free: np.ndarray,
    text: np.ndarray,
    glyph: float,
    colours: list[Colour],
    settings: SampleSettings = DEFAULT_SAMPLES,
) -> list[Sample]:
    """Samples beside the text pixels ``text`` (taken out of it, in place), drawn where
    ``free`` (no curve's pixels, inside the frame): centre (x, y), colour (one of ``colours``
    when near one) and whether dashed. The image's own ink is searched, not the plot's
    cleaned ink: a pale sample beside black text falls below the curves' local threshold,
    and the grid stage erases samples."""
    strength = np.maximum(darkness(image), chroma(image))
    # Level runs only: a grid line or a curve touching a sample would make it tall.
    run = max(2, round(settings.min_dash * glyph))
    inked = (strength > settings.ink) & free & ~_glyphs(text, glyph, settings)
    level = ndimage.minimum_filter1d(inked.view(np.uint8), run)
    marked = ndimage.maximum_filter1d(level, run).view(bool)
    labels, count = ndimage.label(marked, structure=np.ones((3, 3), bool))
    if count == 0:
        return []
    thin = np.zeros(count + 1, bool)
    for index, box in enumerate(ndimage.find_objects(labels), start=1):
        if box is None:
            continue
        tall, wide = box[0].stop - box[0].start, box[1].stop - box[1].start
        thin[index] = tall <= settings.max_thickness * glyph and wide >= 2 * tall
    strokes = thin[labels]
    reach = max(1, round(settings.dash_gap * glyph))
    joined, _ = ndimage.label(ndimage.maximum_filter1d(strokes.view(np.uint8), 2 * reach + 1))
    joined[~strokes] = 0
    samples: list[Sample] = []
    for index, box in enumerate(ndimage.find_objects(joined), start=1):
        wide = 0 if box is None else box[1].stop - box[1].start
        if box is None or not settings.min_length * glyph <= wide <= settings.max_length * glyph:
            continue
        if not _beside_text(text, box, glyph, settings):
            continue
        own = joined[box] == index
        _, dashes = ndimage.label(own, structure=np.ones((3, 3), bool))
        dark = np.where(own, strength[box], 0.0)
        rows, cols = np.nonzero(dark >= settings.core * dark.max())
        pixels = image[rows + box[0].start, cols + box[1].start, :3]
        colour = tuple(int(v) for v in np.median(pixels, axis=0))
        centre = (float(cols.mean() + box[1].start), float(rows.mean() + box[0].start))
        dashed = dashes >= settings.min_dashes
        samples.append((centre, nearest_colour(colour, colours, settings), dashed))  # type: ignore[arg-type]
        _erase(text, box, own)
    return samples


def _erase(text: np.ndarray, box: tuple[slice, slice], own: np.ndarray, grow: int = 2) -> None:
    """The sample's pixels, grown by ``grow`` px (its anti-aliased ends), out of ``text``."""
    height, width = text.shape
    top, left = max(0, box[0].start - grow), max(0, box[1].start - grow)
    bottom, right = min(height, box[0].stop + grow), min(width, box[1].stop + grow)
    grown = np.zeros((bottom - top, right - left), bool)
    grown[box[0].start - top : box[0].stop - top, box[1].start - left : box[1].stop - left] = own
    text[top:bottom, left:right] &= ~ndimage.binary_dilation(grown, iterations=grow)


def _glyphs(text: np.ndarray, glyph: float, settings: SampleSettings) -> np.ndarray:
    """The text's components but those shaped like a sample (thin and long), grown by a px:
    the level strokes of letters ("E", "=", a subscript's bar) are no samples."""
    labels, count = ndimage.label(text, structure=np.ones((3, 3), bool))
    letters = np.zeros(count + 1, bool)
    for index, box in enumerate(ndimage.find_objects(labels), start=1):
        if box is not None:
            tall, wide = box[0].stop - box[0].start, box[1].stop - box[1].start
            letters[index] = (
                tall > settings.max_thickness * glyph or wide < settings.min_length * glyph
            )
    return ndimage.binary_dilation(letters[labels])


def _beside_text(
    text: np.ndarray, box: tuple[slice, slice], glyph: float, settings: SampleSettings
) -> bool:
    """Whether text stands level with the sample, within a few glyphs of either end."""
    height, width = text.shape
    middle = (box[0].start + box[0].stop - 1) / 2.0
    reach = round(settings.text_reach * glyph)
    top = max(0, int(middle - glyph))
    rows = slice(top, min(height, int(middle + glyph) + 1))
    for cols in (
        slice(max(0, box[1].start - reach), box[1].start),
        slice(box[1].stop, min(width, box[1].stop + reach)),
    ):
        inked = np.flatnonzero(text[rows, cols].any(axis=1))
        if inked.size == 0:
            continue
        first, last = top + float(inked[0]), top + float(inked[-1])
        margin = settings.inside_text * (last - first + 1.0)
        if first + margin <= middle <= last - margin:
            return True
    return False


def shared_colours(
    colours: list[Colour], settings: SampleSettings = DEFAULT_SAMPLES
) -> list[Colour]:
    """Each colour, replaced by the first earlier one nearly like it: curves of one colour
    as the eye sees it compare equal."""
    kept: list[Colour] = []
    for colour in colours:
        kept.append(nearest_colour(colour, kept, settings))
    return kept


def nearest_colour(
    colour: Colour, colours: list[Colour], settings: SampleSettings = DEFAULT_SAMPLES
) -> Colour:
    """The nearest of ``colours`` when within :attr:`SampleSettings.same_colour`, else
    ``colour`` itself. A thin line's pixels are its colour faded towards the white paper, so
    each candidate is compared at the fading that brings it nearest."""
    if not colours:
        return colour
    distance = [_faded_distance(colour, c) for c in colours]
    best = int(np.argmin(distance))
    return colours[best] if distance[best] <= settings.same_colour else colour


def _faded_distance(seen: Colour, drawn: Colour) -> float:
    """RGB distance from ``seen`` to ``drawn`` faded towards white by the best amount
    (``seen`` = white − a · (white − drawn), a between a third and one)."""
    ink = 255.0 - np.asarray(seen, np.float64)
    full = 255.0 - np.asarray(drawn, np.float64)
    strength = float(np.clip(ink @ full / max(float(full @ full), 1e-9), 1.0 / 3.0, 1.0))
    return float(np.linalg.norm(ink - strength * full))


def is_dashed(columns: np.ndarray, settings: SampleSettings = DEFAULT_SAMPLES) -> bool:
    """Whether a traced curve (its ascending sample columns) is drawn dashed: its ink breaks
    often and is missing from a good share of the columns it spans."""
    if columns.size < 2:
        return False
    breaks = int(np.count_nonzero(np.diff(columns) > 1))
    seen = columns.size / float(columns[-1] - columns[0] + 1)
    return breaks >= settings.min_breaks and seen < settings.max_seen_dashed


def legend_entries(lines: list[TextLine], samples: list[LegendSample]) -> list[TextLine]:
    """The text lines with a sample on their row beside them (within
    :data:`graphq.datasheet.legends.SAMPLE_REACH_EM` of their heights), top first, that
    stand as a legend's entries do: the most of them set in one column or one row. A line
    elsewhere with a stroke beside it (a curve's piece, a pointer) is no entry: taken for
    one, the box round the entries would swallow the labels between them. A legend sets its
    samples on one side of its entries: a line with a stroke on both sides is no legend's,
    and where lines with strokes left and lines with strokes right both stand as entries,
    which are the legend's is not known, and none is taken."""
    sided: dict[bool, list[TextLine]] = {True: [], False: []}
    for line in lines:
        sides: set[bool] = set()
        for sample in samples:
            sx, sy = sample.centre
            left, right = abs(sx - line.x0), abs(sx - line.x1)
            near = min(left, right) <= SAMPLE_REACH_EM * line.size
            if near and line.top - 2 <= sy <= line.bottom + 2:
                sides.add(left <= right)
        if len(sides) == 1:
            sided[sides.pop()].append(line)
    groups = [group for group in map(_set_as_legend, sided.values()) if group]
    if len(groups) != 1:
        return []
    return sorted(groups[0], key=lambda line: line.top)


def _set_as_legend(entries: list[TextLine]) -> list[TextLine]:
    """The largest group of ``entries`` set in one column (left or right edges aligned) or
    one row (tops aligned), within :data:`ENTRY_ALIGN_EM` of their heights; none when no
    two align."""
    best: list[TextLine] = []
    for first in entries:
        reach = ENTRY_ALIGN_EM * first.size
        for edge in (lambda ln: ln.x0, lambda ln: ln.x1, lambda ln: ln.top):
            group = [ln for ln in entries if abs(edge(ln) - edge(first)) <= reach]
            if len(group) > len(best):
                best = group
    return best if len(best) >= 2 else []


def legend_area(entries: list[TextLine], samples: list[LegendSample]) -> Box | None:
    """The box around a legend's entries and the samples beside them (two entries at
    least): text there names curves by style, never by how near it stands to one."""
    if len(entries) < 2:
        return None
    x0, top = min(e.x0 for e in entries), min(e.top for e in entries)
    x1, bottom = max(e.x1 for e in entries), max(e.bottom for e in entries)
    reach = SAMPLE_REACH_EM * max(e.size for e in entries)
    xs = [s.centre[0] for s in samples if top <= s.centre[1] <= bottom]
    xs = [x for x in xs if x0 - reach <= x <= x1 + reach]
    return (min([x0, *xs]), top, max([x1, *xs]), bottom)


def in_legend_order(entries: list[TextLine], curves: list[np.ndarray]) -> list[str] | None:
    """Per curve (points, y down), the legend entry in the same place counting from the
    top, when the legend lists as many entries as there are curves and the curves keep one
    order: the convention a legend whose samples all look alike leaves to the reader."""
    if len(entries) != len(curves) or len(curves) < 2:
        return None
    order = stacked_order(curves)
    if order is None:
        return None
    labels = [""] * len(curves)
    for index, entry in zip(order, entries, strict=True):
        labels[index] = entry.text
    return labels


def stacked_order(
    curves: list[np.ndarray], settings: StackSettings = DEFAULT_STACK
) -> list[int] | None:
    """Curve indices highest first (points x ascending, y down), or None when two curves
    are never apart or cross over the x span they share (see :class:`StackSettings`)."""
    heights = heights_across(curves, 0.02, 0.98, settings.checks)

    def first_above(diff: np.ndarray) -> bool | None:
        lower, higher = float(diff.max(initial=0.0)), float(-diff.min(initial=0.0))
        major, minor = max(lower, higher), min(lower, higher)
        if major < settings.tied_pt or minor > settings.minor_share * major:
            return None
        return higher > lower

    above = None if heights is None else times_above(heights, first_above)
    return None if above is None else [int(k) for k in np.argsort(-above, kind="stable")]


def times_above(
    heights: np.ndarray, first_above: Callable[[np.ndarray], bool | None]
) -> np.ndarray | None:
    """Per curve (a row of ``heights``), how many others it stands above, each pair judged
    by ``first_above`` on the first's heights less the second's (y down): True, False, or
    None when the pair tells no order, and then None for all."""
    above = np.zeros(len(heights), dtype=int)
    for a in range(len(heights)):
        for b in range(a + 1, len(heights)):
            verdict = first_above(heights[a] - heights[b])
            if verdict is None:
                return None
            above[a if verdict else b] += 1
    return above


def heights_across(
    curves: list[np.ndarray], start: float, end: float, checks: int
) -> np.ndarray | None:
    """Each curve's height (a row per curve) at ``checks`` columns spread from ``start`` to
    ``end`` (fractions) of the x span all curves share; None when they share none. Where
    curves stand against each other is only told where every one of them is drawn."""
    lo = max(float(c[:, 0].min()) for c in curves)
    hi = min(float(c[:, 0].max()) for c in curves)
    if hi <= lo:
        return None
    xs = lo + np.linspace(start, end, checks) * (hi - lo)
    return np.array([np.interp(xs, c[:, 0], c[:, 1]) for c in curves])
