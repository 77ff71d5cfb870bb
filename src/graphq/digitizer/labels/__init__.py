"""Curve labels: read from the image, bound to curves, or named by order as a fallback."""
