"""the outbox's NOTIFY carries the events it announces

Every node read every event back from ``queue_events`` after each NOTIFY: a profile had those
reads at about 25 % of a node's CPU. Now ``graphq_publish_events`` sends the batch it inserted
in its notifications, so nodes hand events on straight from them (graphq.queue.event_relay).
PostgreSQL limits a payload to 8000 bytes: the batch is cut, in id order, into parts of
:data:`PART_BYTES`; a part still too long (one very large event) notifies only its id range,
and readers read those rows from the table. One transaction's notifications arrive in the
order sent, and transactions' in the order they committed, which the advisory lock makes id
order.

A part is a JSON array of the publishing node and its events, each ``[id, name, queue_id,
job_id, data]``. A range is ``"<first id> <last id>"``.

PostgreSQL only; the function keeps its arguments, so it is replaced in place, and the
downgrade puts back revision 0007's.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 23:50:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Where a part is cut: a part holds the events that start within its PART_BYTES, so it ends at
# most one event past them; PostgreSQL refuses payloads of 8000 bytes or more.
PART_BYTES = 6000
PAYLOAD_LIMIT = 8000

PUBLISH_EVENTS = f"""
CREATE OR REPLACE FUNCTION graphq_publish_events(
    node text, names text[], queue_ids text[], job_ids text[], payloads text[]
) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    part record;
BEGIN
    PERFORM pg_advisory_xact_lock(1735549297);
    FOR part IN
        WITH added AS (
            INSERT INTO queue_events (node, name, queue_id, job_id, data, created_at)
            SELECT node, e.name, e.queue_id, e.job_id, e.payload::json, now()
            FROM unnest(names, queue_ids, job_ids, payloads) WITH ORDINALITY
                AS e(name, queue_id, job_id, payload, n)
            ORDER BY e.n
            RETURNING id, name, queue_id, job_id, data
        ), framed AS (
            SELECT id, json_build_array(id, name, queue_id, job_id, data)::text AS frame
            FROM added
        ), placed AS (
            SELECT id, frame,
                (sum(octet_length(frame) + 1) OVER (ORDER BY id) - octet_length(frame) - 1)
                    / {PART_BYTES} AS part_no
            FROM framed
        )
        SELECT min(id) AS first_id, max(id) AS last_id,
            '[' || to_json(node)::text || ',[' || string_agg(frame, ',' ORDER BY id) || ']]'
                AS body
        FROM placed GROUP BY part_no ORDER BY part_no
    LOOP
        IF octet_length(part.body) < {PAYLOAD_LIMIT} THEN
            PERFORM pg_notify('graphq_events', part.body);
        ELSE
            PERFORM pg_notify('graphq_events', part.first_id || ' ' || part.last_id);
        END IF;
    END LOOP;
END
$$
"""


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(PUBLISH_EVENTS)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION graphq_publish_events")
        script = op.get_context().script
        revision_0007 = script.get_revision("0007") if script is not None else None
        if revision_0007 is None:
            raise RuntimeError("the downgrade needs revision 0007's function from its script")
        op.execute(revision_0007.module.PUBLISH_EVENTS)
