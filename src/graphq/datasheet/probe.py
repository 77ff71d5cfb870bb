"""Checking that uploaded bytes are a PDF graphq will read, before anything of it is stored.

The bytes decide: the ``%PDF-`` signature first, then PDFium must open the document (a
truncated, corrupt or password-protected file fails here, not in a job hours later) and count
its pages within the limit.

PDFium is not thread-safe: no two threads may call into it at once, even on different
documents. Everything in graphq that calls PDFium from a thread that may not be the only one
(the API checks uploads in worker threads) holds :data:`PDFIUM_LOCK`, and closes what it
opened before letting go, so no finaliser later runs PDFium code on another thread.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pypdfium2 as pdfium

from graphq.errors import GraphqError

PDF_SIGNATURE = b"%PDF-"
# Writers may put junk before the signature; PDF readers look for it in the first kilobyte.
SIGNATURE_WINDOW_BYTES = 1024

PDFIUM_LOCK = threading.Lock()


def _invalid(message: str) -> GraphqError:
    return GraphqError("INVALID_PDF", message)


def _too_large(message: str) -> GraphqError:
    """A PDF over a size or page limit: not broken, but refused all the same."""
    return GraphqError("PDF_TOO_LARGE", message)


@contextmanager
def open_pdf(data: bytes) -> Iterator[pdfium.PdfDocument]:
    """The document, opened and closed under :data:`PDFIUM_LOCK`; ``INVALID_PDF`` if it
    cannot be opened."""
    with PDFIUM_LOCK:
        try:
            document = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            raise _invalid(f"the file starts like a PDF but PDFium cannot open it: {exc}") from None
        try:
            yield document
        finally:
            document.close()


def probe_pdf(data: bytes, *, max_bytes: int, max_pages: int) -> int:
    """The page count of a PDF within the limits; ``INVALID_PDF`` or ``PDF_TOO_LARGE`` if not."""
    if not data:
        raise _invalid("the file is empty (0 bytes)")
    if len(data) > max_bytes:
        raise _too_large(f"the file is {len(data)} bytes; the limit is {max_bytes} bytes")
    if PDF_SIGNATURE not in data[:SIGNATURE_WINDOW_BYTES]:
        raise _invalid("the file is not a PDF (no %PDF- signature at its start)")
    with open_pdf(data) as document:
        pages = len(document)
    if pages == 0:
        raise _invalid("the PDF has no pages")
    if pages > max_pages:
        raise _too_large(f"the PDF has {pages} pages; the limit is {max_pages}")
    return pages
