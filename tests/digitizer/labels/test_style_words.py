"""The last label naming a line style is bound, by elimination, to the last curve left."""

from __future__ import annotations

from graphq.datasheet.textlines import TextLine
from graphq.digitizer.labels.style_words import STYLE_LEFT, bind_last_style


def _lines(*texts: str) -> list[TextLine]:
    return [
        TextLine((), text, 100.0, 20.0 * k, 180.0, 20.0 * k + 9.0, 9.0, True)
        for k, text in enumerate(texts)
    ]


STYLED = _lines("TJ = 25°C", "VCE = 20 V (SOLID)", "VCE = 5 V (DASHED)")


def test_the_style_label_left_goes_to_the_curve_left() -> None:
    labels, kinds = ["VCE = 20 V (SOLID)", ""], ["inline", ""]

    bind_last_style(STYLED, labels, kinds)

    assert labels == ["VCE = 20 V (SOLID)", "VCE = 5 V (DASHED)"]
    assert kinds == ["inline", STYLE_LEFT]


def test_with_a_curve_more_than_style_labels_nothing_is_bound() -> None:
    labels, kinds = ["VCE = 20 V (SOLID)", "", ""], ["inline", "", ""]

    bind_last_style(STYLED, labels, kinds)

    assert labels == ["VCE = 20 V (SOLID)", "", ""]


def test_with_both_style_labels_unbound_nothing_is_bound() -> None:
    labels, kinds = ["", ""], ["", ""]

    bind_last_style(STYLED, labels, kinds)

    assert labels == ["", ""]
