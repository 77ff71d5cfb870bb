"""The result queries a product page and a graph page read: the newest per image, one image's."""

from __future__ import annotations

from graphq.db.database import Database
from graphq.db.models import ExtractionResult
from graphq.services import results
from tests.conftest import Service
from tests.services.test_acceptance import two_versions_of_a_graph


async def test_newest_image_results_keep_only_the_latest_version_of_each_image(
    service: Service,
) -> None:
    product = await service.create_product()
    _, first_newer = await two_versions_of_a_graph(service, product["id"])
    _, second_newer = await two_versions_of_a_graph(service, product["id"])
    db = Database(service.rt.settings.database_url)
    try:
        newest = await results.newest_image_results(db, product["id"])
    finally:
        await db.dispose()
    assert sorted(r.id for r in newest) == sorted([first_newer, second_newer])


async def test_newest_image_results_name_their_curves_without_points(service: Service) -> None:
    product = await service.create_product()
    _, newer = await two_versions_of_a_graph(service, product["id"])
    curve = {"label": "VGS = 10 V", "color": "#1f77b4", "points": [[0.0, 0.0], [1.0, 2.0]]}
    db = Database(service.rt.settings.database_url)
    try:
        async with db.write() as session:
            stored = await session.get(ExtractionResult, newer)
            stored.result_metadata = {"curves": [curve, {"points": []}], "plotArea": [0, 0, 9, 9]}  # type: ignore[union-attr]
        (result,) = await results.newest_image_results(db, product["id"])
    finally:
        await db.dispose()
    assert result.result_metadata == {"curves": [{"label": "VGS = 10 V", "color": "#1f77b4"}, {}]}


async def test_image_results_are_one_images_versions_oldest_first(service: Service) -> None:
    product = await service.create_product()
    older, newer = await two_versions_of_a_graph(service, product["id"])
    await two_versions_of_a_graph(service, product["id"])
    db = Database(service.rt.settings.database_url)
    try:
        async with db.read() as session:
            image_id = (await session.get(ExtractionResult, newer)).image_id  # type: ignore[union-attr]
        versions = await results.image_results(db, product["id"], image_id)
    finally:
        await db.dispose()
    assert [r.id for r in versions] == [older, newer]
