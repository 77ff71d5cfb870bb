"""Keyset pagination: each page starts right after the last row of the one before.

An ``offset`` makes the database walk past every skipped row, so page 1,000 costs a thousand
times page 1; a cursor names the last row's sort key, and the next page is an index range
that starts there, the same cost on any page. The cursor is opaque to clients: the sort key
as JSON, base64url-encoded.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import Any

import msgspec
from sqlalchemy import ColumnElement, literal, tuple_
from sqlalchemy.orm import InstrumentedAttribute

from graphq.errors import GraphqError


@dataclass(frozen=True)
class Keyset:
    """A total order over rows: ``columns`` (the last one unique), all ascending or all
    descending, and the Python type of each for decoding a cursor."""

    columns: tuple[InstrumentedAttribute[Any], ...]
    types: tuple[type, ...]
    descending: bool

    def order_by(self) -> list[ColumnElement[Any]]:
        return [c.desc() if self.descending else c.asc() for c in self.columns]

    def cursor_of(self, row: Any) -> str:
        """The cursor of the page that follows ``row``."""
        key = [getattr(row, column.key) for column in self.columns]
        return base64.urlsafe_b64encode(msgspec.json.encode(key)).decode().rstrip("=")

    def after(self, cursor: str) -> ColumnElement[bool]:
        """Rows that come after the cursor's row in this order."""
        key = tuple_(*self.columns)
        values = tuple_(
            *(literal(v, c.type) for v, c in zip(self._decode(cursor), self.columns, strict=True))
        )
        return key < values if self.descending else key > values

    def _decode(self, cursor: str) -> tuple[Any, ...]:
        try:
            raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
            values = msgspec.json.decode(raw, type=list[Any])
            # zip(strict=True) refuses a cursor with the wrong number of values (ValueError).
            return tuple(msgspec.convert(v, t) for v, t in zip(values, self.types, strict=True))
        except (binascii.Error, ValueError, msgspec.DecodeError):
            raise GraphqError(
                "INVALID_CURSOR",
                "cursor is not one this list handed out (take nextCursor from the last page)",
            ) from None
