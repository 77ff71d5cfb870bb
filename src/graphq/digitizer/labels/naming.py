"""Curve labels: naming curves top to bottom, reading their condition values, knowing the
capacitances a label names and the order their curves must keep, and saying when the curves
found are not as many as the labels."""

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
# The subscripts of the capacitances a datasheet names its curves by: a MOSFET's (IGBT's)
# input, output and reverse transfer ("C_iss", "C_ies"), a transistor's input and output
# ("C_ib"), and the terminal pairs'.
CAPACITANCES = ("iss", "oss", "rss", "ies", "oes", "res", "ib", "ob", "gs", "gd", "ds")
# The reverse transfer capacitance (gate to drain) is part of both the input and the output
# capacitance (C_iss = C_gs + C_gd, C_oss = C_ds + C_gd): its curve runs under theirs all
# along (they may cross each other).
_REVERSE_TRANSFER = ("rss", "res")
_INPUT_OUTPUT = ("iss", "oss", "ies", "oes")


def capacitance(label: str) -> str | None:
    """The subscript of the capacitance ``label`` names ("CISS", "C_iss" → "iss"), if any."""
    match = re.fullmatch(r"\s*C_?\{?([A-Za-z]{2,3})\}?\s*", label)
    found = match.group(1).lower() if match else None
    return found if found in CAPACITANCES else None


def capacitances_crossed(
    labels: list[str], curves: list[tuple[np.ndarray, np.ndarray]], tolerance: float
) -> bool:
    """Whether a curve named as the reverse transfer capacitance stands over one named as the
    input or output capacitance (``curves`` as columns and rows, y down) by more than
    ``tolerance`` rows in any column both hold: then the tracks swapped where they met, or
    the labels were bound to each other's curves."""
    names = [capacitance(label) for label in labels]
    for low, low_name in enumerate(names):
        if low_name not in _REVERSE_TRANSFER:
            continue
        for high, high_name in enumerate(names):
            if high_name not in _INPUT_OUTPUT:
                continue
            (low_x, low_y), (high_x, high_y) = curves[low], curves[high]
            _, at_low, at_high = np.intersect1d(low_x, high_x, return_indices=True)
            if np.any(low_y[at_low] < high_y[at_high] - tolerance):
                return True
    return False


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
