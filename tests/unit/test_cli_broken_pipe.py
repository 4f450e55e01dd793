"""`shepherd ... | head`: when the reader stops reading, the CLI stops quietly (no BrokenPipeError traceback)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from shepherd_cli import exit_codes

PROJECT = Path(__file__).resolve().parents[2]


def test_a_closed_pipe_ends_the_cli_quietly(tmp_path: Path) -> None:
    # Far more output than a pipe buffers (64 KiB): 3,000 missing policy files, two lines each.
    missing = [str(tmp_path / f"group-{n:05d}-{'x' * 40}.json") for n in range(3000)]
    command = [sys.executable, "-c", "from shepherd_cli.main import console; console()", "policy", "validate"]
    process = subprocess.Popen(
        [*command, *missing, "--policy-dir", str(tmp_path)],
        cwd=PROJECT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    first = [process.stdout.readline() for _ in range(4)]  # `| head -4`
    process.stdout.close()
    errors = process.stderr.read().decode()
    code = process.wait(timeout=60)
    assert first[0].startswith(b"policy files")
    assert "Traceback" not in errors and "BrokenPipeError" not in errors, errors
    assert code == exit_codes.PIPE_CLOSED
