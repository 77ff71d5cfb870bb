"""A note printed on a white rectangle over the grid is no curve; curves passing notes stay."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
from PIL import Image, ImageDraw

from graphq.digitizer import digitize
from graphq.digitizer.preprocessing.grid import remove_grid
from graphq.digitizer.preprocessing.ink import darkness
from graphq.digitizer.strays.note_areas import drop_note_traces, knocked_out
from graphq.digitizer.types import Axes, Axis, GraphMeta
from tests.digitizer.curves import traced_curve

_GLYPH_PX = 8.0
_SIZE = (400, 300)
# The note's white rectangle (left, top, right, bottom), over the grid.
_NOTE = (60, 50, 200, 85)


def _plot(knock_out: bool, boxed: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """A plot's ink with a grey grid every 25 px and a note "TJ(Max)=150 C" on a white
    rectangle knocked out of the grid (or on the grid, in a drawn box), and the ruled mask."""
    image = Image.new("RGB", _SIZE, "white")
    draw = ImageDraw.Draw(image)
    width, height = _SIZE
    for x in range(0, width, 25):
        draw.line([(x, 0), (x, height - 1)], fill=(150, 150, 150))
    for y in range(0, height, 25):
        draw.line([(0, y), (width - 1, y)], fill=(150, 150, 150))
    if knock_out:
        draw.rectangle(_NOTE, fill="white")
    if boxed:
        draw.rectangle(_NOTE, outline="black")
    draw.text((_NOTE[0] + 8, _NOTE[1] + 10), "TJ(Max)=150 C", fill="black")
    ink = darkness(np.asarray(image))
    return ink, ink > 0.2


def _area(knock_out: bool, boxed: bool = False) -> np.ndarray:
    ink, ruled = _plot(knock_out, boxed)
    _, horizontal, vertical = remove_grid(ink)
    return knocked_out(ruled, horizontal, vertical, _GLYPH_PX)


def _kept(area: np.ndarray, columns: np.ndarray, rows: np.ndarray) -> bool:
    return len(drop_note_traces([traced_curve(columns, rows)], area, _GLYPH_PX)) == 1


def test_the_white_rectangle_where_the_grid_stops_is_a_knocked_out_area() -> None:
    area = _area(knock_out=True)
    left, top, right, bottom = _NOTE
    assert area[(top + bottom) // 2, (left + right) // 2]
    assert not area[200, 300]
    assert not _area(knock_out=False).any()


def test_note_text_traced_in_a_knocked_out_grid_area_is_dropped() -> None:
    area = _area(knock_out=True)
    # The tracker followed the note's line of letters, waving a little at its baseline.
    columns = np.arange(_NOTE[0] + 8, _NOTE[0] + 110)
    rows = 68.0 + np.tile([0.0, 1.0, 2.0, 1.0], columns.size // 4 + 1)[: columns.size]
    assert not _kept(area, columns, rows)


def test_a_curve_running_through_a_note_area_and_on_outside_it_is_kept() -> None:
    area = _area(knock_out=True)
    columns = np.arange(0, 400)
    assert _kept(area, columns, np.full(columns.size, 70.0))
    assert _kept(area, columns, np.linspace(10.0, 290.0, columns.size))


def test_a_curve_passing_a_note_box_on_an_unbroken_grid_is_kept() -> None:
    area = _area(knock_out=False, boxed=True)
    # Short, and along the box's bottom side: still a curve, the grid around it is whole.
    columns = np.arange(_NOTE[0], _NOTE[2])
    assert _kept(area, columns, np.full(columns.size, float(_NOTE[3] + 3)))


def test_a_short_flat_curve_on_an_unbroken_grid_is_kept() -> None:
    area = _area(knock_out=True)
    columns = np.arange(250, 330)
    assert _kept(area, columns, np.full(columns.size, 200.0))


def test_a_flat_curve_from_frame_to_frame_is_kept_even_where_the_grid_breaks_up() -> None:
    # A 72 dpi log grid's pale minor lines break up all along: the area is everywhere.
    area = np.ones((300, 400), dtype=bool)
    columns = np.arange(1, 399)
    assert _kept(area, columns, np.full(columns.size, 150.0))
    assert not _kept(area, columns[100:200], np.full(100, 150.0))


def test_a_curve_crossing_a_knocked_out_note_at_72_dpi_is_read_whole() -> None:
    figure = plt.figure(figsize=(4.0, 3.0), dpi=72)
    axes = figure.add_axes((0.12, 0.12, 0.8, 0.8))
    x = np.linspace(0, 10, 400)
    for k in range(3):
        axes.plot(x, (k + 1) * (1 - np.exp(-x / (1 + 0.5 * k))), color="black", lw=1)
    axes.set_xlim(0, 10)
    axes.set_ylim(0, 6)
    axes.set_xticks(range(11))
    axes.set_yticks(np.arange(0, 6.1, 0.5))
    axes.grid(True, color="0.6")
    # The note's white rectangle hides the grid but lies under the lowest curve.
    note = "Notes: 1. 250 µs pulse test\n2. TC = 25 °C"
    white = {"facecolor": "white", "edgecolor": "none"}
    axes.text(4.5, 0.75, note, fontsize=8, bbox=white, zorder=1.5)
    figure.canvas.draw()
    image = np.asarray(figure.canvas.buffer_rgba())[:, :, :3].copy()
    box = axes.get_window_extent()
    rows = image.shape[0]
    plt.close(figure)
    meta = GraphMeta(
        axes=Axes(x=Axis(min=0.0, max=10.0), y=Axis(min=0.0, max=6.0)),
        graph_type="output",
        plot_area=[box.x0, rows - box.y1, box.x1, rows - box.y0],
        read_labels=False,
    )
    curves = digitize(image, meta).curves
    assert len(curves) == 3
    assert all(c.points[0][0] < 0.5 and c.points[-1][0] > 9.5 for c in curves)
