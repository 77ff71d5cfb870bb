"""A product's graphs as its page shows them: each image with its jobs and result versions.

Built from the same service calls and API shapes (``graphq.api.views``) that
``GET /api/product/{id}/images``, ``/api/jobs?product=`` and ``/api/product/{id}/results``
answer with, so a page never shows what a script could not read.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from graphq.api import views
from graphq.api.schemas import ImageOut, JobOut, ResultOut
from graphq.db.database import Database
from graphq.db.models import ExtractionResult
from graphq.services import images, results
from graphq.services.jobs import JobFilter, list_jobs

# A product page lists this many of its newest jobs; older ones are in the API's job list.
PRODUCT_JOBS_SHOWN = 500
GRAPH_KINDS = ("digitize", "datasheet")


@dataclass
class Version:
    """One run over an image: its job and (once completed) its result."""

    number: int
    job: JobOut
    result: ResultOut | None


@dataclass
class GraphCard:
    image: ImageOut
    # Newest first; a graph found in a datasheet starts with the datasheet's job.
    versions: list[Version] = field(default_factory=list)

    @property
    def latest(self) -> Version | None:
        return self.versions[0] if self.versions else None

    @property
    def result(self) -> ResultOut | None:
        """The newest stored result: the one a fit uses."""
        return next((v.result for v in self.versions if v.result), None)


async def product_jobs(db: Database, product_id: str) -> list[JobOut]:
    rows, _ = await list_jobs(
        db, JobFilter(product_id=product_id), limit=PRODUCT_JOBS_SHOWN, offset=0
    )
    return [views.job(row) for row in rows]


async def product_graphs(
    db: Database, product_id: str, jobs: list[JobOut] | None = None
) -> list[GraphCard]:
    """Every image of the product with its runs, newest run first, carrying only the newest
    result (``GraphCard.result``, its curves named but without points), the one a product
    page shows: older versions and whole curves are on the graph's own page
    (:func:`graph_card`)."""
    jobs = jobs if jobs is not None else await product_jobs(db, product_id)
    stored = [views.image(row) for row in await images.list_images(db, product_id)]
    return _cards(stored, jobs, await results.newest_image_results(db, product_id))


def _cards(
    stored: list[ImageOut], jobs: list[JobOut], result_rows: list[ExtractionResult]
) -> list[GraphCard]:
    """The cards of ``stored`` images, with each image's runs found by one lookup rather
    than a pass over every job per image (a datasheet brings dozens of images)."""
    by_job: dict[tuple[str, str | None], ResultOut] = {
        (row.job_id, row.image_id): views.result(row) for row in result_rows
    }
    by_image: dict[str, list[JobOut]] = defaultdict(list)
    by_datasheet: dict[str, list[JobOut]] = defaultdict(list)
    for job in jobs:
        if job.kind not in GRAPH_KINDS:
            continue
        if job.image_id is not None:
            by_image[job.image_id].append(job)
        elif job.datasheet_id is not None:
            by_datasheet[job.datasheet_id].append(job)
    cards = []
    for image in stored:
        runs = list(by_image.get(image.id, []))
        if image.datasheet_id is not None:
            runs += by_datasheet.get(image.datasheet_id, [])
        runs.sort(key=lambda j: j.created_at)
        versions = [
            Version(number, job, by_job.get((job.id, image.id)))
            for number, job in enumerate(runs, start=1)
        ]
        cards.append(GraphCard(image, list(reversed(versions))))
    return cards


async def graph_card(db: Database, image_id: str) -> GraphCard:
    """One image's card, without building the cards of the product's other images."""
    image = views.image(await images.get_image(db, image_id))
    jobs = await product_jobs(db, image.product_id)
    (card,) = _cards([image], jobs, await results.image_results(db, image.product_id, image.id))
    return card
