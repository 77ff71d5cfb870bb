import numpy as np

from graphq.datasheet.content import read_pages

from .pdfs import frame_box, graph_pdf, text_pdf


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


def test_strokes_are_cut_to_their_clip_path_and_hidden_ones_dropped() -> None:
    from matplotlib.patches import Rectangle

    def draw(ax):
        ax.set_xlim(0, 10)
        ax.set_ylim(0, 10)
        (line,) = ax.plot([0, 10], [0, 10], color="black")
        line.set_clip_path(Rectangle((2, 0), 3, 10, transform=ax.transData))
        (hidden,) = ax.plot([6, 9], [1, 2], color="red")
        hidden.set_clip_path(Rectangle((0, 5), 3, 3, transform=ax.transData))

    page = read_pages(graph_pdf(draw))[1][0]
    seg = page.strokes.segments
    slanted = np.abs(seg[:, 2] - seg[:, 0]) > 0.05
    slanted &= np.abs(seg[:, 3] - seg[:, 1]) > 0.05
    x0, _, x1, _ = frame_box()
    unit = (x1 - x0) / 10
    xs = seg[slanted][:, [0, 2]]
    assert len(xs) >= 1
    assert xs.min() >= x0 + 2 * unit - 0.5 and xs.max() <= x0 + 5 * unit + 0.5


def test_a_page_box_inherited_from_the_page_tree_sets_the_page_size() -> None:
    pdf = text_pdf(
        b"BT /F1 10 Tf 20 400 Td (VDS) Tj ET",
        {"F1": b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"},
        tree_box=b"[0 0 300 468]",
    )
    _, (page,) = read_pages(pdf)
    assert (page.width, page.height) == (300.0, 468.0)
    (word,) = page.words
    assert 55 < word.top < 68  # 400 pt up a 468 pt page: ~60 pt from its top
