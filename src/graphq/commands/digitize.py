"""``graphq digitize``: the digitizer on one image file, without the server."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import get_args

import msgspec

from graphq.config import load_settings
from graphq.digitizer import (
    Axes,
    Axis,
    GraphMeta,
    digitize,
    load_image,
    render_overlay,
    result_to_csv,
)
from graphq.digitizer.types import GraphType
from graphq.errors import GraphqError
from graphq.llm_client import llm_endpoint

GRAPH_TYPES = get_args(GraphType)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "digitize",
        help="extract curves from a graph image",
        description="Extract the curves of a datasheet graph image in axis units.",
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
    """Print the result (JSON or CSV) and return 0, or print one error line and return 1."""
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
        sys.stdout.write(msgspec.json.encode(result).decode() + "\n")
    return 0
