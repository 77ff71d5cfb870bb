import numpy as np
import pytest

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


def test_a_perfectly_level_curve_in_the_curves_style_is_a_curve_not_a_grid_line() -> None:
    xs = np.linspace(0, 10, 100)

    def draw(ax):
        ax.plot(xs, 8 * (1 - np.exp(-2 * xs)), color="#98002e", linewidth=1.5)
        ax.plot([0, 10], [2, 2], color="#98002e", linewidth=1.5)  # a depletion FET's flat curve
        ax.plot([0, 10], [5, 5], color="#b0b0b0", linewidth=0.8)  # a grid line
        _limits(ax)

    found = _curves(draw)
    assert len(found.curves) == 2
    assert any(np.ptp(c.points[:, 1]) < 0.01 for c in found.curves)


def test_level_strokes_are_no_curves_when_the_grid_is_drawn_in_the_curves_style() -> None:
    xs = np.linspace(0, 10, 100)

    def draw(ax):
        ax.plot(xs, 8 * (1 - np.exp(-2 * xs)), color="black", linewidth=0.8)
        ax.plot([0, 10], [2, 2], color="black", linewidth=0.8)
        ax.set_xlim(0, 10)
        ax.set_ylim(0, 10)
        ax.grid(True, color="black", linewidth=0.8)

    assert len(_curves(draw).curves) == 1


def test_a_curve_drawn_twice_over_itself_is_one_curve() -> None:
    def draw(ax):
        ax.plot([0, 4, 9], [1, 6, 2], color="black", linewidth=1.8)
        ax.plot([0, 4, 9], [1, 6, 2], color="purple", linewidth=0.9)
        ax.plot([0, 4, 9], [2, 8, 4], color="black", linewidth=1.8)
        _limits(ax)

    assert len(_curves(draw).curves) == 2


@pytest.mark.parametrize("dash", [0.07, 0.25])
def test_a_dashed_curve_drawn_dash_by_dash_through_its_label_stays_one_curve(dash: float) -> None:
    # Dashes 2 pt long (which the label's box covers) or 7 pt (one ends at the label, as a
    # leader would), each drawn as its own path, as safe-operating-area graphs draw them.
    starts = np.arange(0, 10 - dash, dash + 0.1)

    def draw(ax):
        for x in starts:
            ax.plot([x, x + dash], [1 + 0.8 * x, 1 + 0.8 * (x + dash)], color="black")
        ax.text(5, 5, "10 ms", fontsize=8, ha="center", va="center")
        _limits(ax)

    found = _curves(draw)
    (curve,) = found.curves
    assert not found.leaders
    x0, _y0, x1, _y1 = frame_box()
    assert np.ptp(curve.points[:, 0]) > 0.95 * (x1 - x0)
