"""The OpenAPI document's shared parts, applied once over every operation after Litestar has
generated it: summaries from docstrings, the error responses as problem documents, the
graph-metadata schema the multipart bodies refer to, and links from each operation that makes
an object to those that act on it.

Litestar documents a handler's docstring as its description and invents a summary from the
function's name (``CreateQueue``); here the docstring's first line becomes the summary and the
rest the description. Which errors an operation can answer follows from what it is: every
route refuses a malformed request (400), every keyed route a missing key (401) and a keyless
flood (429), a guarded one a weaker key (403), one with ids in its path or body an unknown id
(404), and every
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
    Example,
    Link,
    OpenAPIMediaType,
    OpenAPIResponse,
    OpenAPIType,
    Operation,
    PathItem,
    Reference,
    RequestBody,
    Schema,
)
from litestar.routes import HTTPRoute

from graphq.api.examples import REQUEST_EXAMPLES
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
    400: "Malformed request: a bad value, body or JSON, a metadata part that is not JSON "
    "(MALFORMED_METADATA), or a query parameter the route does not take (UNKNOWN_PARAMETER).",
    401: "No API key, or an unknown or revoked one (UNAUTHORIZED).",
    403: "The key's role may not do this (FORBIDDEN).",
    404: "No such object (NOT_FOUND).",
    409: "The object's state does not allow it (e.g. QUEUE_STOPPED, JOB_FINISHED, MISSING_CURVES).",
    413: "The request body or a file is over its limit (PAYLOAD_TOO_LARGE, IMAGE_TOO_LARGE, "
    "PDF_TOO_LARGE, TOO_MANY_FILES).",
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


# Where an operation's success body names an object, and the path parameter that id fills:
# every operation with that parameter is linked from it (OpenAPI links), so a reader, and
# schemathesis's stateful tests, can chain a create into the reads and actions on what it
# made. The operation's own other path parameters are passed on as they were sent.
ID_SOURCES: tuple[tuple[str, str, str, str], ...] = (
    ("POST", "/api/products", "/id", "product_id"),
    ("GET", "/api/products", "/items/0/id", "product_id"),
    ("POST", "/api/queue/create", "/id", "queue_id"),
    ("POST", "/api/job/create", "/job/id", "job_id"),
    ("POST", "/api/batch/create", "/id", "batch_id"),
    ("POST", "/api/batch/create", "/jobs/0/id", "job_id"),
    ("POST", "/api/keys", "/key/id", "key_id"),
    ("POST", "/api/product/{product_id}/images", "/images/0/id", "image_id"),
    ("POST", "/api/product/{product_id}/images", "/jobs/0/id", "job_id"),
    ("POST", "/api/product/{product_id}/datasheets", "/datasheets/0/id", "datasheet_id"),
    ("POST", "/api/product/{product_id}/extract", "/jobs/0/id", "job_id"),
    ("POST", "/api/product/{product_id}/spice", "/id", "job_id"),
    ("GET", "/api/dlq", "/items/0/id", "dead_letter_id"),
    ("GET", "/api/product/{product_id}/spice-models", "/0/id", "model_id"),
)
# Event streams never end: a chain that reached one would only wait for its timeout.
UNLINKED_MEDIA = "text/event-stream"


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
                _views_as_any_of(op)
                _optional_body(handler, op)
    _digitize_needs_an_image(schemas)
    _not_found_by_body(spec.paths or {}, schemas)
    _link(spec.paths or {})
    _add_examples(spec.paths or {})


def _add_examples(paths: dict[str, PathItem]) -> None:
    """:data:`graphq.api.examples.REQUEST_EXAMPLES` on their operations' request bodies."""
    operations = _operations(paths)
    for key, examples in REQUEST_EXAMPLES.items():
        body = operations[key].request_body
        if not isinstance(body, RequestBody):
            raise RuntimeError(f"{key} has no request body to give examples to")
        for media in body.content.values():
            media.examples = {
                name: Example(summary=summary, value=value)
                for name, (summary, value) in examples.items()
            }


def _optional_body(handler: HTTPRouteHandler, op: Operation) -> None:
    """Litestar marks every JSON body required; one whose ``data`` has a default may be left
    out (``POST /api/product/{id}/extract`` extracts every image then)."""
    data = handler.parsed_fn_signature.parameters.get("data")
    if data is not None and data.has_default and isinstance(op.request_body, RequestBody):
        op.request_body.required = False


