"""API keys: hashed at rest, revocable, tracked, managed over HTTP and from the command line."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from graphq.cli import main as graphq
from graphq.config import AuthSettings
from graphq.db.database import Database
from graphq.services.keys import Principal, authenticate
from tests.conftest import TEST_HANDLERS, Service, database_bytes, make_settings, start_service


async def test_keys_are_stored_only_as_hashes(service: Service) -> None:
    created = await service.client.post("/api/keys", json={"name": "ci", "role": "operator"})
    assert created.status_code == 201
    secrets = [created.json()["secret"], await service.key("viewer"), service.admin_key]
    assert (await service.client.get("/api/queues")).status_code == 200
    stored = database_bytes(service.rt.settings)
    for secret in secrets:
        assert secret.encode() not in stored
        # Only the short display prefix is kept; the rest of the secret is nowhere.
        assert secret[10:].encode() not in stored
        assert hashlib.sha256(secret.encode()).hexdigest().encode() in stored


async def test_the_key_listing_shows_prefixes_never_secrets(service: Service) -> None:
    secret = (await service.client.post("/api/keys", json={"name": "ci"})).json()["secret"]
    listing = await service.client.get("/api/keys")
    assert listing.status_code == 200
    assert secret not in listing.text
    (key,) = [k for k in listing.json() if k["name"] == "ci"]
    assert key["role"] == "viewer"
    assert secret.startswith(key["prefix"])


async def test_a_revoked_key_gets_401(service: Service) -> None:
    created = (await service.client.post("/api/keys", json={"name": "gone"})).json()
    bearer = {"Authorization": f"Bearer {created['secret']}"}
    assert (await service.client.get("/api/queues", headers=bearer)).status_code == 200

    revoked = await service.client.delete(f"/api/keys/{created['key']['id']}")
    assert revoked.status_code == 200
    assert revoked.json()["revokedAt"] is not None

    refused = await service.client.get("/api/queues", headers=bearer)
    assert refused.status_code == 401
    assert refused.json()["code"] == "UNAUTHORIZED"


async def test_revoking_an_unknown_key_is_a_404_problem(service: Service) -> None:
    response = await service.client.delete("/api/keys/00000000-0000-0000-0000-000000000000")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_last_used_at_is_set_when_a_key_is_used(service: Service) -> None:
    created = (await service.client.post("/api/keys", json={"name": "fresh"})).json()
    assert created["key"]["lastUsedAt"] is None
    bearer = {"Authorization": f"Bearer {created['secret']}"}
    assert (await service.client.get("/api/jobs", headers=bearer)).status_code == 200
    (key,) = [k for k in (await service.client.get("/api/keys")).json() if k["name"] == "fresh"]
    assert key["lastUsedAt"] is not None
    assert key["lastUsedAt"] >= created["key"]["createdAt"]


async def test_only_admins_manage_keys(service: Service) -> None:
    operator = {"Authorization": f"Bearer {await service.key('operator')}"}
    assert (await service.client.get("/api/keys", headers=operator)).status_code == 403
    created = await service.client.post("/api/keys", json={"name": "x"}, headers=operator)
    assert created.status_code == 403


async def test_a_key_with_an_unknown_role_is_refused(service: Service) -> None:
    response = await service.client.post("/api/keys", json={"name": "x", "role": "root"})
    assert response.status_code == 400
    assert response.json()["code"] == "INVALID_REQUEST"


def _authenticate(data_dir: Path, secret: str) -> Principal | None:
    async def check() -> Principal | None:
        db = Database(f"sqlite+aiosqlite:///{data_dir / 'graphq.db'}")
        try:
            return await authenticate(db, secret)
        finally:
            await db.dispose()

    return asyncio.run(check())


def test_the_keys_command_creates_lists_and_revokes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    data = ["--data-dir", str(tmp_path / "data")]
    assert graphq(["keys", *data, "create", "--role", "admin", "--name", "ops"]) == 0
    key_line, secret = capsys.readouterr().out.strip().splitlines()
    key_id, role, name = key_line.split("\t")
    assert (role, name) == ("admin", "ops")
    principal = _authenticate(tmp_path / "data", secret)
    assert principal is not None and principal.role == "admin"

    assert graphq(["keys", *data, "list"]) == 0
    listing = capsys.readouterr().out
    assert key_id in listing and "active" in listing and secret not in listing

    assert graphq(["keys", *data, "revoke", key_id]) == 0
    assert key_id in capsys.readouterr().out
    assert graphq(["keys", *data, "list"]) == 0
    assert "revoked" in capsys.readouterr().out
    assert _authenticate(tmp_path / "data", secret) is None


def test_revoking_an_unknown_key_from_the_command_line_fails_cleanly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert graphq(["keys", "--data-dir", str(tmp_path / "data"), "revoke", "nope"]) == 2
    assert capsys.readouterr().err.startswith("error: NOT_FOUND")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class RunningServer:
    """A ``graphq serve`` subprocess; ``stdout`` and ``stderr`` are filled in once it stops."""

    url: str
    stdout: str = ""
    stderr: str = ""


@contextmanager
def _graphq_serve(tmp_path: Path, **settings: str) -> Iterator[RunningServer]:
    """Run ``graphq serve`` on a free port in ``tmp_path`` until the block ends;
    ``settings`` become its ``GRAPHQ_*`` environment variables.

    One worker process: these tests are of HTTP and keys, and each worker imports every job
    kind's libraries, which the server waits for when it stops."""
    port = _free_port()
    env = (
        {k: v for k, v in os.environ.items() if not k.startswith("GRAPHQ_")}
        | {"GRAPHQ_QUEUE_WORKER_SLOTS": "1"}
        | settings
    )
    running = RunningServer(f"http://127.0.0.1:{port}")
    command = [sys.executable, "-m", "graphq.cli", "serve", "--data-dir", "data"]
    with (tmp_path / "stdout.txt").open("w+") as out, (tmp_path / "stderr.txt").open("w+") as err:
        server = subprocess.Popen(
            [*command, "--port", str(port)],
            cwd=tmp_path,
            env=env,
            stdout=out,
            stderr=err,
            text=True,
        )
        try:
            deadline = time.monotonic() + 60
            while not _answers(f"{running.url}/health"):
                assert server.poll() is None, "graphq serve exited early"
                assert time.monotonic() < deadline, "graphq serve not ready within 60 s"
                time.sleep(0.2)
            yield running
        finally:
            server.terminate()
            server.wait(timeout=30)
            out.seek(0)
            err.seek(0)
            running.stdout, running.stderr = out.read(), err.read()


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=1).status_code == 200
    except httpx.TransportError:
        return False


