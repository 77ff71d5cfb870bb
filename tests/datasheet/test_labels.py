import numpy as np

from graphq.datasheet.boxes import bordered_boxes
from graphq.datasheet.content import read_pages
from graphq.datasheet.curves import extract_curves
from graphq.datasheet.labels import bind_labels
from graphq.datasheet.panels import find_panels
from graphq.datasheet.rules import find_rules
from graphq.datasheet.textlines import text_lines

from .pdfs import graph_pdf

XS = np.linspace(0, 10, 100)


def _bind(draw):
    _, pages = read_pages(graph_pdf(draw))
    page = pages[0]
    (panel,) = find_panels(find_rules(page.strokes), page.strokes)
    found = extract_curves(page.strokes, panel.box, page.words)
    binding = bind_labels(
        found.curves,
        text_lines(page.words),
        panel.box,
        found.leaders,
        found.samples,
        boxes=bordered_boxes(page.strokes, panel.box),
    )
    heights = [float(np.mean(c.points[:, 1])) for c in found.curves]
    # Page y grows downwards: the highest curve has the smallest mean y.
    return [binding.labels[i] for i in np.argsort(heights)], binding


def _two_curves(ax):
    ax.plot(XS, 8 + 0.1 * XS, color="black")
    ax.plot(XS, 2 + 0.1 * XS, color="black")
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 12)


def test_inline_labels_bind_to_the_curve_beside_them() -> None:
    def draw(ax):
        _two_curves(ax)
        ax.text(4, 2.8, "VGS = 4 V")
        ax.text(4, 9.0, "VGS = 10 V")

    labels, _ = _bind(draw)
    assert labels == ["VGS = 10 V", "VGS = 4 V"]


def test_a_label_halfway_between_two_curves_binds_to_neither() -> None:
    def draw(ax):
        _two_curves(ax)
        ax.text(4, 5.3, "25 °C")

    labels, _ = _bind(draw)
    assert labels == ["", ""]


def test_a_legend_sample_names_the_curve_drawn_in_its_style() -> None:
    def draw(ax):
        ax.plot(XS, 8 + 0.1 * XS, color="red", label="Ciss")
        ax.plot(XS, 2 + 0.1 * XS, color="blue", label="Crss")
        ax.set_xlim(0, 10)
        ax.set_ylim(0, 12)
        ax.legend(loc="center right", frameon=False)

    labels, _ = _bind(draw)
    assert labels == ["Ciss", "Crss"]


def test_conditions_in_unbound_text_hold_for_the_graph() -> None:
    def draw(ax):
        _two_curves(ax)
        ax.text(0.5, 5, "VDS = 10 V, f = 1 MHz")

    _, binding = _bind(draw)
    assert binding.graph_conditions == {"VDS": 10.0, "f": 1e6}


def test_an_arrow_with_a_filled_head_binds_its_text_to_the_curve_it_points_at() -> None:
    def draw(ax):
        _two_curves(ax)
        ax.annotate(
            "25 °C",
            xy=(6, 2.6),
            xytext=(7.5, 5.0),
            arrowprops={"arrowstyle": "-|>", "color": "black", "shrinkA": 0, "shrinkB": 0},
        )

    labels, binding = _bind(draw)
    assert labels == ["", "25 °C"]
    assert binding.kinds.count("leader") == 1


def test_a_bare_value_bound_to_no_curve_is_no_condition_of_the_graph() -> None:
    def draw(ax):
        _two_curves(ax)
        ax.text(4, 5.3, "-55 °C")
        ax.text(0.5, 11, "VDS = 10 V")

    labels, binding = _bind(draw)
    assert labels == ["", ""]
    assert binding.graph_conditions == {"VDS": 10.0}
    assert binding.unbound == ["-55 °C"]


def test_a_label_with_curves_on_one_side_only_binds_to_the_first_it_meets() -> None:
    def draw(ax):
        ax.plot(XS, 3 + 0.1 * XS, color="black")
        ax.plot(XS, 1 + 0.1 * XS, color="black")
        ax.set_xlim(0, 10)
        ax.set_ylim(0, 12)
        ax.text(5, 6.5, "150 °C")  # above both, far from the upper one
        ax.text(0.5, 10.5, "VDS = 10 V")  # a condition of the graph, above both as well

    labels, binding = _bind(draw)
    assert labels == ["150 °C", ""]
    assert binding.graph_conditions == {"VDS": 10.0}
    assert binding.kinds[np.argmax([lab != "" for lab in binding.labels])] == "beside"


