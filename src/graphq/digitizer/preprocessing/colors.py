"""Curve colours: parsing ``#rrggbb`` and masking the pixels near a colour."""

from __future__ import annotations

import numpy as np

from graphq.errors import GraphqError

# Euclidean RGB distance (0..441) within which a pixel counts as the requested colour;
# wide enough for anti-aliased edges and JPEG chroma smear.
_COLOUR_DISTANCE = 90.0


def parse_colour(colour: str) -> tuple[int, int, int]:
    text = colour.strip().lstrip("#")
    if len(text) == 3:
        text = "".join(c * 2 for c in text)
    try:
        if len(text) != 6:
            raise ValueError(colour)
        return int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16)
    except ValueError as exc:
        raise GraphqError("INVALID_PARAMETERS", f"colour {colour!r} is not #rrggbb") from exc


def colour_mask(image: np.ndarray, colour: str) -> np.ndarray:
    """Pixels within the colour distance of ``colour``."""
    target = np.array(parse_colour(colour), dtype=np.float32)
    distance = np.linalg.norm(image[:, :, :3].astype(np.float32) - target, axis=2)
    return distance <= _COLOUR_DISTANCE


def colour_ink(image: np.ndarray, colour: str) -> np.ndarray:
    """Ink 0..1 of one colour: 1 at the colour, falling to 0 at the colour distance."""
    target = np.array(parse_colour(colour), dtype=np.float32)
    distance = np.linalg.norm(image[:, :, :3].astype(np.float32) - target, axis=2)
    return np.clip(1.0 - distance / _COLOUR_DISTANCE, 0.0, 1.0)
