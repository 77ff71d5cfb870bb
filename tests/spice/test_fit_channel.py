from __future__ import annotations

from graphq.spice.channel_bounds import CHANNEL_BOUNDS
from graphq.spice.fit_channel import fit_channel

from .channel_curves import PART, output_curves, transfer_curve


def test_exact_curves_of_a_plain_part_come_back_with_no_bound_hit() -> None:
    fitted = fit_channel([transfer_curve(), *output_curves()])
    assert fitted.at_bound == ()
    assert fitted.bound_notes == {}
    assert abs(fitted.params["vto"] - PART["vto"]) < 0.1


def test_a_knee_sharper_than_the_range_allows_is_a_bound_hit_the_curves_ask_beyond() -> None:
    # mtriode 4× past its bound: the knee comes at a quarter of the Vds the model can give.
    sharp = {**PART, "mtriode": 4.0 * CHANNEL_BOUNDS["mtriode"].high}
    fitted = fit_channel([transfer_curve(sharp), *output_curves(sharp)])
    assert "mtriode" in fitted.at_bound
    assert fitted.bound_notes["mtriode"].startswith("the curves ask for more than the model")
