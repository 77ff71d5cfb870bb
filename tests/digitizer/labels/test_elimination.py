"""A label between two curves about as near binds to the one of them no other text names,
by elimination (so as a label bound by order); text in no label's form is never bound so."""

from __future__ import annotations

import numpy as np

from graphq.datasheet.textlines import TextLine
from graphq.digitizer.labels.elimination import ELIMINATED, bind_left_near

X = np.linspace(0.0, 200.0, 201)


def _flat(y: float) -> np.ndarray:
    return np.column_stack((X, np.full(X.shape, y)))


def _line(text: str, top: float) -> TextLine:
    return TextLine((), text, 80.0, top, 110.0, top + 8.0, 8.0, True)


def test_a_label_between_two_curves_binds_to_the_one_no_other_text_names() -> None:
    curves = [_flat(40.0), _flat(60.0), _flat(100.0)]
    labels, kinds = ["TO-220", "", ""], ["inline", "", ""]

    bind_left_near([_line("TO-92", 46.0)], curves, labels, kinds)

    assert labels == ["TO-220", "TO-92", ""]
    assert kinds == ["inline", ELIMINATED, ""]


def test_a_label_between_two_unnamed_curves_stays_unbound() -> None:
    curves = [_flat(40.0), _flat(60.0), _flat(100.0)]
    labels, kinds = [""] * 3, [""] * 3

    bind_left_near([_line("TO-92", 46.0)], curves, labels, kinds)

    assert labels == [""] * 3


def test_text_in_no_labels_form_is_not_bound_by_elimination() -> None:
    curves = [_flat(40.0), _flat(60.0)]
    for text in ("R = 3°C/W", "0.5, 0.2, 0.1", "fac"):
        labels, kinds = ["TO-220", ""], ["inline", ""]

        bind_left_near([_line(text, 46.0)], curves, labels, kinds)

        assert labels == ["TO-220", ""]
