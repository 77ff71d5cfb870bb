"""The plot's scale, measured once and passed to the tracking stage as one value.

Every tolerance of the tracking stage grows with how the plot is drawn: its line width, the
height of its text, its size in pixels. They are derived here from those measurements and
the tunables of :data:`graphq.digitizer.tracking.settings.TRACKING`, rather than each stage
taking six to nine numbers in a row.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from graphq.digitizer.tracking.settings import TRACKING, TrackingSettings


@dataclass(frozen=True)
class PlotScale:
    """How a plot is drawn, in pixels of the cropped plot."""

    line_width_px: float
    # The tick labels' glyph height, or None when there were none to measure.
    text_px: float | None
    columns: int
    rows: int
    # The fractions and multiples its tolerances derive from.
    settings: TrackingSettings = TRACKING

    @property
    def shape(self) -> tuple[int, int]:
        return self.rows, self.columns

    # Cached: the tracker asks these for every live track in every column.
    @cached_property
    def gate_px(self) -> float:
        """How far from its prediction a track takes a run; two tracks this close agree."""
        return (
            max(self.settings.min_gate_px, self.settings.gate_line_widths * self.line_width_px)
            + 1.0
        )

    @cached_property
    def steep_height_px(self) -> float:
        """A run taller than this is a steep stretch (or curves touching), not one line."""
        return self.settings.steep_line_widths * self.line_width_px + 2.0

    @cached_property
    def max_gap(self) -> int:
        """Columns a track coasts through with no run (dash gaps, erased grid crossings)."""
        return max(
            self.settings.min_gap_columns, round(self.settings.max_gap_fraction * self.columns)
        )

    @cached_property
    def max_hidden_gap(self) -> int:
        """Columns a track coasts through in all where erased grid bands may hide its curve."""
        return max(self.max_gap, round(self.settings.max_hidden_gap_fraction * self.columns))

    @cached_property
    def young_gap(self) -> int:
        """Columns a track of fewer than ``young_age`` samples coasts through: a dot's gap to
        the next dot, not a dash gap (a speck of noise starts a track that would otherwise
        live ``max_gap`` columns, and a noisy scan has thousands)."""
        return min(
            self.max_gap,
            max(
                self.settings.min_gap_columns,
                round(self.settings.young_gap_line_widths * self.line_width_px),
            ),
        )

    @property
    def on_curve_px(self) -> float:
        """A point this close to a curve's ink lies on it."""
        return 0.5 * self.line_width_px + 0.25

    @property
    def min_own(self) -> int:
        """Columns a curve runs apart from the others to count as one of its own."""
        return round(self.settings.min_own_fraction * self.columns)

    @property
    def min_edge_own(self) -> int:
        """... or from an end at the frame, where the curves of a bundle fan out."""
        return max(
            round(self.settings.min_edge_own_fraction * self.columns),
            round(self.settings.min_edge_own_line_widths * self.line_width_px),
        )

    @property
    def max_link(self) -> int:
        """The longest gap between fragments of one curve."""
        return max(10, round(self.settings.max_link_fraction * self.columns))

    @property
    def max_corner(self) -> int:
        """The longest gap over a curve's bend hidden by a label."""
        return round(self.settings.max_corner_fraction * self.columns)

    @property
    def dot_gap(self) -> int:
        """Gaps between a dotted curve's dots up to this many columns count as seen."""
        return round(self.settings.dot_gap_line_widths * self.line_width_px)
