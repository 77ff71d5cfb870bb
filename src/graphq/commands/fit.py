"""``graphq fit``: a SPICE model from digitizer CSV files, without the server.

Exit status: 0 for a model that passed the quality gate, 3 for a model written but in need
of review (its reasons are printed), 1 for an error (one line, nothing written).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from graphq.errors import GraphqError
from graphq.spice import (
    MODEL_TYPES,
    FitInput,
    SpiceFit,
    Verification,
    fit_input_from_csv,
    fit_model,
    render_report_png,
    verify_with_ngspice,
)
from graphq.spice.pspice_subckt import DIALECTS
from graphq.spice.quality import combined_review, curve_measure

NEEDS_REVIEW_EXIT_STATUS = 3

_EPILOG = """exit status: 0 the model passed the quality gate; 3 the model was written but needs
review (curves left out, conditions assumed, curves beyond their limits of 5 %% of full scale
or 10 %% for capacitances, parameters on a bound or against the device type; the reasons are
printed); 1 an error."""


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "fit",
        help="fit a SPICE model to digitized curves",
        description="Fit a SPICE model to the CSV files `graphq digitize --format csv` writes.",
        epilog=_EPILOG,
    )
    parser.add_argument("--model", choices=MODEL_TYPES, default="vdmos")
    parser.add_argument("--output", type=Path, help="output characteristics CSV (Id vs Vds)")
    parser.add_argument("--transfer", type=Path, help="transfer characteristic CSV (Id vs Vgs)")
    parser.add_argument("--capacitance", type=Path, help="Ciss/Coss/Crss vs Vds CSV")
    parser.add_argument("--rdson", type=Path, help="Rds(on) vs Id CSV")
    parser.add_argument("--body-diode", type=Path, help="body-diode forward CSV (Isd vs Vsd)")
    parser.add_argument(
        "--device-type",
        default="Si-MOSFET",
        help="Si-MOSFET, SiC-MOSFET, GaN-HEMT, P-MOSFET (or P-channel), Depletion-MOSFET",
    )
    parser.add_argument(
        "--dialect",
        choices=DIALECTS,
        default="vdmos",
        help="vdmos: the ngspice/LTspice VDMOS card (default); pspice: the same model as a "
        "PSpice-style subcircuit (level of detail as the card, channel at 25 °C), also "
        "verified in ngspice",
    )
    parser.add_argument(
        "--rthjc",
        type=float,
        metavar="K_PER_W",
        help="the datasheet's junction-to-case thermal resistance: self-heating is fitted up "
        "to it where the output curves show it (DC sweeps), and written to the card",
    )
    parser.add_argument(
        "--datasheet",
        type=Path,
        metavar="PDF",
        help="the part's datasheet: its Rth(j-c) (unless --rthjc is given) and its electrical "
        "table's VGS(th)/VGS(off) and RDS(on) are read from it; the table referees graphs that "
        "contradict each other and checks the model",
    )
    parser.add_argument("--name", default="GRAPHQ_MODEL", help="model name in the file")
    parser.add_argument("-o", dest="out", type=Path, help="write the model here (default stdout)")
    parser.add_argument("--report", type=Path, metavar="OUT.png", help="also write the fit plot")
    parser.set_defaults(func=run_fit)


class TerminalProgress:
    """The fit's stages on one rewritten line of ``stream``, only when it is a terminal."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.active = stream.isatty()

    def __call__(self, fraction: float, step: str) -> None:
        if self.active:
            self.stream.write(f"\r\x1b[K[{fraction:4.0%}] {step}")
            self.stream.flush()

    def done(self) -> None:
        if self.active:
            self.stream.write("\r\x1b[K")
            self.stream.flush()


def error_table(fit: SpiceFit, verification: Verification | None) -> list[str]:
    """One line per curve: its errors in the fitted equations and in ngspice, and its limit."""
    simulated = {(r.graph_type, r.name): r for r in verification.report} if verification else {}
    lines = [
        f"{'graph':12s} {'curve':16s} {'fit rms':>8s} {'fit max':>8s} "
        f"{'ngspice':>8s} {'limit':>6s}  {'verdict':12s}  read from"
    ]

    for curve in fit.report:
        spice = simulated.get((curve.graph_type, curve.name))
        judged = spice or curve
        ngspice = f"{curve_measure(spice):8.2%}" if spice is not None else f"{'-':>8s}"
        verdict = "ok" if judged.within_limit else "BEYOND LIMIT"
        lines.append(
            f"{curve.graph_type:12s} {curve.name:16s} {curve.rms_error:8.2%} "
            f"{curve.max_error:8.2%} {ngspice} {curve.limit:6.0%}  {verdict:12s}  {curve.graph}"
        )
    lines.append("(capacitances: ngspice column and limit are median relative errors)")
    return lines


