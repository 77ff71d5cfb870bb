"""Checking uploaded bytes as a PDF: signature, PDFium opening it, and the limits."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from graphq.datasheet.probe import probe_pdf
from graphq.errors import GraphqError

_LIMITS = {"max_bytes": 2**20, "max_pages": 5}


def pages_pdf(pages: int) -> bytes:
    """A real PDF of ``pages`` blank pages, as Pillow's PDF writer makes it."""
    blank = [Image.new("RGB", (60, 80), "white") for _ in range(pages)]
    buffer = io.BytesIO()
    blank[0].save(buffer, "PDF", save_all=True, append_images=blank[1:])
    return buffer.getvalue()


def refusal(data: bytes, code: str = "INVALID_PDF", **limits: int) -> GraphqError:
    with pytest.raises(GraphqError) as caught:
        probe_pdf(data, **{**_LIMITS, **limits})
    assert caught.value.code == code
    return caught.value


def test_a_pdf_within_the_limits_answers_its_page_count() -> None:
    assert probe_pdf(pages_pdf(3), **_LIMITS) == 3


def test_bytes_without_the_pdf_signature_are_refused_whatever_they_hold() -> None:
    png = io.BytesIO()
    Image.new("RGB", (8, 8)).save(png, "PNG")
    assert "not a PDF" in refusal(png.getvalue()).message
    assert "empty" in refusal(b"").message


@pytest.mark.parametrize(
    "data",
    [pages_pdf(2)[:200], b"%PDF-1.7\n" + bytes(range(256)) * 8],
    ids=["truncated", "signature-then-garbage"],
)
def test_a_file_that_starts_like_a_pdf_but_does_not_open_is_refused(data: bytes) -> None:
    error = refusal(data)
    assert "cannot open" in error.message


def test_more_pages_than_the_limit_are_refused_as_too_large() -> None:
    error = refusal(pages_pdf(4), "PDF_TOO_LARGE", max_pages=3)
    assert "4 pages" in error.message


def test_more_bytes_than_the_limit_are_refused_before_the_pdf_is_opened() -> None:
    data = pages_pdf(1)
    error = refusal(data, "PDF_TOO_LARGE", max_bytes=len(data) - 1)
    assert "bytes" in error.message
