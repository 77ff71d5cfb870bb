"""Random datasheet graphs from a seed: a device family, a style, a render."""

from __future__ import annotations

from typing import Any

import numpy as np

from .devices import FAMILIES, FAMILY_WEIGHTS
from .graph import GeneratedGraph
from .render import render_graph

GRAPH_TYPES = tuple(FAMILIES)


def pick_graph_type(rng: np.random.Generator) -> str:
    """A graph type drawn with the frequencies of real datasheets."""
    weights = np.array([FAMILY_WEIGHTS[name] for name in GRAPH_TYPES])
    return GRAPH_TYPES[int(rng.choice(len(GRAPH_TYPES), p=weights / weights.sum()))]


def graph_type_of_seed(seed: int) -> str:
    """The graph type :func:`generate_graph` draws for ``seed``, without rendering it."""
    return pick_graph_type(np.random.default_rng([seed, 0]))


def generate_graph(
    seed: int,
    *,
    graph_type: str | None = None,
    style_overrides: dict[str, Any] | None = None,
) -> GeneratedGraph:
    """The graph for ``seed``: the same seed always gives the same bytes.

    ``graph_type`` pins the family (one of :data:`GRAPH_TYPES`); otherwise it is drawn with
    the frequencies of real datasheets.
    """
    rng = np.random.default_rng([seed, 0])
    if graph_type is None:
        graph_type = pick_graph_type(rng)
    elif graph_type not in FAMILIES:
        raise ValueError(f"unknown graph type {graph_type!r}; expected one of {GRAPH_TYPES}")
    family = FAMILIES[graph_type](rng)
    return render_graph(
        family.curves,
        family.axes,
        graph_type=graph_type,
        seed=seed,
        style_overrides=style_overrides,
        box_texts=family.box_texts,
    )
