"""The table of confidence against correctness both digitizer benchmarks print (SPEC §4c asks
that what is given at ≥ 0.9 be right ≥ 95 % of the time): per bin, how many curves (or
results) and the share of them that was right."""

from __future__ import annotations

from collections.abc import Iterable

# Bins: name, lower edge (inclusive), upper edge (exclusive); the last row totals ≥ 0.9.
CONFIDENCE_BINS = (
    ("< 0.5", 0.0, 0.5),
    ("0.5–0.8", 0.5, 0.8),
    ("0.8–0.9", 0.8, 0.9),
    ("0.9–0.95", 0.9, 0.95),
    ("≥ 0.95", 0.95, 2.0),
    ("**≥ 0.9**", 0.9, 2.0),
)


def confidence_rows(judged: Iterable[tuple[float, bool]]) -> list[tuple[str, int, float]]:
    """Per bin: its name, how many were judged in it and the share right (%, NaN if none)."""
    pairs = list(judged)
    rows = []
    for name, low, high in CONFIDENCE_BINS:
        inside = [right for confidence, right in pairs if low <= confidence < high]
        share = 100.0 * sum(inside) / len(inside) if inside else float("nan")
        rows.append((name, len(inside), share))
    return rows


def confidence_table(columns: dict[str, Iterable[tuple[float, bool]]]) -> str:
    """A markdown table: one row per bin, for each named column of (confidence, right)
    pairs how many and the share right."""
    tallies = {name: confidence_rows(pairs) for name, pairs in columns.items()}
    header = ["confidence"] + [f"{name} {what}" for name in columns for what in ("n", "right %")]
    lines = ["| " + " | ".join(header) + " |", "|---|" + "---:|" * (len(header) - 1)]
    for row, (bin_name, _, _) in enumerate(CONFIDENCE_BINS):
        cells = [bin_name]
        for rows in tallies.values():
            _, count, share = rows[row]
            cells += [str(count), f"{share:.1f}"]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)
