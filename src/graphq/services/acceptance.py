"""A reviewer's acceptance of an extraction result.

Accepting records the sign-off (when, by which key) on the result and changes nothing else:
its review reasons stay as the digitizer gave them, as a record of what was doubted. The
SPICE fit reads the newest result of each graph whatever its ``needs_review``, so there is
nothing to clear for it; only the newest result of a graph may be accepted, because an older
one is not what a fit would use.
"""

from __future__ import annotations

from sqlalchemy import select

from graphq.db.database import Database
from graphq.db.models import ExtractionResult, utcnow
from graphq.errors import GraphqError
from graphq.services.lookup import fetch


async def accept_result(db: Database, result_id: str, key_id: str | None) -> ExtractionResult:
    """Mark the result accepted by ``key_id``; accepting it again keeps the first sign-off."""
    async with db.write() as session:
        row = await fetch(session, ExtractionResult, result_id, "result")
        if row.image_id is not None:
            newest = await session.execute(
                select(ExtractionResult.id)
                .where(ExtractionResult.image_id == row.image_id)
                .order_by(ExtractionResult.created_at.desc(), ExtractionResult.id.desc())
                .limit(1)
            )
            newest_id = newest.scalar_one()
            if newest_id != row.id:
                raise GraphqError(
                    "SUPERSEDED_RESULT",
                    f"result {result_id} is not its graph's newest; accept {newest_id}",
                    detail={"newest": newest_id},
                )
        if row.accepted_at is None:
            row.accepted_at = utcnow()
            row.accepted_by = key_id
        await session.flush()
        return row
