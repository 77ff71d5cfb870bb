import io
import struct
import zlib

import numpy as np
import pytest
from PIL import Image

from graphq.digitizer import load_image, probe_image
from graphq.errors import GraphqError


def _encode(pixels: np.ndarray, fmt: str) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, fmt)
    return buffer.getvalue()


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def _png_header_only(width: int, height: int) -> bytes:
    """A valid PNG header claiming ``width`` × ``height`` with almost no pixel data."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", ihdr)
        + _chunk(b"IDAT", zlib.compress(b"\x00" * 1024))
        + _chunk(b"IEND", b"")
    )


def _reject(data: bytes, code: str = "INVALID_IMAGE", **limits: int) -> GraphqError:
    with pytest.raises(GraphqError) as caught:
        load_image(data, **limits)
    assert caught.value.code == code
    return caught.value


@pytest.mark.parametrize(
    ("fmt", "mime"),
    [
        ("PNG", "image/png"),
        ("JPEG", "image/jpeg"),
        ("BMP", "image/bmp"),
        ("TIFF", "image/tiff"),
        ("GIF", "image/gif"),
    ],
)
def test_every_supported_format_decodes_to_rgb(fmt: str, mime: str) -> None:
    pixels = np.full((30, 40, 3), 200, dtype=np.uint8)
    loaded = load_image(_encode(pixels, fmt))
    assert loaded.pixels.shape == (30, 40, 3)
    assert loaded.pixels.dtype == np.uint8
    assert (loaded.width, loaded.height, loaded.mime_type) == (40, 30, mime)


def test_transparent_png_is_composited_on_white() -> None:
    rgba = np.zeros((10, 10, 4), dtype=np.uint8)
    loaded = load_image(_encode(rgba, "PNG"))
    assert loaded.pixels.min() == 255


def test_zero_bytes_are_rejected_as_empty() -> None:
    assert "empty" in _reject(b"").message


def test_svg_text_is_not_an_image() -> None:
    assert "unsupported" in _reject(b'<svg xmlns="http://www.w3.org/2000/svg"></svg>').message


def test_png_signature_on_garbage_is_rejected() -> None:
    _reject(b"\x89PNG\r\n\x1a\n" + b"garbage" * 20)


def test_truncated_png_is_rejected_after_a_good_header() -> None:
    noise = np.random.default_rng(0).integers(0, 255, (200, 200, 3), dtype=np.uint8)
    data = _encode(noise, "PNG")
    error = _reject(data[: len(data) // 2])
    assert "truncated" in error.message


def test_decompression_bomb_header_is_rejected_before_decoding() -> None:
    data = _png_header_only(30000, 30000)
    error = _reject(data, "IMAGE_TOO_LARGE")
    assert "limit" in error.message


def test_byte_limit_is_checked_first() -> None:
    data = _encode(np.zeros((50, 50, 3), dtype=np.uint8), "PNG")
    _reject(data, "IMAGE_TOO_LARGE", max_bytes=10)


def test_probe_reads_dimensions_without_decoding() -> None:
    info = probe_image(_png_header_only(1200, 800))
    assert (info.format, info.width, info.height) == ("PNG", 1200, 800)


def test_a_16_bit_image_is_limited_by_the_memory_its_decoding_needs() -> None:
    """4 MP of 16-bit grey decode like 9 MP of RGB: refused under a 5 MP limit, though
    4 MP of 8-bit RGB pass."""
    wide = io.BytesIO()
    Image.new("I;16", (2000, 2000)).save(wide, format="PNG")
    with pytest.raises(GraphqError) as error:
        probe_image(wide.getvalue(), max_pixels=5_000_000)
    assert error.value.code == "IMAGE_TOO_LARGE"
    assert "MB to decode" in error.value.message
    narrow = io.BytesIO()
    Image.new("RGB", (2000, 2000), "white").save(narrow, format="PNG")
    assert probe_image(narrow.getvalue(), max_pixels=5_000_000).width == 2000
