"""graphq.datasheet: the graphs of a datasheet PDF, read from its own vector paths and text.

``read_datasheet(pdf)`` is the whole reader; ``read_axes`` reads a graph's axes from any
words (text layer or OCR), so the raster reader shares it.
"""

from graphq.datasheet.axes import AxesReading, AxisReading, AxisSettings, read_axes
from graphq.datasheet.classify import classify
from graphq.datasheet.conditions import parse_conditions, parse_label
from graphq.datasheet.numbers import join_exponents, parse_number
from graphq.datasheet.pipeline import ReaderSettings, read_datasheet
from graphq.datasheet.types import DatasheetCurve, DatasheetGraph, DatasheetResult
from graphq.datasheet.words import Word

__all__ = [
    "AxesReading",
    "AxisReading",
    "AxisSettings",
    "DatasheetCurve",
    "DatasheetGraph",
    "DatasheetResult",
    "ReaderSettings",
    "Word",
    "classify",
    "join_exponents",
    "parse_conditions",
    "parse_label",
    "parse_number",
    "read_axes",
    "read_datasheet",
]