def test_labels_stacked_right_of_the_frame_bind_to_the_curve_ending_level_with_them() -> None:
    def draw(ax):
        # Curve ends 9 pt apart, with 6 pt labels: beside the frame, each label is as near
        # its neighbour's curve as its own, but level with its own curve's end.
        for level in (8.0, 7.55, 7.1):
            ax.plot(XS, level * XS / (XS + 0.5), color="black")
        ax.set_xlim(0, 10)
        ax.set_ylim(0, 10)
        for level, text in ((8.0, "VGS = 10 V"), (7.55, "8 V"), (7.1, "6 V")):
            ax.text(10.25, level * 10 / 10.5, text, va="center", fontsize=6)

    labels, binding = _bind(draw)
    assert labels == ["VGS = 10 V", "VGS = 8 V", "VGS = 6 V"]
    assert set(binding.kinds) == {"end"}


def test_a_top_bottom_table_in_a_box_names_the_curves_top_down() -> None:
    def draw(ax):
        for level in (9.0, 6.0, 3.0):
            ax.plot(XS, level + 0.05 * XS, color="black")
        ax.set_xlim(0, 10)
        ax.set_ylim(0, 12)
        ax.text(
            0.5, 11.5, "VGS\nTop: 10 V\n8 V\nBottom: 6 V", va="top", fontsize=7,
            bbox={"boxstyle": "square", "fc": "white", "ec": "black"},
        )  # fmt: skip

    labels, binding = _bind(draw)
    assert labels == ["VGS = 10 V", "VGS = 8 V", "VGS = 6 V"]
    assert set(binding.kinds) == {"list"}


def test_a_word_entry_of_a_descending_list_names_its_curve_as_printed() -> None:
    def draw(ax):
        for level in (9.0, 6.0, 3.0):
            ax.plot(XS, level + 0.05 * XS, color="black")
        ax.set_xlim(0, 10)
        ax.set_ylim(0, 12)
        ax.text(0.5, 11, "In descending order D = 0.5, 0.2, single pulse", fontsize=7)

    labels, _ = _bind(draw)
    assert labels == ["D = 0.5", "D = 0.2", "single pulse"]


def test_a_name_stacked_over_its_conditions_is_one_label_with_the_curves_conditions() -> None:
    def draw(ax):
        _two_curves(ax)
        ax.text(6, 9.0, "TO-92", fontsize=7)
        ax.text(6, 2.3, "TO-220\nTC = 25 °C\nPD = 15 W", fontsize=7, va="top")
        ax.text(0.5, 11, "VDS = 10 V", fontsize=7)

    labels, binding = _bind(draw)
    assert labels == ["TO-92", "TO-220"]
    lower = binding.labels.index("TO-220")
    assert binding.conditions[lower] == {"Tc": 25.0, "PD": 15.0}
    assert binding.graph_conditions == {"VDS": 10.0}


def test_safe_operating_area_outlines_bind_labels_by_their_own_pulse_lines() -> None:
    # Each region's outline runs up a shared RDS(on) line, down its own pulse line and down
    # a shared VDS limit; its label stands right of where its pulse line meets that limit.
    names = ("DC", "10 ms", "1 ms", "100 µs")
    starts, ends = (3.0, 3.6, 4.2, 4.8), (1.5, 2.5, 3.5, 4.5)

    def draw(ax):
        for start, end, name in zip(starts, ends, names, strict=True):
            ax.plot([0, start, 8, 8], [1, 1 + start, end, 0], color="black")
            ax.text(8.15, end, name, va="center", fontsize=7)
        ax.set_xlim(0, 10)
        ax.set_ylim(0, 10)

    labels, _ = _bind(draw)
    # Highest outline first: the one with the longest pulse line.
    assert labels == ["100 µs", "1 ms", "10 ms", "DC"]


def test_a_bare_label_beside_two_curves_a_hair_apart_binds_to_neither() -> None:
    def draw(ax):
        ax.plot(XS, 5.0 + 0.1 * XS, color="black")
        ax.plot(XS, 5.1 + 0.1 * XS, color="black")
        ax.set_xlim(0, 10)
        ax.set_ylim(0, 12)
        ax.text(4, 3.5, "125 °C", fontsize=7)

    labels, _ = _bind(draw)
    assert labels == ["", ""]


def test_legend_texts_of_one_quantity_are_no_condition_of_the_graph() -> None:
    def draw(ax):
        ax.plot(XS, 8 + 0.1 * XS, "--", color="black", label="VDS = 48 V")
        ax.plot(XS, 2 + 0.1 * XS, "--", color="black", label="VDS = 12 V")
        ax.set_xlim(0, 10)
        ax.set_ylim(0, 12)
        ax.legend(loc="center right", frameon=False)

    labels, binding = _bind(draw)
    assert labels == ["", ""]  # both samples alike: the page ties neither text to a curve
    assert "VDS" not in binding.graph_conditions
    assert sorted(binding.unbound) == ["VDS = 12 V", "VDS = 48 V"]
