from graphq.datasheet.classify import classify
from graphq.digitizer.types import Axes, Axis
from graphq.review import ReviewReason


def _axes(x: str, y: str) -> Axes:
    return Axes(x=Axis(0, 1, quantity=x), y=Axis(0, 1, quantity=y))


def test_axis_quantities_decide_the_graph_type() -> None:
    assert classify("", _axes("VDS", "ID"))[0] == "output"
    assert classify("", _axes("VGS", "ID"))[0] == "transfer"
    assert classify("", _axes("VSD", "IS"))[0] == "body_diode"
    assert classify("", _axes("Qg", "VGS"))[0] == "gate_charge"


def test_the_caption_decides_when_the_axes_do_not() -> None:
    assert classify("Figure 8: Capacitance Characteristics", _axes("VDS", ""))[0] == "capacitance"
    assert classify("Fig. 3 On-Resistance vs. Junction Temperature", None)[0] == (
        "rdson_temperature"
    )


def test_an_unrecognised_graph_is_custom_with_a_review_note() -> None:
    kind, notes = classify("Figure 10: Current De-rating", _axes("TC", "ID"))
    assert kind == "custom"
    assert [n.code for n in notes] == [ReviewReason.GRAPH_TYPE_UNCERTAIN]


def test_a_safe_operating_area_is_custom_though_its_axes_are_an_output_graphs() -> None:
    kind, notes = classify("Maximum Rated Safe Operating Area", _axes("VDS", "ID"))
    assert (kind, notes) == ("custom", [])
    assert classify("Figure 9. Maximum SOA", _axes("VDS", "ID"))[0] == "custom"
    assert classify("Figure 1. Output Characteristics", _axes("VDS", "ID"))[0] == "output"


def test_a_caption_naming_rds_on_by_its_symbol_decides_the_type() -> None:
    normalized = _axes("Tj", "")
    caption = "VGS(OFF) and RDS(ON) Variation with Temperature"
    assert classify(caption, normalized)[0] == "rdson_temperature"
    assert classify("RDS(on) vs. Drain Current", _axes("", ""))[0] == "rdson_current"


def test_a_valves_anode_current_against_anode_or_grid_voltage_is_output_or_transfer() -> None:
    assert classify("", _axes("Ua", "Ia"))[0] == "output"
    assert classify("", _axes("Vg1", "Ia"))[0] == "transfer"


def test_a_valves_plate_characteristics_are_its_output_curves() -> None:
    assert classify("PLATE CHARACTERISTICS", None) == ("output", [])
    assert classify("Averaged Anode Characteristic Curves", None) == ("output", [])
