"""graphq.digitizer: datasheet graph images to curves in axis units."""

from graphq.digitizer.dispatch import digitize, validate_meta
from graphq.digitizer.export import result_to_csv
from graphq.digitizer.image import ImageInfo, LoadedImage, load_image, probe_image
from graphq.digitizer.labels import parse_value
from graphq.digitizer.llm import ChatCompletion
from graphq.digitizer.overlay import render_overlay
from graphq.digitizer.types import (
    Axes,
    Axis,
    Curve,
    DigitizeResult,
    GraphMeta,
    ProgressCallback,
)

__all__ = [
    "Axes",
    "Axis",
    "ChatCompletion",
    "Curve",
    "DigitizeResult",
    "GraphMeta",
    "ImageInfo",
    "LoadedImage",
    "ProgressCallback",
    "digitize",
    "load_image",
    "parse_value",
    "probe_image",
    "render_overlay",
    "result_to_csv",
    "validate_meta",
]
