"""graphq.digitizer: datasheet graph images to curves in axis units.

Names are imported on first use, so that importing a light submodule (``types``, ``budget``)
does not load numpy, scipy and the stages: the command line lists its options without them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from graphq.digitizer.dispatch import digitize, validate_meta
    from graphq.digitizer.export import result_to_csv
    from graphq.digitizer.image import ImageInfo, LoadedImage, load_image, probe_image
    from graphq.digitizer.labels.naming import parse_value
    from graphq.digitizer.methods.llm import ChatCompletion
    from graphq.digitizer.overlay import render_overlay
    from graphq.digitizer.types import (
        Axes,
        Axis,
        Curve,
        DigitizeResult,
        GraphMeta,
        ProgressCallback,
    )

# Each public name and the submodule that defines it.
_HOMES = {
    "Axes": "types",
    "Axis": "types",
    "ChatCompletion": "methods.llm",
    "Curve": "types",
    "DigitizeResult": "types",
    "GraphMeta": "types",
    "ImageInfo": "image",
    "LoadedImage": "image",
    "ProgressCallback": "types",
    "digitize": "dispatch",
    "load_image": "image",
    "parse_value": "labels.naming",
    "probe_image": "image",
    "render_overlay": "overlay",
    "result_to_csv": "export",
    "validate_meta": "dispatch",
}

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


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{home}"), name)
