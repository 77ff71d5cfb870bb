"""Pieces of strokes joined into curves.

A PDF writer splits a long polyline into pieces whose ends repeat to 0.01 pt, and a dashed
curve is often drawn dash by dash. Some writers start the next piece a little before the last
one ended, so the two overlap, each end lying on the other piece. Pieces of one style join
end to end when the joined path runs on smoothly across the join: curves fanning out of one
point leave it in near-equal directions, but never turn sharply, so they are never joined
into a V; curves crossing or running side by side have ends off the other's stroke, so they
are never taken for an overlap. Each end joins at most once, nearest first.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.spatial import cKDTree

from graphq.datasheet.content import Strokes


@dataclass(frozen=True)
class JoinSettings:
    # Pieces whose ends lie this close join unconditionally when smooth (points): PDF
    # writers split long polylines with ends repeated to 0.01 pt.
    join_touch_pt: float = 0.6
    # Dashes of a curve drawn one by one are at most this far apart (points).
    join_dash_pt: float = 4.0
    # A join turns by at most this angle (degrees): curves are smooth where a dash gap or
    # a split falls, and curves fanning out of one point leave it in near-equal directions.
    max_join_turn_deg: float = 60.0
    # Pieces overlapping where they meet have each end this close to the other piece
    # (points): about half a curve's stroke width, so the two strokes are drawn one over the
    # other, where curves that merely run near each other lie a stroke width or more apart.
    overlap_off_pt: float = 0.6


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


def join_pieces(
    pieces: list[tuple[np.ndarray, int]], strokes: Strokes, settings: JoinSettings | None = None
) -> list[tuple[np.ndarray, int, bool]]:
    """Pieces joined into curves: (points, path of the first piece, joined across gaps)."""
    joined = []
    for walk, gapped in _walks(pieces, strokes, settings or JoinSettings()):
        runs: list[np.ndarray] = []
        for k, backwards, overlapped in walk:
            points = pieces[k][0][::-1] if backwards else pieces[k][0]
            if overlapped:
                points = _past(points, np.vstack(runs))
            runs.append(points)
        joined.append((np.vstack(runs), pieces[walk[0][0]][1], gapped))
    return joined


def _past(points: np.ndarray, before: np.ndarray) -> np.ndarray:
    """``points`` less its start that overlaps the end of ``before``: from the first point
    ahead of that end, in the direction ``before`` leaves it, on."""
    ahead = (points - before[-1]) @ _direction(before, at_end=True) > 0
    return points[int(np.argmax(ahead)) :] if ahead.any() else points[:0]


def _off(point: np.ndarray, points: np.ndarray) -> float:
    """Distance from ``point`` to the polyline ``points``."""
    start, step = points[:-1], np.diff(points, axis=0)
    lengths = np.maximum((step**2).sum(axis=1), 1e-12)
    along = np.clip(((point - start) * step).sum(axis=1) / lengths, 0.0, 1.0)
    return float(np.hypot(*(start + along[:, None] * step - point).T).min())


def chain_pieces(
    pieces: list[tuple[np.ndarray, int]], strokes: Strokes, settings: JoinSettings | None = None
) -> list[list[int]]:
    """The pieces each joined curve is made of, by index, in the order the curve runs."""
    return [
        [k for k, _, _ in walk] for walk, _ in _walks(pieces, strokes, settings or JoinSettings())
    ]


def _walks(
    pieces: list[tuple[np.ndarray, int]], strokes: Strokes, settings: JoinSettings
) -> list[tuple[list[tuple[int, bool, bool]], bool]]:
    """Per joined curve its pieces in running order (index, drawn backwards, overlapping the
    piece before) and whether it was joined across a gap."""
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
        overlap = False
        if gap > settings.join_touch_pt:
            bridge = (ends[b] - ends[a]) / gap
            if float(out_dir @ bridge) < cos_limit:
                overlap = _overlapping(pieces[pa][0], ends[a], pieces[pb][0], ends[b], settings)
                if not overlap:
                    continue
        candidates.append((gap, a, b, overlap))
    candidates.sort()
    partner = np.full(len(ends), -1)
    root = list(range(len(pieces)))

    def find(k: int) -> int:
        while root[k] != k:
            root[k] = root[root[k]]
            k = root[k]
        return k

    gapped = np.zeros(len(ends), dtype=bool)
    overlapped = np.zeros(len(ends), dtype=bool)
    for gap, a, b, overlap in candidates:
        if partner[a] >= 0 or partner[b] >= 0 or find(a // 2) == find(b // 2):
            continue
        partner[a], partner[b] = b, a
        gapped[a] = gapped[b] = gap > settings.join_touch_pt and not overlap
        overlapped[a] = overlapped[b] = overlap
        root[find(a // 2)] = find(b // 2)
    joined: list[tuple[list[tuple[int, bool, bool]], bool]] = []
    seen = np.zeros(len(pieces), dtype=bool)
    for start in range(len(pieces)):
        if seen[start] or (partner[2 * start] >= 0 and partner[2 * start + 1] >= 0):
            continue
        # Walk from a free end: enter the piece at its free end, leave at the other.
        free = 2 * start if partner[2 * start] < 0 else 2 * start + 1
        walk: list[tuple[int, bool, bool]] = []
        any_gap, piece, entry = False, start, free
        while True:
            seen[piece] = True
            walk.append((piece, entry % 2 == 1, bool(overlapped[entry])))
            exit_end = entry ^ 1
            nxt = partner[exit_end]
            if nxt < 0 or seen[nxt // 2]:
                break
            any_gap |= bool(gapped[exit_end])
            piece, entry = nxt // 2, nxt
        joined.append((walk, any_gap))
    return joined


def _overlapping(
    a: np.ndarray, end_a: np.ndarray, b: np.ndarray, end_b: np.ndarray, settings: JoinSettings
) -> bool:
    """Whether the pieces overlap where they meet: each end lies on the other piece's stroke."""
    return _off(end_a, b) <= settings.overlap_off_pt and _off(end_b, a) <= settings.overlap_off_pt
