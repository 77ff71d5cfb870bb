"""Loading uploaded graph images safely.

The bytes decide the type: a magic number picks the format, the header is read for the
dimensions and checked against the limits before any pixel is decoded (a 40 kB PNG can claim
30000 × 30000 pixels), and only then is the image fully decoded, so a truncated file fails
here rather than deep inside the digitizer.
"""

from __future__ import annotations

import io
import warnings

import msgspec
import numpy as np
from PIL import Image

from graphq.errors import GraphqError

MAX_IMAGE_BYTES = 20 * 2**20
MAX_IMAGE_PIXELS = 40_000_000

# (magic prefix, PIL format name, MIME type)
_SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG", "image/png"),
    (b"\xff\xd8\xff", "JPEG", "image/jpeg"),
    (b"GIF87a", "GIF", "image/gif"),
    (b"GIF89a", "GIF", "image/gif"),
    (b"II*\x00", "TIFF", "image/tiff"),
    (b"MM\x00*", "TIFF", "image/tiff"),
    (b"BM", "BMP", "image/bmp"),
)


class ImageInfo(msgspec.Struct, frozen=True):
    """What the header says, before any pixel is decoded."""

    format: str
    mime_type: str
    width: int
    height: int


class LoadedImage(msgspec.Struct, frozen=True):
    """A fully decoded image as RGB uint8, H × W × 3."""

    pixels: np.ndarray
    width: int
    height: int
    format: str
    mime_type: str


def _invalid(message: str) -> GraphqError:
    return GraphqError("INVALID_IMAGE", message)


def _too_large(message: str) -> GraphqError:
    """A file over a size or pixel limit: not broken, but refused all the same."""
    return GraphqError("IMAGE_TOO_LARGE", message)


def _sniff_format(data: bytes) -> tuple[str, str]:
    for magic, pil_format, mime in _SIGNATURES:
        if data.startswith(magic):
            return pil_format, mime
    raise _invalid(
        "unsupported image type: the file is not PNG, JPEG, BMP, TIFF or GIF "
        "(its first bytes match none of them)"
    )


def _open_header(data: bytes, pil_format: str, max_pixels: int) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            return Image.open(io.BytesIO(data), formats=[pil_format])
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _too_large(
            f"the header claims far more pixels than the limit of {max_pixels}"
        ) from exc
    except Exception as exc:
        raise _invalid(
            f"the file starts like a {pil_format} image but its header cannot be read"
        ) from exc


# Bytes of memory decoding one pixel takes, by the header's mode: the decoded pixel, its RGB
# copy and, for 16-bit and float images, the float64 plane they are scaled through. The pixel
# limit is set for 8-bit RGB; other modes may use no more memory than that many RGB pixels.
_DECODE_BYTES_PER_PIXEL = {"1": 4, "L": 4, "P": 4, "LA": 9, "PA": 9, "RGB": 6, "RGBA": 11}
_WIDE_DECODE_BYTES_PER_PIXEL = 14  # I;16, I, F: 2-4 decoded + 8 float64 + 1 grey + 3 RGB
_RGB_DECODE_BYTES_PER_PIXEL = _DECODE_BYTES_PER_PIXEL["RGB"]


def decode_bytes_per_pixel(mode: str) -> int:
    return _DECODE_BYTES_PER_PIXEL.get(mode, _WIDE_DECODE_BYTES_PER_PIXEL)


def probe_image(
    data: bytes, *, max_bytes: int = MAX_IMAGE_BYTES, max_pixels: int = MAX_IMAGE_PIXELS
) -> ImageInfo:
    """Identify an image and check its limits from the header alone."""
    info, _ = _probe(data, max_bytes=max_bytes, max_pixels=max_pixels)
    return info


def _probe(data: bytes, *, max_bytes: int, max_pixels: int) -> tuple[ImageInfo, Image.Image]:
    if len(data) == 0:
        raise _invalid("the file is empty (0 bytes)")
    if len(data) > max_bytes:
        raise _too_large(f"the file is {len(data)} bytes; the limit is {max_bytes} bytes")
    pil_format, mime = _sniff_format(data)
    header = _open_header(data, pil_format, max_pixels)
    width, height = header.size
    if width <= 0 or height <= 0:
        raise _invalid(f"the header claims an empty image ({width} × {height} pixels)")
    if width * height > max_pixels:
        raise _too_large(
            f"the header claims {width} × {height} = {width * height} pixels; "
            f"the limit is {max_pixels}"
        )
    per_pixel = decode_bytes_per_pixel(header.mode)
    if width * height * per_pixel > max_pixels * _RGB_DECODE_BYTES_PER_PIXEL:
        raise _too_large(
            f"a {header.mode} image of {width} × {height} pixels needs "
            f"{width * height * per_pixel / 2**20:.0f} MB to decode; the limit is what "
            f"{max_pixels} 8-bit RGB pixels need "
            f"({max_pixels * _RGB_DECODE_BYTES_PER_PIXEL / 2**20:.0f} MB)"
        )
    return ImageInfo(format=pil_format, mime_type=mime, width=width, height=height), header


def load_image(
    data: bytes, *, max_bytes: int = MAX_IMAGE_BYTES, max_pixels: int = MAX_IMAGE_PIXELS
) -> LoadedImage:
    """Validate and decode an uploaded image to RGB pixels.

    Transparent areas are composited over white, as a datasheet page would show them; of an
    animated GIF or a multi-page TIFF only the first frame is read.
    """
    info, header = _probe(data, max_bytes=max_bytes, max_pixels=max_pixels)
    try:
        header.load()
        pixels = _to_rgb(header)
    except Exception as exc:
        raise _invalid(f"the {info.format} data is truncated or corrupt: {exc}") from exc
    return LoadedImage(
        pixels=pixels,
        width=info.width,
        height=info.height,
        format=info.format,
        mime_type=info.mime_type,
    )


def _to_rgb(image: Image.Image) -> np.ndarray:
    if image.mode in ("I", "I;16", "I;16B", "I;16L", "F"):
        values = np.asarray(image, dtype=np.float64)
        span = float(values.max() - values.min()) or 1.0
        grey = np.round((values - values.min()) / span * 255.0).astype(np.uint8)
        return np.repeat(grey[:, :, None], 3, axis=2)
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return np.asarray(Image.alpha_composite(white, rgba).convert("RGB"))
    return np.asarray(image.convert("RGB"))
