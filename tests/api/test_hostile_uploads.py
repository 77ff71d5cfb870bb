"""Hostile uploads: each answers a clear 4xx, writes nothing anywhere, and stores no batch."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import httpx
import pytest

from tests.api.helpers import assert_problem, graph_png, image_rows, meta, stored_files, upload
from tests.conftest import Service


def png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def bomb_png(width: int = 30_000, height: int = 30_000) -> bytes:
    """A valid PNG header and a few bytes of data that would inflate to 900 megapixels."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    data = zlib.compress(b"\x00" * 4096, 9)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", data)
        + png_chunk(b"IEND", b"")
    )


SVG_WITH_SCRIPT = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="100" height="100">'
    b"<script>alert(document.cookie)</script><rect width='100' height='100'/></svg>"
)
PNG_HEADER_ON_GARBAGE = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8


@pytest.mark.parametrize(
    ("content", "status", "code"),
    [
        (bomb_png(), 413, "IMAGE_TOO_LARGE"),
        (SVG_WITH_SCRIPT, 400, "INVALID_IMAGE"),
        (PNG_HEADER_ON_GARBAGE, 400, "INVALID_IMAGE"),
        (b"", 400, "INVALID_IMAGE"),
    ],
    ids=["decompression-bomb", "svg-with-script", "png-header-on-garbage", "zero-bytes"],
)
async def test_a_hostile_file_beside_a_good_one_is_refused_and_nothing_is_stored(
    service: Service, content: bytes, status: int, code: str
) -> None:
    product = await service.create_product()
    response = await upload(
        service,
        product["id"],
        [("good.png", graph_png()), ("hostile.png", content)],
        [meta(), meta()],
    )
    problem = assert_problem(response, status, code)
    assert problem["errors"] == {"index": 1, "filename": "hostile.png"}
    assert await image_rows(service) == 0
    assert stored_files(service) == []


async def test_a_traversal_filename_is_only_metadata(service: Service, tmp_path: Path) -> None:
    product = await service.create_product()
    response = await upload(
        service, product["id"], [("../../etc/passwd.png", graph_png())], [meta()]
    )
    assert response.status_code == 201, response.text
    image = response.json()["images"][0]
    assert "/" not in image["filename"] and ".." not in image["filename"]
    data_dir = service.rt.settings.data_dir.resolve()
    (stored,) = stored_files(service)
    assert stored.resolve().is_relative_to(data_dir)
    assert stored.name != "passwd.png"
    assert not (data_dir.parent.parent / "etc" / "passwd.png").exists()


async def test_a_thousand_tiny_parts_are_refused_without_storing_anything(
    service: Service,
) -> None:
    product = await service.create_product()
    parts = [("files", (f"{i}.png", b"x", "image/png")) for i in range(1000)]
    response = await service.client.post(f"/api/product/{product['id']}/images", files=parts)
    assert 400 <= response.status_code < 500, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert await image_rows(service) == 0
    assert stored_files(service) == []


async def test_a_body_that_is_not_multipart_at_all_is_refused(service: Service) -> None:
    product = await service.create_product()
    response = await service.client.post(
        f"/api/product/{product['id']}/images",
        content=b"--boundary\r\ngarbage",
        headers={"content-type": "multipart/form-data; boundary=boundary"},
    )
    assert isinstance(response, httpx.Response)
    assert 400 <= response.status_code < 500, response.text
    assert stored_files(service) == []
