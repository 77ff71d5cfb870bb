"""Curve colours: ``#rrggbb`` parsed or refused, and the pixels near a colour masked."""

import numpy as np
import pytest

from graphq.digitizer.preprocessing.colors import colour_ink, colour_mask, parse_colour
from graphq.errors import GraphqError


def test_a_six_digit_hex_colour_is_read_as_its_three_channels() -> None:
    assert parse_colour("#1e90FF") == (0x1E, 0x90, 0xFF)


def test_a_three_digit_hex_colour_doubles_each_digit() -> None:
    assert parse_colour("#f80") == (0xFF, 0x88, 0x00)


def test_the_hash_and_surrounding_spaces_are_optional() -> None:
    assert parse_colour("  00ff00 ") == (0, 255, 0)


@pytest.mark.parametrize("colour", ["red", "#12345", "#1234567", "#gg0000", ""])
def test_a_colour_that_is_not_rrggbb_is_refused_as_invalid_parameters(colour: str) -> None:
    with pytest.raises(GraphqError) as raised:
        parse_colour(colour)
    assert raised.value.code == "INVALID_PARAMETERS"


def _swatches() -> np.ndarray:
    """One row: the red itself, an anti-aliased red, a dark red, white, blue, black."""
    return np.array(
        [[[200, 30, 30], [220, 60, 60], [140, 20, 20], [255, 255, 255], [30, 30, 200], [0, 0, 0]]],
        dtype=np.uint8,
    )


def test_the_colour_mask_holds_the_colour_and_its_near_shades_only() -> None:
    mask = colour_mask(_swatches(), "#c81e1e")
    np.testing.assert_array_equal(mask[0], [True, True, True, False, False, False])


def test_colour_ink_is_full_at_the_colour_and_fades_with_distance() -> None:
    ink = colour_ink(_swatches(), "#c81e1e")[0]
    assert ink[0] == 1.0
    assert 0.0 < ink[1] < 1.0
    np.testing.assert_array_equal(ink[3:], [0.0, 0.0, 0.0])


def test_colour_ink_is_zero_exactly_where_the_mask_ends() -> None:
    image = np.zeros((1, 256, 3), dtype=np.uint8)
    image[0, :, 0] = np.arange(256)  # black to red along the row
    mask = colour_mask(image, "#000000")
    ink = colour_ink(image, "#000000")
    assert mask[0, 90] and not mask[0, 91]
    assert ink[0, 89] > 0.0
    np.testing.assert_array_equal(ink[0, 90:], 0.0)


def test_an_alpha_channel_does_not_move_a_pixel_away_from_its_colour() -> None:
    rgba = np.array([[[30, 30, 200, 0]]], dtype=np.uint8)
    assert colour_mask(rgba, "#1e1ec8")[0, 0]
    assert colour_ink(rgba, "#1e1ec8")[0, 0] == 1.0
