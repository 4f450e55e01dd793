"""`shepherd doctor --json` against a local stack as plain `make local` runs it: every check passes, nothing made
by hand first (the stack stands up the roles and the example policy's alarms, as a deployed account has them)."""

from __future__ import annotations

import json

from devstack.seed import GROUP
from tests.support.local_stack import start_stack


def test_doctor_passes_every_check_on_a_plain_local_stack() -> None:
    stack = start_stack()
    try:
        done = stack.shepherd("doctor", "--json")
        validated = stack.shepherd("policy", "validate", "--check-aws")
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
    assert validated.returncode == 0, validated.stdout + validated.stderr
