"""ORM rows to API Structs: the one place that knows both shapes."""

from __future__ import annotations

from collections import Counter

from graphq.api import schemas as s
from graphq.db import models as m
from graphq.runtime import Runtime
from graphq.services.batches import batch_status
from graphq.services.datasheets import DatasheetDetail


def product(row: m.Product) -> s.ProductOut:
    return s.ProductOut(
        id=row.id,
        name=row.name,
        manufacturer=row.manufacturer,
        part_number=row.part_number,
        device_type=row.device_type,
        package=row.package,
        description=row.description,
        status=row.status,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def image(row: m.GraphImage) -> s.ImageOut:
    return s.ImageOut(
        id=row.id,
        product_id=row.product_id,
        filename=row.filename,
        file_path=row.file_path,
        upload_date=row.upload_date,
        description=row.description,
        status=row.status,
        file_size=row.file_size,
        mime_type=row.mime_type,
        dimensions=s.Dimensions(width=row.width, height=row.height),
        sha256=row.sha256,
        graph_type=row.graph_type,
        metadata=row.graph_meta,
        created_at=row.created_at,
        updated_at=row.updated_at,
        datasheet_id=row.datasheet_id,
        page=row.page,
        box=row.box,
    )


def datasheet(detail: DatasheetDetail) -> s.DatasheetOut:
    row = detail.datasheet
    graphs = [
        s.DatasheetGraphOut(
            image_id=graph.image.id,
            result_id=graph.result.id if graph.result else None,
            page=graph.image.page,
            box=graph.image.box,
            graph_type=graph.image.graph_type,
            status=graph.image.status,
            needs_review=bool(graph.result and graph.result.needs_review),
        )
        for graph in detail.graphs
    ]
    return s.DatasheetOut(
        id=row.id,
        product_id=row.product_id,
        filename=row.filename,
        file_size=row.file_size,
        sha256=row.sha256,
        pages=row.pages,
        status=row.status,
        job_id=detail.job.id if detail.job else None,
        needs_review=any(graph.needs_review for graph in graphs),
        graphs=graphs,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def queue(rt: Runtime, row: m.ExtractionQueue) -> s.QueueOut:
    state = rt.engine.queues.get(row.id)
    return s.QueueOut(
        id=row.id,
        name=row.name,
        mode=row.mode,
        status=row.status,
        max_concurrent_jobs=row.max_concurrent_jobs,
        priority_policy=row.priority_policy,
        description=row.description,
        settings=row.settings or {},
        depth=len(state.heap) if state else 0,
        running=len(state.running) if state else 0,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def job(row: m.Job) -> s.JobOut:
    error = None
    if row.error_code:
        error = s.JobError(code=row.error_code, message=row.error_message or "")
    return s.JobOut(
        id=row.id,
        product_id=row.product_id,
        image_id=row.image_id,
        queue_id=row.queue_id,
        batch_id=row.batch_id,
        kind=row.kind,
        status=row.status,
        priority=row.priority,
        progress=row.progress,
        current_step=row.current_step,
        attempts=row.attempts,
        max_attempts=row.max_attempts,
        next_attempt_at=row.next_attempt_at,
        error=error,
        extraction_method=row.extraction_method,
        parameters=row.parameters or {},
        started_at=row.started_at,
        completed_at=row.completed_at,
        estimated_duration=row.estimated_duration,
        actual_duration=row.actual_duration,
        lease_owner=row.lease_owner,
        lease_expires_at=row.lease_expires_at,
        created_at=row.created_at,
        updated_at=row.updated_at,
        datasheet_id=row.datasheet_id,
        needs_review=row.needs_review,
    )


def batch(row: m.Batch, jobs: list[m.Job]) -> s.BatchOut:
    counts = Counter(j.status for j in jobs)
    return s.BatchOut(
        id=row.id,
        name=row.name,
        queue_id=row.queue_id,
        status=batch_status(counts),
        counts=dict(counts),
        total=len(jobs),
        jobs=[job(j) for j in jobs],
        created_at=row.created_at,
    )


def dead_letter(row: m.DeadLetter) -> s.DeadLetterOut:
    return s.DeadLetterOut(
        id=row.id,
        job_id=row.job_id,
        error=s.JobError(code=row.error_code, message=row.error_message),
        attempts=row.attempts,
        payload=row.payload,
        created_at=row.created_at,
        reprocessed_at=row.reprocessed_at,
        reprocess_notes=row.reprocess_notes,
    )


def result(row: m.ExtractionResult) -> s.ResultOut:
    return s.ResultOut(
        id=row.id,
        job_id=row.job_id,
        product_id=row.product_id,
        image_id=row.image_id,
        confidence=row.confidence,
        data_points=row.data_points,
        processing_time=row.processing_time,
        extraction_method=row.extraction_method,
        parameters=row.parameters,
        metadata=row.result_metadata,
        csv_data=row.csv_data,
        created_at=row.created_at,
        needs_review=row.needs_review,
        reasons=[s.ReviewReasonOut(**reason) for reason in row.review_reasons or []],
    )


def spice_model(row: m.SpiceModel) -> s.SpiceModelOut:
    return s.SpiceModelOut(
        id=row.id,
        product_id=row.product_id,
        job_id=row.job_id,
        model_type=row.model_type,
        name=row.name,
        version=row.version,
        parameters=row.parameters,
        fit_report=row.fit_report,
        verification=row.verification,
        model_text=row.model_text,
        created_at=row.created_at,
        needs_review=row.needs_review,
        reasons=[s.ReviewReasonOut(**reason) for reason in row.review_reasons or []],
    )


def api_key(row: m.ApiKey) -> s.KeyOut:
    return s.KeyOut(
        id=row.id,
        name=row.name,
        role=row.role,
        prefix=row.prefix,
        created_at=row.created_at,
        last_used_at=row.last_used_at,
        revoked_at=row.revoked_at,
    )
