"""RFC 9457 problem documents: the one place where errors become HTTP responses.

Errors carry a stable code and nothing of HTTP; :data:`STATUS_BY_CODE` says which status
each code answers with.
"""

from __future__ import annotations

import errno
import logging
from typing import Any

from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR
from sqlalchemy.exc import DBAPIError

from graphq.errors import GraphqError

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"

# Every code a GraphqError is raised with, and the status it answers with when it reaches a
# request. Codes that only end a job (CANCELLED, TIMEOUT, …) are here too: /api/extract runs
# the digitizer while the client waits.
STATUS_BY_CODE: dict[str, int] = {
    # The request itself is malformed.
    "INVALID_REQUEST": 400,
    "INVALID_CURSOR": 400,
    "UNKNOWN_PARAMETER": 400,
    "UNKNOWN_JOB_KIND": 400,
    "MALFORMED_METADATA": 400,
    "NO_FILES": 400,
    "INVALID_IMAGE": 400,
    "INVALID_PDF": 400,
    "NOT_FOUND": 404,
    "REQUEST_TIMEOUT": 408,
    # Well formed, but the state of what it names forbids it.
    "ALREADY_REPROCESSED": 409,
    "DEFAULT_QUEUE_FIXED": 409,
    "DUPLICATE_PART_NUMBER": 409,
    "DUPLICATE_QUEUE": 409,
    "JOB_FINISHED": 409,
    "JOB_NOT_DEAD": 409,
    "JOB_NOT_RETRYABLE": 409,
    "JOB_NOT_WAITING": 409,
    "MISSING_CURVES": 409,
    "MULTIPLE_RESULTS": 409,
    "OWN_KEY": 409,
    "QUEUE_NOT_EMPTY": 409,
    "QUEUE_NOT_MANUAL": 409,
    "QUEUE_STOPPED": 409,
    "SUPERSEDED_RESULT": 409,
    "IMAGE_TOO_LARGE": 413,
    "PDF_TOO_LARGE": 413,
    "PAYLOAD_TOO_LARGE": 413,
    "TOO_MANY_FILES": 413,
    "UNSUPPORTED_MEDIA_TYPE": 415,
    # Well formed, but what it asks for cannot be done with what it gives.
    "INVALID_PARAMETERS": 422,
    "INVALID_METADATA": 422,
    "AXIS_UNREAD": 422,
    "NO_CURVES_FOUND": 422,
    "NO_GRAPHS_FOUND": 422,
    "OCR_FAILED": 422,
    "MODEL_REJECTED": 422,
    "CANCELLED": 422,
    "RATE_LIMITED": 429,
    # The server's own failures, or those of what it depends on.
    "INTERNAL": 500,
    "WORKER_CRASHED": 500,
    "SIMULATION_FAILED": 500,
    "TIMEOUT": 500,
    "LLM_NOT_CONFIGURED": 501,
    "LLM_BAD_RESPONSE": 502,
    "LLM_REJECTED": 502,
    "LLM_UNAVAILABLE": 502,
    "OCR_UNAVAILABLE": 503,
    "SHUTTING_DOWN": 503,
}


def status_of(code: str) -> int:
    """The HTTP status for an error code; 500 for a code missing from the table, which is a
    server bug (a test holds every raised code to the table)."""
    return STATUS_BY_CODE.get(code, HTTP_500_INTERNAL_SERVER_ERROR)


_CODES_BY_STATUS = {
    400: "INVALID_REQUEST",
    401: "UNAUTHORIZED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    409: "CONFLICT",
    408: "REQUEST_TIMEOUT",
    413: "PAYLOAD_TOO_LARGE",
    415: "UNSUPPORTED_MEDIA_TYPE",
    429: "RATE_LIMITED",
}


