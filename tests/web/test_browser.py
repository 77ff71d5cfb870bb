"""The workbench in a real headless Chromium against a real ``graphq serve`` on 127.0.0.1.

One server and one browser for the module; each test has its own browser context (its own
cookies). Screenshots go to ``$GRAPHQ_SCREENSHOTS`` when it is set (the README's come from
``GRAPHQ_SCREENSHOTS=docs/screenshots scripts/test tests/web/test_browser.py``).
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import msgspec
import pytest

from tests.api.helpers import graph_png
from tests.datagen.render import render_graph
from tests.spice.test_from_images import CLEAN_RENDER, drawn_curves
from tests.web.browser import CHROMIUM, CHROMIUM_FLAGS, Outside, Server, is_local, require_browser
from tests.web.browser import start_server as _start_server

UI_TIMEOUT_MS = 20_000
# Digitizing three graphs and a fit verified in ngspice take a while on a loaded machine.
FIT_TIMEOUT_MS = 180_000
JOB_TIMEOUT_S = 180.0
VIEWPORT = {"width": 1200, "height": 820}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    require_browser()
    yield from _start_server(tmp_path_factory.mktemp("browser") / "data")


@pytest.fixture(scope="module")
def browser(server: Server) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS, headless=True
        )
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def outside() -> Outside:
    return Outside()


@pytest.fixture
def context(browser: Any, outside: Outside) -> Iterator[Any]:
    ctx = browser.new_context(viewport=VIEWPORT)
    ctx.set_default_timeout(UI_TIMEOUT_MS)

    def guard(route: Any) -> None:
        if is_local(route.request.url):
            route.continue_()
        else:
            outside.urls.append(route.request.url)
            route.abort()

    ctx.route("**/*", guard)
    yield ctx
    ctx.close()


def screenshot(page: Any, name: str, *, full_page: bool = True) -> None:
    folder = os.environ.get("GRAPHQ_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=full_page)


def sign_in(context: Any, server: Server, role: str) -> Any:
    page = context.new_page()
    page.goto(f"{server.url}/login")
    page.get_by_label("API key").fill(server.keys[role])
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{server.url}/products")
    return page


def fit_graphs() -> list[tuple[str, bytes, dict[str, Any]]]:
    """A known device's output, transfer and capacitance graphs, as the fit tests draw them."""
    graphs = []
    for graph_type, (curves, axes) in drawn_curves().items():
        graph = render_graph(
            curves, axes, graph_type=graph_type, seed=3, style_overrides=CLEAN_RENDER
        )
        meta = {
            "graphType": graph_type,
            "axes": msgspec.to_builtins(axes),
            "labels": [curve.label for curve in curves],
        }
        graphs.append((f"{graph_type}.png", graph.data, meta))
    return graphs


def wait_for(api: Any, job_id: str) -> None:
    deadline = time.monotonic() + JOB_TIMEOUT_S
    while time.monotonic() < deadline:
        job = api.get(f"/api/job/{job_id}").json()
        if job["status"] in ("completed", "dead"):
            assert job["status"] == "completed", job
            return
        time.sleep(0.2)
    raise AssertionError(f"job {job_id} did not finish")


def make_product(server: Server, part_number: str) -> dict[str, Any]:
    with server.api() as api:
        response = api.post("/api/products", json={"name": part_number, "partNumber": part_number})
        assert response.status_code == 201, response.text
        return response.json()


def assert_controls_are_labelled(page: Any) -> None:
    unlabelled = page.evaluate(
        """() => Array.from(document.querySelectorAll('input, select, textarea, button'))
            .filter(el => el.type !== 'hidden')
            .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
                          && !(el.tagName === 'BUTTON' && el.textContent.trim()))
            .map(el => el.outerHTML.slice(0, 80))"""
    )
    assert unlabelled == []


def test_a_page_without_a_session_shows_the_sign_in_form(context: Any, server: Server) -> None:
    page = context.new_page()
    page.goto(f"{server.url}/products")
    assert page.url == f"{server.url}/login"
    assert page.evaluate("document.activeElement.id") == "key"  # keyboard only from here
    page.keyboard.type("gq_wrong")
    page.keyboard.press("Enter")
    assert "unknown or revoked" in page.get_by_role("alert").inner_text()
    assert_controls_are_labelled(page)
    screenshot(page, "login")


