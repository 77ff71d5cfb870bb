"""Axis ranges a datasheet would print: round numbers and whole decades."""

from __future__ import annotations

import math

import numpy as np

from graphq.digitizer.types import Axis

NICE_MANTISSAS = (1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0)


def nice_ceil(value: float) -> float:
    """The smallest round number (1, 1.2, 1.5, 2, 2.5 … × 10ⁿ) at or above ``value``."""
    exponent = math.floor(math.log10(value))
    scale = 10.0**exponent
    mantissa = next(m for m in NICE_MANTISSAS if m * scale >= value * (1 - 1e-9))
    return round(mantissa * scale, 12)


def decade_floor(value: float) -> float:
    return 10.0 ** math.floor(math.log10(value) + 1e-9)


def decade_ceil(value: float) -> float:
    return 10.0 ** math.ceil(math.log10(value) - 1e-9)


def linear_axis(low: float, high: float, quantity: str, unit: str) -> Axis:
    return Axis(min=float(low), max=float(high), scale="linear", quantity=quantity, unit=unit)


def log_axis(low: float, high: float, quantity: str, unit: str) -> Axis:
    return Axis(
        min=decade_floor(low), max=decade_ceil(high), scale="log", quantity=quantity, unit=unit
    )


def to_display(values: np.ndarray, axis: Axis) -> np.ndarray:
    """Axis units → fraction of the frame (0 at ``axis.min``, 1 at ``axis.max``)."""
    values = np.asarray(values, dtype=float)
    if axis.scale == "log":
        with np.errstate(divide="ignore", invalid="ignore"):
            logs = np.log10(values)
        return (logs - math.log10(axis.min)) / (math.log10(axis.max) - math.log10(axis.min))
    return (values - axis.min) / (axis.max - axis.min)


def from_display(fractions: np.ndarray, axis: Axis) -> np.ndarray:
    """Fraction of the frame → axis units; the inverse of :func:`to_display`."""
    fractions = np.asarray(fractions, dtype=float)
    if axis.scale == "log":
        low, high = math.log10(axis.min), math.log10(axis.max)
        return 10.0 ** (low + fractions * (high - low))
    return axis.min + fractions * (axis.max - axis.min)
