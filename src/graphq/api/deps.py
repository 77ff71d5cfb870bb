"""Dependencies injected into controllers: each handler names the collaborators it uses.

A handler asks for ``db``, ``front`` (the queue, as services see it), ``storage`` or
``app_settings`` and passes them on to the services, which never see the process's whole
:class:`~graphq.runtime.Runtime`. ``rt`` remains for what only the process as a whole
holds: its event bus and the keys revoked through it.
"""

from __future__ import annotations

from typing import Annotated

from litestar.datastructures import State
from litestar.di import Provide
from litestar.params import Parameter

from graphq.config import Settings
from graphq.db.database import Database
from graphq.queue.front import QueueFront
from graphq.runtime import Runtime
from graphq.storage import Storage


def provide_runtime(state: State) -> Runtime:
    runtime: Runtime = state.runtime
    return runtime


def provide_db(state: State) -> Database:
    return provide_runtime(state).db


def provide_front(state: State) -> QueueFront:
    return provide_runtime(state).front


def provide_storage(state: State) -> Storage:
    return provide_runtime(state).storage


def provide_settings(state: State) -> Settings:
    return provide_runtime(state).settings


DEPENDENCIES = {
    "rt": Provide(provide_runtime, sync_to_thread=False),
    "db": Provide(provide_db, sync_to_thread=False),
    "front": Provide(provide_front, sync_to_thread=False),
    "storage": Provide(provide_storage, sync_to_thread=False),
    # Not "settings": Litestar reads a body field's validation error as a server error when the
    # field shares a dependency's name, and queue bodies have a ``settings`` field.
    "app_settings": Provide(provide_settings, sync_to_thread=False),
}


Limit = Annotated[int, Parameter(ge=1, le=500, description="page size")]
Offset = Annotated[int, Parameter(ge=0, le=2**31 - 1, description="items to skip")]
# Keyset pagination (graphq.services.pages): the next page starts after the cursor's row.
Cursor = Annotated[
    str | None,
    Parameter(max_length=200, description="the cursor the previous page handed out: next page"),
]
