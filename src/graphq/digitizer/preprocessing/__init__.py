"""The plot's ink before tracing: grid lines, ticks, boxes and text taken out."""
