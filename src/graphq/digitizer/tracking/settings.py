"""The tracking stage's tunables, in one place, each with its reason.

The tracking stage follows curves through the plot's column runs, joins the two passes, links
fragments, drops duplicates and splices, re-pairs crossings and traces pale curves
(:mod:`graphq.digitizer.tracking.stage`). Lengths in pixels that grow with the plot are fractions
here and become pixels in :class:`graphq.digitizer.tracking.scale.PlotScale`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TrackingSettings:
    """Every number the tracking stage is tuned by."""

    # --- the tracker (graphq.digitizer.tracking.tracker and the claims, tall runs and steps it
    # walks by) ---
    # Slope smoothing gains: a lone run is good evidence, a divided shared run is weak evidence.
    lone_gain: float = 0.35
    shared_gain: float = 0.1
    # Columns a track coasts past a steep run before it takes the run as its own continuation.
    steep_patience: int = 3
    # Rows both ends of a steep stretch's run move from column to column at least (the merged
    # run of two shallow curves crossing moves less).
    steep_shift_px: int = 2
    # Observations before a track's slope is trusted enough for the normal gate.
    young_age: int = 4
    # A track's gate widens, per column coasted: by this share of the slope's step (the slope
    # is an estimate, its error grows with the distance carried) ...
    gate_slope_share: float = 0.5
    # ... and by this many pixels per column beyond the first (a curve bends while unseen);
    gate_coast_px: float = 0.25
    # a young track's gate is this many pixels wider still (its slope barely measured).
    young_gate_px: float = 1.5
    # A tall run touching a flat track is not its turn when, in at least ``flat_evidence`` of
    # the next ``flat_lookahead`` columns, a thin run lies where the track was heading.
    flat_lookahead: int = 4
    flat_evidence: int = 3
    # A track younger than this many observations that runs into one at least as old is a
    # copy of it (tracks starting together, at the frame, are not).
    duplicate_age: int = 20
    # ... unless, in ``flat_evidence`` of the next this many columns, its own line goes on
    # apart from the older one's: it crosses it (a curve leaving a bundle crossing a leader
    # arrow drawn to its label), as two lines at right angles part within a few columns.
    crossing_lookahead: int = 8
    # A track turning by this many degrees or more between a pointer (straight, ending inside
    # the plot) and a line going on through the turn (in ``flat_evidence`` of the
    # ``crossing_lookahead`` columns past it) turned where the pointer meets its curve, and is
    # cut there (the development graphs' pointers met their curves at 60-90 degrees; at 45,
    # bends of curves in a bundle were cut too).
    junction_turn_degrees: float = 60.0
    # A track's gate: this share of a line's width (at least ``min_gate_px``) plus a pixel.
    gate_line_widths: float = 0.75
    min_gate_px: float = 1.5
    # A run taller than this many line widths (plus 2 px) is a steep stretch, not a line.
    steep_line_widths: float = 2.5
    # A track coasts through gaps up to this fraction of the plot's width (at least
    # ``min_gap_columns``): dash gaps and erased grid crossings.
    max_gap_fraction: float = 0.02
    min_gap_columns: int = 6
    # ... but a track of fewer than ``young_age`` samples (a dot, or a speck of noise) only
    # through gaps up to this many line widths (at least ``min_gap_columns``): a dotted
    # curve's next dot is closer, a dashed curve's dash is longer than ``young_age``.
    young_gap_line_widths: float = 3.0
    # Columns of a band of erased vertical grid lines (``band_dot_gaps``) do not count towards
    # a track's gap, up to this fraction of the plot's width in all: a log decade's end of
    # crowded grid lines as dark as the curves fuses into a band (FQA19N20's transient thermal
    # graph at 72-100 dpi: 3-4 % of the width), twice over where a curve's dash gap meets it.
    max_hidden_gap_fraction: float = 0.08

    # --- joining both passes and curve ends (tracking.passes, tracking.tracks) ---
    # Two tracks are one curve when they agree on this fraction of their common columns.
    agreement: float = 0.9
    # A curve's end slope is fitted over a multiple of this many samples, up to this many, as
    # long as a line fits them within this many px (RMS).
    min_end_window: int = 12
    max_end_window: int = 60
    end_fit_px: float = 1.0

    # --- duplicates and splices (tracking.duplicates, tracking.spliced) ---
    # A curve lying on other curves over this fraction of its columns is a duplicate ...
    duplicate_fraction: float = 0.85
    # ... and so is one lying on them over this fraction unless it leaves them at an end on the
    # frame, as a curve fanning out of (or merging into) a bundle does; one that leaves only
    # in its middle is a piece of two curves bounced off each other at a crossing, one that
    # leaves at an end inside the plot a copy veering off along a label's pointer or into its
    # text.
    duplicate_inside_fraction: float = 0.75
    # An end apart from the others inside the plot is a label's text or pointer when it rises
    # or falls by at most this many glyph heights (a line of text is one, traced through its
    # letters or down a short pointer two; the development graphs' copies veered by 0.7-2.3)
    # and the curve it left runs on past it by ``min_edge_own``: curves fanning out of a
    # bundle inside the plot climb or fall further apart (5-10 glyphs), or end together with
    # the curve they leave (a family measured over the same range, 1.5-1.8 glyphs apart).
    max_veer_glyphs: float = 2.5
    # A curve running within this many line widths (beyond touching) of one other curve, no
    # shorter, over this fraction of its columns is a copy of it: a second track along the far
    # edge of a thick stroke, or a curve drawn twice, offset by about a line's width (most
    # copies measured ran beside their curves over 96-98 % of their columns; a generated
    # thermal-impedance curve converging with another, seen apart from it, over 90 %) ...
    copy_line_widths: float = 1.0
    copy_fraction: float = 0.93
    # ... as long as it touches it over at most this fraction of its columns: a copy runs a
    # stroke apart (touching over 7-50 % where measured), where converging curves (thermal
    # impedance at short pulses) share one stroke (55 % and more).
    max_copy_touching: float = 0.5
    # Tracks are judged best first by their evidence: the columns they were seen alone in,
    # plus their span at this weight. A column shared with another track is evidence for
    # either, so it counts only through the span; a long track sharing much (a curve running
    # through a bundle) still ranks above a short lone one (a pointer, a label's stroke).
    evidence_span_weight: float = 0.5
    # A curve's own part and the part lying on other curves are this clear to be spliced.
    splice_part_fraction: float = 0.7
    # Two such parts are one curve when, where they are cut and joined, their rows are at most
    # this many on-curve tolerances apart (the stray tracks leave their own curves a few line
    # widths from the crossing point) plus this many rows per column between the two cuts (a
    # curve crossing the gap at up to 45 degrees).
    splice_meet_tolerances: float = 4.0
    splice_meet_rows_per_column: float = 1.0
    # A curve ending within this many px of the frame's left or right side reaches it: the
    # frame line, erased with its anti-aliased fringe, leaves a gap of a few columns.
    edge_reach_px: int = 4
    # A curve leaves the curves already kept for at least this fraction of the plot's width.
    min_own_fraction: float = 0.1
    # ... unless it leaves them at the frame's left or right edge, as the curves of a bundle
    # fan out there, for this fraction of the plot's width (longer than a tick mark on the
    # frame, which a curve's track can start on, and its dive into a curve close by) and this
    # many line widths.
    min_edge_own_fraction: float = 0.04
    min_edge_own_line_widths: float = 4.0

    # --- linking fragments (graphq.digitizer.tracking.linking) ---
    # Fragments of one curve are joined across gaps up to this fraction of the plot's width (a
    # label with a white background can hide a third of a short curve).
    max_link_fraction: float = 0.35
    # ... and a curve's bend hidden by a label across gaps up to this fraction (a label's width).
    max_corner_fraction: float = 0.15
    # Fragments overlapping at their ends each keep at least this many columns to be linked.
    min_linked_columns: int = 10
    # A gap runs under a label when this fraction of its straight line does.
    under_label_fraction: float = 0.5
    # "Reaches the frame": an end within this many px of it.
    frame_reach_px: int = 4

    # --- curves in one stroke (graphq.digitizer.tracking.merged) ---
    # A stroke this much wider than the typical curve's holds two curves (and one more for each
    # further typical width) ...
    wider: float = 1.3
    # ... when it is that wide over at least this fraction of the columns where it runs alone
    # and flat.
    wide_fraction: float = 0.6
    # A column counts as flat when the curve moves less than this many px per column there (a
    # sloping stroke holds more ink per column).
    flat_step_px: float = 0.5
    # At most this many curves are read from one stroke.
    max_curves_per_stroke: int = 3
    # A stroke must run alone and flat over at least this many columns to be measured.
    min_stroke_columns: int = 20

    # --- pale curves (graphq.digitizer.tracking.faint) ---
    # The floors pale ink is tried at, lowest first; as in the main pass, it must also reach a
    # fraction of the darkest ink nearby (a dark curve's fringe does not).
    pale_floors: tuple[float, ...] = (0.06, 0.08, 0.1, 0.12, 0.15)
    # A floor the paper's noise reaches leaves more than this fraction of the plot's pixels
    # standing alone above it (a pale curve's pixels touch, a dotted one's across rows).
    max_speckle_fraction: float = 0.002
    # A straight pale line this long (fraction of the plot's side) from the frame is grid ...
    min_pale_grid_fraction: float = 0.5
    # ... and closes gaps up to this fraction of the image's longer side, as grid removal does.
    pale_grid_gap_fraction: float = 0.015
    # Pale ink this many line widths (plus 3 px) from a main curve, or from its end, is its.
    near_line_widths: float = 3.0
    # A pale piece spans at least this fraction of the plot's width, seen (dots bridged) in
    # this fraction of its columns; a pale curve of its own spans this fraction, its rows
    # (between their 5th and 95th percentiles) rise or fall this many px, and it lies on other
    # curves in under this fraction of its columns.
    min_pale_piece_fraction: float = 0.05
    min_pale_seen_fraction: float = 0.6
    min_pale_span_fraction: float = 0.3
    min_pale_rise_px: float = 6.0
    max_pale_shared_fraction: float = 0.3
    # The gaps between a dotted curve's dots count as seen up to this many line widths.
    dot_gap_line_widths: float = 2.0
    # A gap the grid's erasure explains is wider than this many dot gaps: a band of crowded
    # grid lines fused (a log decade's end). A lone line's erased columns are no wider than a
    # dot gap and its fringe; a curve cut by lone lines only is seen between them, as before.
    band_dot_gaps: int = 2
    # A curve's gaps wider than a dot gap are a dash pattern's when at least this many of
    # them, this share of its wide gaps, each within this ratio of their median length (and
    # the dashes between likewise), recur: an SOA's dashed limit lines leave gaps longer than
    # their dashes (FQA19N20's, 2:1), which the seen-columns test would otherwise drop.
    min_dash_gaps: int = 4
    dash_gap_share: float = 0.7
    dash_period_ratio: float = 1.6

    # --- crossings and meeting points (graphq.digitizer.tracking.crossings, .meetings, .looks) ---
    # Columns either side of a touching stretch whose slope is compared.
    slope_window: int = 25
    # Swap when the crossed pairing's slope mismatch is below this fraction of the bounced one.
    swap_ratio: float = 0.7
    # Touches this many columns apart or fewer are one touching stretch.
    touch_gap: int = 8
    # Curves touching over more than this fraction of the plot's width are a bundle ...
    max_touch_fraction: float = 0.1
    # ... unless they part again, drawn differently or to well apart: curves crossing at a
    # shallow angle while bending alike may run together that long.
    max_crossing_touch_fraction: float = 0.3
    # A touching stretch at least this many columns long, between curves that get this many
    # touching distances apart within this many columns either side, is a shallow crossing ...
    min_shallow_touch: int = 10
    clear_touches: float = 3.0
    clear_window: int = 100
    # ... whose curves are crossed unless the crossed pairing's slope mismatch is this many
    # times the bounced one.
    shallow_swap_ratio: float = 1.5
    # Columns either side of a touching stretch whose look (colour, dash pattern) is compared.
    look_window: int = 40
    # A difference in colour (largest channel step, 0..255) or in the share of columns a
    # curve's ink is seen in (dashes and dots leave gaps) that sets two pieces clearly apart.
    colour_step: float = 40.0
    dash_step: float = 0.25
    # Two curves touching alone this many times longer than a crossing at their angles would
    # take did not cross ...
    grazing_ratio: float = 2.0
    # ... nor did ones touching this many times shorter (the slopes beside a touch understate
    # the angle of curves bending apart, so this bound is looser).
    near_miss_ratio: float = 4.0
    # Curves meet where they touch in a chain in at least this many columns ...
    min_meeting_columns: int = 3
    # ... and a curve's piece beside the meeting point is a copy of another one's when it lies
    # on it over this fraction of its columns.
    duplicate_piece: float = 0.8
    # Columns beside the meeting point whose rows give the order the pieces enter and leave it.
    order_window: int = 50


TRACKING = TrackingSettings()
