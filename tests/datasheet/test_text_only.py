import numpy as np

from graphq.datasheet.page_images import open_page
from graphq.datasheet.text_only import keep_text_only
from tests.datasheet.pdfs import frame_box, graph_pdf, outlined_graph_pdf

_SCALE = 2.0  # pixels per point


def _labelled_line(ax) -> None:
    ax.plot([0, 10], [0, 10], color="black")
    ax.text(2, 8, "Ug=0V", fontsize=10)
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 10)


def _inked(pdf: bytes, *, outlines: bool) -> tuple[int, int]:
    """Dark pixels along the frame's left edge, and in the label's box, once the page's
    drawing is taken off."""
    with open_page(pdf, 1) as page:
        keep_text_only(page, outlines=outlines)
        grey = page.render(scale=_SCALE, grayscale=True).to_numpy()
    dark = grey.reshape(grey.shape[:2]) < 128
    x0, top, x1, bottom = (round(v * _SCALE) for v in frame_box())
    edge = dark[top + 10 : bottom - 10, x0 - 1 : x0 + 2]
    # The label stands at (2, 8) in data units: a fifth across, a fifth down the frame.
    lx, ly = x0 + (x1 - x0) // 5, top + (bottom - top) // 5
    label = dark[ly - 20 : ly + 2, lx : lx + 60]
    return int(np.count_nonzero(edge)), int(np.count_nonzero(label))


def test_an_outlined_pages_strokes_are_taken_off_and_its_filled_glyphs_kept() -> None:
    pdf = outlined_graph_pdf(_labelled_line, title="TITLE")
    # Its title is a text object: taking every path off would take the outlined label too.
    assert _inked(pdf, outlines=False) == (0, 0)
    edge, label = _inked(pdf, outlines=True)
    assert edge == 0 and label > 50


def test_a_page_drawing_text_as_text_objects_loses_every_path() -> None:
    edge, label = _inked(graph_pdf(_labelled_line), outlines=False)
    assert edge == 0 and label > 50


def test_a_page_without_text_objects_is_left_whole() -> None:
    edge, label = _inked(outlined_graph_pdf(_labelled_line), outlines=False)
    assert edge > 0 and label > 50
