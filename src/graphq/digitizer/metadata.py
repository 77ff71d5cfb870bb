"""Graph metadata from a client: the one decoder behind every route that takes it.

The image upload's ``metadata`` part, a digitize job's parameters and ``/api/extract`` all
decode through here, so a graph's axes, scales, plot area, calibration, labels and type are
accepted or refused by the same rules wherever they are given. Refusals are
``MALFORMED_METADATA`` (not JSON, or not the expected shape) and ``INVALID_METADATA`` (JSON
that breaks a rule), each naming what is wrong.
"""

from __future__ import annotations

import math
from typing import Any, get_args

import msgspec

from graphq.digitizer.axes.calibration import axis_map_from_points, validate_axis
from graphq.digitizer.types import Axes, Calibration, GraphMeta, GraphType
from graphq.errors import GraphqError

GRAPH_TYPES: tuple[str, ...] = get_args(GraphType)


def invalid_metadata(message: str, *, index: int | None = None) -> GraphqError:
    """``INVALID_METADATA``; ``index`` names the entry of an upload's metadata array."""
    if index is None:
        return GraphqError("INVALID_METADATA", message)
    return GraphqError("INVALID_METADATA", f"metadata[{index}]: {message}", detail={"index": index})


def parse_metadata_json(raw: bytes | str) -> Any:
    """The JSON of a ``metadata`` form part; ``MALFORMED_METADATA`` when it is not JSON."""
    try:
        return msgspec.json.decode(raw)
    except msgspec.DecodeError as exc:
        raise GraphqError("MALFORMED_METADATA", f"metadata is not valid JSON: {exc}") from None


def decode_graph_meta(
    entry: Any, *, method: str | None = None, index: int | None = None
) -> GraphMeta:
    """One graph's metadata (axes required) as :class:`GraphMeta`, every rule checked.

    ``method`` overrides the entry's own (routes take it from the path or the job).
    """
    if not isinstance(entry, dict):
        raise invalid_metadata("graph metadata must be a JSON object", index=index)
    raw = {**entry, "method": method} if method is not None else entry
    graph_type = raw.get("graphType", "custom")
    if graph_type not in GRAPH_TYPES:
        raise invalid_metadata(
            f"graphType {graph_type!r} is not one of {', '.join(GRAPH_TYPES)}", index=index
        )
    try:
        meta = msgspec.convert(raw, GraphMeta)
    except msgspec.ValidationError as exc:
        raise invalid_metadata(str(exc), index=index) from None
    check_graph_fields(meta.axes, meta.plot_area, meta.calibration, index=index)
    return meta


def check_graph_fields(
    axes: Axes | None,
    plot_area: list[float] | None,
    calibration: Calibration | None,
    *,
    index: int | None = None,
) -> None:
    """The rules beyond each field's type, for the fields given (a job's parameters may
    correct only some of them).

    Axis ranges run from min up to max: a reversed range is refused, not flipped, since
    which end the client meant cannot be told. A log axis needs positive bounds. A plot area
    is a frame ``[x0, y0, x1, y1]`` with x0 < x1 and y0 < y1 (whether it fits the image is
    checked where the image is known). A calibration gives two distinct ticks per axis.
    """
    try:
        if axes is not None:
            for name, axis in (("x", axes.x), ("y", axes.y)):
                validate_axis(name, axis)
                if axis.min > axis.max:
                    raise invalid_metadata(
                        f"the {name} axis must run from min up to max "
                        f"(got {axis.min:g}..{axis.max:g}); give the value at the "
                        f"{'left' if name == 'x' else 'bottom'} edge as min",
                        index=index,
                    )
        if plot_area is not None:
            _check_plot_area(plot_area, index)
        if calibration is not None and axes is not None:
            axis_map_from_points("x", calibration.x, axes.x)
            axis_map_from_points("y", calibration.y, axes.y)
    except GraphqError as exc:
        if exc.code == "INVALID_METADATA":
            raise
        # The digitizer's own checks speak of its parameters; here they are the metadata.
        raise invalid_metadata(exc.message, index=index) from None


def checked_graph_meta(raw: dict[str, Any], method: str | None = None) -> dict[str, Any]:
    """Graph metadata checked as far as it goes, as JSON-shaped values: whole when it gives
    axes, else with ``method`` set (the axes are read off the image later)."""
    if "axes" in raw:
        return msgspec.to_builtins(decode_graph_meta(raw, method=method))
    return {**raw, "method": method} if method is not None else dict(raw)


def _check_plot_area(plot_area: list[float], index: int | None) -> None:
    if len(plot_area) != 4 or not all(math.isfinite(v) for v in plot_area):
        raise invalid_metadata("plotArea must be four finite numbers [x0, y0, x1, y1]", index=index)
    x0, y0, x1, y1 = plot_area
    if not (x0 < x1 and y0 < y1):
        raise invalid_metadata(
            f"plotArea {plot_area} is inverted: give [left, top, right, bottom] in pixels",
            index=index,
        )
