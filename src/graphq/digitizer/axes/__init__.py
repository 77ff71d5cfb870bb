"""The plot frame and the mapping between its pixels and axis values."""
