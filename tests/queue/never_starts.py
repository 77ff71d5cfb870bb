"""Imported by a worker at start, this module keeps the worker starting for longer than any
test runs: only a pool that stops its starting workers can close while it loads."""

import time

START_DELAY_S = 3600.0

time.sleep(START_DELAY_S)
