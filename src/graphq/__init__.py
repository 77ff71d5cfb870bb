"""graphq: datasheet graph images to curves and SPICE models."""

__version__ = "0.1.0"
