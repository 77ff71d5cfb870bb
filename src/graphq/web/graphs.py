"""A product's graphs as its page shows them: each image with its jobs and result versions.

Built from the same service calls and API shapes (``graphq.api.views``) that
``GET /api/product/{id}/images``, ``/api/jobs?product=`` and ``/api/product/{id}/results``
answer with, so a page never shows what a script could not read.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from graphq.api import views
from graphq.api.schemas import ImageOut, JobOut, ResultOut
from graphq.runtime import Runtime
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


async def product_jobs(rt: Runtime, product_id: str) -> list[JobOut]:
    rows, _ = await list_jobs(
        rt, JobFilter(product_id=product_id), limit=PRODUCT_JOBS_SHOWN, offset=0
    )
    return [views.job(row) for row in rows]


async def product_graphs(
    rt: Runtime, product_id: str, jobs: list[JobOut] | None = None
) -> list[GraphCard]:
    """Every image of the product with its runs, newest run first."""
    jobs = jobs if jobs is not None else await product_jobs(rt, product_id)
    stored = [views.image(row) for row in await images.list_images(rt, product_id)]
    by_job: dict[tuple[str, str | None], ResultOut] = {}
    for row in await results.product_results(rt, product_id):
        by_job[(row.job_id, row.image_id)] = views.result(row)
    cards = []
    for image in stored:
        runs = [
            j
            for j in jobs
            if j.kind in GRAPH_KINDS
            and (j.image_id == image.id or (j.image_id is None and _same_datasheet(j, image)))
        ]
        runs.sort(key=lambda j: j.created_at)
        versions = [
            Version(number, job, by_job.get((job.id, image.id)))
            for number, job in enumerate(runs, start=1)
        ]
        cards.append(GraphCard(image, list(reversed(versions))))
    return cards


def _same_datasheet(job: JobOut, image: ImageOut) -> bool:
    return image.datasheet_id is not None and job.datasheet_id == image.datasheet_id


async def graph_card(rt: Runtime, image_id: str) -> GraphCard:
    image = await images.get_image(rt, image_id)
    for card in await product_graphs(rt, image.product_id):
        if card.image.id == image_id:
            return card
    return GraphCard(views.image(image))
