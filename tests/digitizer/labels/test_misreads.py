"""A curve label's text is mended to what was printed where its form tells (a value after
an "=", a capacitance's name, a line style), and left as read where it does not."""

from graphq.digitizer.labels.misreads import mend_label, mend_saturation_pair


def test_misreads_of_a_labels_points_zeros_and_micro_signs_are_mended() -> None:
    assert mend_label("Ves = 5-5V") == "Ves = 5.5V"
    assert mend_label("Ves = 1 OV") == "Ves = 10V"
    assert mend_label("ims") == "1ms"
    assert mend_label("100 is") == "100µs"
    assert mend_label("10yA") == "10µA"
    assert mend_label("10ps") == "10µs"
    assert mend_label("ID = 250 pA") == "ID = 250µA"
    assert mend_label("ID = 250 WA") == "ID = 250µA"
    assert mend_label("VGS(OFF) @ 10pA") == "VGS(OFF) @ 10µA"
    assert mend_label("TO-2434A") == "TO-243AA"
    assert mend_label("TO-2434A (DC)") == "TO-243AA (DC)"
    assert mend_label("T0-204AA") == "TO-204AA"
    assert mend_label("Vi¢ = 40V") == "Vi = 40V"
    assert mend_label("VCE = 5 V (DASHED) ----") == "VCE = 5 V (DASHED)"
    assert mend_label("OV") == "0V"
    assert mend_label("ov") == "0V"
    assert mend_label("OSA") == "0.5A"
    assert mend_label("05") == "0.5"
    assert mend_label("0 SV") == "0.5V"
    assert mend_label("Veq = 40¥") == "Veq = 40V"
    assert mend_label("VCE = 2U V (OULIL)") == "VCE = 20 V (SOLID)"
    assert mend_label("VCE = 5 V (UASHEL)") == "VCE = 5 V (DASHED)"


def test_a_capacitance_whose_subscript_was_misread_is_named_as_printed() -> None:
    assert mend_label("Cip") == "Cib"
    assert mend_label("Cop") == "Cob"
    assert mend_label("Cisg") == "Ciss"  # as near Cies, but sharing "Cis" with Ciss
    assert mend_label("Crs") == "Crss"
    assert mend_label("\\Coss") == "Coss"
    assert mend_label("CISS") == "CISS"


def test_a_word_near_no_capacitance_or_style_alone_is_left_as_read() -> None:
    assert mend_label("Cc") == "Cc"
    assert mend_label("Case") == "Case"
    assert mend_label("Cies") == "Cies"
    assert mend_label("Curve") == "Curve"
    # As near DOTTED (0.73) as DASHED (0.55) within the margin: no reading of either.
    assert mend_label("VCE = 5 V (DUTED)") == "VCE = 5 V (DUTED)"


def test_a_samples_lone_dash_and_specks_at_a_labels_ends_go() -> None:
    assert mend_label("VGS = 4.5V -") == "VGS = 4.5V"
    assert mend_label("VDS = 160 V-") == "VDS = 160 V"
    assert mend_label("-Vgs = 15V") == "Vgs = 15V"
    assert mend_label("T = 150°C ©") == "T = 150°C"
    assert mend_label("- 25°C") == "-25°C"
    assert mend_label("125°") == "125°C"
    assert mend_label("- = Vgs = 20V") == "Vgs = 20V"
    assert mend_label(" = < VDS = 120V") == "VDS = 120V"
    assert mend_label(" = -55 °C") == "-55 °C"
    assert mend_label("125 °C") == "125 °C"


def test_marks_a_blurred_grids_crossings_make_at_a_labels_ends_go() -> None:
    assert mend_label("+ T4 = 100°C+") == "T4 = 100°C"
    assert mend_label("Voge = 5V > + >>") == "Voge = 5V"
    assert mend_label("+-25C") == "-25C"
    assert mend_label("+25°C") == "+25°C"  # a plus before its number is its sign


