"""Upload checks that need no server: filename sanitising and metadata decoding."""

from __future__ import annotations

import pytest

from graphq.errors import GraphqError
from graphq.services.uploads import decode_metadata, sanitise_filename

AXES = {"x": {"min": 0, "max": 10}, "y": {"min": 1, "max": 1000, "scale": "log"}}


@pytest.mark.parametrize(
    ("client_name", "stored_name"),
    [
        ("output.png", "output.png"),
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\me\\fig 1.png", "fig 1.png"),
        ("..", "image"),
        (".hidden.png", "hidden.png"),
        ('a"b<c>;d.png', "a_b_c_d.png"),
        ("Kapazität.png", "Kapazität.png"),
        ("line\nbreak.png", "line_break.png"),
        ("", "image"),
        ("x" * 300 + ".png", "x" * 200),
    ],
)
def test_client_filenames_become_harmless_display_names(client_name: str, stored_name: str) -> None:
    assert sanitise_filename(client_name) == stored_name


def test_no_metadata_part_means_no_metadata_for_any_file() -> None:
    assert decode_metadata(None, 3) == [None, None, None]


def test_metadata_entries_decode_in_file_order() -> None:
    raw = b'[{"graphType": "capacitance", "axes": %s, "labels": ["Ciss"]}, null]' % (
        str(AXES).replace("'", '"').encode()
    )
    first, second = decode_metadata(raw, 2)
    assert first is not None and first.graph_type == "capacitance"
    assert first.axes.y.scale == "log"
    assert first.labels == ["Ciss"]
    assert second is None


@pytest.mark.parametrize(
    ("raw", "code", "fragment"),
    [
        ("{", "MALFORMED_METADATA", "not valid JSON"),
        ('{"axes": {}}', "MALFORMED_METADATA", "JSON array"),
        ("[]", "INVALID_METADATA", "0 entries for 1 files"),
        ("[42]", "INVALID_METADATA", "metadata[0]"),
        (
            '[{"axes": {"x": {"min": 5, "max": 5}, "y": {"min": 0, "max": 1}}}]',
            "INVALID_METADATA",
            "range is empty",
        ),
        (
            '[{"axes": {"x": {"min": 0, "max": 1}, "y": {"min": 2, "max": 1}}}]',
            "INVALID_METADATA",
            "y axis",
        ),
        ('[{"graphType": "output"}]', "INVALID_METADATA", "axes"),
    ],
)
def test_bad_metadata_is_refused_with_a_reason(raw: str, code: str, fragment: str) -> None:
    with pytest.raises(GraphqError) as caught:
        decode_metadata(raw, 1)
    assert caught.value.code == code
    assert fragment in caught.value.message
