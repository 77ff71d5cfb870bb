"""Curve labels: naming curves top to bottom, reading their condition values, and saying
when the curves found are not as many as the labels."""

from __future__ import annotations

import re

import numpy as np

from graphq.review import Review, ReviewReason

# A signed decimal number, optionally with an exponent: "-4.5", "1e-3", "2.5E6".
_NUMBER = re.compile(r"[-+−]?(?:\d+(?:[.,]\d+)?|[.,]\d+)(?:[eE][-+]?\d+)?")
# SI prefixes a condition value may carry right before its unit ("100 mA", "1 MHz").
_PREFIX = {
    "p": 1e-12,
    "n": 1e-9,
    "u": 1e-6,
    "µ": 1e-6,
    "μ": 1e-6,
    "m": 1e-3,
    "k": 1e3,
    "M": 1e6,
    "G": 1e9,
}
_UNIT_AFTER_PREFIX = re.compile(r"\s*([pnuµμmkMG])(?=[A-Za-zΩ°])")


def parse_value(label: str) -> float | None:
    """The numeric condition in a curve label, if it has one.

    "VGS = 10 V" → 10, "-4.5V" → -4.5, "Tj = 25 °C" → 25, "ID = 100 mA" → 0.1, "Ciss" →
    None. When a label holds an "=", only what follows it counts, so a subscript digit in
    the name ("V_GS1 = 5 V") is not taken for the value.
    """
    text = label.split("=", 1)[1] if "=" in label else label
    match = _NUMBER.search(text)
    if match is None:
        return None
    # A number glued to letters before it is part of a name ("Ciss2", "T1"), not a value.
    start = match.start()
    if "=" not in label and start > 0 and text[start - 1].isalpha():
        return None
    value = float(match.group().replace("−", "-").replace(",", "."))
    prefix = _UNIT_AFTER_PREFIX.match(text, match.end())
    if prefix is not None:
        value *= _PREFIX[prefix.group(1)]
    return value


def order_top_to_bottom(curves_points: list[np.ndarray]) -> list[int]:
    """Indices of curves from the highest to the lowest.

    Height is the mean y over the x range the curves share (in display units, which are
    what the eye compares); curves that share no range with the rest are compared over
    their own range.
    """
    if not curves_points:
        return []
    lows = [float(points[:, 0].min()) for points in curves_points]
    highs = [float(points[:, 0].max()) for points in curves_points]
    lo, hi = max(lows), min(highs)
    heights = []
    for points in curves_points:
        inside = (points[:, 0] >= lo) & (points[:, 0] <= hi) if lo < hi else slice(None)
        chosen = points[inside, 1]
        heights.append(float(chosen.mean()) if chosen.size else float(points[:, 1].mean()))
    return sorted(range(len(curves_points)), key=lambda i: -heights[i])


def count_review(labels: list[str], found: int, expected: int | None) -> Review:
    """What a person should check about the number of curves: one missed or extra against
    the labels given or the count given. (How each label was bound is
    :mod:`graphq.digitizer.labels.binding`'s to say.)"""
    review = Review()
    if labels and len(labels) != found:
        review.add(
            ReviewReason.CURVE_COUNT_DIFFERS,
            f"{len(labels)} labels given for {found} curves found",
        )
    if expected is not None and expected != found:
        review.add(ReviewReason.CURVE_COUNT_DIFFERS, f"{expected} curves expected, {found} found")
    return review
