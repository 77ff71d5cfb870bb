"""CPU per image of the standard digitizer on the graphs that cost it most (issue: bounded cost).

Cases, each drawn at several sizes or seeds:

- ``dense dotted grid``: a log-log capacitance plot whose major and minor grid lines are dark
  dotted lines (thousands of dots, once traced as as many fragments), PNG and JPEG q60;
- ``hatching``: a safe-operating-area style plot with hatched regions behind the curves;
- ``noise``: generated graphs with heavy sensor noise and salt-and-pepper specks;
- ``4000x3000 scan``: generated graphs at 4000 × 3000, blurred, noisy, JPEG q60;
- ``crossing curves``: 16 curves crossing each other many times;
- ``converging bundles``: 24 thermal-impedance curves merging into one stroke and 8 transfer
  curves crossing at one point, on a log-log grid.

Per case it prints the images, the median and the maximum CPU seconds per image, the
maximum CPU over the image's budget (:mod:`graphq.digitizer.budget`), how many images hit
the budget and how many failed. CPU is this process's CPU time around ``digitize``, one
image at a time in each worker.

Usage::

    .venv/bin/python -m benchmarks.digitizer_worst_case [--workers 2] [--per-case 4]
"""

from __future__ import annotations

import argparse
import io
import multiprocessing
import time
from collections.abc import Callable

import matplotlib
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image
from tests.datagen import generate_graph

from graphq.digitizer import GraphMeta, digitize
from graphq.digitizer.budget import Budget
from graphq.digitizer.types import Axes, Axis
from graphq.errors import GraphqError
from graphq.review import ReviewReason

matplotlib.use("Agg")

Case = Callable[[int], tuple[np.ndarray, GraphMeta]]


def _figure(width_px: int, dpi: float) -> tuple[Figure, object]:
    figure = Figure(figsize=(width_px / dpi, 0.75 * width_px / dpi), dpi=dpi)
    FigureCanvasAgg(figure)
    return figure, figure.add_axes((0.12, 0.12, 0.83, 0.8))


def _pixels(figure: Figure, jpeg_quality: int | None = None) -> np.ndarray:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    picture = Image.open(buffer).convert("RGB")
    if jpeg_quality is not None:
        encoded = io.BytesIO()
        picture.save(encoded, format="JPEG", quality=jpeg_quality)
        picture = Image.open(encoded).convert("RGB")
    return np.asarray(picture)


def dense_dotted_grid(index: int) -> tuple[np.ndarray, GraphMeta]:
    width = (800, 1600, 2400, 1200)[index % 4]
    figure, ax = _figure(width, width / 8.0)
    x = np.logspace(-1, 2, 300)
    for k, start in enumerate((3000.0, 800.0, 200.0)):
        ax.plot(x, start * (1 + x / (0.5 + k)) ** -0.5, color="k", lw=1)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlim(0.1, 100)
    ax.set_ylim(1, 10000)
    ax.grid(True, which="major", color="#000000", lw=0.6, dashes=(1, 1.5))
    ax.grid(True, which="minor", color="#404040", lw=0.5, dashes=(1, 1.5))
    axes = Axes(x=Axis(0.1, 100, "log"), y=Axis(1, 10000, "log"))
    pixels = _pixels(figure, 60 if index % 2 else None)
    return pixels, GraphMeta(axes=axes, graph_type="capacitance")


def hatching(index: int) -> tuple[np.ndarray, GraphMeta]:
    width = (900, 1800, 1200, 2400)[index % 4]
    figure, ax = _figure(width, width / 8.0)
    x = np.linspace(0, 100, 400)
    ax.fill_between(x, 0, 40 + 20 * np.sin(x / 15), hatch="////", facecolor="none", lw=0)
    ax.fill_between(x, 60, 100, hatch="xx", facecolor="none", edgecolor="#808080", lw=0)
    for k in range(4):
        ax.plot(x, 10 + 20 * k + 0.3 * x, color="k", lw=1.2)
    ax.set_xlim(0, 100)
    ax.set_ylim(0, 100)
    axes = Axes(x=Axis(0, 100), y=Axis(0, 100))
    return _pixels(figure), GraphMeta(axes=axes, graph_type="custom")


def noise(index: int) -> tuple[np.ndarray, GraphMeta]:
    graph = generate_graph(
        1000 + index, style_overrides={"noise_sigma": 25.0, "format": "png", "width_px": 1200}
    )
    pixels = graph.image.copy()
    rng = np.random.default_rng(index)
    specks = rng.random(pixels.shape[:2]) < 0.01
    pixels[specks] = 0
    return pixels, GraphMeta(axes=graph.meta.axes, graph_type=graph.meta.graph_type)


