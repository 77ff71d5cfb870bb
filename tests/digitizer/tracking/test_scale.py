"""A plot's tolerances grow with its line width and its size in pixels."""

from dataclasses import replace

from graphq.digitizer.tracking.scale import PlotScale
from graphq.digitizer.tracking.settings import TRACKING


def test_a_thicker_line_widens_the_gate_and_the_height_of_a_steep_run() -> None:
    thin, thick = PlotScale(1.0, None, 800, 600), PlotScale(4.0, None, 800, 600)
    assert thick.gate_px > thin.gate_px >= TRACKING.min_gate_px + 1.0
    assert thick.steep_height_px - thin.steep_height_px == 3 * TRACKING.steep_line_widths
    assert thick.on_curve_px > thin.on_curve_px


def test_a_wider_plot_links_longer_gaps_and_asks_curves_to_run_apart_longer() -> None:
    small, large = PlotScale(2.0, None, 200, 150), PlotScale(2.0, None, 800, 600)
    assert large.max_link == 4 * small.max_link
    assert large.min_own == 4 * small.min_own
    assert large.max_gap > small.max_gap == TRACKING.min_gap_columns
    assert large.shape == (600, 800)


def test_a_curve_fans_out_of_a_bundle_for_at_least_a_few_line_widths() -> None:
    narrow = PlotScale(5.0, None, 200, 100)
    assert narrow.min_edge_own == round(TRACKING.min_edge_own_line_widths * 5.0)


def test_the_tolerances_follow_the_settings_they_are_given() -> None:
    settings = replace(TRACKING, max_link_fraction=0.5)
    assert PlotScale(2.0, None, 400, 300, settings).max_link == 200
