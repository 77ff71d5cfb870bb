"""The data directory: generated paths only, and no half-written file survives a restart."""

from __future__ import annotations

from pathlib import Path

import pytest

from graphq.storage import STAGED_PREFIX, Storage
from tests.conftest import make_settings, start_service


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


async def test_the_server_removes_what_a_crash_left_staged_when_it_starts(tmp_path: Path) -> None:
    settings = make_settings(tmp_path / "data")
    storage = Storage(settings.data_dir)
    orphan = storage.stage(storage.image_path("p", "i", "png"), b"half an upload")
    async for _running in start_service(settings, None):
        assert not orphan.exists()