def other_dialects(
    fit: SpiceFit, inputs: FitInput, chosen: str, verification: Verification | None
) -> dict[str, Verification | None]:
    """The fit's other dialects simulated in ngspice, by dialect, where the chosen one
    misses a curve's limit there: a miss another dialect meets (the subcircuit's stepped
    capacitances) is then advice to use it, not a plain miss. Empty when nothing misses,
    so a model that passes costs no further simulation."""
    if verification is None or all(r.within_limit for r in verification.report):
        return {}
    names = [d for d in ("vdmos", *fit.dialects) if d != chosen and fit.model_type == "vdmos"]
    return {name: verify_with_ngspice(fit, inputs, name) for name in names}


def _read_pdf(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise GraphqError("INVALID_PARAMETERS", f"cannot read {path}: {exc.strerror}") from exc


def sources(inputs: FitInput) -> list[str]:
    """Where the values not read from the curves came from."""
    lines = []
    if inputs.rthjc_k_per_w is not None:
        lines.append(f"Rth(j-c) {inputs.rthjc_k_per_w:g} K/W: {inputs.rthjc_source}")
    table = inputs.table
    if table is not None:
        if table.threshold_low_v is not None:
            lines.append(
                f"threshold {table.threshold_low_v:g} … {table.threshold_high_v:g} V "
                f"(N-channel sense): the datasheet's electrical table, {table.threshold_source}"
            )
        if table.rdson_vgs_v is not None:
            rated = "/".join(
                f"{v:g}" for v in (table.rdson_typical_ohm, table.rdson_max_ohm) if v is not None
            )
            lines.append(
                f"RDS(on) {rated} Ω at VGS = {table.rdson_vgs_v:g} V, ID = {table.rdson_id_a:g} A: "
                f"the datasheet's electrical table, {table.rdson_source}"
            )
    return lines


def run_fit(args: argparse.Namespace) -> int:
    """Write the model, print the per-curve error table to stderr; one error line on bad
    input. Returns 3 when the model needs review."""
    progress = TerminalProgress(sys.stderr)
    try:
        inputs = fit_input_from_csv(
            output=args.output,
            transfer=args.transfer,
            capacitance=args.capacitance,
            rdson=args.rdson,
            body_diode=args.body_diode,
            device_type=args.device_type,
        )
        if args.rthjc is not None:
            if not args.rthjc > 0.0:
                raise GraphqError("INVALID_PARAMETERS", "--rthjc must be a positive K/W")
            inputs.rthjc_k_per_w, inputs.rthjc_source = args.rthjc, "given with --rthjc"
        if args.datasheet is not None:
            # The PDF reader (and its OCR) loads only when a datasheet is given.
            from graphq.spice.datasheet_tables import read_datasheet_tables

            progress(0.0, "reading the datasheet's tables")
            read_datasheet_tables(_read_pdf(args.datasheet), inputs)
        fit = fit_model(inputs, model_type=args.model, name=args.name, progress=progress)
        progress(0.96, "verifying the model in ngspice")
        dialect = args.dialect if args.model == "vdmos" else "vdmos"
        verification = verify_with_ngspice(fit, inputs, dialect)
        others = other_dialects(fit, inputs, dialect, verification)
        fit.review = combined_review(fit.review, verification, others)
        text = fit.dialects.get(dialect, fit.model_text)
        if args.report is not None:
            progress(0.99, "drawing the fit report")
            args.report.write_bytes(render_report_png(fit, inputs))
    except GraphqError as exc:
        progress.done()
        print(f"error: {exc.code}: {exc.message}", file=sys.stderr)
        return 1
    progress.done()
    if args.out is not None:
        args.out.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    for warning in fit.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    for line in sources(inputs):
        print(line, file=sys.stderr)
    print(f"fitted {', '.join(fit.fitted)} in {fit.fit_time_s:.2f} s", file=sys.stderr)
    for line in error_table(fit, verification):
        print(line, file=sys.stderr)
    if verification is not None:
        print(f"ngspice worst rms {verification.worst_rms_error:.2%}", file=sys.stderr)
    if fit.review.needs_review:
        print("needs review:", file=sys.stderr)
        for note in fit.review.reasons:
            print(f"  {note.code}: {note.message}", file=sys.stderr)
        return NEEDS_REVIEW_EXIT_STATUS
    return 0
