"""Tick labels OCR read without their decimal point ("1.0" as 10, "2.5" as 25), put back
where the range the user gave tells.

At 72–100 dpi or blurred, a decimal point set tight between two digits is lost; the glyphs
cannot show it back (:func:`graphq.datasheet.misreads.restore_decimal_points` finds no dot).
The axis's labels then step out of order (0.1, 10, 10, 100) or out of the given range. Each
whole number read may instead be itself with a point between two of its digits; the readings
whose labels rise along the axis within the range are offered, the fewest changed first, for
:func:`graphq.digitizer.axes.uneven_axes.judge_axis` to try. A label outside the range with
no point that brings it in is left out. A reading needs labels read as they are to pin the
scale: labels all scaled alike would equally say the range was given in other units.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class LostPointSettings:
    # A whole number of at most this many digits may have lost its point (a tick label is
    # short: "1.00" at most), which bounds the readings to try.
    max_digits: int = 4
    # A reading changes at most this many labels read inside the range: each change is a
    # choice the labels alone do not force.
    max_changes: int = 2
    # Labels kept as read, other than 0, that a reading needs (two pin the scale).
    min_as_read: int = 2
    # A label lies within the range to this fraction of its span (display units): a given
    # range's ends may sit a little off the round labels at the frame's edges (0.1003..10.03).
    range_reach: float = 0.02
    # Readings are sought only along an axis with at most this many labels read (a tick
    # axis carries about a dozen): the search grows with the cube of the labels (up to three
    # whole numbers of one axis each have two points to put back at no cost), ~1,000 steps
    # at 16.
    max_labels: int = 16


LOST_POINTS = LostPointSettings()


@dataclass(frozen=True)
class Reading:
    """Labels (pixel, value) as one reading has them, with the values it changed."""

    labels: list[tuple[float, float]]
    changes: int
    mended: list[tuple[float, float]]


def with_point_put_back(value: float, settings: LostPointSettings = LOST_POINTS) -> list[float]:
    """The values a whole number read would have had with a point between two of its digits:
    25 → 2.5; 100 → 10, 1."""
    if value != round(value) or not 10 <= abs(value) < 10**settings.max_digits:
        return []
    digits = str(round(abs(value)))
    sign = -1.0 if value < 0 else 1.0
    return [sign * int(digits) / 10**k for k in range(1, len(digits))]


def readings(
    labels: list[tuple[float, float]],
    low: float,
    high: float,
    log: bool,
    forward: float,
    settings: LostPointSettings = LOST_POINTS,
) -> list[Reading]:
    """The readings of ``labels`` (pixel, value) that put back a lost point somewhere and
    rise in value along the axis (``forward``: the sign of pixels' step from ``low`` to
    ``high``) within ``low``..``high`` (a log axis's: positive), fewest changes first."""
    if len(labels) > settings.max_labels:
        return []
    ordered = sorted(labels, key=lambda label: label[0] * forward)
    ends = (math.log10(low), math.log10(high)) if log else (low, high)
    reach = settings.range_reach * (ends[1] - ends[0])

    def within(value: float) -> bool:
        if log and value <= 0:
            return False
        display = math.log10(value) if log else value
        return ends[0] - reach <= display <= ends[1] + reach

    options: list[list[tuple[float | None, int]]] = []
    for _, value in ordered:
        inside = within(value)
        put_back = [v for v in with_point_put_back(value, settings) if within(v)]
        if inside:
            kept: list[tuple[float | None, int]] = [(value, 0)]
            options.append(kept + [(v, 1) for v in put_back])
        else:
            forced: list[tuple[float | None, int]] = [(v, 0) for v in put_back]
            options.append(forced or [(None, 0)])
    found: list[Reading] = []

    def extend(k: int, chosen: list[tuple[int, float]], changes: int) -> None:
        if changes > settings.max_changes:
            return
        if k == len(ordered):
            _keep(ordered, chosen, changes, found, settings)
            return
        for value, cost in options[k]:
            if value is None:
                extend(k + 1, chosen, changes)
            elif not chosen or value > chosen[-1][1]:
                extend(k + 1, [*chosen, (k, value)], changes + cost)

    extend(0, [], 0)
    return sorted(found, key=lambda reading: reading.changes)


def _keep(
    ordered: list[tuple[float, float]],
    chosen: list[tuple[int, float]],
    changes: int,
    found: list[Reading],
    settings: LostPointSettings,
) -> None:
    """Add the reading ``chosen`` ((index into ``ordered``, value) each) to ``found`` where it
    mends a label and keeps enough as read to pin the scale."""
    mended = [(ordered[k][1], v) for k, v in chosen if ordered[k][1] != v]
    as_read = [v for k, v in chosen if ordered[k][1] == v and v != 0]
    if mended and len(as_read) >= settings.min_as_read:
        found.append(Reading([(ordered[k][0], v) for k, v in chosen], changes, mended))
