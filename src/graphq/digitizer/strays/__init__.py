"""Traces that are not curves: text, notes and pieces of grid lines."""
