"""What a PDF page holds: its words, its drawn strokes and where its images lie.

Read with pdfium (pypdfium2): it walks a page's objects in C, so a page that draws its dotted
grids as tens of thousands of tiny lines is read in a fraction of a second, where a pure-Python
content parser takes seconds. Every stroke is flattened into straight segments (Béziers into a
few chords each), kept in numpy arrays with the style of the path they came from, so later
stages group them by orientation and position without pairwise loops.

Coordinates are PDF points from the page's (crop box's) top-left corner, y growing downwards,
as :class:`graphq.datasheet.words.Word` has them.
"""

from __future__ import annotations

import ctypes
import math
from dataclasses import dataclass, field

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from graphq.datasheet.probe import open_pdf
from graphq.datasheet.textlayer import TextLayerSettings, read_words
from graphq.datasheet.words import Word


@dataclass(frozen=True)
class ContentSettings:
    # Chords per cubic Bézier: a quarter circle drawn as one Bézier deviates < 0.05 % of its
    # radius from 8 chords, far below a curve's stroke width.
    bezier_chords: int = 8
    # How characters of the text layer are grouped into words.
    text: TextLayerSettings = field(default_factory=TextLayerSettings)


@dataclass(frozen=True)
class Strokes:
    """Straight segments of the page's paths, one row each, with their path's style.

    ``subpath`` numbers the pieces drawn with one pen-down (consecutive rows of a subpath
    join end to end); ``path`` numbers the PDF path objects (one style each).
    """

    segments: np.ndarray  # (N, 4) x0, y0, x1, y1
    subpath: np.ndarray  # (N,) int
    path: np.ndarray  # (N,) int
    width: np.ndarray  # (P,) stroke width in points, per path
    color: np.ndarray  # (P, 3) stroke colour 0..255, per path
    dashed: np.ndarray  # (P,) bool
    stroked: np.ndarray  # (P,) bool
    filled: np.ndarray  # (P,) bool
    fill_color: np.ndarray  # (P, 3)


@dataclass(frozen=True)
class PageContent:
    number: int  # 1-based
    width: float
    height: float
    words: list[Word]
    strokes: Strokes
    images: list[tuple[float, float, float, float]]
    # False when the text layer cannot be read (CID fonts without a Unicode map, or none).
    text_usable: bool


def read_pages(
    pdf: bytes, settings: ContentSettings | None = None
) -> tuple[int, list[PageContent]]:
    """Every page's content; (page count, pages)."""
    chosen = settings or ContentSettings()
    with open_pdf(pdf) as document:
        return len(document), [read_page(document, index, chosen) for index in range(len(document))]


def read_page(
    document: pdfium.PdfDocument, index: int, settings: ContentSettings | None = None
) -> PageContent:
    chosen = settings or ContentSettings()
    page = document[index]
    try:
        # The box PDFium shows (the crop box, inherited from the page tree where the page
        # sets none): the page as rendered, whatever its own dictionary says.
        left, bottom, right, top = page.get_bbox()
        frame = _PageFrame(left, top)
        words, unmapped = read_words(page, frame.point, chosen.text)
        builder = _StrokeBuilder(frame, chosen.bezier_chords)
        images: list[tuple[float, float, float, float]] = []
        for obj in _page_objects(page):
            builder.visit(obj, _IDENTITY, images)
        return PageContent(
            number=index + 1,
            width=right - left,
            height=top - bottom,
            words=words,
            strokes=builder.build(),
            images=images,
            text_usable=bool(words) and unmapped <= chosen.text.max_unmapped_fraction,
        )
    finally:
        page.close()


@dataclass(frozen=True)
class _PageFrame:
    """PDF user space (origin bottom-left) → top-left page points."""

    left: float
    top: float

    def point(self, x: float, y: float) -> tuple[float, float]:
        return x - self.left, self.top - y


_IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
Matrix = tuple[float, float, float, float, float, float]


def _compose(inner: Matrix, outer: Matrix) -> Matrix:
    """The matrix applying ``inner`` first, then ``outer`` (PDF row-vector convention)."""
    a, b, c, d, e, f = inner
    oa, ob, oc, od, oe, of = outer
    return (
        a * oa + b * oc,
        a * ob + b * od,
        c * oa + d * oc,
        c * ob + d * od,
        e * oa + f * oc + oe,
        e * ob + f * od + of,
    )


def _page_objects(page: pdfium.PdfPage) -> list[ctypes.c_void_p]:
    count = pdfium_c.FPDFPage_CountObjects(page.raw)
    return [pdfium_c.FPDFPage_GetObject(page.raw, i) for i in range(count)]


