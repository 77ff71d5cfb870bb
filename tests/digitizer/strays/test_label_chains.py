"""A trace that runs from a curve into its label's text loses the text; when what is left only
copies the curve, it is dropped. Curves in a bundle, and noisy curve ends, keep their ends."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np

from graphq.digitizer.strays.label_chains import cut_label_chains, letters_beside
from graphq.digitizer.tracking.scale import PlotScale
from graphq.digitizer.tracking.tracks import TracedCurve
from tests.digitizer.curves import traced_curve

_SHAPE = (200, 400)
_GLYPH_PX = 9.0
_SCALE = PlotScale(2.0, _GLYPH_PX, _SHAPE[1], _SHAPE[0])
# The label's baseline row and its columns.
_BASELINE = 60
_TEXT = (150, 290)


def _curve_rows(columns: np.ndarray) -> np.ndarray:
    """A curve rising from the bottom left to the right edge, passing the label's end."""
    return 170.0 - 0.4 * (columns - 20)


def _ink(with_label: bool = True) -> np.ndarray:
    """The plot's ink: the curve 2 px thick, and a label's text set on ``_BASELINE`` over
    ``_TEXT`` (drawn by matplotlib at the glyph height)."""
    height, width = _SHAPE
    figure = plt.figure(figsize=(width / 100, height / 100), dpi=100)
    if with_label:
        figure.text(
            _TEXT[0] / width,
            1 - _BASELINE / height,
            "RDS(ON) @ ID = 120mA",
            fontsize=_GLYPH_PX * 72 / 100 / 0.72,
            va="baseline",
            ha="left",
        )
    figure.canvas.draw()
    pixels = np.asarray(figure.canvas.buffer_rgba())[:height, :width, 0]
    plt.close(figure)
    ink = pixels < 128
    columns = np.arange(20, width)
    rows = np.round(_curve_rows(columns)).astype(int)
    ink[rows, columns] = True
    ink[rows + 1, columns] = True
    return ink


def _curve() -> TracedCurve:
    columns = np.arange(20, _SHAPE[1])
    return traced_curve(columns, _curve_rows(columns))


def _chain() -> TracedCurve:
    """The label's baseline traced from its first letter to where the curve passes its end,
    then on along the curve to the right edge."""
    meet = int(np.argmin(np.abs(_curve_rows(np.arange(_SHAPE[1])) - _BASELINE)))
    text = np.arange(_TEXT[0], meet)
    along = np.arange(meet, _SHAPE[1])
    columns = np.concatenate((text, along))
    rows = np.concatenate((np.full(text.size, _BASELINE - 1.0), _curve_rows(along)))
    return traced_curve(columns, rows)


def test_letters_stand_beside_a_trace_along_a_label_but_not_beside_a_lone_curve() -> None:
    ink = _ink()
    chain, curve = _chain(), _curve()
    text = chain.column < _TEXT[1] - 20
    assert letters_beside(chain, ink, _GLYPH_PX, 2.0)[text].mean() > 0.5
    assert letters_beside(curve, ink, _GLYPH_PX, 2.0)[curve.column < _TEXT[0]].mean() == 0.0


def test_a_copy_of_a_curve_dragged_in_by_its_label_is_dropped_with_a_warning() -> None:
    kept = cut_label_chains([_curve(), _chain()], _ink(), _GLYPH_PX, _SCALE)
    assert len(kept.curves) == 1
    assert kept.curves[0].column[0] == 20
    assert len(kept.dropped) == 1 and "label" in kept.dropped[0]


def test_a_copy_whose_text_end_jumps_up_a_line_to_the_frame_is_still_dropped() -> None:
    # Past the label's first letter the trace jumps up a line drawn across it (a limit line)
    # to the top edge: that end is judged where the trace arrived, inside the plot.
    chain = _chain()
    jump = traced_curve(np.array([_TEXT[0] - 1]), np.array([1.0]))
    jumped = TracedCurve(
        *(
            np.concatenate((getattr(jump, name), getattr(chain, name)))
            for name in ("column", "enter", "leave", "shared", "run")
        )
    )
    kept = cut_label_chains([_curve(), jumped], _ink(), _GLYPH_PX, _SCALE)
    assert len(kept.curves) == 1
    assert kept.curves[0].column[0] == 20
    assert len(kept.dropped) == 1 and "label" in kept.dropped[0]


def test_a_curve_running_on_from_its_label_alone_loses_only_the_text() -> None:
    kept = cut_label_chains([_chain()], _ink(), _GLYPH_PX, _SCALE)
    assert len(kept.curves) == 1 and not kept.dropped
    assert kept.curves[0].column[0] >= _TEXT[1] - 2 * _GLYPH_PX
    assert kept.curves[0].column[-1] == _SHAPE[1] - 1


def test_a_trace_along_a_label_alone_is_all_text_and_dropped_with_a_warning() -> None:
    # Cut from both ends inside the plot, nothing of it is left.
    columns = np.arange(_TEXT[0], _TEXT[1])
    text = traced_curve(columns, np.full(columns.size, _BASELINE - 1.0))
    kept = cut_label_chains([text], _ink(), _GLYPH_PX, _SCALE)
    assert kept.curves == []
    assert len(kept.dropped) == 1 and "all a label's text" in kept.dropped[0]


def test_a_noisy_curve_ending_inside_the_plot_keeps_its_end() -> None:
    rng = np.random.default_rng(3)
    columns = np.arange(0, 300)
    rows = 100.0 + rng.normal(0.0, 1.0, columns.size)
    curve = traced_curve(columns, rows)
    ink = np.zeros(_SHAPE, dtype=bool)
    ink[np.round(rows).astype(int), columns] = True
    kept = cut_label_chains([curve], ink, _GLYPH_PX, _SCALE)
    assert kept.curves[0] is curve


def test_a_curve_in_a_bundle_is_not_read_as_text_for_its_neighbours() -> None:
    columns = np.arange(30, _SHAPE[1])
    # Five curves 5 px apart starting inside the plot, one with a kink every 12 px.
    bundle = [
        traced_curve(columns, 80.0 + 5 * k + (k == 2) * 3.0 * (columns % 12 < 6)) for k in range(5)
    ]
    ink = np.zeros(_SHAPE, dtype=bool)
    for curve in bundle:
        ink[np.round(curve.middle).astype(int), curve.column] = True
    kept = cut_label_chains(bundle, ink, _GLYPH_PX, _SCALE)
    assert all(a is b for a, b in zip(kept.curves, bundle, strict=True))


def test_letters_are_counted_between_the_first_and_last_turn_of_a_short_word() -> None:
    # A short word's letters (stems 4 px wide, 2 px apart) stand over a flat trace from the
    # right frame; past the word the trace runs on along a stub under no letter. Counted
    # with the stub and the half gap cut beyond the word, letters stand over too few columns.
    ink = np.zeros(_SHAPE, dtype=bool)
    row, word = 100, (170, 210)
    for column in range(word[0], word[1], 6):
        ink[row - 8 : row - 2, column : column + 4] = True
    columns = np.arange(word[0] - 16, _SHAPE[1])
    trace = traced_curve(columns, np.full(columns.size, float(row)))
    kept = cut_label_chains([trace], ink, _GLYPH_PX, _SCALE)
    assert len(kept.curves) == 1
    assert kept.curves[0].column[0] >= word[1] - 6
