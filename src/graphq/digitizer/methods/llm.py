"""The ``llm`` method: ask a vision language model behind an OpenAI-compatible API.

The model sees the image and what the client knows about the graph, and answers curves in
axis units as JSON. Nothing it says is trusted: the answer is validated, points outside the
axes are clipped or dropped, and the result says plainly where it came from.

The digitizer is a pure library and makes no network calls: it builds the request and reads
the reply, and the caller injects the call itself as a :class:`ChatCompletion`
(``graphq.llm_client`` sends it over HTTP).
"""

from __future__ import annotations

import base64
import io
import json
from typing import Any, Protocol

import msgspec
import numpy as np
from PIL import Image

from graphq.digitizer.labels.naming import order_top_to_bottom, parse_value
from graphq.digitizer.types import Axis, Curve, DigitizeResult, GraphMeta
from graphq.errors import GraphqError


class ChatCompletion(Protocol):
    """One chat-completions call: the request body in, the decoded response body out.

    The request has no ``model``; which model answers is the endpoint's choice. A failed call
    raises a GraphqError (``LLM_UNAVAILABLE`` when a retry may help, ``LLM_REJECTED`` when
    not). Digitize jobs hand it to a worker process, so there it must pickle.
    """

    def __call__(self, request: dict[str, Any], /) -> dict[str, Any]: ...


# A language model reads a graph roughly: its curves are worth less than a traced one.
LLM_CONFIDENCE = 0.5
LLM_WARNING = "curves were read by a language model; check them against the image"

_SYSTEM_PROMPT = (
    "You digitize graphs from semiconductor datasheets. Read every curve of the graph in the "
    "image and answer only with JSON of the form "
    '{"curves": [{"label": "<curve label>", "points": [[x, y], ...]}]}, '
    "with x and y in the units of the axes (not pixels), about 30 to 100 points per curve "
    "along its whole length, and curves listed from the highest to the lowest."
)


class _AnswerCurve(msgspec.Struct):
    points: list[tuple[float, float]]
    label: str = ""


class _Answer(msgspec.Struct):
    curves: list[_AnswerCurve]


def digitize_llm(
    image: np.ndarray, meta: GraphMeta, plot_area: list[float], chat: ChatCompletion
) -> DigitizeResult:
    """Curves of an RGB image as read by the model that ``chat`` asks."""
    request = {
        "messages": _messages(image, meta),
        "temperature": 0,
        "response_format": {"type": "json_object"},
    }
    answer = _parse_answer(_reply_text(chat(request)))
    return _result(answer, meta, plot_area)


def _messages(image: np.ndarray, meta: GraphMeta) -> list[dict[str, object]]:
    """A system message with the task, and a user message with the graph and its metadata."""
    buffer = io.BytesIO()
    Image.fromarray(np.ascontiguousarray(image[:, :, :3])).save(buffer, format="PNG")
    data_url = "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
    facts = {
        "graphType": meta.graph_type,
        "axes": msgspec.to_builtins(meta.axes),
        "expectedCurves": meta.curves,
        "labelsFromTopToBottom": meta.labels,
        "description": meta.description or None,
    }
    text = "Graph metadata: " + json.dumps({k: v for k, v in facts.items() if v is not None})
    return [
        {"role": "system", "content": _SYSTEM_PROMPT},
        {
            "role": "user",
            "content": [
                {"type": "text", "text": text},
                {"type": "image_url", "image_url": {"url": data_url}},
            ],
        },
    ]


def _reply_text(response: dict[str, Any]) -> str:
    """The assistant's reply text from a chat-completions response body."""
    try:
        content = response["choices"][0]["message"]["content"]
    except (LookupError, TypeError):
        raise _bad("the reply is not a chat completion") from None
    if not isinstance(content, str):
        raise _bad("the reply's message has no text content")
    return content


def _parse_answer(content: str) -> _Answer:
    """The model's curves from its reply text, tolerating a Markdown code fence around it."""
    text = content.strip()
    if text.startswith("```"):
        text = text.split("\n", 1)[1] if "\n" in text else ""
        text = text.rsplit("```", 1)[0]
    try:
        answer = msgspec.json.decode(text, type=_Answer)
    except msgspec.DecodeError as exc:
        raise _bad(f"the answer is not the expected JSON: {exc}") from None
    if not all(np.isfinite(curve.points).all() for curve in answer.curves if curve.points):
        raise _bad("the answer has non-finite coordinates")
    return answer


def _result(answer: _Answer, meta: GraphMeta, plot_area: list[float]) -> DigitizeResult:
    """Clipped, sorted, labelled curves, highest first."""
    warnings = [LLM_WARNING]
    kept: list[tuple[str, np.ndarray]] = []
    for curve in answer.curves:
        points = clip_to_axes(np.array(curve.points, dtype=np.float64).reshape(-1, 2), meta)
        if len(points):
            kept.append((curve.label.strip(), points))
    if not kept:
        raise GraphqError("NO_CURVES_FOUND", "the language model found no curves inside the axes")
    if meta.curves is not None and len(kept) < meta.curves:
        warnings.append(f"expected {meta.curves} curves, found {len(kept)}")
    labels = list(meta.labels or [])
    if labels and len(labels) != len(kept):
        warnings.append(f"{len(labels)} labels given for {len(kept)} curves found")
    display = [np.column_stack(_to_display(points, meta)) for _, points in kept]
    colors = list(meta.colors or [])
    curves = []
    for rank, index in enumerate(order_top_to_bottom(display)):
        named, points = kept[index]
        label = named or (labels[rank] if rank < len(labels) else f"curve {rank + 1}")
        curves.append(
            Curve(
                label=label,
                value=parse_value(label),
                color=colors[rank] if rank < len(colors) else "#000000",
                points=points.tolist(),
                confidence=LLM_CONFIDENCE,
            )
        )
    return DigitizeResult(plot_area=plot_area, curves=curves, warnings=warnings)


def clip_to_axes(points: np.ndarray, meta: GraphMeta) -> np.ndarray:
    """Points sorted by x, those beyond the x range dropped and y clipped into its range.

    A curve that leaves through the top or bottom edge keeps its x extent, pinned to the
    edge, as the frame shows it.
    """
    x_lo, x_hi = _bounds(meta.axes.x)
    y_lo, y_hi = _bounds(meta.axes.y)
    inside = points[(points[:, 0] >= x_lo) & (points[:, 0] <= x_hi)]
    inside[:, 1] = np.clip(inside[:, 1], y_lo, y_hi)
    return inside[np.argsort(inside[:, 0], kind="stable")]


def _bounds(axis: Axis) -> tuple[float, float]:
    return min(axis.min, axis.max), max(axis.min, axis.max)


def _to_display(points: np.ndarray, meta: GraphMeta) -> tuple[np.ndarray, np.ndarray]:
    """x and y as the eye compares them: log10 on a log axis."""
    x, y = points[:, 0], points[:, 1]
    return (
        np.log10(x) if meta.axes.x.scale == "log" else x,
        np.log10(y) if meta.axes.y.scale == "log" else y,
    )


def _bad(message: str) -> GraphqError:
    return GraphqError("LLM_BAD_RESPONSE", message)
