"""``graphq digitize``: the digitizer on one image file, without the server.

The digitizer (numpy, scipy, the stages) is imported when the command runs, so that
``graphq --help`` and ``graphq digitize --help`` answer at once.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import get_args

from graphq.digitizer.types import Axes, Axis, GraphMeta, GraphType
from graphq.errors import GraphqError

GRAPH_TYPES = get_args(GraphType)
NEEDS_REVIEW_EXIT_STATUS = 3

_EPILOG = """exit status: 0 the curves were read with confidence; 3 they were printed but need
review (frame uncertain, labels bound by order, curve count differs from the labels, CPU
budget hit, low confidence; the JSON's "reasons" say which); 1 an error (one line)."""


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "digitize",
        help="extract curves from a graph image",
        description="Extract the curves of a datasheet graph image in axis units.",
        epilog=_EPILOG,
    )
    parser.add_argument("image", type=Path, help="PNG, JPEG, BMP, TIFF or GIF file")
    parser.add_argument("--x-range", nargs=2, type=float, required=True, metavar=("MIN", "MAX"))
    parser.add_argument("--y-range", nargs=2, type=float, required=True, metavar=("MIN", "MAX"))
    parser.add_argument("--x-log", action="store_true", help="logarithmic x axis")
    parser.add_argument("--y-log", action="store_true", help="logarithmic y axis")
    parser.add_argument(
        "--plot-area",
        nargs=4,
        type=float,
        metavar=("X0", "Y0", "X1", "Y1"),
        help="pixel box of the plot frame (detected when omitted)",
    )
    parser.add_argument("--curves", type=int, help="expected number of curves")
    parser.add_argument("--labels", help="comma-separated labels, highest curve first")
    parser.add_argument("--graph-type", choices=GRAPH_TYPES, default="custom")
    parser.add_argument("--method", choices=("standard", "legacy", "llm"), default="standard")
    parser.add_argument("--format", choices=("json", "csv"), default="json")
    parser.add_argument(
        "--overlay", type=Path, metavar="OUT.png", help="also write the curves drawn over the image"
    )
    parser.set_defaults(func=run_digitize)


def _meta_from_args(args: argparse.Namespace) -> GraphMeta:
    labels = [label.strip() for label in args.labels.split(",")] if args.labels else None
    return GraphMeta(
        axes=Axes(
            x=Axis(
                min=args.x_range[0], max=args.x_range[1], scale="log" if args.x_log else "linear"
            ),
            y=Axis(
                min=args.y_range[0], max=args.y_range[1], scale="log" if args.y_log else "linear"
            ),
        ),
        graph_type=args.graph_type,
        plot_area=list(args.plot_area) if args.plot_area else None,
        curves=args.curves,
        labels=labels,
        method=args.method,
    )


def run_digitize(args: argparse.Namespace) -> int:
    """Print the result (JSON or CSV) and return 0, or 3 when it needs review (its reasons
    go to stderr too), or print one error line and return 1."""
    from graphq.config import load_settings
    from graphq.digitizer import digitize, load_image, render_overlay, result_to_csv
    from graphq.llm_client import llm_endpoint

    try:
        try:
            data = args.image.read_bytes()
        except OSError as exc:
            raise GraphqError("INVALID_IMAGE", f"cannot read {args.image}: {exc.strerror}") from exc
        image = load_image(data).pixels
        meta = _meta_from_args(args)
        llm = None
        if args.method == "llm":
            llm = llm_endpoint(load_settings(Path(args.config) if args.config else None))
        result = digitize(image, meta, llm=llm)
        if args.overlay is not None:
            args.overlay.write_bytes(render_overlay(image, result, meta))
    except GraphqError as exc:
        print(f"error: {exc.code}: {exc.message}", file=sys.stderr)
        return 1
    if args.format == "csv":
        sys.stdout.write(result_to_csv(result, meta))
    else:
        sys.stdout.write(json.dumps(result.to_json(), separators=(",", ":")) + "\n")
    if result.review.needs_review:
        for note in result.review.reasons:
            print(f"needs review: {note.code}: {note.message}", file=sys.stderr)
        return NEEDS_REVIEW_EXIT_STATUS
    return 0