def _views_as_any_of(op: Operation) -> None:
    """Litestar documents a union of return types as ``oneOf``, which promises that exactly
    one matches; graphq's bodies are open objects, and one may hold all another requires
    (the monitor's dashboard holds the queue view), so ``anyOf`` is what holds."""
    for response in (op.responses or {}).values():
        if not isinstance(response, OpenAPIResponse):
            continue
        for media in (response.content or {}).values():
            schema = media.schema
            if (
                isinstance(schema, Schema)
                and schema.one_of
                and all(isinstance(s, Reference) for s in schema.one_of)
            ):
                schema.any_of, schema.one_of = schema.one_of, None


def _digitize_needs_an_image(schemas: dict[str, Schema]) -> None:
    """A ``digitize`` job (the kind a job is unless it names another) reads an image, so its
    request names one: what the job service checks, said in the schema."""
    job = schemas.get("JobCreate")
    if job is None:
        return
    # Absent, ``kind`` is ``digitize``; ``properties`` holds for an absent key as well.
    job.schema_if = Schema(properties={"kind": Schema(const="digitize")})
    job.then = Schema(required=["imageId"], properties={"imageId": Schema(type=OpenAPIType.STRING)})


def _not_found_by_body(paths: dict[str, PathItem], schemas: dict[str, Schema]) -> None:
    """An operation whose body names objects by id (``productId``, ``imageId``, ``queueId``)
    answers 404 when one names nothing, path parameters or not."""
    for op in _operations(paths).values():
        body = op.request_body
        if not isinstance(body, RequestBody) or "404" in (op.responses or {}):
            continue
        if any(_names_objects(media.schema, schemas, set()) for media in body.content.values()):
            op.responses = {**(op.responses or {}), **problem_responses([404])}


def _names_objects(schema: Any, schemas: dict[str, Schema], seen: set[str]) -> bool:
    """Whether ``schema`` (or one it holds) has a property named ``…Id``."""
    if isinstance(schema, Reference):
        name = schema.ref.removeprefix(SCHEMAS)
        if name in seen or name not in schemas:
            return False
        return _names_objects(schemas[name], schemas, seen | {name})
    if not isinstance(schema, Schema):
        return False
    properties = schema.properties or {}
    if any(name.endswith("Id") for name in properties):
        return True
    held = [*properties.values(), schema.items, *(schema.one_of or ()), *(schema.any_of or ())]
    return any(_names_objects(part, schemas, seen) for part in held)


def _path_parameters(path: str) -> list[str]:
    return [part[1:-1] for part in path.split("/") if part.startswith("{")]


def _operations(paths: dict[str, PathItem]) -> dict[tuple[str, str], Operation]:
    return {
        (method.upper(), path): op
        for path, item in paths.items()
        for method in ("get", "put", "post", "delete", "patch")
        if (op := getattr(item, method, None)) is not None
    }


def _streams(op: Operation) -> bool:
    ok = (op.responses or {}).get("200")
    return isinstance(ok, OpenAPIResponse) and UNLINKED_MEDIA in (ok.content or {})


def _link(paths: dict[str, PathItem]) -> None:
    """Link each of ``ID_SOURCES`` to every operation its id (and its own path) can fill."""
    operations = _operations(paths)
    for method, path, pointer, parameter in ID_SOURCES:
        source = operations[(method, path)]
        success = next(
            r for status, r in (source.responses or {}).items() if status.startswith("2")
        )
        assert isinstance(success, OpenAPIResponse)
        passed_on = {p: f"$request.path.{p}" for p in _path_parameters(path)}
        links: dict[str, Link | Reference] = dict(success.links or {})
        for (_, target_path), target in operations.items():
            needed = _path_parameters(target_path)
            if parameter not in needed or target is source or _streams(target):
                continue
            values = passed_on | {parameter: f"$response.body#{pointer}"}
            if not set(needed) <= set(values):
                continue
            links[str(target.operation_id)] = Link(
                operation_id=target.operation_id,
                parameters={f"path.{p}": values[p] for p in needed},
            )
        success.links = links
