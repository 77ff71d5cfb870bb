"""Tests of the job kinds' compute functions."""
