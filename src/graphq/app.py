"""The Litestar application: routes, auth, problem documents, and the queue's lifetime."""

from __future__ import annotations

import gc
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

import anyio
from litestar import Litestar
from litestar.config.cors import CORSConfig
from litestar.datastructures import MutableScopeHeaders, State
from litestar.middleware import DefineMiddleware
from litestar.openapi import OpenAPIConfig
from litestar.openapi.spec import Components, SecurityScheme
from litestar.types import ControllerRouterHandler, Message, Scope

from graphq import __version__
from graphq.api.auth import ApiKeyMiddleware
from graphq.api.batches import BatchController
from graphq.api.datasheets import DatasheetController
from graphq.api.deps import DEPENDENCIES
from graphq.api.dlq import DeadLetterController
from graphq.api.events import EventController, OpenStreams
from graphq.api.health import health, ready
from graphq.api.images import ImageController
from graphq.api.jobs import JobController
from graphq.api.keys import KeyController
from graphq.api.limits import RequestLimitsMiddleware
from graphq.api.metrics import PROMETHEUS, prometheus_metrics
from graphq.api.monitor import MonitorController
from graphq.api.openapi import document as document_openapi
from graphq.api.problems import EXCEPTION_HANDLERS
from graphq.api.products import ProductController
from graphq.api.query import KnownQueryMiddleware
from graphq.api.queues import QueueController
from graphq.api.ratelimit import RateLimiter
from graphq.api.results import ExtractionController
from graphq.api.spice import SpiceController
from graphq.api.stats import StatsController
from graphq.config import Settings, load_settings
from graphq.logs import RequestIdMiddleware, add_request_id_header, log_access
from graphq.runtime import Runtime, build_runtime
from graphq.services.queues import ensure_default_queue
from graphq.web.routes import WEB_ROUTES, openapi_render_plugins, template_config

log = logging.getLogger(__name__)

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'; img-src 'self' data:; "
    "script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; connect-src 'self'; "
    "form-action 'self'; base-uri 'none'",
}
# As ASGI sends them, encoded once: the hook runs for every response.
_RAW_SECURITY_HEADERS = [
    (name.lower().encode("latin-1"), value.encode("latin-1"))
    for name, value in SECURITY_HEADERS.items()
]


async def add_security_headers(message: Message, _scope: Scope) -> None:
    """Stamp the security headers on every response, errors included.

    A ``before_send`` hook rather than ``response_headers``: those only reach responses of
    matched route handlers, so a 401 from the auth middleware or a 404 for an unknown path
    went out bare. A header a handler set itself is left alone.
    """
    if message["type"] != "http.response.start":
        return
    headers = MutableScopeHeaders.from_message(message).headers  # raw, a list (name, value)
    present = {name.lower() for name, _value in headers}
    headers.extend(header for header in _RAW_SECURITY_HEADERS if header[0] not in present)


ROUTES: list[ControllerRouterHandler] = [
    health,
    ready,
    prometheus_metrics,
    ProductController,
    QueueController,
    JobController,
    BatchController,
    DeadLetterController,
    EventController,
    KeyController,
    ExtractionController,
    SpiceController,
    ImageController,
    DatasheetController,
    StatsController,
    MonitorController,
    *WEB_ROUTES,
]


def _lifespan(rt: Runtime) -> Callable[[Litestar], AbstractAsyncContextManager[None]]:
    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        if not rt.settings.auth.enabled:
            log.warning(
                "AUTHENTICATION IS DISABLED (auth.enabled = false): every request acts as admin. "
                "Use this for local development only."
            )
        await ensure_default_queue(rt.db, rt.front)
        staged = await anyio.to_thread.run_sync(rt.storage.remove_staged)
        if staged:
            log.info("removed %d half-written files left by a stopped server", staged)
        try:
            async with anyio.create_task_group() as tg:
                await tg.start(rt.engine.run)
                open_streams: OpenStreams = app.state.open_streams
                await tg.start(open_streams.end_revoked, rt)
                # What start-up built (modules, routes, the ORM's mappers; ~200k objects) lives
                # as long as the server: frozen, a full collection no longer walks it, where
                # each one paused every request for 0.3-0.6 s. Thawed at the end, so that an
                # app that stops inside a longer-lived process (the tests) leaves no garbage.
                gc.collect()
                gc.freeze()
                try:
                    yield
                finally:
                    open_streams.stop()
                    gc.unfreeze()
                    with anyio.CancelScope(shield=True):
                        await rt.engine.shutdown()
        finally:
            # An engine that fails cancels the lifespan's scope: the pool's connections must
            # still close, or aiosqlite's close is cut off and logs an error for each.
            with anyio.CancelScope(shield=True):
                await rt.db.dispose()

    return lifespan


def create_app(settings: Settings | None = None, *, runtime: Runtime | None = None) -> Litestar:
    """Build the app; the database must already be migrated (``graphq db upgrade``)."""
    settings = settings or load_settings()
    rt = runtime or build_runtime(settings)
    cors = None
    if settings.server.cors_origins:
        cors = CORSConfig(
            allow_origins=[o.strip() for o in settings.server.cors_origins.split(",")]
        )
    app = Litestar(
        route_handlers=ROUTES,
        dependencies=DEPENDENCIES,
        exception_handlers=EXCEPTION_HANDLERS,
        middleware=[
            RequestIdMiddleware,
            RequestLimitsMiddleware,
            PROMETHEUS.middleware,
            DefineMiddleware(ApiKeyMiddleware),
            KnownQueryMiddleware,
        ],
        lifespan=[_lifespan(rt)],
        state=State(
            {
                "runtime": rt,
                "settings": settings,
                "db": rt.db,
                "open_streams": OpenStreams(),
                "rate_limiter": RateLimiter(
                    settings.auth.rate_limit_per_minute, settings.auth.rate_limit_burst
                ),
                "unauthenticated_limiter": RateLimiter(
                    settings.auth.unauthenticated_per_minute, settings.auth.unauthenticated_burst
                ),
            }
        ),
        before_send=[add_security_headers, add_request_id_header, log_access],
        # graphq.logs configures logging; Litestar's default would replace its handlers at
        # start-up and switch uvicorn's access log (URLs with an event stream's key) back on.
        logging_config=None,
        cors_config=cors,
        request_max_body_size=settings.server.max_request_mb * 2**20,
        multipart_form_part_limit=settings.uploads.max_parts,
        template_config=template_config(),
        openapi_config=OpenAPIConfig(
            title="graphq",
            render_plugins=openapi_render_plugins(),
            version=__version__,
            path="/schema",
            components=Components(
                security_schemes={
                    "apiKey": SecurityScheme(
                        type="http", scheme="bearer", description="graphq API key"
                    )
                }
            ),
            security=[{"apiKey": []}],
            use_handler_docstrings=True,
        ),
    )
    document_openapi(app)
    return app
