from graphq.datasheet.content import read_pages
from graphq.datasheet.panels import find_caption, find_panels
from graphq.datasheet.rules import find_rules
from graphq.datasheet.textlines import text_lines

from .pdfs import frame_box, graph_pdf


def _panels(draw):
    _, pages = read_pages(graph_pdf(draw))
    page = pages[0]
    return page, find_panels(find_rules(page.strokes), page.strokes)


def test_a_framed_graph_is_one_panel_with_its_ticks() -> None:
    def draw(ax):
        ax.plot([0, 5, 10], [0, 8, 9])
        ax.set_xlim(0, 10)
        ax.set_ylim(0, 10)
        ax.set_xticks([0, 2, 4, 6, 8, 10])
        ax.set_title("Figure 3. Typical Output Characteristics")

    page, panels = _panels(draw)
    assert len(panels) == 1
    assert all(abs(a - b) < 1.0 for a, b in zip(panels[0].box, frame_box(), strict=True))
    assert len(panels[0].x_ticks) >= 6
    caption = find_caption(text_lines(page.words), panels[0].box)
    assert caption.startswith("Figure 3.")


def test_a_frame_without_curves_is_no_panel() -> None:
    def draw(ax):
        ax.set_xlim(0, 10)
        ax.set_ylim(0, 10)
        ax.grid(True)

    _, panels = _panels(draw)
    assert panels == []


def test_the_x_title_of_the_graph_above_is_no_title_of_the_graph_below() -> None:
    from graphq.datasheet.words import Word

    above, below = (95.5, 296.5, 260.1, 461.1), (95.5, 510.4, 260.1, 675.0)
    x_title = [Word("ID", 152.8, 471.9, 160.0, 483.9, 10.4),
               Word("(milliamps)", 162.0, 471.9, 197.4, 483.9, 10.4)]  # fmt: skip
    lines = text_lines(x_title)
    assert find_caption(lines, below) == "ID (milliamps)"  # alone, it might be a title
    assert find_caption(lines, below, others=[above]) == ""
    title = Word("Maximum", 100.9, 497.9, 141.6, 510.1, 12.2)
    assert find_caption(text_lines([*x_title, title]), below, others=[above]) == "Maximum"
