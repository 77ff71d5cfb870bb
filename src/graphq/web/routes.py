"""The web workbench's routes, templates, static files and offline API docs, for ``app.py``.

Pages live at ``/`` beside the API. They are excluded from the API's Bearer middleware
(``exclude_from_auth``) because they authenticate from the session cookie themselves
(``graphq.web.access``), and they stay out of the OpenAPI document, which describes the API.
Every asset is served from ``static/``: nothing is loaded from another host at run time.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from litestar import Request, Router
from litestar.contrib.jinja import JinjaTemplateEngine
from litestar.di import Provide
from litestar.exceptions import HTTPException, NotAuthorizedException
from litestar.openapi.plugins import (
    OpenAPIRenderPlugin,
    SwaggerRenderPlugin,
    YamlRenderPlugin,
)
from litestar.response import Redirect, Response, Template
from litestar.static_files import create_static_files_router
from litestar.template.config import TemplateConfig

from graphq.api.problems import status_of
from graphq.errors import GraphqError
from graphq.web.access import provide_visitor
from graphq.web.files import FilePages
from graphq.web.monitor import MonitorPages
from graphq.web.products import ProductPages
from graphq.web.review import ReviewPages
from graphq.web.signin import SignInPages

HERE = Path(__file__).parent
STATIC_PATH = "/static"
_WEB_OPT = {"exclude_from_auth": True}


def _to_login(_request: Request[Any, Any, Any], _exc: Exception) -> Response[Any]:
    return Redirect("/login", status_code=303)


def _error_page(status: int, code: str, message: str) -> Template:
    return Template(
        template_name="error.html",
        context={"status": status, "code": code, "message": message},
        status_code=status,
    )


def _http_error(_request: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    code = {403: "FORBIDDEN", 404: "NOT_FOUND", 429: "RATE_LIMITED"}.get(exc.status_code, "ERROR")
    return _error_page(exc.status_code, code, exc.detail)


def _graphq_error(_request: Request[Any, Any, Any], exc: GraphqError) -> Response[Any]:
    return _error_page(status_of(exc.code), exc.code, exc.message)


def web_router() -> Router:
    return Router(
        path="/",
        route_handlers=[SignInPages, ProductPages, ReviewPages, MonitorPages, FilePages],
        dependencies={"visitor": Provide(provide_visitor)},
        exception_handlers={
            NotAuthorizedException: _to_login,
            HTTPException: _http_error,
            GraphqError: _graphq_error,
        },
        opt=_WEB_OPT,
        include_in_schema=False,
    )


def static_router() -> Router:
    return create_static_files_router(
        path=STATIC_PATH,
        directories=[HERE / "static"],
        opt=_WEB_OPT,
        include_in_schema=False,
    )


WEB_ROUTES = [web_router(), static_router()]


def template_config() -> TemplateConfig[JinjaTemplateEngine]:
    return TemplateConfig(directory=HERE / "templates", engine=JinjaTemplateEngine)


def openapi_render_plugins() -> list[OpenAPIRenderPlugin]:
    """Swagger UI at ``/schema`` and ``/schema/swagger`` from vendored files (Apache-2.0)."""
    swagger = f"{STATIC_PATH}/swagger"
    return [
        SwaggerRenderPlugin(
            js_url=f"{swagger}/swagger-ui-bundle.js",
            css_url=f"{swagger}/swagger-ui.css",
            standalone_preset_js_url=f"{swagger}/swagger-ui-standalone-preset.js",
            path=["/", "/swagger"],
            favicon="",
        ),
        YamlRenderPlugin(),
    ]
