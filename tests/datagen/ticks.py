"""Tick positions and tick-label formats as vendors print them (``10,000``, ``10⁻¹``, ``0.1``)."""

from __future__ import annotations

import math

from matplotlib import ticker
from matplotlib.axis import Axis as MplAxis

from graphq.digitizer.types import Axis

SUPERSCRIPTS = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
NICE_STEP_MANTISSAS = (1.0, 2.0, 2.5, 5.0)


def _linear_step(axis: Axis) -> float | None:
    """A round step that divides the range into 2–10 parts, so the limits carry ticks."""
    span = axis.max - axis.min
    for parts in (5, 4, 6, 8, 10, 3, 7, 9, 2):
        step = span / parts
        mantissa = step / 10.0 ** math.floor(math.log10(step))
        whole = abs(axis.min / step - round(axis.min / step)) < 1e-6
        if whole and any(abs(mantissa - m) < 1e-6 for m in NICE_STEP_MANTISSAS):
            return step
    return None


def _decimals(step: float) -> int:
    """Decimals that print every multiple of ``step`` exactly."""
    return next((d for d in range(8) if abs(step * 10**d - round(step * 10**d)) < 1e-6), 3)


def _linear_formatter(tick_format: str, step: float) -> ticker.Formatter:
    decimals = _decimals(step)
    if tick_format == "comma":
        return ticker.FuncFormatter(lambda v, _: f"{v:,.{decimals}f}")
    if tick_format == "unicode":
        return ticker.FuncFormatter(lambda v, _: f"{v:.{decimals}f}".replace("-", "−"))
    if tick_format == "plain":
        return ticker.FuncFormatter(lambda v, _: f"{round(v, decimals):g}")
    return ticker.ScalarFormatter(useOffset=False)


def _log_label(value: float, tick_format: str) -> str:
    exponent = round(math.log10(value))
    if tick_format == "unicode":
        return f"10{str(exponent).translate(SUPERSCRIPTS)}"
    if tick_format == "comma":
        return f"{value:,.{max(0, -exponent)}f}"
    if tick_format == "plain":
        return f"{value:g}"
    return f"$10^{{{exponent}}}$"


def configure_axis(target: MplAxis, axis: Axis, tick_format: str) -> None:
    """Major/minor locators and the label format of one matplotlib axis."""
    if axis.scale == "log":
        decades = round(math.log10(axis.max / axis.min))
        every = 1 if decades <= 8 else 2
        target.set_major_locator(ticker.LogLocator(base=10.0, subs=(1.0,), numticks=decades + 2))
        target.set_minor_locator(
            ticker.LogLocator(base=10.0, subs=tuple(range(2, 10)), numticks=decades + 2)
        )
        target.set_major_formatter(
            ticker.FuncFormatter(
                lambda v, _: _log_label(v, tick_format) if round(math.log10(v)) % every == 0 else ""
            )
        )
        target.set_minor_formatter(ticker.NullFormatter())
        return
    step = _linear_step(axis)
    if step is None:
        target.set_major_locator(ticker.MaxNLocator(6))
        step = (axis.max - axis.min) / 6
    else:
        target.set_major_locator(ticker.MultipleLocator(step))
    mantissa = step / 10.0 ** math.floor(math.log10(step))
    target.set_minor_locator(ticker.AutoMinorLocator(4 if abs(mantissa - 2.0) < 1e-6 else 5))
    target.set_major_formatter(_linear_formatter(tick_format, step))
