"""A label's text chained to a curve's end, and the copy of a curve it drags in.

Where a label is printed beside a curve, the tracker may run from the curve into the label
and on through its letters (DN2540's "RDS(ON) @ ID = 120 mA"): one trace that is a copy of
the curve for part of its way and a line of text for the rest. The text end gives itself
away by its shape: it turns up and down by half a letter's height once a letter or two, over
a few letters' widths, stays within a line of text in height and stops inside the plot. A
curve's end, even a noisy one, does not turn like that.

The text end is cut off. What is left of the trace is kept as a curve of its own unless it
runs beside the other curves nearly all along: then it was only a copy dragged in by the
label, and it is dropped, with a warning naming it (the curve it copies is kept). A trace
cut from both ends to nothing was all text, and is dropped with a warning saying so.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from graphq.digitizer.strays.chained_text import drop_chained_text
from graphq.digitizer.strays.frame_reach import ends_at_frame, without_end_jumps
from graphq.digitizer.strays.text_traces import TEXT_TRACES, turn_samples
from graphq.digitizer.tracking.coverage import near_ink, overlaps
from graphq.digitizer.tracking.scale import PlotScale
from graphq.digitizer.tracking.settings import TRACKING
from graphq.digitizer.tracking.tracks import TracedCurve


@dataclass(frozen=True)
class LabelChainSettings:
    """Tunables of label chains, each with its reason."""

    # A text end turns, or has letters' ink start or stop beside it, at least this often (a
    # short word's letters; a curve's end crossing a grid remnant or another curve does so
    # two or three times) ...
    min_turns: int = 6
    # ... with no more than this many glyph heights between those (a letter is about as wide
    # as it is tall; a space between words is narrower than a letter) ...
    max_turn_gap_glyphs: float = 2.0
    # ... or this many across letters standing beside the trace (a word traced along its
    # baseline: its letters stand over it all along, their ink starting and stopping only
    # between words) over at least this fraction of those columns ...
    max_word_gap_glyphs: float = 6.0
    min_word_ink: float = 0.8
    # ... and stays within this many glyph heights from top to bottom (a line of text with
    # its subscripts) ...
    max_height_glyphs: float = 2.5
    # ... with letters standing beside it over at least this fraction of its columns (a
    # label's letters, the gaps between them and its words narrower; a curve's end among the
    # dashes of its neighbours, or a 72 dpi grid's dots, has them over a third or less).
    min_letter_share: float = 0.5
    # What is left after the text end is cut is a copy when it runs beside the other curves
    # (within a line's width beyond touching, as tracking's copies do) over this fraction of
    # its samples.
    copy_fraction: float = 0.9


LABEL_CHAINS = LabelChainSettings()


@dataclass(frozen=True)
class Unchained:
    """The curves with their text ends cut, and what was dropped, said for a person."""

    curves: list[TracedCurve]
    dropped: list[str]


def cut_label_chains(
    curves: list[TracedCurve],
    ink: np.ndarray,
    glyph_px: float,
    scale: PlotScale,
    settings: LabelChainSettings = LABEL_CHAINS,
) -> Unchained:
    """``curves`` with each text end (a label's letters the trace ran on through, at an end
    inside the plot) cut off; a trace that, cut, only runs beside the other curves is
    dropped."""
    # Ink on a traced curve is no letter: beside a curve in a bundle stand its neighbours (a
    # stroke is marked as far as :func:`letters_beside` takes a trace's own to reach).
    stroke = max(1, round(_stroke_px(scale.line_width_px)))
    letters = ink & ~near_ink(ink.shape, curves, stroke)
    cut = [_without_text_ends(c, letters, glyph_px, scale, settings) for c in curves]
    # A trace cut from both ends to less than two samples was all text: it goes first, as no
    # curve is left of it to copy another.
    dropped = [
        f"a trace over plot columns {int(c.column[0])}–{int(c.column[-1])} was all a label's "
        "text; it was dropped"
        for c, t in zip(curves, cut, strict=True)
        if t.column.size < 2
    ]
    pairs = [(c, t) for c, t in zip(curves, cut, strict=True) if t.column.size >= 2]
    curves, cut = [c for c, _ in pairs], [t for _, t in pairs]
    trimmed = [index for index, (c, t) in enumerate(pairs) if c is not t]
    if not trimmed:
        return _without_chained_text(cut, dropped, glyph_px, scale)
    copy_px = scale.on_curve_px + TRACKING.copy_line_widths * scale.line_width_px
    beside = overlaps(cut, copy_px)
    alive = np.ones(len(cut), dtype=bool)
    for index in trimmed:
        if beside.covered(index, alive).mean() >= settings.copy_fraction:
            alive[index] = False
            columns = int(curves[index].column[0]), int(curves[index].column[-1])
            dropped.append(
                f"a trace over plot columns {columns[0]}–{columns[1]} ran into a label's "
                "text and otherwise copied another curve; it was dropped"
            )
    kept = [c for index, c in enumerate(cut) if alive[index]]
    return _without_chained_text(kept, dropped, glyph_px, scale)


def _without_chained_text(
    curves: list[TracedCurve], dropped: list[str], glyph_px: float, scale: PlotScale
) -> Unchained:
    """The curves left, less those that copied a curve and then ran into a line of text too
    faint to turn (:mod:`graphq.digitizer.strays.chained_text`)."""
    kept, chained = drop_chained_text(curves, glyph_px, scale)
    return Unchained(kept, dropped + chained)


def _without_text_ends(
    curve: TracedCurve,
    letters: np.ndarray,
    glyph_px: float,
    scale: PlotScale,
    settings: LabelChainSettings,
) -> TracedCurve:
    """The curve without its text ends, or the curve itself when it has none. The ends are
    looked for on the trace less its end jumps (:func:`without_end_jumps`): a trace ending on
    a line drawn across the curves (an SOA's voltage limit) may climb it to the frame, and its
    text end would pass for one at the frame. A trace that is cut loses those jumps too."""
    whole, curve = curve, without_end_jumps(curve, glyph_px)
    swing = max(
        TEXT_TRACES.swing_glyphs * glyph_px, TEXT_TRACES.swing_line_widths * scale.line_width_px
    )
    rows = curve.middle
    beside = letters_beside(curve, letters, glyph_px, scale.line_width_px)
    changes = np.flatnonzero(np.diff(beside.astype(np.int8)))
    turns = np.union1d(np.asarray(turn_samples(rows, swing), dtype=np.int64), changes)
    if turns.size < settings.min_turns:
        return whole
    at_frame = ends_at_frame(curve, scale.shape)
    keep = np.ones(rows.size, dtype=bool)
    if not at_frame[1]:
        start = _text_start(
            curve.column, turns[::-1], (curve.column.size - 1, -1), glyph_px, beside, settings
        )
        if start is not None:
            keep &= curve.column < start
    if not at_frame[0]:
        stop = _text_start(curve.column, turns, (0, 1), glyph_px, beside, settings)
        if stop is not None:
            keep &= curve.column > stop
    if keep.all():
        return whole
    text = ~keep
    # Letters are counted between the text's first and last turn: the flat bits a cut takes
    # in beyond them (half a gap, a grid line's stub the trace ran on along past the label)
    # stand beside no letter, and are no sign against the text between.
    inside = turns[text[turns]]
    lettered = beside[inside.min() : inside.max() + 1] if inside.size else beside[text]
    if (
        float(np.ptp(rows[text])) > settings.max_height_glyphs * glyph_px
        or lettered.mean() < settings.min_letter_share
    ):
        return whole
    return curve.part(keep)


def _text_start(
    columns: np.ndarray,
    turns: np.ndarray,
    end: tuple[int, int],
    glyph_px: float,
    beside: np.ndarray,
    settings: LabelChainSettings,
) -> float | None:
    """Where a text end starts, walking from an ``end`` (its sample, and +1 for the first end,
    -1 for the last) along ``turns`` (sample indices, nearest that end first): the column half
    a gap past the last turn reached with no gap wider than ``max_turn_gap_glyphs`` glyph
    heights, or wider only across letters (``beside``, per sample, letters beside the trace);
    None if fewer than ``min_turns`` are reached."""
    gap = settings.max_turn_gap_glyphs * glyph_px
    word_gap = settings.max_word_gap_glyphs * glyph_px
    previous, step = end
    count = 0
    for sample in turns.tolist():
        width = abs(int(columns[sample]) - int(columns[previous]))
        if width > gap:
            low, high = sorted((previous, sample))
            if width > word_gap or beside[low : high + 1].mean() < settings.min_word_ink:
                break
        previous = sample
        count += 1
    if count < settings.min_turns:
        return None
    return int(columns[previous]) + step * 0.5 * gap


def letters_beside(
    curve: TracedCurve, ink: np.ndarray, glyph_px: float, line_width_px: float
) -> np.ndarray:
    """Per sample, whether ``ink`` stands within a glyph's height above or below the curve's
    own stroke: a letter beside a trace run along a line of text's baseline or through it.
    One look at a glyph-tall window per sample."""
    height, width = ink.shape
    reach = max(1, round(glyph_px))
    offsets = np.arange(-reach, reach + 1)
    rows = np.round(curve.middle).astype(np.int64)[:, np.newaxis] + offsets
    stroke = _stroke_px(line_width_px)
    low = np.minimum(curve.enter, curve.leave)[:, np.newaxis] - stroke
    high = np.maximum(curve.enter, curve.leave)[:, np.newaxis] + stroke
    inside = (rows >= 0) & (rows < height) & ((rows < low) | (rows > high))
    columns = np.clip(curve.column, 0, width - 1)[:, np.newaxis]
    return np.asarray((ink[np.clip(rows, 0, height - 1), columns] & inside).any(axis=1))


def _stroke_px(line_width_px: float) -> float:
    """How far from a trace's centre rows its own stroke reaches (half a line and a pixel of
    anti-aliasing)."""
    return 0.5 * line_width_px + 1.0
