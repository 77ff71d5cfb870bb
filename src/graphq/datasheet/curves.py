"""A vector panel's curves, taken from the PDF's own strokes.

A curve is a stroke inside the frame that is none of: a frame, grid or tick line (straight
and axis-aligned — those are rules), a box (closed), text drawn as paths (inside a word's
box), a dot, a leader line (one straight segment from a word) or a legend sample (a short
straight stroke beside a word). What is left is clipped to the frame and joined end to end,
across the pieces a PDF writer splits a path into, and across the dashes of a dashed curve
drawn one by one, as long as the joined path runs on smoothly: curves fanning out of one
point are never joined into a V.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
from scipy.spatial import cKDTree

from graphq.datasheet.arrows import Leader, find_marks, leaders_from
from graphq.datasheet.content import Strokes, clip_segments
from graphq.datasheet.rules import slanted_subpaths
from graphq.datasheet.words import Word

Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class CurveSettings:
    # Pieces whose ends lie this close join unconditionally when smooth (points): PDF
    # writers split long polylines with ends repeated to 0.01 pt.
    join_touch_pt: float = 0.6
    # Dashes of a curve drawn one by one are at most this far apart (points).
    join_dash_pt: float = 4.0
    # A join turns by at most this angle (degrees): curves are smooth where a dash gap or
    # a split falls, and curves fanning out of one point leave it in near-equal directions.
    max_join_turn_deg: float = 60.0
    # A curve is at least this fraction of the frame's diagonal long: shorter strokes are
    # arrowheads, marks and bits of symbols.
    min_length_fraction: float = 0.05
    # A straight stroke ending within this of a word (points) is a leader line.
    leader_reach_pt: float = 4.0
    # A straight stroke shorter than this fraction of the frame width beside a word is a
    # legend sample.
    max_sample_fraction: float = 0.2


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
    pieces = _pieces(strokes, box, marks.is_mark)
    word_boxes = np.array([(w.x0, w.top, w.x1, w.bottom) for w in words]).reshape(-1, 4)
    width = box[2] - box[0]
    kept: list[tuple[np.ndarray, int]] = []
    shafts = list(marks.shafts)
    samples: list[LegendSample] = []
    for points, path in pieces:
        extent = np.ptp(points, axis=0)
        if extent.max() < 1.5 or _inside_words(points, word_boxes, 1.0):
            continue
        straight = _straight(points)
        if straight:
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
    joined = _join(kept, strokes, chosen)
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
    return PanelStrokes(curves, leaders, samples)


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


def _pieces(strokes: Strokes, box: Box, is_mark: np.ndarray) -> list[tuple[np.ndarray, int]]:
    """Connected polylines of candidate curve strokes (no marks), clipped to the frame."""
    seg = strokes.segments
    if seg.size == 0:
        return []
    slanted_in = slanted_subpaths(strokes)
    visible = strokes.stroked[strokes.path] & ~np.all(strokes.color >= 240, axis=1)[strokes.path]
    candidate = visible & slanted_in[strokes.subpath] & ~is_mark[strokes.subpath]
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


def _direction(points: np.ndarray, at_end: bool) -> np.ndarray:
    """Unit direction leaving the piece at its end (or entering it at its start), over the
    last (first) ~2 points of length."""
    ordered = points if at_end else points[::-1]
    tail = ordered[-1]
    for k in range(len(ordered) - 2, -1, -1):
        step = tail - ordered[k]
        if np.hypot(*step) >= 2.0 or k == 0:
            norm = np.hypot(*step)
            return step / norm if norm > 0 else step
    return np.zeros(2)


def _join(
    pieces: list[tuple[np.ndarray, int]], strokes: Strokes, settings: CurveSettings
) -> list[tuple[np.ndarray, int, bool]]:
    """Pieces joined into curves: (points, path of the first piece, joined across gaps)."""
    if not pieces:
        return []
    ends = np.array([[p[0], p[-1]] for p, _ in pieces]).reshape(-1, 2)  # 2k: start, 2k+1: end
    style = np.array(
        [(*strokes.color[path], round(float(strokes.width[path]), 2)) for _, path in pieces]
    )
    tree = cKDTree(ends)
    pairs = tree.query_pairs(settings.join_dash_pt, output_type="ndarray")
    cos_limit = np.cos(np.radians(settings.max_join_turn_deg))
    candidates = []
    for a, b in pairs.tolist():
        pa, pb = a // 2, b // 2
        if pa == pb or not np.array_equal(style[pa], style[pb]):
            continue
        gap = float(np.hypot(*(ends[a] - ends[b])))
        # Leaving piece a at its endpoint a, entering piece b at endpoint b.
        out_dir = _direction(pieces[pa][0], at_end=a % 2 == 1)
        in_dir = -_direction(pieces[pb][0], at_end=b % 2 == 1)
        if float(out_dir @ in_dir) < cos_limit:
            continue
        if gap > settings.join_touch_pt:
            bridge = (ends[b] - ends[a]) / gap
            if float(out_dir @ bridge) < cos_limit:
                continue
        candidates.append((gap, a, b))
    candidates.sort()
    partner = np.full(len(ends), -1)
    root = list(range(len(pieces)))

    def find(k: int) -> int:
        while root[k] != k:
            root[k] = root[root[k]]
            k = root[k]
        return k

    gapped = np.zeros(len(ends), dtype=bool)
    for gap, a, b in candidates:
        if partner[a] >= 0 or partner[b] >= 0 or find(a // 2) == find(b // 2):
            continue
        partner[a], partner[b] = b, a
        gapped[a] = gapped[b] = gap > settings.join_touch_pt
        root[find(a // 2)] = find(b // 2)
    joined = []
    seen = np.zeros(len(pieces), dtype=bool)
    for start in range(len(pieces)):
        if seen[start] or (partner[2 * start] >= 0 and partner[2 * start + 1] >= 0):
            continue
        # Walk from a free end: enter the piece at its free end, leave at the other.
        free = 2 * start if partner[2 * start] < 0 else 2 * start + 1
        parts, any_gap, piece, entry = [], False, start, free
        while True:
            seen[piece] = True
            points = pieces[piece][0]
            parts.append(points if entry % 2 == 0 else points[::-1])
            exit_end = entry ^ 1
            nxt = partner[exit_end]
            if nxt < 0 or seen[nxt // 2]:
                break
            any_gap |= bool(gapped[exit_end])
            piece, entry = nxt // 2, nxt
        joined.append((np.vstack(parts), pieces[start][1], any_gap))
    return joined
