"""Running a demo (`make demo` or a variant) as a fresh clone does: its own process, free ports, dummy AWS keys."""

from __future__ import annotations

import os
import subprocess
import sys

from devstack.servers import free_port
from tests.support.local_stack import DUMMY_AWS, ROOT


def run_demo(module: str, timeout: float) -> subprocess.CompletedProcess[str]:
    ports = {"SHEPHERD_LOCAL_AWS_PORT": str(free_port()), "SHEPHERD_LOCAL_APP_PORT": str(free_port())}
    return subprocess.run(
        [sys.executable, "-m", module],
        cwd=ROOT,
        env={**os.environ, **DUMMY_AWS, **ports},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
