"""Row ids: time-ordered UUIDs, so rows made one after another sort together."""

from __future__ import annotations

import time
import uuid

from graphq.db.models import new_id


def test_an_id_is_a_version_7_uuid_in_the_usual_text_form() -> None:
    made = new_id()
    parsed = uuid.UUID(made)
    assert str(parsed) == made
    assert parsed.version == 7
    assert parsed.variant == uuid.RFC_4122


def test_an_id_carries_the_millisecond_it_was_made() -> None:
    before_ms = time.time_ns() // 1_000_000
    made = uuid.UUID(new_id())
    after_ms = time.time_ns() // 1_000_000
    assert before_ms <= made.int >> 80 <= after_ms


def test_ids_made_in_later_milliseconds_sort_after_earlier_ones() -> None:
    made = []
    for _ in range(20):
        made.append(new_id())
        time.sleep(0.002)
    assert sorted(made) == made


def test_ids_made_in_the_same_millisecond_still_differ() -> None:
    made = [new_id() for _ in range(10_000)]
    assert len(set(made)) == len(made)
