import pypdfium2 as pdfium

from graphq.datasheet.content import read_pages
from graphq.datasheet.turning import may_be_turned, turned_page

from .pdfs import graph_pdf


def _page_with_a_line(ax) -> None:
    ax.plot([0, 10], [0, 10], color="black")
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 10)


def test_a_turned_page_is_the_page_alone_shown_a_quarter_turn_on() -> None:
    pdf = graph_pdf(_page_with_a_line)
    turned = turned_page(pdf, 1, 90)
    count, (page,) = read_pages(turned)
    _, (original,) = read_pages(pdf)
    assert count == 1
    # The content is the page's own; only how it is shown turns.
    assert len(page.strokes.segments) == len(original.strokes.segments)
    assert [w.text for w in page.words] == [w.text for w in original.words]
    document = pdfium.PdfDocument(turned)
    assert document[0].get_rotation() == 90
    width, height = document[0].get_size()
    assert (round(width), round(height)) == (round(original.height), round(original.width))


def _text_page() -> bytes:
    import io

    from matplotlib.figure import Figure

    figure = Figure(figsize=(8.5, 11))
    for row in range(30):
        figure.text(0.1, 0.95 - row * 0.03, f"Drain current ID = {row + 1} A at VGS = 10 V, 25 °C")
    buffer = io.BytesIO()
    figure.savefig(buffer, format="pdf")
    return buffer.getvalue()


def test_a_page_whose_text_runs_along_it_is_not_taken_as_turned() -> None:
    assert not may_be_turned(_text_page(), 1)


def test_a_page_whose_text_runs_up_it_may_be_turned() -> None:
    assert may_be_turned(turned_page(_text_page(), 1, 90), 1)
