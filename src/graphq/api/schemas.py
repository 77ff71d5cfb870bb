"""API request and response shapes (msgspec Structs, camelCase on the wire)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

import msgspec

from graphq.queue.vocabulary import JobStatus, Priority
from graphq.schema_base import Struct
from graphq.spice.model_file import ModelName

Method = Literal["standard", "legacy", "llm"]
JobKind = Annotated[str, msgspec.Meta(min_length=1, max_length=20, pattern=r"^[a-z_]+$")]
NonEmpty = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
Text = Annotated[str, msgspec.Meta(max_length=10_000)]


class Page(Struct):
    items: list[Any]
    total: int
    limit: int
    offset: int


# -- products -----------------------------------------------------------------------------


class ProductCreate(Struct):
    name: NonEmpty
    part_number: NonEmpty
    manufacturer: Annotated[str, msgspec.Meta(max_length=200)] = ""
    device_type: Annotated[str, msgspec.Meta(max_length=40)] = "Si-MOSFET"
    package: Annotated[str, msgspec.Meta(max_length=100)] = ""
    description: Text = ""
    status: Literal["active", "archived"] = "active"


class ProductUpdate(Struct):
    name: NonEmpty | None = None
    part_number: NonEmpty | None = None
    manufacturer: Annotated[str, msgspec.Meta(max_length=200)] | None = None
    device_type: Annotated[str, msgspec.Meta(max_length=40)] | None = None
    package: Annotated[str, msgspec.Meta(max_length=100)] | None = None
    description: Text | None = None
    status: Literal["active", "archived"] | None = None


class ProductOut(Struct):
    id: str
    name: str
    manufacturer: str
    part_number: str
    device_type: str
    package: str
    description: str
    status: str
    created_at: datetime
    updated_at: datetime


# -- images ---------------------------------------------------------------------------------


class Dimensions(Struct):
    width: int
    height: int


class ImageOut(Struct):
    id: str
    product_id: str
    filename: str
    file_path: str
    upload_date: datetime
    description: str
    status: str
    file_size: int
    mime_type: str
    dimensions: Dimensions
    sha256: str
    graph_type: str
    metadata: dict[str, Any]
    created_at: datetime
    updated_at: datetime
    # A graph panel rendered from a datasheet: its datasheet, 1-based page, and frame box
    # [x0, y0, x1, y1] in PDF points from the page's top-left; null for an uploaded image.
    datasheet_id: str | None = None
    page: int | None = None
    box: list[float] | None = None


# -- datasheets -----------------------------------------------------------------------------


class DatasheetGraphOut(Struct):
    """One graph found in a datasheet: its image and its result (null until stored)."""

    image_id: str
    result_id: str | None
    page: int | None
    box: list[float] | None
    graph_type: str
    status: str
    needs_review: bool


class DatasheetOut(Struct):
    id: str
    product_id: str
    filename: str
    file_size: int
    sha256: str
    pages: int
    status: str
    job_id: str | None
    needs_review: bool
    graphs: list[DatasheetGraphOut]
    created_at: datetime
    updated_at: datetime


# -- queues ---------------------------------------------------------------------------------


class QueueSettingsIn(Struct, omit_defaults=True):
    max_attempts: Annotated[int, msgspec.Meta(ge=1, le=100)] | None = None
    retry_base_s: Annotated[float, msgspec.Meta(ge=0, le=3600)] | None = None
    retry_cap_s: Annotated[float, msgspec.Meta(ge=0, le=86400)] | None = None
    job_timeout_s: Annotated[float, msgspec.Meta(gt=0, le=86400)] | None = None


class QueueCreate(Struct):
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=100, pattern=r"^[\w .:-]+$")]
    mode: Literal["automatic", "manual"] = "automatic"
    max_concurrent_jobs: Annotated[int, msgspec.Meta(ge=1, le=64)] = 3
    priority_policy: Literal["fifo", "priority"] = "priority"
    description: Text = ""
    settings: QueueSettingsIn | None = None


class QueueUpdate(Struct):
    name: (
        Annotated[str, msgspec.Meta(min_length=1, max_length=100, pattern=r"^[\w .:-]+$")] | None
    ) = None
    mode: Literal["automatic", "manual"] | None = None
    status: Literal["active", "paused", "stopped"] | None = None
    max_concurrent_jobs: Annotated[int, msgspec.Meta(ge=1, le=64)] | None = None
    priority_policy: Literal["fifo", "priority"] | None = None
    description: Text | None = None
    settings: QueueSettingsIn | None = None


class QueueOut(Struct):
    id: str
    name: str
    mode: str
    status: str
    max_concurrent_jobs: int
    priority_policy: str
    description: str
    settings: dict[str, Any]
    depth: int
    running: int
    created_at: datetime
    updated_at: datetime


class DispatchRequest(Struct):
    count: Annotated[int, msgspec.Meta(ge=1, le=1000)] = 1


class DispatchOut(Struct):
    queue_id: str
    dispatched: int
    waiting: int


# -- jobs -----------------------------------------------------------------------------------


class JobError(Struct):
    code: str
    message: str


class JobCreate(Struct):
    product_id: str
    image_id: str | None = None
    queue_id: str | None = None
    priority: Priority = Priority.NORMAL
    kind: JobKind = "digitize"
    extraction_method: Method = "standard"
    parameters: dict[str, Any] = msgspec.field(default_factory=dict)


class JobOut(Struct):
    id: str
    product_id: str
    image_id: str | None
    queue_id: str
    batch_id: str | None
    kind: str
    status: JobStatus
    priority: Priority
    progress: float
    current_step: str
    attempts: int
    max_attempts: int
    next_attempt_at: datetime | None
    error: JobError | None
    extraction_method: str
    parameters: dict[str, Any]
    started_at: datetime | None
    completed_at: datetime | None
    estimated_duration: float | None
    actual_duration: float | None
    lease_owner: str | None
    lease_expires_at: datetime | None
    created_at: datetime
    updated_at: datetime
    datasheet_id: str | None = None
    # The job completed, but what it stored needs a person's look (see the result's reasons).
    needs_review: bool = False


class JobCreated(Struct):
    job: JobOut
    queue_position: int | None
    estimated_wait_s: float | None


class PriorityUpdate(Struct):
    priority: Priority


class JobList(Struct):
    items: list[JobOut]
    # How many jobs match; null on a page reached by cursor (only the first page counts).
    total: int | None
    limit: int
    offset: int
    # Pass as ``cursor`` for the next page; null on the last page.
    next_cursor: str | None = None


# -- batches ----------------------------------------------------------------------------------


class BatchCreate(Struct):
    jobs: Annotated[list[JobCreate], msgspec.Meta(min_length=1, max_length=1000)]
    name: Annotated[str, msgspec.Meta(max_length=200)] = ""
    queue_id: str | None = None
    priority: Priority | None = None


class BatchOut(Struct):
    id: str
    name: str
    queue_id: str
    status: str
    counts: dict[str, int]
    total: int
    jobs: list[JobOut]
    created_at: datetime


# -- dead letters ------------------------------------------------------------------------------


class DeadLetterOut(Struct):
    id: str
    job_id: str
    error: JobError
    attempts: int
    payload: dict[str, Any]
    created_at: datetime
    reprocessed_at: datetime | None
    reprocess_notes: str | None


class ReprocessRequest(Struct):
    notes: Annotated[str, msgspec.Meta(max_length=2000)] = ""
    priority: Priority | None = None


# -- extraction -------------------------------------------------------------------------------


class ExtractRequest(Struct):
    image_ids: list[str] | None = None
    priority: Priority = Priority.NORMAL
    method: Method = "standard"
    queue_id: str | None = None


class JobsOut(Struct):
    jobs: list[JobOut]


class UploadOut(Struct):
    images: list[ImageOut]
    jobs: list[JobOut]


class DatasheetUploadOut(Struct):
    datasheets: list[DatasheetOut]
    jobs: list[JobOut]


class ReviewReasonOut(Struct):
    code: str
    message: str


class ResultOut(Struct):
    id: str
    job_id: str
    product_id: str
    image_id: str | None
    confidence: float
    data_points: int
    processing_time: float
    extraction_method: str
    parameters: dict[str, Any]
    metadata: dict[str, Any]
    csv_data: str | None
    created_at: datetime
    needs_review: bool = False
    reasons: list[ReviewReasonOut] = msgspec.field(default_factory=list)
    # Set once a reviewer accepted the result (POST /api/result/{id}/accept).
    accepted_at: datetime | None = None
    accepted_by: str | None = None


class SpiceRequest(Struct):
    model_type: Literal["vdmos", "gan-epc"] | None = None
    name: ModelName | None = None
    priority: Priority = Priority.NORMAL
    queue_id: str | None = None


class SpiceModelOut(Struct):
    id: str
    product_id: str
    job_id: str
    model_type: str
    name: str
    version: int
    parameters: dict[str, Any]
    fit_report: dict[str, Any]
    verification: dict[str, Any] | None
    model_text: str
    created_at: datetime
    # The fit's quality gate: curves left out, conditions assumed, curves beyond their limits,
    # parameters on a bound or against the device type.
    needs_review: bool = False
    reasons: list[ReviewReasonOut] = msgspec.field(default_factory=list)


# -- keys --------------------------------------------------------------------------------------


class KeyCreate(Struct):
    name: NonEmpty
    role: Literal["viewer", "operator", "admin"] = "viewer"


class KeyOut(Struct):
    id: str
    name: str
    role: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class KeyCreated(Struct):
    key: KeyOut
    secret: str
