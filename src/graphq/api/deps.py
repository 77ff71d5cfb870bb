"""Dependencies injected into controllers."""

from __future__ import annotations

from typing import Annotated

from litestar.datastructures import State
from litestar.params import Parameter

from graphq.runtime import Runtime


def provide_runtime(state: State) -> Runtime:
    return state.runtime


Limit = Annotated[int, Parameter(ge=1, le=500, description="page size")]
Offset = Annotated[int, Parameter(ge=0, le=2**31 - 1, description="items to skip")]
# Keyset pagination (graphq.services.pages): the next page starts after the cursor's row.
Cursor = Annotated[
    str | None,
    Parameter(max_length=200, description="the cursor the previous page handed out: next page"),
]
