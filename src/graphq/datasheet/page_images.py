"""PDF pages opened and rendered as pixels, for the readers that OCR a page's image."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
import pypdfium2 as pdfium

from graphq.errors import GraphqError

POINTS_PER_INCH = 72.0


def render_page(pdf: bytes, page_number: int, dpi: float) -> np.ndarray:
    """One page (1-based) as RGB pixels (H × W × 3 uint8) at ``dpi``."""
    with open_page(pdf, page_number) as page:
        bitmap = page.render(scale=dpi / POINTS_PER_INCH)
        return np.asarray(bitmap.to_pil().convert("RGB"))


@contextmanager
def open_page(pdf: bytes, page_number: int) -> Iterator[pdfium.PdfPage]:
    """One page (1-based) of the PDF, open while the block runs."""
    try:
        document = pdfium.PdfDocument(pdf)
    except pdfium.PdfiumError as exc:
        raise GraphqError("INVALID_PDF", f"the file cannot be read as a PDF: {exc}") from exc
    try:
        if not 1 <= page_number <= len(document):
            raise GraphqError(
                "INVALID_PARAMETERS",
                f"page {page_number} is not in a {len(document)}-page PDF",
            )
        yield document[page_number - 1]
    finally:
        document.close()
