"""Schemathesis over a real ``graphq serve``, as its command line runs by default.

Every operation, in every phase schemathesis runs by default (examples, coverage, fuzzing, and
stateful chains along the document's links: a product made, then read, changed, given images
and fits; a queue, a job, a batch, a key likewise), with every default check, as an admin,
against a server with its normal rate limits; a second client runs the stateful chains alone
meanwhile. Each run is bounded by schemathesis's own time budget. What must hold: no server
error; every response conforms to the document (a documented status, the documented content
type, a body that matches its schema, the documented headers); no chain finds a deleted
object still served or a made one missing. The other checks' findings are printed.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.queue.test_crash_recovery import (
    admin_headers,
    free_port,
    graphq,
    kill_group,
    server_env,
    wait_until_healthy,
)

# Two runs at once, each with an admin key of its own, as two clients of the server would:
# schemathesis as it runs by default (every phase), and its stateful phase alone, whose
# chains then start with a rate-limit budget of their own. Each is bounded by --max-time:
# its phases repeat until it is spent.
RUNS = (None, "stateful")  # --phases; None: the default
BUDGET_S = 25
# Event streams never end: schemathesis reads one until this timeout, not its default 10 s.
STREAM_CONFIG = """
[[operations]]
include-path-regex = "^/api/events"
request-timeout = 1
"""
# Failure codes that break the document's promises: server errors and response conformance
# (ST1xx), and stateful chains finding a deleted object served or a created one gone (ST3xx).
BROKEN_PROMISES = re.compile(r"ST[13]\d\d")
NORMAL_LIMITS = ("GRAPHQ_AUTH_RATE_LIMIT_PER_MINUTE", "GRAPHQ_AUTH_RATE_LIMIT_BURST")


@pytest.mark.slow
def test_schemathesis_finds_no_server_error_and_no_response_off_the_document(
    tmp_path: Path,
) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    port = free_port()
    # One worker: the fuzzing is of HTTP, and each worker imports every job kind's libraries.
    env = server_env(data_dir, port) | {
        "GRAPHQ_QUEUE_HANDLER_MODULES": "",
        "GRAPHQ_QUEUE_WORKER_SLOTS": "1",
    }
    for name in NORMAL_LIMITS:
        env.pop(name)
    config = tmp_path / "schemathesis.toml"
    config.write_text(STREAM_CONFIG)
    base_url = f"http://127.0.0.1:{port}"
    admin = admin_headers(env, data_dir)
    server = graphq("serve", env=env, log=data_dir / "server.log")
    try:
        wait_until_healthy(base_url, server, timeout_s=60)
        second = httpx.post(
            f"{base_url}/api/keys", json={"name": "chains", "role": "admin"}, headers=admin
        )
        keys = [admin["Authorization"], f"Bearer {second.json()['secret']}"]
        with ThreadPoolExecutor(len(RUNS)) as pool:
            runs = [
                pool.submit(schemathesis, base_url, key, phases, config, tmp_path)
                for phases, key in zip(RUNS, keys, strict=True)
            ]
            reports = [run.result() for run in runs]
    finally:
        kill_group(server)

    found: dict[str, set[str]] = {}
    for report in reports:
        for failure in report["failures"]:
            found.setdefault(f"{failure['code']} {failure['title']}", set()).update(
                failure["operations"]
            )
    print(json.dumps({k: sorted(v) for k, v in found.items()}, indent=1))
    broken = {k: v for k, v in found.items() if BROKEN_PROMISES.match(k)}
    assert not broken, "\n\n".join(report["output"][-20000:] for report in reports)
    assert all(report["errors"] == [] for report in reports), [r["errors"] for r in reports]
    # How many operations, cases and links a run gets through depends on the machine and the
    # rate limit's pace (they are printed above); the links' shape is test_openapi's.
    stateful = reports[RUNS.index("stateful")]
    assert stateful["phases"]["stateful"]["status"] != "skip", stateful["phases"]


def schemathesis(
    base_url: str, key: str, phases: str | None, config: Path, tmp_path: Path
) -> dict[str, Any]:
    """One run of schemathesis's command line: its JSON report, with the links it followed
    and its own output."""
    report_path = tmp_path / f"report-{phases or 'default'}.json"
    run = subprocess.run(
        [
            str(Path(sys.executable).with_name("schemathesis")),
            "--config-file",
            str(config),
            "run",
            f"{base_url}/schema/openapi.json",
            "--header",
            f"Authorization: {key}",
            *(("--phases", phases) if phases else ()),
            "--max-time",
            str(BUDGET_S),
            "--report",
            "json",
            "--report-json-path",
            str(report_path),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,  # schemathesis keeps a cache of its finds where it runs
        timeout=BUDGET_S + 60,
        check=False,
    )
    assert report_path.exists(), run.stdout[-3000:] + run.stderr[-3000:]
    report: dict[str, Any] = json.loads(report_path.read_text())
    links = re.search(r"API Links:\s+(\d+) covered / (\d+) selected", run.stdout)
    report["links_covered"] = int(links.group(1)) if links else 0
    report["output"] = run.stdout
    operations, cases = report["operations"], report["test_cases"]
    print(
        f"schemathesis {report['schemathesis_version']} ({phases or 'every phase'}), "
        f"seed {report['seed']}: "
        f"{operations['tested']}/{operations['total']} operations, {cases['generated']} cases "
        f"in {report['running_time']:.0f} s"
        + (f", links {links.group(1)} of {links.group(2)} followed" if links else "")
    )
    return report
