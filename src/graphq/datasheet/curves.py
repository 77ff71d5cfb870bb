"""A vector panel's curves, taken from the PDF's own strokes.

A curve is a stroke inside the frame that is none of: a frame, grid or tick line (straight
and axis-aligned — those are rules), a box (closed), text drawn as paths (inside a word's
box), a dot, a leader line (one straight segment from a word) or a legend sample (a short
straight stroke beside a word). What is left is clipped to the frame and joined end to end,
across the pieces a PDF writer splits a path into, and across the dashes of a dashed curve
drawn one by one, as long as the joined path runs on smoothly: curves fanning out of one
point are never joined into a V. A dash pattern that runs on past a word on both sides is a
curve passing its label, never text or a leader, however close the word's box comes.

A curve drawn perfectly level or plumb (a depletion FET's flat output curves, a limit held
constant) is taken too when it is drawn in the style of the panel's slanted curves, and no
grid line or frame edge of the panel is drawn in that style: then it cannot be a rule.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import numpy as np
from scipy.spatial import cKDTree

from graphq.datasheet.arrows import Leader, find_marks, leaders_from
from graphq.datasheet.content import Strokes, clip_segments
from graphq.datasheet.joins import JoinSettings, chain_pieces, join_pieces
from graphq.datasheet.rules import slanted_subpaths, subpath_boxes
from graphq.datasheet.words import Word
from graphq.digitizer.tracking.resample import resample_path

Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class CurveSettings:
    # How pieces of one curve are joined across splits and dash gaps.
    join: JoinSettings = field(default_factory=JoinSettings)
    # A curve is at least this fraction of the frame's diagonal long: shorter strokes are
    # arrowheads, marks and bits of symbols.
    min_length_fraction: float = 0.05
    # A straight stroke ending within this of a word (points) is a leader line.
    leader_reach_pt: float = 4.0
    # A straight stroke shorter than this fraction of the frame width beside a word is a
    # legend sample.
    max_sample_fraction: float = 0.2
    # A curve every point of which lies this close to another curve (points) is that curve
    # drawn again (writers overlay a curve in another colour, or repeat a path).
    retraced_pt: float = 0.8
    # A style is a rule's when its level-or-plumb strokes run down this fraction of the
    # frame's height in all (frame edges, vertical grid lines); curves never do.
    grid_style_fraction: float = 0.5


@dataclass(frozen=True)
class VectorCurve:
    """One curve as drawn: a polyline in page points, and its stroke style."""

    points: np.ndarray  # (N, 2) x, y in points, in drawing order
    color: tuple[int, int, int]
    width: float
    dashed: bool
    # Joined across gaps between pieces (a dashed curve, a path split by its writer).
    joined: bool = False


@dataclass(frozen=True)
class LegendSample:
    """A short stroke beside a legend text; its style names the curve drawn the same way."""

    centre: tuple[float, float]
    color: tuple[int, int, int]
    width: float
    dashed: bool


@dataclass(frozen=True)
class PanelStrokes:
    curves: list[VectorCurve]
    leaders: list[Leader]
    samples: list[LegendSample]


def extract_curves(
    strokes: Strokes, box: Box, words: list[Word], settings: CurveSettings | None = None
) -> PanelStrokes:
    chosen = settings or CurveSettings()
    marks = find_marks(strokes, box)
    slanted = slanted_subpaths(strokes)
    pieces = _pieces(strokes, box, slanted & ~marks.is_mark)
    pieces += _level_pieces(strokes, box, pieces, ~slanted & ~marks.is_mark, chosen)
    word_boxes = np.array([(w.x0, w.top, w.x1, w.bottom) for w in words]).reshape(-1, 4)
    width = box[2] - box[0]
    kept: list[tuple[np.ndarray, int]] = []
    shafts = list(marks.shafts)
    samples: list[LegendSample] = []
    worded = [_inside_words(points, word_boxes, 1.0) for points, _ in pieces]
    continued = _continued_past_words(pieces, worded, strokes, chosen.join)
    for k, (points, path) in enumerate(pieces):
        extent = np.ptp(points, axis=0)
        if extent.max() < 1.5 or (worded[k] and k not in continued):
            continue
        if k not in continued and _straight(points):
            near = _word_distance(points[[0, -1]], word_boxes)
            length = float(np.hypot(*(points[-1] - points[0])))
            if near.min() <= chosen.leader_reach_pt and length >= 6.0:
                flat = abs(points[-1, 1] - points[0, 1]) < 0.5
                if flat and length <= chosen.max_sample_fraction * width:
                    samples.append(_sample(points, path, strokes))
                    continue
                if not flat:
                    shafts.append(points[[0, -1]])
                    continue
        kept.append((points, path))
    leaders = leaders_from(
        shafts, marks.heads, lambda ends: _word_distance(ends, word_boxes), chosen.leader_reach_pt
    )
    samples += _level_samples(strokes, box, words, chosen)
    joined = join_pieces(kept, strokes, chosen.join)
    diagonal = float(np.hypot(box[2] - box[0], box[3] - box[1]))
    curves = [
        VectorCurve(
            points=points,
            color=tuple(int(c) for c in strokes.color[path]),  # type: ignore[arg-type]
            width=float(strokes.width[path]),
            dashed=bool(strokes.dashed[path]) or dashed_join,
            joined=dashed_join,
        )
        for points, path, dashed_join in joined
        if _length(points) >= chosen.min_length_fraction * diagonal
    ]
    return PanelStrokes(_without_retraced(curves, chosen.retraced_pt), leaders, samples)


def _continued_past_words(
    pieces: list[tuple[np.ndarray, int]],
    worded: list[bool],
    strokes: Strokes,
    settings: JoinSettings,
) -> set[int]:
    """Pieces a joined curve runs on from at both ends to pieces clear of any word: the
    dashes of a dashed curve passing through or beside its label. A word's box may cover a
    dash (text drawn as paths is dropped by its box) and a dash ending at a word looks like a
    leader, but a dash pattern continuing past the label on both sides is a curve."""
    continued: set[int] = set()
    for chain in chain_pieces(pieces, strokes, settings):
        clear = [at for at, k in enumerate(chain) if not worded[k]]
        if len(clear) >= 2:
            continued.update(chain[clear[0] + 1 : clear[-1]])
    return continued


def _without_retraced(curves: list[VectorCurve], tolerance: float) -> list[VectorCurve]:
    """The curves less those drawn again over one kept before them."""
    kept: list[tuple[VectorCurve, cKDTree]] = []
    for curve in curves:
        dense = resample_path(curve.points, tolerance / 2)
        if any(np.all(tree.query(dense)[0] <= tolerance) for _, tree in kept):
            continue
        kept.append((curve, cKDTree(dense)))
    return [curve for curve, _ in kept]


def _level_samples(
    strokes: Strokes, box: Box, words: list[Word], settings: CurveSettings
) -> list[LegendSample]:
    """Legend samples drawn level: a short one-segment stroke with a word starting just
    right of it, on its height."""
    seg = strokes.segments
    if seg.size == 0 or not words:
        return []
    x0, y0, x1, y1 = box
    length = np.abs(seg[:, 2] - seg[:, 0])
    level = (
        (np.abs(seg[:, 3] - seg[:, 1]) < 0.05)
        & (length >= 6.0)
        & (length <= settings.max_sample_fraction * (x1 - x0))
        & (np.minimum(seg[:, 0], seg[:, 2]) > x0 + 1)
        & (np.maximum(seg[:, 0], seg[:, 2]) < x1 - 1)
        & (seg[:, 1] > y0 + 1)
        & (seg[:, 1] < y1 - 1)
        & strokes.stroked[strokes.path]
    )
    samples = []
    for k in np.flatnonzero(level):
        right, y = max(seg[k, 0], seg[k, 2]), seg[k, 1]
        if any(
            0 <= w.x0 - right <= 2 * w.size and w.top <= y <= w.bottom and w.upright for w in words
        ):
            samples.append(_sample(seg[k].reshape(2, 2), int(strokes.path[k]), strokes))
    return samples


def _style(strokes: Strokes, path: int) -> tuple[int, int, int, float, bool]:
    color = strokes.color[path]
    return (int(color[0]), int(color[1]), int(color[2]), round(float(strokes.width[path]), 2),
            bool(strokes.dashed[path]))  # fmt: skip


def _level_pieces(
    strokes: Strokes,
    box: Box,
    slanted: list[tuple[np.ndarray, int]],
    level: np.ndarray,
    settings: CurveSettings,
) -> list[tuple[np.ndarray, int]]:
    """Level and plumb strokes drawn in a slanted curve's style that no rule of the panel
    shares, open (a box's edges are closed), off the frame's edges and longer than a legend
    sample."""
    diagonal = float(np.hypot(box[2] - box[0], box[3] - box[1]))
    long_enough = settings.min_length_fraction * diagonal
    styles = {_style(strokes, path) for points, path in slanted if _length(points) >= long_enough}
    if not styles or strokes.segments.size == 0:
        return []
    styles -= _rule_styles(strokes, box, level, settings)
    ids, first, _ = subpath_boxes(strokes)
    seg = strokes.segments
    ends = np.append(first[1:], len(seg))
    closed = np.zeros_like(level)
    closed[ids] = np.hypot(*(seg[ends - 1, 2:] - seg[first, :2]).T) < 0.1
    x0, y0, x1, y1 = box
    found = []
    longer_than_sample = max(long_enough, settings.max_sample_fraction * (box[2] - box[0]))
    for points, path in _pieces(strokes, box, level & ~closed):
        if _style(strokes, path) not in styles or _length(points) <= longer_than_sample:
            continue
        xs, ys = points[:, 0], points[:, 1]
        on_edge = (np.ptp(ys) < 0.5 and min(abs(ys[0] - y0), abs(ys[0] - y1)) < 1.0) or (
            np.ptp(xs) < 0.5 and min(abs(xs[0] - x0), abs(xs[0] - x1)) < 1.0
        )
        if not on_edge:
            found.append((points, path))
    return found


def _rule_styles(
    strokes: Strokes, box: Box, level: np.ndarray, settings: CurveSettings
) -> set[tuple[int, int, int, float, bool]]:
    """Styles in which plumb rules (frame edges, vertical grid lines) cross the frame."""
    seg = strokes.segments
    x0, y0, x1, y1 = box
    plumb = (
        level[strokes.subpath]
        & (np.abs(seg[:, 2] - seg[:, 0]) < 0.3)
        & (seg[:, 0] > x0 - 1)
        & (seg[:, 0] < x1 + 1)
    )
    tops = np.clip(np.minimum(seg[:, 1], seg[:, 3]), y0, y1)
    bottoms = np.clip(np.maximum(seg[:, 1], seg[:, 3]), y0, y1)
    run: dict[tuple[int, int, int, float, bool], float] = {}
    for k in np.flatnonzero(plumb):
        style = _style(strokes, int(strokes.path[k]))
        run[style] = run.get(style, 0.0) + float(bottoms[k] - tops[k])
    return {
        style for style, total in run.items() if total >= settings.grid_style_fraction * (y1 - y0)
    }


def _pieces(strokes: Strokes, box: Box, wanted: np.ndarray) -> list[tuple[np.ndarray, int]]:
    """Connected polylines of the wanted subpaths' visible strokes, clipped to the frame."""
    seg = strokes.segments
    if seg.size == 0:
        return []
    visible = strokes.stroked[strokes.path] & ~np.all(strokes.color >= 240, axis=1)[strokes.path]
    candidate = visible & wanted[strokes.subpath]
    # Near the frame only: everything else on the page is another panel's business.
    x0, y0, x1, y1 = box
    near = (
        (np.maximum(seg[:, 0], seg[:, 2]) >= x0)
        & (np.minimum(seg[:, 0], seg[:, 2]) <= x1)
        & (np.maximum(seg[:, 1], seg[:, 3]) >= y0)
        & (np.minimum(seg[:, 1], seg[:, 3]) <= y1)
    )
    index = np.flatnonzero(candidate & near)
    if index.size == 0:
        return []
    clipped, keep = clip_segments(seg[index], box)
    index, clipped = index[keep], clipped[keep]
    # A new piece starts at a new subpath or wherever a segment does not start at the last
    # one's end (clipping cut the stroke at the frame).
    starts = np.ones(len(index), dtype=bool)
    if len(index) > 1:
        same = strokes.subpath[index[1:]] == strokes.subpath[index[:-1]]
        touching = np.hypot(*(clipped[1:, :2] - clipped[:-1, 2:]).T) < 0.05
        starts[1:] = ~(same & touching)
    bounds = np.append(np.flatnonzero(starts), len(index))
    pieces = []
    for a, b in itertools.pairwise(bounds):
        points = np.vstack((clipped[a:b, :2], clipped[b - 1 : b, 2:]))
        pieces.append((points, int(strokes.path[index[a]])))
    return pieces


def _straight(points: np.ndarray) -> bool:
    if len(points) == 2:
        return True
    direction = points[-1] - points[0]
    length = float(np.hypot(*direction))
    if length == 0:
        return False
    normal = np.array([-direction[1], direction[0]]) / length
    return float(np.abs((points - points[0]) @ normal).max()) < 0.3


def _word_distance(points: np.ndarray, boxes: np.ndarray) -> np.ndarray:
    if boxes.size == 0:
        return np.full(len(points), np.inf)
    dx = np.maximum(
        np.maximum(boxes[None, :, 0] - points[:, None, 0], 0),
        points[:, None, 0] - boxes[None, :, 2],
    )
    dy = np.maximum(
        np.maximum(boxes[None, :, 1] - points[:, None, 1], 0),
        points[:, None, 1] - boxes[None, :, 3],
    )
    return np.hypot(dx, dy).min(axis=1)


def _inside_words(points: np.ndarray, boxes: np.ndarray, margin: float) -> bool:
    if boxes.size == 0:
        return False
    lo, hi = points.min(axis=0), points.max(axis=0)
    return bool(
        np.any(
            (boxes[:, 0] - margin <= lo[0])
            & (boxes[:, 1] - margin <= lo[1])
            & (boxes[:, 2] + margin >= hi[0])
            & (boxes[:, 3] + margin >= hi[1])
        )
    )


def _sample(points: np.ndarray, path: int, strokes: Strokes) -> LegendSample:
    centre = points.mean(axis=0)
    return LegendSample(
        centre=(float(centre[0]), float(centre[1])),
        color=tuple(int(c) for c in strokes.color[path]),  # type: ignore[arg-type]
        width=float(strokes.width[path]),
        dashed=bool(strokes.dashed[path]),
    )


def _length(points: np.ndarray) -> float:
    return float(np.hypot(*np.diff(points, axis=0).T).sum())
