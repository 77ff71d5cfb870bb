"""Pages printed turned: telling them from the pixels, and turning a copy upright.

Old datasheets print graphs wider than the paper turned a quarter turn on the page. Their
tick labels and titles then run up (or down) the page: neighbouring glyphs stand one above
the other rather than side by side. :func:`may_be_turned` counts which way glyph-sized blobs
of ink neighbour each other, without OCR; :func:`turned_page` makes a one-page copy shown a
quarter turn on, so readers that take a PDF and a page number read the page upright. The
copy carries the page's own content; only its /Rotate entry changes.
"""

from __future__ import annotations

import io

import numpy as np
import pypdfium2 as pdfium
from scipy import ndimage
from scipy.spatial import cKDTree

from graphq.datasheet.page_images import POINTS_PER_INCH, render_page
from graphq.datasheet.probe import open_pdf
from graphq.digitizer.preprocessing.ink import darkness

# The page is looked at this coarsely: 7 pt glyphs stand ~10 px tall, blobs of their own.
_PROBE_DPI = 100
# Glyph-sized blobs are this tall or wide (points) at most and at least: smaller are dots,
# larger are words run together, symbols and drawings ...
_GLYPH_MIN_PT = 2.0
_GLYPH_MAX_PT = 14.0
# ... and this thick both ways at least: thinner are dashes and bits of grid lines, which
# run along the lines they belong to, not along the text.
_GLYPH_THICK_PT = 1.4
# Two glyphs neighbour each other within this distance (points) ...
_NEIGHBOUR_PT = 10.0
# ... side by side when the step between them is this many times longer across than up.
_ALONG = 2.0
# An upright page's glyphs neighbour side by side at least this many times as often as one
# above the other (text pages 3–6 times, upright graph pages 1.2–3; turned ones below 1).
_UPRIGHT_RATIO = 1.25


def may_be_turned(pdf: bytes, page_number: int) -> bool:
    """Whether the page's glyphs do not clearly run along it (1-based page)."""
    ink = darkness(render_page(pdf, page_number, _PROBE_DPI)) > 0.5
    labels, _ = ndimage.label(ink)
    scale = _PROBE_DPI / POINTS_PER_INCH
    centres = []
    for blob in ndimage.find_objects(labels):
        if blob is None:
            continue
        tall, wide = blob[0].stop - blob[0].start, blob[1].stop - blob[1].start
        glyph = _GLYPH_MIN_PT * scale <= max(tall, wide) <= _GLYPH_MAX_PT * scale
        if glyph and min(tall, wide) >= _GLYPH_THICK_PT * scale:
            centres.append(((blob[1].start + blob[1].stop) / 2, (blob[0].start + blob[0].stop) / 2))
    if len(centres) < 3:
        return False
    points = np.array(centres)
    distance, index = cKDTree(points).query(points, k=2)
    step = np.abs(points[index[:, 1]] - points)[distance[:, 1] < _NEIGHBOUR_PT * scale]
    across = int(np.sum(step[:, 0] > _ALONG * step[:, 1]))
    up = int(np.sum(step[:, 1] > _ALONG * step[:, 0]))
    return across < _UPRIGHT_RATIO * up


def turned_page(pdf: bytes, page_number: int, degrees: int) -> bytes:
    """Page ``page_number`` (1-based) alone, shown turned clockwise by ``degrees`` (a
    multiple of 90) more than it is."""
    with open_pdf(pdf) as document:
        copy = pdfium.PdfDocument.new()
        try:
            copy.import_pages(document, [page_number - 1])
            page = copy[0]
            page.set_rotation((page.get_rotation() + degrees) % 360)
            buffer = io.BytesIO()
            copy.save(buffer)
            return buffer.getvalue()
        finally:
            copy.close()