@pytest.mark.slow
def test_the_first_serve_prints_one_admin_key_and_later_starts_print_none(
    tmp_path: Path,
) -> None:
    with _graphq_serve(tmp_path) as first:
        pass
    lines = [line.strip() for line in first.stdout.splitlines()]
    announced = [i for i, line in enumerate(lines) if "first admin API key" in line]
    assert len(announced) == 1, first.stdout
    secret = lines[announced[0] + 1]
    assert secret.startswith("gq_")
    principal = _authenticate(tmp_path / "data", secret)
    assert principal is not None and principal.role == "admin"

    with _graphq_serve(tmp_path) as second:
        bearer = {"Authorization": f"Bearer {secret}"}
        assert httpx.get(f"{second.url}/api/queues", headers=bearer).status_code == 200
    assert "gq_" not in second.stdout
    assert "admin API key" not in second.stdout


@pytest.mark.slow
def test_a_real_server_never_logs_a_key(tmp_path: Path) -> None:
    """Keys in headers and in an event stream's URL, valid and not: none reach stderr."""
    with _graphq_serve(tmp_path) as server:
        secret = server_secret(tmp_path)
        bearer = {"Authorization": f"Bearer {secret}"}
        assert httpx.get(f"{server.url}/api/queues", headers=bearer).status_code == 200
        wrong = {"Authorization": f"Bearer {secret[:-2]}xx"}
        assert httpx.get(f"{server.url}/api/queues", headers=wrong).status_code == 401
        with httpx.stream("GET", f"{server.url}/api/events", params={"key": secret}) as stream:
            assert stream.status_code == 200
            next(stream.iter_lines())
        refused = httpx.get(f"{server.url}/api/events", params={"key": secret + "x"})
        assert refused.status_code == 401
    assert "Started server process" in server.stderr  # the log was captured at all
    assert secret[10:] not in server.stderr
    assert secret[10:] not in server.stdout.replace(secret, "")


def _read_until_closed(conn: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection (head and body may come
    in separate packets)."""
    received = b""
    while chunk := conn.recv(65536):
        received += chunk
    return received


def server_secret(tmp_path: Path) -> str:
    """The first-start admin key, read from the server's output so far."""
    printed = (tmp_path / "stdout.txt").read_text().split()
    return next(word for word in printed if word.startswith("gq_"))


async def test_with_auth_disabled_requests_need_no_key_and_start_up_says_so(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = make_settings(tmp_path / "data", auth={"enabled": False})
    with caplog.at_level(logging.WARNING):
        async for service in start_service(settings, [TEST_HANDLERS]):
            response = await service.client.delete(
                "/api/queue/00000000-0000-0000-0000-000000000000",
                headers={"Authorization": ""},
            )
            assert response.status_code == 404  # past auth and the admin guard
    assert any("AUTHENTICATION IS DISABLED" in r.getMessage() for r in caplog.records)


@pytest.mark.slow
def test_a_real_server_ignores_x_forwarded_for_from_clients_it_does_not_trust(
    tmp_path: Path,
) -> None:
    """Rotating X-Forwarded-For must not buy a key-guessing client a fresh allowance, and the
    address it names must not be locked out in the client's stead."""
    # One token a minute: however slow the machine, the burst is not refilled meanwhile.
    with _graphq_serve(tmp_path, GRAPHQ_AUTH_UNAUTHENTICATED_PER_MINUTE="1") as server:
        secret = server_secret(tmp_path)
        statuses = [
            httpx.get(
                f"{server.url}/api/queues",
                headers={
                    "X-Forwarded-For": f"10.0.{i // 250}.{i % 250 + 1}",
                    "Authorization": f"Bearer gq_guess{i}",
                },
            ).status_code
            for i in range(AuthSettings().unauthenticated_burst + 2)
        ]
        assert statuses[-2:] == [429, 429], statuses
        bearer = {"Authorization": f"Bearer {secret}"}
        assert httpx.get(f"{server.url}/api/queues", headers=bearer).status_code == 200


@pytest.mark.slow
def test_a_real_server_ends_a_request_whose_body_stops_arriving_with_408(tmp_path: Path) -> None:
    with _graphq_serve(tmp_path, GRAPHQ_SERVER_BODY_TIMEOUT_S="1") as server:
        secret = server_secret(tmp_path)
        host, port = server.url.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port)), timeout=30) as conn:
            head = (
                "POST /api/products HTTP/1.1\r\n"
                f"Host: {host}\r\nAuthorization: Bearer {secret}\r\n"
                "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n"
            )
            conn.sendall(head.encode() + b'{"name": "half')
            answer = _read_until_closed(conn).decode("latin-1")
    assert answer.startswith("HTTP/1.1 408"), answer
    assert "REQUEST_TIMEOUT" in answer
