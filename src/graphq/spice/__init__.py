"""graphq.spice: digitized datasheet curves to SPICE models that ngspice and LTspice load."""

from graphq.spice.csv_input import fit_input_from_csv, graph_from_csv
from graphq.spice.fit import MODEL_TYPES, fit_model
from graphq.spice.graphs import GraphCurves, fit_input_from_graphs
from graphq.spice.inputs import FitInput, default_model_type
from graphq.spice.model_file import spice_name
from graphq.spice.report_png import render_report_png
from graphq.spice.results import CurveReport, SpiceFit, Verification
from graphq.spice.verify import verify_with_ngspice

__all__ = [
    "MODEL_TYPES",
    "CurveReport",
    "FitInput",
    "GraphCurves",
    "SpiceFit",
    "Verification",
    "default_model_type",
    "fit_input_from_csv",
    "fit_input_from_graphs",
    "fit_model",
    "graph_from_csv",
    "render_report_png",
    "spice_name",
    "verify_with_ngspice",
]
