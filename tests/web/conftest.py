"""Web fixtures: the real app over HTTPS (so the Secure session cookie flows) and sign-in."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest
from litestar.testing import AsyncTestClient

from graphq.app import create_app
from graphq.runtime import build_runtime
from tests.conftest import ONE_WORKER, TEST_HANDLERS, make_key, make_settings, migrate

CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@dataclass
class Web:
    """A browser-like client (cookies, no Authorization header) and keys of every role."""

    client: AsyncTestClient[Any]
    keys: dict[str, str]

    def api(self, role: str = "admin") -> dict[str, str]:
        """Headers for a call to the JSON API as a script would make it."""
        return {"Authorization": f"Bearer {self.keys[role]}"}

    async def sign_in(self, role: str) -> None:
        page = await self.client.get("/login")
        response = await self.client.post(
            "/login", data={"key": self.keys[role], "csrf": csrf_of(page.text)}
        )
        assert response.status_code == 303, response.text

    async def csrf(self, path: str = "/products") -> str:
        return csrf_of((await self.client.get(path)).text)

    async def post_form(self, path: str, data: dict[str, Any], **kwargs: Any) -> httpx.Response:
        return await self.client.post(path, data={"csrf": await self.csrf(), **data}, **kwargs)


def csrf_of(html: str) -> str:
    found = CSRF.search(html)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


async def start_web(
    data_dir: Path, handler_modules: list[str], **sections: dict[str, Any]
) -> AsyncIterator[Web]:
    settings = make_settings(data_dir, **sections)
    await anyio.to_thread.run_sync(migrate, settings)
    keys = {role: await make_key(settings, role) for role in ("viewer", "operator", "admin")}
    rt = build_runtime(settings, handler_modules=handler_modules)
    app = create_app(settings, runtime=rt)
    async with AsyncTestClient(app, base_url="https://testserver.local") as client:
        # Like a test of a browser's view: each redirect is a step the test looks at.
        client.follow_redirects = False
        yield Web(client, keys)


@pytest.fixture
async def web(tmp_path: Path) -> AsyncIterator[Web]:
    """The app with the queue-exercising job kinds only (fast to start)."""
    async for running in start_web(tmp_path / "data", [TEST_HANDLERS]):
        yield running


@pytest.fixture
async def digitizing_web(tmp_path: Path) -> AsyncIterator[Web]:
    """The app with the real ``digitize`` job kind as well."""
    modules = ["graphq.jobs.digitize", TEST_HANDLERS]
    async for running in start_web(tmp_path / "data", modules, queue=ONE_WORKER):
        yield running


@pytest.fixture
async def fitting_web(tmp_path: Path) -> AsyncIterator[Web]:
    """The app with the real ``spice_fit`` job kind as well."""
    modules = ["graphq.jobs.spice_fit", TEST_HANDLERS]
    async for running in start_web(tmp_path / "data", modules, queue=ONE_WORKER):
        yield running
