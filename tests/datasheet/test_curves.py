import numpy as np

from graphq.datasheet.content import read_pages
from graphq.datasheet.curves import extract_curves
from graphq.datasheet.panels import find_panels
from graphq.datasheet.rules import find_rules

from .pdfs import frame_box, graph_pdf


def _curves(draw):
    _, pages = read_pages(graph_pdf(draw))
    page = pages[0]
    (panel,) = find_panels(find_rules(page.strokes), page.strokes)
    return extract_curves(page.strokes, panel.box, page.words)


def _limits(ax):
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 10)
    ax.grid(True)


def test_each_drawn_curve_is_one_curve_and_grid_lines_are_none() -> None:
    xs = np.linspace(0, 10, 200)

    def draw(ax):
        ax.plot(xs, 9 * (1 - np.exp(-xs)), color="black")
        ax.plot(xs, 4 * (1 - np.exp(-xs)), color="black")
        _limits(ax)

    found = _curves(draw)
    assert len(found.curves) == 2
    x0, _y0, x1, _y1 = frame_box()
    for curve in found.curves:
        assert abs(np.ptp(curve.points[:, 0]) - (x1 - x0)) < 0.5


def test_a_curve_leaving_the_frame_is_clipped_at_its_edge() -> None:
    def draw(ax):
        ax.plot([0, 10], [0, 20], color="black")
        _limits(ax)

    (curve,) = _curves(draw).curves
    x0, y0, x1, _y1 = frame_box()
    assert curve.points[:, 1].min() >= y0 - 1e-6
    assert abs(curve.points[:, 0].max() - (x0 + (x1 - x0) / 2)) < 0.5


def test_a_dashed_curve_is_one_dashed_curve() -> None:
    xs = np.linspace(0, 10, 100)

    def draw(ax):
        ax.plot(xs, 5 + 3 * np.sin(xs), "--", color="blue")
        _limits(ax)

    (curve,) = _curves(draw).curves
    assert curve.dashed and curve.color == (0, 0, 255)


def test_curves_fanning_out_of_one_point_stay_apart() -> None:
    def draw(ax):
        for end in (3, 6, 9):
            ax.plot([0, 10], [0, end], color="black")
        _limits(ax)

    assert len(_curves(draw).curves) == 3
