"""Review one graph: fix its frame, axes and curves, and run it again.

A re-run is an ordinary ``digitize`` job made as ``POST /api/job/create`` makes it, with the
fixes as its ``parameters`` (they refine the image's stored metadata): ``plotArea`` in image
pixels, ``axes``, ``labels`` and ``curves`` (how many to find). Each run keeps its own result,
so the old version stays beside the new one, and a fit uses the newest.

What the job API cannot express yet is said on the page, not faked: a curve is deleted by
asking for one fewer (the digitizer chooses which ink it drops), and there is no parameter
to add a curve by clicking along it, nor an "accepted" mark on a result.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.datastructures import FormMultiDict
from litestar.response import Redirect, Template

from graphq.errors import GraphqError
from graphq.runtime import Runtime
from graphq.services.jobs import JobRequest, create_jobs
from graphq.web.access import Visitor, checked_form
from graphq.web.graphs import graph_card
from graphq.web.pages import done, failed, render
from graphq.web.products import axes_from_form

CURVE_FIELDS_LIMIT = 50  # a graph with more curves than this is not a datasheet graph


def _frame(form: FormMultiDict, width: int, height: int) -> list[float]:
    """The plot frame ``[x0, y0, x1, y1]`` in image pixels, inside the image, left < right."""
    try:
        x0, y0, x1, y1 = (float(str(form.get(f"frame_{n}"))) for n in ("x0", "y0", "x1", "y1"))
    except ValueError:
        raise GraphqError("INVALID_PARAMETERS", "the frame corners must be numbers") from None
    x0, x1 = sorted((min(max(x0, 0), width), min(max(x1, 0), width)))
    y0, y1 = sorted((min(max(y0, 0), height), min(max(y1, 0), height)))
    if x1 - x0 < 2 or y1 - y0 < 2:
        raise GraphqError("INVALID_PARAMETERS", "the frame must be at least 2 pixels wide and high")
    return [round(x0, 1), round(y0, 1), round(x1, 1), round(y1, 1)]


def _curves(form: FormMultiDict) -> list[str]:
    """The kept curves' labels, in the order shown; a deleted curve is left out."""
    labels = []
    for index in range(CURVE_FIELDS_LIMIT):
        label = form.get(f"curve_{index}_label")
        if label is None:
            break
        if form.get(f"curve_{index}_delete"):
            continue
        labels.append(str(label).strip() or f"curve {index + 1}")
    return labels


def fix_parameters(form: FormMultiDict, width: int, height: int) -> dict[str, Any]:
    """The job ``parameters`` for a re-run with the form's fixes."""
    parameters: dict[str, Any] = {
        "plotArea": _frame(form, width, height),
        "axes": axes_from_form(form),
    }
    labels = _curves(form)
    if labels:
        parameters["labels"] = labels
        parameters["curves"] = len(labels)
    return parameters


class ReviewPages(Controller):
    path = "/graphs"

    @get("/{image_id:str}")
    async def review_page(self, rt: Runtime, visitor: Visitor, image_id: str) -> Template:
        card = await graph_card(rt, image_id)
        result = card.result
        meta = result.metadata if result else {}
        axes = (
            (card.latest.job.parameters.get("axes") if card.latest else None)
            or meta.get("axes")
            or card.image.metadata.get("axes")
            or {}
        )
        dims = card.image.dimensions
        frame = meta.get("plotArea") or [0, 0, dims.width, dims.height]
        return render(
            visitor,
            "review.html",
            card=card,
            axes=axes,
            frame=frame,
            curves=meta.get("curves") or [],
        )

    @post("/{image_id:str}/rerun", status_code=303)
    async def rerun(
        self, rt: Runtime, request: Request[Any, Any, Any], visitor: Visitor, image_id: str
    ) -> Redirect:
        form = await checked_form(request, visitor)
        visitor.need("operator")
        back = f"/graphs/{image_id}"
        card = await graph_card(rt, image_id)
        dims = card.image.dimensions
        try:
            parameters = fix_parameters(form, dims.width, dims.height)
            (job,) = await create_jobs(
                rt,
                [
                    JobRequest(
                        product_id=card.image.product_id,
                        image_id=image_id,
                        priority="high",
                        parameters=parameters,
                    )
                ],
            )
        except GraphqError as error:
            return failed(visitor, back, error)
        return done(visitor, back, f"re-running as job {job.id}; the old version is kept")
