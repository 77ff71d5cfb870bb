import numpy as np

from graphq.datasheet.curves import LegendSample, VectorCurve
from graphq.datasheet.legends import by_sample, by_style_word
from graphq.datasheet.textlines import text_lines
from graphq.datasheet.words import Word

SOLID = VectorCurve(np.array([[0.0, 0.0], [10.0, 10.0]]), (0, 0, 0), 0.5, False)
DASHED = VectorCurve(np.array([[0.0, 5.0], [10.0, 15.0]]), (0, 0, 0), 0.5, True)


def _text(text: str, x0: float) -> list:
    return text_lines([Word(text, x0, 566, x0 + 5 * len(text), 574, 8)])


def test_a_sample_just_left_of_a_text_names_the_curve_in_its_style() -> None:
    (line,) = _text("Ciss", 269)
    sample = LegendSample((257.0, 570.0), (0, 0, 0), 0.5, False)
    assert by_sample(line, [sample], [SOLID, DASHED]) == 0


def test_a_sample_far_along_the_text_row_names_nothing() -> None:
    # A condition box's "VGS = 0 V" on the row of a legend sample across the frame.
    (line,) = _text("VGS = 0 V", 97)
    sample = LegendSample((257.0, 570.0), (0, 0, 0), 0.5, False)
    assert by_sample(line, [sample], [SOLID, DASHED]) is None


def test_a_style_word_names_the_one_curve_drawn_so() -> None:
    (line,) = _text("VCE = 5 V (DASHED)", 100)
    assert by_style_word(line, [SOLID, DASHED]) == 1
