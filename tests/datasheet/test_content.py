import numpy as np

from graphq.datasheet.content import read_pages

from .pdfs import graph_pdf


def _page():
    def draw(ax):
        ax.plot([0, 1, 2], [0, 2, 1], color="#ff0000", linewidth=1.5)
        ax.plot([0, 2], [1, 1], linestyle="--", color="black")
        ax.text(1, 1.5, "VGS = 10 V")

    _, pages = read_pages(graph_pdf(draw))
    return pages[0]


def test_words_of_the_text_layer_are_read_in_points_from_the_top_left() -> None:
    page = _page()
    assert page.text_usable
    texts = [w.text for w in page.words]
    assert "VGS" in texts and "10" in texts
    label = next(w for w in page.words if w.text == "VGS")
    assert 0 < label.top < page.height / 2 + 100 and label.size > 5


def test_strokes_keep_their_colour_width_and_dash() -> None:
    strokes = _page().strokes
    red = np.flatnonzero(np.all(strokes.color == (255, 0, 0), axis=1))
    assert red.size == 1
    assert abs(strokes.width[red[0]] - 1.5) < 0.01
    assert strokes.dashed.any()
    assert np.isin(strokes.path, red).sum() == 2  # the red polyline's two segments
