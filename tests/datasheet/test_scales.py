import numpy as np

from graphq.datasheet.scales import fit_scale

EDGES = (100.0, 400.0)  # low and high value ends of an x axis (points)


def test_labels_on_one_scale_give_two_knots_at_the_frame_edges() -> None:
    fit = fit_scale(np.array([100.0, 200.0, 300.0, 400.0]), np.array([0.0, 5.0, 10.0, 15.0]), EDGES)
    assert fit is not None and fit.kind == "single" and fit.scale == "linear"
    assert fit.knots == [(100.0, 0.0), (400.0, 15.0)]


def test_uneven_log_decades_are_mapped_piecewise_through_the_labels() -> None:
    # The 10–100 decade is drawn twice as wide as the others, as in hand-drawn vendor graphs.
    positions = np.array([100.0, 175.0, 250.0, 400.0])
    fit = fit_scale(positions, np.array([0.1, 1.0, 10.0, 100.0]), EDGES)
    assert fit is not None and fit.kind == "piecewise" and fit.scale == "log"
    assert not fit.doubt
    values = fit.values_at(np.array([100.0, 212.5, 325.0, 400.0]))
    assert np.allclose(values, [0.1, 10**0.5, 10**1.5, 100.0])


def test_a_piecewise_map_whose_spacing_varies_wildly_is_doubtful() -> None:
    positions = np.array([100.0, 110.0, 250.0, 400.0])
    fit = fit_scale(positions, np.array([0.0, 5.0, 10.0, 15.0]), EDGES)
    assert fit is not None and fit.kind == "piecewise" and "varies" in fit.doubt


def test_an_ocr_label_off_an_otherwise_exact_scale_is_dropped_not_mapped() -> None:
    positions = np.array([100.0, 175.0, 250.0, 325.0, 400.0])
    values = np.array([0.0, 5.0, 10.0, 18.0, 20.0])  # "15" misread as "18"
    fit = fit_scale(positions, values, EDGES, values_trusted=False)
    assert fit is not None and fit.kind == "single"
    assert np.allclose(fit.values_at(np.array([100.0, 400.0])), [0.0, 20.0])


def test_rounded_labels_that_repeat_are_read_from_the_first_and_last_with_a_doubt() -> None:
    positions = np.linspace(100.0, 400.0, 6)
    fit = fit_scale(positions, np.array([0.0, 0.0, 1.0, 1.0, 1.0, 2.0]), EDGES)
    assert fit is not None and fit.kind == "rounded" and fit.doubt
    assert np.allclose(fit.values_at(np.array(EDGES)), [0.0, 2.0])


def test_labels_that_go_up_and_down_fit_no_scale() -> None:
    assert fit_scale(np.array([100.0, 200.0, 300.0]), np.array([1.0, 5.0, 2.0]), EDGES) is None


def test_an_ocr_label_misread_as_its_neighbours_value_is_left_out() -> None:
    # 100 80 60 40 20 0 with "80" read "60": the rest fit one scale exactly.
    positions = np.linspace(100.0, 400.0, 6)
    values = np.array([100.0, 60.0, 60.0, 40.0, 20.0, 0.0])
    fit = fit_scale(positions, values, EDGES, values_trusted=False)
    assert fit is not None and fit.kind == "single"
    assert np.allclose(fit.values_at(np.array(EDGES)), [100.0, 0.0])


def test_two_labels_a_decade_apart_follow_the_scale_the_ticks_show() -> None:
    positions, values = np.array([200.0, 300.0]), np.array([1.0, 10.0])
    linear = fit_scale(positions, values, EDGES)
    log = fit_scale(positions, values, EDGES, ticks_scale="log")
    assert linear is not None and linear.scale == "linear"
    assert log is not None and log.scale == "log"
    assert np.allclose(log.values_at(np.array(EDGES)), [0.1, 100.0])