def test_upload_shows_live_progress_then_review_reruns_with_a_fix(
    context: Any, server: Server
) -> None:
    page = sign_in(context, server, "operator")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    page.get_by_label("Name", exact=True).fill("Demo FET")
    page.get_by_label("Part number", exact=True).fill("DEMO-100")
    page.get_by_role("button", name="Create product").click()
    page.wait_for_url(re.compile(r"/products/[0-9a-f-]+$"))
    assert_controls_are_labelled(page)
    page.evaluate("window.notReloaded = true")
    page.set_input_files(
        "#files",
        files=[{"name": "output.png", "mimeType": "image/png", "buffer": graph_png(480, 360)}],
    )
    page.select_option("#graph_type", "output")
    page.get_by_label("Curve labels (comma-separated, top to bottom)").fill("VGS = 10 V")
    for field, value in (("x_min", "0"), ("x_max", "10"), ("y_min", "0"), ("y_max", "100")):
        page.fill(f"#up_{field}", value)
    page.get_by_role("button", name="Upload", exact=True).click()
    page.wait_for_url(re.compile(r"/products/[0-9a-f-]+$"))
    assert "uploaded 1 image(s), started 1 job(s)" in page.get_by_role("status").inner_text()
    page.evaluate("window.notReloaded = true")
    # The job finishes after the page loaded: only the event stream can bring its result.
    page.locator("#live .graph .status-completed").wait_for()
    page.locator("#live .graph img[src*='overlay.png']").wait_for()
    assert page.evaluate("window.notReloaded") is True
    assert "confidence" in page.locator("#live .graph").inner_text()
    screenshot(page, "product")

    page.locator("#live .graph h3 a").click()
    page.wait_for_url(re.compile(r"/graphs/"))
    before = float(page.input_value("#frame_x1"))
    handle = page.locator("circle.handle[data-corner='br']").bounding_box()
    page.mouse.move(handle["x"] + handle["width"] / 2, handle["y"] + handle["height"] / 2)
    page.mouse.down()
    page.mouse.move(handle["x"] - 30, handle["y"] - 20, steps=4)
    page.mouse.up()
    assert float(page.input_value("#frame_x1")) < before
    page.fill("#frame_x1", str(before))  # and typing moves it back
    page.fill("#x_max", "20")
    page.fill("#curve_0_label", "VGS = 8 V")
    # A curve added by a few clicks along the drawn line (image pixels → screen).
    page.get_by_role("button", name="Click along a new curve").click()
    page.locator(".frame-editor svg").scroll_into_view_if_needed()
    box = page.locator(".frame-editor svg").bounding_box()
    for x in (60, 240, 420):
        y = 350 - (x - 10) * 340 / 460
        page.mouse.click(box["x"] + x * box["width"] / 480, box["y"] + y * box["height"] / 360)
    assert page.locator("#click-count").inner_text() == "3 points"
    page.get_by_label("new curve label").fill("VGS = 6 V")
    assert_controls_are_labelled(page)
    # The re-run answers with the same graph page: wait for that load, not for a URL the
    # page already has.
    with page.expect_navigation(timeout=60_000):
        page.get_by_role("button", name="Re-run with these fixes").click()
    assert "the old version is kept" in page.get_by_role("status").inner_text()
    page.locator("#versions tbody tr .status-completed").nth(1).wait_for()
    assert page.locator("#versions tbody tr").count() == 2
    page.reload()
    assert page.input_value("#curve_1_label") == "VGS = 6 V"  # traced by the new version
    page.get_by_role("button", name="Accept this result").click()
    page.wait_for_url(re.compile(r"/graphs/"))
    assert "accepted the newest result" in page.get_by_role("status").inner_text()
    assert "Accepted" in page.locator("#accepted").inner_text()
    screenshot(page, "review")


