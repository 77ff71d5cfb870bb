"""several nodes on one PostgreSQL: the event outbox and shared dispatch credits

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 04:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# One round trip per batch of events (graphq.queue.event_relay): the advisory lock that keeps
# ids committing in order is held only while the function runs, not across client round trips.
PUBLISH_EVENTS = """
CREATE FUNCTION graphq_publish_events(
    node text, names text[], queue_ids text[], job_ids text[], payloads text[]
) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(1735549297);
    INSERT INTO queue_events (node, name, queue_id, job_id, data, created_at)
    SELECT node, e.name, e.queue_id, e.job_id, e.payload::json, now()
    FROM unnest(names, queue_ids, job_ids, payloads) AS e(name, queue_id, job_id, payload);
    PERFORM pg_notify('graphq_events', '');
END
$$
"""

# A node's claim (graphq.queue.cluster_claims) in one round trip: lock the active queues' rows
# in one order, count each queue's running jobs under its lock (each statement of a PL/pgSQL
# function sees what committed before it began), take the best startable jobs within each
# queue's room and credits, skipping rows others hold, and move them to ``processing``.
CLAIM_JOBS = """
CREATE FUNCTION graphq_claim_jobs(
    owner text, lease_s double precision, free_slots integer, ranks text[]
) RETURNS TABLE (
    claimed_id text, claimed_kind text, claimed_queue_id text, claimed_product_id text,
    claimed_image_id text, claimed_priority text, claimed_attempts integer,
    claimed_max_attempts integer, claimed_method text, claimed_parameters text,
    claimed_enqueued_ns bigint, claimed_rank integer, claimed_at timestamptz
) LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
    queue record;
    queue_room integer;
    room_ids text[] := '{}';
    room_sizes integer[] := '{}';
    room_ranked boolean[] := '{}';
    room_manual boolean[] := '{}';
    now_at timestamptz := clock_timestamp();
BEGIN
    FOR queue IN
        SELECT q.id, q.mode, q.max_concurrent_jobs, q.priority_policy, c.credits
        FROM extraction_queues q LEFT JOIN queue_dispatch_credits c ON c.queue_id = q.id
        WHERE q.status = 'active' ORDER BY q.id FOR NO KEY UPDATE OF q
    LOOP
        SELECT queue.max_concurrent_jobs - count(*) INTO queue_room
        FROM jobs WHERE jobs.queue_id = queue.id AND jobs.status = 'processing';
        IF queue.mode = 'manual' THEN
            queue_room := least(queue_room, coalesce(queue.credits, 0));
        END IF;
        IF queue_room > 0 THEN
            room_ids := room_ids || queue.id::text;
            room_sizes := room_sizes || least(queue_room, free_slots);
            room_ranked := room_ranked || (queue.priority_policy = 'priority');
            room_manual := room_manual || (queue.mode = 'manual');
        END IF;
    END LOOP;
    RETURN QUERY
    WITH room AS (
        SELECT * FROM unnest(room_ids, room_sizes, room_ranked, room_manual)
            AS r(queue_id, room, ranked, manual)
    ), candidate AS (
        SELECT j.id, j.queue_id, j.rank, j.enqueued_ns, room.manual
        FROM room CROSS JOIN LATERAL (
            SELECT jobs.id, jobs.queue_id, jobs.enqueued_ns,
                   CASE WHEN room.ranked
                        THEN coalesce(array_position(ranks, jobs.priority::text), 99)
                        ELSE 0 END AS rank
            FROM jobs
            WHERE jobs.queue_id = room.queue_id AND jobs.status IN ('queued', 'pending')
              AND (jobs.next_attempt_at IS NULL OR jobs.next_attempt_at <= now_at)
            ORDER BY 4, jobs.enqueued_ns, jobs.id
            LIMIT room.room
            FOR UPDATE SKIP LOCKED
        ) j
    ), chosen AS (
        SELECT * FROM candidate ORDER BY rank, enqueued_ns, id LIMIT free_slots
    ), spent AS (
        UPDATE queue_dispatch_credits c SET credits = c.credits - n.taken
        FROM (SELECT queue_id, count(*) AS taken FROM chosen WHERE manual GROUP BY queue_id) n
        WHERE c.queue_id = n.queue_id
    )
    UPDATE jobs SET
        status = 'processing', attempts = jobs.attempts + 1, lease_owner = owner,
        lease_expires_at = now_at + lease_s * interval '1 second', started_at = now_at,
        completed_at = NULL, next_attempt_at = NULL, progress = 0.0,
        current_step = 'preparing', updated_at = now_at
    FROM chosen WHERE jobs.id = chosen.id
    RETURNING jobs.id::text, jobs.kind::text, jobs.queue_id::text, jobs.product_id::text,
        jobs.image_id::text, jobs.priority::text, jobs.attempts, jobs.max_attempts,
        jobs.extraction_method::text, jobs.parameters::text, jobs.enqueued_ns, chosen.rank,
        now_at;
END
$$
"""


def upgrade() -> None:
    op.create_table(
        "queue_events",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("node", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("queue_id", sa.String(length=36), nullable=True),
        sa.Column("job_id", sa.String(length=36), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "queue_dispatch_credits",
        sa.Column("queue_id", sa.String(length=36), nullable=False),
        sa.Column("credits", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["queue_id"], ["extraction_queues.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("queue_id"),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(PUBLISH_EVENTS)
        op.execute(CLAIM_JOBS)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION graphq_claim_jobs")
        op.execute("DROP FUNCTION graphq_publish_events")
    op.drop_table("queue_dispatch_credits")
    op.drop_table("queue_events")
