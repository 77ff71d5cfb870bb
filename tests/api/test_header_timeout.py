"""A request whose headers stop arriving is answered 408 and its connection closed, on a real
``graphq serve`` and on both of uvicorn's HTTP protocols; a request whose headers are in is
never cut by that deadline."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from websockets.sync.client import connect

from graphq.api.header_timeout import with_header_deadline
from tests.queue.test_crash_recovery import (
    free_port,
    graphq,
    kill_group,
    server_env,
    wait_until_healthy,
)

HEADER_TIMEOUT_S = 1.0
# Far beyond the deadline: a connection still open this long was not cut.
READ_LIMIT_S = 15.0
HALF_A_REQUEST = b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: slow"
WHOLE_REQUEST = b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"


def read_until_closed(sock: socket.socket) -> bytes:
    """Everything the server sends until it closes; fails if it is still open after
    ``READ_LIMIT_S``."""
    sock.settimeout(READ_LIMIT_S)
    received = b""
    while chunk := sock.recv(65536):
        received += chunk
    return received


def read_one_response(sock: socket.socket) -> bytes:
    """One whole response with a Content-Length body, leaving the connection open."""
    sock.settimeout(READ_LIMIT_S)
    received = b""
    while b"\r\n\r\n" not in received:
        received += sock.recv(65536)
    head, _, body = received.partition(b"\r\n\r\n")
    length = next(
        int(line.split(b":", 1)[1])
        for line in head.split(b"\r\n")
        if line.lower().startswith(b"content-length:")
    )
    while len(body) < length:
        body += sock.recv(65536)
    return head + b"\r\n\r\n" + body


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    data_dir = tmp_path_factory.mktemp("data")
    port = free_port()
    # One worker: its subject is HTTP, and each worker imports every job kind's libraries.
    env = server_env(data_dir, port) | {
        "GRAPHQ_SERVER_HEADER_TIMEOUT_S": str(HEADER_TIMEOUT_S),
        "GRAPHQ_QUEUE_WORKER_SLOTS": "1",
    }
    server = graphq("serve", env=env, log=data_dir / "server.log")
    try:
        wait_until_healthy(f"http://127.0.0.1:{port}", server, timeout_s=60)
        yield "127.0.0.1", port
    finally:
        kill_group(server)


def test_half_sent_headers_are_answered_408_and_the_connection_closed(
    served: tuple[str, int],
) -> None:
    with socket.create_connection(served) as sock:
        sock.sendall(HALF_A_REQUEST)
        answer = read_until_closed(sock)
    assert answer.startswith(b"HTTP/1.1 408 "), answer
    assert b"application/problem+json" in answer
    assert b'"code":"REQUEST_TIMEOUT"' in answer


def test_a_connection_that_sends_nothing_is_closed(served: tuple[str, int]) -> None:
    with socket.create_connection(served) as sock:
        assert read_until_closed(sock).startswith(b"HTTP/1.1 408 ")


def test_a_kept_alive_connection_has_the_same_deadline_for_its_next_request(
    served: tuple[str, int],
) -> None:
    with socket.create_connection(served) as sock:
        sock.sendall(WHOLE_REQUEST)
        assert read_one_response(sock).startswith(b"HTTP/1.1 200 ")
        sock.sendall(HALF_A_REQUEST)
        assert read_until_closed(sock).startswith(b"HTTP/1.1 408 ")


async def slow_app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """Answers after twice the header deadline: a handler may take as long as it needs; a
    WebSocket is echoed, however long it stays quiet."""
    if scope["type"] == "websocket":
        await receive()  # websocket.connect
        await send({"type": "websocket.accept"})
        while (message := await receive())["type"] == "websocket.receive":
            await send({"type": "websocket.send", "text": message["text"]})
        return
    if scope["type"] != "http":
        return
    await asyncio.sleep(2 * HEADER_TIMEOUT_S)
    headers = [(b"content-length", b"2")]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": b"ok"})


@pytest.fixture(params=[H11Protocol, HttpToolsProtocol], ids=["h11", "httptools"])
def slow_server(request: pytest.FixtureRequest) -> Iterator[tuple[str, int]]:
    port = free_port()
    config = uvicorn.Config(
        slow_app,
        host="127.0.0.1",
        port=port,
        http=with_header_deadline(request.param, HEADER_TIMEOUT_S),
        lifespan="off",
        log_config=None,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run)
    thread.start()
    try:
        while not server.started:
            assert thread.is_alive(), "the server did not start"
            threading.Event().wait(0.05)
        yield "127.0.0.1", port
    finally:
        server.should_exit = True
        thread.join(timeout=30)


def test_each_protocol_answers_half_sent_headers_with_408(slow_server: tuple[str, int]) -> None:
    with socket.create_connection(slow_server) as sock:
        sock.sendall(HALF_A_REQUEST)
        assert read_until_closed(sock).startswith(b"HTTP/1.1 408 ")


def test_a_request_whose_headers_are_in_is_not_cut_by_the_deadline(
    slow_server: tuple[str, int],
) -> None:
    with socket.create_connection(slow_server) as sock:
        sock.sendall(WHOLE_REQUEST)
        answer = read_one_response(sock)
    assert answer.startswith(b"HTTP/1.1 200 ")
    assert answer.endswith(b"ok")


def test_a_websocket_outlives_the_header_deadline(slow_server: tuple[str, int]) -> None:
    host, port = slow_server
    with connect(f"ws://{host}:{port}/", open_timeout=READ_LIMIT_S) as websocket:
        time.sleep(2 * HEADER_TIMEOUT_S)
        websocket.send("still here")
        assert websocket.recv(timeout=READ_LIMIT_S) == "still here"
