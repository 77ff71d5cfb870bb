"""Ink: darkness relative to the paper, colourfulness, and the per-pixel curve threshold."""

import numpy as np
import pytest

from graphq.digitizer.preprocessing.ink import (
    chroma,
    curve_threshold,
    darkness,
    local_peak,
    luminance,
)


def test_luminance_weighs_green_most_and_blue_least_as_the_eye_does() -> None:
    image = np.zeros((1, 3, 3), dtype=np.uint8)
    image[0, 0] = (255, 0, 0)
    image[0, 1] = (0, 255, 0)
    image[0, 2] = (0, 0, 255)
    np.testing.assert_allclose(luminance(image)[0], [0.299, 0.587, 0.114], atol=1e-6)


def test_a_grey_image_is_its_own_luminance_scaled_to_one() -> None:
    grey = np.array([[0, 51, 255]], dtype=np.uint8)
    np.testing.assert_allclose(luminance(grey), [[0.0, 0.2, 1.0]], atol=1e-6)


def test_an_alpha_channel_is_ignored_by_luminance() -> None:
    rgba = np.array([[[255, 255, 255, 0], [0, 0, 0, 255]]], dtype=np.uint8)
    np.testing.assert_allclose(luminance(rgba), [[1.0, 0.0]], atol=1e-6)


def test_darkness_is_measured_from_the_paper_so_a_grey_scan_reads_as_clean_paper() -> None:
    # Greyish paper (200) with a black line and a mid-grey line across it.
    image = np.full((40, 40), 200, dtype=np.uint8)
    image[10] = 0
    image[20] = 100
    ink = darkness(image)
    assert ink.dtype == np.float32
    np.testing.assert_allclose(ink[30], 0.0, atol=1e-6)
    np.testing.assert_allclose(ink[10], 1.0, atol=1e-6)
    np.testing.assert_allclose(ink[20], 0.5, atol=1e-6)


def test_a_few_specks_of_pure_white_are_not_taken_for_the_paper() -> None:
    image = np.full((40, 40), 200, dtype=np.uint8)
    image[::8, ::8] = 255
    np.testing.assert_allclose(darkness(image)[1], 0.0, atol=1e-6)


def test_a_plot_mostly_covered_in_ink_still_finds_its_paper() -> None:
    image = np.full((40, 40), 100, dtype=np.uint8)
    image[::3] = 220  # paper shows between dense hatching in a third of the rows
    np.testing.assert_allclose(darkness(image)[0], 0.0, atol=1e-6)
    np.testing.assert_allclose(darkness(image)[1], 1.0 - 100 / 220, atol=1e-6)


def test_specks_brighter_than_the_paper_are_no_negative_ink() -> None:
    image = np.full((40, 40), 200, dtype=np.uint8)
    image[5, 5] = 255
    assert darkness(image).min() == 0.0


def test_a_dark_image_is_read_as_ink_rather_than_as_a_dark_paper() -> None:
    # The paper is taken as no darker than 0.2 luminance, so a black image does not divide by
    # nothing and a near-black one does not become blank paper.
    image = np.full((20, 20), 10, dtype=np.uint8)
    image[0, 0] = 0
    ink = darkness(image)
    assert ink[0, 0] == 1.0
    np.testing.assert_allclose(ink[1:], 1.0 - (10 / 255) / 0.2, atol=1e-6)
    np.testing.assert_array_equal(darkness(np.zeros((4, 4), dtype=np.uint8)), 1.0)


def test_chroma_is_zero_for_grey_and_the_channel_spread_for_a_colour() -> None:
    image = np.array([[[128, 128, 128], [255, 0, 0], [200, 150, 100]]], dtype=np.uint8)
    np.testing.assert_allclose(chroma(image)[0], [0.0, 1.0, 100 / 255], atol=1e-6)


def test_a_grey_image_has_no_chroma() -> None:
    grey = np.array([[0, 128, 255]], dtype=np.uint8)
    np.testing.assert_array_equal(chroma(grey), np.zeros((1, 3), dtype=np.float32))


def test_the_local_peak_is_the_darkest_ink_within_two_pixels() -> None:
    ink = np.zeros((1, 9), dtype=np.float32)
    ink[0, 4] = 0.8
    np.testing.assert_allclose(local_peak(ink)[0], [0, 0, 0.8, 0.8, 0.8, 0.8, 0.8, 0, 0])


def test_the_curve_threshold_keeps_a_pale_curve_whole_away_from_a_black_one() -> None:
    ink = np.zeros((1, 30), dtype=np.float32)
    ink[0, 3] = 1.0  # a black curve
    ink[0, 20] = 0.2  # a pale one, far from it
    threshold = curve_threshold(ink, floor=0.05)
    assert ink[0, 20] > threshold[0, 20]
    assert threshold[0, 20] == pytest.approx(0.45 * 0.2)


def test_the_curve_threshold_drops_a_dark_curves_faint_fringe() -> None:
    ink = np.zeros((1, 10), dtype=np.float32)
    ink[0, 4] = 1.0
    ink[0, 5] = 0.3  # anti-aliased fringe beside it
    threshold = curve_threshold(ink, floor=0.05)
    assert ink[0, 4] > threshold[0, 4]
    assert ink[0, 5] <= threshold[0, 5]


def test_the_curve_threshold_never_falls_below_its_floor_on_blank_paper() -> None:
    ink = np.zeros((5, 5), dtype=np.float32)
    np.testing.assert_allclose(curve_threshold(ink, floor=0.1), np.full((5, 5), 0.1), rtol=1e-6)
