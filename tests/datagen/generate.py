"""Random datasheet graphs from a seed: a device family, a style, a render."""

from __future__ import annotations

from typing import Any

import numpy as np

from .devices import FAMILIES, FAMILY_WEIGHTS
from .graph import GeneratedGraph
from .render import render_graph

GRAPH_TYPES = tuple(FAMILIES)


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
        weights = np.array([FAMILY_WEIGHTS[name] for name in GRAPH_TYPES])
        graph_type = GRAPH_TYPES[int(rng.choice(len(GRAPH_TYPES), p=weights / weights.sum()))]
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
