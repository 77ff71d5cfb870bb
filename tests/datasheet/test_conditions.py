from graphq.datasheet.conditions import (
    bare_value,
    name_unread_voltage,
    parse_conditions,
    parse_label,
    printed_temperature,
)
from graphq.review import ReviewReason


def test_assignment_label_gives_its_value_and_condition() -> None:
    assert parse_label("VGS = 10 V") == (10.0, {"VGS": 10.0})
    assert parse_label("ID = 250 µA") == (0.00025, {"ID": 0.00025})


def test_a_bare_temperature_is_the_junction_temperature() -> None:
    assert parse_label("125 °C") == (125.0, {"Tj": 125.0})


def test_a_bare_temperature_takes_the_temperature_the_graphs_labels_name() -> None:
    labels = ["TA = -55°C", "25°C", "125°C"]
    assert printed_temperature(labels) == ("Ta", [])
    assert parse_label("25°C", temperature="Ta") == (25.0, {"Ta": 25.0})
    assert printed_temperature(["25°C", "125°C"]) == ("Tj", [])


def test_labels_naming_two_temperatures_leave_a_bare_one_the_junctions_for_review() -> None:
    temperature, notes = printed_temperature(["TC = 25°C", "TA = 25°C", "125°C"])
    assert temperature == "Tj"
    assert [note.code for note in notes] == [ReviewReason.CONDITION_ASSUMED]
    assert "Ta and Tc" in notes[0].message


def test_a_name_without_value_has_no_value() -> None:
    assert parse_label("Ciss") == (None, {})


def test_notes_state_every_condition_in_base_units() -> None:
    found = parse_conditions("Notes: 1. VDS = 10 V 2. 250 µs pulse test, f = 1 MHz, TJ = 25 °C")
    assert found == {"VDS": 10.0, "tp": 0.00025, "f": 1e6, "Tj": 25.0}


def test_a_value_with_its_unit_alone_is_a_bare_value() -> None:
    assert bare_value("-0.5V") == (-0.5, "V")
    assert bare_value("VGS = 1 V") is None


def test_a_note_voltage_whose_subscript_ocr_lost_is_the_transfer_graphs_vds() -> None:
    # "1. VDS = 40V" and "2. 250µs Pulse Test" of a small note box, as OCR merged them.
    read = parse_conditions("2.1.V,, 40VPulse Test", lone_temperature=False)
    assert read == {"V": 40.0}
    assert name_unread_voltage(read, "transfer") == {"VDS": 40.0}
    assert name_unread_voltage(parse_conditions("1.V..=0V"), "capacitance") == {"VGS": 0.0}


def test_a_voltage_of_unread_symbol_is_dropped_where_the_graph_leaves_two_choices() -> None:
    assert name_unread_voltage({"V": 40.0, "tp": 2.5e-4}, "output") == {"tp": 2.5e-4}
    assert name_unread_voltage({"V": 40.0, "VDS": 25.0}, "transfer") == {"VDS": 25.0}
    assert parse_conditions("VGS = 10 V, Vig » Gate-Source Voltage [V]") == {"VGS": 10.0}
