"""API fixtures beyond the shared ``service``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.conftest import ONE_WORKER, TEST_HANDLERS, Service, make_settings, start_service


@pytest.fixture
async def extracting_service(tmp_path: Path) -> AsyncIterator[Service]:
    """The app with the real ``digitize`` job kind as well as the test kinds."""
    settings = make_settings(tmp_path / "data", queue=ONE_WORKER)
    async for running in start_service(settings, ["graphq.jobs.digitize", TEST_HANDLERS]):
        yield running
