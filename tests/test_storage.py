"""The data directory: generated paths only, and no half-written file survives a restart."""

from __future__ import annotations

import os
import socket
import time
from pathlib import Path

import pytest

from graphq.storage import STAGED_PREFIX, STALE_STAGED_S, Storage
from tests.conftest import TEST_HANDLERS, make_settings, start_service


def test_paths_never_leave_the_data_directory(tmp_path: Path) -> None:
    storage = Storage(tmp_path)
    with pytest.raises(ValueError):
        storage.absolute("../outside.txt")


def test_staged_files_are_removed_and_published_ones_kept(tmp_path: Path) -> None:
    storage = Storage(tmp_path)
    published = storage.image_path("p", "i", "png")
    storage.write_atomic(published, b"png")
    orphan = storage.stage(storage.result_path("p", "j", ".csv"), b"half a csv")
    assert orphan.name.startswith(STAGED_PREFIX)
    assert storage.remove_staged() == 1
    assert not orphan.exists()
    assert published.read_bytes() == b"png"


def test_files_other_running_servers_stage_in_a_shared_directory_are_kept(
    tmp_path: Path,
) -> None:
    storage = Storage(tmp_path)
    folder = storage.image_path("p", "i", "png").parent
    folder.mkdir(parents=True)
    here = socket.gethostname()
    running_here = folder / f"{STAGED_PREFIX}1@{here}@a"  # pid 1 runs on every machine
    elsewhere = folder / f"{STAGED_PREFIX}4242@another-machine@b"
    stale_elsewhere = folder / f"{STAGED_PREFIX}4242@another-machine@c"
    for path in (running_here, elsewhere, stale_elsewhere):
        path.write_bytes(b"half a file")
    long_ago = time.time() - STALE_STAGED_S - 60
    os.utime(stale_elsewhere, (long_ago, long_ago))
    assert storage.remove_staged() == 1
    assert running_here.exists() and elsewhere.exists() and not stale_elsewhere.exists()


async def test_the_server_removes_what_a_crash_left_staged_when_it_starts(tmp_path: Path) -> None:
    settings = make_settings(tmp_path / "data")
    storage = Storage(settings.data_dir)
    orphan = storage.stage(storage.image_path("p", "i", "png"), b"half an upload")
    async for _running in start_service(settings, [TEST_HANDLERS]):
        assert not orphan.exists()
