"""Imported by a worker at start, this module makes the worker slow to start, as numpy and
scipy do on a loaded machine."""

import time

START_DELAY_S = 5.0

time.sleep(START_DELAY_S)