def problem(
    request: Request[Any, Any, Any],
    *,
    status: int,
    code: str,
    detail: str,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> Response[dict[str, Any]]:
    body = problem_document(
        status=status, code=code, detail=detail, instance=request.url.path, **extra
    )
    return Response(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def problem_document(
    *, status: int, code: str, detail: str, instance: str, **extra: Any
) -> dict[str, Any]:
    """The document itself, also written where no Litestar request exists (a request whose
    headers never came in)."""
    return {
        "type": f"urn:graphq:problem:{code.lower().replace('_', '-')}",
        "title": code.replace("_", " ").capitalize(),
        "status": status,
        "code": code,
        "detail": detail,
        "instance": instance,
        **extra,
    }


def graphq_error_handler(request: Request[Any, Any, Any], exc: GraphqError) -> Response[Any]:
    extra = {"errors": exc.detail} if exc.detail else {}
    headers = None
    if "retryAfterS" in exc.detail:
        headers = {"Retry-After": str(exc.detail["retryAfterS"])}
    return problem(
        request,
        status=status_of(exc.code),
        code=exc.code,
        detail=exc.message,
        headers=headers,
        **extra,
    )


def http_error_handler(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    status = exc.status_code
    if status >= 500:
        return internal_error_handler(request, exc)
    extra: dict[str, Any] = {}
    if isinstance(exc, ValidationException) and exc.extra:
        extra["errors"] = exc.extra
    code = _CODES_BY_STATUS.get(status, "HTTP_ERROR")
    return problem(
        request, status=status, code=code, detail=exc.detail, headers=exc.headers, **extra
    )


def number_too_large_handler(request: Request[Any, Any, Any], exc: OverflowError) -> Response[Any]:
    """An integer beyond what the database stores (``?offset=10**30``) is the client's error.

    Parameters are validated for type and sign, not always for size; the database driver is
    where an oversized integer finally fails, and that must not look like a server fault.
    """
    log.info("number out of range on %s %s: %s", request.method, request.url.path, exc)
    return problem(
        request,
        status=400,
        code="INVALID_REQUEST",
        detail="a number in the request is too large",
    )


def nesting_too_deep_handler(request: Request[Any, Any, Any], exc: RecursionError) -> Response[Any]:
    """JSON nested deeper than the decoder recurses (``[[[[…]]]]`` a thousand deep) is the
    client's error; the decoder's RecursionError must not look like a server fault."""
    log.info("nesting too deep on %s %s", request.method, request.url.path)
    return problem(
        request,
        status=400,
        code="INVALID_REQUEST",
        detail="the request body is nested too deeply",
    )


def _out_of_space(exc: BaseException) -> bool:
    """Whether ``exc`` (or what it wraps) says the disk is full."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, OSError) and seen.errno == errno.ENOSPC:
            return True
        if "database or disk is full" in str(seen) or "No space left on device" in str(seen):
            return True
        seen = seen.__cause__ or seen.__context__ or getattr(seen, "orig", None)
    return False


def storage_error_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    """A write that failed for lack of space is 507, so clients know to retry later and
    operators know what to fix; anything else from the filesystem or database is internal."""
    if not _out_of_space(exc):
        return internal_error_handler(request, exc)
    log.error("out of disk space on %s %s: %s", request.method, request.url.path, exc)
    return problem(
        request,
        status=507,
        code="INSUFFICIENT_STORAGE",
        detail="the server's disk is full; nothing of this request was stored, try again later",
    )


def internal_error_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return problem(
        request,
        status=HTTP_500_INTERNAL_SERVER_ERROR,
        code="INTERNAL",
        detail="internal error; the request id in the logs identifies it",
    )


EXCEPTION_HANDLERS: dict[Any, Any] = {
    GraphqError: graphq_error_handler,
    HTTPException: http_error_handler,
    OverflowError: number_too_large_handler,
    RecursionError: nesting_too_deep_handler,
    OSError: storage_error_handler,
    DBAPIError: storage_error_handler,
    Exception: internal_error_handler,
}

__all__ = ["EXCEPTION_HANDLERS", "PROBLEM_JSON", "STATUS_BY_CODE", "problem", "status_of"]
