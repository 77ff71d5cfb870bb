"""Does a parameter on its bound hold the fit back, or only stop it sliding?

A fit parameter that ends on a bound of its range either marks what the model cannot give
(the curves would be matched better beyond it) or one the curves leave open: it trades off
against others along a flat valley (FQA19N20's ``mtriode`` against ``kp``: moved from its
0.2 bound to 0.05, ``kp`` follows from 130 to 1087 A/V² and no curve changes visibly), and
the bound only picks a point on it. The two need different reasons in the review, so each
such parameter is refitted once with its bound moved out and the gain measured.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from graphq.spice.optimise import Bound, ParameterFit, fit_parameters


@dataclass(frozen=True)
class BoundProbeSettings:
    # The bound is moved this factor further out on a log-searched parameter (a quarter of a
    # decade's worth twice over), by this fraction of its range on a linear one: far enough
    # that a valley shows as a large move, near enough to stay a model one could write.
    log_factor: float = 4.0
    linear_fraction: float = 0.5
    # A gain below this in the graphs' RMS error (fraction of full scale) is none a reader
    # could see: a fifth of a digitizer's 0.5 % scatter.
    visible_gain: float = 0.001
    # Another parameter that follows by more than this factor (or this fraction of its
    # range, searched linearly) shows the valley the curves leave flat.
    follows_factor: float = 1.5
    follows_fraction: float = 0.1
    # A parameter whose range starts at "absent" (no series resistance) that stays within
    # this fraction of its search range of that end is absent before and after: no follower.
    absent_fraction: float = 0.05
    # Evaluations of each probe's two fits (from the final point, with the bound as it was
    # and moved): a refinement, not a search.
    max_evaluations: int = 200


BOUND_PROBE = BoundProbeSettings()
# What a bound hit says where the curves would be matched better beyond it (and, unprobed,
# by default: see graphq.spice.quality.bound_review).
ASK_FOR_MORE = "the curves ask for more than the model gives"


def moved_bound(
    bound: Bound, value: float, settings: BoundProbeSettings = BOUND_PROBE
) -> tuple[Bound, float]:
    """``bound`` with the end ``value`` sits on moved out, and that end's new value."""
    low, high = bound.x_bounds()
    at_high = abs(bound.to_x(value) - high) < abs(bound.to_x(value) - low)
    if bound.log:
        factor = settings.log_factor
        end = bound.high * factor if at_high else bound.low / factor
    else:
        step = settings.linear_fraction * (bound.high - bound.low)
        end = bound.high + step if at_high else bound.low - step
    if at_high:
        return Bound(bound.low, end, bound.log, bound.natural_low), end
    return Bound(end, bound.high, bound.log, bound.natural_low), end


def _followers(
    before: dict[str, float],
    after: dict[str, float],
    names: Sequence[str],
    bounds: dict[str, Bound],
    settings: BoundProbeSettings,
) -> list[str]:
    """``kp 130 → 1087``: the other parameters that moved far with the probed one."""
    moved = []
    for name in names:
        old, new = before[name], after[name]
        if _absent(bounds[name], old, settings) and _absent(bounds[name], new, settings):
            continue
        if bounds[name].log and old > 0.0 and new > 0.0:
            far = abs(np.log(new / old)) > np.log(settings.follows_factor)
        else:
            far = abs(new - old) > settings.follows_fraction * (
                bounds[name].high - bounds[name].low
            )
        if far:
            moved.append(f"{name} {old:.4g} → {new:.4g}")
    return moved


def probe_bounds(
    residuals: Callable[[dict[str, float]], np.ndarray],
    fitted: ParameterFit,
    bounds: dict[str, Bound],
    graphs: int,
    settings: BoundProbeSettings = BOUND_PROBE,
) -> dict[str, str]:
    """For each of ``fitted.at_bound``, what the review should say about it (see
    :func:`graphq.spice.quality.bound_review`): whether the curves ask for more, measured as
    the gain in the ``graphs``' RMS error (``√(2·cost/graphs)``) when its bound is moved
    out, and which parameters follow it there."""
    names = list(fitted.names)
    notes: dict[str, str] = {}

    def rms(fit: ParameterFit) -> float:
        return float(np.sqrt(2.0 * fit.cost / max(graphs, 1)))

    held = fitted
    residual = residuals(fitted.params)
    if not np.isclose(0.5 * float(residual @ residual), fitted.cost, rtol=1e-9, atol=0.0):
        # Fitted under other weights (misread curves trusted less): its optimum under these.
        held = fit_parameters(
            residuals, fitted.params, names, bounds, max_evaluations=settings.max_evaluations
        )
    for name in fitted.at_bound:
        if name not in bounds or name not in names:
            continue
        moved, end = moved_bound(bounds[name], fitted.params[name], settings)
        freed = fit_parameters(
            residuals,
            held.params,
            names,
            {**bounds, name: moved},
            max_evaluations=settings.max_evaluations,
        )
        gain = rms(held) - rms(freed)
        others = [n for n in names if n != name]
        follow = _followers(held.params, freed.params, others, bounds, settings)
        value = freed.params[name]
        went = (
            f"stays at {value:.4g}"
            if name not in freed.at_bound and _same(value, fitted.params[name])
            else f"goes to {value:.4g}"
        )
        change = (
            f"changes by {abs(gain):.2%} of full scale, so the bound only picks a point the "
            "curves cannot tell apart"
            if gain < settings.visible_gain
            else f"falls by {gain:.2%} of full scale"
        )
        notes[name] = (
            ("the curves leave it open" if gain < settings.visible_gain else ASK_FOR_MORE)
            + f": with the bound moved to {end:.4g} it {went}"
            + (f" ({', '.join(follow)})" if follow else "")
            + f" and the graphs' RMS error {change}"
        )
    return notes


def _same(value: float, before: float) -> bool:
    """Within 1 % (a value no reader of the model would call different)."""
    return abs(value - before) <= 0.01 * max(abs(before), 1e-30)


def _absent(bound: Bound, value: float, settings: BoundProbeSettings) -> bool:
    """Near the low end of a range whose low end means "absent"."""
    low, high = bound.x_bounds()
    return bound.natural_low and bound.to_x(value) - low < settings.absent_fraction * (high - low)
