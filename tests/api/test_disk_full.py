"""A full disk: writes answer 507 and store nothing, reads go on, /ready says why.

The data directory is a small tmpfs, filled up after the server has started. Mounting needs
root (or CAP_SYS_ADMIN); where that is not allowed the test is skipped and says so.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from tests.api.helpers import assert_problem, graph_png, image_rows, meta, upload
from tests.conftest import TEST_HANDLERS, Service, make_settings, start_service

TMPFS_SIZE = "16m"


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={TMPFS_SIZE}", "tmpfs", str(mount_point)],
        capture_output=True,
        text=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({mounted.stderr.strip()}); disk-full not tested")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


@pytest.fixture
async def cramped(small_disk: Path) -> AsyncIterator[Service]:
    settings = make_settings(small_disk / "data", storage={"min_free_mb": 1})
    async for running in start_service(settings, [TEST_HANDLERS]):
        yield running


def fill(disk: Path) -> list[Path]:
    """Write until the filesystem refuses, big blocks then single bytes; returns the fillers."""
    fillers = []
    for name, block in (("filler", 65536), ("crumbs", 1)):
        path = disk / name
        fd = os.open(path, os.O_WRONLY | os.O_CREAT)
        try:
            while True:
                os.write(fd, b"\0" * block)
        except OSError:
            pass
        finally:
            os.close(fd)
        fillers.append(path)
    return fillers


def staged_files(disk: Path) -> list[Path]:
    return list(disk.rglob(".tmp-*"))


async def test_a_full_disk_refuses_writes_with_507_and_keeps_reads_working(
    cramped: Service, small_disk: Path
) -> None:
    service = cramped
    product = await service.create_product()
    viewer = await service.key("viewer")
    before = await image_rows(service)
    fillers = fill(small_disk)

    response = await upload(service, product["id"], [("a.png", graph_png())], [meta()])
    assert_problem(response, 507, "INSUFFICIENT_STORAGE")
    assert await image_rows(service) == before
    assert staged_files(small_disk) == []

    reads = await service.client.get("/api/products", headers={"Authorization": f"Bearer {viewer}"})
    assert reads.status_code == 200
    ready = await service.client.get("/ready")
    assert ready.status_code == 503
    assert ready.json()["disk"] == "low"

    for filler in fillers:
        filler.unlink()
    assert (await service.client.get("/ready")).status_code == 200
    again = await upload(service, product["id"], [("a.png", graph_png())], [meta()])
    assert again.status_code == 201, again.text
