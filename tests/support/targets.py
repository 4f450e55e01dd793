"""Release targets in tests: the app (in process) or the local stack (e2e) reading the example group's policy
with its release section changed, and what both kinds of test ask of them."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from chalicelib.bootstrap import Container, use_container
from chalicelib.shared.settings import load_settings
from devstack import batch_setup, demo_setup, policy_alarms, seed
from devstack.resources import LocalResources
from tests.support import release as r
from tests.support.local_stack import RunningStack, start_stack
from tests.support.policies import policies_with_release
from tests.support.release import Clock
from tests.support.sns_inbox import inbox


def app_with_release(
    resources: LocalResources, directory: Path, monkeypatch: pytest.MonkeyPatch, **release: Any
) -> Container:
    """The app's container, reading a copy of the policies whose example group's release has `release` merged in."""
    policies = policies_with_release(directory, **release)
    for name, value in {**resources.environment(), "SHEPHERD_POLICY_DIR": str(policies)}.items():
        monkeypatch.setenv(name, value)
    container = Container(settings=load_settings())
    use_container(container)
    return container


def stage(container: Container, group: str = seed.GROUP) -> str:
    """`v<version> <STAGE>: <reason>` of the group's current release."""
    release = container.release_store.load(group).release
    assert release is not None
    return f"v{release.version} {release.stage.value}: {release.reason}"


def stack_with_release(directory: Path, release: dict[str, Any], *stack_args: str) -> RunningStack:
    """The local stack on the demo's policies with the example group's release changed; its group and alarms."""
    policies = demo_setup.demo_policies(directory)
    path = policies / f"{seed.GROUP}.json"
    document = json.loads(path.read_text())
    document["release"].update(release)
    path.write_text(json.dumps(document))
    running = start_stack("--policy-dir", str(policies), "--clock-speed", "300", *stack_args)
    seed.create_group(running.client("sagemaker"))
    policy_alarms.create_alarms(running.client("cloudwatch"), document["release"])
    return running


def shepherd(stack: RunningStack, *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [".venv/bin/shepherd", *argv], env=stack.environment, capture_output=True, text=True, timeout=60, check=False
    )


def live_version(stack: RunningStack, group: str = seed.GROUP) -> int | None:
    [found] = json.loads(shepherd(stack, "status", group, "--json").stdout)["groups"]
    return next((v["version"] for v in found["versions"] if v["role"].startswith("LIVE")), None)


def v1_live(release_to_live: Callable[[str, Clock], Any], clock: Clock, resources: LocalResources) -> Clock:
    """v1 released by the target's own path, its watch window over; a clean inbox."""
    assert release_to_live(r.register_approved("v1"), clock)["stage"] == "WATCHING"
    clock.advance(minutes=61)
    r.reconcile()
    inbox(resources)
    return clock


def published(ssm: Any, group: str = seed.GROUP) -> dict[str, Any] | None:
    """A batch target's production parameter, as its JSON value; None before the group's first release."""
    return batch_setup.published(ssm, group)
