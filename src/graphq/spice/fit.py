"""``fit_model``: digitized curves in, a fitted SPICE model with its report out."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Literal, get_args

from graphq.errors import GraphqError
from graphq.spice import gan_epc
from graphq.spice.curves import CurveData, DeviceEquations, curve_table, predict, thinned
from graphq.spice.fit_capacitance import fit_capacitances
from graphq.spice.fit_channel import VDMOS_EQUATIONS, fit_channel
from graphq.spice.fit_diode import fit_diode
from graphq.spice.fit_gan import GAN_EQUATIONS, fit_gan_capacitances, fit_gan_channel
from graphq.spice.graphs import require_channel_curves
from graphq.spice.inputs import FitInput
from graphq.spice.model_file import (
    VDMOS_CARD_ORDER,
    check_model_name,
    check_model_text,
    vdmos_model_text,
)
from graphq.spice.report import curve_reports
from graphq.spice.results import SpiceFit

ModelType = Literal["vdmos", "gan-epc"]
MODEL_TYPES: tuple[str, ...] = get_args(ModelType)
ProgressCallback = Callable[[float, str], None]


def _no_progress(fraction: float, step: str) -> None:
    return None


def equations_for(model_type: str) -> DeviceEquations:
    return GAN_EQUATIONS if model_type == "gan-epc" else VDMOS_EQUATIONS


def normalised_parameters(fit: SpiceFit) -> dict[str, float]:
    """The parameters in the N-channel sense the numpy equations use (``vto`` of a
    P-channel card flipped back)."""
    params = dict(fit.parameters)
    if fit.model_type == "vdmos" and fit.pchan:
        params["vto"] = -params["vto"]
    return params


def _fit_vdmos(curves: list[CurveData], progress: ProgressCallback) -> tuple[dict, list[str]]:
    progress(0.05, "fitting the channel")
    channel, channel_names = fit_channel(curves)
    progress(0.7, "fitting capacitances")
    caps, cap_names = fit_capacitances(curves)
    progress(0.85, "fitting the body diode")
    diode, diode_names = fit_diode(curves)
    params = {**channel, **caps, **diode}
    card = {key: params[key] for key in VDMOS_CARD_ORDER}
    return card, channel_names + cap_names + diode_names


def _fit_gan(curves: list[CurveData], progress: ProgressCallback) -> tuple[dict, list[str]]:
    progress(0.05, "fitting the channel")
    channel, channel_names = fit_gan_channel(curves)
    progress(0.7, "fitting capacitances")
    caps, cap_names = fit_gan_capacitances(curves)
    params = gan_epc.with_defaults({**channel, **caps})
    names = (*gan_epc.CHANNEL_NAMES, *gan_epc.CAPACITANCE_NAMES)
    return {key: params[key] for key in names}, channel_names + cap_names


def fit_model(
    inputs: FitInput,
    *,
    model_type: str,
    name: str,
    progress: ProgressCallback | None = None,
) -> SpiceFit:
    """Fit ``model_type`` (``vdmos`` or ``gan-epc``) to ``inputs`` and write it as ``name``.

    ``progress(fraction, step)`` is called as the stages go. Raises ``INVALID_PARAMETERS``
    for an unknown model type or a name outside :data:`MODEL_NAME_PATTERN`, and
    ``MISSING_CURVES`` without output or transfer curves.
    """
    check_model_name(name)
    if model_type not in MODEL_TYPES:
        raise GraphqError(
            "INVALID_PARAMETERS", f"model type must be one of {', '.join(MODEL_TYPES)}"
        )
    require_channel_curves(inputs)
    report_progress = progress or _no_progress
    started = time.perf_counter()
    curves = curve_table(inputs)
    warnings = list(inputs.warnings)
    skipped = len(inputs.transfer) - sum(c.kind == "transfer" for c in curves)
    if skipped:
        warnings.append(f"{skipped} transfer curve(s) away from 25 °C were not fitted")

    fit_curves = [thinned(curve) for curve in curves]
    if model_type == "vdmos":
        normalised, fitted = _fit_vdmos(fit_curves, report_progress)
        card = dict(normalised)
        if inputs.pchan:
            card["vto"] = -card["vto"]
        model_text = vdmos_model_text(name, card, pchan=inputs.pchan)
        defaulted = [key for key in VDMOS_CARD_ORDER if key not in fitted]
    else:
        normalised, fitted = _fit_gan(fit_curves, report_progress)
        card = normalised
        if inputs.pchan:
            warnings.append("the GaN model is N-channel; the P-channel polarity was ignored")
        model_text = gan_epc.gan_subckt_text(name, card)
        defaulted = [key for key in card if key not in fitted]

    report_progress(0.95, "scoring the fit")
    models = predict(equations_for(model_type), normalised, curves)
    return SpiceFit(
        model_type=model_type,
        name=name,
        pchan=inputs.pchan and model_type == "vdmos",
        parameters=card,
        fitted=fitted,
        defaulted=defaulted,
        model_text=check_model_text(model_text),
        report=curve_reports(curves, models),
        fit_time_s=time.perf_counter() - started,
        warnings=warnings,
    )