class _StrokeBuilder:
    """Collects segments from path objects, descending into form XObjects."""

    def __init__(self, frame: _PageFrame, bezier_chords: int) -> None:
        self._frame = frame
        self._t = np.linspace(0.0, 1.0, bezier_chords + 1)[1:]
        self._points: list[tuple[float, float, float, float]] = []
        self._subpath: list[int] = []
        self._path: list[int] = []
        self._styles: list[tuple[float, tuple[int, int, int], bool, bool, bool, tuple]] = []
        self._subpaths = 0
        self._clips: list[tuple[float, float, float, float] | None] = []

    def visit(
        self, obj: ctypes.c_void_p, outer: Matrix, images: list[tuple[float, float, float, float]]
    ) -> None:
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        matrix = _compose(_matrix(obj), outer)
        if kind == pdfium_c.FPDF_PAGEOBJ_FORM:
            for i in range(pdfium_c.FPDFFormObj_CountObjects(obj)):
                self.visit(pdfium_c.FPDFFormObj_GetObject(obj, i), matrix, images)
        elif kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            corners = [_apply(matrix, x, y) for x, y in ((0, 0), (1, 0), (0, 1), (1, 1))]
            points = [self._frame.point(x, y) for x, y in corners]
            xs, ys = [p[0] for p in points], [p[1] for p in points]
            images.append((min(xs), min(ys), max(xs), max(ys)))
        elif kind == pdfium_c.FPDF_PAGEOBJ_PATH:
            self._add_path(obj, matrix, outer)

    def _clip_box(
        self, obj: ctypes.c_void_p, outer: Matrix
    ) -> tuple[float, float, float, float] | None:
        """The box of the object's clip path (the intersection of its paths' boxes), in page
        points; None when it has none. Spreadsheet exports draw hidden series and the parts
        of curves beyond the axis range in full and clip them away."""
        clip = pdfium_c.FPDFPageObj_GetClipPath(obj)
        if not clip:
            return None
        box: list[float] | None = None
        x, y = ctypes.c_float(), ctypes.c_float()
        for k in range(pdfium_c.FPDFClipPath_CountPaths(clip)):
            points = []
            for i in range(pdfium_c.FPDFClipPath_CountPathSegments(clip, k)):
                segment = pdfium_c.FPDFClipPath_GetPathSegment(clip, k, i)
                pdfium_c.FPDFPathSegment_GetPoint(segment, ctypes.byref(x), ctypes.byref(y))
                points.append(self._frame.point(*_apply(outer, x.value, y.value)))
            if not points:
                continue
            xs, ys = [p[0] for p in points], [p[1] for p in points]
            own = [min(xs), min(ys), max(xs), max(ys)]
            box = own if box is None else [
                max(box[0], own[0]), max(box[1], own[1]), min(box[2], own[2]), min(box[3], own[3])
            ]  # fmt: skip
        return None if box is None else (box[0], box[1], box[2], box[3])

    def _add_path(self, obj: ctypes.c_void_p, matrix: Matrix, outer: Matrix) -> None:
        fill_mode, stroke = ctypes.c_int(), ctypes.c_int()
        pdfium_c.FPDFPath_GetDrawMode(obj, ctypes.byref(fill_mode), ctypes.byref(stroke))
        width = ctypes.c_float()
        pdfium_c.FPDFPageObj_GetStrokeWidth(obj, ctypes.byref(width))
        scale = math.sqrt(abs(matrix[0] * matrix[3] - matrix[1] * matrix[2]))
        path_index = len(self._styles)
        self._styles.append(
            (
                float(width.value) * scale,
                _colour(obj, pdfium_c.FPDFPageObj_GetStrokeColor),
                pdfium_c.FPDFPageObj_GetDashCount(obj) > 0,
                bool(stroke.value),
                fill_mode.value != 0,
                _colour(obj, pdfium_c.FPDFPageObj_GetFillColor),
            )
        )
        self._clips.append(self._clip_box(obj, outer))
        x, y = ctypes.c_float(), ctypes.c_float()
        start: tuple[float, float] | None = None
        current: tuple[float, float] | None = None
        pending: list[tuple[float, float]] = []
        for i in range(pdfium_c.FPDFPath_CountSegments(obj)):
            segment = pdfium_c.FPDFPath_GetPathSegment(obj, i)
            pdfium_c.FPDFPathSegment_GetPoint(segment, ctypes.byref(x), ctypes.byref(y))
            point = self._frame.point(*_apply(matrix, x.value, y.value))
            kind = pdfium_c.FPDFPathSegment_GetType(segment)
            if kind == pdfium_c.FPDF_SEGMENT_MOVETO:
                self._subpaths += 1
                start = current = point
                pending.clear()
                continue
            if current is None:
                start = current = point
                continue
            if kind == pdfium_c.FPDF_SEGMENT_BEZIERTO:
                pending.append(point)
                if len(pending) < 3:
                    continue
                for chord_end in self._bezier(current, *pending):
                    self._add(current, chord_end, path_index)
                    current = chord_end
                pending.clear()
            else:
                self._add(current, point, path_index)
                current = point
            if pdfium_c.FPDFPathSegment_GetClose(segment) and start is not None:
                if start != current:
                    self._add(current, start, path_index)
                current = start

    def _clipped(self, segments: np.ndarray, path: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Segments cut to their path's clip box; (segments, which are visible at all)."""
        keep = np.ones(len(segments), dtype=bool)
        out = segments.copy()
        boxes: dict[tuple[float, float, float, float], list[int]] = {}
        for index, box in enumerate(self._clips):
            if box is not None:
                boxes.setdefault(box, []).append(index)
        for box, paths in boxes.items():
            rows = np.flatnonzero(np.isin(path, paths))
            if rows.size:
                out[rows], keep[rows] = clip_segments(segments[rows], box)
        return out, keep

    def _bezier(
        self,
        p0: tuple[float, float],
        p1: tuple[float, float],
        p2: tuple[float, float],
        p3: tuple[float, float],
    ) -> list[tuple[float, float]]:
        t = self._t
        u = 1.0 - t
        xs = u**3 * p0[0] + 3 * u * u * t * p1[0] + 3 * u * t * t * p2[0] + t**3 * p3[0]
        ys = u**3 * p0[1] + 3 * u * u * t * p1[1] + 3 * u * t * t * p2[1] + t**3 * p3[1]
        return list(zip(xs.tolist(), ys.tolist(), strict=True))

    def _add(self, a: tuple[float, float], b: tuple[float, float], path_index: int) -> None:
        self._points.append((a[0], a[1], b[0], b[1]))
        self._subpath.append(self._subpaths)
        self._path.append(path_index)

    def build(self) -> Strokes:
        styles = self._styles
        segments = np.array(self._points, dtype=np.float64).reshape(-1, 4)
        subpath = np.array(self._subpath, dtype=np.int64)
        path = np.array(self._path, dtype=np.int64)
        segments, keep = self._clipped(segments, path)
        return Strokes(
            segments=segments[keep],
            subpath=subpath[keep],
            path=path[keep],
            width=np.array([s[0] for s in styles], dtype=np.float64),
            color=np.array([s[1] for s in styles], dtype=np.int64).reshape(-1, 3),
            dashed=np.array([s[2] for s in styles], dtype=bool),
            stroked=np.array([s[3] for s in styles], dtype=bool),
            filled=np.array([s[4] for s in styles], dtype=bool),
            fill_color=np.array([s[5] for s in styles], dtype=np.int64).reshape(-1, 3),
        )


def _matrix(obj: ctypes.c_void_p) -> Matrix:
    m = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(obj, ctypes.byref(m)):
        return _IDENTITY
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    return m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]


