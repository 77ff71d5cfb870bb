"""``GET /metrics``: the queue and the HTTP API in the Prometheus text format.

HTTP latency is measured by Litestar's Prometheus middleware (``prometheus_client``,
Apache-2.0) into the process's default registry, grouped by route template so ids do not
multiply the series; event streams are left out, since their "latency" is how long a client
stayed connected. The queue's figures are read at each scrape (:mod:`graphq.services.metrics`).
Only an admin key may scrape: job counts and queue names are operational detail.
"""

from __future__ import annotations

from collections.abc import Iterator

from litestar import Response, get
from litestar.plugins.prometheus import PrometheusConfig
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily, HistogramMetricFamily, Metric
from prometheus_client.registry import Collector

from graphq.api.auth import EVENTS_PREFIX, admin
from graphq.db.database import Database
from graphq.queue.front import QueueFront
from graphq.queue.vocabulary import JobStatus
from graphq.services import metrics
from graphq.services.metrics import Snapshot

# Job run times span a no-op (milliseconds) to a long datasheet or fit (minutes).
JOB_DURATION_BOUNDS_S = (0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0, 600.0)
# API answers take milliseconds; uploads and one-off extractions take up to seconds.
HTTP_LATENCY_BOUNDS_S = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0]

PROMETHEUS = PrometheusConfig(
    app_name="graphq",
    prefix="graphq_http",
    group_path=True,
    buckets=list(HTTP_LATENCY_BOUNDS_S),
    exclude=[f"^{EVENTS_PREFIX}"],
)


class _Families(Collector):
    """The scrape's queue figures as metric families, for ``generate_latest``."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot

    def collect(self) -> Iterator[Metric]:
        s = self.snapshot
        by_status = GaugeMetricFamily("graphq_jobs", "jobs by status", labels=["status"])
        for status in JobStatus:
            by_status.add_metric([status], s.jobs_by_status.get(status, 0))
        yield by_status
        review = GaugeMetricFamily(
            "graphq_jobs_needs_review", "jobs whose result needs review, by kind", labels=["kind"]
        )
        for kind, count in sorted(s.needs_review_by_kind.items()):
            review.add_metric([kind], count)
        yield review
        yield GaugeMetricFamily(
            "graphq_dead_letters", "dead letters not yet reprocessed", value=s.dead_letters
        )
        depth = GaugeMetricFamily("graphq_queue_depth", "jobs waiting, by queue", labels=["queue"])
        running = GaugeMetricFamily(
            "graphq_queue_running", "jobs running, by queue", labels=["queue"]
        )
        for queue in sorted(s.queues, key=lambda q: q.name):
            depth.add_metric([queue.name], queue.waiting)
            running.add_metric([queue.name], queue.running)
        yield depth
        yield running
        yield GaugeMetricFamily("graphq_worker_slots", "worker slots", value=s.slots)
        yield GaugeMetricFamily(
            "graphq_worker_slots_busy", "worker slots running a job", value=s.slots_busy
        )
        durations = HistogramMetricFamily(
            "graphq_job_duration_seconds", "run time of completed jobs, by kind", labels=["kind"]
        )
        for kind, seen in sorted(s.durations_by_kind.items()):
            bounds = [str(bound) for bound in JOB_DURATION_BOUNDS_S]
            buckets = [*zip(bounds, seen.cumulative, strict=True), ("+Inf", seen.count)]
            durations.add_metric([kind], buckets, sum_value=seen.total_s)
        yield durations


@get(
    "/metrics",
    guards=[admin],
    tags=["operations"],
    media_type=CONTENT_TYPE_LATEST,
)
async def prometheus_metrics(db: Database, front: QueueFront) -> Response[bytes]:
    """Prometheus metrics.

    The queue (depth and running jobs per queue, jobs by status, job durations per kind as
    histograms, dead letters, busy worker slots, jobs needing review) and the HTTP API (request
    latency per route template, method and status) in the Prometheus text format. Needs an admin
    key: ``Authorization: Bearer <key>``.
    """
    snapshot = await metrics.snapshot(db, front, JOB_DURATION_BOUNDS_S)
    queue = CollectorRegistry(auto_describe=False)
    queue.register(_Families(snapshot))
    body = generate_latest(queue) + generate_latest(REGISTRY)
    return Response(body, media_type=CONTENT_TYPE_LATEST)
