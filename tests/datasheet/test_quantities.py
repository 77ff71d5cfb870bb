from graphq.datasheet.quantities import parse_title


def test_symbol_and_bracketed_unit_are_read_from_vendor_titles() -> None:
    assert parse_title("VDS, Drain-Source Voltage [V]") == ("VDS", "V")
    assert parse_title("ID (A)") == ("ID", "A")
    assert parse_title("IC, COLLECTOR CURRENT (AMPS)") == ("IC", "A")
    assert parse_title("VGS(Volts)") == ("VGS", "V")


def test_descriptive_titles_name_their_quantity() -> None:
    assert parse_title("Capacitance (pF)") == ("C", "pF")
    assert parse_title("Junction Temperature (°C)") == ("Tj", "°C")


def test_a_title_without_unit_or_symbol_reads_empty() -> None:
    assert parse_title("") == ("", "")