def test_a_fit_started_from_the_page_reports_live_and_downloads_each_dialect(
    context: Any, server: Server
) -> None:
    """The story's end: graphs a script uploaded, a fit started and watched on the page."""
    product = make_product(server, "FIT-1")
    graphs = fit_graphs()
    with server.api() as api:
        uploaded = api.post(
            f"/api/product/{product['id']}/images",
            files=[("files", (name, data, "image/png")) for name, data, _ in graphs],
            data={"metadata": json.dumps([meta for *_, meta in graphs]), "autoExtract": "true"},
        )
        assert uploaded.status_code == 201, uploaded.text
        for job in uploaded.json()["jobs"]:
            wait_for(api, job["id"])
    page = sign_in(context, server, "operator")
    page.goto(f"{server.url}/products/{product['id']}")
    page.evaluate("window.notReloaded = true")
    page.select_option("#model_type", "vdmos")
    page.get_by_role("button", name="Start fit").click()
    page.wait_for_url(re.compile(r"/products/[0-9a-f-]+$"))
    page.evaluate("window.notReloaded = true")
    page.locator("#live article.model img[src*='report.png']").wait_for(timeout=FIT_TIMEOUT_MS)
    assert page.evaluate("window.notReloaded") is True  # the model arrived over the stream
    model = page.locator("#live article.model")
    assert "version 1" in model.locator("h3").inner_text()
    assert model.locator("table").nth(0).locator("tbody tr").count() >= 3  # per-curve errors
    assert model.locator("table").nth(1).locator("tbody tr").count() >= 3  # parameters
    assert (
        page.evaluate("document.querySelector('#live article.model img').naturalWidth") > 0
    )  # the report image loaded
    texts = {}
    for dialect in ("vdmos", "pspice"):
        link = page.locator("#live article.model a", has_text=f"({dialect})")
        with page.expect_download() as download:
            link.click()
        texts[dialect] = Path(download.value.path()).read_text()
    assert "VDMOS" in texts["vdmos"] and ".model" in texts["vdmos"].lower()
    assert ".SUBCKT" in texts["pspice"].upper() and ".ENDS" in texts["pspice"].upper()
    screenshot(page, "fit")


def test_the_monitor_updates_without_a_reload(context: Any, server: Server) -> None:
    page = sign_in(context, server, "operator")
    page.goto(f"{server.url}/monitor")
    page.evaluate("window.notReloaded = true")
    page.locator("html[data-live='open']").wait_for(state="attached")
    with server.api() as api:
        queue = api.get("/api/queues").json()[0]
        assert api.post(f"/api/queue/{queue['id']}/pause").status_code == 201
        try:
            status = f"tr[data-queue='{queue['id']}'] .queue-status"
            page.locator(status, has_text="paused").wait_for()
            assert page.evaluate("window.notReloaded") is True
            page.get_by_role("button", name="Resume default").click()
            page.locator(status, has_text="active").wait_for()
        finally:
            api.post(f"/api/queue/{queue['id']}/resume")
    assert_controls_are_labelled(page)
    screenshot(page, "monitor")


def test_a_viewer_sees_but_cannot_start_a_fit_or_delete(context: Any, server: Server) -> None:
    product = make_product(server, "VIEW-9")
    page = sign_in(context, server, "viewer")
    page.goto(f"{server.url}/products/{product['id']}")
    assert page.get_by_role("button", name="Start fit").count() == 0
    assert page.get_by_role("button", name="Delete").count() == 0
    statuses = page.evaluate(
        """async (id) => {
            const csrf = document.querySelector('input[name=csrf]').value;
            const post = (path) => fetch(path, {method: 'POST', redirect: 'manual',
                body: new URLSearchParams({csrf, confirm: 'on'})}).then(r => r.status);
            return [await post(`/products/${id}/fit`), await post(`/products/${id}/delete`)];
        }""",
        product["id"],
    )
    assert statuses == [403, 403]
    with server.api() as api:
        assert api.get(f"/api/products/{product['id']}").status_code == 200
        assert api.get(f"/api/jobs?product={product['id']}").json()["total"] == 0
    page.goto(f"{server.url}/products")
    screenshot(page, "products")


def test_the_api_docs_render_offline(context: Any, server: Server) -> None:
    page = sign_in(context, server, "viewer")
    page.goto(f"{server.url}/schema")
    page.locator(".swagger-ui .info .title").wait_for()
    assert "graphq" in page.locator(".swagger-ui .info .title").inner_text()
    screenshot(page, "api-docs", full_page=False)


def test_no_request_left_127_0_0_1(outside: Outside) -> None:
    """Runs last in the module: every page above loaded only local assets."""
    assert outside.urls == []
