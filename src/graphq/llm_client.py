"""The ``llm`` method's transport: an OpenAI-compatible chat-completions endpoint over HTTP.

The digitizer builds the request and reads the reply but makes no network calls; this is the
:class:`~graphq.digitizer.methods.llm.ChatCompletion` that digitize jobs, the one-off extraction API
and the CLI hand it. The call is synchronous because it runs in a worker process, where there
is no event loop to share.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx

from graphq.config import Settings
from graphq.errors import GraphqError


@dataclass(frozen=True)
class LlmEndpoint:
    """Where the ``llm`` method's request goes; calling it sends one request.

    A plain frozen dataclass so it crosses into worker processes by pickling; the key is
    left out of ``repr`` so a logged payload or traceback never shows it.
    """

    url: str
    model: str
    api_key: str = field(default="", repr=False)
    timeout_s: float = 60.0

    def __call__(self, request: dict[str, Any], /) -> dict[str, Any]:
        """The decoded response to ``request`` sent as this endpoint's ``model``.

        Network errors, rate limits and 5xx answers may pass (LLM_UNAVAILABLE, retried by the
        queue); any other 4xx means the request or the key is wrong (LLM_REJECTED).
        """
        headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
        url = self.url.rstrip("/") + "/chat/completions"
        body = {"model": self.model, **request}
        try:
            response = httpx.post(url, json=body, headers=headers, timeout=self.timeout_s)
        except httpx.HTTPError as exc:
            raise GraphqError(
                "LLM_UNAVAILABLE", f"the LLM endpoint could not be reached: {exc}"
            ) from None
        if response.status_code == 429 or response.status_code >= 500:
            raise GraphqError(
                "LLM_UNAVAILABLE", f"the LLM endpoint answered {response.status_code}"
            )
        if response.status_code >= 400:
            # Some endpoints echo the key they refused; the message must not carry it on.
            reason = response.text[:200]
            if self.api_key:
                reason = reason.replace(self.api_key, "***")
            raise GraphqError(
                "LLM_REJECTED",
                f"the LLM endpoint rejected the request with {response.status_code}: {reason}",
            )
        try:
            decoded = response.json()
        except ValueError:
            decoded = None
        if not isinstance(decoded, dict):
            raise GraphqError("LLM_BAD_RESPONSE", "the LLM endpoint's reply is not a JSON object")
        return decoded


def llm_endpoint(settings: Settings) -> LlmEndpoint | None:
    """The configured LLM endpoint for the ``llm`` method; None when none is set."""
    llm = settings.llm
    if not llm.endpoint:
        return None
    return LlmEndpoint(
        url=llm.endpoint, model=llm.model, api_key=llm.api_key, timeout_s=llm.timeout_s
    )
