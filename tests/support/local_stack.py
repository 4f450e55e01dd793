"""A local stack as `make local` runs it (a subprocess), on free ports, and waiting on it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from devstack.aws_validation.recorder import LOG_VARIABLE
from devstack.server import READY_MARKER
from devstack.servers import free_port
from tests.support.strict_refusals import unexpected_refusals

ROOT = Path(__file__).resolve().parents[2]
DUMMY_AWS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1"}


@dataclass
class RunningStack:
    process: subprocess.Popen[str]
    aws_port: int
    app_port: int
    output: list[str] = field(default_factory=list)
    # Where the stack writes each request it refused (its app's and anyone's): checked when it stops.
    refusal_log: Path | None = None

    @property
    def aws_url(self) -> str:
        return f"http://127.0.0.1:{self.aws_port}"

    @property
    def environment(self) -> dict[str, str]:
        exported = [line.split("export ", 1)[1].strip() for line in self.output if line.strip().startswith("export ")]
        return {**os.environ, **DUMMY_AWS, **dict(item.split("=", 1) for item in exported)}

    def client(self, service: str) -> Any:
        import boto3

        return boto3.client(
            service,
            endpoint_url=self.aws_url,
            region_name="us-east-1",  # type: ignore[call-overload]
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )

    def shepherd(self, *argv: str) -> subprocess.CompletedProcess[str]:
        """`shepherd ARGV...` against this stack, as a person in a second terminal runs it."""
        return subprocess.run(
            [".venv/bin/shepherd", *argv], env=self.environment, capture_output=True, text=True, timeout=60, check=False
        )

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        try:
            code = self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()  # never leave a stack behind, even when the test then fails
            self.process.wait(timeout=5)
            raise
        refused = self.take_refusals()
        if self.refusal_log is not None:
            self.refusal_log.unlink(missing_ok=True)
        if problem := unexpected_refusals(refused, expected=False):
            raise AssertionError(f"the local stack: {problem}")  # even those its code swallowed
        return code

    def take_refusals(self) -> list[dict[str, Any]]:
        """The requests the stack refused so far, once each (AWS would have refused them)."""
        if self.refusal_log is None or not self.refusal_log.exists():
            return []
        lines = self.refusal_log.read_text(encoding="utf-8").splitlines()
        self.refusal_log.write_text("", encoding="utf-8")
        return [json.loads(line) for line in lines if line.strip()]


def start_stack(*extra: str, wait_ready: bool = True, timeout: float = 60) -> RunningStack:
    aws_port, app_port = free_port(), free_port()
    handle, name = tempfile.mkstemp(prefix="local-stack-refusals-", suffix=".jsonl")
    os.close(handle)
    refusal_log = Path(name)
    command = [
        sys.executable,
        "-m",
        "devstack.server",
        "--aws-port",
        str(aws_port),
        "--app-port",
        str(app_port),
        "--endpoint-seconds",
        "0.5",
        "--bake-seconds",
        "0.5",
        "--env-file",
        "",  # not the developer's build/local-stack.env: a test passes its own to try it
        *extra,
    ]
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env={**os.environ, **DUMMY_AWS, LOG_VARIABLE: str(refusal_log)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        bufsize=1,
    )
    stack = RunningStack(process, aws_port, app_port, refusal_log=refusal_log)
    threading.Thread(
        target=lambda: stack.output.extend(iter(process.stdout.readline, "")),  # type: ignore[union-attr]
        daemon=True,
    ).start()
    deadline = time.monotonic() + timeout
    while wait_ready and not any(READY_MARKER in line for line in stack.output):
        if process.poll() is not None or time.monotonic() > deadline:
            stack.stop()
            raise RuntimeError("the local stack did not start:\n" + "".join(stack.output))
        time.sleep(0.1)
    time.sleep(0.2)  # the export lines follow the marker
    return stack


def wait_for(check: Any, timeout: float = 20.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if found := check():
            return found
        time.sleep(0.1)
    raise AssertionError(f"not within {timeout}s")