def test_hyphens_and_letters_that_are_printed_so_stay() -> None:
    assert mend_label("TO-220") == "TO-220"
    assert mend_label("-55°C") == "-55°C"
    assert mend_label("Ciss") == "Ciss"
    assert mend_label("Note 1 Vi") == "Note 1 Vi"
    assert mend_label("OVP") == "OVP"
    assert mend_label("OSS") == "OSS"
    assert mend_label("TO-220 (DC)") == "TO-220 (DC)"
    assert mend_label("TO-247") == "TO-247"
    assert mend_label("TO-204AA") == "TO-204AA"  # a zero in its number stays a zero
    assert mend_label("10pF") == "10pF"
    assert mend_label("0 V") == "0 V"
    assert mend_label("VCE = 5 V (DULIL)") == "VCE = 5 V (DULIL)"  # no style it is near
    assert mend_label("VGS = -5.0V") == "VGS = -5.0V"


def test_an_equals_sign_blur_made_another_sign_is_read_as_the_equals_sign() -> None:
    assert mend_label("Vag? 10V") == "Vag = 10V"
    assert mend_label("Vg® 40V") == "Vg = 40V"
    assert mend_label("V,..* 20V") == "V = 20V"
    assert mend_label("Vog » SV (DASHED)") == "Vog = 5V (DASHED)"
    # A sign between a name and a word, or with no name before it, is left as read.
    assert mend_label("Note * Pulse") == "Note * Pulse"
    assert mend_label("* 100)s") == "* 100)s"


def test_a_saturation_voltage_whose_subscript_tells_which_is_named_as_printed() -> None:
    assert mend_label("VBE (cat)") == "VBE(sat)"
    assert mend_label("BE(sat)") == "VBE(sat)"
    assert mend_label("Voc(at)") == "VCE(sat)"
    assert mend_label("Voce (sat)") == "VCE(sat)"
    # Either of the two, and names that are no saturation voltage's, stay as read.
    assert mend_label("VE (sat)") == "VE (sat)"
    assert mend_label("Vds(sat)") == "Vds(sat)"
    assert mend_label("VGS(th)") == "VGS(th)"


def test_a_saturation_voltage_read_with_two_terminals_letters_keeps_them_as_read() -> None:
    # A PNP's V_EC(sat) and V_EB(sat), and V_CB(sat), are printed so: only the state is mended.
    assert mend_label("VEC(sat)") == "VEC(sat)"
    assert mend_label("VEB (cat)") == "VEB(sat)"
    assert mend_label("VCB(sat)") == "VCB(sat)"
    assert mend_label("Vbc(sat)") == "Vbc(sat)"
    assert mend_label("Vce(at)") == "Vce(sat)"


def test_a_saturation_voltage_read_without_its_telling_letter_is_the_pairs_other() -> None:
    assert mend_saturation_pair(["T = 25°C", "VBE(sat)", "VE (sat)"]) == [
        "T = 25°C",
        "VBE(sat)",
        "VCE(sat)",
    ]
    assert mend_saturation_pair(["VE (sat)", "VE(sat)"]) == ["VE (sat)", "VE(sat)"]
    assert mend_saturation_pair(["Vbe(sat)", "VE(sat)"]) == ["Vbe(sat)", "VCE(sat)"]
    # A PNP's pair read whole is no untold one.
    assert mend_saturation_pair(["VBE(sat)", "VEC(sat)"]) == ["VBE(sat)", "VEC(sat)"]


def test_grid_stubs_read_beside_a_label_go() -> None:
    assert mend_label("Veg = 20V i") == "Veg = 20V"
    assert mend_label("VGS = 10 V i") == "VGS = 10 V"
    assert mend_label("ID = 10mA i") == "ID = 10mA"
    assert mend_label("ID = 2 mA |") == "ID = 2 mA"
    assert mend_label("£ Vgg = 10V") == "Vgg = 10V"
    # A 5 that is a value's, and an i that is a word's, stay.
    assert mend_label("VGS = 5V") == "VGS = 5V"
    assert mend_label("Ciss") == "Ciss"


def test_a_mark_or_lone_small_letter_set_before_a_value_goes() -> None:
    assert mend_label("y 25°C") == "25°C"
    assert mend_label("» 25°C") == "25°C"
    # A sign, a name before an "=" and a condition stay.
    assert mend_label("+25°C") == "+25°C"
    assert mend_label("f = 1MHz") == "f = 1MHz"
