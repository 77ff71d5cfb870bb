"""A vector page with its drawing taken off, so that OCR reads its text alone.

Frames, grids, curves and arrows run through the labels of a vector graph; erasing them from
a rendering also erases bits of glyphs. Where the page's drawing can be told from its text by
the kind of object, it is taken off before rendering instead.
"""

from __future__ import annotations

import ctypes

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw


def keep_text_only(page: pdfium.PdfPage, *, outlines: bool = False) -> None:
    """Takes the page's drawing off (in place): where it draws text as text objects
    (glyphs without a Unicode map), every path; where its text is ``outlines`` (glyphs as
    filled paths), its stroked paths. A page without text objects (a scan) is left whole."""
    if outlines:
        _strokes_removed(page)
    else:
        _paths_removed(page)


def _paths_removed(page: pdfium.PdfPage) -> None:
    """The page's vector paths taken off it where it draws text as text objects (glyphs
    without a Unicode map): the text is then read alone, with no frame, grid, curve or arrow
    through it to erase. A page without text objects (a scan, outlined text) is left whole."""
    objects = list(page.get_objects(max_depth=1))
    if not any(obj.type == pdfium_raw.FPDF_PAGEOBJ_TEXT for obj in objects):
        return
    for obj in objects:
        if obj.type == pdfium_raw.FPDF_PAGEOBJ_PATH:
            page.remove_obj(obj)
    page.gen_content()


def _strokes_removed(page: pdfium.PdfPage) -> None:
    """The page's stroked paths (frames, grids, curves, arrows, tick marks) taken off it:
    what is left of a page whose text is outlined is its glyphs, filled and not stroked,
    read with nothing through them to erase."""
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    for obj in list(page.get_objects(max_depth=1)):
        if obj.type != pdfium_raw.FPDF_PAGEOBJ_PATH:
            continue
        pdfium_raw.FPDFPath_GetDrawMode(obj.raw, ctypes.byref(fill), ctypes.byref(stroke))
        if stroke.value:
            page.remove_obj(obj)
    page.gen_content()
