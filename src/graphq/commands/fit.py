"""``graphq fit``: a SPICE model from digitizer CSV files, without the server."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from graphq.errors import GraphqError
from graphq.spice import (
    MODEL_TYPES,
    fit_input_from_csv,
    fit_model,
    render_report_png,
    verify_with_ngspice,
)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "fit",
        help="fit a SPICE model to digitized curves",
        description="Fit a SPICE model to the CSV files `graphq digitize --format csv` writes.",
    )
    parser.add_argument("--model", choices=MODEL_TYPES, default="vdmos")
    parser.add_argument("--output", type=Path, help="output characteristics CSV (Id vs Vds)")
    parser.add_argument("--transfer", type=Path, help="transfer characteristic CSV (Id vs Vgs)")
    parser.add_argument("--capacitance", type=Path, help="Ciss/Coss/Crss vs Vds CSV")
    parser.add_argument("--rdson", type=Path, help="Rds(on) vs Id CSV")
    parser.add_argument("--body-diode", type=Path, help="body-diode forward CSV (Isd vs Vsd)")
    parser.add_argument(
        "--device-type", default="Si-MOSFET", help="Si-MOSFET, SiC-MOSFET, GaN-HEMT, P-MOSFET …"
    )
    parser.add_argument("--name", default="GRAPHQ_MODEL", help="model name in the file")
    parser.add_argument("-o", dest="out", type=Path, help="write the model here (default stdout)")
    parser.add_argument("--report", type=Path, metavar="OUT.png", help="also write the fit plot")
    parser.set_defaults(func=run_fit)


def run_fit(args: argparse.Namespace) -> int:
    """Write the model, print the per-curve report to stderr; one error line on bad input."""
    try:
        inputs = fit_input_from_csv(
            output=args.output,
            transfer=args.transfer,
            capacitance=args.capacitance,
            rdson=args.rdson,
            body_diode=args.body_diode,
            device_type=args.device_type,
        )
        fit = fit_model(inputs, model_type=args.model, name=args.name)
        verification = verify_with_ngspice(fit, inputs)
        if args.report is not None:
            args.report.write_bytes(render_report_png(fit, inputs))
    except GraphqError as exc:
        print(f"error: {exc.code}: {exc.message}", file=sys.stderr)
        return 1
    if args.out is not None:
        args.out.write_text(fit.model_text, encoding="utf-8")
    else:
        sys.stdout.write(fit.model_text)
    for curve in fit.report:
        print(
            f"{curve.graph_type:12s} {curve.name:16s} rms {curve.rms_error:.2%} "
            f"max {curve.max_error:.2%}",
            file=sys.stderr,
        )
    if verification is not None:
        print(f"ngspice worst rms {verification.worst_rms_error:.2%}", file=sys.stderr)
    for warning in fit.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(f"fitted {', '.join(fit.fitted)} in {fit.fit_time_s:.2f} s", file=sys.stderr)
    return 0
