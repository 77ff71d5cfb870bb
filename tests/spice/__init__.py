"""Tests of graphq.spice."""
