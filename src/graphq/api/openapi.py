"""The OpenAPI document's shared parts, applied once over every operation after Litestar has
generated it: summaries from docstrings, the error responses as problem documents, and the
graph-metadata schema the multipart bodies refer to.

Litestar documents a handler's docstring as its description and invents a summary from the
function's name (``CreateQueue``); here the docstring's first line becomes the summary and the
rest the description. Which errors an operation can answer follows from what it is: every
route refuses a malformed request (400), every keyed route a missing key (401) and a keyless
flood (429), a guarded one a weaker key (403), one with ids an unknown id (404), and every
mutating one a conflict (409), a body over the limit (413), parameters a job kind refuses
(422), its key's rate limit (429) and a full disk (507). A handler names any further statuses
in ``opt={"problems": (…)}``.
"""

from __future__ import annotations

from typing import Any, cast

import msgspec
from litestar import Litestar
from litestar.handlers.http_handlers import HTTPRouteHandler
from litestar.openapi.spec import (
    Components,
    OpenAPIMediaType,
    OpenAPIResponse,
    OpenAPIType,
    Operation,
    Reference,
    Schema,
)
from litestar.routes import HTTPRoute

from graphq.api.problems import PROBLEM_JSON
from graphq.digitizer.types import GraphMeta

SCHEMAS = "#/components/schemas/"
PROBLEM_REF = Reference(ref=f"{SCHEMAS}Problem")
GRAPH_META_REF = Reference(ref=f"{SCHEMAS}GraphMeta")
MUTATING = frozenset({"POST", "PUT", "PATCH", "DELETE"})
PROBLEMS_OPT = "problems"

PROBLEM = Schema(
    type=OpenAPIType.OBJECT,
    description="An RFC 9457 problem document; ``code`` is stable, ``detail`` is for people.",
    required=["type", "title", "status", "code", "detail", "instance"],
    properties={
        "type": Schema(type=OpenAPIType.STRING, description="urn:graphq:problem:<code>"),
        "title": Schema(type=OpenAPIType.STRING),
        "status": Schema(type=OpenAPIType.INTEGER, description="the HTTP status"),
        "code": Schema(
            type=OpenAPIType.STRING,
            description="stable machine-readable code, e.g. NOT_FOUND, QUEUE_STOPPED",
        ),
        "detail": Schema(type=OpenAPIType.STRING, description="what was wrong"),
        "instance": Schema(type=OpenAPIType.STRING, description="the request's path"),
        "errors": Schema(description="per-field details, where there are any"),
    },
)

ERRORS: dict[int, str] = {
    400: "Malformed request: a bad value, body or JSON, or a query parameter the route does "
    "not take (UNKNOWN_PARAMETER).",
    401: "No API key, or an unknown or revoked one (UNAUTHORIZED).",
    403: "The key's role may not do this (FORBIDDEN).",
    404: "No such object (NOT_FOUND).",
    409: "The object's state does not allow it (e.g. QUEUE_STOPPED, JOB_FINISHED, MISSING_CURVES).",
    413: "The request body or a file is over its limit.",
    415: "The body must be multipart/form-data.",
    422: "Parameters or metadata that a job kind refuses (INVALID_PARAMETERS, INVALID_METADATA).",
    429: "Rate limited (RATE_LIMITED); wait for the Retry-After seconds.",
    501: "Not available on this server (LLM_NOT_CONFIGURED).",
    507: "The server's disk is full; nothing was stored (INSUFFICIENT_STORAGE).",
}

# What a user needs to know about the fields of graph metadata, beside their types.
GRAPH_META_NOTES = {
    "axes": "each axis's values at the plot frame's edges; min < max, a log axis needs min > 0",
    "graphType": "which datasheet graph this is; decides how curves and labels are read",
    "plotArea": "the frame's pixel box [x0, y0, x1, y1], when it is not found automatically",
    "curves": "how many curves to expect",
    "labels": "curve labels from the highest curve to the lowest; a label may carry "
    "conditions, e.g. 'Tj = 25 °C, VDS = 40 V'",
    "colors": "curve colours (#rrggbb), in label order",
    "calibration": "two ticks per axis with pixel and value, for frames whose edges are not "
    "the axis range",
}


def problem_responses(statuses: list[int]) -> dict[str, OpenAPIResponse]:
    media = {PROBLEM_JSON: OpenAPIMediaType(schema=PROBLEM_REF)}
    return {str(s): OpenAPIResponse(description=ERRORS[s], content=media) for s in statuses}


def _graph_meta_components() -> dict[str, Any]:
    _, components = msgspec.json.schema_components([GraphMeta], ref_template=SCHEMAS + "{name}")
    properties = components["GraphMeta"]["properties"]
    for name, note in GRAPH_META_NOTES.items():
        properties[name]["description"] = note
    return components


def _statuses(handler: HTTPRouteHandler, route: HTTPRoute, method: str, op: Operation) -> list[int]:
    statuses = {400}
    if op.security != []:
        statuses |= {401, 429}
    # Litestar wraps each resolved guard; the wrapped function is the one graphq named.
    guards = {getattr(g, "func", g).__name__ for g in handler.resolve_guards()}
    if guards & {"requires_operator", "requires_admin"}:
        statuses.add(403)
    if route.path_parameters:
        statuses.add(404)
    if method in MUTATING:
        statuses |= {409, 413, 422, 507}
    statuses |= set(handler.opt.get(PROBLEMS_OPT, ()))
    return sorted(statuses)


def _summarise(handler: HTTPRouteHandler, op: Operation) -> None:
    """First docstring line as the summary, the rest as the description (unless the handler
    gives its summary itself)."""
    if handler.summary:
        return
    text = (op.description or "").strip()
    first, _, rest = text.partition("\n\n")
    if first:
        op.summary = " ".join(first.split()).rstrip(".")
        op.description = rest.strip() or op.summary


def document(app: Litestar) -> None:
    """Complete ``app``'s generated OpenAPI document in place, before it is first served."""
    spec = app.openapi_schema
    spec.components = spec.components or Components()
    schemas = spec.components.schemas = dict(spec.components.schemas or {})
    added = {"Problem": PROBLEM, **_graph_meta_components()}
    clash = set(added) & set(schemas)
    if clash:
        raise RuntimeError(f"OpenAPI component names used twice: {sorted(clash)}")
    schemas.update(cast(dict[str, Schema], added))
    for route in app.routes:
        if not isinstance(route, HTTPRoute) or route.path_format not in (spec.paths or {}):
            continue
        item = (spec.paths or {})[route.path_format]
        for handler in route.route_handlers:
            if not handler.resolve_include_in_schema():
                continue
            for method in handler.http_methods:
                op = getattr(item, method.lower(), None)
                if op is None:
                    continue
                _summarise(handler, op)
                op.responses = {
                    **(op.responses or {}),
                    **problem_responses(_statuses(handler, route, method, op)),
                }
