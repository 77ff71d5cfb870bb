"""PDF pages opened and rendered as pixels, and refused with a stable code when they
cannot be."""

from __future__ import annotations

import numpy as np
import pytest

from graphq.datasheet.page_images import POINTS_PER_INCH, render_page
from graphq.errors import GraphqError
from tests.datasheet.pdfs import FIG_H_IN, FIG_W_IN, frame_box, graph_pdf


def _framed(ax) -> None:
    ax.set_xticks([])
    ax.set_yticks([])


def test_page_is_rendered_at_the_asked_resolution_with_its_frame_where_the_pdf_puts_it() -> None:
    dpi = 100.0
    pixels = render_page(graph_pdf(_framed), 1, dpi)
    assert pixels.shape == (round(FIG_H_IN * dpi), round(FIG_W_IN * dpi), 3)
    assert pixels.dtype == np.uint8
    x0, top, _, bottom = (round(v * dpi / POINTS_PER_INCH) for v in frame_box())
    left_edge = pixels[top + 5 : bottom - 5, x0 - 1 : x0 + 2].min(axis=2)
    assert (left_edge < 128).any(axis=1).all()
    assert pixels[5:20, 5:20].min() > 200  # the margin is paper


def test_a_page_beyond_the_last_is_refused_as_a_bad_parameter() -> None:
    with pytest.raises(GraphqError) as caught:
        render_page(graph_pdf(_framed), 2, 72.0)
    assert caught.value.code == "INVALID_PARAMETERS"


def test_bytes_that_are_no_pdf_are_refused_as_an_invalid_pdf() -> None:
    with pytest.raises(GraphqError) as caught:
        render_page(b"not a pdf at all", 1, 72.0)
    assert caught.value.code == "INVALID_PDF"
