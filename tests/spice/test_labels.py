"""Curve conditions, capacitance names and units read from the text printed on graphs."""

from __future__ import annotations

import pytest

from graphq.spice.labels import (
    bare_voltage,
    capacitance_name,
    is_placeholder,
    parse_conditions,
    unit_factor,
)


@pytest.mark.parametrize(
    ("label", "vgs"),
    [
        ("VGS = 10 V", 10.0),
        ("V<sub>GS</sub>=4.5V", 4.5),
        ("V_GS = 6 V", 6.0),
        ("Vgs=4,5V", 4.5),
        ("VGS = −3 V", -3.0),
        ("VGS=10V ID=5A", 10.0),
    ],
)
def test_gate_voltage_is_read_from_a_condition_label(label: str, vgs: float) -> None:
    assert parse_conditions(label)["vgs"] == vgs


@pytest.mark.parametrize(("label", "volts"), [("10V", 10.0), ("4.5 V", 4.5), ("−2 V", -2.0)])
def test_a_bare_voltage_label_gives_its_value(label: str, volts: float) -> None:
    assert parse_conditions(label) == {}
    assert bare_voltage(label) == volts


def test_drain_voltage_and_temperature_come_from_one_label() -> None:
    assert parse_conditions("VDS = 10 V, Tj = 150 °C") == {"vds": 10.0, "temperature": 150.0}


@pytest.mark.parametrize("label", ["150 °C", "Tj=150°C", "T = 150 °C"])
def test_a_temperature_label_is_no_voltage(label: str) -> None:
    assert parse_conditions(label) == {"temperature": 150.0}
    assert bare_voltage(label) is None


@pytest.mark.parametrize(("label", "celsius"), [("-55C", -55.0), ("150 C", 150.0)])
def test_a_temperature_label_that_lost_its_degree_sign_is_still_a_temperature(
    label: str, celsius: float
) -> None:
    assert parse_conditions(label) == {"temperature": celsius}


def test_a_number_in_c_inside_other_text_is_no_temperature() -> None:
    assert parse_conditions("Qg = 25 nC") == {}


@pytest.mark.parametrize(
    ("label", "name"),
    [
        ("Ciss", "ciss"),
        ("C_oss", "coss"),
        ("C<sub>rss</sub>", "crss"),
        ("Cᵢₛₛ", "ciss"),
        ("Coss = Cds + Cgd", "coss"),
        ("VGS = 0 V", None),
    ],
)
def test_capacitance_curves_are_named_from_their_labels(label: str, name: str | None) -> None:
    assert capacitance_name(label) == name


@pytest.mark.parametrize(
    ("unit", "factor"),
    [
        ("pF", 1e-12),
        ("nF", 1e-9),
        ("mA", 1e-3),
        ("µA", 1e-6),
        ("uA", 1e-6),
        ("mΩ", 1e-3),
        ("mOhm", 1e-3),
        ("MΩ", 1e6),
        ("A", 1.0),
        ("", 1.0),
        ("furlongs", 1.0),
    ],
)
def test_unit_prefixes_scale_to_si(unit: str, factor: float) -> None:
    assert unit_factor(unit) == pytest.approx(factor)


@pytest.mark.parametrize(
    ("label", "placeholder"),
    [("curve 3", True), ("Curve 12", True), ("VGS = 3 V", False), ("3 V", False), ("", False)],
)
def test_the_digitizers_name_for_an_unlabelled_curve_is_a_placeholder(
    label: str, placeholder: bool
) -> None:
    assert is_placeholder(label) is placeholder


def test_units_written_out_in_words_have_their_prefix_factor() -> None:
    assert unit_factor("Picofarads") == 1e-12
    assert unit_factor("milliamps") == 1e-3
    assert unit_factor("Volts") == 1.0
    assert unit_factor("Ohms") == 1.0
