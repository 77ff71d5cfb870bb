"""``fit_model``: digitized curves in, a fitted SPICE model with its report out."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Literal, get_args

from graphq.errors import GraphqError
from graphq.review import Review
from graphq.spice import gan_epc
from graphq.spice.channel_bounds import CHANNEL_NAMES, QUASI_SATURATION_NAMES
from graphq.spice.consistency import disagreements
from graphq.spice.curves import CurveData, DeviceEquations, curve_table, predict, thinned
from graphq.spice.fit_capacitance import CAPACITANCE_NAMES, fit_capacitances
from graphq.spice.fit_channel import fit_channel, refit_thermal_resistance
from graphq.spice.fit_diode import DIODE_NAMES, fit_diode
from graphq.spice.fit_gan import GAN_EQUATIONS, fit_gan_capacitances, fit_gan_channel
from graphq.spice.fit_temperature import fit_temperature
from graphq.spice.graphs import require_channel_curves
from graphq.spice.inputs import FitInput
from graphq.spice.model_file import (
    VDMOS_CARD_ORDER,
    check_model_name,
    check_model_text,
    vdmos_model_text,
)
from graphq.spice.optimise import ParameterFit
from graphq.spice.pspice_subckt import pspice_subckt_text
from graphq.spice.quality import bound_review, curve_review, looks_depletion, parameter_review
from graphq.spice.rdson_rating import rdson_rating
from graphq.spice.report import curve_reports
from graphq.spice.results import CurveReport, SpiceFit
from graphq.spice.self_heating import SELF_HEATING_NAMES
from graphq.spice.subcircuit_capacitance import (
    SUBCIRCUIT_EQUATIONS,
    stepped_capacitances,
    subcircuit_parameters,
)
from graphq.spice.table_referee import referee, table_check
from graphq.spice.threshold_rating import threshold_rating
from graphq.spice.vdmos_equations import VDMOS_EQUATIONS

ModelType = Literal["vdmos", "gan-epc"]
# The channel stage's parameters as the card takes them: the channel's, and self-heating.
VDMOS_CHANNEL_NAMES = (*CHANNEL_NAMES, *SELF_HEATING_NAMES)
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


def _fit_vdmos(
    curves: list[CurveData], progress: ProgressCallback, inputs: FitInput
) -> list[ParameterFit]:
    """The 25 °C parameters from the curves measured there, then the temperature terms
    from the others."""
    nominal = [c for c in curves if c.nominal]
    progress(0.05, "fitting the channel")
    depletion = looks_depletion(curves, inputs.device_type)
    threshold = threshold_rating(inputs.table)
    channel = fit_channel(
        nominal,
        inputs.rthjc_k_per_w,
        depletion=depletion,
        threshold=threshold,
        rdson=rdson_rating(inputs.table),
    )
    progress(0.65, "fitting capacitances")
    caps = fit_capacitances(nominal)
    progress(0.8, "fitting the body diode")
    diode = fit_diode(nominal)
    progress(0.88, "fitting the temperature terms")
    at_25 = _merged([channel, diode], [VDMOS_CHANNEL_NAMES, DIODE_NAMES])
    temperature = fit_temperature(curves, {**channel.params, **at_25})
    if "rthjc" in channel.params and inputs.rthjc_k_per_w is not None:
        final = {**channel.params, **_merged([temperature], [temperature.names])}
        heating = refit_thermal_resistance(nominal, final, inputs.rthjc_k_per_w)
        channel = replace(
            channel,
            params={**channel.params, "rthjc": heating.params["rthjc"]},
            at_bound=tuple(n for n in channel.at_bound if n != "rthjc") + heating.at_bound,
            uncertainty={**channel.uncertainty, **heating.uncertainty},
        )
    return [channel, caps, diode, temperature]


def _fit_gan(curves: list[CurveData], progress: ProgressCallback) -> list[ParameterFit]:
    progress(0.05, "fitting the channel")
    channel = fit_gan_channel(curves)
    progress(0.7, "fitting capacitances")
    return [channel, fit_gan_capacitances(curves)]


def _merged(stages: list[ParameterFit], groups: list[Sequence[str]]) -> dict[str, float]:
    """Each stage's own parameters (a stage holds the others at their start values)."""
    merged: dict[str, float] = {}
    for stage, group in zip(stages, groups, strict=True):
        merged.update({k: v for k, v in stage.params.items() if k in group})
    return merged


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
    if model_type != "vdmos":
        # Only the VDMOS card has temperature terms; the others are fitted at 25 °C alone.
        curves = [c for c in curves if c.nominal]
    if not any(c.kind in ("output", "transfer") and c.nominal for c in curves):
        raise GraphqError(
            "MISSING_CURVES", "no output or transfer curve was measured at 25 °C; none to fit"
        )
    warnings = list(inputs.warnings)
    skipped = len(curve_table(inputs)) - len(curves)
    if skipped:
        warnings.append(f"{skipped} curve(s) measured away from 25 °C were not fitted")

    curves, refereed = referee(curves, inputs.table)
    fit_curves = [thinned(curve) for curve in curves]
    if model_type == "vdmos":
        stages = _fit_vdmos(fit_curves, report_progress, inputs)
        groups = [VDMOS_CHANNEL_NAMES, CAPACITANCE_NAMES, DIODE_NAMES, stages[-1].names]
        merged = _merged(stages, groups)
        # Quasi-saturation is written only where the fit chose it (ngspice switches it on
        # as soon as rq and vq are both given).
        unused: tuple[str, ...] = () if merged.get("rq", 0.0) > 0.0 else QUASI_SATURATION_NAMES
        # Self-heating likewise, where the curves asked for it.
        unused += () if merged.get("rthjc", 0.0) > 0.0 else SELF_HEATING_NAMES
        # Temperature terms are written where fitted; ngspice's defaults stand for the rest.
        normalised = {
            key: merged[key] for key in VDMOS_CARD_ORDER if key in merged and key not in unused
        }
        card = dict(normalised)
        if inputs.pchan:
            card["vto"] = -card["vto"]
        model_text = vdmos_model_text(name, card, pchan=inputs.pchan)
        report_progress(0.92, "fitting the subcircuit's capacitances")
        stepped = stepped_capacitances(fit_curves, normalised)
        subcircuit_caps = subcircuit_parameters(stepped) if stepped is not None else None
        dialects = {
            "pspice": pspice_subckt_text(
                name, card, pchan=inputs.pchan, capacitances=subcircuit_caps
            )
        }
        dialect_parameters = {"pspice": subcircuit_caps} if subcircuit_caps else {}
        threshold = "vto"
    else:
        stages = _fit_gan(fit_curves, report_progress)
        merged = _merged(stages, [gan_epc.CHANNEL_NAMES, gan_epc.CAPACITANCE_NAMES])
        normalised = gan_epc.with_defaults(merged)
        names = (*gan_epc.CHANNEL_NAMES, *gan_epc.CAPACITANCE_NAMES)
        card = {key: normalised[key] for key in names}
        if inputs.pchan:
            warnings.append("the GaN model is N-channel; the P-channel polarity was ignored")
        model_text = gan_epc.gan_subckt_text(name, card)
        dialects, dialect_parameters, stepped = {}, {}, None
        threshold = "vth"
    fitted = [n for stage in stages for n in stage.names]
    if "rq" in fitted and "vq" not in fitted:
        warnings.append(
            f"vq held at {card['vq']:.4g} V, not fitted: the curves show the drift "
            "resistance rising only linearly with VDS, which fixes rq/vq alone"
        )
    if "rthjc" in card:
        warnings.append(
            f"self-heating fitted: rthjc = {card['rthjc']:.3g} K/W (the datasheet's Rth(j-c) "
            f"{inputs.rthjc_k_per_w:g} K/W"
            + (f", {inputs.rthjc_source}" if inputs.rthjc_source else "")
            + f"); ngspice heats only instances flagged thermal (M… d g s tj tc {name} thermal)"
            + _pulse_note(inputs)
        )
    elif inputs.rthjc_k_per_w is not None and model_type == "vdmos":
        warnings.append(
            f"the datasheet's Rth(j-c) {inputs.rthjc_k_per_w:g} K/W"
            + (f" ({inputs.rthjc_source})" if inputs.rthjc_source else "")
            + " was not used: the output curves show no self-heating (none droops, or heating did"
            " not better the fit)" + _pulse_note(inputs)
        )
    at_bound = [n for stage in stages for n in stage.at_bound]

    report_progress(0.95, "scoring the fit")
    models = predict(equations_for(model_type), normalised, curves)
    report = curve_reports(curves, models)
    dialect_report = {
        dialect: _dialect_report(curves, normalised, dialect_parameters.get(dialect))
        for dialect in dialects
    }
    review = Review()
    review.extend(inputs.review)
    review.extend(disagreements(curves))
    review.extend(refereed)
    if model_type == "vdmos":
        review.extend(table_check(normalised, VDMOS_EQUATIONS, inputs.table))
    review.extend(
        parameter_review(
            normalised,
            threshold=threshold,
            at_bound=at_bound,
            curves=curves,
            device_type=inputs.device_type,
            bound_notes={k: v for stage in stages for k, v in stage.bound_notes.items()},
        )
    )
    if stepped is not None:
        review.extend(bound_review(stepped.params, stepped.at_bound, "the pspice subcircuit's"))
    review.extend(curve_review(report, "in the fitted equations", dialect_report))
    return SpiceFit(
        model_type=model_type,
        name=name,
        pchan=inputs.pchan and model_type == "vdmos",
        parameters=card,
        fitted=fitted,
        defaulted=[key for key in card if key not in fitted],
        model_text=check_model_text(model_text),
        report=report,
        fit_time_s=time.perf_counter() - started,
        warnings=warnings,
        uncertainty={k: v for stage in stages for k, v in stage.uncertainty.items()},
        at_bound=at_bound,
        review=review,
        dialects={key: check_model_text(text) for key, text in dialects.items()},
        dialect_parameters=dialect_parameters,
        dialect_report=dialect_report,
    )


