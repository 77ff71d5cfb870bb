"""What every page handler shares: rendering a template for the visitor, and answering a post.

A post answers with a redirect (303) back to a page, carrying its outcome as the session's
one-time flash message, so reloading the page never posts twice.
"""

from __future__ import annotations

from typing import Any

from litestar.response import Redirect, Template

from graphq.errors import GraphqError
from graphq.web.access import Visitor


def render(visitor: Visitor, name: str, **context: Any) -> Template:
    """A full page (or a fragment) rendered with the visitor's role and CSRF token."""
    return Template(
        template_name=name,
        context={"visitor": visitor, "flash": visitor.session.take_flash(), **context},
    )


# Sent by live.js on every refetch of a live region.
LIVE_REFRESH_HEADER = "x-live-refresh"


def fragment(visitor: Visitor, name: str, **context: Any) -> Template:
    """A part of a page refetched live: it must not consume the page's flash message."""
    return Template(template_name=name, context={"visitor": visitor, **context})


def done(visitor: Visitor, url: str, message: str) -> Redirect:
    visitor.session.flash = message
    return Redirect(url, status_code=303)


def failed(visitor: Visitor, url: str, error: GraphqError) -> Redirect:
    """The service's refusal shown on the page the form came from, with its stable code."""
    visitor.session.flash = f"{error.code}: {error.message}"
    return Redirect(url, status_code=303)