def _colour(obj: ctypes.c_void_p, getter: object) -> tuple[int, int, int]:
    r, g, b, a = (ctypes.c_uint() for _ in range(4))
    ok = getter(obj, ctypes.byref(r), ctypes.byref(g), ctypes.byref(b), ctypes.byref(a))  # type: ignore[operator]
    return (r.value, g.value, b.value) if ok else (0, 0, 0)


def clip_segments(
    seg: np.ndarray, box: tuple[float, float, float, float]
) -> tuple[np.ndarray, np.ndarray]:
    """Liang–Barsky clipping of every segment to the box at once: (clipped, kept)."""
    x0, y0, x1, y1 = box
    px, py = seg[:, 0], seg[:, 1]
    dx, dy = seg[:, 2] - px, seg[:, 3] - py
    t0 = np.zeros(len(seg))
    t1 = np.ones(len(seg))
    keep = np.ones(len(seg), dtype=bool)
    for p, q in ((-dx, px - x0), (dx, x1 - px), (-dy, py - y0), (dy, y1 - py)):
        parallel = np.abs(p) < 1e-12
        keep &= ~(parallel & (q < 0))
        with np.errstate(divide="ignore", invalid="ignore"):
            r = np.where(parallel, 0.0, q / np.where(parallel, 1.0, p))
        t0 = np.where(~parallel & (p < 0), np.maximum(t0, r), t0)
        t1 = np.where(~parallel & (p > 0), np.minimum(t1, r), t1)
    keep &= t0 <= t1
    out = np.column_stack((px + t0 * dx, py + t0 * dy, px + t1 * dx, py + t1 * dy))
    return out, keep
