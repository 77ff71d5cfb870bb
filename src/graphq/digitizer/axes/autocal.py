"""Axes read off the image itself, for graphs uploaded without them.

The frame is the digitizer's own (:func:`graphq.digitizer.axes.frame.detect_plot_area`); the tick
labels are read by OCR; the tick marks and grid lines the labels sit at are found in the
pixels along the frame's bottom and left edges; and the labels are fitted to them by the
same reader the datasheet PDFs use (:func:`graphq.datasheet.axes.read_axes`), so a scanned
page and an uploaded PNG are read alike. What cannot be read with confidence is said in the
returned :class:`graphq.review.Review`, never guessed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from graphq.datasheet.axes import AxesReading, read_axes
from graphq.datasheet.ocr import image_words
from graphq.digitizer.axes.frame import detect_plot_area
from graphq.digitizer.preprocessing.ink import darkness
from graphq.digitizer.preprocessing.text import text_height_px
from graphq.digitizer.types import Axes
from graphq.errors import GraphqError
from graphq.review import Review, ReviewNote, ReviewReason


@dataclass(frozen=True)
class TickSettings:
    """How tick marks and grid lines are told from curves and labels along a frame edge."""

    # Ink darker than this is a tick or grid line (grey grids at ~#b0b0b0 pass).
    ink: float = 0.25
    # Ticks are looked for in a band this fraction of the frame's size (and at least this
    # many px) deep on each side of the edge: longer than a tick's gap to its label is not.
    band_fraction: float = 0.012
    min_band_px: int = 3
    # ... and the frame line itself is stepped over by this many px.
    edge_px: int = 2
    # An inward tick ends within this many band depths of the edge.
    long_ticks: int = 4
    # A column is a tick where ink fills this fraction of the band's rows.
    tick_fill: float = 0.7
    # A grid line is inked over this fraction of the frame's height (dotted ones too).
    grid_fill: float = 0.5
    # A tick or grid line is at most this many px wide; wider ink is a curve or a glyph.
    max_width_px: int = 6
    # An OCR'd axis read from fewer ticks than this, or fitting them worse than this
    # confidence, needs a person's look: one misread label moves the whole axis.
    min_ocr_ticks: int = 3
    min_ocr_confidence: float = 0.8


DEFAULT_TICKS = TickSettings()


def calibrate_image(
    pixels: np.ndarray, settings: TickSettings = DEFAULT_TICKS
) -> tuple[Axes | None, Review]:
    """Both axes of a graph image (RGB, H × W × 3 uint8) from its own tick labels.

    None when either axis cannot be read; the review says why, and carries a reason for
    every doubt about axes that were read.
    """
    review = Review()
    ink = darkness(pixels)
    try:
        plot_area = detect_plot_area(ink)
    except GraphqError as exc:
        review.add(ReviewReason.FRAME_UNCERTAIN, exc.message)
        return None, review
    x_ticks, y_ticks = frame_ticks(ink, plot_area, settings)
    x0, y0, x1, y1 = plot_area
    words = image_words(pixels, text_px=text_height_px(ink, plot_area))
    reading = read_axes(words, (x0, y0, x1, y1), x_ticks, y_ticks)
    for note in reading.reasons + ocr_axis_notes(reading, settings):
        review.add(note.code, note.message)
    return reading.axes, review


def frame_ticks(
    ink: np.ndarray, plot_area: list[float], settings: TickSettings = DEFAULT_TICKS
) -> tuple[list[float], list[float]]:
    """Pixel positions of the tick marks and grid lines along the frame's bottom edge (x)
    and its left edge (y), inward or outward ticks alike."""
    x0, y0, x1, y1 = (round(v) for v in plot_area)
    x_ticks = _edge_ticks(ink, (y0, y1), (x0, x1), settings)
    y_ticks = _edge_ticks(ink.T, (x1, x0), (y0, y1), settings)
    return x_ticks, y_ticks


def _edge_ticks(
    ink: np.ndarray, across: tuple[int, int], along: tuple[int, int], settings: TickSettings
) -> list[float]:
    """Ticks on the edge at row ``across[1]`` whose frame spans ``across`` and ``along``.

    Rows grow from ``across[0]`` (the far edge) towards ``across[1]`` (the ticked edge);
    for the left edge the caller passes the transposed image with the pair reversed.
    """
    height, width = ink.shape
    far, edge = across
    start, stop = max(0, min(along)), min(width, max(along) + 1)
    span = abs(edge - far)
    depth = max(settings.min_band_px, round(settings.band_fraction * span))
    inward = -1 if edge > far else 1
    marked = ink[:, start:stop] > settings.ink
    bands = []
    for side in (inward, -inward):
        first = edge + side * settings.edge_px
        last = first + side * depth
        low, high = sorted((first, last))
        if low >= 0 and high < height:
            band = marked[low : high + 1].mean(axis=0) >= settings.tick_fill
            if side == inward:
                band &= ~_runs_on_inward(marked, edge, inward, depth, settings)
            bands.append(band)
    inner = marked[min(far, edge) + settings.edge_px : max(far, edge) - settings.edge_px + 1]
    columns = np.logical_or.reduce([*bands, inner.mean(axis=0) >= settings.grid_fill])
    return [start + centre for centre in _run_centres(columns, settings.max_width_px)]


def _runs_on_inward(
    marked: np.ndarray, edge: int, inward: int, depth: int, settings: TickSettings
) -> np.ndarray:
    """Columns whose ink runs on inward far past a tick's length: the side of a box standing
    on the edge (a note, a legend) or a curve leaving through it, not a tick."""
    first = edge + inward * (settings.edge_px + depth + 1)
    last = edge + inward * (settings.edge_px + settings.long_ticks * depth)
    low, high = sorted((first, last))
    if low < 0 or high >= marked.shape[0]:
        return np.zeros(marked.shape[1], dtype=bool)
    return marked[low : high + 1].mean(axis=0) >= settings.tick_fill


def _run_centres(columns: np.ndarray, max_width: int) -> list[float]:
    """Centres of the runs of True at most ``max_width`` long."""
    padded = np.concatenate(([False], columns, [False])).astype(np.int8)
    starts = np.flatnonzero(np.diff(padded) == 1)
    ends = np.flatnonzero(np.diff(padded) == -1)
    return [(s + e - 1) / 2.0 for s, e in zip(starts, ends, strict=True) if e - s <= max_width]


def ocr_axis_notes(
    reading: AxesReading, settings: TickSettings = DEFAULT_TICKS
) -> list[ReviewNote]:
    """Doubts about axes whose labels were read by OCR: few ticks, or a poor fit."""
    notes = []
    for name, axis in (("x", reading.x), ("y", reading.y)):
        if axis.axis is None:
            continue
        values = ", ".join(f"{value:g}" for _, value in axis.ticks)
        if len(axis.ticks) < settings.min_ocr_ticks:
            why = f"only {len(axis.ticks)} tick labels read ({values})"
        elif axis.confidence < settings.min_ocr_confidence:
            why = f"tick labels read ({values}) fit their ticks poorly"
        else:
            continue
        notes.append(
            ReviewNote(
                ReviewReason.LOW_CONFIDENCE,
                f"{name} axis read by OCR as {axis.axis.min:g}..{axis.axis.max:g} "
                f"({axis.axis.scale}): {why}",
            )
        )
    return notes
