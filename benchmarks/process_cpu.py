"""CPU seconds of processes, read from Linux's ``/proc/<pid>/stat``, for the queue benchmarks.

CPU per job hardly depends on what else a shared machine runs, where jobs per second do, so
the benchmarks report it beside their rates.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

TICK_S = 1 / os.sysconf("SC_CLK_TCK")


class ProcessCpu(NamedTuple):
    """A process's parent and session, its own CPU seconds (user + system) and those of its
    children it reaped (``cutime + cstime``: a child that ended counts through its parent)."""

    pid: int
    ppid: int
    session: int
    own_s: float
    reaped_s: float


def process_cpu(pid: int) -> ProcessCpu:
    """The CPU of process ``pid``; :class:`OSError` if it is gone."""
    text = Path(f"/proc/{pid}/stat").read_text()
    # The command name, in brackets, may hold spaces: the fields start after its last ")".
    fields = text[text.rindex(")") + 2 :].split()
    return ProcessCpu(
        pid,
        ppid=int(fields[1]),
        session=int(fields[3]),
        own_s=(int(fields[11]) + int(fields[12])) * TICK_S,
        reaped_s=(int(fields[13]) + int(fields[14])) * TICK_S,
    )


def every_process_cpu() -> list[ProcessCpu]:
    """:func:`process_cpu` of every process running now."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                found.append(process_cpu(int(entry.name)))
            except OSError:
                continue  # ended meanwhile
    return found


class SessionsCpu(NamedTuple):
    """CPU seconds of the measured sessions (``total_s``), of their leaders alone
    (``leaders_s``) and of PostgreSQL's processes (``db_s``)."""

    total_s: float
    leaders_s: float
    db_s: float


class CpuMeter:
    """CPU seconds, from its start to :meth:`stop`, of the sessions ``leaders`` lead and of
    the PostgreSQL server whose postmaster is ``postmaster``."""

    def __init__(self, postmaster: int, leaders: list[int]) -> None:
        self.postmaster = postmaster
        self.leaders = set(leaders)
        self.began = self._read()

    def _read(self) -> SessionsCpu:
        total = leaders = db = 0.0
        for pid, ppid, session, own, reaped in every_process_cpu():
            if session in self.leaders:
                total += own + reaped
                if pid in self.leaders:
                    leaders += own
            if pid == self.postmaster:
                db += own + reaped
            elif ppid == self.postmaster:
                db += own
        return SessionsCpu(total, leaders, db)

    def stop(self) -> SessionsCpu:
        ended = self._read()
        return SessionsCpu(*(e - b for e, b in zip(ended, self.began, strict=True)))
