"""OCR of the regions around and inside a vector frame: tick labels digit for digit, the
turned axis title, and nothing from outside the regions. The PDFs are drawn here with
matplotlib and read by the real tesseract."""

from __future__ import annotations

import pytest
from matplotlib.axes import Axes as MplAxes

from graphq.datasheet.region_ocr import frame_regions, frame_words, region_words
from graphq.datasheet.textlines import text_lines
from graphq.datasheet.words import Word
from tests.datasheet.pdfs import frame_box, graph_pdf

X_LABELS = ["-50", "0", "50", "100", "150"]
Y_LABELS = ["0.0", "0.5", "1.0", "1.5", "2.0"]


def _draw(ax: MplAxes) -> None:
    ax.plot([-50, 150], [0.2, 1.8], color="black")
    ax.set_xlim(-50, 150)
    ax.set_ylim(0, 2)
    ax.set_xticks([-50, 0, 50, 100, 150], X_LABELS)
    ax.set_yticks([0, 0.5, 1, 1.5, 2], Y_LABELS)
    ax.tick_params(labelsize=7)
    ax.set_xlabel("Junction Temperature [°C]", fontsize=7)
    ax.set_ylabel("Drain Current [A]", fontsize=7)
    ax.set_title("Figure 8. Drain Current", fontsize=8)
    ax.figure.text(0.6, 0.975, "Outside 12345", fontsize=7, va="top")


@pytest.fixture(scope="module")
def words() -> list[Word]:
    return frame_words(graph_pdf(_draw), 1, [frame_box()])


def _row_below(words: list[Word]) -> list[str]:
    x0, _, x1, y1 = frame_box()
    row = [w for w in words if w.upright and y1 < w.top < y1 + 15 and x0 - 15 < w.x0 < x1]
    return [w.text for w in sorted(row, key=lambda w: w.x0)]


def _column_left(words: list[Word]) -> list[str]:
    x0, y0, _, y1 = frame_box()
    column = [w for w in words if w.upright and x0 - 30 < w.x0 < x0 and y0 - 5 < w.top < y1]
    return [w.text for w in sorted(column, key=lambda w: -w.top)]


def test_tick_labels_below_and_left_are_read_digit_for_digit(words: list[Word]) -> None:
    assert _row_below(words) == X_LABELS
    assert _column_left(words) == Y_LABELS


def test_tick_labels_stand_at_their_ticks_in_pdf_points(words: list[Word]) -> None:
    x0, _, x1, _ = frame_box()
    (zero,) = [w for w in words if w.text == "0" and w.upright]
    # 0 is the second of five even ticks from -50 to 150.
    assert zero.centre[0] == pytest.approx(x0 + (x1 - x0) / 4, abs=1.5)
    # 7 pt digits stand ~5 pt tall.
    assert 3.5 < zero.size < 6.5


def test_axis_title_running_up_the_page_is_read_turned(words: list[Word]) -> None:
    turned = sorted((w for w in words if not w.upright), key=lambda w: -w.bottom)
    assert " ".join(w.text for w in turned).startswith("Drain Current")
    assert all(w.bottom - w.top > w.x1 - w.x0 for w in turned)


def test_titles_above_and_below_are_read(words: list[Word]) -> None:
    texts = {w.text for w in words if w.upright}
    assert {"Figure", "Junction", "Temperature"} <= texts


def test_words_outside_every_region_are_not_read(words: list[Word]) -> None:
    assert "Outside" not in {w.text for w in words}


def test_regions_reach_left_below_and_above_the_frame() -> None:
    ((x0, y0, x1, y1),) = frame_regions([(100.0, 100.0, 300.0, 250.0)])
    assert x0 < 100.0 - 40 and y1 > 250.0 + 40 and y0 < 100.0 and x1 > 300.0


def test_no_regions_read_nothing() -> None:
    assert region_words(graph_pdf(_draw), 1, []) == []


def _draw_labelled(ax: MplAxes) -> None:
    """Curve labels inside the frame, each with its curve drawn right through it, under a
    dense grid: as vendors print them, and as OCR of the rendered page cannot read them."""
    for k, level in enumerate((0.5, 0.2, 0.1)):
        y = 1.6 - 0.45 * k
        ax.plot([-50, 150], [y, y], color="black", linewidth=1.5)
        ax.text(-30, y, f"D = {level}", fontsize=6, va="center", backgroundcolor="none")
    ax.text(60, 0.35, r"$\mathregular{V_{DS}}$ = 40 V", fontsize=6)
    ax.plot([40, 140], [0.2, 0.6], color="black", linewidth=1.5)
    ax.grid(True, which="both", color="black", linewidth=0.4, linestyle=":")
    ax.set_xlim(-50, 150)
    ax.set_ylim(0, 2)
    ax.set_xticks([-50, 0, 50, 100, 150], X_LABELS)
    ax.set_yticks([0, 0.5, 1, 1.5, 2], Y_LABELS)
    ax.tick_params(labelsize=7)


def test_curve_labels_crossed_by_their_curves_are_read_whole() -> None:
    found = frame_words(graph_pdf(_draw_labelled), 1, [frame_box()])
    x0, y0, x1, y1 = frame_box()
    inside = [w for w in found if x0 < w.centre[0] < x1 and y0 < w.centre[1] < y1]
    texts = [line.text for line in text_lines(inside)]
    for level in ("0.5", "0.2", "0.1"):
        assert any(text.replace(" ", "") == f"D={level}" for text in texts), texts
    assert any(text.replace(" ", "") == "VDS=40V" for text in texts), texts
