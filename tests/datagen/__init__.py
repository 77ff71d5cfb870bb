"""Synthetic datasheet graphs with exact ground truth, and the scorer of digitized results."""

from .generate import GRAPH_TYPES, generate_graph, graph_type_of_seed
from .graph import CurveFamily, GeneratedGraph, TruthCurve
from .render import render_graph
from .score import CurveScore, GraphScore, score_result

__all__ = [
    "GRAPH_TYPES",
    "CurveFamily",
    "CurveScore",
    "GeneratedGraph",
    "GraphScore",
    "TruthCurve",
    "generate_graph",
    "graph_type_of_seed",
    "render_graph",
    "score_result",
]