def scan_4000x3000(index: int) -> tuple[np.ndarray, GraphMeta]:
    graph = generate_graph(
        2000 + index,
        style_overrides={
            "width_px": 4000,
            "aspect": 0.75,
            "dpi": 400.0,
            "blur_sigma_px": 1.2,
            "noise_sigma": 6.0,
            "format": "jpeg",
            "jpeg_quality": 60,
        },
    )
    return graph.image, GraphMeta(axes=graph.meta.axes, graph_type=graph.meta.graph_type)


def crossing_curves(index: int) -> tuple[np.ndarray, GraphMeta]:
    width = (1000, 2000, 1500, 800)[index % 4]
    figure, ax = _figure(width, width / 8.0)
    x = np.linspace(0, 10, 800)
    for k in range(16):
        ax.plot(x, 50 + 40 * np.sin(0.6 * x + 0.4 * k) * np.cos(0.1 * k * x), color="k", lw=1)
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 100)
    ax.grid(True, color="#b4b4b4", lw=0.5)
    axes = Axes(x=Axis(0, 10), y=Axis(0, 100))
    return _pixels(figure), GraphMeta(axes=axes, graph_type="custom")


def converging_bundles(index: int) -> tuple[np.ndarray, GraphMeta]:
    """Many thermal-impedance curves merging into one stroke, and transfer curves all
    crossing at one point: bundles the tracks fan out of, meet in and are carried along."""
    width = (1000, 2000, 1500, 800)[index % 4]
    figure, ax = _figure(width, width / 8.0)
    x = np.logspace(-5, 1, 800)
    for k in range(24):
        duty = 0.02 * k
        ax.loglog(x, 0.7 * (duty + (1 - duty) * (1 - np.exp(-((x / 0.01) ** 0.6)))), "k", lw=1)
    volts = np.linspace(0, 10, 400)
    for k in range(8):
        ax.plot(10 ** (-5 + 0.6 * volts), 10 ** (-2 + 0.2 * (1 + 0.1 * k) * (volts - 5)), "k")
    ax.set_xlim(1e-5, 10)
    ax.set_ylim(1e-3, 1)
    ax.grid(True, which="both", color="#b4b4b4", lw=0.5)
    axes = Axes(x=Axis(1e-5, 10, "log"), y=Axis(1e-3, 1, "log"))
    return _pixels(figure), GraphMeta(axes=axes, graph_type="thermal_impedance")


CASES: dict[str, Case] = {
    "dense dotted grid": dense_dotted_grid,
    "hatching": hatching,
    "noise": noise,
    "4000x3000 scan": scan_4000x3000,
    "crossing curves": crossing_curves,
    "converging bundles": converging_bundles,
}


def run_case(task: tuple[str, int]) -> tuple[str, int, float, float, bool, bool, int]:
    """(case, pixels, CPU s, budget s, budget hit, failed, curves) of one image."""
    name, index = task
    pixels, meta = CASES[name](index)
    height, width = pixels.shape[:2]
    began = time.process_time()
    try:
        result = digitize(pixels, meta)
    except GraphqError:
        result = None
    cpu = time.process_time() - began
    hit = result is not None and any(
        note.code == ReviewReason.BUDGET_HIT for note in result.review.reasons
    )
    curves = len(result.curves) if result is not None else 0
    budget = Budget.for_pixels(height * width).seconds
    return name, height * width, cpu, budget, hit, result is None, curves


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2, help="worker processes (default 2)")
    parser.add_argument("--per-case", type=int, default=4, help="images per case (default 4)")
    args = parser.parse_args(argv)
    tasks = [(name, index) for name in CASES for index in range(args.per_case)]
    context = multiprocessing.get_context("spawn")
    with context.Pool(args.workers) as pool:
        rows = pool.map(run_case, tasks, chunksize=1)
    header = "| case | images | MP (max) | CPU s median | CPU s max | max CPU / budget | "
    print(header + "budget hit | failed | curves (median) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name in [*CASES, "all"]:
        mine = [row for row in rows if name in (row[0], "all")]
        cpu = np.array([row[2] for row in mine])
        share = np.array([row[2] / row[3] for row in mine])
        print(
            f"| {name} | {len(mine)} | {max(row[1] for row in mine) / 1e6:.1f} | "
            f"{np.median(cpu):.2f} | {cpu.max():.2f} | {share.max():.2f} | "
            f"{sum(row[4] for row in mine)} | {sum(row[5] for row in mine)} | "
            f"{np.median([row[6] for row in mine]):.0f} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
