"""The README's first example, walked for real as a new user would: graphq installed from its
wheel, ``graphq serve`` on 127.0.0.1, then the README's own shell block (read out of
README.md, so the two cannot drift apart) with curl, then its results on disk.

Two values in the block are the reader's own and are put in: the admin key the first serve
prints and the server's address (a free port here, not 8000, which another test or program
may hold). The datasheet is one the test generates: a page with output, transfer and
capacitance graphs, as the example's ``DEMO-100.pdf``.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from graphq.spice.ngspice import ngspice_available
from tests.datagen.datasheet_pdf import DatasheetSpec, PageSpec, make_datasheet
from tests.datagen.pdf_panels import PanelSpec
from tests.wheel import PROJECT, build_wheel, clean_environment, fresh_venv, run, serving

pytestmark = pytest.mark.skipif(not ngspice_available(), reason="ngspice is not installed")

FIRST_EXAMPLE = "## One PDF in, a model out"
README_KEY = re.compile(r"^KEY=gq_\.\.\. .*$", re.MULTILINE)
README_URL = "http://127.0.0.1:8000"
PRINTED_KEY = re.compile(r"first admin API key.*\n\s+(gq_\S+)")
WALK_TIMEOUT_S = 300
# A page the reader reads whole (each curve's label bound to it), so the example's fit has
# the output and transfer curves with their conditions that it needs.
DEMO = DatasheetSpec(
    seed=2,
    pages=(
        PageSpec(
            panels=(
                PanelSpec("output", style={"label_mode": "column"}),
                PanelSpec("transfer", log_y=True, style={"label_mode": "column"}),
                PanelSpec("capacitance", log_y=True, style={"label_mode": "legend"}),
            )
        ),
    ),
    paper="a4",
    part="DEMO-100",
)


def readme_block(heading: str) -> str:
    """The first ``sh`` block after ``heading`` in README.md."""
    text = (PROJECT / "README.md").read_text()
    section = text[text.index(heading) :]
    found = re.search(r"```sh\n(.*?)```", section, re.DOTALL)
    assert found, f"no sh block after {heading!r}"
    return found.group(1)


def with_own_values(block: str, key: str, url: str) -> str:
    """The block with the reader's key and address in place of the README's placeholders."""
    assert len(README_KEY.findall(block)) == 1 and block.count(README_URL) == 1
    return README_KEY.sub(f"KEY={key}", block).replace(README_URL, url)


@pytest.mark.slow
def test_the_readmes_first_example_runs_from_an_installed_wheel(tmp_path: Path) -> None:
    venv = fresh_venv(tmp_path, build_wheel(tmp_path))
    user = tmp_path / "user"  # no config.toml, no checkout: a directory of the reader's own
    user.mkdir()
    (user / "DEMO-100.pdf").write_bytes(make_datasheet(DEMO).pdf)
    # Keep-alives every second: the example's live step ends at its job's last event, and
    # curl notices the pipe closed at the next thing it writes.
    env = clean_environment(GRAPHQ_EVENTS_KEEPALIVE_S="1")
    graphq, data_dir = venv / "bin" / "graphq", user / "data"
    run(graphq, "db", "upgrade", "--data-dir", data_dir, cwd=user, env=env)

    log = tmp_path / "serve.log"
    with serving(graphq, data_dir, cwd=user, env=env, log=log) as url:
        printed = PRINTED_KEY.search(log.read_text())
        assert printed, log.read_text()
        script = with_own_values(readme_block(FIRST_EXAMPLE), printed.group(1), url)
        walked = subprocess.run(
            # -e: any step that fails stops the walk. No pipefail: the live step's curl is
            # stopped by its pipe closing, once sed has seen the job's last event.
            ["bash", "-eu", "-c", script],
            cwd=user,
            env=env,
            capture_output=True,
            text=True,
            timeout=WALK_TIMEOUT_S,
        )
    assert walked.returncode == 0, f"{walked.stdout[-3000:]}\n{walked.stderr}\n{log.read_text()}"

    # The live step followed the datasheet job to its end.
    assert re.search(r"^event: job:completed", walked.stdout, re.MULTILINE), walked.stdout[:3000]
    assert "page 1 of 1" in walked.stdout
    # The first graph's CSV (a header naming the axes, then points), its overlay, the model's
    # review verdict with its reasons, and the fitted model with its report on disk.
    number = r"-?[\d.]+(?:e[-+]?\d+)?"
    csv = rf"[^,\n]+,[^,\n]+,curve\r?\n{number},{number},"
    assert re.search(csv, walked.stdout), walked.stdout[-3000:]
    assert re.search(r"^(True|False) \[", walked.stdout, re.MULTILINE), walked.stdout[-3000:]
    assert (user / "graph1.png").read_bytes().startswith(b"\x89PNG")
    model = (user / "DEMO-100.lib").read_text()
    assert ".model" in model.lower() or ".subckt" in model.lower(), model
    assert (user / "DEMO-100-report.png").read_bytes().startswith(b"\x89PNG")
