"""claims skip the jobs a node still runs; cancelled jobs' credits trimmed on every node

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 09:58:00.000000

PostgreSQL only (SQLite runs one node, whose engine does both in memory). The claim function
gains the ``running_here`` argument, so it is dropped and created anew; the downgrade puts
back revision 0007's function.
"""

import importlib.util
from collections.abc import Sequence
from pathlib import Path

from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# A node's claim (graphq.queue.cluster_claims) in one round trip: lock the active queues' rows
# in one order, count each queue's running jobs under its lock (each statement of a PL/pgSQL
# function sees what committed before it began), take the best startable jobs within each
# queue's room and credits, skipping rows others hold and the jobs the node still runs itself
# (a run whose lease lapsed goes on until its refused completion), and move them to
# ``processing``.
CLAIM_JOBS = """
CREATE FUNCTION graphq_claim_jobs(
    owner text, lease_s double precision, free_slots integer, ranks text[], running_here text[]
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
              AND jobs.id <> ALL(running_here)
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

# Dispatch credits never exceed a queue's waiting jobs, as on one node (the engine's index
# clamps them when a job leaves it): a credit of a job cancelled while it waited must not
# start a job that arrives later without anyone dispatching it. Whichever node cancels.
CLAMP_CREDITS = """
CREATE FUNCTION graphq_clamp_credits() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE queue_dispatch_credits c SET credits = least(c.credits, (
        SELECT count(*) FROM jobs
        WHERE jobs.queue_id = OLD.queue_id AND jobs.status IN ('queued', 'pending')
    ))
    WHERE c.queue_id = OLD.queue_id AND c.credits > 0;
    RETURN NULL;
END
$$
"""
CLAMP_CREDITS_TRIGGER = """
CREATE TRIGGER jobs_clamp_credits AFTER UPDATE OF status ON jobs FOR EACH ROW
WHEN (OLD.status IN ('queued', 'pending')
      AND NEW.status NOT IN ('queued', 'pending', 'processing'))
EXECUTE FUNCTION graphq_clamp_credits()
"""


def _revision_0007_claim() -> str:
    """Revision 0007's claim function, read from that revision rather than copied here."""
    path = Path(__file__).with_name("0007_cluster_outbox.py")
    spec = importlib.util.spec_from_file_location("graphq_revision_0007", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return str(module.CLAIM_JOBS)


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION graphq_claim_jobs(text, double precision, integer, text[])")
        op.execute(CLAIM_JOBS)
        op.execute(CLAMP_CREDITS)
        op.execute(CLAMP_CREDITS_TRIGGER)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER jobs_clamp_credits ON jobs")
        op.execute("DROP FUNCTION graphq_clamp_credits")
        op.execute(
            "DROP FUNCTION graphq_claim_jobs(text, double precision, integer, text[], text[])"
        )
        op.execute(_revision_0007_claim())
