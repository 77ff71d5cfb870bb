"""Synthetic datasheet graphs with exact ground truth, and the scorer of digitized results."""

from .generate import GRAPH_TYPES, generate_graph
from .graph import CurveFamily, GeneratedGraph, TruthCurve
from .render import render_graph

__all__ = [
    "GRAPH_TYPES",
    "CurveFamily",
    "GeneratedGraph",
    "TruthCurve",
    "generate_graph",
    "render_graph",
]
