import numpy as np

from graphq.datasheet.content import read_pages
from graphq.datasheet.curves import extract_curves
from graphq.datasheet.joins import join_pieces
from graphq.datasheet.panels import find_panels
from graphq.datasheet.rules import find_rules

from .pdfs import graph_pdf


def _strokes(draw):
    _, (page,) = read_pages(graph_pdf(draw))
    return page.strokes


def _limits(ax):
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 10)


def test_pieces_that_run_on_smoothly_join_into_one_curve() -> None:
    strokes = _strokes(_limits)
    pieces = [
        (np.array([[0.0, 0.0], [10.0, 10.0]]), 0),
        (np.array([[12.0, 12.0], [20.0, 20.0]]), 0),  # a dash gap further along
    ]
    ((points, _path, gapped),) = join_pieces(pieces, strokes)
    assert gapped and len(points) == 4


def test_pieces_meeting_at_a_sharp_turn_stay_apart() -> None:
    strokes = _strokes(_limits)
    pieces = [
        (np.array([[0.0, 0.0], [10.0, 10.0]]), 0),
        (np.array([[10.0, 10.0], [20.0, 0.0]]), 0),  # a V
    ]
    assert len(join_pieces(pieces, strokes)) == 2


def test_pieces_overlapping_where_they_meet_join_without_running_back() -> None:
    strokes = _strokes(_limits)
    pieces = [
        (np.array([[0.0, 0.0], [10.0, 5.0], [20.0, 10.0]]), 0),
        (np.array([[18.0, 9.0], [30.0, 15.0], [40.0, 20.0]]), 0),  # starts 2.2 pt back
    ]
    ((points, _path, gapped),) = join_pieces(pieces, strokes)
    assert not gapped
    assert np.all(np.diff(points[:, 0]) > 0)
    assert points[0, 0] == 0.0 and points[-1, 0] == 40.0


def test_pieces_crossing_near_their_ends_stay_apart() -> None:
    strokes = _strokes(_limits)
    pieces = [
        (np.array([[0.0, 0.0], [22.0, 11.0]]), 0),  # ends on the other, just past the crossing
        (np.array([[19.0, 8.5], [40.0, 30.0]]), 0),  # starts 0.9 pt below the first
    ]
    assert len(join_pieces(pieces, strokes)) == 2


def test_a_curve_drawn_in_two_overlapping_pieces_is_one_curve() -> None:
    rise = np.linspace(4.3, 0, 40)
    level = np.linspace(4.2, 10, 20)

    def draw(ax):
        # As a vendor drew an output curve: its rise from the knee back to the origin, then
        # its level part starting 0.1 (3 pt) before the knee.
        ax.plot(rise, 6 * (1 - np.exp(-rise / 0.6)), color="black", lw=1.4)
        ax.plot(level, 6 + 0.05 * (level - 4.3), color="black", lw=1.4)
        _limits(ax)

    _, (page,) = read_pages(graph_pdf(draw))
    (panel,) = find_panels(find_rules(page.strokes), page.strokes)
    (curve,) = extract_curves(page.strokes, panel.box, page.words).curves
    assert not curve.dashed
    xs = curve.points[:, 0]
    assert np.all(np.diff(xs) <= 0) or np.all(np.diff(xs) >= 0)
    assert np.ptp(xs) > 0.95 * (panel.box[2] - panel.box[0])
