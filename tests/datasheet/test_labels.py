import numpy as np

from graphq.datasheet.content import read_pages
from graphq.datasheet.curves import extract_curves
from graphq.datasheet.labels import bind_labels
from graphq.datasheet.panels import find_panels
from graphq.datasheet.rules import find_rules
from graphq.datasheet.textlines import text_lines

from .pdfs import graph_pdf

XS = np.linspace(0, 10, 100)


def _bind(draw):
    _, pages = read_pages(graph_pdf(draw))
    page = pages[0]
    (panel,) = find_panels(find_rules(page.strokes), page.strokes)
    found = extract_curves(page.strokes, panel.box, page.words)
    binding = bind_labels(
        found.curves, text_lines(page.words), panel.box, found.leaders, found.samples
    )
    heights = [float(np.mean(c.points[:, 1])) for c in found.curves]
    # Page y grows downwards: the highest curve has the smallest mean y.
    return [binding.labels[i] for i in np.argsort(heights)], binding


def _two_curves(ax):
    ax.plot(XS, 8 + 0.1 * XS, color="black")
    ax.plot(XS, 2 + 0.1 * XS, color="black")
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 12)


def test_inline_labels_bind_to_the_curve_beside_them() -> None:
    def draw(ax):
        _two_curves(ax)
        ax.text(4, 2.8, "VGS = 4 V")
        ax.text(4, 9.0, "VGS = 10 V")

    labels, _ = _bind(draw)
    assert labels == ["VGS = 10 V", "VGS = 4 V"]


def test_a_label_halfway_between_two_curves_binds_to_neither() -> None:
    def draw(ax):
        _two_curves(ax)
        ax.text(4, 5.3, "25 °C")

    labels, _ = _bind(draw)
    assert labels == ["", ""]


def test_a_legend_sample_names_the_curve_drawn_in_its_style() -> None:
    def draw(ax):
        ax.plot(XS, 8 + 0.1 * XS, color="red", label="Ciss")
        ax.plot(XS, 2 + 0.1 * XS, color="blue", label="Crss")
        ax.set_xlim(0, 10)
        ax.set_ylim(0, 12)
        ax.legend(loc="center right", frameon=False)

    labels, _ = _bind(draw)
    assert labels == ["Ciss", "Crss"]


def test_conditions_in_unbound_text_hold_for_the_graph() -> None:
    def draw(ax):
        _two_curves(ax)
        ax.text(0.5, 5, "VDS = 10 V, f = 1 MHz")

    _, binding = _bind(draw)
    assert binding.graph_conditions == {"VDS": 10.0, "f": 1e6}
