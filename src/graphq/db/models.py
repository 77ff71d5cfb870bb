"""The product database (SPEC §1) as SQLAlchemy 2 typed mappings.

Every schema change goes through an Alembic migration; the server never calls
``create_all``. Timestamps are timezone-aware UTC. JSON columns hold the graph metadata,
job parameters and results exactly as the API speaks them.
"""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from graphq.queue.vocabulary import JobStatus, Priority


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_id() -> str:
    """A time-ordered UUID (version 7, RFC 9562): the time in milliseconds, then 74 random bits.

    Rows made one after another get ids that sort together, so a new row's entry in its
    table's primary-key index (and in every index that holds an id, such as a result's job)
    goes onto the page the last one went to, which the commit writes anyway; a random id put it
    on a page anywhere in the index, one more page for every commit to write.

    Made as text directly: through :class:`uuid.UUID` it cost twice as much, and the queue makes
    two a job (the job's, its result's).
    """
    bits = (time.time_ns() // 1_000_000 << 80) | (int.from_bytes(os.urandom(10)) & _RANDOM) | _MARKS
    text = "%032x" % bits  # noqa: UP031 - the fastest way here
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


# The 80 bits after the millisecond: the version (7) and variant (0b10) fields, set, and the
# 74 random bits between and after them.
_MARKS = (0x7 << 76) | (0x2 << 62)
_RANDOM = ((1 << 80) - 1) & ~(0xF << 76) & ~(0x3 << 62)


class UtcDateTime(TypeDecorator[datetime]):
    """Stores UTC and always hands back aware datetimes (SQLite forgets the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime")
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UtcDateTime,
        dict[str, Any]: JSON,
        list[Any]: JSON,
    }


class Timestamped:
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Product(Timestamped, Base):
    __tablename__ = "products"

    name: Mapped[str] = mapped_column(String(200))
    manufacturer: Mapped[str] = mapped_column(String(200), default="")
    part_number: Mapped[str] = mapped_column(String(200), unique=True)
    device_type: Mapped[str] = mapped_column(String(40), default="Si-MOSFET")
    package: Mapped[str] = mapped_column(String(100), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="active")

    images: Mapped[list[GraphImage]] = relationship(
        back_populates="product", cascade="all, delete-orphan", passive_deletes=True
    )


class Datasheet(Timestamped, Base):
    """An uploaded datasheet PDF; each graph found in it becomes a :class:`GraphImage`."""

    __tablename__ = "datasheets"

    product_id: Mapped[str] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"))
    filename: Mapped[str] = mapped_column(String(255))
    file_path: Mapped[str] = mapped_column(String(500))
    file_size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    pages: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(20), default="pending")

    __table_args__ = (Index("ix_datasheets_product", "product_id"),)


class GraphImage(Timestamped, Base):
    __tablename__ = "graph_images"

    product_id: Mapped[str] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"))
    filename: Mapped[str] = mapped_column(String(255))
    file_path: Mapped[str] = mapped_column(String(500))
    upload_date: Mapped[datetime] = mapped_column(default=utcnow)
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="pending")
    file_size: Mapped[int] = mapped_column(Integer)
    mime_type: Mapped[str] = mapped_column(String(50))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    graph_type: Mapped[str] = mapped_column(String(40), default="custom")
    graph_meta: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # Set when the image is a graph panel rendered from a datasheet: its 1-based page and its
    # box [x0, y0, x1, y1] in PDF points from the page's top-left corner.
    datasheet_id: Mapped[str | None] = mapped_column(
        ForeignKey("datasheets.id", ondelete="CASCADE"), default=None
    )
    page: Mapped[int | None] = mapped_column(Integer, default=None)
    box: Mapped[list[Any] | None] = mapped_column(JSON, default=None)

    product: Mapped[Product] = relationship(back_populates="images")

    __table_args__ = (Index("ix_graph_images_product", "product_id"),)


class ExtractionQueue(Timestamped, Base):
    __tablename__ = "extraction_queues"

    name: Mapped[str] = mapped_column(String(100), unique=True)
    mode: Mapped[str] = mapped_column(String(20), default="automatic")
    status: Mapped[str] = mapped_column(String(20), default="active")
    max_concurrent_jobs: Mapped[int] = mapped_column(Integer, default=3)
    priority_policy: Mapped[str] = mapped_column(String(20), default="priority")
    description: Mapped[str] = mapped_column(Text, default="")
    settings: Mapped[dict[str, Any]] = mapped_column(default=dict)


class Batch(Timestamped, Base):
    __tablename__ = "batches"

    name: Mapped[str] = mapped_column(String(200), default="")
    queue_id: Mapped[str] = mapped_column(ForeignKey("extraction_queues.id", ondelete="CASCADE"))


# A job neither running nor still queued as it was inserted: ended, waiting for a retry, or
# re-prioritised. Only these are in ``ix_jobs_updated``, so a job's insert, claim, progress and
# lease renewals do not write it (migration 0012 says how its read finds the others).
JOB_AT_REST_CHANGED = text(
    f"status <> '{JobStatus.PROCESSING}' "
    f"AND (status <> '{JobStatus.QUEUED}' OR updated_at <> created_at)"
)


class Job(Timestamped, Base):
    __tablename__ = "jobs"

    product_id: Mapped[str] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"))
    image_id: Mapped[str | None] = mapped_column(
        ForeignKey("graph_images.id", ondelete="CASCADE"), default=None
    )
    datasheet_id: Mapped[str | None] = mapped_column(
        ForeignKey("datasheets.id", ondelete="CASCADE"), default=None
    )
    queue_id: Mapped[str] = mapped_column(ForeignKey("extraction_queues.id", ondelete="CASCADE"))
    batch_id: Mapped[str | None] = mapped_column(
        ForeignKey("batches.id", ondelete="SET NULL"), default=None
    )
    kind: Mapped[str] = mapped_column(String(20), default="digitize")
    status: Mapped[str] = mapped_column(String(20), default=JobStatus.QUEUED)
    priority: Mapped[str] = mapped_column(String(10), default=Priority.NORMAL)
    # FIFO order inside a priority; nanoseconds at enqueue (and at each re-enqueue).
    enqueued_ns: Mapped[int] = mapped_column(BigInteger, default=0)
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    current_step: Mapped[str] = mapped_column(String(200), default="")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    max_attempts: Mapped[int] = mapped_column(Integer, default=3)
    next_attempt_at: Mapped[datetime | None] = mapped_column(default=None)
    error_code: Mapped[str | None] = mapped_column(String(50), default=None)
    error_message: Mapped[str | None] = mapped_column(Text, default=None)
    extraction_method: Mapped[str] = mapped_column(String(20), default="standard")
    parameters: Mapped[dict[str, Any]] = mapped_column(default=dict)
    started_at: Mapped[datetime | None] = mapped_column(default=None)
    completed_at: Mapped[datetime | None] = mapped_column(default=None)
    estimated_duration: Mapped[float | None] = mapped_column(Float, default=None)
    actual_duration: Mapped[float | None] = mapped_column(Float, default=None)
    lease_owner: Mapped[str | None] = mapped_column(String(64), default=None)
    lease_expires_at: Mapped[datetime | None] = mapped_column(default=None)
    # A completed job whose result needs a person's look (graphq.review); counted by monitors.
    needs_review: Mapped[bool] = mapped_column(Boolean, default=False)

    # Each read served per page or poll has its index (migration 0005 says which reads).
    __table_args__ = (
        Index(
            "ix_jobs_queue_status",
            "queue_id",
            "status",
            "priority",
            "completed_at",
            "actual_duration",
        ),
        Index("ix_jobs_product", "product_id"),
        # Partial where the reads need only some of the jobs (migrations 0009, 0010, 0011 say why).
        Index(
            "ix_jobs_batch",
            "batch_id",
            sqlite_where=text("batch_id IS NOT NULL"),
            postgresql_where=text("batch_id IS NOT NULL"),
        ),
        Index(
            "ix_jobs_kind_completed",
            "kind",
            "status",
            "completed_at",
            "actual_duration",
            sqlite_where=text("completed_at IS NOT NULL"),
            postgresql_where=text("completed_at IS NOT NULL"),
        ),
        # ``kind`` rides along so the job list filtered by kind filters in the index (0011).
        Index("ix_jobs_created", "created_at", "enqueued_ns", "id", "kind"),
        Index("ix_jobs_status_created", "status", "created_at", "enqueued_ns", "id"),
        Index("ix_jobs_queue_created", "queue_id", "created_at", "enqueued_ns", "id"),
        Index(
            "ix_jobs_completed",
            "status",
            "completed_at",
            "actual_duration",
            sqlite_where=text("completed_at IS NOT NULL"),
            postgresql_where=text("completed_at IS NOT NULL"),
        ),
        Index(
            "ix_jobs_updated",
            "updated_at",
            sqlite_where=JOB_AT_REST_CHANGED,
            postgresql_where=JOB_AT_REST_CHANGED,
        ),
        Index(
            "ix_jobs_needs_review",
            "needs_review",
            sqlite_where=text("needs_review = 1 OR needs_review IS 1"),
            postgresql_where=text("needs_review OR needs_review IS TRUE"),
        ),
        Index(
            "ix_jobs_errors",
            "updated_at",
            "error_code",
            sqlite_where=text("error_code IS NOT NULL"),
            postgresql_where=text("error_code IS NOT NULL"),
        ),
    )


class ExtractionResult(Timestamped, Base):
    """One per image a job read: a digitize job stores one, a datasheet job one per graph."""

    __tablename__ = "extraction_results"

    job_id: Mapped[str] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"))
    product_id: Mapped[str] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"))
    image_id: Mapped[str | None] = mapped_column(
        ForeignKey("graph_images.id", ondelete="CASCADE"), default=None
    )
    csv_file_path: Mapped[str | None] = mapped_column(String(500), default=None)
    csv_data: Mapped[str | None] = mapped_column(Text, default=None)
    overlay_file_path: Mapped[str | None] = mapped_column(String(500), default=None)
    result_metadata: Mapped[dict[str, Any]] = mapped_column("metadata", default=dict)
    confidence: Mapped[float] = mapped_column(Float, default=0.0)
    data_points: Mapped[int] = mapped_column(Integer, default=0)
    processing_time: Mapped[float] = mapped_column(Float, default=0.0)
    extraction_method: Mapped[str] = mapped_column(String(20), default="standard")
    parameters: Mapped[dict[str, Any]] = mapped_column(default=dict)
    needs_review: Mapped[bool] = mapped_column(Boolean, default=False)
    # [{"code", "message"}, …] as graphq.review.Review gives them.
    review_reasons: Mapped[list[Any]] = mapped_column(default=list)
    # A reviewer's sign-off (POST /api/result/{id}/accept): when, and the key's id (none
    # with auth disabled). The review reasons stay as the digitizer gave them.
    accepted_at: Mapped[datetime | None] = mapped_column(default=None)
    accepted_by: Mapped[str | None] = mapped_column(String(36), default=None)

    __table_args__ = (
        UniqueConstraint("job_id", "image_id", name="uq_extraction_results_job_image"),
        Index("ix_extraction_results_product", "product_id", "created_at", "id"),
    )


class DeadLetter(Timestamped, Base):
    __tablename__ = "dead_letters"

    job_id: Mapped[str] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"))
    error_code: Mapped[str] = mapped_column(String(50))
    error_message: Mapped[str] = mapped_column(Text, default="")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    reprocessed_at: Mapped[datetime | None] = mapped_column(default=None)
    reprocess_notes: Mapped[str | None] = mapped_column(Text, default=None)

    __table_args__ = (
        Index("ix_dead_letters_job", "job_id"),
        Index("ix_dead_letters_waiting", "reprocessed_at", "created_at"),
    )


class SpiceModel(Timestamped, Base):
    __tablename__ = "spice_models"

    product_id: Mapped[str] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"))
    job_id: Mapped[str] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"), unique=True)
    model_type: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    parameters: Mapped[dict[str, Any]] = mapped_column(default=dict)
    model_text: Mapped[str] = mapped_column(Text)
    model_file_path: Mapped[str | None] = mapped_column(String(500), default=None)
    report_file_path: Mapped[str | None] = mapped_column(String(500), default=None)
    fit_report: Mapped[dict[str, Any]] = mapped_column(default=dict)
    verification: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    version: Mapped[int] = mapped_column(Integer)
    needs_review: Mapped[bool] = mapped_column(Boolean, default=False)
    review_reasons: Mapped[list[Any]] = mapped_column(default=list)

    __table_args__ = (UniqueConstraint("product_id", "version"),)


class ApiKey(Timestamped, Base):
    __tablename__ = "api_keys"

    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))
    last_used_at: Mapped[datetime | None] = mapped_column(default=None)
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)


class QueueEvent(Base):
    """The event outbox of a cluster (PostgreSQL): every node's job and queue events, in the
    order they committed. The id is the event id of server-sent events on every node, so a
    client replays with ``Last-Event-ID`` wherever it reconnects (graphq.queue.event_relay).
    Pruned to the newest rows; unused on SQLite, where events stay in the process."""

    __tablename__ = "queue_events"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    node: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(64))
    queue_id: Mapped[str | None] = mapped_column(String(36), default=None)
    job_id: Mapped[str | None] = mapped_column(String(36), default=None)
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class QueueDispatchCredits(Base):
    """A manual queue's dispatch credits, shared by every node that claims from the queue
    (graphq.queue.cluster_claims); one node keeps them in memory on SQLite."""

    __tablename__ = "queue_dispatch_credits"

    queue_id: Mapped[str] = mapped_column(
        ForeignKey("extraction_queues.id", ondelete="CASCADE"), primary_key=True
    )
    credits: Mapped[int] = mapped_column(Integer, default=0)


class QueueCount(Base):
    """How many jobs each queue holds per status and priority, and (status
    :data:`WAITING_LETTERS`, priority ``""``) how many of its dead letters await reprocessing.

    Kept by triggers in the transaction of every change of a job or a letter (migration 0014),
    so stats and monitors read a few rows instead of counting the job table. A key's count is
    the sum of its shards: SQLite, one writer, keeps shard 0 alone; on PostgreSQL each
    connection adds to its own shard (its backend's pid), so nodes completing jobs at once never
    wait on one another's counter rows, and :func:`graphq.queue.counts.fold` folds them back
    into shard 0 now and then.
    """

    __tablename__ = "queue_counts"

    queue_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    status: Mapped[str] = mapped_column(String(20), primary_key=True)
    priority: Mapped[str] = mapped_column(String(10), primary_key=True)
    shard: Mapped[int] = mapped_column(Integer, primary_key=True)
    n: Mapped[int] = mapped_column(BigInteger, default=0)


# The status under which :class:`QueueCount` counts a queue's dead letters awaiting
# reprocessing (no job status is spelt so).
WAITING_LETTERS = "letters_waiting"
