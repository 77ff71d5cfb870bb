"""The dead-letter queue."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get, post
from litestar.params import QueryParameter

from graphq.api import views
from graphq.api.auth import admin
from graphq.api.deps import Limit, Offset
from graphq.api.schemas import DeadLetterOut, JobOut, Page, ReprocessRequest
from graphq.db.database import Database
from graphq.queue.front import QueueFront
from graphq.schema_base import Struct
from graphq.services import dlq


class Reprocessed(Struct):
    dead_letter: DeadLetterOut
    job: JobOut


class DeadLetterController(Controller):
    path = "/api/dlq"
    tags = ["dlq"]

    @get("/")
    async def list_dead_letters(
        self,
        db: Database,
        include_reprocessed: Annotated[
            bool,
            QueryParameter(name="includeReprocessed", description="also list reprocessed entries"),
        ] = False,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> Page:
        """List dead letters.

        Jobs that failed for good, newest first, with their error and attempts;
        ``includeReprocessed`` lists the ones already reprocessed too.
        """
        rows, total = await dlq.list_dead_letters(
            db, include_reprocessed=include_reprocessed, limit=limit, offset=offset
        )
        return Page(
            items=[views.dead_letter(r) for r in rows], total=total, limit=limit, offset=offset
        )

    @post("/{dead_letter_id:str}/reprocess", guards=[admin], status_code=200)
    async def reprocess(
        self,
        db: Database,
        front: QueueFront,
        dead_letter_id: str,
        data: ReprocessRequest | None = None,
    ) -> Reprocessed:
        """Reprocess a dead letter.

        Requeues the dead job (optionally at a new ``priority``) and marks the letter
        reprocessed with ``notes``. 409 ALREADY_REPROCESSED or JOB_NOT_DEAD when that
        happened already.
        """
        request = data or ReprocessRequest()
        letter, job = await dlq.reprocess(
            db, front, dead_letter_id, request.notes, request.priority
        )
        return Reprocessed(dead_letter=views.dead_letter(letter), job=views.job(job))
