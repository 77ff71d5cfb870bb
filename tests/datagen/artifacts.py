"""What printing, scanning and compression do to a clean render.

All of it is symmetric about each pixel (uniform tint, Gaussian blur, zero-mean noise), so
the exact pixel geometry of the truth survives.
"""

from __future__ import annotations

import io
from typing import Any

import numpy as np
from PIL import Image
from scipy import ndimage


def degrade(pixels: np.ndarray, style: dict[str, Any], rng: np.random.Generator) -> np.ndarray:
    """Greyish paper, scanner blur and sensor noise, as the style asks."""
    image = pixels.astype(np.float32)
    if style["background_grey"] < 255:
        image *= style["background_grey"] / 255.0
    if style["blur_sigma_px"] > 0:
        image = ndimage.gaussian_filter(image, sigma=(style["blur_sigma_px"],) * 2 + (0,))
    if style["noise_sigma"] > 0:
        luminance_noise = rng.normal(0.0, style["noise_sigma"], size=image.shape[:2])
        image += luminance_noise[..., None]
    return np.clip(np.rint(image), 0, 255).astype(np.uint8)


def encode(pixels: np.ndarray, style: dict[str, Any]) -> bytes:
    buffer = io.BytesIO()
    picture = Image.fromarray(pixels)
    if style["format"] == "jpeg":
        picture.save(buffer, format="JPEG", quality=style["jpeg_quality"])
    else:
        picture.save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue()


def decode(data: bytes) -> np.ndarray:
    with Image.open(io.BytesIO(data)) as picture:
        return np.asarray(picture.convert("RGB"))
