"""Reviewing a graph: the fixes become a re-run's job parameters, and old versions stay."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest
from litestar.datastructures import FormMultiDict

from graphq.errors import GraphqError
from graphq.web.review import fix_parameters
from tests.api.helpers import graph_png
from tests.web.conftest import Web
from tests.web.test_products import create, wait_for_job

AXES_FORM = {
    "x_min": "0",
    "x_max": "10",
    "x_scale": "linear",
    "y_min": "0.1",
    "y_max": "100",
    "y_scale": "log",
}


def form(**fields: str) -> FormMultiDict:
    frame = {"frame_x0": "10", "frame_y0": "12", "frame_x1": "300", "frame_y1": "220"}
    return FormMultiDict({**frame, **AXES_FORM, **fields})


def test_fixes_become_the_frame_axes_and_kept_curve_labels() -> None:
    parameters = fix_parameters(
        form(
            curve_0_label="VGS = 10 V",
            curve_1_label="VGS = 6 V",
            curve_1_delete="1",
            curve_2_label=" VGS = 4 V ",
        ),
        320,
        240,
    )
    assert parameters == {
        "plotArea": [10.0, 12.0, 300.0, 220.0],
        "axes": {
            "x": {"min": 0.0, "max": 10.0, "scale": "linear"},
            "y": {"min": 0.1, "max": 100.0, "scale": "log"},
        },
        "labels": ["VGS = 10 V", "VGS = 4 V"],
        "curves": 2,
    }


def test_clicked_curves_are_sent_with_their_clicks_beside_the_digitizers_labels() -> None:
    parameters = fix_parameters(
        form(
            curve_0_label="VGS = 10 V",
            curve_1_label="VGS = 3 V",
            curve_1_points="[[20, 200], [300, 30]]",
            new_curve_label="VGS = 5 V",
            new_curve_points="[[20, 210], [150, 120], [300, 60]]",
        ),
        320,
        240,
    )
    assert parameters["labels"] == ["VGS = 10 V"]
    assert parameters["curves"] == 1
    assert parameters["addedCurves"] == [
        {"label": "VGS = 3 V", "points": [[20.0, 200.0], [300.0, 30.0]]},
        {"label": "VGS = 5 V", "points": [[20.0, 210.0], [150.0, 120.0], [300.0, 60.0]]},
    ]
    with pytest.raises(GraphqError, match="at least 2 points"):
        fix_parameters(form(new_curve_points="[[20, 210]]"), 320, 240)
    with pytest.raises(GraphqError, match="not \\[x, y\\] pairs"):
        fix_parameters(form(new_curve_points="[[20]]"), 320, 240)


def test_a_frame_dragged_past_the_image_is_clamped_and_its_corners_ordered() -> None:
    parameters = fix_parameters(
        form(frame_x0="400", frame_y0="-5", frame_x1="20", frame_y1="100"), 320, 240
    )
    assert parameters["plotArea"] == [20.0, 0.0, 320.0, 100.0]


def test_a_collapsed_frame_or_a_typed_word_is_refused() -> None:
    with pytest.raises(GraphqError, match="at least 2 pixels"):
        fix_parameters(form(frame_x1="11"), 320, 240)
    with pytest.raises(GraphqError, match="must be numbers"):
        fix_parameters(form(frame_x0="left"), 320, 240)
    with pytest.raises(GraphqError, match="must be a number"):
        fix_parameters(form(y_max="lots"), 320, 240)


async def digitized_graph(web: Web, product_id: str) -> tuple[str, dict[str, Any]]:
    """A one-curve output graph uploaded and digitized: its image id and completed job."""
    meta = [
        {"graphType": "output", "axes": {"x": {"min": 0, "max": 10}, "y": {"min": 0, "max": 100}}}
    ]
    uploaded = await web.client.post(
        f"/api/product/{product_id}/images",
        files=[("files", ("g.png", graph_png(320, 240), "image/png"))],
        data={"metadata": json.dumps(meta), "autoExtract": "true"},
        headers=web.api("operator"),
    )
    assert uploaded.status_code == 201, uploaded.text
    job = await wait_for_job(web, uploaded.json()["jobs"][0]["id"], {"completed"})
    return uploaded.json()["images"][0]["id"], job


async def test_a_rerun_with_fixes_adds_a_version_and_keeps_the_old_one(
    digitizing_web: Web,
) -> None:
    web = digitizing_web
    product = await create(web, "REV-1")
    image_id, first = await digitized_graph(web, product["id"])

    await web.sign_in("operator")
    page = (await web.client.get(f"/graphs/{image_id}")).text
    assert 'name="frame_x0"' in page and "curve_0_label" in page
    response = await web.post_form(
        f"/graphs/{image_id}/rerun",
        {
            "frame_x0": "10",
            "frame_y0": "10",
            "frame_x1": "310",
            "frame_y1": "230",
            "x_min": "0",
            "x_max": "20",
            "x_scale": "linear",
            "y_min": "0",
            "y_max": "50",
            "y_scale": "linear",
            "curve_0_label": "VGS = 8 V",
            "new_curve_label": "traced",
            "new_curve_points": "[[30, 215], [160, 120], [290, 25]]",
        },
    )
    assert response.status_code == 303
    jobs = (await web.client.get(f"/api/jobs?product={product['id']}", headers=web.api())).json()
    second = next(j for j in jobs["items"] if j["id"] != first["id"])
    assert second["parameters"]["plotArea"] == [10.0, 10.0, 310.0, 230.0]
    assert second["parameters"]["labels"] == ["VGS = 8 V"]
    await wait_for_job(web, second["id"], {"completed"})

    results = await web.client.get(f"/api/product/{product['id']}/results", headers=web.api())
    by_job = {r["jobId"]: r for r in results.json()}
    assert set(by_job) == {first["id"], second["id"]}
    x_ends = {
        job: max(p[0] for c in r["metadata"]["curves"] for p in c["points"])
        for job, r in by_job.items()
    }
    assert x_ends[second["id"]] > 1.5 * x_ends[first["id"]], "the new x range was not used"
    curves = by_job[second["id"]]["metadata"]["curves"]
    assert [c["label"] for c in curves] == ["VGS = 8 V", "traced"]
    # The traced curve lies on the digitizer's own: both follow the one drawn line.
    ours, digitized = np.asarray(curves[1]["points"]), np.asarray(curves[0]["points"])
    on_line = np.interp(ours[:, 0], digitized[:, 0], digitized[:, 1])
    assert np.max(np.abs(ours[:, 1] - on_line)) < 1.5  # within ~3 px on a 50-unit, 220 px axis
    page = (await web.client.get(f"/graphs/{image_id}")).text
    assert page.count("/overlay.png?imageId=") >= 3  # the newest result, and both versions
    assert "Accept this result" in page


async def test_accepting_signs_off_the_newest_result_through_the_api(
    digitizing_web: Web,
) -> None:
    web = digitizing_web
    product = await create(web, "REV-3")
    image_id, _ = await digitized_graph(web, product["id"])
    await web.sign_in("operator")
    response = await web.post_form(f"/graphs/{image_id}/accept", {})
    assert response.status_code == 303
    (result,) = (
        await web.client.get(f"/api/product/{product['id']}/results", headers=web.api())
    ).json()
    assert result["acceptedAt"] is not None and result["acceptedBy"]
    page = (await web.client.get(f"/graphs/{image_id}")).text
    assert 'id="accepted"' in page and "Accept this result" not in page


async def test_a_viewer_sees_the_review_but_cannot_rerun(digitizing_web: Web) -> None:
    web = digitizing_web
    product = await create(web, "REV-2")
    uploaded = await web.client.post(
        f"/api/product/{product['id']}/images",
        files=[("files", ("g.png", graph_png(), "image/png"))],
        headers=web.api("operator"),
    )
    image_id = uploaded.json()["images"][0]["id"]
    await web.sign_in("viewer")
    page = (await web.client.get(f"/graphs/{image_id}")).text
    assert "Re-run with these fixes" not in page
    response = await web.post_form(f"/graphs/{image_id}/rerun", dict(form()))
    assert response.status_code == 403
    assert (await web.post_form(f"/graphs/{image_id}/accept", {})).status_code == 403
    jobs = (await web.client.get(f"/api/jobs?product={product['id']}", headers=web.api())).json()
    assert jobs["total"] == 0
