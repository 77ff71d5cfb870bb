"""A transfer family's order in temperature: the curve whose label lost its minus sign."""

from __future__ import annotations

import numpy as np

from graphq.review import ReviewReason
from graphq.spice import GraphCurves, fit_input_from_graphs
from graphq.spice.inputs import AxisScale, TransferCurve
from graphq.spice.temperature_order import lost_minus_signs

LINEAR = AxisScale(log=False, low=0.0, high=50.0)


def square_law(tj_c: float) -> list[list[float]]:
    """Id against Vgs at ``tj_c``: the threshold falls 5 mV/K and the gain 0.6 %/K, so the
    curves cross near 5 V and the hottest lies lowest above it."""
    vto = 4.0 - 0.005 * (tj_c - 25.0)
    gain = 4.0 * (1.0 - 0.006 * (tj_c - 25.0))
    vgs = np.linspace(3.0, 8.0, 30)
    return np.column_stack([vgs, gain * np.maximum(vgs - vto, 0.0) ** 2]).tolist()


def family(read: list[float], true: list[float]) -> list[TransferCurve]:
    """Curves drawn at the ``true`` temperatures, labelled with the ``read`` ones."""
    return [
        TransferCurve(vds_v=40.0, points=square_law(t), temperature_c=r, label=f"{r:g}°C")
        for r, t in zip(read, true, strict=True)
    ]


def test_a_cold_curve_read_without_its_minus_sign_is_found() -> None:
    curves = family([55.0, 25.0, 150.0], [-55.0, 25.0, 150.0])
    assert lost_minus_signs(curves, LINEAR) == [0]


def test_a_family_read_right_has_no_lost_sign() -> None:
    curves = family([-55.0, 25.0, 150.0], [-55.0, 25.0, 150.0])
    assert lost_minus_signs(curves, LINEAR) == []


def test_a_hot_curve_out_of_order_is_no_lost_sign() -> None:
    """−150 °C is below every rating: the disorder stays unexplained, nothing is dropped."""
    curves = family([25.0, 150.0], [150.0, 25.0])
    assert lost_minus_signs(curves, LINEAR) == []


def test_curves_without_temperatures_are_not_judged() -> None:
    curves = family([55.0, 25.0], [-55.0, 25.0])
    curves[1].temperature_c = None
    assert lost_minus_signs(curves, LINEAR) == []


def transfer_graph(labels: list[str], true: list[float]) -> GraphCurves:
    axes = {
        "x": {"min": 0.0, "max": 8.0, "scale": "linear", "quantity": "VGS", "unit": "V"},
        "y": {"min": 0.0, "max": 50.0, "scale": "linear", "quantity": "ID", "unit": "A"},
    }
    curves = [
        {"label": label, "value": None, "points": square_law(t)}
        for label, t in zip(labels, true, strict=True)
    ]
    return GraphCurves("transfer", axes, curves, {"VDS": 40.0})


def test_the_fit_leaves_out_the_curve_and_says_which_sign_would_fit() -> None:
    graph = transfer_graph(["55°C", "Tj = 25°C", "150°C"], [-55.0, 25.0, 150.0])
    inputs = fit_input_from_graphs([graph])
    assert [c.temperature_c for c in inputs.transfer] == [25.0, 150.0]
    rejected = [r for r in inputs.review.reasons if r.code == ReviewReason.CURVE_REJECTED]
    assert len(rejected) == 1
    assert "'55°C'" in rejected[0].message and "-55 °C would fit" in rejected[0].message


def test_the_fit_keeps_every_curve_of_a_family_in_order() -> None:
    graph = transfer_graph(["-55°C", "Tj = 25°C", "150°C"], [-55.0, 25.0, 150.0])
    inputs = fit_input_from_graphs([graph])
    assert len(inputs.transfer) == 3
    assert not inputs.review.reasons
