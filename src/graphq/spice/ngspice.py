"""Running the ngspice binary in batch mode.

A netlist's ``.control`` block writes its results with ``wrdata NAME.txt …`` (the caller
sets ``wr_singlescale`` and ``wr_vecnames``, see :func:`control_block`); :func:`run_batch`
runs it in a private temporary directory and returns each written table as a numpy array,
one column per scalar (complex vectors give a real and an imaginary column).

ngspice runs as a sandboxed child: its own temporary directory as working and home directory
(so no ``.spiceinit`` but graphq's empty one is read) and an environment holding only
``PATH``, so nothing of the server's environment (keys, database URLs) is visible to it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from graphq.errors import GraphqError

NGSPICE_TIMEOUT_S = 60.0

# Lines of ngspice's output that mean the netlist did not load or the run did not happen.
_FAILURE_MARKERS = (
    "error",
    "unknown model",
    "could not find",
    "no such",
    "unable to find",
    "singular matrix",
    "timestep too small",
    "simulation(s) aborted",
    "unrecognized",
)


def ngspice_path() -> str | None:
    return shutil.which("ngspice")


def ngspice_available() -> bool:
    return ngspice_path() is not None


def control_block(commands: Sequence[str]) -> str:
    """Wrap analysis commands in a ``.control`` block that writes one-scale tables."""
    lines = [".control", "set wr_singlescale", "set wr_vecnames", *commands, "quit", ".endc"]
    return "\n".join(lines)


def run_batch(
    netlist: str,
    outputs: Sequence[str],
    *,
    files: dict[str, str] | None = None,
    timeout_s: float = NGSPICE_TIMEOUT_S,
) -> dict[str, np.ndarray]:
    """Run ``netlist`` with ``ngspice -b`` and load the tables named in ``outputs``.

    ``files`` are written next to the netlist first (a model file it ``.include``\\ s).
    Raises ``GraphqError("SIMULATION_FAILED")`` with ngspice's own complaint when the binary
    is missing, times out, reports an error, or does not write an expected table.
    """
    binary = ngspice_path()
    if binary is None:
        raise GraphqError("SIMULATION_FAILED", "ngspice is not installed")
    with tempfile.TemporaryDirectory(prefix="graphq-ngspice-") as tmp:
        workdir = Path(tmp)
        for name, text in (files or {}).items():
            (workdir / name).write_text(text)
        (workdir / ".spiceinit").write_text("* graphq: no start-up commands\n")
        (workdir / "circuit.cir").write_text(netlist if netlist.endswith("\n") else netlist + "\n")
        try:
            completed = subprocess.run(
                [binary, "-b", "circuit.cir"],
                cwd=workdir,
                env=_sandbox_environment(workdir),
                capture_output=True,
                text=True,
                timeout=timeout_s,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise GraphqError(
                "SIMULATION_FAILED", f"ngspice did not finish within {timeout_s:g} s"
            ) from exc
        log = completed.stdout + completed.stderr
        complaint = _first_complaint(log)
        if complaint is not None or completed.returncode != 0:
            reason = complaint or f"exit status {completed.returncode}"
            raise GraphqError("SIMULATION_FAILED", f"ngspice: {reason}", detail={"log": log})
        tables: dict[str, np.ndarray] = {}
        for name in outputs:
            path = workdir / name
            if not path.exists():
                raise GraphqError(
                    "SIMULATION_FAILED", f"ngspice wrote no {name}", detail={"log": log}
                )
            tables[name] = _load_table(path)
        return tables


def _sandbox_environment(workdir: Path) -> dict[str, str]:
    return {"PATH": os.environ.get("PATH", os.defpath), "HOME": str(workdir), "LC_ALL": "C"}


def _first_complaint(log: str) -> str | None:
    for line in log.splitlines():
        lowered = line.lower()
        if any(marker in lowered for marker in _FAILURE_MARKERS):
            return line.strip()
    return None


def _load_table(path: Path) -> np.ndarray:
    table = np.loadtxt(path, skiprows=1, ndmin=2)
    if table.size == 0 or not np.all(np.isfinite(table)):
        raise GraphqError("SIMULATION_FAILED", f"ngspice wrote no finite numbers to {path.name}")
    return table
