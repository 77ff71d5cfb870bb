"""Suppressing text inside the plot: condition labels, legends, notes.

The text's size is read off the tick labels outside the frame: datasheets print labels
inside the plot in the same font, so a glyph inside is at most a little taller than a digit
outside, whatever the image's resolution. A character is a small connected component whose
ink is long for its size: its pixel count is well over what one stroke along its
bounding-box diagonal would hold ("o", "e", "V" are loops and corners), or whose pixels
spread in two directions. A dash or a dot of a curve is a single stroke and is kept. Strokes
that are characters too ("1", "l", "-", "=") are taken with the words they stand in: small
components beside a character, on its text line, go with it. A character stands on a level
text line beside another one, on which one character at least is nearly as tall as a digit;
the letter-like blobs where dashes of curves running close together touch climb or fall
along the curves instead, or, along flat curves, are no taller than the bundle.
"""

from __future__ import annotations

import numpy as np
from scipy import ndimage

# A character's ink is at least this many strokes along its bounding-box diagonal.
_MIN_STROKES = 1.7
# Without tick labels to measure, characters are no taller than this fraction of the plot
# height (and no more than 60 px).
_MAX_TEXT_FRACTION = 0.07
_MAX_TEXT_PX = 60
# A glyph inside the plot is at most this many tick-label digit heights tall (descenders,
# subscripts and anti-aliased fringes included).
_GLYPH_OVER_DIGIT = 1.8
# A letter's pixels spread across its main direction by at least this fraction of its size.
_MIN_SPREAD = 0.15
# Small components this many character heights beside a glyph belong to its text line.
_NEIGHBOUR_REACH = 1.3
# Characters on one text line overlap vertically by this fraction of the taller one ...
_LEVEL_OVERLAP = 0.6
# ... and stand within this many character heights of each other (past a subscript).
_LINE_REACH = 4.0
# Glyph-like blobs beside each other (within _LINE_REACH heights, overlapping vertically)
# form a chain; one of at least this many blobs ...
_MIN_CHAIN = 3
# ... whose tops and bottoms both climb at this slope at least, by more than a blob's height
# over its length, runs along curves: a text line is level.
_MIN_CLIMB_SLOPE = 0.1
# A text line holds a character at least this many digit heights tall (a capital, a digit,
# a letter with an ascender); the blobs where dashes of flat curves running close together
# touch are no taller than the bundle.
_MIN_TALLEST_OVER_DIGIT = 0.6
# Ink darker than this outside the frame is tick-label text.
_LABEL_INK = 0.35


def text_height_px(ink: np.ndarray, plot_area: list[float]) -> float | None:
    """Median height of the glyphs left of and below the frame (tick labels, axis titles).

    None when there are too few to measure (a cropped plot).
    """
    height, width = ink.shape
    x0, y0, x1, y1 = (round(v) for v in plot_area)
    margin = 3
    regions = (
        ink[max(0, y0) : min(height, y1 + 1), : max(0, x0 - margin)],
        ink[min(height, y1 + margin) :, max(0, x0) : min(width, x1 + 1)],
    )
    heights: list[int] = []
    for region in regions:
        if region.size == 0:
            continue
        labels, _ = ndimage.label(region > _LABEL_INK)
        for box in ndimage.find_objects(labels):
            box_h = box[0].stop - box[0].start
            box_w = box[1].stop - box[1].start
            # Tick marks cut off at the frame are flat; a glyph is taller than 3 px.
            if box_h >= 4 and box_w >= 2 and box_h <= 0.15 * height:
                heights.append(box_h)
    return float(np.median(heights)) if len(heights) >= 3 else None


