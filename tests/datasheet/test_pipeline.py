import numpy as np

from graphq.datasheet import read_datasheet
from graphq.datasheet.types import DatasheetCurve, DatasheetGraph
from tests.datagen.datasheet_pdf import example_specs, make_datasheet


def _display(points: np.ndarray, graph: DatasheetGraph) -> np.ndarray:
    """Points as fractions of the axis spans (decades on a log axis)."""
    out = np.empty_like(points)
    for k, axis in enumerate((graph.axes.x, graph.axes.y)):
        if axis.scale == "log":
            lo, hi, v = np.log10(axis.min), np.log10(axis.max), np.log10(points[:, k])
        else:
            lo, hi, v = axis.min, axis.max, points[:, k]
        out[:, k] = (v - lo) / (hi - lo)
    return out


def _median_error(truth: DatasheetCurve, got: DatasheetCurve, graph: DatasheetGraph) -> float:
    t = _display(np.asarray(truth.points), graph)
    g = _display(np.asarray(got.points), graph)
    distances = np.hypot(t[:, None, 0] - g[None, ::4, 0], t[:, None, 1] - g[None, ::4, 1])
    return float(np.median(distances.min(axis=1)))


def test_vector_page_graphs_axes_and_curves_are_read_exactly() -> None:
    made = make_datasheet(example_specs()["vector_page"])
    steps: list[tuple[float, str]] = []
    result = read_datasheet(made.pdf, progress=lambda f, s: steps.append((f, s)))
    assert steps[-1][0] == 1.0
    assert len(result.graphs) == len(made.truth.graphs)
    recovered = total = 0
    for truth in made.truth.graphs:
        (got,) = [g for g in result.graphs if np.allclose(g.box, truth.box, atol=1.5)]
        assert got.graph_type == truth.graph_type
        for name in ("x", "y"):
            t, g = getattr(truth.axes, name), getattr(got.axes, name)
            assert g.scale == t.scale
            assert np.isclose(g.min, t.min, rtol=1e-3, atol=1e-6)
            assert np.isclose(g.max, t.max, rtol=1e-3, atol=1e-6)
        for curve in truth.curves:
            total += 1
            errors = [_median_error(curve, c, truth) for c in got.curves]
            recovered += bool(errors) and min(errors) < 0.002
    assert recovered >= 0.9 * total
