from __future__ import annotations

import numpy as np

from graphq.spice.curves import CurveData
from graphq.spice.misread_curves import misread_curve_trust

from .channel_curves import PART, output_curves


def test_curves_in_line_with_their_graph_keep_full_trust() -> None:
    assert misread_curve_trust(output_curves(), PART) is None


def test_a_curve_read_off_its_line_is_trusted_less_and_its_siblings_are_not() -> None:
    curves = output_curves()
    wrong = curves[1]
    curves[1] = CurveData(
        wrong.kind, wrong.name, wrong.condition, wrong.x, wrong.y * 1.4, wrong.scale, graph="out"
    )
    # The others a hair off, as any reading is: the graph's median error is not zero.
    curves[0] = CurveData(
        curves[0].kind,
        curves[0].name,
        curves[0].condition,
        curves[0].x,
        curves[0].y + 0.3 * np.sin(curves[0].x),
        curves[0].scale,
        graph="out",
    )
    trust = misread_curve_trust(curves, PART)
    assert trust is not None
    assert trust[1] < 0.5
    assert trust[0] == trust[2] == 1.0
