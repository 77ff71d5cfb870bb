"""The checks every workbench form post passes: here, the per-key rate limit."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.conftest import TEST_HANDLERS
from tests.web.conftest import Web, start_web

BURST = 2


@pytest.fixture
async def limited_web(tmp_path: Path) -> AsyncIterator[Web]:
    auth = {"rate_limit_per_minute": 1, "rate_limit_burst": BURST}
    async for running in start_web(tmp_path / "data", [TEST_HANDLERS], auth=auth):
        yield running


async def test_a_form_post_beyond_the_burst_is_refused_and_logged_like_the_apis(
    limited_web: Web, caplog: pytest.LogCaptureFixture
) -> None:
    web = limited_web
    await web.sign_in("operator")
    answers = [
        (await web.post_form("/products", {"name": f"P{i}", "part_number": f"P-{i}"})).status_code
        for i in range(BURST + 1)
    ]
    assert answers == [303] * BURST + [429]
    (refusal,) = [
        r for r in caplog.records if getattr(r, "fields", {}).get("event") == "http.rate_limited"
    ]
    assert refusal.levelname == "WARNING" and "429" in refusal.getMessage()
    assert sorted(refusal.fields) == ["event", "key_id", "retry_after_s"]
    assert web.keys["operator"] not in caplog.text
