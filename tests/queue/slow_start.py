"""Imported by a worker at start, this module makes the worker slow to start, as numpy and
scipy do on a loaded machine. Its job function is imported with it, so a job's time is the
job's own: a worker at niceness 19 on a busy machine takes seconds to import a test module."""

import multiprocessing
import time
from typing import Any

START_DELAY_S = 5.0

if multiprocessing.current_process().name == "graphq-worker":
    time.sleep(START_DELAY_S)


def quick(payload: float, progress: Any) -> str:
    time.sleep(payload)
    return "done"