def _pulse_note(inputs: FitInput) -> str:
    """What the output graphs say of their measuring pulses: a pulse heats the junction by
    the thermal impedance at its width, below Rth(j-c), so a fitted ``rthjc`` is that
    heating, and a DC sweep of the card heats less than the part."""
    pulses = sorted({c.pulse_s for c in inputs.output if c.pulse_s is not None})
    if not pulses:
        return "; the output graphs state no pulse width (DC sweep or pulses: not known)"
    widths = ", ".join(f"{tp * 1e6:g} µs" if tp < 1e-3 else f"{tp * 1e3:g} ms" for tp in pulses)
    return (
        f"; the output curves were measured with {widths} pulses, so the heating they show is "
        "the thermal impedance at that width, below a DC sweep's"
    )


def _dialect_report(
    curves: list[CurveData], card: dict[str, float], capacitances: dict[str, float] | None
) -> list[CurveReport]:
    """A VDMOS dialect's errors on the 25 °C curves (its text holds the channel at 25 °C):
    the card's equations, with its own capacitances where it carries them."""
    nominal = [c for c in curves if c.nominal]
    if capacitances is None:
        return curve_reports(nominal, predict(VDMOS_EQUATIONS, card, nominal))
    params = {**card, **capacitances}
    return curve_reports(nominal, predict(SUBCIRCUIT_EQUATIONS, params, nominal))
