"""Errors carry codes; the API chooses the HTTP status from the code, in one table."""

from __future__ import annotations

import ast
import pickle
from collections.abc import Callable
from pathlib import Path

import pytest
from litestar import Litestar, get
from litestar.testing import TestClient

import graphq
from graphq.api.problems import EXCEPTION_HANDLERS, STATUS_BY_CODE, status_of
from graphq.datasheet.probe import probe_pdf
from graphq.digitizer import load_image
from graphq.errors import GraphqError

SOURCE = Path(graphq.__file__).parent


def _raised_codes() -> set[str]:
    """Every code written as a literal in a ``GraphqError(...)`` anywhere in the source."""
    codes = set()
    for path in SOURCE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "GraphqError"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                codes.add(node.args[0].value)
    return codes


def test_every_code_raised_in_the_source_has_a_status() -> None:
    codes = _raised_codes()
    assert {"INVALID_IMAGE", "NO_CURVES_FOUND", "MODEL_REJECTED", "NOT_FOUND"} <= codes
    assert codes - STATUS_BY_CODE.keys() == set()


def test_an_error_carries_no_http_status_and_crosses_processes_whole() -> None:
    error = GraphqError("NO_CURVES_FOUND", "nothing traced", detail={"index": 2})
    assert not hasattr(error, "status")
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.code, copy.message, copy.detail) == (
        "NO_CURVES_FOUND",
        "nothing traced",
        {"index": 2},
    )


def _refusal(call: Callable[[], object]) -> GraphqError:
    with pytest.raises(GraphqError) as caught:
        call()
    return caught.value


@pytest.mark.parametrize(
    ("make_error", "status"),
    [
        # Raised by the libraries themselves, as they are when a route calls them.
        (lambda: _refusal(lambda: load_image(b"GIF89a" + b"\0" * 64, max_bytes=10)), 413),
        (lambda: _refusal(lambda: load_image(b"not an image at all")), 400),
        (lambda: _refusal(lambda: probe_pdf(b"%PDF-1.7\n" * 4, max_bytes=10, max_pages=1)), 413),
        (lambda: GraphqError("NO_CURVES_FOUND", "no curve pixels inside the frame"), 422),
        (lambda: GraphqError("LLM_NOT_CONFIGURED", "no endpoint"), 501),
        (lambda: GraphqError("OCR_UNAVAILABLE", "tesseract is not installed"), 503),
        (lambda: GraphqError("SOMETHING_NEW", "a code nobody mapped"), 500),
    ],
    ids=[
        "image-too-large",
        "invalid-image",
        "pdf-too-large",
        "no-curves",
        "llm",
        "ocr",
        "unmapped",
    ],
)
def test_an_error_reaching_a_request_answers_with_the_status_of_its_code(
    make_error: Callable[[], GraphqError], status: int
) -> None:
    error = make_error()

    @get("/fail", sync_to_thread=False)
    def fail() -> None:
        raise error

    app = Litestar(route_handlers=[fail], exception_handlers=EXCEPTION_HANDLERS)
    with TestClient(app) as client:
        response = client.get("/fail")
    assert response.status_code == status == status_of(error.code)
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert (body["status"], body["code"], body["detail"]) == (status, error.code, error.message)
