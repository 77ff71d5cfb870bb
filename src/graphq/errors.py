"""Errors as values with a stable code.

Every layer raises :class:`GraphqError`; the API translates it to an RFC 9457 problem
document once, choosing the HTTP status from the code (``graphq.api.problems``), and the queue
decides from :attr:`GraphqError.retryable` whether a failed job is retried or dead-lettered.
An error knows nothing of HTTP: the digitizer, the datasheet reader and the fitter raise the
same errors from the command line and from a worker process.
"""

from __future__ import annotations

from typing import Any

# Codes whose cause does not go away by trying again: the job goes straight to the DLQ.
NON_RETRYABLE_CODES = frozenset(
    {
        "INVALID_IMAGE",
        "IMAGE_TOO_LARGE",
        "INVALID_PDF",
        "PDF_TOO_LARGE",
        "INVALID_METADATA",
        "NO_GRAPHS_FOUND",
        "INVALID_PARAMETERS",
        "NO_CURVES_FOUND",
        "CANCELLED",
        "MISSING_CURVES",
        "MODEL_REJECTED",
        "NOT_FOUND",
        "UNKNOWN_JOB_KIND",
        "LLM_NOT_CONFIGURED",
        "LLM_REJECTED",
        # No axes given and none readable off the image: reading it again reads the same.
        "AXIS_UNREAD",
    }
)


class GraphqError(Exception):
    """A failure with a stable machine-readable ``code``, a human ``message`` and, where it
    helps the client, a ``detail`` of JSON-shaped values."""

    def __init__(self, code: str, message: str, *, detail: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.detail = detail or {}

    @property
    def retryable(self) -> bool:
        return self.code not in NON_RETRYABLE_CODES

    def __reduce__(self) -> tuple[Any, ...]:
        # Keyword-only arguments are lost by the default pickling, and errors cross the
        # worker-process boundary.
        return (_rebuild_error, (self.code, self.message, self.detail))

    def __repr__(self) -> str:
        return f"GraphqError({self.code!r}, {self.message!r})"


def _rebuild_error(code: str, message: str, detail: dict[str, Any]) -> GraphqError:
    return GraphqError(code, message, detail=detail)
