"""Review one graph: fix its frame, axes and curves, and run it again.

A re-run is an ordinary ``digitize`` job made as ``POST /api/job/create`` makes it, with the
fixes as its ``parameters`` (they refine the image's stored metadata): ``plotArea`` in image
pixels, ``axes``, ``labels`` and ``curves`` (how many to find). Each run keeps its own result,
so the old version stays beside the new one, and a fit uses the newest.

A curve is added by clicking along it: the clicks go as ``addedCurves`` and the job traces
the ink between them (``graphq.digitizer.methods.seeded``). What the job API cannot express is said
on the page, not faked: a digitizer's curve is deleted by asking for one fewer (the
digitizer chooses which ink it drops). Accepting the newest result goes through
``POST /api/result/{id}/accept``'s service, as a script's would.
"""

from __future__ import annotations

import json
from typing import Any

from litestar import Controller, Request, get, post
from litestar.datastructures import FormMultiDict
from litestar.response import Redirect, Template

from graphq.db.database import Database
from graphq.errors import GraphqError
from graphq.queue.front import QueueFront
from graphq.queue.vocabulary import Priority
from graphq.services.acceptance import accept_result
from graphq.services.jobs import JobRequest, create_jobs
from graphq.web.access import Visitor, checked_form
from graphq.web.graphs import graph_card
from graphq.web.pages import LIVE_REFRESH_HEADER, done, failed, fragment, render
from graphq.web.products import axes_from_form

CURVE_FIELDS_LIMIT = 50  # a graph with more curves than this is not a datasheet graph
MIN_CLICKS = 2  # a curve added by clicks is traced between consecutive clicks


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


def _clicks(text: str) -> list[list[float]]:
    """Clicks as the page sends them: a JSON list of ``[x, y]`` image pixels."""
    try:
        clicks = json.loads(text)
        points = [[float(x), float(y)] for x, y in clicks]
    except (ValueError, TypeError):
        raise GraphqError("INVALID_PARAMETERS", "the clicked points are not [x, y] pairs") from None
    return points


def _curves(form: FormMultiDict) -> tuple[list[str], list[dict[str, Any]]]:
    """The kept curves in the order shown: the digitizer's labels, and the curves added by
    clicks (an earlier version's, carried with their clicks, then a newly clicked one)."""
    labels: list[str] = []
    added: list[dict[str, Any]] = []
    for index in range(CURVE_FIELDS_LIMIT):
        label = form.get(f"curve_{index}_label")
        if label is None:
            break
        if form.get(f"curve_{index}_delete"):
            continue
        name = str(label).strip() or f"curve {index + 1}"
        clicked = form.get(f"curve_{index}_points")
        if clicked:
            added.append({"label": name, "points": _clicks(str(clicked))})
        else:
            labels.append(name)
    clicked = str(form.get("new_curve_points") or "").strip()
    if clicked:
        points = _clicks(clicked)
        if len(points) < MIN_CLICKS:
            raise GraphqError(
                "INVALID_PARAMETERS", f"click at least {MIN_CLICKS} points along the new curve"
            )
        name = str(form.get("new_curve_label") or "").strip() or f"added curve {len(added) + 1}"
        added.append({"label": name, "points": points})
    return labels, added


def fix_parameters(form: FormMultiDict, width: int, height: int) -> dict[str, Any]:
    """The job ``parameters`` for a re-run with the form's fixes."""
    parameters: dict[str, Any] = {
        "plotArea": _frame(form, width, height),
        "axes": axes_from_form(form),
    }
    labels, added = _curves(form)
    if labels:
        parameters["labels"] = labels
        parameters["curves"] = len(labels)
    if added:
        parameters["addedCurves"] = added
    return parameters


class ReviewPages(Controller):
    path = "/graphs"

    @get("/{image_id:str}")
    async def review_page(
        self, db: Database, visitor: Visitor, request: Request[Any, Any, Any], image_id: str
    ) -> Template:
        card = await graph_card(db, image_id)
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
        curves = meta.get("curves") or []
        # Curves added by clicks come after the digitizer's: each keeps its clicks, so the
        # next re-run traces it again.
        added = (result.parameters.get("addedCurves") if result else None) or []
        clicks: list[str | None] = [None] * max(len(curves) - len(added), 0)
        clicks += [json.dumps(a["points"]) for a in added]
        # The page's live region refetches this page: that copy must leave the flash message
        # to the page the visitor sees (a re-run's job event can arrive before its redirect).
        page = fragment if request.headers.get(LIVE_REFRESH_HEADER) else render
        return page(
            visitor,
            "review.html",
            card=card,
            axes=axes,
            frame=frame,
            curves=list(zip(curves, clicks, strict=False)),
        )

    @post("/{image_id:str}/rerun", status_code=303)
    async def rerun(
        self,
        db: Database,
        front: QueueFront,
        request: Request[Any, Any, Any],
        visitor: Visitor,
        image_id: str,
    ) -> Redirect:
        form = await checked_form(request, visitor)
        visitor.need("operator")
        back = f"/graphs/{image_id}"
        card = await graph_card(db, image_id)
        dims = card.image.dimensions
        try:
            parameters = fix_parameters(form, dims.width, dims.height)
            (job,) = await create_jobs(
                db,
                front,
                [
                    JobRequest(
                        product_id=card.image.product_id,
                        image_id=image_id,
                        priority=Priority.HIGH,
                        parameters=parameters,
                    )
                ],
            )
        except GraphqError as error:
            return failed(visitor, back, error)
        return done(visitor, back, f"re-running as job {job.id}; the old version is kept")

    @post("/{image_id:str}/accept", status_code=303)
    async def accept(
        self, db: Database, request: Request[Any, Any, Any], visitor: Visitor, image_id: str
    ) -> Redirect:
        """Accept the newest result, the one shown and the one a fit uses."""
        await checked_form(request, visitor)
        visitor.need("operator")
        back = f"/graphs/{image_id}"
        result = (await graph_card(db, image_id)).result
        if result is None:
            return failed(visitor, back, GraphqError("NOT_FOUND", "this graph has no result yet"))
        try:
            await accept_result(db, result.id, visitor.principal.key_id)
        except GraphqError as error:
            return failed(visitor, back, error)
        return done(visitor, back, "accepted the newest result")
