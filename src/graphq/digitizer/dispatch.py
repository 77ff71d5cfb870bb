"""The digitizer's entry point: validate the request, pick the method, run it."""

from __future__ import annotations

import numpy as np

from graphq.digitizer.axes.calibration import build_calibration, validate_axis, validate_plot_area
from graphq.digitizer.axes.frame import detect_plot_area
from graphq.digitizer.budget import Budget
from graphq.digitizer.confidence import with_doubts
from graphq.digitizer.methods.legacy import digitize_legacy
from graphq.digitizer.methods.llm import ChatCompletion, digitize_llm
from graphq.digitizer.methods.standard import digitize_standard
from graphq.digitizer.preprocessing.ink import darkness
from graphq.digitizer.types import DigitizeResult, GraphMeta, ProgressCallback
from graphq.errors import GraphqError


def validate_meta(meta: GraphMeta, width: int, height: int) -> None:
    """INVALID_PARAMETERS for metadata no method could use on this image."""
    validate_axis("x", meta.axes.x)
    validate_axis("y", meta.axes.y)
    if meta.plot_area is not None:
        validate_plot_area(meta.plot_area, width, height)
    if meta.curves is not None and meta.curves < 1:
        raise GraphqError("INVALID_PARAMETERS", f"curves must be at least 1, got {meta.curves}")


def digitize(
    image: np.ndarray,
    meta: GraphMeta,
    *,
    progress: ProgressCallback | None = None,
    llm: ChatCompletion | None = None,
) -> DigitizeResult:
    """Curves in axis units from an RGB image (H × W × 3 uint8) and its graph metadata.

    ``llm`` is the chat call the ``llm`` method makes; without one that method is refused.
    """
    if image.ndim != 3 or image.shape[2] < 3 or image.shape[0] < 8 or image.shape[1] < 8:
        raise GraphqError("INVALID_IMAGE", f"expected an RGB image, got shape {image.shape}")
    height, width = image.shape[:2]
    validate_meta(meta, width, height)
    if meta.method == "standard":
        budget = Budget.for_pixels(height * width)
        return with_doubts(digitize_standard(image, meta, progress, budget))
    if meta.method == "llm" and llm is None:
        raise GraphqError(
            "LLM_NOT_CONFIGURED",
            "the llm method needs an OpenAI-compatible endpoint, and none is configured",
        )
    report = progress or (lambda _fraction, _step: None)
    report(0.1, "detecting plot frame")
    plot_area = list(meta.plot_area) if meta.plot_area else detect_plot_area(darkness(image))
    if llm is not None and meta.method == "llm":
        report(0.2, "asking the language model")
        result = digitize_llm(image, meta, plot_area, llm)
    else:
        report(0.5, "averaging columns")
        result = digitize_legacy(image, meta, plot_area, build_calibration(meta, plot_area))
    report(1.0, "done")
    return with_doubts(result)
