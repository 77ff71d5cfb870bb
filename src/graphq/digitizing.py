"""Digitizing one image file end to end: decode, calibrate, digitize, render.

What a ``digitize`` job (:mod:`graphq.jobs.digitize`) and a one-off ``POST /api/extract``
(:mod:`graphq.services.extraction`) both run in a worker process, so neither borrows the
other's module.
"""

from __future__ import annotations

import time
from typing import Any

import msgspec
import numpy as np

from graphq.digitizer import (
    ChatCompletion,
    GraphMeta,
    digitize,
    load_image,
    render_overlay,
    result_to_csv,
)
from graphq.digitizer.axes.autocal import calibrate_image
from graphq.digitizer.confidence import result_confidence
from graphq.digitizer.metadata import decode_graph_meta
from graphq.digitizer.methods.seeded import trace_between_clicks
from graphq.errors import GraphqError
from graphq.queue.registry import Progress, stage_progress
from graphq.review import Review


class DigitizeOutput(msgspec.Struct):
    result: dict[str, Any]
    csv: str
    overlay_png: bytes
    confidence: float
    data_points: int
    processing_time_s: float


# Shares of the compute stage: decoding, reading the axes off the image when none were
# given, the digitizer itself, then overlay and CSV.
_DECODE_END, _CALIBRATE_END, _DIGITIZE_END = 0.05, 0.15, 0.9


def calibrated_meta(
    pixels: np.ndarray, raw: dict[str, Any], method: str | None = None
) -> tuple[GraphMeta, Review]:
    """The graph metadata to digitize with, and the doubts about it: as given when it has
    axes; otherwise with the axes read off the image's own tick labels (SPEC §4, issue
    "images without axes"). Axes that cannot be read fail the job: digitizing against
    guessed axes would give curves in made-up units.
    """
    if "axes" in raw:
        return decode_graph_meta(raw, method=method), Review()
    axes, review = calibrate_image(pixels)
    if axes is None:
        why = "; ".join(note.message for note in review.reasons) or "no tick labels read"
        raise GraphqError(
            "AXIS_UNREAD",
            f"no axes were given and none could be read off the image: {why}",
            detail={"reasons": msgspec.to_builtins(review.reasons)},
        )
    return decode_graph_meta({**raw, "axes": msgspec.to_builtins(axes)}, method=method), review


def digitize_bytes(
    data: bytes,
    meta: GraphMeta | dict[str, Any],
    progress: Progress,
    *,
    method: str | None = None,
    max_bytes: int,
    max_pixels: int,
    with_overlay: bool = True,
    llm: ChatCompletion | None = None,
    added: list[dict[str, Any]] | None = None,
) -> DigitizeOutput:
    """Decode, digitize and render one image, reporting progress through every stage.

    ``meta`` is the graph metadata, decoded or as JSON-shaped values; without ``axes`` they
    are read off the image. The result holds ``axes`` (the axes used) and ``axesSource``
    (``"given"`` or ``"ocr"``); a calibration's doubts are among its ``reasons``. ``added``
    are curves a reviewer clicked along (``{"label", "points"}``, image pixels), traced
    through the ink between the clicks and appended to the digitizer's.
    """
    raw_meta = msgspec.to_builtins(meta) if isinstance(meta, GraphMeta) else meta
    began = time.perf_counter()
    progress(0.0, "decoding image")
    image = load_image(data, max_bytes=max_bytes, max_pixels=max_pixels)
    if "axes" not in raw_meta:
        progress(_DECODE_END, "reading the axes off the image")
    used, calibration = calibrated_meta(image.pixels, raw_meta, method)
    digitizing = stage_progress(progress, _CALIBRATE_END, _DIGITIZE_END - _CALIBRATE_END)
    result = digitize(image.pixels, used, progress=digitizing, llm=llm)
    result.review.extend(calibration)
    for curve in added or []:
        traced, doubts = trace_between_clicks(
            image.pixels, curve["points"], used, result.plot_area, curve["label"]
        )
        result.curves.append(traced)
        result.review.extend(doubts)
    progress(_DIGITIZE_END, "rendering overlay and CSV")
    overlay = render_overlay(image.pixels, result, used) if with_overlay else b""
    points = sum(len(curve.points) for curve in result.curves)
    output = DigitizeOutput(
        result={
            **result.to_json(),
            "axes": msgspec.to_builtins(used.axes),
            "axesSource": "given" if "axes" in raw_meta else "ocr",
        },
        csv=result_to_csv(result, used),
        overlay_png=overlay,
        confidence=result_confidence(result),
        data_points=points,
        processing_time_s=time.perf_counter() - began,
    )
    progress(1.0, "digitized")
    return output