def remove_text(
    ink: np.ndarray,
    threshold: float | np.ndarray,
    line_width_px: float,
    text_px: float | None = None,
) -> np.ndarray:
    """A copy of ``ink`` with text-like components erased.

    ``text_px`` is the height of a tick-label digit (:func:`text_height_px`), when known.
    """
    height, _ = ink.shape
    mask = ink > threshold
    # Anti-aliased glyphs fall apart at a curve threshold; join their strokes first.
    labels, count = ndimage.label(ndimage.binary_dilation(mask, np.ones((2, 2), bool)))
    if count == 0:
        return ink
    labels = np.where(mask, labels, 0)
    # A label the mask emptied has no box: an empty one keeps the indices aligned.
    boxes = [box or (slice(0, 0), slice(0, 0)) for box in ndimage.find_objects(labels)]
    sizes = np.bincount(labels.ravel(), minlength=count + 1)[1:]
    max_text = (
        max(8.0, _GLYPH_OVER_DIGIT * text_px)
        if text_px is not None
        else min(_MAX_TEXT_PX, max(8.0, _MAX_TEXT_FRACTION * height))
    )
    box_h = np.array([b[0].stop - b[0].start for b in boxes], dtype=np.float64)
    box_w = np.array([b[1].stop - b[1].start for b in boxes], dtype=np.float64)
    small = (box_h > 0) & (box_h <= max_text) & (box_w <= 2 * max_text)
    strokes = sizes / (np.hypot(box_h, box_w) * max(line_width_px, 1.0) + 1e-9)
    glyph = small & (strokes >= _MIN_STROKES) & (box_h >= 4)
    # Letters drawn thinner than thick curves hold few strokes' worth of ink, but they spread
    # in two directions, where a dash of a curve is one straight stroke.
    spread = _minor_spread(labels, count)
    glyph |= (
        small
        & (box_h >= 4)
        & (spread >= max(1.0, 0.5 * line_width_px + 0.5))
        & (spread >= _MIN_SPREAD * np.maximum(box_h, box_w))
    )
    glyph &= ~_climbing_chains(boxes, glyph)
    tall = box_h >= (_MIN_TALLEST_OVER_DIGIT * text_px if text_px is not None else 0.0)
    glyph &= _on_text_lines(boxes, small, glyph, tall)
    glyph |= _neighbours_on_text_lines(boxes, small, glyph)
    erase = np.concatenate(([False], glyph))[labels]
    cleaned = ink.copy()
    cleaned[erase] = 0.0
    return cleaned


def _minor_spread(labels: np.ndarray, count: int) -> np.ndarray:
    """Per component, the standard deviation (px) of its pixels across their main direction."""
    rows, cols = np.nonzero(labels)
    index = labels[rows, cols]
    n = np.maximum(np.bincount(index, minlength=count + 1)[1:], 1)

    def mean(values: np.ndarray) -> np.ndarray:
        return np.bincount(index, weights=values, minlength=count + 1)[1:] / n

    my, mx = mean(rows.astype(np.float64)), mean(cols.astype(np.float64))
    vyy = mean(rows.astype(np.float64) ** 2) - my**2
    vxx = mean(cols.astype(np.float64) ** 2) - mx**2
    vxy = mean(rows.astype(np.float64) * cols) - mx * my
    minor = (vxx + vyy) / 2 - np.sqrt(((vxx - vyy) / 2) ** 2 + vxy**2)
    return np.sqrt(np.maximum(minor, 0.0))


def _climbing_chains(boxes: list[tuple[slice, slice]], glyph: np.ndarray) -> np.ndarray:
    """Glyphs in chains that climb: the blobs where dashes of curves running close together
    touch, along a gently sloping bundle.

    Neighbouring blobs there overlap vertically as much as the characters of a text line,
    but the chain as a whole rises with the curves, while the characters of a line stand on
    one level baseline, or hang from one level top line, whatever their heights.
    """
    climbing = np.zeros_like(glyph)
    index = np.flatnonzero(glyph)
    if index.size < _MIN_CHAIN:
        return climbing
    top = np.array([boxes[i][0].start for i in index], dtype=np.float64)
    bottom = np.array([boxes[i][0].stop for i in index], dtype=np.float64)
    left = np.array([boxes[i][1].start for i in index], dtype=np.float64)
    right = np.array([boxes[i][1].stop for i in index], dtype=np.float64)
    chain = np.arange(index.size)
    for k in range(index.size):
        reach = _LINE_REACH * (bottom[k] - top[k])
        overlap = np.minimum(bottom, bottom[k]) - np.maximum(top, top[k])
        beside = (left <= right[k] + reach) & (right >= left[k] - reach) & (overlap > 0)
        # Merge every chain touching this blob into one (labels stay chain minima).
        merged = np.unique(chain[beside | (np.arange(index.size) == k)])
        chain[np.isin(chain, merged)] = merged[0]
    centre = (left + right) / 2.0
    for label in np.unique(chain):
        members = np.flatnonzero(chain == label)
        if members.size < _MIN_CHAIN:
            continue
        slope = min(
            abs(_robust_slope(centre[members], top[members])),
            abs(_robust_slope(centre[members], bottom[members])),
        )
        span = float(np.ptp(centre[members]))
        height = float(np.mean(bottom[members] - top[members]))
        if slope >= _MIN_CLIMB_SLOPE and slope * span > height:
            climbing[index[members]] = True
    return climbing


