from graphq.datasheet.stacks import find_stacks
from graphq.datasheet.textlines import text_lines
from graphq.datasheet.words import Word


def _line(text: str, x1: float, top: float) -> list[Word]:
    """Words of one right-aligned 8 pt line ending at ``x1``."""
    width = 4.5 * len(text)
    return [Word(text, x1 - width, top, x1, top + 8, 8)]


def test_a_name_over_its_conditions_is_one_stack() -> None:
    words = _line("TO-220", 390, 620) + _line("TC=25°C", 390, 629) + _line("PD=15W", 390, 638)
    (stack,) = find_stacks(text_lines(words))
    assert stack.line.text == "TO-220"
    assert stack.conditions == {"Tc": 25.0, "PD": 15.0}
    assert (stack.line.top, stack.line.bottom) == (620, 646)


def test_lines_that_name_no_curve_make_no_stack() -> None:
    conditions = _line("TJ=150°C", 200, 390) + _line("TC=25°C", 200, 399)
    words = _line("RDS(ON)", 150, 327) + _line("limited", 150, 336)
    assert find_stacks(text_lines(conditions + words)) == []


def test_a_condition_far_below_a_name_is_not_its_own() -> None:
    words = _line("TO-92", 460, 646) + _line("PD=1.0W", 460, 680)
    assert find_stacks(text_lines(words)) == []
