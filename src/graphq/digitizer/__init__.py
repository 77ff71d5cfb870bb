"""graphq.digitizer: datasheet graph images to curves in axis units."""

from graphq.digitizer.pipeline import digitize_standard

__all__ = ["digitize_standard"]