def _robust_slope(x: np.ndarray, y: np.ndarray) -> float:
    """Median slope over all pairs of points (Theil–Sen): the characters of a line that
    stand on its baseline outvote those that hang below it."""
    first, second = np.triu_indices(x.size, k=1)
    apart = x[second] != x[first]
    if not apart.any():
        return 0.0
    slopes = (y[second] - y[first])[apart] / (x[second] - x[first])[apart]
    return float(np.median(slopes))


def _on_text_lines(
    boxes: list[tuple[slice, slice]],
    small: np.ndarray,
    glyph: np.ndarray,
    tall: np.ndarray,
) -> np.ndarray:
    """Glyphs with another small component beside them on a level text line, of which one
    is ``tall``.

    Text runs horizontally: the characters of a label stand side by side at the same height.
    Where dashes of curves running close together touch, they make letter-like blobs too,
    but along the curves' slope, each one higher or lower than the last; or, along flat
    curves, all as low as the bundle.
    """
    found = np.zeros_like(glyph)
    index = np.flatnonzero(small)
    if index.size == 0:
        return found
    top = np.array([boxes[i][0].start for i in index], dtype=np.float64)
    bottom = np.array([boxes[i][0].stop for i in index], dtype=np.float64)
    left = np.array([boxes[i][1].start for i in index], dtype=np.float64)
    right = np.array([boxes[i][1].stop for i in index], dtype=np.float64)
    tall = tall[index]

    def overlap_and_beside(k: int | np.intp, reach_heights: float) -> tuple[np.ndarray, np.ndarray]:
        """Each component's vertical overlap with ``k``, and whether it stands beside ``k``
        within ``reach_heights`` of its height."""
        reach = reach_heights * (bottom[k] - top[k])
        overlap = np.minimum(bottom, bottom[k]) - np.maximum(top, top[k])
        return overlap, (left <= right[k] + reach) & (right >= left[k] - reach)

    for k in np.flatnonzero(glyph[index]):
        overlap, beside = overlap_and_beside(k, _LINE_REACH)
        level = overlap >= _LEVEL_OVERLAP * np.maximum(bottom - top, bottom[k] - top[k])
        level[k] = False
        line = level & beside
        found[index[k]] = bool(line.any() and (tall[k] or (line & tall).any()))
    # A capital beside its subscript: next to a glyph of a text line, at any overlap.
    lined = found[index]
    added = True
    while added:
        added = False
        for k in np.flatnonzero(glyph[index] & ~lined):
            overlap, beside = overlap_and_beside(k, _NEIGHBOUR_REACH)
            if np.any(lined & beside & (overlap > 0)):
                lined[k] = added = True
    found[index] = lined
    return found


def _neighbours_on_text_lines(
    boxes: list[tuple[slice, slice]], small: np.ndarray, glyph: np.ndarray
) -> np.ndarray:
    """Small components close beside a glyph, on the same text line."""
    found = np.zeros_like(glyph)
    seeds = [boxes[i] for i in np.flatnonzero(glyph)]
    if not seeds:
        return found
    seed_top = np.array([s[0].start for s in seeds])
    seed_bottom = np.array([s[0].stop for s in seeds])
    seed_left = np.array([s[1].start for s in seeds])
    seed_right = np.array([s[1].stop for s in seeds])
    seed_height = seed_bottom - seed_top
    for index in np.flatnonzero(small & ~glyph):
        box = boxes[index]
        centre_row = (box[0].start + box[0].stop) / 2.0
        same_line = (centre_row >= seed_top) & (centre_row <= seed_bottom)
        # A legend's line sample sits about a character left of its text; further out, a
        # dash of a dashed curve passing by is not text.
        reach = _NEIGHBOUR_REACH * seed_height
        near = (box[1].start <= seed_right + reach) & (box[1].stop >= seed_left - reach)
        found[index] = bool(np.any(same_line & near))
    return found
