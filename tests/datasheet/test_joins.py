import numpy as np

from graphq.datasheet.content import read_pages
from graphq.datasheet.joins import join_pieces

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
