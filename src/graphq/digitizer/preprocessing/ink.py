"""Ink: how much darker than the paper each pixel is.

Datasheet graphs are dark marks on light paper, so every later stage works on one float
image, 0 for paper and 1 for black, normalised by the paper's own brightness (scans and JPEGs
are rarely pure white).
"""

from __future__ import annotations

import numpy as np
from scipy import ndimage

# Luma weights (ITU-R BT.601), as PIL and most scanners use.
_LUMA = np.array([0.299, 0.587, 0.114], dtype=np.float32)
# Curve ink is at least this fraction of the darkest ink within a window this wide (px).
_CURVE_INK_FRACTION = 0.45
_PEAK_WINDOW_PX = 5


def luminance(image: np.ndarray) -> np.ndarray:
    """H × W float32 luminance in 0..1 from an RGB uint8 image (or a grey one)."""
    if image.ndim == 2:
        return image.astype(np.float32) / 255.0
    return (image[:, :, :3].astype(np.float32) @ _LUMA) / 255.0


def darkness(image: np.ndarray) -> np.ndarray:
    """H × W float32 darkness 0..1 relative to the paper brightness."""
    grey = luminance(image)
    # The paper is the bright majority; a high percentile ignores specks of pure white.
    paper = float(np.percentile(grey[:: max(1, grey.shape[0] // 200), ::2], 90))
    paper = max(paper, 0.2)
    return np.clip((paper - grey) / paper, 0.0, 1.0)


def chroma(image: np.ndarray) -> np.ndarray:
    """H × W float32 colourfulness 0..1: max minus min channel."""
    if image.ndim == 2:
        return np.zeros(image.shape, dtype=np.float32)
    red, green, blue = image[:, :, 0], image[:, :, 1], image[:, :, 2]
    # On uint8 channels (max ≥ min, so no wrap-around), then scaled: a quarter the memory.
    spread = np.maximum(np.maximum(red, green), blue) - np.minimum(np.minimum(red, green), blue)
    return spread.astype(np.float32) / 255.0


def local_peak(ink: np.ndarray) -> np.ndarray:
    """Per pixel, the darkest ink in the window around it."""
    return ndimage.maximum_filter(ink, size=_PEAK_WINDOW_PX)


def curve_threshold(ink: np.ndarray, floor: float) -> np.ndarray:
    """Per-pixel curve threshold: a fraction of the darkest ink nearby, and at least ``floor``.

    Relative to the neighbourhood rather than the whole plot, so a pale yellow curve is kept
    whole beside a black one, while two black curves 2 px apart stay apart at the lighter
    pixel between them, and a dark curve's anti-aliased fringe stays out.
    """
    return np.maximum(floor, _CURVE_INK_FRACTION * local_peak(ink))
