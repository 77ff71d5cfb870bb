"""A graph's own condition is told from its curves' labels by its unit."""

from __future__ import annotations

from graphq.datasheet.textlines import TextLine
from graphq.digitizer.labels.graph_conditions import without_graph_conditions


def _lines(*texts: str) -> list[TextLine]:
    return [
        TextLine((), text, 100.0, 20.0 * k, 140.0, 20.0 * k + 7.0, 7.0, True)
        for k, text in enumerate(texts)
    ]


def _texts(lines: list[TextLine]) -> list[str]:
    return [line.text for line in lines]


def test_a_value_in_another_unit_than_the_family_s_is_the_graph_s_condition() -> None:
    lines = _lines("TJ = 100°C", "25°C", "-25°C", "VCE = 20 V")

    assert _texts(without_graph_conditions(lines)) == ["TJ = 100°C", "25°C", "-25°C"]


def test_a_degree_sign_read_without_its_c_still_names_a_temperature() -> None:
    lines = _lines("125°", "25°", "VDS = 10V")

    assert _texts(without_graph_conditions(lines)) == ["125°", "25°"]


def test_a_family_s_own_labels_in_one_unit_are_all_kept() -> None:
    lines = _lines("VGS = 10 V", "8 V", "VDS = 20 V", "6 V")

    assert _texts(without_graph_conditions(lines)) == _texts(lines)


def test_without_a_family_no_line_is_taken_for_a_condition() -> None:
    # One temperature and one voltage: which is the graph's is not told by units.
    lines = _lines("TJ = 25°C", "VCE = 20 V", "Ciss", "Coss")

    assert _texts(without_graph_conditions(lines)) == _texts(lines)


def test_a_bare_value_or_a_line_of_several_conditions_is_never_taken_out() -> None:
    lines = _lines("10 µs", "100 µs", "1 ms", "150°C", "TC = 25°C, TJ = 150°C")

    assert _texts(without_graph_conditions(lines)) == _texts(lines)


def test_the_conditions_stacked_under_a_curve_s_name_are_its_own() -> None:
    # Thermal graphs print each package's conditions under its name: no family, no condition.
    lines = [
        TextLine((), text, 100.0, top, 140.0, top + 7.0, 7.0, True)
        for text, top in (
            ("TO-220", 0.0),
            ("TA = 25°C", 8.0),
            ("P = 15W", 16.0),
            ("TO-92", 40.0),
            ("TA = 25°C", 48.0),
            ("P = 1.0W", 56.0),
        )
    ]

    assert _texts(without_graph_conditions(lines)) == _texts(lines)
