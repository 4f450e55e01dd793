"""`shepherd doctor --json` against a local stack as `make local` runs it: every check passes."""

from __future__ import annotations

import json
import subprocess

from devstack.demo_setup import create_alarms, release_section
from devstack.seed import GROUP
from shepherd_cli.doctor.expected_policies import PROJECT
from tests.support.local_stack import start_stack


def test_doctor_passes_every_check_on_the_local_stack() -> None:
    stack = start_stack()  # its own: the alarms made here must not reach other tests' stack
    try:
        create_alarms(stack.client("cloudwatch"), release_section(GROUP, PROJECT / "policies"))
        done = subprocess.run(
            [".venv/bin/shepherd", "doctor", "--json"],
            env=stack.environment,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    finally:
        stack.stop()
    assert done.stdout, done.stderr
    document = json.loads(done.stdout)
    assert [check for check in document["checks"] if check["status"] == "FAIL"] == []
    assert (done.returncode, document["stage"], document["passed"]) == (0, "local", True)
    assert {"role:gate", "role:api_handler", "role:cleanup", "table:state", f"release:{GROUP}:alarms"} <= {
        c["name"] for c in document["checks"]
    }
    assert {"rule:gate", "rule:release_reconcile", "rule:cleanup"} <= {c["name"] for c in document["checks"]}
